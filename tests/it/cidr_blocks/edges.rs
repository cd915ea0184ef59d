//! Refresh call counts, the partial state of a create whose wait fails, and the examples. (The
//! whole workflow with the pool resource, 16 pools of 4 blocks and Ctrl-C are in
//! `tests/it/workflow.rs`.)

use std::path::PathBuf;

use serde_json::Value as J;

use super::{ADDR, HZ, LIST_BLOCKS, TYPE, block, blocks_of, resource, rewrite};
use crate::common::Tf;
use crate::common::emulator::Emulator;
use crate::lifecycle::setup;

#[test]
fn a_refresh_lists_each_pools_blocks_once() {
    let emu = Emulator::start();
    let a = emu.create_pool(HZ, "a", &[]);
    let b = emu.create_pool(HZ, "b", &[]);
    let body = format!(
        "{}\n{}",
        block("a", &a, &["count     = 5", "cidr_mask = 28"]),
        block("b", &b, &["count     = 3", "cidr_mask = 27"])
    );
    let tf = setup(&emu, &body);
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("8 added"), "{out}");
    emu.clear_requests();
    tf.plan_is_empty();
    assert_eq!(
        emu.count(LIST_BLOCKS),
        2,
        "one listing per pool: {:?}",
        emu.requests()
    );
    assert_eq!(
        emu.requests().len(),
        2,
        "nothing else: {:?}",
        emu.requests()
    );
}

#[test]
fn a_create_whose_wait_times_out_keeps_the_block_tainted_and_the_next_apply_replaces_it() {
    let emu = Emulator::start_with(&["--operation-delay", "4000"]);
    let pool = emu.create_pool(HZ, "slow", &[]);
    let slow = block(
        "this",
        &pool,
        &["cidr_mask = 28", "timeouts {\n    create = \"2s\"\n  }"],
    );
    let tf = setup(&emu, &slow);
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    assert!(
        out.contains("Timed out trying to add the CIDR block"),
        "{out}"
    );
    assert!(
        out.contains("timeouts { create ="),
        "says how to raise it: {out}"
    );
    let r = resource(&tf, ADDR);
    assert_eq!(r["tainted"], true, "{r}");
    let cidr = r["values"]["cidr_block"]
        .as_str()
        .expect("recorded block")
        .to_string();

    rewrite(&tf, &emu, &block("this", &pool, &["cidr_mask = 28"]));
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("1 added, 0 changed, 1 destroyed"), "{out}");
    let blocks = blocks_of(&emu, HZ, &pool);
    assert_eq!(blocks.len(), 1, "no orphan: {blocks:?}");
    let deletes: Vec<J> = emu
        .requests()
        .into_iter()
        .filter(|r| r["action"] == "DeletePublicIpAddressPoolCidrBlock" && r["code"].is_null())
        .collect();
    assert_eq!(
        deletes.len(),
        1,
        "the tainted {cidr} was deleted: {deletes:?}"
    );
    tf.plan_is_empty();
}

#[test]
fn the_examples_are_valid() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let tf = Tf::new("");
    std::fs::remove_file(tf.path("main.tf")).expect("remove main.tf");
    tf.copy_in(&root.join("provider/provider.tf"));
    for file in ["resource.tf", "import-by-string-id.tf"] {
        tf.copy_in(&root.join(format!("resources/{TYPE}/{file}")));
    }
    tf.ok(&["init", "-input=false", "-no-color"]);
    tf.ok(&["validate", "-no-color"]);
}

#[test]
fn many_blocks_of_one_pool_take_turns_instead_of_spending_retries_on_refusals() {
    // Alibaba changes one block of a pool at a time; the pool refuses others meanwhile.
    let emu = Emulator::start_with(&["--operation-delay", "800"]);
    let pool = emu.create_pool(HZ, "turns", &[]);
    let tf = setup(
        &emu,
        &block("b", &pool, &["count     = 6", "cidr_mask = 28"]),
    );
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("6 added"), "{out}");
    tf.plan_is_empty();
    let out = tf.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(out.contains("6 destroyed"), "{out}");
    assert_eq!(blocks_of(&emu, HZ, &pool), Vec::<J>::new());
    let refused: Vec<J> = emu
        .requests()
        .into_iter()
        .filter(|r| {
            r["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("IncorrectStatus"))
        })
        .collect();
    assert_eq!(refused, Vec::<J>::new(), "no write met a busy pool");
}

#[test]
fn a_module_passing_either_attribute_validates_and_both_known_fail_the_plan() {
    let emu = Emulator::start();
    let body = format!(
        "variable \"block\" {{\n  type    = string\n  default = null\n}}\n\nvariable \"mask\" {{\n  type    = number\n  default = 28\n}}\n\n{}",
        block(
            "this",
            "pippool-abc",
            &["cidr_block = var.block", "cidr_mask  = var.mask"]
        )
    );
    let tf = setup(&emu, &body);
    // `terraform validate` sees both variables unknown: either may be null.
    tf.ok(&["validate", "-no-color"]);
    let out = tf.ok(&["plan", "-no-color"]);
    assert!(out.contains("1 to add"), "{out}");
    let out = tf.fails(&["plan", "-no-color", "-var", "block=47.0.0.0/24"]);
    assert!(
        out.contains("Conflicting cidr_block and cidr_mask"),
        "{out}"
    );
    tf.write("neither.tfvars", "mask = null\n");
    let out = tf.fails(&["plan", "-no-color", "-var-file", "neither.tfvars"]);
    assert!(out.contains("Missing cidr_block or cidr_mask"), "{out}");
}
