//! Errors tell the truth: the time an operation really took and its attempts, and credential
//! failures that name the setting they came from.

use serde_json::json;

use super::common::Tf;
use super::common::emulator::{Emulator, OTHER_ACCOUNT, OTHER_KEY, OTHER_SECRET};
use super::lifecycle::STATUS;
use super::terraform_cli::HEADER;

/// A provider block with `body` and every endpoint at the emulator, and `resource`.
fn setup(emu: &Emulator, body: &str, resource: &str) -> Tf {
    let tf = Tf::new(&format!(
        "{HEADER}\nprovider \"alicloudvpc\" {{\n  region = \"cn-hangzhou\"\n{body}\n  endpoints {{\n    vpc          = \"{u}\"\n    sts          = \"{u}\"\n    ecs_metadata = \"{u}\"\n  }}\n}}\n\n{resource}",
        u = emu.url
    ));
    tf.init();
    tf
}

const RESOURCE: &str = "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {}\n";

/// The part of Terraform's output after the first "Error:".
fn error_part(out: &str) -> &str {
    out.split_once("Error:").map_or("", |(_, e)| e)
}

#[test]
fn a_create_that_runs_out_of_time_says_how_long_it_took() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        &format!(
            "  access_key = \"{OTHER_KEY}\"\n  secret_key = \"{OTHER_SECRET}\"\n  max_retries = 100"
        ),
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {\n  timeouts {\n    create = \"10s\"\n  }\n}\n",
    );
    emu.fault(
        json!({"action": STATUS, "code": "Throttling.User", "http_status": 400,
        "message": "Request was denied due to user flow control."}),
    );
    let started = std::time::Instant::now();
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    let took = started.elapsed();
    let err = error_part(&out);
    assert!(err.contains("Timed out"), "{out}");
    assert!(
        !err.contains("timeouts.read"),
        "a create is not a read: {out}"
    );
    assert!(!err.contains(".."), "no doubled periods: {out}");
    assert!(err.contains("user flow control."), "the last answer: {out}");
    // "Gave up after 6s of the 10s allowed, after 5 attempts, ..."
    let said: u64 = err
        .split_once("Gave up after ")
        .and_then(|(_, rest)| rest.split_once("s of the 10s allowed"))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("states the time used of the 10s: {out}"));
    assert!(
        std::time::Duration::from_secs(said) <= took,
        "said {said}s, took {took:?}: {out}"
    );
    let attempts = emu.count(STATUS);
    assert!(
        err.contains(&format!("after {attempts} attempts")),
        "{attempts} attempts: {out}"
    );
}

/// Every message names the `timeouts` setting of the operation that failed: a status read inside
/// a create names `timeouts.create` (raising `timeouts.read` would not help it), a refresh
/// names `timeouts.read`, and a data source, which has no `timeouts` block, names none.
#[test]
fn a_failed_status_read_names_the_setting_of_its_operation() {
    let emu = Emulator::start();
    let body = format!(
        "  access_key = \"{OTHER_KEY}\"\n  secret_key = \"{OTHER_SECRET}\"\n  max_retries = 0"
    );
    let throttle_once = || {
        emu.fault(
            json!({"action": STATUS, "code": "Throttling.User", "http_status": 400,
            "message": "Request was denied due to user flow control.", "times": 1}),
        )
    };
    let tf = setup(&emu, &body, RESOURCE);

    throttle_once();
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    let err = error_part(&out);
    assert!(err.contains("Throttled by Alibaba Cloud"), "{out}");
    assert!(err.contains("raise timeouts.create"), "{out}");
    assert!(
        !err.contains("timeouts.read"),
        "a create is not a read: {out}"
    );

    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    throttle_once();
    let out = tf.fails(&["plan", "-no-color"]);
    let err = error_part(&out);
    assert!(err.contains("Throttled by Alibaba Cloud"), "{out}");
    assert!(err.contains("raise timeouts.read"), "{out}");
    assert!(
        !err.contains("timeouts.create"),
        "a refresh is not a create: {out}"
    );

    let data = setup(
        &emu,
        &body,
        "data \"alicloudvpc_public_ip_address_pool_service\" \"this\" {}\n",
    );
    throttle_once();
    let out = data.fails(&["plan", "-no-color"]);
    let err = error_part(&out);
    assert!(err.contains("Throttled by Alibaba Cloud"), "{out}");
    assert!(
        !err.contains("timeouts"),
        "a data source has no timeouts block: {out}"
    );
}

/// Retries that run out before the time does: the error names the attempts, the time they
/// took and `max_retries`, so that nobody retries by hand what the provider already retried.
#[test]
fn exhausted_retries_name_the_attempts_and_the_time() {
    let emu = Emulator::start();
    let body = format!(
        "  access_key = \"{OTHER_KEY}\"\n  secret_key = \"{OTHER_SECRET}\"\n  max_retries = 2"
    );
    emu.fault(json!({"action": STATUS, "code": "ServiceUnavailable", "http_status": 503,
        "message": "The request has failed due to a temporary failure of the server.", "times": 10}));
    let data = setup(
        &emu,
        &body,
        "data \"alicloudvpc_public_ip_address_pool_service\" \"this\" {}\n",
    );
    let out = data.fails(&["plan", "-no-color"]);
    let err = error_part(&out);
    assert_eq!(emu.count(STATUS), 3, "max_retries = 2: three attempts");
    assert!(
        err.contains("The provider gave up after 3 attempts in"),
        "{out}"
    );
    assert!(err.contains("(max_retries = 2)"), "{out}");
    assert!(err.contains("ServiceUnavailable"), "the cause: {out}");
}

/// An activation slower than `timeouts.create` ends in the provider's own wait between status
/// polls: the message says how long it waited of which limit, and that the activation may still
/// complete.
#[test]
fn an_activation_slower_than_the_create_timeout_names_timeouts_create() {
    let emu = Emulator::start_with(&["--activation-delay", "30000"]);
    let tf = setup(
        &emu,
        &format!("  access_key = \"{OTHER_KEY}\"\n  secret_key = \"{OTHER_SECRET}\""),
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {\n  timeouts {\n    create = \"3s\"\n  }\n}\n",
    );
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    let err = error_part(&out);
    assert!(
        err.contains("Timed out trying to activate the IP address pool feature"),
        "{out}"
    );
    assert!(
        err.contains("of the 3s allowed by timeouts.create while waiting for the status to report enabled in cn-hangzhou"),
        "{out}"
    );
    assert!(
        err.contains("Activation may still complete")
            && err.contains("timeouts { create = \"1m\" }"),
        "{out}"
    );
}

#[test]
fn a_shared_credentials_file_that_does_not_exist_is_named() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        "  shared_credentials_file = \"/nonexistent/aliyun.json\"",
        RESOURCE,
    );
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(out.contains("Credentials file not found"), "{out}");
    assert!(
        out.contains("/nonexistent/aliyun.json, which does not exist"),
        "{out}"
    );
    assert!(
        out.contains("shared_credentials_file = \"/nonexistent/aliyun.json\""),
        "points at the line: {out}"
    );
    assert!(!out.contains("No Alibaba Cloud credentials found"), "{out}");
}

#[test]
fn an_ecs_role_the_metadata_service_does_not_know_names_its_settings() {
    let emu = Emulator::start();
    let tf = setup(&emu, "  ecs_role_name = \"no-such-role\"", RESOURCE);
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    let err = error_part(&out);
    assert!(err.contains("Unknown ECS RAM role"), "{out}");
    assert!(err.contains("\"no-such-role\""), "{out}");
    assert!(
        err.contains("ecs_role_name") && err.contains("endpoints.ecs_metadata"),
        "{out}"
    );
    assert!(!err.contains("endpoints.vpc"), "{out}");
}

#[test]
fn a_refused_assume_role_says_it_came_from_the_assume_role_block() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        &format!(
            "  access_key = \"{OTHER_KEY}\"\n  secret_key = \"{OTHER_SECRET}\"\n  assume_role {{\n    role_arn = \"acs:ram::{OTHER_ACCOUNT}:role/no-such-role\"\n  }}"
        ),
        RESOURCE,
    );
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    let err = error_part(&out);
    assert!(
        err.contains("Cannot assume the RAM role requested by the provider's assume_role block"),
        "{out}"
    );
    assert!(
        err.contains(&format!("acs:ram::{OTHER_ACCOUNT}:role/no-such-role")),
        "{out}"
    );
    assert!(err.contains("EntityNotExist.Role"), "{out}");
}
