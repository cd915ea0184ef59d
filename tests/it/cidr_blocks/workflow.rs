//! The block resource with the others: the whole workflow from nothing, refresh call counts,
//! and the partial state of a create whose wait fails.

use std::path::PathBuf;

use serde_json::Value as J;

use super::{
    ADDR, HZ, LIST_BLOCKS, TYPE, block, blocks_of, plan_is_empty, resource, rewrite, values,
};
use crate::common::Tf;
use crate::common::emulator::Emulator;
use crate::lifecycle::setup;

/// The service, a pool that depends on it and two blocks of the pool, in one configuration.
fn workflow(pool_name: &str, blocks: &[(&str, &str)]) -> String {
    let mut c = format!(
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{}}\n\nresource \"alicloudvpc_public_ip_address_pool\" \"this\" {{\n  public_ip_address_pool_name = \"{pool_name}\"\n  depends_on                  = [alicloudvpc_public_ip_address_pool_service.this]\n}}\n"
    );
    for (name, arg) in blocks {
        c.push_str(&format!(
            "\nresource \"{TYPE}\" \"{name}\" {{\n  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this.id\n  {arg}\n}}\n"
        ));
    }
    c
}

#[test]
fn the_workflow_from_nothing_converges_and_destroys_to_nothing() {
    let emu = Emulator::start_with(&["--operation-delay", "1500"]);
    let two = [
        ("this", "cidr_mask  = 28"),
        ("own", "cidr_block = \"47.3.0.0/24\""),
    ];
    let tf = setup(&emu, &workflow("web", &two));
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("4 added"), "{out}");
    plan_is_empty(&tf);
    // The pool's counts change with its blocks (as a refresh records).
    tf.ok(&["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    let pool = values(&tf, "alicloudvpc_public_ip_address_pool.this");
    assert_eq!(
        pool["total_ip_num"],
        16 + 256,
        "the pool's reads saw both blocks: {pool}"
    );

    // A pool rename and a block removal in one apply: no inconsistent result, nothing left over.
    rewrite(&tf, &emu, &workflow("web-2", &two[..1]));
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("0 added, 1 changed, 1 destroyed"), "{out}");
    plan_is_empty(&tf);

    let out = tf.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(out.contains("3 destroyed"), "{out}");
    assert_eq!(emu.pools(HZ), Vec::<J>::new(), "no pool left");
}

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
    plan_is_empty(&tf);
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
    plan_is_empty(&tf);
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
fn sixteen_pools_of_four_blocks_converge_and_refresh_with_seventeen_listings() {
    let emu = Emulator::start();
    let body = format!(
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{}}\n\nresource \"alicloudvpc_public_ip_address_pool\" \"p\" {{\n  for_each                    = toset([for i in range(16) : tostring(i)])\n  public_ip_address_pool_name = \"pool-${{each.key}}\"\n  depends_on                  = [alicloudvpc_public_ip_address_pool_service.this]\n}}\n\nresource \"{TYPE}\" \"b\" {{\n  for_each                  = {{ for pair in setproduct(range(16), range(4)) : \"${{pair[0]}}-${{pair[1]}}\" => pair[0] }}\n  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.p[tostring(each.value)].id\n  cidr_mask                 = 28\n}}\n"
    );
    let tf = setup(&emu, &body);
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("81 added"), "{out}");
    assert!(!out.contains("inconsistent"), "{out}");
    let pools = emu.pools(HZ);
    assert_eq!(pools.len(), 16);
    assert!(
        pools
            .iter()
            .all(|p| p["blocks"].as_array().map(Vec::len) == Some(4)),
        "{pools:?}"
    );
    emu.clear_requests();
    plan_is_empty(&tf);
    assert_eq!(
        emu.count("ListPublicIpAddressPools"),
        1,
        "{:?}",
        emu.requests()
    );
    assert_eq!(
        emu.count(LIST_BLOCKS),
        16,
        "one listing per pool: {:?}",
        emu.requests()
    );
}
