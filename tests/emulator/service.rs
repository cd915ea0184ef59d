//! The activation operations: Open and the status, ClientToken replay, concurrency.

use std::time::Duration;

use crate::client::{Call, Client, Mode, control};
use crate::{start, start_with_delay};
use serde_json::json;

#[tokio::test]
async fn open_then_status_then_exceed_purchase_limit() {
    let emu = start().await;
    let c = Client::demo(&emu.url());
    let r = c.call(&Call::open(Mode::V1Form, "cn-shanghai")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["Code"], "200");
    assert_eq!(r.body["Message"], "successful");
    let r = c.call(&Call::status(Mode::V3, "cn-shanghai")).await;
    assert_eq!(r.body["Enabled"], true);
    let r = c.call(&Call::status(Mode::V3, "cn-beijing")).await;
    assert_eq!(r.body["Enabled"], false);
    let r = c.call(&Call::open(Mode::V3, "cn-shanghai")).await;
    assert_eq!(
        r.status_code(),
        (400, "OperationFailed.ExceedPurchaseLimit")
    );
}

#[tokio::test]
async fn client_token_replay_returns_first_answer() {
    let emu = start().await;
    let c = Client::demo(&emu.url());
    let call = Call::open(Mode::V1Query, "cn-hangzhou").param("ClientToken", "token-1");
    let first = c.call(&call).await;
    assert_eq!(first.status, 200);
    let again = c.call(&call).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body, first.body);
    // Same token, other region: refused rather than answering for the wrong region.
    let other = Call::open(Mode::V1Query, "cn-beijing").param("ClientToken", "token-1");
    assert_eq!(c.call(&other).await.code(), "IdempotentParameterMismatch");
    // A new token after activation is the documented "already" error.
    let fresh = Call::open(Mode::V3, "cn-hangzhou").param("ClientToken", "token-2");
    assert_eq!(
        c.call(&fresh).await.code(),
        "OperationFailed.ExceedPurchaseLimit"
    );
}

#[tokio::test]
async fn concurrent_opens_give_one_activation_and_conflicts() {
    let emu = start_with_delay(400).await;
    let c = Client::demo(&emu.url());
    let regions = [
        "cn-hangzhou",
        "cn-beijing",
        "cn-shanghai",
        "cn-shenzhen",
        "cn-hangzhou",
    ];
    let tasks: Vec<_> = regions
        .iter()
        .map(|r| {
            let c = c.clone();
            let call = Call::open(Mode::V3, r);
            tokio::spawn(async move { c.call(&call).await })
        })
        .collect();
    let mut ok = Vec::new();
    let mut conflicts = 0;
    for (t, region) in tasks.into_iter().zip(regions) {
        let r = t.await.unwrap();
        match r.status {
            200 => ok.push(region),
            400 => {
                assert_eq!(r.code(), "OperationConflict", "{}", r.body);
                assert!(r.message().contains("concurrent"));
                conflicts += 1;
            }
            s => panic!("unexpected {s}: {}", r.body),
        }
    }
    assert_eq!((ok.len(), conflicts), (1, 4));
    let region = ok[0];
    // Pending: not enabled yet, and still conflicting.
    assert_eq!(
        c.call(&Call::status(Mode::V1Query, region)).await.body["Enabled"],
        false
    );
    let (_, state) = control(&emu.url(), "GET", "/_emulator/state", None).await;
    assert_eq!(state["accounts"][0]["pending_regions"], json!([region]));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        c.call(&Call::status(Mode::V1Query, region)).await.body["Enabled"],
        true
    );
    let (_, state) = control(&emu.url(), "GET", "/_emulator/state", None).await;
    assert_eq!(state["accounts"][0]["enabled_regions"], json!([region]));
    assert_eq!(state["accounts"][0]["pending_regions"], json!([]));
}
