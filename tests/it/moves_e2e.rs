//! `moved` blocks end to end: official states of every shape, moved with real terraform against
//! the emulator, and what the state holds afterwards.

use serde_json::{Value as J, json};

use super::common::emulator::Emulator;
use super::lifecycle::provider;
use super::moves::{
    OFFICIAL, Objects, REGION, create_official_objects, create_official_pools, official_state,
    setup, state_file,
};

/// The configuration the guide converts the official one into: our types, the same arguments,
/// and one `moved` block per object.
pub const CONVERTED: &str = r#"
resource "alicloudvpc_public_ip_address_pool" "pool" {
  public_ip_address_pool_name = "tf-pool"
  description                 = "managed by terraform"
  isp                         = "BGP"
  tags = {
    Environment = "test"
  }
}

resource "alicloudvpc_public_ip_address_pool_cidr_block" "masked" {
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.pool.id
  cidr_mask                 = 24
  timeouts {
    create = "10m"
  }
}

resource "alicloudvpc_public_ip_address_pool_cidr_block" "given" {
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.pool.id
  cidr_block                = "47.0.7.0/26"
}

moved {
  from = alicloud_vpc_public_ip_address_pool.pool
  to   = alicloudvpc_public_ip_address_pool.pool
}

moved {
  from = alicloud_vpc_public_ip_address_pool_cidr_block.masked
  to   = alicloudvpc_public_ip_address_pool_cidr_block.masked
}

moved {
  from = alicloud_vpc_public_ip_address_pool_cidr_block.given
  to   = alicloudvpc_public_ip_address_pool_cidr_block.given
}
"#;

/// Every attribute of `values` except those in `may_be_null` is set.
fn assert_filled(address: &str, values: &J, may_be_null: &[&str]) {
    for (k, v) in values.as_object().expect("values") {
        if !may_be_null.contains(&k.as_str()) {
            assert!(!v.is_null(), "{address}.{k} is null: {values}");
        }
    }
}

#[test]
fn moved_blocks_take_over_official_pools_and_blocks_without_a_write() {
    let emu = Emulator::start();
    let objects = create_official_objects(&emu);
    let pool_id = objects.pool["id"].as_str().expect("pool id").to_string();
    let masked_cidr = objects.masked["cidr_block"]
        .as_str()
        .expect("cidr")
        .to_string();
    let tf = setup(&emu, CONVERTED);
    tf.write("terraform.tfstate", &official_state(OFFICIAL, &objects));
    tf.init();
    emu.clear_requests();

    // Without a refresh, the moved state has no region yet: filled in, never a replacement.
    let out = tf.ok(&["plan", "-no-color", "-refresh=false"]);
    assert!(!out.contains("must be replaced"), "{out}");
    assert!(
        out.contains("Plan: 0 to add,") && out.contains(", 0 to destroy."),
        "{out}"
    );

    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 2, "moves count as changes: {out}");
    for (from, to) in [
        (
            "alicloud_vpc_public_ip_address_pool.pool",
            "alicloudvpc_public_ip_address_pool.pool",
        ),
        (
            "alicloud_vpc_public_ip_address_pool_cidr_block.masked",
            "alicloudvpc_public_ip_address_pool_cidr_block.masked",
        ),
        (
            "alicloud_vpc_public_ip_address_pool_cidr_block.given",
            "alicloudvpc_public_ip_address_pool_cidr_block.given",
        ),
    ] {
        assert!(
            out.contains(&format!("# {from} has moved to {to}")),
            "{out}"
        );
    }
    assert!(
        out.contains("Plan: 0 to add, 0 to change, 0 to destroy."),
        "{out}"
    );

    let out = tf.ok(&["apply", "-no-color", "-auto-approve"]);
    assert!(
        out.contains("Apply complete! Resources: 0 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let actions: Vec<String> = emu
        .requests()
        .iter()
        .map(|r| r["action"].as_str().unwrap_or("?").to_string())
        .collect();
    assert!(!actions.is_empty(), "the refresh reads the objects");
    assert!(
        actions.iter().all(|a| a.starts_with("List")),
        "only reads: {actions:?}"
    );

    let state = tf.state_json();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .expect("resources")
        .clone();
    assert_eq!(resources.len(), 3, "{resources:?}");
    let by = |address: &str| {
        let r = resources
            .iter()
            .find(|r| r["address"] == address)
            .unwrap_or_else(|| panic!("{address} in {resources:?}"));
        assert_eq!(
            r["provider_name"],
            "registry.terraform.io/local/alicloudvpc"
        );
        r["values"].clone()
    };
    let pool = by("alicloudvpc_public_ip_address_pool.pool");
    assert_filled("pool", &pool, &["timeouts"]);
    assert_eq!(
        (
            &pool["id"],
            &pool["public_ip_address_pool_id"],
            &pool["region_id"]
        ),
        (
            &J::from(pool_id.clone()),
            &J::from(pool_id.clone()),
            &J::from(REGION)
        )
    );
    assert_eq!(pool["total_ip_num"], 256 + 64);
    assert_eq!(pool["tags"], json!({"Environment": "test"}));
    let masked = by("alicloudvpc_public_ip_address_pool_cidr_block.masked");
    assert_filled("masked", &masked, &[]);
    assert_eq!(masked["id"], format!("{pool_id}:{masked_cidr}"));
    assert_eq!(
        (&masked["cidr_mask"], &masked["total_ip_num"]),
        (&json!(24), &json!(256))
    );
    assert_eq!(masked["timeouts"]["create"], "10m");
    let given = by("alicloudvpc_public_ip_address_pool_cidr_block.given");
    assert_filled("given", &given, &["timeouts"]);
    assert_eq!(
        (&given["cidr_block"], &given["cidr_mask"]),
        (&json!("47.0.7.0/26"), &json!(26))
    );
    assert_eq!(given["region_id"], REGION);

    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 0, "{out}");

    // Once applied, the state no longer names aliyun/alicloud: the guide's last step removes it.
    let raw = std::fs::read_to_string(tf.path("terraform.tfstate")).expect("state");
    assert!(!raw.contains("aliyun/alicloud"), "{raw}");
    tf.write(
        "main.tf",
        &format!(
            "{}\n{}\n{CONVERTED}",
            super::terraform_cli::HEADER,
            provider(&emu, "")
        ),
    );
    tf.ok(&["init", "-no-color", "-input=false"]);
    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 0, "{out}");
    let lock = std::fs::read_to_string(tf.path(".terraform.lock.hcl")).expect("lock file");
    assert!(!lock.contains("aliyun/alicloud"), "{lock}");
}

#[test]
fn states_of_the_first_releases_move_too_even_without_a_refresh() {
    let emu = Emulator::start();
    let o = create_official_objects(&emu);
    // v1.186.0 wrote six pool attributes; v1.189.0 five block attributes and no cidr_mask.
    let keep = |v: &J, names: &[&str]| -> J {
        names
            .iter()
            .map(|n| (n.to_string(), v[*n].clone()))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let old = Objects {
        pool: keep(
            &o.pool,
            &[
                "description",
                "id",
                "isp",
                "public_ip_address_pool_name",
                "status",
                "timeouts",
            ],
        ),
        masked: keep(
            &o.masked,
            &[
                "cidr_block",
                "id",
                "public_ip_address_pool_id",
                "status",
                "timeouts",
            ],
        ),
        given: keep(
            &o.given,
            &[
                "cidr_block",
                "id",
                "public_ip_address_pool_id",
                "status",
                "timeouts",
            ],
        ),
    };
    let tf = setup(&emu, CONVERTED);
    tf.write("terraform.tfstate", &official_state(OFFICIAL, &old));
    tf.init();
    emu.clear_requests();
    let out = tf.ok(&["apply", "-no-color", "-auto-approve", "-refresh=false"]);
    assert!(!out.contains("must be replaced"), "{out}");
    assert!(
        out.contains("Resources: 0 added,") && out.contains(", 0 destroyed."),
        "{out}"
    );
    // Unrefreshed, a v1.186.0 state knows no tags, so the configured ones are set again (an
    // in-place update); nothing is created, deleted or replaced.
    let actions: Vec<String> = emu
        .requests()
        .iter()
        .map(|r| r["action"].as_str().unwrap_or("?").to_string())
        .collect();
    assert!(
        actions
            .iter()
            .all(|a| a.starts_with("List") || a == "TagResources"),
        "{actions:?}"
    );
    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 0, "{out}");
    // The first refresh that is kept fills in what the old state lacked.
    tf.ok(&["apply", "-no-color", "-auto-approve", "-refresh-only"]);
    let state = tf.state_json();
    for r in state["values"]["root_module"]["resources"]
        .as_array()
        .expect("resources")
    {
        assert_eq!(r["values"]["region_id"], REGION, "{r}");
        assert!(!r["values"]["total_ip_num"].is_null(), "{r}");
    }
}

#[test]
fn one_moved_block_moves_every_instance_of_a_for_each_resource() {
    let emu = Emulator::start();
    let pools = create_official_pools(&emu, &["a", "b"]);
    let instances: Vec<J> = ["a", "b"]
        .iter()
        .zip(&pools)
        .map(|(key, attrs)| {
            json!({
                "index_key": key,
                "schema_version": 0,
                "attributes": attrs,
                "sensitive_attributes": [],
            })
        })
        .collect();
    let state = state_file(&[json!({
        "mode": "managed",
        "type": "alicloud_vpc_public_ip_address_pool",
        "name": "pools",
        "provider": format!("provider[\"{OFFICIAL}\"]"),
        "instances": instances,
    })]);
    let body = r#"
resource "alicloudvpc_public_ip_address_pool" "pools" {
  for_each                    = toset(["a", "b"])
  public_ip_address_pool_name = each.key
  description                 = "managed by terraform"
  isp                         = "BGP"
  tags = {
    Environment = "test"
  }
}

moved {
  from = alicloud_vpc_public_ip_address_pool.pools
  to   = alicloudvpc_public_ip_address_pool.pools
}
"#;
    let tf = setup(&emu, body);
    tf.write("terraform.tfstate", &state);
    tf.init();
    let out = tf.ok(&["apply", "-no-color", "-auto-approve"]);
    for key in ["a", "b"] {
        assert!(
            out.contains(&format!("# alicloud_vpc_public_ip_address_pool.pools[\"{key}\"] has moved to alicloudvpc_public_ip_address_pool.pools[\"{key}\"]")),
            "{out}"
        );
    }
    assert!(
        out.contains("Resources: 0 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 0, "{out}");
}
