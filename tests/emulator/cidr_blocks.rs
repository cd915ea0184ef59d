//! CIDR blocks: validation, overlap, allocation, addresses in use (the allocations control
//! endpoint), the asynchronous states of `--operation-delay`, and `--state` across a restart.

use std::time::Duration;

use serde_json::json;

use crate::client::{Mode, control};
use crate::pool_api::Api;
use crate::start;
use terraform_provider_alicloudvpc::emulator::{self, Config};

const ADD: &str = "AddPublicIpAddressPoolCidrBlock";
const DELETE: &str = "DeletePublicIpAddressPoolCidrBlock";

#[tokio::test]
async fn cidr_block_refusals_dry_run_and_client_token() {
    let emu = start().await;
    let api = Api::new(&emu.url(), Mode::V1Query).await;
    let a = api.create("a").await;
    let b = api.create("b").await;
    api.ok(
        ADD,
        &[
            ("PublicIpAddressPoolId", a.as_str()),
            ("CidrBlock", "47.0.0.0/24"),
        ],
    )
    .await;
    // Overlap with a block of the account, in another pool too; the message names it.
    for cidr in ["47.0.0.0/24", "47.0.0.128/28"] {
        let msg = api
            .refused(
                "InvalidCidrBlock.Overlapped",
                ADD,
                &[("PublicIpAddressPoolId", b.as_str()), ("CidrBlock", cidr)],
            )
            .await;
        assert!(msg.contains("47.0.0.0/24") && msg.contains(&a), "{msg}");
    }
    let checks: &[(&str, &[(&str, &str)])] = &[
        ("InvalidParameter.CidrMask", &[("CidrMask", "23")]),
        ("InvalidParameter.CidrMask", &[("CidrMask", "29")]),
        ("InvalidParameter.CidrMask", &[("CidrMask", "x")]),
        (
            "InvalidParameter.CidrBlock",
            &[("CidrBlock", "47.1.0.0/23")],
        ),
        (
            "InvalidParameter.CidrBlock",
            &[("CidrBlock", "47.1.0.0/29")],
        ),
        (
            "InvalidParameter.CidrBlock",
            &[("CidrBlock", "47.1.0.1/24")],
        ),
        ("InvalidParameter.CidrBlock", &[("CidrBlock", "47.1.0.0")]),
        (
            "InvalidParameter.CidrBlock",
            &[("CidrBlock", "2001:db8::/120")],
        ),
        (
            "InvalidParameter.CidrBlockAndCidrMask",
            &[("CidrBlock", "47.1.0.0/24"), ("CidrMask", "24")],
        ),
        ("MissingParameter", &[]),
    ];
    for (code, params) in checks {
        let mut p = vec![("PublicIpAddressPoolId", b.as_str())];
        p.extend_from_slice(params);
        api.refused(code, ADD, &p).await;
    }
    api.refused(
        "ResourceNotFound.PublicIpAddressPool",
        ADD,
        &[
            ("PublicIpAddressPoolId", "pippool-none"),
            ("CidrMask", "24"),
        ],
    )
    .await;
    api.refused(
        "DryRunOperation",
        ADD,
        &[
            ("PublicIpAddressPoolId", b.as_str()),
            ("CidrMask", "24"),
            ("DryRun", "true"),
        ],
    )
    .await;
    assert!(api.blocks(&b).await.is_empty());
    // The same ClientToken: one block, the first answer.
    let params = [
        ("PublicIpAddressPoolId", b.as_str()),
        ("CidrMask", "26"),
        ("ClientToken", "add-1"),
    ];
    let first = api.ok(ADD, &params).await;
    assert_eq!(api.ok(ADD, &params).await, first);
    assert_eq!(api.blocks(&b).await.len(), 1);
    assert_eq!(first["CidrBlock"], "47.105.0.0/26");
    api.refused(
        "ResourceNotFound.PublicIpAddressPoolCidrBlock",
        DELETE,
        &[
            ("PublicIpAddressPoolId", b.as_str()),
            ("CidrBlock", "47.9.0.0/24"),
        ],
    )
    .await;
    api.refused(
        "DryRunOperation",
        DELETE,
        &[
            ("PublicIpAddressPoolId", b.as_str()),
            ("CidrBlock", "47.105.0.0/26"),
            ("DryRun", "true"),
        ],
    )
    .await;
    assert_eq!(api.blocks(&b).await.len(), 1);
    // A pool holds at most 16 blocks.
    for _ in 1..16 {
        api.ok(
            ADD,
            &[("PublicIpAddressPoolId", b.as_str()), ("CidrMask", "28")],
        )
        .await;
    }
    api.refused(
        "QuotaExceeded.PublicIpAddressPoolCidrBlock",
        ADD,
        &[("PublicIpAddressPoolId", b.as_str()), ("CidrMask", "28")],
    )
    .await;
}

#[tokio::test]
async fn allocated_addresses_block_deletion_and_count_in_totals() {
    let emu = start().await;
    let api = Api::new(&emu.url(), Mode::V3).await;
    let id = api.create("used").await;
    api.ok(
        ADD,
        &[
            ("PublicIpAddressPoolId", id.as_str()),
            ("CidrBlock", "47.0.0.0/28"),
        ],
    )
    .await;
    api.ok(
        ADD,
        &[
            ("PublicIpAddressPoolId", id.as_str()),
            ("CidrBlock", "47.0.1.0/28"),
        ],
    )
    .await;
    let (s, body) = api.allocations("POST", &id, json!({"count": 20})).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["pool"]["used_ip_num"], 20);
    let pool = api.pool(&id).await.unwrap();
    assert_eq!(
        (pool["TotalIpNum"].as_u64(), pool["UsedIpNum"].as_u64()),
        (Some(32), Some(20))
    );
    assert_eq!(pool["IpAddressRemaining"], true);
    let used: Vec<u64> = api
        .blocks(&id)
        .await
        .iter()
        .map(|b| b["UsedIpNum"].as_u64().unwrap())
        .collect();
    assert_eq!(used, [16, 4]);
    let (s, _) = api.allocations("POST", &id, json!({"count": 13})).await;
    assert_eq!(s, 409, "only 12 free");
    let (s, _) = api
        .allocations(
            "POST",
            &id,
            json!({"cidr_block": "47.0.1.0/28", "count": 12}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(api.pool(&id).await.unwrap()["IpAddressRemaining"], false);

    let msg = api
        .refused(
            "OperationDenied.CidrBlockInUse",
            DELETE,
            &[
                ("PublicIpAddressPoolId", id.as_str()),
                ("CidrBlock", "47.0.1.0/28"),
            ],
        )
        .await;
    assert!(msg.contains("16 addresses in use"), "{msg}");
    let msg = api
        .refused(
            "OperationDenied.PublicIpAddressPoolInUse",
            "DeletePublicIpAddressPool",
            &[("PublicIpAddressPoolId", id.as_str())],
        )
        .await;
    assert!(
        msg.contains("32 addresses in use") && msg.contains("release"),
        "{msg}"
    );

    let (s, _) = api
        .allocations("DELETE", &id, json!({"cidr_block": "47.0.1.0/28"}))
        .await;
    assert_eq!(s, 200);
    api.ok(
        DELETE,
        &[
            ("PublicIpAddressPoolId", id.as_str()),
            ("CidrBlock", "47.0.1.0/28"),
        ],
    )
    .await;
    let (s, _) = api.allocations("DELETE", &id, json!({"count": 17})).await;
    assert_eq!(s, 409, "only 16 allocated");
    let (s, _) = api.allocations("DELETE", &id, json!({"count": 16})).await;
    assert_eq!(s, 200);
    api.ok(
        "DeletePublicIpAddressPool",
        &[("PublicIpAddressPoolId", id.as_str())],
    )
    .await;

    let (s, _) = api
        .allocations("POST", "pippool-none", json!({"count": 1}))
        .await;
    assert_eq!(s, 404);
    let other = api.create("other").await;
    for bad in [
        json!({"count": 0}),
        json!({"count": 1, "extra": true}),
        json!({"cidr_block": "x", "count": 1}),
    ] {
        let (s, _) = api.allocations("POST", &other, bad).await;
        assert_eq!(s, 400);
    }
    let (s, _) = api
        .allocations(
            "POST",
            &other,
            json!({"cidr_block": "47.5.0.0/24", "count": 1}),
        )
        .await;
    assert_eq!(s, 404, "no such block");
}

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
    let (s, _) = api.allocations("POST", &kept, json!({"count": 5})).await;
    assert_eq!(s, 200);
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
