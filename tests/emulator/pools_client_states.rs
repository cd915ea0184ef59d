//! Refusals, transitional states and restarts through the provider's client. A refusal is
//! `Error::Api` with the emulator's code and a `RequestId`, not retried unless the code says the
//! state is transient.

use std::time::Duration;

use terraform_provider_alicloudvpc::alicloud::vpc::{
    AddPublicIpAddressPoolCidrBlockRequest, AllocateEipAddressRequest,
    CreatePublicIpAddressPoolRequest, DeletePublicIpAddressPoolCidrBlockRequest,
    DeletePublicIpAddressPoolRequest,
};
use terraform_provider_alicloudvpc::alicloud::{
    CallOptions, Client, ClientConfig, Error, SignVersion, Tag,
};
use terraform_provider_alicloudvpc::emulator::{self, Config};

use crate::pools_client::{
    REGION, activate, client, create, creds, expect_api, list_blocks, opts, start, the_pool,
};

#[tokio::test]
async fn refusals_are_api_errors_with_the_code() {
    let emu = start(Duration::ZERO).await;
    let c = client(&emu, SignVersion::V1);
    let other = "cn-beijing";
    expect_api(
        c.create_public_ip_address_pool(&creds(), other, "t", &Default::default(), &opts())
            .await,
        "OperationDenied.PublicIpAddressPoolServiceNotOpened",
    );
    activate(&c, REGION).await;
    let dry = CreatePublicIpAddressPoolRequest {
        dry_run: true,
        ..Default::default()
    };
    expect_api(
        c.create_public_ip_address_pool(&creds(), REGION, "dry", &dry, &opts())
            .await,
        "DryRunOperation",
    );
    let mut ids = Vec::new();
    for i in 0..16 {
        ids.push(create(&c, &format!("quota-{i}"), &format!("q{i}")).await);
    }
    let seventeenth = c
        .create_public_ip_address_pool(&creds(), REGION, "quota-16", &Default::default(), &opts())
        .await;
    expect_api(seventeenth, "QuotaExceeded.PublicIpAddressPool");

    let pool = ids[0].clone();
    let add =
        |cidr_block: Option<&str>, cidr_mask: Option<u8>| AddPublicIpAddressPoolCidrBlockRequest {
            public_ip_address_pool_id: pool.clone(),
            cidr_block: cidr_block.map(str::to_string),
            cidr_mask,
            dry_run: false,
        };
    let block = c
        .add_public_ip_address_pool_cidr_block(
            &creds(),
            REGION,
            "b1",
            &add(Some("47.120.0.0/24"), None),
            &opts(),
        )
        .await
        .expect("first block");
    assert_eq!(block.cidr_block, "47.120.0.0/24");
    for (token, request, code) in [
        (
            "b2",
            add(Some("47.120.0.128/25"), None),
            "InvalidCidrBlock.Overlapped",
        ),
        ("b3", add(None, Some(30)), "InvalidParameter.CidrMask"),
        (
            "b4",
            add(Some("47.121.0.0/24"), Some(24)),
            "InvalidParameter.CidrBlockAndCidrMask",
        ),
        ("b5", add(None, None), "MissingParameter"),
    ] {
        expect_api(
            c.add_public_ip_address_pool_cidr_block(&creds(), REGION, token, &request, &opts())
                .await,
            code,
        );
    }

    let allocate = AllocateEipAddressRequest {
        public_ip_address_pool_id: Some(pool.clone()),
        ..Default::default()
    };
    for token in ["e1", "e2", "e3"] {
        c.allocate_eip_address(&creds(), REGION, token, &allocate, &opts())
            .await
            .expect("allocate");
    }
    let delete_block = DeletePublicIpAddressPoolCidrBlockRequest {
        public_ip_address_pool_id: pool.clone(),
        cidr_block: "47.120.0.0/24".into(),
        dry_run: false,
    };
    expect_api(
        c.delete_public_ip_address_pool_cidr_block(&creds(), REGION, "d1", &delete_block, &opts())
            .await,
        "OperationDenied.CidrBlockInUse",
    );
    let delete_pool = DeletePublicIpAddressPoolRequest {
        public_ip_address_pool_id: pool.clone(),
        dry_run: false,
    };
    expect_api(
        c.delete_public_ip_address_pool(&creds(), REGION, "d2", &delete_pool, &opts())
            .await,
        "OperationDenied.PublicIpAddressPoolInUse",
    );
    assert_eq!(the_pool(&c, &pool).await.used_ip_num, 3);
    let gone = DeletePublicIpAddressPoolRequest {
        public_ip_address_pool_id: "pippool-doesnotexist".into(),
        dry_run: false,
    };
    expect_api(
        c.delete_public_ip_address_pool(&creds(), REGION, "d3", &gone, &opts())
            .await,
        "ResourceNotFound.PublicIpAddressPool",
    );
}

/// `IncorrectStatus.PublicIpAddressPool` is retried: a write to a block still `Modifying` goes
/// through once the block settles, and a deadline shorter than the transition ends with the code.
#[tokio::test]
async fn writes_during_a_transition_wait_for_it() {
    // Margins wide enough for a loaded machine: the short deadline must see several refused
    // attempts, all well inside the transition.
    let emu = start(Duration::from_millis(3000)).await;
    // Retries enough that the deadline, not the retry count, ends the refused attempts.
    let c = Client::new(ClientConfig {
        max_retries: 1000,
        ..client(&emu, SignVersion::V3).config().clone()
    })
    .expect("client");
    activate(&c, REGION).await;
    let pool = create(&c, "t-pool", "busy").await;
    let add = AddPublicIpAddressPoolCidrBlockRequest {
        public_ip_address_pool_id: pool.clone(),
        cidr_mask: Some(28),
        ..Default::default()
    };
    let cidr = c
        .add_public_ip_address_pool_cidr_block(&creds(), REGION, "t-add", &add, &opts())
        .await
        .expect("add")
        .cidr_block;
    let delete = DeletePublicIpAddressPoolCidrBlockRequest {
        public_ip_address_pool_id: pool.clone(),
        cidr_block: cidr,
        dry_run: false,
    };
    let short = CallOptions::timeout(Duration::from_millis(1200));
    let err = c
        .delete_public_ip_address_pool_cidr_block(&creds(), REGION, "t-del", &delete, &short)
        .await
        .expect_err("still Modifying at the deadline");
    assert!(matches!(err, Error::DeadlineExceeded { .. }), "{err:?}");
    assert_eq!(
        err.api().map(|a| a.code.as_str()),
        Some("IncorrectStatus.PublicIpAddressPool")
    );
    c.delete_public_ip_address_pool_cidr_block(&creds(), REGION, "t-del", &delete, &opts())
        .await
        .expect("deleted once the block is Created");
}

/// A restarted emulator (`--state`) still has the pool, its tags and its block, and finishes the
/// block's pending `Modifying`: what the provider's next refresh sees after a restart.
#[tokio::test]
async fn a_restart_with_state_keeps_pools_blocks_and_pending_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = Config {
        state_file: Some(dir.path().join("state.json")),
        operation_delay: Duration::from_millis(1500),
        ..Config::default()
    };
    let emu = emulator::start(cfg.clone()).await.expect("start");
    let c = client(&emu, SignVersion::V1);
    activate(&c, REGION).await;
    let request = CreatePublicIpAddressPoolRequest {
        name: Some("kept".into()),
        tags: vec![Tag::new("k", "v")],
        ..Default::default()
    };
    let pool = c
        .create_public_ip_address_pool(&creds(), REGION, "r-create", &request, &opts())
        .await
        .expect("create")
        .public_ip_address_pool_id;
    let add = AddPublicIpAddressPoolCidrBlockRequest {
        public_ip_address_pool_id: pool.clone(),
        cidr_block: Some("47.121.0.0/24".into()),
        ..Default::default()
    };
    c.add_public_ip_address_pool_cidr_block(&creds(), REGION, "r-add", &add, &opts())
        .await
        .expect("add");
    emu.stop().await.expect("stop");

    let emu = emulator::start(cfg).await.expect("restart");
    let c = client(&emu, SignVersion::V3);
    let kept = the_pool(&c, &pool).await;
    assert_eq!(
        (kept.name.as_str(), kept.status.as_str()),
        ("kept", "Modifying")
    );
    assert_eq!(kept.tags, vec![Tag::new("k", "v")]);
    let blocks = list_blocks(&c, &pool).await;
    assert_eq!(blocks.len(), 1);
    assert_eq!(
        (blocks[0].cidr_block.as_str(), blocks[0].status.as_str()),
        ("47.121.0.0/24", "Modifying")
    );
    tokio::time::sleep(Duration::from_millis(1700)).await;
    assert_eq!(list_blocks(&c, &pool).await[0].status, "Created");
    assert_eq!(the_pool(&c, &pool).await.total_ip_num, 256);
    emu.stop().await.expect("stop");
}
