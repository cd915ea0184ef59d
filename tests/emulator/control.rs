//! The control API, faults, the request log and the `--state` file.

use std::time::{Duration, Instant};

use crate::client::{Call, Client, Mode, control};
use crate::{DEMO_ACCOUNT, put_region, start};
use serde_json::json;
use terraform_provider_alicloudvpc::emulator::{self, Config};

#[tokio::test]
async fn control_api_endpoints() {
    let emu = start().await;
    let url = emu.url();
    let c = Client::demo(&url);

    let s = put_region(&url, DEMO_ACCOUNT, "cn-qingdao", json!({"enabled": true})).await;
    assert_eq!(s, 200);
    assert_eq!(
        c.call(&Call::status(Mode::V1Query, "cn-qingdao"))
            .await
            .body["Enabled"],
        true
    );
    let (_, state) = control(&url, "GET", "/_emulator/state", None).await;
    assert_eq!(state["accounts"][0]["account_id"], DEMO_ACCOUNT);
    assert_eq!(
        state["accounts"][0]["enabled_regions"],
        json!(["cn-qingdao"])
    );
    let s = put_region(&url, DEMO_ACCOUNT, "cn-qingdao", json!({"enabled": false})).await;
    assert_eq!(s, 200);
    assert_eq!(
        c.call(&Call::status(Mode::V1Query, "cn-qingdao"))
            .await
            .body["Enabled"],
        false
    );
    let s = put_region(&url, "999", "cn-qingdao", json!({"enabled": true})).await;
    assert_eq!(s, 404);
    let s = put_region(&url, DEMO_ACCOUNT, "nowhere", json!({"enabled": true})).await;
    assert_eq!(s, 400);
    let s = put_region(&url, DEMO_ACCOUNT, "cn-qingdao", json!({"on": 1})).await;
    assert_eq!(s, 400);

    // Request log
    let call = Call::open(Mode::V1Form, "cn-hangzhou").param("ClientToken", "ct-9");
    c.call(&call).await;
    let (_, log) = control(&url, "GET", "/_emulator/requests", None).await;
    let last = log.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "OpenPublicIpAddressPoolService");
    assert_eq!(last["region"], "cn-hangzhou");
    assert_eq!(last["access_key_id"], "emulator-access-key");
    assert_eq!(last["client_token"], "ct-9");
    assert_eq!(last["signature_method"], "HMAC-SHA1");
    assert!(last["signature_nonce"].is_string());
    assert!(last["time"].is_string());
    assert_eq!(last["http_status"], 200);
    assert!(last["code"].is_null());
    let (s, _) = control(&url, "DELETE", "/_emulator/requests", None).await;
    assert_eq!(s, 200);
    let (_, log) = control(&url, "GET", "/_emulator/requests", None).await;
    assert_eq!(log, json!([]));

    // Faults are listed in the state, and cleared by DELETE and by reset.
    let (s, _) = control(
        &url,
        "POST",
        "/_emulator/faults",
        Some(json!({"action": "X", "code": "Throttling.User"})),
    )
    .await;
    assert_eq!(s, 200);
    let (_, state) = control(&url, "GET", "/_emulator/state", None).await;
    assert_eq!(state["faults"][0]["code"], "Throttling.User");
    let (s, _) = control(&url, "DELETE", "/_emulator/faults", None).await;
    assert_eq!(s, 200);
    let (_, state) = control(&url, "GET", "/_emulator/state", None).await;
    assert_eq!(state["faults"], json!([]));
    let (s, _) = control(
        &url,
        "POST",
        "/_emulator/faults",
        Some(json!({"action": "X"})),
    )
    .await;
    assert_eq!(s, 400, "a fault that does nothing is refused");

    // Reset forgets activations, faults and the log.
    control(
        &url,
        "POST",
        "/_emulator/faults",
        Some(json!({"code": "SystemBusy"})),
    )
    .await;
    let (s, _) = control(&url, "POST", "/_emulator/reset", None).await;
    assert_eq!(s, 200);
    let (_, state) = control(&url, "GET", "/_emulator/state", None).await;
    assert_eq!(state["accounts"][0]["enabled_regions"], json!([]));
    assert_eq!(state["faults"], json!([]));
    assert_eq!(
        c.call(&Call::status(Mode::V3, "cn-hangzhou")).await.body["Enabled"],
        false
    );

    let (s, _) = control(&url, "GET", "/_emulator/nothing", None).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn faults_code_times_delay_and_drop() {
    let emu = start().await;
    let url = emu.url();
    let c = Client::demo(&url);
    control(
        &url,
        "POST",
        "/_emulator/faults",
        Some(json!({"action": "OpenPublicIpAddressPoolService", "region_id": "cn-hangzhou",
                    "code": "Throttling.User", "http_status": 503, "message": "slow down", "times": 2})),
    )
    .await;
    // Other region: not matched.
    assert_eq!(
        c.call(&Call::status(Mode::V3, "cn-hangzhou")).await.status,
        200
    );
    for _ in 0..2 {
        let r = c.call(&Call::open(Mode::V3, "cn-hangzhou")).await;
        assert_eq!(
            (r.status, r.code(), r.message()),
            (503, "Throttling.User", "slow down")
        );
        assert!(r.body["RequestId"].is_string());
    }
    assert_eq!(
        c.call(&Call::open(Mode::V3, "cn-hangzhou")).await.status,
        200
    );

    // Signature checks come first: a badly signed request gets the gateway error, not the fault.
    control(
        &url,
        "POST",
        "/_emulator/faults",
        Some(json!({"code": "SystemBusy", "times": 1})),
    )
    .await;
    let bad = Client::new(&url, "emulator-access-key", "wrong");
    assert_eq!(
        bad.call(&Call::status(Mode::V1Query, "cn-hangzhou"))
            .await
            .code(),
        "SignatureDoesNotMatch"
    );
    assert_eq!(
        c.call(&Call::status(Mode::V1Query, "cn-hangzhou"))
            .await
            .code(),
        "SystemBusy"
    );

    // Delay alone: a slow but normal answer.
    control(
        &url,
        "POST",
        "/_emulator/faults",
        Some(json!({"delay_ms": 300, "times": 1})),
    )
    .await;
    let t = Instant::now();
    let r = c.call(&Call::status(Mode::V1Query, "cn-hangzhou")).await;
    assert_eq!(r.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));

    // Drop: the connection closes without a response.
    control(
        &url,
        "POST",
        "/_emulator/faults",
        Some(json!({"drop_connection": true, "times": 1})),
    )
    .await;
    let err = c.send(&Call::status(Mode::V1Query, "cn-hangzhou")).await;
    assert!(err.is_err(), "expected a transport error");
    assert_eq!(
        c.call(&Call::status(Mode::V1Query, "cn-hangzhou"))
            .await
            .status,
        200
    );
    let (_, log) = control(&url, "GET", "/_emulator/requests", None).await;
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "DroppedConnection" && r["http_status"].is_null())
    );
}

#[tokio::test]
async fn state_persists_across_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let cfg = Config {
        state_file: Some(path.clone()),
        ..Config::default()
    };
    let emu = emulator::start(cfg.clone()).await.unwrap();
    assert!(path.exists(), "a missing state file is created");
    let c = Client::demo(&emu.url());
    assert_eq!(
        c.call(&Call::open(Mode::V3, "eu-central-1")).await.status,
        200
    );
    emu.stop().await.unwrap();

    let emu = emulator::start(cfg).await.unwrap();
    let c = Client::demo(&emu.url());
    assert_eq!(
        c.call(&Call::status(Mode::V1Query, "eu-central-1"))
            .await
            .body["Enabled"],
        true
    );
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(
        saved["accounts"]["1234567890123456"]["enabled_regions"],
        json!(["eu-central-1"])
    );
}

#[tokio::test]
async fn corrupt_state_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, b"{ this is not json").unwrap();
    let err = emulator::start(Config {
        state_file: Some(path.clone()),
        ..Config::default()
    })
    .await
    .err()
    .expect("corrupt state must be refused");
    assert!(err.to_string().contains("corrupt"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"{ this is not json");

    // The binary: non-zero exit, no `listening on` line, file untouched.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_alicloudvpc-emulator"))
        .args(["--listen", "127.0.0.1:0", "--state"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("corrupt"));
    assert_eq!(std::fs::read(&path).unwrap(), b"{ this is not json");
}
