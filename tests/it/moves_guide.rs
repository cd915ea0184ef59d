//! `src/docs/guides/migrating-from-alicloud.md` as written: its converted configuration, its plan
//! and its import path, with real terraform against the emulator.

use std::path::Path;

use serde_json::Value as J;

use super::common::Tf;
use super::common::emulator::Emulator;
use super::lifecycle::provider;
use super::moves::{OFFICIAL, Objects, create_official_objects, official, state_file};

pub const GUIDE: &str = include_str!("../../src/docs/guides/migrating-from-alicloud.md");
/// The guide's examples use this pool ID and block.
const GUIDE_POOL: &str = "pippool-6wetvn6fumkgycssx1a2b";
const GUIDE_BLOCK: &str = "47.118.126.0/24";

/// The guide's `n`th terraform snippet (from 0), unindented, with its provider block pointed at
/// the emulator.
pub fn guide_snippet(n: usize, emu: &Emulator) -> String {
    let body = GUIDE
        .split("```terraform\n")
        .nth(n + 1)
        .and_then(|s| s.split("```").next())
        .expect("snippet");
    let body: String = body
        .lines()
        .map(|l| format!("{}\n", l.trim_start_matches("   ")))
        .collect();
    let ours = "provider \"alicloudvpc\" {\n  region = \"cn-hangzhou\"\n}\n";
    if body.contains(ours) {
        body.replace(ours, &provider(emu, ""))
    } else {
        body
    }
}

/// The objects of `o` that the guide's configuration names: the pool and one block.
pub fn guide_resources(o: &Objects) -> Vec<J> {
    let deps = ["alicloud_vpc_public_ip_address_pool.pool"];
    vec![
        official(
            OFFICIAL,
            "alicloud_vpc_public_ip_address_pool",
            "pool",
            o.pool.clone(),
            &[],
        ),
        official(
            OFFICIAL,
            "alicloud_vpc_public_ip_address_pool_cidr_block",
            "block",
            o.masked.clone(),
            &deps,
        ),
    ]
}

/// The state file of [`guide_resources`].
pub fn guide_state(o: &Objects) -> String {
    state_file(&guide_resources(o))
}

#[test]
fn the_guide_s_moved_blocks_work_as_written() {
    let emu = Emulator::start();
    let o = create_official_objects(&emu);
    let config = guide_snippet(1, &emu);
    assert!(
        config.contains("moved {") && config.contains("source = \"aliyun/alicloud\""),
        "{config}"
    );
    let tf = Tf::with_providers(
        &config,
        &[(
            OFFICIAL,
            "1.289.0",
            Path::new(env!("CARGO_BIN_EXE_official-alicloud-standin")),
        )],
    );
    tf.write("terraform.tfstate", &guide_state(&o));
    tf.init();
    emu.clear_requests();
    let out = tf.ok(&["plan", "-no-color"]);
    assert!(out.contains("# alicloud_vpc_public_ip_address_pool_cidr_block.block has moved to alicloudvpc_public_ip_address_pool_cidr_block.block"), "{out}");
    assert!(
        out.contains("Plan: 0 to add, 0 to change, 0 to destroy."),
        "{out}"
    );
    // The plan the guide shows, up to the IDs.
    let shown = GUIDE
        .split("```text\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("plan");
    let ids = |s: &str| {
        s.replace(GUIDE_POOL, "<pool>")
            .replace(GUIDE_BLOCK, "<block>")
    };
    let actual = ids(&out
        .replace(o.pool["id"].as_str().expect("id"), GUIDE_POOL)
        .replace(o.masked["cidr_block"].as_str().expect("cidr"), GUIDE_BLOCK));
    let expected: String = ids(shown).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        actual.contains(&expected),
        "the guide's plan:\n{expected}\nterraform's:\n{actual}"
    );
    tf.ok(&["apply", "-no-color", "-auto-approve"]);
    assert!(
        emu.requests()
            .iter()
            .all(|r| r["action"].as_str().unwrap_or("").starts_with("List"))
    );
    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_guide_s_import_path_works_as_written() {
    let emu = Emulator::start();
    let o = create_official_objects(&emu);
    let (pool, cidr) = (
        o.pool["id"].as_str().expect("id"),
        o.masked["cidr_block"].as_str().expect("cidr"),
    );
    let converted = guide_snippet(1, &emu);
    let converted = converted.split("\nmoved {").next().expect("resources");
    let imports = guide_snippet(2, &emu)
        .replace(GUIDE_POOL, pool)
        .replace(GUIDE_BLOCK, cidr);
    let tf = Tf::with_providers(
        &format!("{converted}\n{imports}"),
        &[(
            OFFICIAL,
            "1.289.0",
            Path::new(env!("CARGO_BIN_EXE_official-alicloud-standin")),
        )],
    );
    tf.write("terraform.tfstate", &guide_state(&o));
    tf.init();
    // The guide's state rm command, as written.
    let rm = GUIDE
        .split("```shell\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("state rm");
    let args: Vec<&str> = rm.split_whitespace().skip(1).collect();
    assert_eq!(args[..2], ["state", "rm"]);
    let out = tf.ok(&args);
    assert!(
        out.contains("Successfully removed 2 resource instance(s)."),
        "{out}"
    );
    emu.clear_requests();
    let out = tf.ok(&["plan", "-no-color"]);
    // The change: the block's timeouts, which an import cannot know (no API call).
    assert!(
        out.contains("Plan: 2 to import, 0 to add, 1 to change, 0 to destroy."),
        "{out}"
    );
    let out = tf.ok(&["apply", "-no-color", "-auto-approve"]);
    assert!(
        out.contains("Resources: 2 imported, 0 added, 1 changed, 0 destroyed."),
        "{out}"
    );
    assert!(
        emu.requests()
            .iter()
            .all(|r| r["action"].as_str().unwrap_or("").starts_with("List"))
    );
    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 0, "{out}");
}
