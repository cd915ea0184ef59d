//! The resource and data source end to end: real terraform, the emulator, a fresh work dir each.

use super::common::Tf;
use super::common::emulator::{Emulator, OTHER_ACCOUNT, OTHER_KEY, OTHER_SECRET};
use super::terraform_cli::HEADER;

pub const DEMO_ACCOUNT: &str = "1234567890123456";
pub const OPEN: &str = "OpenPublicIpAddressPoolService";
pub const STATUS: &str = "GetPublicIpAddressPoolServiceStatus";
pub const ADDR: &str = "alicloudvpc_public_ip_address_pool_service.this";

/// A provider block for the emulator's demo account, with `extra` lines inside it.
pub fn provider(emu: &Emulator, extra: &str) -> String {
    format!(
        "provider \"alicloudvpc\" {{\n  region     = \"cn-hangzhou\"\n  access_key = \"emulator-access-key\"\n  secret_key = \"emulator-secret-key\"\n{extra}\n  endpoints {{\n    vpc = \"{}\"\n    sts = \"{}\"\n  }}\n}}\n",
        emu.url, emu.url
    )
}

pub fn setup(emu: &Emulator, body: &str) -> Tf {
    let tf = Tf::new(&format!("{HEADER}\n{}\n{body}", provider(emu, "")));
    tf.init();
    tf
}

fn resource_values(tf: &Tf) -> serde_json::Value {
    let state = tf.state_json();
    state["values"]["root_module"]["resources"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["address"] == ADDR))
        .map(|r| r["values"].clone())
        .unwrap_or(serde_json::Value::Null)
}

const RESOURCE: &str = "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {}\n";

#[test]
fn apply_activates_once_and_then_converges() {
    let emu = Emulator::start();
    let tf = setup(&emu, RESOURCE);
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("Apply complete! Resources: 1 added"), "{out}");
    assert_eq!(emu.count(OPEN), 1, "exactly one Open: {:?}", emu.requests());
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-hangzhou"));
    let v = resource_values(&tf);
    assert_eq!(v["id"], "cn-hangzhou");
    assert_eq!(v["region_id"], "cn-hangzhou");
    assert_eq!(v["enabled"], true);

    assert_eq!(tf.code(&["plan", "-detailed-exitcode", "-no-color"]).0, 0);
    assert_eq!(
        tf.code(&["plan", "-refresh=false", "-detailed-exitcode", "-no-color"])
            .0,
        0
    );
    let out = tf.ok(&["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    assert!(out.contains("No changes"), "{out}");
    assert_eq!(emu.count(OPEN), 1, "no further Open");
}

#[test]
fn an_active_feature_is_adopted_without_open() {
    let emu = Emulator::start();
    emu.set_enabled(DEMO_ACCOUNT, "cn-hangzhou", true);
    let tf = setup(&emu, RESOURCE);
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(emu.count(OPEN), 0);
    assert_eq!(resource_values(&tf)["enabled"], true);
}

#[test]
fn drift_plans_a_create_and_apply_restores_it() {
    let emu = Emulator::start();
    let tf = setup(&emu, RESOURCE);
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    emu.set_enabled(DEMO_ACCOUNT, "cn-hangzhou", false);
    let (code, out) = tf.code(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("will be created"), "{out}");
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-hangzhou"));
    assert_eq!(emu.count(OPEN), 2);
}

#[test]
fn import_by_command_and_by_block_then_nothing_to_do() {
    let emu = Emulator::start();
    emu.set_enabled(DEMO_ACCOUNT, "cn-shanghai", true);
    let body = "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {\n  region_id = \"cn-shanghai\"\n}\n";
    let tf = setup(&emu, body);
    let out = tf.ok(&["import", "-no-color", ADDR, "cn-shanghai"]);
    assert!(out.contains("Import successful"), "{out}");
    assert_eq!(tf.code(&["plan", "-detailed-exitcode", "-no-color"]).0, 0);
    assert_eq!(resource_values(&tf)["enabled"], true);

    emu.set_enabled(DEMO_ACCOUNT, "cn-shenzhen", true);
    let block = format!(
        "import {{\n  to = {ADDR}\n  id = \"cn-shenzhen\"\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{\n  region_id = \"cn-shenzhen\"\n}}\n"
    );
    let tf = setup(&emu, &block);
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("1 imported"), "{out}");
    assert_eq!(tf.code(&["plan", "-detailed-exitcode", "-no-color"]).0, 0);
    assert_eq!(emu.count(OPEN), 0, "importing never activates");
}

#[test]
fn importing_a_region_without_the_feature_fails_with_a_hint() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {\n  region_id = \"cn-qingdao\"\n}\n",
    );
    let out = tf.fails(&["import", "-no-color", ADDR, "cn-qingdao"]);
    assert!(
        out.contains("Cannot import non-existent remote object"),
        "{out}"
    );
    assert!(out.contains("not active in cn-qingdao"), "{out}");
    assert!(
        out.contains("terraform apply"),
        "the hint says what to do: {out}"
    );
    let out = tf.fails(&["import", "-no-color", ADDR, "Qingdao"]);
    assert!(out.contains("Invalid import ID"), "{out}");
}

#[test]
fn destroy_warns_forgets_and_leaves_the_feature_active() {
    let emu = Emulator::start();
    let tf = setup(&emu, RESOURCE);
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let out = tf.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(
        out.contains("Warning: The IP address pool feature stays active"),
        "{out}"
    );
    assert!(
        out.contains("Destroy complete! Resources: 1 destroyed"),
        "{out}"
    );
    assert_eq!(tf.ok(&["state", "list"]).trim(), "");
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-hangzhou"));
}

#[test]
fn changing_region_id_replaces() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {\n  region_id = \"cn-hangzhou\"\n}\n",
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let main = std::fs::read_to_string(tf.path("main.tf"))
        .expect("main.tf")
        .replace("region_id = \"cn-hangzhou\"", "region_id = \"cn-beijing\"");
    tf.write("main.tf", &main);
    let (code, out) = tf.code(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("must be replaced") && out.contains("forces replacement"),
        "{out}"
    );
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("1 added, 0 changed, 1 destroyed"), "{out}");
    assert_eq!(resource_values(&tf)["region_id"], "cn-beijing");
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-beijing") && emu.enabled(DEMO_ACCOUNT, "cn-hangzhou"));
}

#[test]
fn timeouts_change_in_place_without_api_calls() {
    let emu = Emulator::start();
    let tf = setup(&emu, RESOURCE);
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    tf.write("main.tf", &format!(
        "{HEADER}\n{}\nresource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{\n  timeouts {{\n    create = \"20m\"\n  }}\n}}\n",
        provider(&emu, "")
    ));
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("0 added, 1 changed, 0 destroyed"), "{out}");
    assert_eq!(emu.count(OPEN), 1);
    assert_eq!(resource_values(&tf)["timeouts"]["create"], "20m");
}

#[test]
fn waits_for_a_slow_activation_and_the_data_source_sees_it() {
    let emu = Emulator::start_with(&["--activation-delay", "2500"]);
    let tf = setup(
        &emu,
        &format!(
            "{RESOURCE}\ndata \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{\n  depends_on = [{ADDR}]\n}}\n\noutput \"enabled\" {{\n  value = data.alicloudvpc_public_ip_address_pool_service.this.enabled\n}}\n"
        ),
    );
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("enabled = true"), "{out}");
    assert!(
        emu.count(STATUS) >= 3,
        "polled until enabled: {:?}",
        emu.requests()
    );
    assert_eq!(emu.count(OPEN), 1);
}

#[test]
fn for_each_regions_and_two_accounts_in_one_apply() {
    let emu = Emulator::start();
    let other = format!(
        "provider \"alicloudvpc\" {{\n  alias      = \"other\"\n  region     = \"cn-hangzhou\"\n  access_key = \"{OTHER_KEY}\"\n  secret_key = \"{OTHER_SECRET}\"\n  endpoints {{\n    vpc = \"{}\"\n  }}\n}}\n",
        emu.url
    );
    let body = format!(
        "{other}\nresource \"alicloudvpc_public_ip_address_pool_service\" \"main\" {{\n  for_each  = toset([\"cn-hangzhou\", \"cn-beijing\", \"cn-shanghai\"])\n  region_id = each.key\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_service\" \"other\" {{\n  provider  = alicloudvpc.other\n  for_each  = toset([\"cn-hangzhou\", \"ap-southeast-1\"])\n  region_id = each.key\n}}\n"
    );
    let tf = setup(&emu, &body);
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("5 added"), "{out}");
    for r in ["cn-hangzhou", "cn-beijing", "cn-shanghai"] {
        assert!(emu.enabled(DEMO_ACCOUNT, r), "{r}");
    }
    for r in ["cn-hangzhou", "ap-southeast-1"] {
        assert!(emu.enabled(OTHER_ACCOUNT, r), "{r}");
    }
    assert!(!emu.enabled(OTHER_ACCOUNT, "cn-beijing"));
    let opens: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r["action"] == OPEN)
        .collect();
    assert_eq!(opens.len(), 5, "{opens:?}");
    assert_eq!(
        opens
            .iter()
            .filter(|r| r["access_key_id"] == OTHER_KEY)
            .count(),
        2
    );
    assert!(
        opens.iter().all(|r| r["code"].is_null()),
        "no conflict reached anyone: {opens:?}"
    );
    assert_eq!(tf.code(&["plan", "-detailed-exitcode", "-no-color"]).0, 0);
}

#[test]
fn a_plan_of_many_resources_reads_each_region_once() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {\n  count = 20\n}\n\nresource \"alicloudvpc_public_ip_address_pool_service\" \"bj\" {\n  count     = 5\n  region_id = \"cn-beijing\"\n}\n",
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(emu.count(OPEN), 2, "one Open per region");
    // Per region: one status read before the Open and one poll after it; the other resources
    // of the region find it enabled in the process and make no call.
    assert_eq!(
        emu.count(STATUS),
        4,
        "the minimum of status calls: {:?}",
        emu.requests()
    );
    emu.clear_requests();
    assert_eq!(tf.code(&["plan", "-detailed-exitcode", "-no-color"]).0, 0);
    let reqs = emu.requests();
    assert_eq!(reqs.len(), 2, "one status call per region: {reqs:?}");
    assert!(reqs.iter().all(|r| r["action"] == STATUS));
}
