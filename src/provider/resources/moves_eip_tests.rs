//! The EIP conversions against states as the official provider writes them, one per release
//! shape: `alicloud_eip` of v1.125 (number bandwidth), `alicloud_eip_address` of v1.126.0
//! (string bandwidth, deprecated `name`) and of HEAD (pool ID, zone, create time); then
//! subscription EIPs and malformed values, each refused on its attribute.

use proptest::prelude::*;
use serde_json::{Value as J, json};

use super::*;
use crate::provider::dispatch::{MoveSource, Typed};
use crate::provider::interface::Resource;
use crate::provider::resources::eip_address::EipResource;
use crate::tf::AttrPath;

/// Our EIP schema's attributes and blocks.
const EIP_ATTRS: &[&str] = &[
    "id",
    "region_id",
    "public_ip_address_pool_id",
    "ip_address",
    "address_name",
    "description",
    "bandwidth",
    "isp",
    "internet_charge_type",
    "payment_type",
    "resource_group_id",
    "tags",
    "deletion_protection",
    "security_protection_types",
    "zone",
    "allocation_id",
    "status",
    "create_time",
    "timeouts",
];

fn sorted(names: &[&str]) -> Vec<String> {
    let mut k: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    k.sort();
    k
}

fn keys(v: &J) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

/// HEAD (v1.243.0 and later), refreshed: an EIP from a pool, as the official Read writes it.
fn head_eip() -> J {
    json!({
        "activity_id": null,
        "address_name": "tf-eip",
        "allocation_id": "eip-2zeerraiwb7uj6i0d6fo2",
        "auto_pay": null,
        "bandwidth": "5",
        "create_time": "2025-03-04T06:30:12Z",
        "deletion_protection": false,
        "description": "managed by terraform",
        "high_definition_monitor_log_status": "OFF",
        "id": "eip-2zeerraiwb7uj6i0d6fo2",
        "instance_charge_type": "PostPaid",
        "internet_charge_type": "PayByBandwidth",
        "ip_address": "47.118.126.10",
        "isp": "BGP",
        "log_project": null,
        "log_store": null,
        "mode": "NAT",
        "name": "tf-eip",
        "netmode": "public",
        "payment_type": "PayAsYouGo",
        "period": null,
        "pricing_cycle": null,
        "public_ip_address_pool_id": "pippool-6wetvn6fumkgycssx1a2b",
        "resource_group_id": "rg-acfmxazb4ph6aiy",
        "security_protection_types": [],
        "status": "Available",
        "tags": {"Environment": "test"},
        "timeouts": {"create": "10m", "delete": null, "update": null},
        "zone": ""
    })
}

#[test]
fn head_state_from_a_pool_keeps_every_value_we_have() {
    let got = eip_from_official(&head_eip()).expect("converts");
    assert_eq!(keys(&got), sorted(EIP_ATTRS));
    assert_eq!(
        got,
        json!({
            "id": "eip-2zeerraiwb7uj6i0d6fo2",
            "region_id": null,
            "public_ip_address_pool_id": "pippool-6wetvn6fumkgycssx1a2b",
            "ip_address": "47.118.126.10",
            "address_name": "tf-eip",
            "description": "managed by terraform",
            "bandwidth": 5,
            "isp": "BGP",
            "internet_charge_type": "PayByBandwidth",
            "payment_type": "PayAsYouGo",
            "resource_group_id": "rg-acfmxazb4ph6aiy",
            "tags": {"Environment": "test"},
            "deletion_protection": false,
            "security_protection_types": [],
            "zone": null,
            "allocation_id": "eip-2zeerraiwb7uj6i0d6fo2",
            "status": "Available",
            "create_time": "2025-03-04T06:30:12Z",
            "timeouts": {"create": "10m"},
        })
    );
}

#[test]
fn v1_126_state_has_a_string_bandwidth_and_the_deprecated_name() {
    // v1.126.0 just after create from a configuration that still used `name`: no pool, zone,
    // create time, protection types or allocation ID yet; the description was never read back.
    let v126 = json!({
        "activity_id": "",
        "address_name": "",
        "bandwidth": "10",
        "deletion_protection": false,
        "description": "",
        "id": "eip-bp1old",
        "instance_charge_type": "PostPaid",
        "internet_charge_type": "PayByTraffic",
        "ip_address": "47.0.0.9",
        "isp": "BGP",
        "name": "legacy-name",
        "netmode": "",
        "payment_type": "PayAsYouGo",
        "period": null,
        "resource_group_id": "rg-1",
        "status": "Available",
        "tags": null,
        "timeouts": {"create": "5m"}
    });
    let got = eip_from_official(&v126).expect("converts");
    assert_eq!(keys(&got), sorted(EIP_ATTRS));
    assert_eq!(got["bandwidth"], 10);
    assert_eq!(got["address_name"], "legacy-name", "from `name`");
    assert_eq!(got["description"], J::Null, "\"\" is unset");
    assert_eq!(got["payment_type"], "PayAsYouGo");
    assert_eq!(got["allocation_id"], "eip-bp1old");
    assert_eq!(got["timeouts"], json!({"create": "5m"}));
    for later in [
        "public_ip_address_pool_id",
        "security_protection_types",
        "zone",
        "create_time",
        "tags",
        "region_id",
    ] {
        assert_eq!(got[later], J::Null, "{later}");
    }
    // Where both names are set, `address_name` wins (the newer attribute).
    let mut both = v126;
    both["address_name"] = json!("new-name");
    assert_eq!(
        eip_from_official(&both).expect("converts")["address_name"],
        "new-name"
    );
}

#[test]
fn old_alicloud_eip_state_has_a_number_bandwidth() {
    // `alicloud_eip` v1.125.x: bandwidth TypeInt, instance_charge_type, name; no payment_type,
    // address_name or timeouts.
    let v125 = json!({
        "bandwidth": 5,
        "deletion_protection": true,
        "description": "web",
        "id": "eip-bp1legacy",
        "instance_charge_type": "PostPaid",
        "internet_charge_type": "PayByTraffic",
        "ip_address": "47.0.0.7",
        "isp": "BGP",
        "name": "web-eip",
        "period": null,
        "resource_group_id": "rg-1",
        "status": "InUse",
        "tags": {}
    });
    let got = legacy_eip_from_official(&v125).expect("converts");
    assert_eq!(keys(&got), sorted(EIP_ATTRS));
    assert_eq!(
        (
            &got["bandwidth"],
            &got["address_name"],
            &got["payment_type"],
            &got["deletion_protection"],
            &got["tags"],
            &got["timeouts"],
        ),
        (
            &json!(5),
            &json!("web-eip"),
            &json!("PayAsYouGo"),
            &json!(true),
            &J::Null,
            &J::Null
        )
    );
    // A float with no fraction (a hand-edited state, or a JSON tool's rewrite) is the number.
    let mut float = v125.clone();
    float["bandwidth"] = json!(5.0);
    assert_eq!(
        legacy_eip_from_official(&float).expect("converts")["bandwidth"],
        5
    );
    // A state with no payment attribute at all: left to the refresh.
    let mut bare = v125;
    bare.as_object_mut()
        .expect("object")
        .remove("instance_charge_type");
    assert_eq!(
        legacy_eip_from_official(&bare).expect("converts")["payment_type"],
        J::Null
    );
}

#[test]
fn protection_types_become_a_set_and_alibaba_s_payment_names_are_ours() {
    let mut s = head_eip();
    s["security_protection_types"] = json!(["AntiDDoS_Enhanced", "AntiDDoS_Enhanced"]);
    s["payment_type"] = json!("PostPaid");
    s["instance_charge_type"] = J::Null;
    let got = eip_from_official(&s).expect("converts");
    assert_eq!(
        got["security_protection_types"],
        json!(["AntiDDoS_Enhanced"])
    );
    assert_eq!(got["payment_type"], "PayAsYouGo");
}

fn refusal(result: Result<J, Diagnostics>) -> (String, Option<AttrPath>) {
    let d = result.expect_err("refused");
    let d = d.0.first().expect("one diagnostic");
    (format!("{} {}", d.summary, d.detail), d.attribute.clone())
}

#[test]
fn subscription_eips_are_refused_and_told_why() {
    let cases: &[(&str, J, &str)] = &[
        (
            OFFICIAL_EIP,
            json!({"payment_type": "Subscription"}),
            "payment_type",
        ),
        (
            OFFICIAL_EIP,
            json!({"payment_type": "PrePaid"}),
            "payment_type",
        ),
        // Disagreeing attributes (a hand edit): subscription anywhere refuses.
        (
            OFFICIAL_EIP,
            json!({"payment_type": "PayAsYouGo", "instance_charge_type": "PrePaid"}),
            "instance_charge_type",
        ),
        (
            LEGACY_EIP,
            json!({"instance_charge_type": "PrePaid", "bandwidth": 5}),
            "instance_charge_type",
        ),
    ];
    for (ty, extra, attr) in cases {
        let mut state = json!({"id": "eip-sub", "bandwidth": "5"});
        for (k, v) in extra.as_object().expect("object") {
            state[k] = v.clone();
        }
        let result = match *ty {
            OFFICIAL_EIP => eip_from_official(&state),
            _ => legacy_eip_from_official(&state),
        };
        let (text, at) = refusal(result);
        assert_eq!(at, Some(AttrPath::attr(attr)), "{state}");
        for words in [
            &format!("Cannot move {ty}: subscription EIP"),
            "Terraform cannot manage",
            "Keep it in the official provider",
            "terraform state rm",
        ] {
            assert!(text.contains(words), "{state}: {text}");
        }
    }
}

#[test]
fn malformed_values_are_refused_on_their_attribute() {
    let cases: &[(&str, J, &str)] = &[
        (
            "bandwidth",
            json!("5.5"),
            "`bandwidth` should be a whole number",
        ),
        (
            "bandwidth",
            json!(5.5),
            "`bandwidth` should be a whole number",
        ),
        (
            "bandwidth",
            json!("lots"),
            "`bandwidth` should be a whole number",
        ),
        (
            "bandwidth",
            json!(true),
            "`bandwidth` should be a whole number",
        ),
        (
            "bandwidth",
            json!([5]),
            "`bandwidth` should be a whole number",
        ),
        (
            "payment_type",
            json!("Monthly"),
            "`payment_type` is \"Monthly\"",
        ),
        (
            "instance_charge_type",
            json!("Free"),
            "`instance_charge_type` is \"Free\"",
        ),
        ("id", json!("pippool-x"), "not an allocation ID"),
        ("id", json!("cn-hangzhou:eip-1"), "not an allocation ID"),
        ("id", json!("eip-"), "not an allocation ID"),
        ("id", json!(""), "no `id`"),
        ("tags", json!(["a"]), "`tags` should be a map"),
        ("deletion_protection", json!("yes"), "true or false"),
        ("security_protection_types", json!("a"), "list of strings"),
        (
            "address_name",
            json!({"a": 1}),
            "`address_name` should be a string",
        ),
        ("name", json!(["x"]), "`name` should be a string"),
    ];
    for (attr, value, expected) in cases {
        let mut state = head_eip();
        state[*attr] = value.clone();
        if *attr == "name" {
            state["address_name"] = J::Null;
        }
        for convert in [eip_from_official, legacy_eip_from_official] {
            let (text, at) = refusal(convert(&state));
            assert!(text.contains(expected), "{attr}={value}: {text}");
            assert!(text.contains("malformed state"), "{attr}={value}: {text}");
            assert_eq!(at, Some(AttrPath::attr(attr)), "{attr}={value}");
        }
    }
    let (text, _) = refusal(eip_from_official(&json!(["eip-1"])));
    assert!(text.contains("not an object"), "{text}");
}

/// The attribute and block names of a resource's real schema.
fn schema_names(r: &impl Resource) -> Vec<String> {
    let b = r.schema().block;
    let mut k: Vec<String> = b.attributes.iter().map(|a| a.name.to_string()).collect();
    k.extend(b.blocks.iter().map(|b| b.name.to_string()));
    k.sort();
    k
}

#[test]
fn the_conversion_produces_exactly_the_resource_s_schema() {
    assert_eq!(schema_names(&EipResource), sorted(EIP_ATTRS));
}

fn moved(provider: &str, ty: &str, state: J) -> Result<J, Diagnostics> {
    let source = MoveSource {
        provider_address: format!("registry.terraform.io/{provider}"),
        type_name: ty.into(),
        schema_version: 0,
        state_json: state,
    };
    Typed::resource(EipResource)
        .move_state(&source)
        .map(|d| d.0)
}

#[test]
fn moves_decode_into_the_resource_s_state() {
    let eip = moved("aliyun/alicloud", OFFICIAL_EIP, head_eip()).expect("moves");
    assert_eq!(
        eip["timeouts"],
        json!({"create": "10m", "read": null, "update": null, "delete": null})
    );
    assert_eq!(eip["bandwidth"], 5);
    let legacy = json!({"id": "eip-1", "bandwidth": 5, "instance_charge_type": "PostPaid"});
    let eip = moved("hashicorp/alicloud", LEGACY_EIP, legacy).expect("moves");
    assert_eq!(
        (&eip["id"], &eip["bandwidth"]),
        (&json!("eip-1"), &json!(5))
    );
    assert_eq!(eip["timeouts"], J::Null);
    // The same type name from another provider is not ours to convert.
    let err = moved("someone/alicloud", OFFICIAL_EIP, head_eip()).expect_err("refused");
    assert!(
        err.0.iter().any(|d| d.detail.contains(
            "alicloud_eip_address of aliyun/alicloud (or hashicorp/alicloud); alicloud_eip of"
        )),
        "{err:?}"
    );
}

#[test]
fn the_sources_name_both_types_and_registry_addresses() {
    let types: Vec<&str> = EIP_SOURCES.iter().map(|m| m.type_name).collect();
    assert_eq!(types, [OFFICIAL_EIP, LEGACY_EIP]);
    for m in EIP_SOURCES {
        assert_eq!(m.providers, ["aliyun/alicloud", "hashicorp/alicloud"]);
        assert_eq!(m.max_schema_version, 0);
    }
}

fn any_json() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::from),
        any::<i64>().prop_map(J::from),
        any::<f64>().prop_map(J::from),
        "[a-zA-Z0-9:./-]{0,12}".prop_map(J::from),
        Just(J::from("eip-1")),
        Just(J::from("PrePaid")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(J::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("id".to_string()),
                    Just("bandwidth".to_string()),
                    Just("name".to_string()),
                    Just("payment_type".to_string()),
                    Just("instance_charge_type".to_string()),
                    Just("tags".to_string()),
                    Just("timeouts".to_string()),
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
        let _ = eip_from_official(&state);
        let _ = legacy_eip_from_official(&state);
    }
}
