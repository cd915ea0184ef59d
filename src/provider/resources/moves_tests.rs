//! The conversions against states as the official provider writes them, one per shape its
//! releases produce: pools of v1.186.0, v1.204.1 and v1.227.1 (just created, refreshed,
//! imported), CIDR blocks of v1.189.0, v1.207.0 and v1.219.0.

use serde_json::{Value as J, json};

use super::*;
use crate::provider::dispatch::{MoveSource, Typed};
use crate::provider::interface::Resource;
use crate::provider::resources::public_ip_address_pool::PoolResource;
use crate::provider::resources::public_ip_address_pool_cidr_block::CidrBlockResource;

/// Our pool schema's attributes (`shared/spec/pools.md`), in schema order.
const POOL_ATTRS: &[&str] = &[
    "id",
    "region_id",
    "public_ip_address_pool_name",
    "description",
    "isp",
    "biz_type",
    "zones",
    "security_protection_types",
    "resource_group_id",
    "tags",
    "public_ip_address_pool_id",
    "status",
    "create_time",
    "total_ip_num",
    "used_ip_num",
    "ip_address_remaining",
    "user_type",
    "share_type",
    "business_status",
    "timeouts",
];

const BLOCK_ATTRS: &[&str] = &[
    "id",
    "region_id",
    "public_ip_address_pool_id",
    "cidr_block",
    "cidr_mask",
    "status",
    "create_time",
    "total_ip_num",
    "used_ip_num",
    "timeouts",
];

fn keys(v: &J) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut k: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    k.sort();
    k
}

/// v1.227.1 and later, after a refresh (the research file's example state).
fn latest_pool() -> J {
    json!({
        "biz_type": "Default",
        "create_time": "2025-03-04T06:21:15Z",
        "description": "managed by terraform",
        "id": "pippool-6wetvn6fumkgycssx1a2b",
        "ip_address_remaining": true,
        "isp": "BGP",
        "public_ip_address_pool_id": "pippool-6wetvn6fumkgycssx1a2b",
        "public_ip_address_pool_name": "tf-pool",
        "resource_group_id": "rg-acfmxazb4ph6aiy",
        "security_protection_types": [],
        "status": "Created",
        "tags": {"Environment": "test"},
        "timeouts": null,
        "total_ip_num": 256,
        "used_ip_num": 0
    })
}

#[test]
fn latest_pool_state_keeps_every_value() {
    let got = pool_from_official(&latest_pool()).expect("converts");
    assert_eq!(keys(&got), sorted(POOL_ATTRS));
    assert_eq!(
        got,
        json!({
            "id": "pippool-6wetvn6fumkgycssx1a2b",
            "region_id": null,
            "public_ip_address_pool_name": "tf-pool",
            "description": "managed by terraform",
            "isp": "BGP",
            "biz_type": "Default",
            "zones": null,
            "security_protection_types": [],
            "resource_group_id": "rg-acfmxazb4ph6aiy",
            "tags": {"Environment": "test"},
            "public_ip_address_pool_id": "pippool-6wetvn6fumkgycssx1a2b",
            "status": "Created",
            "create_time": "2025-03-04T06:21:15Z",
            "total_ip_num": 256,
            "used_ip_num": 0,
            "ip_address_remaining": true,
            "user_type": null,
            "share_type": null,
            "business_status": null,
            "timeouts": null,
        })
    );
}

#[test]
fn first_release_pool_state_has_nulls_for_later_attributes() {
    // v1.186.0 to v1.204.0: six attributes; unset optional strings are "".
    let v186 = json!({
        "description": "",
        "id": "pippool-old",
        "isp": "BGP",
        "public_ip_address_pool_name": "old",
        "status": "Created",
        "timeouts": {"create": "10m", "delete": null, "update": null}
    });
    let got = pool_from_official(&v186).expect("converts");
    assert_eq!(keys(&got), sorted(POOL_ATTRS));
    assert_eq!(got["public_ip_address_pool_id"], "pippool-old");
    assert_eq!(got["description"], J::Null);
    assert_eq!(got["public_ip_address_pool_name"], "old");
    for later in [
        "create_time",
        "total_ip_num",
        "used_ip_num",
        "ip_address_remaining",
        "resource_group_id",
        "tags",
        "biz_type",
        "security_protection_types",
    ] {
        assert_eq!(got[later], J::Null, "{later}");
    }
    assert_eq!(
        got["timeouts"],
        json!({"create": "10m"}),
        "null entries are left to the schema fit"
    );
}

#[test]
fn pool_collections_just_created_imported_and_hand_edited() {
    // Just created without tags: null; after a refresh or an import: {} and [].
    let mut created = latest_pool();
    created["tags"] = J::Null;
    created["security_protection_types"] = J::Null;
    let got = pool_from_official(&created).expect("converts");
    assert_eq!(
        (&got["tags"], &got["security_protection_types"]),
        (&J::Null, &J::Null)
    );
    let mut imported = latest_pool();
    imported["tags"] = json!({});
    imported["security_protection_types"] = json!(["b", "a", "b"]);
    let got = pool_from_official(&imported).expect("converts");
    assert_eq!(
        got["tags"],
        J::Null,
        "no tags is null, as our Read reports it"
    );
    assert_eq!(got["security_protection_types"], json!(["a", "b"]), "a set");
    // Numbers and bools written as strings (hand-edited or the legacy SDK's text form).
    let mut text = latest_pool();
    text["total_ip_num"] = json!("256");
    text["ip_address_remaining"] = json!("false");
    text["id"] = json!(" pippool-6wetvn6fumkgycssx1a2b ");
    let got = pool_from_official(&text).expect("converts");
    assert_eq!(got["total_ip_num"], 256);
    assert_eq!(got["ip_address_remaining"], false);
    assert_eq!(got["id"], "pippool-6wetvn6fumkgycssx1a2b");
    // A region in the state (none of the official releases has one) is kept.
    let mut regional = latest_pool();
    regional["region_id"] = json!("cn-shanghai");
    assert_eq!(
        pool_from_official(&regional).expect("converts")["region_id"],
        "cn-shanghai"
    );
}

#[test]
fn latest_cidr_block_state_gets_its_mask_from_the_block() {
    let v219 = json!({
        "cidr_block": "47.118.126.0/24",
        "cidr_mask": 24,
        "create_time": "2025-03-04T06:22:40Z",
        "id": "pippool-6wetvn6fumkgycssx1a2b:47.118.126.0/24",
        "public_ip_address_pool_id": "pippool-6wetvn6fumkgycssx1a2b",
        "status": "Created",
        "timeouts": {"create": "10m", "delete": null, "update": null}
    });
    let got = cidr_block_from_official(&v219).expect("converts");
    assert_eq!(keys(&got), sorted(BLOCK_ATTRS));
    assert_eq!(
        got,
        json!({
            "id": "pippool-6wetvn6fumkgycssx1a2b:47.118.126.0/24",
            "region_id": null,
            "public_ip_address_pool_id": "pippool-6wetvn6fumkgycssx1a2b",
            "cidr_block": "47.118.126.0/24",
            "cidr_mask": 24,
            "status": "Created",
            "create_time": "2025-03-04T06:22:40Z",
            "total_ip_num": null,
            "used_ip_num": null,
            "timeouts": {"create": "10m"},
        })
    );
}

#[test]
fn older_cidr_block_states() {
    // v1.189.0 to v1.206.x: no cidr_mask, no create_time.
    let v189 = json!({
        "cidr_block": "47.0.0.0/26",
        "id": "pippool-a:47.0.0.0/26",
        "public_ip_address_pool_id": "pippool-a",
        "status": "Created",
        "timeouts": null
    });
    let got = cidr_block_from_official(&v189).expect("converts");
    assert_eq!(
        got["cidr_mask"], 26,
        "from the block when the state has none"
    );
    assert_eq!(got["create_time"], J::Null);
    // A stored cidr_mask that disagrees with the block: the block is the truth.
    let mut odd = v189.clone();
    odd["cidr_mask"] = json!(24);
    assert_eq!(
        cidr_block_from_official(&odd).expect("converts")["cidr_mask"],
        26
    );
    // The ID wins over attributes that disagree (v1.219.0 and later rewrite them from it).
    let mut stale = v189.clone();
    stale["public_ip_address_pool_id"] = json!("pippool-other");
    let got = cidr_block_from_official(&stale).expect("converts");
    assert_eq!(got["public_ip_address_pool_id"], "pippool-a");
    // An ID without the separator: the attributes name the block.
    let mut bare = v189;
    bare["id"] = json!("something");
    let got = cidr_block_from_official(&bare).expect("converts");
    assert_eq!(got["id"], "pippool-a:47.0.0.0/26");
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
fn conversions_produce_exactly_the_resources_schemas() {
    assert_eq!(schema_names(&PoolResource), sorted(POOL_ATTRS));
    assert_eq!(
        schema_names(&CidrBlockResource::default()),
        sorted(BLOCK_ATTRS)
    );
}

fn moved(r: Box<dyn crate::provider::dispatch::AnyResource>, ty: &str, state: J) -> J {
    let source = MoveSource {
        provider_address: "registry.terraform.io/aliyun/alicloud".into(),
        type_name: ty.into(),
        schema_version: 0,
        state_json: state,
    };
    r.move_state(&source).expect("moves").0
}

#[test]
fn moves_decode_into_the_resources_states() {
    let pool = moved(Typed::resource(PoolResource), OFFICIAL_POOL, latest_pool());
    assert_eq!(pool["timeouts"], J::Null);
    assert_eq!(pool["tags"], json!({"Environment": "test"}));
    let mut with_timeouts = latest_pool();
    with_timeouts["timeouts"] = json!({"create": "10m", "delete": null, "update": "1m"});
    let pool = moved(Typed::resource(PoolResource), OFFICIAL_POOL, with_timeouts);
    assert_eq!(
        pool["timeouts"],
        json!({"create": "10m", "read": null, "update": "1m", "delete": null})
    );
    let block = json!({
        "cidr_block": "47.0.0.0/24", "id": "pippool-a:47.0.0.0/24", "public_ip_address_pool_id": "pippool-a",
        "status": "Created", "timeouts": {"create": "10m", "delete": "2m", "update": "3m"}
    });
    let block = moved(
        Typed::resource(CidrBlockResource::default()),
        OFFICIAL_CIDR_BLOCK,
        block,
    );
    assert_eq!(block["cidr_mask"], 24);
    assert_eq!(
        block["timeouts"],
        json!({"create": "10m", "read": null, "delete": "2m"}),
        "our block has no update"
    );
}

#[test]
fn the_sources_name_both_registry_addresses() {
    for m in POOL_SOURCES.iter().chain(CIDR_BLOCK_SOURCES) {
        assert_eq!(m.providers, ["aliyun/alicloud", "hashicorp/alicloud"]);
        assert_eq!(m.max_schema_version, 0);
    }
    assert_eq!(POOL_SOURCES[0].type_name, OFFICIAL_POOL);
    assert_eq!(CIDR_BLOCK_SOURCES[0].type_name, OFFICIAL_CIDR_BLOCK);
}
