//! The pool workflow in one configuration, as users write it: the service, pools that depend on
//! it, and CIDR blocks, changed together in the orders Terraform picks. Real terraform against
//! the emulator with Alibaba's asynchronous states turned on.

use super::common::emulator::Emulator;
use super::lifecycle::setup;

const SERVICE: &str = "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {}\n";

#[test]
fn the_whole_workflow_from_nothing_and_back_with_asynchronous_states() {
    let emu = Emulator::start_with(&["--operation-delay", "1500"]);
    let tf = setup(
        &emu,
        &format!(
            "{SERVICE}\nresource \"alicloudvpc_public_ip_address_pool\" \"this\" {{\n  public_ip_address_pool_name = \"workflow\"\n  depends_on                  = [alicloudvpc_public_ip_address_pool_service.this]\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_cidr_block\" \"a\" {{\n  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this.id\n  cidr_mask                 = 28\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_cidr_block\" \"b\" {{\n  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this.id\n  cidr_mask                 = 27\n}}\n"
        ),
    );
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("4 added"), "{out}");
    tf.plan_is_empty();
    let pools = emu.pools("cn-hangzhou");
    assert_eq!(pools.len(), 1, "{pools:?}");
    let out = tf.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(out.contains("4 destroyed"), "{out}");
    assert!(
        emu.pools("cn-hangzhou").is_empty(),
        "no pools left: {:?}",
        emu.state()
    );
}

#[test]
fn a_pool_rename_and_a_block_removal_in_one_apply_are_consistent() {
    let emu = Emulator::start_with(&["--operation-delay", "500"]);
    let config = |name: &str, blocks: &[u8]| {
        let mut s = format!(
            "{SERVICE}\nresource \"alicloudvpc_public_ip_address_pool\" \"this\" {{\n  public_ip_address_pool_name = \"{name}\"\n  depends_on                  = [alicloudvpc_public_ip_address_pool_service.this]\n}}\n"
        );
        for (i, mask) in blocks.iter().enumerate() {
            s.push_str(&format!(
                "\nresource \"alicloudvpc_public_ip_address_pool_cidr_block\" \"b{i}\" {{\n  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this.id\n  cidr_mask                 = {mask}\n}}\n"
            ));
        }
        s
    };
    let tf = setup(&emu, &config("before", &[28, 28]));
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let main = std::fs::read_to_string(tf.path("main.tf")).expect("config");
    tf.write(
        "main.tf",
        &main.replace(&config("before", &[28, 28]), &config("after", &[28])),
    );
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(!out.contains("inconsistent result"), "{out}");
    assert!(out.contains("1 changed, 1 destroyed"), "{out}");
    tf.plan_is_empty();
}

#[test]
fn sixteen_pools_of_four_blocks_and_two_eips_apply_plan_empty_and_refresh_with_few_calls() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        &format!(
            "{SERVICE}\nlocals {{\n  pools  = toset([for i in range(16) : tostring(i)])\n  blocks = {{ for pair in setproduct(local.pools, [\"a\", \"b\", \"c\", \"d\"]) : \"${{pair[0]}}-${{pair[1]}}\" => pair[0] }}\n}}\n\nresource \"alicloudvpc_public_ip_address_pool\" \"p\" {{\n  for_each                    = local.pools\n  public_ip_address_pool_name = \"pool-${{each.key}}\"\n  depends_on                  = [alicloudvpc_public_ip_address_pool_service.this]\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_cidr_block\" \"b\" {{\n  for_each                  = local.blocks\n  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.p[each.value].id\n  cidr_mask                 = 28\n}}\n\nresource \"alicloudvpc_eip_address\" \"e\" {{\n  for_each                  = {{ for pair in setproduct(local.pools, [0, 1]) : \"${{pair[0]}}-${{pair[1]}}\" => pair[0] }}\n  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.p[each.value].id\n  depends_on                = [alicloudvpc_public_ip_address_pool_cidr_block.b]\n}}\n"
        ),
    );
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("113 added"), "{out}");
    assert!(!out.contains("inconsistent result"), "{out}");
    emu.clear_requests();
    tf.plan_is_empty();
    let pools = emu.count("ListPublicIpAddressPools");
    let blocks = emu.count("ListPublicIpAddressPoolCidrBlocks");
    assert!(pools <= 1, "pool listings per refresh: {pools}");
    assert!(blocks <= 16, "block listings per refresh: {blocks}");
    // The 32 EIPs share the region's one page of 100 (scripts/bench.sh reports the same).
    let eips = emu.count("DescribeEipAddresses");
    assert!(eips <= 1, "EIP listings per refresh: {eips}");
}

/// Ctrl-C while a new CIDR block is still `Modifying`: Terraform stops at once, the block
/// Alibaba accepted stays in state (tainted), and the next apply replaces it without leaving
/// an orphan in the account.
#[test]
fn ctrl_c_during_a_create_wait_keeps_the_object_tainted_and_the_next_apply_cleans_up() {
    use super::common::process::{signal, wait_at_most};
    use std::time::Duration;

    let emu = Emulator::start_with(&["--operation-delay", "6000"]);
    let tf = setup(
        &emu,
        &format!(
            "{SERVICE}\nresource \"alicloudvpc_public_ip_address_pool\" \"this\" {{\n  depends_on = [alicloudvpc_public_ip_address_pool_service.this]\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_cidr_block\" \"this\" {{\n  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this.id\n  cidr_mask                 = 28\n}}\n"
        ),
    );
    let (mut child, log) = tf.spawn(&["apply", "-auto-approve", "-no-color"], "apply.log");
    let added = super::common::process::eventually(Duration::from_secs(30), || {
        emu.count("AddPublicIpAddressPoolCidrBlock") > 0
    });
    assert!(
        added,
        "the block was requested: {}",
        super::common::terraform::read(&log)
    );
    std::thread::sleep(Duration::from_millis(500));
    signal(child.id(), "INT");
    let status = wait_at_most(&mut child, Duration::from_secs(15));
    let out = super::common::terraform::read(&log);
    assert!(!status.expect("terraform stopped").success(), "{out}");
    let shown = tf.ok(&[
        "state",
        "show",
        "-no-color",
        "alicloudvpc_public_ip_address_pool_cidr_block.this",
    ]);
    assert!(shown.contains("tainted"), "kept, tainted: {shown}");

    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(
        out.contains("1 added") && out.contains("1 destroyed"),
        "replaced: {out}"
    );
    tf.plan_is_empty();
    let pools = emu.pools("cn-hangzhou");
    let blocks = pools[0]["cidr_blocks"]
        .as_array()
        .or(pools[0]["blocks"].as_array())
        .map_or(0, |b| b.len());
    assert_eq!(blocks, 1, "no orphaned block: {pools:?}");
}
