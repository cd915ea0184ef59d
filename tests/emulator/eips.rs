//! EIPs through the provider's client: allocation from a pool (addresses, used counts, the
//! pool's rules, a full pool), `ClientToken` replay, release, and pools and blocks that cannot
//! go while EIPs hold their addresses. `eips_more` covers describe, modify, protection, tags,
//! delays and restarts.

use std::time::Duration;

use terraform_provider_alicloudvpc::alicloud::vpc::{
    AddPublicIpAddressPoolCidrBlockRequest, AllocateEipAddressRequest,
    CreatePublicIpAddressPoolRequest, DeletePublicIpAddressPoolCidrBlockRequest,
    DeletePublicIpAddressPoolRequest, DescribeEipAddressesRequest, EipAddress,
    ReleaseEipAddressRequest,
};
use terraform_provider_alicloudvpc::alicloud::{Client, SignVersion};

use crate::pools_client::{
    REGION, activate, client, create, creds, expect_api, list_blocks, opts, start, the_pool,
};

/// A pool in [`REGION`] with the given blocks, all `Created`.
pub(crate) async fn pool_with(c: &Client, name: &str, blocks: &[&str]) -> String {
    activate(c, REGION).await;
    let pool = create(c, &format!("create-{name}"), name).await;
    for (i, cidr) in blocks.iter().enumerate() {
        let request = AddPublicIpAddressPoolCidrBlockRequest {
            public_ip_address_pool_id: pool.clone(),
            cidr_block: Some(cidr.to_string()),
            ..Default::default()
        };
        c.add_public_ip_address_pool_cidr_block(
            &creds(),
            REGION,
            &format!("add-{name}-{i}"),
            &request,
            &opts(),
        )
        .await
        .expect("add block");
    }
    pool
}

pub(crate) fn from_pool(pool: &str, ip: Option<&str>) -> AllocateEipAddressRequest {
    AllocateEipAddressRequest {
        public_ip_address_pool_id: Some(pool.into()),
        ip_address: ip.map(str::to_string),
        ..Default::default()
    }
}

/// Allocates with `token`; (AllocationId, address).
pub(crate) async fn allocate(
    c: &Client,
    token: &str,
    request: &AllocateEipAddressRequest,
) -> (String, String) {
    let r = c
        .allocate_eip_address(&creds(), REGION, token, request, &opts())
        .await
        .unwrap_or_else(|e| panic!("allocate {request:?}: {e}"));
    (r.allocation_id, r.eip_address)
}

pub(crate) async fn release(c: &Client, id: &str) {
    let request = ReleaseEipAddressRequest {
        allocation_id: id.into(),
    };
    c.release_eip_address(&creds(), REGION, &request, &opts())
        .await
        .unwrap_or_else(|e| panic!("release {id}: {e}"));
}

pub(crate) async fn describe(c: &Client, filter: DescribeEipAddressesRequest) -> Vec<EipAddress> {
    c.describe_all_eip_addresses(&creds(), REGION, &filter, &opts())
        .await
        .expect("describe")
}

async fn of_pool(c: &Client, pool: &str) -> Vec<EipAddress> {
    let filter = DescribeEipAddressesRequest {
        public_ip_address_pool_id: Some(pool.into()),
        ..Default::default()
    };
    describe(c, filter).await
}

/// (pool UsedIpNum, IpAddressRemaining, each block's UsedIpNum) from the two List calls.
async fn usage(c: &Client, pool: &str) -> (u64, bool, Vec<u64>) {
    let p = the_pool(c, pool).await;
    let blocks = list_blocks(c, pool).await;
    (
        p.used_ip_num,
        p.ip_address_remaining,
        blocks.iter().map(|b| b.used_ip_num).collect(),
    )
}

#[tokio::test]
async fn eips_from_a_pool_take_its_addresses_and_follow_its_rules() {
    let emu = start(Duration::ZERO).await;
    let c = client(&emu, SignVersion::V3);
    let pool = pool_with(&c, "web", &["47.0.0.0/28", "47.0.1.0/28"]).await;
    assert_eq!(usage(&c, &pool).await, (0, true, vec![0, 0]));

    let (first, address) = allocate(&c, "a1", &from_pool(&pool, None)).await;
    assert!(
        first.starts_with("eip-") && first.len() == 25,
        "AllocationId {first}"
    );
    assert_eq!(
        address, "47.0.0.0",
        "the first free address of the first block"
    );
    let (_, picked) = allocate(&c, "a2", &from_pool(&pool, Some("47.0.1.5"))).await;
    assert_eq!(picked, "47.0.1.5");
    assert_eq!(usage(&c, &pool).await, (2, true, vec![1, 1]));

    // The same ClientToken answers the first EIP again: no second allocation.
    assert_eq!(
        allocate(&c, "a1", &from_pool(&pool, None)).await,
        (first.clone(), address)
    );
    assert_eq!(of_pool(&c, &pool).await.len(), 2);

    for (token, request, code) in [
        (
            "r1",
            from_pool(&pool, Some("47.9.0.1")),
            "Mismatch.IpAndPublicIpAddressPool",
        ),
        ("r2", from_pool(&pool, Some("47.0.1.5")), "Ip.Allocated"),
        (
            "r3",
            from_pool(&pool, Some("not-an-ip")),
            "InvalidParameter.IpAddress",
        ),
        (
            "r4",
            AllocateEipAddressRequest {
                ip_address: Some("39.105.0.9".into()),
                ..Default::default()
            },
            "InvalidParameter.IpAddress",
        ),
        (
            "r5",
            AllocateEipAddressRequest {
                isp: Some("ChinaTelecom".into()),
                ..from_pool(&pool, None)
            },
            "OperationDenied.PublicIpAddressPoolIspMismatch",
        ),
        (
            "r6",
            AllocateEipAddressRequest {
                security_protection_types: vec!["AntiDDoS_Enhanced".into()],
                ..from_pool(&pool, None)
            },
            "OperationDenied.PublicIpAddressPoolSecurityProtectionMismatch",
        ),
        (
            "r7",
            from_pool("pippool-doesnotexist", None),
            "ResourceNotFound.PublicIpAddressPool",
        ),
        (
            "r8",
            AllocateEipAddressRequest {
                bandwidth: Some("501".into()),
                ..from_pool(&pool, None)
            },
            "InvalidBandwidth.Malformed",
        ),
        (
            "r9",
            AllocateEipAddressRequest {
                instance_charge_type: Some("PrePaid".into()),
                ..from_pool(&pool, None)
            },
            "InvalidParameter.InstanceChargeType",
        ),
    ] {
        expect_api(
            c.allocate_eip_address(&creds(), REGION, token, &request, &opts())
                .await,
            code,
        );
    }

    // Fill the pool: 32 addresses, 2 taken.
    let mut ids = vec![first];
    for i in 0..30 {
        ids.push(
            allocate(&c, &format!("fill-{i}"), &from_pool(&pool, None))
                .await
                .0,
        );
    }
    assert_eq!(usage(&c, &pool).await, (32, false, vec![16, 16]));
    expect_api(
        c.allocate_eip_address(&creds(), REGION, "full", &from_pool(&pool, None), &opts())
            .await,
        "ResourceNotEnough.PublicIpAddressPool",
    );
    let in_second: Vec<String> = of_pool(&c, &pool)
        .await
        .into_iter()
        .filter(|e| e.ip_address.starts_with("47.0.1."))
        .map(|e| e.allocation_id)
        .collect();
    assert_eq!(in_second.len(), 16);

    let delete_block = DeletePublicIpAddressPoolCidrBlockRequest {
        public_ip_address_pool_id: pool.clone(),
        cidr_block: "47.0.1.0/28".into(),
        dry_run: false,
    };
    expect_api(
        c.delete_public_ip_address_pool_cidr_block(&creds(), REGION, "", &delete_block, &opts())
            .await,
        "OperationDenied.CidrBlockInUse",
    );
    for id in &in_second {
        release(&c, id).await;
    }
    assert_eq!(usage(&c, &pool).await, (16, true, vec![16, 0]));
    // A released address is free again.
    let (again, addr) = allocate(&c, "again", &from_pool(&pool, None)).await;
    assert_eq!(addr, "47.0.1.0");
    release(&c, &again).await;
    c.delete_public_ip_address_pool_cidr_block(&creds(), REGION, "", &delete_block, &opts())
        .await
        .expect("an unused block goes");

    let delete_pool = DeletePublicIpAddressPoolRequest {
        public_ip_address_pool_id: pool.clone(),
        dry_run: false,
    };
    expect_api(
        c.delete_public_ip_address_pool(&creds(), REGION, "", &delete_pool, &opts())
            .await,
        "OperationDenied.PublicIpAddressPoolInUse",
    );
    for e in of_pool(&c, &pool).await {
        release(&c, &e.allocation_id).await;
    }
    c.delete_public_ip_address_pool(&creds(), REGION, "", &delete_pool, &opts())
        .await
        .expect("an unused pool goes");
    expect_api(
        c.release_eip_address(
            &creds(),
            REGION,
            &ReleaseEipAddressRequest {
                allocation_id: ids[0].clone(),
            },
            &opts(),
        )
        .await,
        "InvalidAllocationId.NotFound",
    );
}

#[tokio::test]
async fn a_pool_with_protection_or_another_line_gives_matching_eips_only() {
    let emu = start(Duration::ZERO).await;
    let c = client(&emu, SignVersion::V1);
    activate(&c, REGION).await;
    let request = CreatePublicIpAddressPoolRequest {
        name: Some("guarded".into()),
        security_protection_types: vec!["AntiDDoS_Enhanced".into()],
        ..Default::default()
    };
    let pool = c
        .create_public_ip_address_pool(&creds(), REGION, "p", &request, &opts())
        .await
        .expect("create")
        .public_ip_address_pool_id;
    let add = AddPublicIpAddressPoolCidrBlockRequest {
        public_ip_address_pool_id: pool.clone(),
        cidr_mask: Some(28),
        ..Default::default()
    };
    let block = c
        .add_public_ip_address_pool_cidr_block(&creds(), REGION, "b", &add, &opts())
        .await
        .expect("add")
        .cidr_block;
    expect_api(
        c.allocate_eip_address(&creds(), REGION, "x", &from_pool(&pool, None), &opts())
            .await,
        "OperationDenied.PublicIpAddressPoolSecurityProtectionMismatch",
    );
    let matching = AllocateEipAddressRequest {
        security_protection_types: vec!["AntiDDoS_Enhanced".into()],
        ..from_pool(&pool, None)
    };
    let (id, address) = allocate(&c, "y", &matching).await;
    assert!(address.starts_with("47.105.0."), "{address} in {block}");
    let eip = &of_pool(&c, &pool).await[0];
    assert_eq!(eip.allocation_id, id);
    assert_eq!(eip.security_protection_types, vec!["AntiDDoS_Enhanced"]);
    assert_eq!(eip.public_ip_address_pool_id, pool);

    // Without a pool, addresses come from the region's own EIP space.
    let (_, plain) = allocate(&c, "z", &AllocateEipAddressRequest::default()).await;
    assert_eq!(plain, "39.105.0.0");
}

#[tokio::test]
async fn faults_and_the_request_log_cover_the_eip_operations() {
    use serde_json::json;

    use crate::client::control;

    let emu = start(Duration::ZERO).await;
    let c = client(&emu, SignVersion::V3);
    let fault = json!({"action": "AllocateEipAddress", "code": "Throttling.User", "times": 1});
    let (status, _) = control(&emu.url(), "POST", "/_emulator/faults", Some(fault)).await;
    assert_eq!(status, 200);
    // The client retries throttling with the same ClientToken: one EIP in the end.
    let (id, _) = allocate(&c, "once", &AllocateEipAddressRequest::default()).await;
    release(&c, &id).await;
    let (_, log) = control(&emu.url(), "GET", "/_emulator/requests", None).await;
    let seen: Vec<(&str, &str, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap_or_default(),
                r["client_token"].as_str().unwrap_or_default(),
                r["code"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("AllocateEipAddress", "once", "Throttling.User"),
            ("AllocateEipAddress", "once", ""),
            ("ReleaseEipAddress", "", ""),
        ]
    );
    let (_, state) = control(&emu.url(), "GET", "/_emulator/state", None).await;
    assert!(
        state["accounts"][0]["eips"].as_array().unwrap().is_empty(),
        "{state}"
    );
}
