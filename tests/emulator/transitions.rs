//! The asynchronous states of `--operation-delay` (`Modifying`, `Deleting`, writes refused
//! meanwhile) and `--state` keeping pools, blocks and changes in progress across restarts.

use std::time::Duration;

use crate::client::{Mode, control};
use crate::pool_api::Api;
use terraform_provider_alicloudvpc::emulator::{self, Config};

const ADD: &str = "AddPublicIpAddressPoolCidrBlock";
const DELETE: &str = "DeletePublicIpAddressPoolCidrBlock";

#[tokio::test]
async fn operation_delay_keeps_blocks_and_pools_in_transition() {
    let emu = emulator::start(Config {
        operation_delay: Duration::from_millis(400),
        ..Config::default()
    })
    .await
    .unwrap();
    let api = Api::new(&emu.url(), Mode::V1Form).await;
    let id = api.create("slow").await;
    let block = api
        .ok(
            ADD,
            &[("PublicIpAddressPoolId", id.as_str()), ("CidrMask", "24")],
        )
        .await["CidrBlock"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(api.blocks(&id).await[0]["Status"], "Modifying");
    assert_eq!(api.pool(&id).await.unwrap()["Status"], "Modifying");
    let writes: &[(&str, &[(&str, &str)])] = &[
        ("UpdatePublicIpAddressPoolAttribute", &[("Name", "x")]),
        (ADD, &[("CidrMask", "28")]),
        (DELETE, &[("CidrBlock", block.as_str())]),
        ("DeletePublicIpAddressPool", &[]),
    ];
    for (action, extra) in writes {
        let mut p = vec![("PublicIpAddressPoolId", id.as_str())];
        p.extend_from_slice(extra);
        api.refused("IncorrectStatus.PublicIpAddressPool", action, &p)
            .await;
    }
    api.refused(
        "IncorrectStatus.PublicIpAddressPool",
        "TagResources",
        &[
            ("ResourceType", "PublicIpAddressPool"),
            ("ResourceId.1", id.as_str()),
            ("Tag.1.Key", "k"),
        ],
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(api.blocks(&id).await[0]["Status"], "Created");
    assert_eq!(api.pool(&id).await.unwrap()["Status"], "Created");

    api.ok(
        DELETE,
        &[
            ("PublicIpAddressPoolId", id.as_str()),
            ("CidrBlock", block.as_str()),
        ],
    )
    .await;
    assert_eq!(api.blocks(&id).await[0]["Status"], "Deleting");
    api.refused(
        "IncorrectStatus.PublicIpAddressPool",
        "DeletePublicIpAddressPool",
        &[("PublicIpAddressPoolId", id.as_str())],
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(api.blocks(&id).await.is_empty());

    api.ok(
        "DeletePublicIpAddressPool",
        &[("PublicIpAddressPoolId", id.as_str())],
    )
    .await;
    assert_eq!(api.pool(&id).await.unwrap()["Status"], "Deleting");
    api.refused(
        "IncorrectStatus.PublicIpAddressPool",
        "UpdatePublicIpAddressPoolAttribute",
        &[("PublicIpAddressPoolId", id.as_str()), ("Name", "x")],
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(api.pool(&id).await.is_none(), "gone after the delay");
}

#[tokio::test]
async fn state_file_keeps_pools_blocks_and_pending_changes_across_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let cfg = Config {
        state_file: Some(path.clone()),
        operation_delay: Duration::from_millis(1500),
        ..Config::default()
    };
    let emu = emulator::start(cfg.clone()).await.unwrap();
    let api = Api::new(&emu.url(), Mode::V3).await;
    let kept = api.create("kept").await;
    api.ok(
        "TagResources",
        &[
            ("ResourceType", "PUBLICIPADDRESSPOOL"),
            ("ResourceId.1", kept.as_str()),
            ("Tag.1.Key", "k"),
            ("Tag.1.Value", "v"),
        ],
    )
    .await;
    api.ok(
        ADD,
        &[
            ("PublicIpAddressPoolId", kept.as_str()),
            ("CidrBlock", "47.0.0.0/24"),
        ],
    )
    .await;
    let doomed = api.create("doomed").await;
    api.ok(
        "DeletePublicIpAddressPool",
        &[("PublicIpAddressPoolId", doomed.as_str())],
    )
    .await;
    emu.stop().await.unwrap();
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let pools = &saved["accounts"]["1234567890123456"]["pools"];
    assert_eq!(
        pools[0]["blocks"][0]["pending"]["change"], "modifying",
        "{saved}"
    );
    assert_eq!(pools[1]["pending"]["change"], "deleting", "{saved}");

    let emu = emulator::start(cfg.clone()).await.unwrap();
    let api = Api::new(&emu.url(), Mode::V1Query).await;
    let pool = api.pool(&kept).await.unwrap();
    assert_eq!(
        (pool["Status"].as_str(), pool["Tags"][0]["Key"].as_str()),
        (Some("Modifying"), Some("k"))
    );
    assert_eq!(api.pool(&doomed).await.unwrap()["Status"], "Deleting");
    let (_, state) = control(&emu.url(), "GET", "/_emulator/state", None).await;
    let shown = &state["accounts"][0]["pools"];
    assert_eq!(shown[0]["status"], "Modifying", "{state}");
    assert_eq!(shown[0]["blocks"][0]["status"], "Modifying");
    assert_eq!(state["operation_delay_ms"], 1500);
    tokio::time::sleep(Duration::from_millis(1700)).await;
    assert_eq!(api.blocks(&kept).await[0]["Status"], "Created");
    assert!(api.pool(&doomed).await.is_none());
    for _ in 0..5 {
        api.allocate(&kept, None).await;
    }
    emu.stop().await.unwrap();

    let emu = emulator::start(cfg).await.unwrap();
    let api = Api::new(&emu.url(), Mode::V1Form).await;
    let pool = api.pool(&kept).await.unwrap();
    assert_eq!(
        (pool["Status"].as_str(), pool["UsedIpNum"].as_u64()),
        (Some("Created"), Some(5))
    );
    assert_eq!(pool["TotalIpNum"], 256);
}
