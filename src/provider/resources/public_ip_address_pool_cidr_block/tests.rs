//! Plans of `alicloudvpc_public_ip_address_pool_cidr_block` through the shared dispatcher: the
//! rules that make a block by size, by text and an imported block all converge.

use serde_json::{Value as J, json};
use tokio_util::sync::CancellationToken;

use super::CidrBlockResource;
use crate::provider::dispatch::{Env, PlanRequest, Typed};
use crate::provider::interface::Planning;
use crate::tf::{AttrPath, Dynamic, Value};

const POOL: &str = "pippool-abc123";

fn env() -> Env {
    Env {
        configured: None,
        deferred: None,
        stop: CancellationToken::new(),
        planning: Planning {
            provider_region: Value::Known("cn-hangzhou".into()),
            skip_region_validation: false,
        },
    }
}

fn unknown() -> J {
    Dynamic::unknown().0
}

/// A configuration: every attribute null except those given.
fn config(set: J) -> J {
    let mut c = json!({
        "id": null, "region_id": null, "public_ip_address_pool_id": POOL, "cidr_block": null,
        "cidr_mask": null, "status": null, "create_time": null, "total_ip_num": null,
        "used_ip_num": null, "timeouts": null,
    });
    if let (J::Object(c), J::Object(s)) = (&mut c, set) {
        c.extend(s);
    }
    c
}

/// The state after an apply or an import of the /28 block `47.105.0.16/28`.
fn prior() -> J {
    json!({
        "id": format!("{POOL}:47.105.0.16/28"), "region_id": "cn-hangzhou",
        "public_ip_address_pool_id": POOL, "cidr_block": "47.105.0.16/28", "cidr_mask": 28,
        "status": "Created", "create_time": "2026-12-01T00:00:00Z", "total_ip_num": 16,
        "used_ip_num": 0, "timeouts": null,
    })
}

fn plan(prior: J, config: J) -> (J, Vec<AttrPath>) {
    let r = Typed::resource(CidrBlockResource::default());
    let p = r.plan(
        &env(),
        PlanRequest {
            prior: Dynamic(prior),
            proposed: Dynamic(config.clone()),
            config: Dynamic(config),
            prior_private: vec![],
        },
    );
    assert!(p.diagnostics.0.is_empty(), "{:?}", p.diagnostics);
    (p.planned_state.0, p.requires_replace)
}

#[test]
fn a_create_by_size_leaves_the_block_to_apply() {
    let (s, _) = plan(J::Null, config(json!({"cidr_mask": 28})));
    assert_eq!(s["cidr_block"], unknown());
    assert_eq!(s["cidr_mask"], 28);
    assert_eq!(s["id"], unknown());
    assert_eq!(s["region_id"], "cn-hangzhou");
}

#[test]
fn a_create_by_block_knows_its_size_and_id() {
    let (s, _) = plan(J::Null, config(json!({"cidr_block": "47.0.0.0/24"})));
    assert_eq!(s["cidr_mask"], 24);
    assert_eq!(s["id"], format!("{POOL}:47.0.0.0/24"));
    assert_eq!(s["status"], unknown());
}

#[test]
fn by_size_by_block_and_imported_all_plan_no_change() {
    for set in [
        json!({"cidr_mask": 28}),
        json!({"cidr_block": "47.105.0.16/28"}),
        json!({"cidr_block": "47.105.0.16/28", "region_id": "cn-hangzhou"}),
    ] {
        let (s, replace) = plan(prior(), config(set.clone()));
        assert!(replace.is_empty(), "{set}: {replace:?}");
        assert_eq!(s, prior(), "{set}");
    }
}

#[test]
fn another_size_or_block_replaces_with_what_apply_will_tell() {
    let (s, replace) = plan(prior(), config(json!({"cidr_mask": 27})));
    assert_eq!(replace, vec![AttrPath::attr("cidr_mask")]);
    assert_eq!(s["cidr_block"], unknown());
    assert_eq!(s["id"], unknown());
    assert_eq!(s["status"], unknown());

    let (s, replace) = plan(prior(), config(json!({"cidr_block": "47.0.0.0/24"})));
    assert_eq!(
        replace,
        vec![AttrPath::attr("cidr_block"), AttrPath::attr("cidr_mask")]
    );
    assert_eq!(s["id"], format!("{POOL}:47.0.0.0/24"));
    assert_eq!(s["cidr_mask"], 24);

    let (s, _) = plan(prior(), config(json!({"cidr_block": unknown()})));
    assert_eq!((&s["cidr_mask"], &s["id"]), (&unknown(), &unknown()));
}

#[test]
fn another_pool_replaces_and_renews_the_allocated_block() {
    let mut c = config(json!({"cidr_mask": 28}));
    c["public_ip_address_pool_id"] = json!("pippool-other");
    let (s, replace) = plan(prior(), c);
    assert_eq!(replace, vec![AttrPath::attr("public_ip_address_pool_id")]);
    assert_eq!(s["cidr_block"], unknown());
    assert_eq!(s["id"], unknown());
    assert_eq!(s["cidr_mask"], 28);

    let mut c = config(json!({"cidr_block": "47.105.0.16/28"}));
    c["public_ip_address_pool_id"] = json!(unknown());
    let (s, _) = plan(prior(), c);
    assert_eq!(s["id"], unknown());
}

#[test]
fn a_changed_timeout_is_an_update_in_place() {
    let (s, replace) = plan(
        prior(),
        config(
            json!({"cidr_mask": 28, "timeouts": {"create": "10m", "read": null, "delete": null}}),
        ),
    );
    assert!(replace.is_empty());
    assert_eq!(s["cidr_block"], "47.105.0.16/28");
}

#[tokio::test]
async fn malformed_import_ids_name_both_forms() {
    let r = Typed::resource(CidrBlockResource::default());
    let bad = r.import(&env(), "pippool-abc123").await;
    assert!(bad.imported.is_empty());
    assert_eq!(bad.diagnostics.0[0].summary, "Invalid import ID");
    // A well-formed ID goes on to read the block, which needs a configured provider.
    let unconfigured = r
        .import(&env(), "cn-shanghai:pippool-abc:47.0.0.0/24")
        .await;
    assert_eq!(
        unconfigured.diagnostics.0[0].summary,
        "Provider not configured"
    );
}

#[test]
fn both_known_at_plan_time_is_refused_before_apply_creates_anything() {
    // Validation let `cidr_mask = var.mask` through while unknown; it is known now.
    let r = Typed::resource(CidrBlockResource::default());
    let both = config(json!({"cidr_block": "47.0.0.0/24", "cidr_mask": 24}));
    let p = r.plan(
        &env(),
        PlanRequest {
            prior: Dynamic(J::Null),
            proposed: Dynamic(both.clone()),
            config: Dynamic(both),
            prior_private: vec![],
        },
    );
    assert!(p.diagnostics.has_errors());
    assert_eq!(
        p.diagnostics.0[0].attribute,
        Some(AttrPath::attr("cidr_mask"))
    );
}
