//! Collections that are partly unknown, as ordinary configurations make them: a tag value from
//! `count.index` (unknown at validate), list elements and tag values from a resource created in
//! the same apply (unknown at plan), through `count`, `for_each` and a module, and data-source
//! filters that name objects not created yet. Real terraform against the emulator: validate,
//! plan, apply, then an empty plan (`src/provider/registry/tests.rs` covers every collection
//! of every type through the dispatcher).

use serde_json::Value as J;

use super::common::Tf;
use super::common::emulator::Emulator;
use super::lifecycle::provider;
use super::terraform_cli::HEADER;

/// A module with a pool whose collections come from its variables.
const MODULE: &str = r#"terraform {
  required_providers {
    alicloudvpc = {
      source = "local/alicloudvpc"
    }
  }
}

variable "name" {
  type = string
}

variable "group" {
  type = string
}

variable "protection" {
  type = list(string)
}

resource "alicloudvpc_public_ip_address_pool" "this" {
  public_ip_address_pool_name = var.name
  isp                         = "BGP"
  security_protection_types   = var.protection
  tags = {
    group = var.group
    name  = var.name
  }
}

output "id" {
  value = alicloudvpc_public_ip_address_pool.this.id
}
"#;

/// `terraform_data.later.output` is unknown until apply creates it.
const ROOT: &str = r#"
resource "terraform_data" "later" {
  input = "AntiDDoS_Enhanced"
}

resource "terraform_data" "zone" {
  input = "cn-hangzhou-cb-a"
}

resource "alicloudvpc_public_ip_address_pool_service" "s" {}

resource "alicloudvpc_public_ip_address_pool" "counted" {
  count                       = 2
  public_ip_address_pool_name = "counted-${count.index}"
  tags = {
    group = count.index % 2 == 0 ? "even" : "odd"
    ref   = terraform_data.later.output
  }
  depends_on = [alicloudvpc_public_ip_address_pool_service.s]
}

resource "alicloudvpc_public_ip_address_pool" "each" {
  for_each                    = toset(["a", "b"])
  public_ip_address_pool_name = "each-${each.key}"
  isp                         = "BGP"
  security_protection_types   = [terraform_data.later.output]
  tags                        = { key = each.key }
  depends_on                  = [alicloudvpc_public_ip_address_pool_service.s]
}

resource "alicloudvpc_public_ip_address_pool" "cloudbox" {
  biz_type   = "CloudBox"
  zones      = [terraform_data.zone.output]
  depends_on = [alicloudvpc_public_ip_address_pool_service.s]
}

module "m" {
  source     = "./pool"
  name       = "in-module"
  group      = terraform_data.later.output
  protection = [terraform_data.later.output]
  depends_on = [alicloudvpc_public_ip_address_pool_service.s]
}

resource "alicloudvpc_public_ip_address_pool_cidr_block" "b" {
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.counted[0].id
  cidr_mask                 = 28
}

data "alicloudvpc_public_ip_address_pools" "picked" {
  ids  = [alicloudvpc_public_ip_address_pool.counted[0].id, module.m.id]
  tags = { ref = terraform_data.later.output }
}

data "alicloudvpc_public_ip_address_pools" "by_key" {
  tags = { key = alicloudvpc_public_ip_address_pool.each["b"].tags["key"] }
}

data "alicloudvpc_public_ip_address_pool_cidr_blocks" "blocks" {
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.counted[0].id
  ids                       = [alicloudvpc_public_ip_address_pool_cidr_block.b.id]
}

resource "alicloudvpc_eip_address" "later" {
  bandwidth                 = 2
  security_protection_types = [terraform_data.later.output]
  tags                      = { ref = terraform_data.later.output }
}

data "alicloudvpc_eip_addresses" "picked" {
  ids          = [alicloudvpc_eip_address.later.id]
  ip_addresses = [alicloudvpc_eip_address.later.ip_address]
  tags         = { ref = terraform_data.later.output }
}

output "eips" {
  value = data.alicloudvpc_eip_addresses.picked.ids
}

output "picked" {
  value = data.alicloudvpc_public_ip_address_pools.picked.ids
}

output "by_key" {
  value = data.alicloudvpc_public_ip_address_pools.by_key.ids
}

output "blocks" {
  value = data.alicloudvpc_public_ip_address_pool_cidr_blocks.blocks.ids
}
"#;

/// The `values` of the resource at `address` in the state.
fn values(state: &J, address: &str) -> J {
    let root = &state["values"]["root_module"];
    let mut all: Vec<&J> = root["resources"].as_array().into_iter().flatten().collect();
    for m in root["child_modules"].as_array().into_iter().flatten() {
        all.extend(m["resources"].as_array().into_iter().flatten());
    }
    all.into_iter()
        .find(|r| r["address"] == address)
        .map(|r| r["values"].clone())
        .unwrap_or_else(|| panic!("{address} not in state: {state}"))
}

fn output(tf: &Tf, name: &str) -> J {
    serde_json::from_str(&tf.ok(&["output", "-json", name])).expect("output json")
}

#[test]
fn count_for_each_modules_and_later_values_plan_apply_and_converge() {
    let emu = Emulator::start();
    let tf = Tf::new(&format!("{HEADER}\n{}\n{ROOT}", provider(&emu, "")));
    std::fs::create_dir_all(tf.path("pool")).expect("module dir");
    tf.write("pool/main.tf", MODULE);
    tf.init();

    tf.ok(&["validate", "-no-color"]);
    let plan = tf.ok(&["plan", "-no-color", "-out", "tfplan"]);
    assert!(plan.contains("11 to add"), "{plan}");
    // The unknown tag value stays where the configuration has it, beside the known one.
    let shown: J = serde_json::from_str(&tf.ok(&["show", "-json", "tfplan"])).expect("plan json");
    let change = shown["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["address"] == "alicloudvpc_public_ip_address_pool.counted[1]")
        .expect("counted[1] planned");
    assert_eq!(
        change["change"]["after"]["tags"]["group"], "odd",
        "{change}"
    );
    assert_eq!(
        change["change"]["after_unknown"]["tags"]["ref"], true,
        "{change}"
    );

    tf.ok(&["apply", "-no-color", "tfplan"]);
    let (c, out) = tf.code(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(c, 0, "the second plan should be empty: {out}");

    let state = tf.state_json();
    let counted = values(&state, "alicloudvpc_public_ip_address_pool.counted[0]");
    assert_eq!(counted["tags"]["group"], "even");
    assert_eq!(counted["tags"]["ref"], "AntiDDoS_Enhanced");
    let each = values(&state, "alicloudvpc_public_ip_address_pool.each[\"a\"]");
    assert_eq!(
        each["security_protection_types"],
        serde_json::json!(["AntiDDoS_Enhanced"])
    );
    let cloudbox = values(&state, "alicloudvpc_public_ip_address_pool.cloudbox");
    assert_eq!(cloudbox["zones"], serde_json::json!(["cn-hangzhou-cb-a"]));
    let module = values(&state, "module.m.alicloudvpc_public_ip_address_pool.this");
    assert_eq!(module["tags"]["group"], "AntiDDoS_Enhanced");

    // The filters, resolved at apply: of the two IDs only counted[0] has the tag `ref`.
    assert_eq!(output(&tf, "picked"), serde_json::json!([counted["id"]]));
    let b = values(&state, "alicloudvpc_public_ip_address_pool.each[\"b\"]");
    assert_eq!(output(&tf, "by_key"), serde_json::json!([b["id"]]));
    let block = values(&state, "alicloudvpc_public_ip_address_pool_cidr_block.b");
    assert_eq!(output(&tf, "blocks"), serde_json::json!([block["id"]]));

    let eip = values(&state, "alicloudvpc_eip_address.later");
    assert_eq!(
        eip["security_protection_types"],
        serde_json::json!(["AntiDDoS_Enhanced"])
    );
    assert_eq!(eip["tags"]["ref"], "AntiDDoS_Enhanced");
    assert_eq!(output(&tf, "eips"), serde_json::json!([eip["id"]]));

    tf.ok(&["destroy", "-auto-approve", "-no-color"]);
}
