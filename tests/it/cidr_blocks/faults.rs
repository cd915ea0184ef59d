//! The block resource under faults: transient refusals of each of its operations end in
//! success with one block, and Ctrl-C during a create's wait keeps the block (tainted).

use std::time::Duration;

use serde_json::{Value as J, json};

use super::{ADDR, HZ, block, blocks_of, plan_is_empty, resource};
use crate::common::emulator::Emulator;
use crate::common::process::{eventually, signal, wait_at_most};
use crate::common::terraform::read;
use crate::lifecycle::setup;

const ADD: &str = "AddPublicIpAddressPoolCidrBlock";
const DELETE: &str = "DeletePublicIpAddressPoolCidrBlock";
const LIST: &str = "ListPublicIpAddressPoolCidrBlocks";

fn requests_of(emu: &Emulator, action: &str) -> Vec<J> {
    emu.requests()
        .into_iter()
        .filter(|r| r["action"] == action)
        .collect()
}

#[test]
fn faults_on_add_list_and_delete_end_in_success_with_one_block() {
    let emu = Emulator::start();
    let pool = emu.create_pool(HZ, "faults", &[]);
    let tf = setup(&emu, &block("this", &pool, &["cidr_mask = 28"]));
    let fault = |action: &str, mut f: J| {
        f["action"] = json!(action);
        f["times"] = json!(1);
        emu.fault(f);
    };
    let throttled = json!({"code": "Throttling.User", "http_status": 400, "message": "Request was denied due to user flow control."});
    let unavailable = json!({"code": "ServiceUnavailable", "http_status": 503, "message": "The request has failed due to a temporary failure of the server."});
    let conflict = json!({"code": "OperationConflict", "http_status": 400, "message": "The operation conflicts with other operations."});
    let dropped = json!({"drop_connection": true});
    fault(ADD, throttled.clone());
    fault(ADD, unavailable);
    fault(ADD, dropped.clone());
    fault(ADD, conflict.clone());
    fault(LIST, throttled);
    fault(LIST, dropped.clone());
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let adds = requests_of(&emu, ADD);
    assert_eq!(adds.len(), 5, "four refusals, then the add: {adds:?}");
    assert!(
        adds.iter()
            .all(|r| r["client_token"] == adds[0]["client_token"]),
        "one ClientToken across the retries: {adds:?}"
    );
    assert_eq!(blocks_of(&emu, HZ, &pool).len(), 1);
    plan_is_empty(&tf);

    fault(DELETE, conflict);
    fault(DELETE, dropped);
    let out = tf.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(out.contains("1 destroyed"), "{out}");
    assert_eq!(blocks_of(&emu, HZ, &pool), Vec::<J>::new());
}

#[test]
fn ctrl_c_during_the_wait_keeps_the_block_tainted_and_the_next_apply_leaves_no_orphan() {
    let emu = Emulator::start_with(&["--operation-delay", "8000"]);
    let pool = emu.create_pool(HZ, "ctrl-c", &[]);
    let tf = setup(&emu, &block("this", &pool, &["cidr_mask = 28"]));
    let (mut child, log) = tf.spawn(&["apply", "-auto-approve", "-no-color"], "apply.log");
    let added = || {
        requests_of(&emu, ADD)
            .iter()
            .any(|r| r["code"].is_null() && r["http_status"] == 200)
    };
    assert!(
        eventually(Duration::from_secs(60), added),
        "never added: {:?}",
        emu.requests()
    );
    // In the wait for `Created` now; Ctrl-C terraform only.
    std::thread::sleep(Duration::from_millis(700));
    signal(child.id(), "INT");
    let status = wait_at_most(&mut child, Duration::from_secs(20));
    let out = read(&log);
    let status = status.unwrap_or_else(|| panic!("terraform did not stop after SIGINT:\n{out}"));
    assert!(
        !status.success(),
        "an interrupted create is an error:\n{out}"
    );
    assert!(!out.contains("panic"), "a clean stop:\n{out}");
    let r = resource(&tf, ADDR);
    assert_eq!(r["tainted"], true, "kept, tainted: {r}\n{out}");
    assert!(r["values"]["cidr_block"].is_string(), "{r}");

    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("1 added, 0 changed, 1 destroyed"), "{out}");
    let blocks = blocks_of(&emu, HZ, &pool);
    assert_eq!(blocks.len(), 1, "no orphan: {blocks:?}");
    plan_is_empty(&tf);
}
