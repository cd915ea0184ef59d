//! `alicloudvpc_public_ip_address_pool` end to end: real terraform against the emulator, a fresh
//! work dir per test.

use serde_json::json;

use super::common::emulator::Emulator;
use super::common::pool_api::DEMO_ACCOUNT;
use super::lifecycle::setup;

const ADDR: &str = "alicloudvpc_public_ip_address_pool.this";
const LIST: &str = "ListPublicIpAddressPools";
const CREATE: &str = "CreatePublicIpAddressPool";

fn pool_config(name: &str, description: &str, tags: &str, extra: &str) -> String {
    format!(
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{}}\n\nresource \"alicloudvpc_public_ip_address_pool\" \"this\" {{\n  public_ip_address_pool_name = \"{name}\"\n  description                 = \"{description}\"\n  tags                        = {tags}\n{extra}\n  depends_on = [alicloudvpc_public_ip_address_pool_service.this]\n}}\n"
    )
}

#[test]
fn create_then_update_in_place_each_time_with_an_empty_plan_after() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        &pool_config("web", "first", "{ env = \"prod\", team = \"net\" }", ""),
    );
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("2 added"), "{out}");
    let v = tf.values(ADDR);
    let id = v["id"].as_str().expect("id").to_string();
    assert!(id.starts_with("pippool-"), "{v}");
    assert_eq!(v["public_ip_address_pool_id"], id.as_str());
    assert_eq!(v["status"], "Created");
    assert_eq!(v["isp"], "BGP");
    assert_eq!(v["region_id"], "cn-hangzhou");
    tf.plan_is_empty();

    tf.write(
        "main.tf",
        &std::fs::read_to_string(tf.path("main.tf"))
            .expect("config")
            .replace(
                &pool_config("web", "first", "{ env = \"prod\", team = \"net\" }", ""),
                &pool_config(
                    "web-2",
                    "second",
                    "{ env = \"staging\", owner = \"ops\" }",
                    "  resource_group_id           = \"rg-acfm2example\"",
                ),
            ),
    );
    let (c, plan) = tf.code(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(c, 2, "{plan}");
    assert!(
        plan.contains("1 to change, 0 to destroy"),
        "in place: {plan}"
    );
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("1 changed"), "{out}");
    let v = tf.values(ADDR);
    assert_eq!(v["id"], id.as_str(), "the same pool");
    assert_eq!(v["public_ip_address_pool_name"], "web-2");
    assert_eq!(v["tags"], json!({"env": "staging", "owner": "ops"}));
    assert_eq!(v["resource_group_id"], "rg-acfm2example");
    assert_eq!(emu.count("UnTagResources"), 1, "team removed");
    assert_eq!(emu.count("MoveResourceGroup"), 1);
    tf.plan_is_empty();
}

#[test]
fn a_region_without_the_feature_names_the_service_resource_and_depends_on() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool\" \"this\" {\n  region_id = \"cn-beijing\"\n}\n",
    );
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("IP address pool feature not active"), "{out}");
    assert!(
        out.contains("alicloudvpc_public_ip_address_pool_service"),
        "{out}"
    );
    assert!(out.contains("depends_on"), "{out}");
    assert!(out.contains("RequestId"), "{out}");
}

#[test]
fn import_by_command_and_block_in_both_id_forms_then_nothing_to_do() {
    let emu = Emulator::start();
    let shanghai = emu.create_pool("cn-shanghai", "imported", &[("env", "prod")]);
    let body = "resource \"alicloudvpc_public_ip_address_pool\" \"this\" {\n  region_id                   = \"cn-shanghai\"\n  public_ip_address_pool_name = \"imported\"\n  tags                        = { env = \"prod\" }\n}\n";
    let tf = setup(&emu, body);
    let out = tf.ok(&[
        "import",
        "-no-color",
        ADDR,
        &format!("cn-shanghai:{shanghai}"),
    ]);
    assert!(out.contains("Import successful"), "{out}");
    tf.plan_is_empty();

    let hangzhou = emu.create_pool("cn-hangzhou", "", &[]);
    let tf = setup(
        &emu,
        &format!(
            "import {{\n  to = {ADDR}\n  id = \"{hangzhou}\"\n}}\n\nresource \"alicloudvpc_public_ip_address_pool\" \"this\" {{}}\n"
        ),
    );
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("1 imported"), "{out}");
    tf.plan_is_empty();
    assert_eq!(emu.count(CREATE), 2, "only the two set-up creates");
}

#[test]
fn importing_a_missing_or_malformed_id_says_what_is_accepted() {
    let emu = Emulator::start();
    emu.set_enabled(DEMO_ACCOUNT, "cn-hangzhou", true);
    let tf = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool\" \"this\" {}\n",
    );
    let out = tf.fails(&["import", "-no-color", ADDR, "pippool-doesnotexist"]);
    assert!(
        out.contains("Cannot import non-existent remote object"),
        "{out}"
    );
    assert!(
        out.contains("There is no pool pippool-doesnotexist in cn-hangzhou"),
        "{out}"
    );
    let out = tf.fails(&["import", "-no-color", ADDR, "my-pool"]);
    assert!(out.contains("Invalid import ID"), "{out}");
    assert!(out.contains("<region>:pippool-"), "{out}");
}

#[test]
fn drift_is_planned_back() {
    let emu = Emulator::start();
    let tf = setup(&emu, &pool_config("web", "d", "{}", ""));
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let id = tf.values(ADDR)["id"].as_str().expect("id").to_string();

    emu.rename_pool("cn-hangzhou", &id, "renamed-outside");
    let (c, out) = tf.code(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(c, 2, "{out}");
    assert!(out.contains("\"renamed-outside\" -> \"web\""), "{out}");

    emu.delete_pool("cn-hangzhou", &id);
    let (c, out) = tf.code(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(c, 2, "{out}");
    assert!(out.contains(&format!("{ADDR} will be created")), "{out}");
}

#[test]
fn a_pool_with_allocated_addresses_stays_until_they_are_released() {
    let emu = Emulator::start();
    let tf = setup(&emu, &pool_config("busy", "d", "{}", ""));
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let id = tf.values(ADDR)["id"].as_str().expect("id").to_string();
    emu.add_block("cn-hangzhou", &id, None, Some(28));
    emu.allocate("cn-hangzhou", &id, None, 3);

    let out = tf.fails(&["destroy", "-auto-approve", "-no-color"]);
    assert!(out.contains("Addresses are still allocated"), "{out}");
    assert!(out.contains('3'), "the used count: {out}");
    assert!(out.contains("Release the EIPs"), "{out}");
    assert!(
        out.contains(&format!("EIPs allocated from pool {id}: eip-")),
        "names them: {out}"
    );
    assert_eq!(tf.values(ADDR)["id"], id.as_str(), "still in state");

    emu.release("cn-hangzhou", &id);
    // The pool's blocks go with it once none of their addresses is in use.
    let out = tf.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(out.contains("2 destroyed"), "{out}");
    assert!(emu.pools("cn-hangzhou").is_empty(), "{:?}", emu.state());
}

#[test]
fn faults_on_create_end_in_one_pool_with_one_client_token() {
    let emu = Emulator::start();
    let tf = setup(&emu, &pool_config("f", "d", "{}", ""));
    emu.fault(json!({"action": CREATE, "code": "Throttling.User", "http_status": 400, "message": "Request was denied due to user flow control.", "times": 2}));
    emu.fault(json!({"action": CREATE, "code": "ServiceUnavailable", "http_status": 503, "message": "The request has failed due to a temporary failure of the server.", "times": 1}));
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let creates: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r["action"] == CREATE)
        .collect();
    assert_eq!(creates.len(), 4, "{creates:?}");
    assert!(
        creates
            .iter()
            .all(|r| r["client_token"] == creates[0]["client_token"])
    );
    assert_eq!(emu.pools("cn-hangzhou").len(), 1, "{:?}", emu.state());
    tf.plan_is_empty();
}

#[test]
fn a_create_whose_wait_fails_keeps_the_pool_tainted_and_the_next_apply_replaces_it() {
    let emu = Emulator::start();
    let tf = setup(&emu, &pool_config("t", "d", "{}", ""));
    emu.set_enabled(DEMO_ACCOUNT, "cn-hangzhou", true);
    // The pool is created, then every listing is refused: the wait for `Created` fails.
    emu.fault(json!({"action": LIST, "code": "Forbidden.RAM", "http_status": 403, "message": "User not authorized to operate on the specified resource.", "times": 100}));
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("Not authorized by RAM"), "{out}");
    let tainted = tf.values(ADDR);
    let first = tainted["id"].as_str().expect("kept in state").to_string();
    emu.clear_faults();
    let state = tf.ok(&["state", "show", "-no-color", ADDR]);
    assert!(state.contains("tainted"), "{state}");

    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(
        out.contains("1 added") && out.contains("1 destroyed"),
        "replaced: {out}"
    );
    let pools = emu.pools("cn-hangzhou");
    assert_eq!(pools.len(), 1, "no orphan: {pools:?}");
    assert_ne!(tf.values(ADDR)["id"], first.as_str());
}

#[test]
fn a_refresh_of_sixteen_pools_lists_the_region_once() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {}\n\nresource \"alicloudvpc_public_ip_address_pool\" \"p\" {\n  for_each                    = toset([for i in range(16) : tostring(i)])\n  public_ip_address_pool_name = \"pool-${each.key}\"\n  depends_on                  = [alicloudvpc_public_ip_address_pool_service.this]\n}\n",
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    emu.clear_requests();
    tf.plan_is_empty();
    assert_eq!(
        emu.count(LIST),
        1,
        "one listing for 16 pools: {:?}",
        emu.requests()
    );
}

#[test]
fn faults_on_every_pool_operation_end_in_success() {
    let emu = Emulator::start();
    let tf = setup(&emu, &pool_config("f", "d", "{ a = \"1\" }", ""));
    let fault = |action: &str, kind: serde_json::Value| {
        let mut f = kind;
        f["action"] = json!(action);
        f["times"] = json!(1);
        emu.fault(f);
    };
    let throttled = json!({"code": "Throttling.User", "http_status": 400, "message": "Request was denied due to user flow control."});
    let unavailable = json!({"code": "ServiceUnavailable", "http_status": 503, "message": "The request has failed due to a temporary failure of the server."});
    let conflict = json!({"code": "OperationConflict", "http_status": 400, "message": "The operation conflicts with other operations."});
    let dropped = json!({"drop_connection": true});
    fault(LIST, dropped.clone());
    fault(LIST, throttled.clone());
    tf.ok(&["apply", "-auto-approve", "-no-color"]);

    tf.write(
        "main.tf",
        &std::fs::read_to_string(tf.path("main.tf"))
            .expect("config")
            .replace(
                &pool_config("f", "d", "{ a = \"1\" }", ""),
                &pool_config(
                    "g",
                    "e",
                    "{ b = \"2\" }",
                    "  resource_group_id           = \"rg-acfm2other\"",
                ),
            ),
    );
    fault("UpdatePublicIpAddressPoolAttribute", conflict.clone());
    fault("TagResources", unavailable.clone());
    fault("UnTagResources", dropped.clone());
    fault("MoveResourceGroup", throttled.clone());
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    tf.plan_is_empty();
    let v = tf.values(ADDR);
    assert_eq!(
        (v["public_ip_address_pool_name"].clone(), v["tags"].clone()),
        (json!("g"), json!({"b": "2"}))
    );

    fault("DeletePublicIpAddressPool", conflict);
    fault("DeletePublicIpAddressPool", dropped);
    let out = tf.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(out.contains("2 destroyed"), "{out}");
    assert!(emu.pools("cn-hangzhou").is_empty());
}

#[test]
fn plan_time_rules_point_at_their_attribute() {
    let emu = Emulator::start();
    let long = "x".repeat(129);
    let tf = setup(
        &emu,
        &format!(
            "resource \"alicloudvpc_public_ip_address_pool\" \"a\" {{\n  public_ip_address_pool_name = \"{long}\"\n  description                 = \"https://example.com\"\n  isp                         = \"bgp\"\n  tags                        = {{ aliyun-owned = \"x\" }}\n}}\n\nresource \"alicloudvpc_public_ip_address_pool\" \"b\" {{\n  zones = [\"cn-hangzhou-cb-a\"]\n}}\n\nresource \"alicloudvpc_public_ip_address_pool\" \"c\" {{\n  biz_type = \"CloudBox\"\n}}\n"
        ),
    );
    let out = tf.fails(&["validate", "-no-color"]);
    for expected in [
        "public_ip_address_pool_name is too long",
        "Invalid description",
        "Invalid isp",
        "Invalid tag key",
        "Zones only for CloudBox",
        "Zones required",
    ] {
        assert!(out.contains(expected), "{expected}: {out}");
    }
    assert!(
        out.contains("23: isp = \"bgp\" \"bgp\" is not one of"),
        "points at the line: {out}"
    );
}
