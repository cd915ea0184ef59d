//! Faults of the API: what is retried until it works, and what fails with a specific message
//! on the right configuration line.

use serde_json::json;

use super::common::emulator::Emulator;
use super::common::{Tf, terraform::text};
use super::lifecycle::{DEMO_ACCOUNT, OPEN, provider, setup};
use super::terraform_cli::HEADER;

const RESOURCE: &str = "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {}\n";

fn apply_ok_with_fault(fault: serde_json::Value) -> Emulator {
    let emu = Emulator::start();
    let tf = setup(&emu, RESOURCE);
    emu.fault(fault);
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("1 added"), "{out}");
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-hangzhou"));
    emu
}

#[test]
fn throttling_three_times_then_success() {
    let emu = apply_ok_with_fault(
        json!({"action": OPEN, "code": "Throttling.User", "http_status": 400, "message": "Request was denied due to user flow control.", "times": 3}),
    );
    let opens: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r["action"] == OPEN)
        .collect();
    assert_eq!(opens.len(), 4, "{opens:?}");
    let token = &opens[0]["client_token"];
    assert!(token.is_string());
    assert!(
        opens.iter().all(|r| &r["client_token"] == token),
        "one ClientToken across retries"
    );
}

#[test]
fn a_burst_of_server_errors_then_success() {
    apply_ok_with_fault(
        json!({"action": OPEN, "code": "ServiceUnavailable", "http_status": 503, "message": "The request has failed due to a temporary failure of the server.", "times": 3}),
    );
}

#[test]
fn a_dropped_connection_then_success() {
    apply_ok_with_fault(json!({"action": OPEN, "drop_connection": true, "times": 1}));
}

#[test]
fn conflict_while_another_open_is_in_flight() {
    // Two terraform processes on one account, activation delay on: the second Open meets the
    // first activation in progress and gets OperationConflict, which must not reach the user.
    let emu = Emulator::start_with(&["--activation-delay", "2500"]);
    let a = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {\n  region_id = \"cn-hangzhou\"\n}\n",
    );
    let b = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {\n  region_id = \"cn-beijing\"\n}\n",
    );
    let (ra, rb) = std::thread::scope(|s| {
        let ta = s.spawn(|| a.run(&["apply", "-auto-approve", "-no-color"]));
        std::thread::sleep(std::time::Duration::from_millis(300));
        let tb = s.spawn(|| b.run(&["apply", "-auto-approve", "-no-color"]));
        (ta.join().expect("a"), tb.join().expect("b"))
    });
    assert!(ra.status.success(), "{}", text(&ra));
    assert!(rb.status.success(), "{}", text(&rb));
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-hangzhou") && emu.enabled(DEMO_ACCOUNT, "cn-beijing"));
    let conflicts = emu
        .requests()
        .iter()
        .filter(|r| r["code"] == "OperationConflict")
        .count();
    assert!(
        conflicts >= 1,
        "the scenario must really produce a conflict: {:?}",
        emu.requests()
    );
}

fn apply_fails(emu: &Emulator, tf: &Tf) -> String {
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    assert!(!emu.enabled(DEMO_ACCOUNT, "cn-hangzhou"));
    out
}

fn fails_with_code(code: &str, message: &str) -> String {
    let emu = Emulator::start();
    let tf = setup(&emu, RESOURCE);
    emu.fault(json!({"action": OPEN, "code": code, "http_status": 400, "message": message}));
    let out = apply_fails(&emu, &tf);
    assert!(out.contains(&format!("Code {code}")), "{out}");
    assert!(out.contains("RequestId"), "{out}");
    assert!(
        out.contains("on main.tf line"),
        "points at the configuration: {out}"
    );
    assert!(
        out.contains("resource \"alicloudvpc_public_ip_address_pool_service\" \"this\""),
        "{out}"
    );
    out
}

#[test]
fn forbidden_ram_says_which_action_to_grant() {
    let out = fails_with_code(
        "Forbidden.RAM",
        "User not authorized to operate on the specified resource",
    );
    assert!(out.contains("Error: Not authorized by RAM"), "{out}");
    assert!(out.contains("vpc:OpenPublicIpAddressPoolService"), "{out}");
}

#[test]
fn real_name_verification_points_to_the_account_center() {
    let out = fails_with_code(
        "Order.NoRealNameAuthentication",
        "Real-name verification has not been completed for the account.",
    );
    assert!(
        out.contains("Error: Real-name verification required"),
        "{out}"
    );
    assert!(out.contains("account center"), "{out}");
}

#[test]
fn a_wrong_secret_is_named_as_such() {
    let emu = Emulator::start();
    let tf = Tf::new(&format!(
        "{HEADER}\n{}\n{RESOURCE}",
        provider(&emu, "").replace("emulator-secret-key", "not-the-secret")
    ));
    tf.init();
    let out = apply_fails(&emu, &tf);
    assert!(out.contains("Error: Request signature rejected"), "{out}");
    assert!(out.contains("AccessKey secret is wrong"), "{out}");
    assert!(
        !out.contains("not-the-secret"),
        "the secret never appears: {out}"
    );
}

#[test]
fn an_unknown_region_points_at_region_id() {
    let emu = Emulator::start();
    // With the region list skipped, the region reaches Alibaba Cloud, which refuses it.
    let tf = Tf::new(&format!(
        "{HEADER}\n{}\nresource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{\n  region_id = \"xx-nowhere-1\"\n}}\n",
        provider(&emu, "  skip_region_validation = true")
    ));
    tf.init();
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("Error: Region not available"), "{out}");
    assert!(
        out.contains("region_id = \"xx-nowhere-1\""),
        "points at the line: {out}"
    );
    assert!(out.contains("InvalidRegionId"), "{out}");
}

#[test]
fn a_fault_that_never_ends_fails_at_the_create_timeout() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {\n  timeouts {\n    create = \"4s\"\n  }\n}\n",
    );
    emu.fault(json!({"action": OPEN, "code": "ServiceUnavailable", "http_status": 503, "message": "down"}));
    let started = std::time::Instant::now();
    let out = apply_fails(&emu, &tf);
    assert!(out.contains("Timed out"), "{out}");
    assert!(out.contains("timeouts.create"), "names the timeout: {out}");
    assert!(out.contains("4s"), "{out}");
    // Bounded by the timeout, not by max_retries' worst case.
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}
