//! Malformed official states: each is a diagnostic that names the problem, never a panic.

use proptest::prelude::*;
use serde_json::{Value as J, json};

use super::*;

fn error_text(d: Diagnostics) -> String {
    d.0.iter()
        .map(|d| format!("{} {}", d.summary, d.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn malformed_states_are_diagnostics() {
    let cases: &[(&str, J, &str)] = &[
        ("pool", json!("pippool-x"), "not an object"),
        ("pool", json!({"isp": "BGP"}), "no `id`"),
        ("pool", json!({"id": ""}), "no `id`"),
        (
            "pool",
            json!({"id": "pippool-x:47.0.0.0/24"}),
            "not a pool ID",
        ),
        ("pool", json!({"id": {"a": 1}}), "`id` should be a string"),
        (
            "pool",
            json!({"id": "p", "tags": ["a"]}),
            "`tags` should be a map",
        ),
        (
            "pool",
            json!({"id": "p", "tags": {"a": 1}}),
            "`tags` should be a map",
        ),
        (
            "pool",
            json!({"id": "p", "total_ip_num": "many"}),
            "whole number",
        ),
        (
            "pool",
            json!({"id": "p", "used_ip_num": 1.5}),
            "whole number",
        ),
        (
            "pool",
            json!({"id": "p", "ip_address_remaining": 1}),
            "true or false",
        ),
        ("pool", json!({"id": "p", "zones": "a"}), "list of strings"),
        ("pool", json!({"id": "p", "zones": [1]}), "list of strings"),
        ("block", json!([]), "not an object"),
        ("block", json!({"cidr_block": "47.0.0.0/24"}), "no `id`"),
        (
            "block",
            json!({"id": "nonsense"}),
            "is not `<pool ID>:<CIDR block>`",
        ),
        (
            "block",
            json!({"id": "pippool-a:47.0.0.1"}),
            "not an IPv4 CIDR block",
        ),
        (
            "block",
            json!({"id": "pippool-a:fe80::/64"}),
            "not an IPv4 CIDR block",
        ),
        (
            "block",
            json!({"id": ":47.0.0.0/24"}),
            "is not `<pool ID>:<CIDR block>`",
        ),
    ];
    for (kind, state, expected) in cases {
        let result = match *kind {
            "pool" => pool_from_official(state),
            _ => cidr_block_from_official(state),
        };
        let text = error_text(result.expect_err(&format!("{state} is refused")));
        assert!(text.contains(expected), "{state}: {text}");
        assert!(text.contains("malformed state"), "{state}: {text}");
    }
}

fn any_json() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::from),
        any::<i64>().prop_map(J::from),
        any::<f64>().prop_map(J::from),
        "[a-z0-9:./-]{0,12}".prop_map(J::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(J::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("id".to_string()),
                    Just("cidr_block".to_string()),
                    Just("public_ip_address_pool_id".to_string()),
                    Just("tags".to_string()),
                    Just("timeouts".to_string()),
                    Just("total_ip_num".to_string()),
                    "[a-z_]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| J::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Whatever Terraform sends, the answer is a tree or a diagnostic, never a panic.
    #[test]
    fn arbitrary_states_never_panic(state in any_json()) {
        let _ = pool_from_official(&state);
        let _ = cidr_block_from_official(&state);
    }
}
