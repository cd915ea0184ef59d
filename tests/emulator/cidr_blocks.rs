//! CIDR blocks: validation, overlap, allocation, and addresses in use (EIPs allocated from
//! the pool).

use crate::client::Mode;
use crate::pool_api::Api;
use crate::start;

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
async fn allocated_eips_block_deletion_and_count_in_totals() {
    let emu = start().await;
    let api = Api::new(&emu.url(), Mode::V3).await;
    let id = api.create("used").await;
    for cidr in ["47.0.0.0/28", "47.0.1.0/28"] {
        api.ok(
            ADD,
            &[("PublicIpAddressPoolId", id.as_str()), ("CidrBlock", cidr)],
        )
        .await;
    }
    let mut eips = Vec::new();
    for _ in 0..20 {
        let body = api.allocate(&id, None).await;
        eips.push(body["AllocationId"].as_str().unwrap().to_string());
    }
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
    for _ in 0..12 {
        let body = api.allocate(&id, None).await;
        eips.push(body["AllocationId"].as_str().unwrap().to_string());
    }
    api.refused(
        "ResourceNotEnough.PublicIpAddressPool",
        "AllocateEipAddress",
        &[("PublicIpAddressPoolId", id.as_str())],
    )
    .await;
    assert_eq!(api.pool(&id).await.unwrap()["IpAddressRemaining"], false);

    let second = [
        ("PublicIpAddressPoolId", id.as_str()),
        ("CidrBlock", "47.0.1.0/28"),
    ];
    let msg = api
        .refused("OperationDenied.CidrBlockInUse", DELETE, &second)
        .await;
    assert!(msg.contains("16 addresses in use"), "{msg}");
    let delete_pool = [("PublicIpAddressPoolId", id.as_str())];
    let msg = api
        .refused(
            "OperationDenied.PublicIpAddressPoolInUse",
            "DeletePublicIpAddressPool",
            &delete_pool,
        )
        .await;
    assert!(
        msg.contains("32 addresses in use") && msg.contains("release"),
        "{msg}"
    );

    // Addresses go in block order: the last sixteen EIPs hold the second block.
    for eip in &eips[16..] {
        api.release(eip).await;
    }
    api.ok(DELETE, &second).await;
    api.refused(
        "OperationDenied.PublicIpAddressPoolInUse",
        "DeletePublicIpAddressPool",
        &delete_pool,
    )
    .await;
    for eip in &eips[..16] {
        api.release(eip).await;
    }
    api.ok("DeletePublicIpAddressPool", &delete_pool).await;
}
