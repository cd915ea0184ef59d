//! `alicloudvpc_public_ip_address_pool_cidr_block` end to end: real terraform against the
//! emulator, a fresh work dir per test. Pools are made through the emulator's API, so that each
//! test exercises the block resource alone.

use serde_json::Value as J;

use super::common::Tf;
use super::common::emulator::Emulator;
use super::lifecycle::setup;

mod edges;
mod faults;

pub(super) const TYPE: &str = "alicloudvpc_public_ip_address_pool_cidr_block";
pub(super) const ADDR: &str = "alicloudvpc_public_ip_address_pool_cidr_block.this";
pub(super) const LIST_BLOCKS: &str = "ListPublicIpAddressPoolCidrBlocks";
pub(super) const HZ: &str = "cn-hangzhou";

pub(super) fn resource(tf: &Tf, addr: &str) -> J {
    tf.state_json()["values"]["root_module"]["resources"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["address"] == addr))
        .cloned()
        .unwrap_or(J::Null)
}

/// A block resource `name` of `pool` with `args` (one HCL line each).
pub(super) fn block(name: &str, pool: &str, args: &[&str]) -> String {
    let args: String = args.iter().map(|a| format!("  {a}\n")).collect();
    format!(
        "resource \"{TYPE}\" \"{name}\" {{\n  public_ip_address_pool_id = \"{pool}\"\n{args}}}\n"
    )
}

pub(super) fn rewrite(tf: &Tf, emu: &Emulator, body: &str) {
    let header = super::terraform_cli::HEADER;
    let provider = super::lifecycle::provider(emu, "");
    tf.write("main.tf", &format!("{header}\n{provider}\n{body}"));
}

/// The blocks the emulator holds for `pool`.
pub(super) fn blocks_of(emu: &Emulator, region: &str, pool: &str) -> Vec<J> {
    emu.pools(region)
        .into_iter()
        .filter(|p| p["id"] == pool)
        .flat_map(|p| p["blocks"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[test]
fn by_mask_then_by_the_allocated_block_and_by_block_all_plan_nothing() {
    // Alibaba-like: each add and delete takes a while (and the pool refuses other writes
    // meanwhile), so the waits and the retries of IncorrectStatus are exercised.
    let emu = Emulator::start_with(&["--operation-delay", "1500"]);
    let pool = emu.create_pool(HZ, "blocks", &[]);
    let by_mask = block("this", &pool, &["cidr_mask = 28"]);
    let own = block("own", &pool, &["cidr_block = \"47.0.0.0/24\""]);
    let tf = setup(&emu, &format!("{by_mask}\n{own}"));
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("2 added"), "{out}");

    let v = tf.values(ADDR);
    let cidr = v["cidr_block"]
        .as_str()
        .expect("allocated block")
        .to_string();
    assert!(cidr.starts_with("47.105.") && cidr.ends_with("/28"), "{v}");
    assert_eq!(v["id"], format!("{pool}:{cidr}"));
    assert_eq!(v["cidr_mask"], 28);
    assert_eq!(v["status"], "Created");
    assert_eq!(
        (&v["total_ip_num"], &v["used_ip_num"]),
        (&16.into(), &0.into())
    );
    assert_eq!(v["region_id"], HZ);
    assert!(
        v["create_time"].as_str().is_some_and(|t| !t.is_empty()),
        "{v}"
    );
    let o = tf.values(&format!("{TYPE}.own"));
    assert_eq!(
        (&o["cidr_mask"], &o["total_ip_num"]),
        (&24.into(), &256.into())
    );
    tf.plan_is_empty();

    // Either attribute names the same block: switching plans nothing, no replacement.
    let switched = format!(
        "{}\n{}",
        block("this", &pool, &[&format!("cidr_block = \"{cidr}\"")]),
        block("own", &pool, &["cidr_mask = 24"])
    );
    rewrite(&tf, &emu, &switched);
    tf.plan_is_empty();

    let out = tf.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(out.contains("2 destroyed"), "{out}");
    assert_eq!(blocks_of(&emu, HZ, &pool), Vec::<J>::new());
}

#[test]
fn both_or_neither_and_malformed_values_are_plan_errors_on_their_attribute() {
    let emu = Emulator::start();
    let body = [
        block(
            "both",
            "pippool-abc",
            &["cidr_block = \"47.0.0.0/24\"", "cidr_mask = 28"],
        ),
        block("neither", "pippool-abc", &[]),
        block(
            "host_bits",
            "pippool-abc",
            &["cidr_block = \"47.0.0.1/24\""],
        ),
        block("too_big", "pippool-abc", &["cidr_block = \"47.0.0.0/22\""]),
        block("mask", "pippool-abc", &["cidr_mask = 29"]),
        block("pool", "vpc-abc", &["cidr_mask = 28"]),
    ]
    .join("\n");
    let tf = setup(&emu, &body);
    let out = tf.fails(&["plan", "-no-color"]);
    // Terraform quotes the configuration line a diagnostic's attribute points at, after the
    // resource's address and the line number.
    let points_at = |name: &str, line: &str| {
        let prefix = format!("in resource \"{TYPE}\" \"{name}\": ");
        out.match_indices(&prefix).any(|(i, _)| {
            let rest = out[i + prefix.len()..].trim_start_matches(|c: char| c.is_ascii_digit());
            rest.strip_prefix(": ").is_some_and(|r| r.starts_with(line))
        })
    };
    for (name, summary, line) in [
        (
            "both",
            "Conflicting cidr_block and cidr_mask",
            "cidr_mask = 28",
        ),
        (
            "host_bits",
            "Invalid cidr_block",
            "cidr_block = \"47.0.0.1/24\"",
        ),
        (
            "too_big",
            "Invalid cidr_block",
            "cidr_block = \"47.0.0.0/22\"",
        ),
        ("mask", "Invalid cidr_mask", "cidr_mask = 29"),
        (
            "pool",
            "Invalid public_ip_address_pool_id",
            "public_ip_address_pool_id = \"vpc-abc\"",
        ),
    ] {
        assert!(out.contains(summary), "{name}: {out}");
        assert!(points_at(name, line), "{name} points at {line}: {out}");
    }
    assert!(out.contains("Missing cidr_block or cidr_mask"), "{out}");
    assert!(
        out.contains("\"47.0.0.0/24\""),
        "the host-bits error names the network: {out}"
    );
    assert_eq!(emu.count("AddPublicIpAddressPoolCidrBlock"), 0);
}

#[test]
fn import_in_both_id_forms_by_command_and_block_then_nothing_to_do() {
    let emu = Emulator::start();
    let pool = emu.create_pool(HZ, "hz", &[]);
    let cidr = emu.add_block(HZ, &pool, None, Some(28));
    let tf = setup(
        &emu,
        &block("this", &pool, &[&format!("cidr_block = \"{cidr}\"")]),
    );
    let out = tf.ok(&["import", "-no-color", ADDR, &format!("{pool}:{cidr}")]);
    assert!(out.contains("Import successful"), "{out}");
    let v = tf.values(ADDR);
    assert_eq!(
        (&v["cidr_mask"], &v["status"]),
        (&28.into(), &"Created".into())
    );
    tf.plan_is_empty();

    let sh = "cn-shanghai";
    let pool = emu.create_pool(sh, "sh", &[]);
    emu.add_block(sh, &pool, Some("47.1.0.0/24"), None);
    let id = format!("{sh}:{pool}:47.1.0.0/24");
    // Imported by its ID, configured by its size.
    let body = block(
        "this",
        &pool,
        &["region_id = \"cn-shanghai\"", "cidr_mask = 24"],
    );
    let import = format!("import {{\n  to = {ADDR}\n  id = \"{id}\"\n}}\n\n{body}");
    let tf = setup(&emu, &import);
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("1 imported, 0 added, 0 changed"), "{out}");
    assert_eq!(tf.values(ADDR)["cidr_block"], "47.1.0.0/24");
    tf.plan_is_empty();

    tf.ok(&["state", "rm", "-no-color", ADDR]);
    rewrite(&tf, &emu, &body);
    let out = tf.ok(&["import", "-no-color", ADDR, &id]);
    assert!(out.contains("Import successful"), "{out}");
    tf.plan_is_empty();
    assert_eq!(
        emu.count("AddPublicIpAddressPoolCidrBlock"),
        2,
        "only the test's own adds"
    );
}

#[test]
fn importing_a_missing_block_or_a_malformed_id_says_what_to_do() {
    let emu = Emulator::start();
    let pool = emu.create_pool(HZ, "hz", &[]);
    let tf = setup(
        &emu,
        &block("this", &pool, &["cidr_block = \"47.2.0.0/24\""]),
    );
    for missing in [
        format!("{pool}:47.2.0.0/24"),
        // A pool that does not exist has no blocks: the same answer, not a listing error.
        "pippool-doesnotexist0000000:47.2.0.0/24".to_string(),
    ] {
        let out = tf.fails(&["import", "-no-color", ADDR, &missing]);
        assert!(
            out.contains("Cannot import non-existent remote object"),
            "{out}"
        );
        assert!(out.contains("has no CIDR block 47.2.0.0/24"), "{out}");
        assert!(out.contains("terraform apply add the block"), "{out}");
    }
    for malformed in [
        pool.as_str(),
        "47.2.0.0/24",
        "a:b:c:d",
        "pippool-x:47.2.0.1/24",
    ] {
        let out = tf.fails(&["import", "-no-color", ADDR, malformed]);
        assert!(out.contains("Invalid import ID"), "{malformed}: {out}");
        assert!(
            out.contains("`pippool-xxxx:47.0.0.0/24`"),
            "{malformed}: {out}"
        );
        assert!(
            out.contains("`cn-shanghai:pippool-xxxx:47.0.0.0/24`"),
            "{malformed}: {out}"
        );
    }
    assert!(
        !tf.path("terraform.tfstate").exists(),
        "nothing was imported"
    );
}

#[test]
fn a_block_or_its_pool_deleted_behind_terraforms_back_is_planned_for_creation() {
    let emu = Emulator::start();
    let pool = emu.create_pool(HZ, "drift", &[]);
    let tf = setup(&emu, &block("this", &pool, &["cidr_mask = 27"]));
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let cidr = tf.values(ADDR)["cidr_block"]
        .as_str()
        .expect("block")
        .to_string();
    emu.delete_block(HZ, &pool, &cidr);
    let (c, out) = tf.code(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(c, 2, "{out}");
    assert!(out.contains(&format!("{ADDR} will be created")), "{out}");
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(blocks_of(&emu, HZ, &pool).len(), 1);
    tf.plan_is_empty();

    // Another size is another block: replaced, with the new one's values after apply.
    rewrite(&tf, &emu, &block("this", &pool, &["cidr_mask = 28"]));
    let (c, out) = tf.code(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(c, 2, "{out}");
    assert!(
        out.contains("must be replaced") && out.contains("forces replacement"),
        "{out}"
    );
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("1 added, 0 changed, 1 destroyed"), "{out}");
    let v = tf.values(ADDR);
    assert_eq!(
        (&v["cidr_mask"], &v["total_ip_num"]),
        (&28.into(), &16.into())
    );
    assert_eq!(blocks_of(&emu, HZ, &pool).len(), 1);
    tf.plan_is_empty();

    emu.delete_pool(HZ, &pool);
    let (c, out) = tf.code(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(c, 2, "a vanished pool is no read error: {out}");
    assert!(out.contains(&format!("{ADDR} will be created")), "{out}");
}

#[test]
fn a_block_with_allocated_addresses_stays_until_they_are_released() {
    let emu = Emulator::start();
    let pool = emu.create_pool(HZ, "in-use", &[]);
    let tf = setup(&emu, &block("this", &pool, &["cidr_mask = 28"]));
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let cidr = tf.values(ADDR)["cidr_block"]
        .as_str()
        .expect("block")
        .to_string();
    emu.allocate(HZ, &pool, Some(&cidr), 3);
    let out = tf.fails(&["destroy", "-auto-approve", "-no-color"]);
    assert!(out.contains("Addresses are still allocated"), "{out}");
    assert!(
        out.contains(&format!(
            "{cidr} of {pool} has 3 of its 16 addresses allocated"
        )),
        "{out}"
    );
    assert!(out.contains("Release the EIPs"), "{out}");
    assert!(
        out.contains("OperationDenied.CidrBlockInUse"),
        "Alibaba's code: {out}"
    );
    assert_eq!(tf.ok(&["state", "list"]).trim(), ADDR);
    assert_eq!(
        tf.values(ADDR)["used_ip_num"],
        3,
        "the refresh saw the allocation"
    );

    emu.release(HZ, &pool);
    tf.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert_eq!(blocks_of(&emu, HZ, &pool), Vec::<J>::new());
}
