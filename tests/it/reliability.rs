//! Reliability end to end: many terraform processes at once, Ctrl-C and a killed provider in
//! the middle of an activation, and an emulator that restarts while the provider polls.
//!
//! `ALICLOUDVPC_SOAK=N` repeats the concurrency scenario N times (default 1); see
//! `docs/reliability.md`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::common::Tf;
use super::common::emulator::Emulator;
use super::common::process::{descendants_named, eventually, signal, wait_at_most};
use super::common::terraform::{read, text};
use super::lifecycle::{DEMO_ACCOUNT, OPEN, provider, setup};
use super::terraform_cli::HEADER;

const APPLY: &[&str] = &["apply", "-auto-approve", "-no-color"];

/// Rounds of the soak variants: `ALICLOUDVPC_SOAK`, at least 1.
pub fn soak_rounds() -> usize {
    std::env::var("ALICLOUDVPC_SOAK")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1)
}

fn resource_in(region: &str, extra: &str) -> String {
    format!(
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{\n  region_id = \"{region}\"\n{extra}}}\n"
    )
}

/// The addresses of the resources in the local state file (empty when there is none).
fn state_addresses(tf: &Tf) -> Vec<String> {
    let raw = read(&tf.path("terraform.tfstate"));
    if raw.is_empty() {
        return vec![];
    }
    let v: serde_json::Value = serde_json::from_str(&raw).expect("state is JSON");
    v["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            format!(
                "{}.{}",
                r["type"].as_str().unwrap_or("?"),
                r["name"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

fn wait_for_successful_open(emu: &Emulator, region: &str) {
    assert!(
        eventually(Duration::from_secs(60), || emu
            .successful_opens()
            .contains_key(region)),
        "the provider never opened {region}: {:?}",
        emu.requests()
    );
}

#[test]
fn eight_terraforms_on_three_regions_activate_each_region_once() {
    const REGIONS: [&str; 3] = ["cn-hangzhou", "cn-beijing", "cn-shanghai"];
    let emu = Emulator::start_with(&["--activation-delay", "1500"]);
    let tfs: Vec<Tf> = (0..8)
        .map(|i| setup(&emu, &resource_in(REGIONS[i % REGIONS.len()], "")))
        .collect();
    for round in 0..soak_rounds() {
        if round > 0 {
            // The same work dirs again: their state says active, the emulator no longer does,
            // so every apply plans a create.
            emu.call("POST", "/_emulator/reset", None);
        }
        let outputs: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = tfs.iter().map(|tf| s.spawn(|| tf.run(APPLY))).collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        for (i, out) in outputs.iter().enumerate() {
            let t = text(out);
            assert!(out.status.success(), "round {round}, terraform #{i}:\n{t}");
            assert!(
                !t.contains("Conflict"),
                "round {round}, terraform #{i}: a conflict reached the user:\n{t}"
            );
        }
        let want: BTreeMap<String, usize> = REGIONS.iter().map(|r| (r.to_string(), 1)).collect();
        assert_eq!(
            emu.successful_opens(),
            want,
            "round {round}: exactly one activation per region"
        );
        for r in REGIONS {
            assert!(emu.enabled(DEMO_ACCOUNT, r), "round {round}: {r} enabled");
        }
        emu.clear_requests();
    }
}

#[test]
fn ctrl_c_while_waiting_stops_cleanly_and_the_next_apply_adopts() {
    let mut emu = Emulator::start_with(&["--activation-delay", "20000"]);
    let tf = setup(&emu, &resource_in("cn-hangzhou", ""));
    let (mut child, log) = tf.spawn(APPLY, "apply.log");
    wait_for_successful_open(&emu, "cn-hangzhou");
    // Give the provider a moment to be in its status polling, then Ctrl-C terraform only.
    std::thread::sleep(Duration::from_millis(700));
    let providers = descendants_named(child.id(), "terraform-provider-alicloudvpc");
    assert!(!providers.is_empty(), "the provider runs under terraform");
    let interrupted = Instant::now();
    signal(child.id(), "INT");
    let status = wait_at_most(&mut child, Duration::from_secs(15));
    let out = read(&log);
    let status = status.unwrap_or_else(|| panic!("terraform did not stop after SIGINT:\n{out}"));
    assert!(
        !emu.enabled(DEMO_ACCOUNT, "cn-hangzhou"),
        "terraform stopped {:?} after SIGINT, before the activation finished",
        interrupted.elapsed()
    );
    assert!(
        !status.success(),
        "an interrupted create is an error:\n{out}"
    );
    assert!(out.contains("Interrupt received"), "{out}");
    assert!(
        !out.contains("panic") && !out.contains("crashed"),
        "a clean stop, not a crash:\n{out}"
    );
    assert!(
        state_addresses(&tf).is_empty(),
        "nothing half-created in state: {:?}",
        state_addresses(&tf)
    );
    assert!(
        eventually(Duration::from_secs(10), || providers
            .iter()
            .all(|p| !std::path::Path::new(&format!("/proc/{p}")).exists())),
        "no provider process left behind: {providers:?}"
    );

    // The activation Alibaba accepted goes on; once done, apply adopts it without a second Open.
    assert!(
        eventually(Duration::from_secs(40), || emu
            .enabled(DEMO_ACCOUNT, "cn-hangzhou")),
        "the accepted activation completes"
    );
    let opens_before = emu.count(OPEN);
    let out = tf.ok(APPLY);
    assert!(out.contains("1 added"), "{out}");
    assert_eq!(emu.count(OPEN), opens_before, "adopted, no second Open");
    assert_eq!(emu.successful_opens()["cn-hangzhou"], 1);
    emu.kill();
}

#[test]
fn a_killed_provider_is_reported_and_the_next_apply_converges() {
    let emu = Emulator::start_with(&["--activation-delay", "4000"]);
    let tf = setup(&emu, &resource_in("cn-beijing", ""));
    let (mut child, log) = tf.spawn(APPLY, "apply.log");
    wait_for_successful_open(&emu, "cn-beijing");
    let providers = descendants_named(child.id(), "terraform-provider-alicloudvpc");
    assert_eq!(providers.len(), 1, "one provider process: {providers:?}");
    signal(providers[0], "KILL");
    let status = wait_at_most(&mut child, Duration::from_secs(30));
    let out = read(&log).split_whitespace().collect::<Vec<_>>().join(" ");
    let status = status.unwrap_or_else(|| panic!("terraform hung after the provider died:\n{out}"));
    assert!(!status.success(), "{out}");
    assert!(
        out.contains("Plugin did not respond") || out.contains("plugin crashed"),
        "terraform names the failed plugin:\n{out}"
    );

    // The next apply converges whether the activation is still pending or already done.
    let out = tf.ok(APPLY);
    assert!(out.contains("1 added"), "{out}");
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-beijing"));
    assert_eq!(
        emu.successful_opens().get("cn-beijing"),
        Some(&1),
        "one activation: {:?}",
        emu.requests()
    );
    let plan = tf.run(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
}

#[test]
fn emulator_restart_while_the_provider_polls_loses_no_activation() {
    let mut emu = Emulator::start_persistent(&["--activation-delay", "3000"]);
    // A bounded create timeout: a lost activation fails the test in 90 s instead of hanging 5 min.
    let tf = Tf::new(&format!(
        "{HEADER}\n{}\n{}",
        provider(&emu, ""),
        resource_in("cn-shanghai", "  timeouts {\n    create = \"90s\"\n  }\n")
    ));
    tf.init();
    let (mut child, log) = tf.spawn(APPLY, "apply.log");
    wait_for_successful_open(&emu, "cn-shanghai");
    emu.kill();
    let pending = read(&emu.state_file());
    assert!(
        pending.contains("pending_regions") && pending.contains("cn-shanghai"),
        "the accepted activation is on disk: {pending}"
    );
    // Long enough for the provider's polls to meet refused connections.
    std::thread::sleep(Duration::from_millis(1500));
    emu.restart();
    let status = wait_at_most(&mut child, Duration::from_secs(120));
    let out = read(&log);
    let status = status.unwrap_or_else(|| panic!("apply hung:\n{out}"));
    assert!(status.success(), "apply survives the restart:\n{out}");
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-shanghai"));
    assert!(
        emu.successful_opens().is_empty(),
        "the first activation finished; none was started again: {:?}",
        emu.requests()
    );
    let state = read(&emu.state_file());
    assert!(
        state.contains("cn-shanghai") && !state.contains("pending_regions"),
        "{state}"
    );
}

#[test]
fn emulator_killed_during_open_the_retry_with_the_same_token_activates_once() {
    let mut emu = Emulator::start_persistent(&["--activation-delay", "1000"]);
    // The first Open hangs in the emulator, which dies before answering it.
    emu.fault(serde_json::json!({"action": OPEN, "delay_ms": 30000, "times": 1}));
    let tf = Tf::new(&format!(
        "{HEADER}\n{}\n{}",
        provider(&emu, ""),
        resource_in("cn-hangzhou", "  timeouts {\n    create = \"90s\"\n  }\n")
    ));
    tf.init();
    let (mut child, log) = tf.spawn(APPLY, "apply.log");
    // The fault is consumed when the Open reaches the emulator (before its delay).
    assert!(
        eventually(Duration::from_secs(60), || emu.state()["faults"]
            .as_array()
            .is_some_and(|f| f.is_empty())),
        "the Open arrived"
    );
    emu.kill();
    std::thread::sleep(Duration::from_millis(500));
    emu.restart();
    let status = wait_at_most(&mut child, Duration::from_secs(120));
    let out = read(&log);
    let status = status.unwrap_or_else(|| panic!("apply hung:\n{out}"));
    assert!(
        status.success(),
        "the Open is retried after the restart:\n{out}"
    );
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-hangzhou"));
    assert_eq!(
        emu.successful_opens().get("cn-hangzhou"),
        Some(&1),
        "{:?}",
        emu.requests()
    );
}

#[test]
fn a_status_outage_longer_than_one_calls_retries_does_not_fail_an_accepted_activation() {
    let emu = Emulator::start_with(&["--activation-delay", "2000"]);
    // One retry per call, so that a few failures use up a poll's whole budget.
    let tf = Tf::new(&format!(
        "{HEADER}\n{}\n{}",
        provider(&emu, "  max_retries = 1"),
        resource_in("cn-hangzhou", "  timeouts {\n    create = \"90s\"\n  }\n")
    ));
    tf.init();
    let (mut child, log) = tf.spawn(APPLY, "apply.log");
    wait_for_successful_open(&emu, "cn-hangzhou");
    // Three poll calls' worth of 503s (2 attempts each), set before the first poll (500 ms).
    emu.fault(serde_json::json!({
        "action": super::lifecycle::STATUS, "code": "ServiceUnavailable", "http_status": 503,
        "message": "The request has failed due to a temporary failure of the server.", "times": 6
    }));
    let status = wait_at_most(&mut child, Duration::from_secs(120));
    let out = read(&log);
    let status = status.unwrap_or_else(|| panic!("apply hung:\n{out}"));
    assert!(status.success(), "the outage is waited out:\n{out}");
    let failed_polls = emu
        .requests()
        .iter()
        .filter(|r| r["action"] == super::lifecycle::STATUS && r["code"] == "ServiceUnavailable")
        .count();
    assert_eq!(failed_polls, 6, "the fault was hit: {:?}", emu.requests());
    assert_eq!(emu.successful_opens().get("cn-hangzhou"), Some(&1));
}
