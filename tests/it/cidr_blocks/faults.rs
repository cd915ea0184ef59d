//! The block resource under faults: transient refusals of each of its operations end in
//! success with one block, and a lasting refusal says what conflicts. (Ctrl-C during a create's
//! wait: `tests/it/workflow.rs`.)

use serde_json::{Value as J, json};

use super::{HZ, block, blocks_of};
use crate::common::emulator::Emulator;
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
    tf.plan_is_empty();

    fault(DELETE, conflict);
    fault(DELETE, dropped);
    let out = tf.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(out.contains("1 destroyed"), "{out}");
    assert_eq!(blocks_of(&emu, HZ, &pool), Vec::<J>::new());
}

#[test]
fn an_overlapping_block_is_refused_with_the_conflict_named_and_nothing_in_state() {
    let emu = Emulator::start();
    let pool = emu.create_pool(HZ, "overlap", &[]);
    emu.add_block(HZ, &pool, Some("47.0.0.0/24"), None);
    let tf = setup(
        &emu,
        &block("this", &pool, &["cidr_block = \"47.0.0.128/25\""]),
    );
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("CIDR block overlaps another block"), "{out}");
    assert!(
        out.contains("47.0.0.0/24"),
        "names the block it overlaps: {out}"
    );
    assert!(
        out.contains("InvalidCidrBlock.Overlapped"),
        "Alibaba's code: {out}"
    );
    assert!(!tf.path("terraform.tfstate").exists() || tf.ok(&["state", "list"]).trim().is_empty());
    assert_eq!(blocks_of(&emu, HZ, &pool).len(), 1);
}
