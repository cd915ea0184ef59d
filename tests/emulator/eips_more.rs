//! EIPs through the provider's client: `DescribeEipAddresses` filters and paging, modify,
//! deletion protection, tags and resource groups with `ResourceType` `EIP`, `Releasing` under
//! `--operation-delay`, and EIPs kept in `--state` across a restart.

use std::time::Duration;

use terraform_provider_alicloudvpc::alicloud::vpc::{
    AllocateEipAddressRequest, DeletionProtectionRequest, DescribeEipAddressesRequest,
    EIP_RESOURCE_TYPE, ListTagResourcesRequest, ModifyEipAddressAttributeRequest,
    MoveResourceGroupRequest, ReleaseEipAddressRequest, TagResourcesRequest, UnTagResourcesRequest,
};
use terraform_provider_alicloudvpc::alicloud::{Client, ClientConfig, Protocol, SignVersion, Tag};
use terraform_provider_alicloudvpc::emulator::{self, Config};

use crate::eips::{allocate, describe, from_pool, pool_with, release};
use crate::pools_client::{REGION, client, creds, expect_api, opts, start, the_pool};

fn by_ids(ids: &[String]) -> DescribeEipAddressesRequest {
    DescribeEipAddressesRequest {
        allocation_ids: ids.to_vec(),
        ..Default::default()
    }
}

async fn one(c: &Client, id: &str) -> terraform_provider_alicloudvpc::alicloud::vpc::EipAddress {
    let mut found = describe(c, by_ids(&[id.to_string()])).await;
    assert_eq!(found.len(), 1, "{id}: {found:?}");
    found.remove(0)
}

async fn protect(c: &Client, id: &str, on: bool, kind: &str) -> Result<(), String> {
    let request = DeletionProtectionRequest {
        instance_id: id.into(),
        instance_type: kind.into(),
        protection_enable: on,
    };
    c.deletion_protection(
        &creds(),
        REGION,
        &format!("dp-{id}-{on}"),
        &request,
        &opts(),
    )
    .await
    .map(|_| ())
    .map_err(|e| e.api().map(|a| a.code.clone()).unwrap_or_default())
}

#[tokio::test]
async fn describe_filters_and_pages_by_number() {
    let emu = start(Duration::ZERO).await;
    let c = client(&emu, SignVersion::V1);
    let pool = pool_with(&c, "p", &["47.0.0.0/28"]).await;
    let mut ids = Vec::new();
    for i in 0..12 {
        let request = AllocateEipAddressRequest {
            name: Some(format!("eip-{}", i % 3)),
            tags: vec![Tag::new("n", i.to_string())],
            ..Default::default()
        };
        ids.push(allocate(&c, &format!("t{i}"), &request).await.0);
    }
    let (pooled, pooled_address) = allocate(&c, "pooled", &from_pool(&pool, None)).await;

    let all = describe(&c, DescribeEipAddressesRequest::default()).await;
    assert_eq!(all.len(), 13);
    let e = &all[0];
    assert_eq!(
        (e.status.as_str(), e.bandwidth.as_str(), e.isp.as_str()),
        ("Available", "5", "BGP")
    );
    assert_eq!(
        (e.internet_charge_type.as_str(), e.charge_type.as_str()),
        ("PayByBandwidth", "PostPaid")
    );
    assert_eq!(
        (e.ip_address.as_str(), e.region_id.as_str()),
        ("39.105.0.0", REGION)
    );
    assert!(e.allocation_time.ends_with('Z') && e.allocation_time.len() == 20);
    assert!(e.resource_group_id.starts_with("rg-acfm"), "{e:?}");

    let picked = vec![ids[1].clone(), ids[4].clone(), "eip-unknown".to_string()];
    let found: Vec<String> = describe(&c, by_ids(&picked))
        .await
        .into_iter()
        .map(|e| e.allocation_id)
        .collect();
    assert_eq!(found, [ids[1].clone(), ids[4].clone()]);
    let filters = [
        DescribeEipAddressesRequest {
            eip_addresses: vec![pooled_address.clone()],
            ..Default::default()
        },
        DescribeEipAddressesRequest {
            public_ip_address_pool_id: Some(pool.clone()),
            ..Default::default()
        },
    ];
    for f in filters {
        let found = describe(&c, f).await;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].allocation_id, pooled);
    }
    let named = DescribeEipAddressesRequest {
        eip_name: Some("eip-1".into()),
        ..Default::default()
    };
    assert_eq!(describe(&c, named).await.len(), 4);
    let tagged = DescribeEipAddressesRequest {
        tags: vec![Tag::new("n", "7")],
        ..Default::default()
    };
    let found = describe(&c, tagged).await;
    assert_eq!(
        (found.len(), found[0].allocation_id.as_str()),
        (1, ids[7].as_str())
    );
    assert_eq!(found[0].tags, vec![Tag::new("n", "7")]);
    let releasing = DescribeEipAddressesRequest {
        status: Some("Releasing".into()),
        ..Default::default()
    };
    assert!(describe(&c, releasing).await.is_empty());

    // PageNumber and PageSize: 13 EIPs in pages of 5.
    let mut seen = Vec::new();
    for page in 1..=3u32 {
        let request = DescribeEipAddressesRequest {
            page_number: Some(page),
            page_size: Some(5),
            ..Default::default()
        };
        let r = c
            .describe_eip_addresses(&creds(), REGION, &request, &opts())
            .await
            .expect("page");
        assert_eq!(
            (r.total_count, r.page_number, r.page_size),
            (13, u64::from(page), 5)
        );
        seen.extend(r.eip_addresses.into_iter().map(|e| e.allocation_id));
    }
    assert_eq!(seen.len(), 13);
    assert_eq!(seen[..12], ids[..]);
    for (number, size, code) in [
        (None, Some(101), "InvalidParameter.PageSize"),
        (None, Some(0), "InvalidParameter.PageSize"),
        (Some(0), None, "InvalidParameter.PageNumber"),
    ] {
        let request = DescribeEipAddressesRequest {
            page_number: number,
            page_size: size,
            ..Default::default()
        };
        expect_api(
            c.describe_eip_addresses(&creds(), REGION, &request, &opts())
                .await,
            code,
        );
    }
    let too_many: Vec<String> = (0..51).map(|i| format!("eip-{i}")).collect();
    let request = DescribeEipAddressesRequest {
        allocation_ids: too_many,
        page_size: Some(10),
        ..Default::default()
    };
    expect_api(
        c.describe_eip_addresses(&creds(), REGION, &request, &opts())
            .await,
        "InvalidParameter.AllocationId",
    );
    let dry = DescribeEipAddressesRequest {
        dry_run: true,
        ..Default::default()
    };
    expect_api(
        c.describe_eip_addresses(&creds(), REGION, &dry, &opts())
            .await,
        "DryRunOperation",
    );
}

#[tokio::test]
async fn modify_protect_tag_and_move_eips() {
    let emu = start(Duration::ZERO).await;
    let c = client(&emu, SignVersion::V3);
    let traffic = AllocateEipAddressRequest {
        name: Some("web".into()),
        description: Some("front".into()),
        internet_charge_type: Some("PayByTraffic".into()),
        bandwidth: Some("200".into()),
        ..Default::default()
    };
    let (id, _) = allocate(&c, "m", &traffic).await;
    let modify = |name: Option<&str>, description: Option<&str>, bandwidth: Option<&str>| {
        ModifyEipAddressAttributeRequest {
            allocation_id: id.clone(),
            name: name.map(str::to_string),
            description: description.map(str::to_string),
            bandwidth: bandwidth.map(str::to_string),
        }
    };
    c.modify_eip_address_attribute(
        &creds(),
        REGION,
        &modify(Some("api"), None, Some("10")),
        &opts(),
    )
    .await
    .expect("modify");
    let e = one(&c, &id).await;
    assert_eq!(
        (
            e.name.as_str(),
            e.description.as_str(),
            e.bandwidth.as_str()
        ),
        ("api", "front", "10")
    );
    c.modify_eip_address_attribute(&creds(), REGION, &modify(None, Some(""), None), &opts())
        .await
        .expect("clear the description");
    assert_eq!(one(&c, &id).await.description, "");
    expect_api(
        c.modify_eip_address_attribute(&creds(), REGION, &modify(None, None, Some("201")), &opts())
            .await,
        "InvalidBandwidth.Malformed",
    );

    assert_eq!(protect(&c, &id, true, EIP_RESOURCE_TYPE).await, Ok(()));
    assert!(one(&c, &id).await.deletion_protection);
    let releasing = ReleaseEipAddressRequest {
        allocation_id: id.clone(),
    };
    expect_api(
        c.release_eip_address(&creds(), REGION, &releasing, &opts())
            .await,
        "InvalidOperation.DeletionProtection",
    );
    assert_eq!(
        protect(&c, &id, true, "CBWP").await,
        Err("InvalidParameter.Type".to_string())
    );
    assert_eq!(
        protect(&c, "eip-unknown", true, "EIP").await,
        Err("InvalidAllocationId.NotFound".to_string())
    );

    let ids = vec![id.clone()];
    let tag = TagResourcesRequest {
        resource_type: "eip".into(),
        resource_ids: ids.clone(),
        tags: vec![Tag::new("env", "prod"), Tag::new("team", "net")],
    };
    c.tag_resources(&creds(), REGION, &tag, &opts())
        .await
        .expect("tag");
    let untag = UnTagResourcesRequest {
        resource_type: EIP_RESOURCE_TYPE.into(),
        resource_ids: ids.clone(),
        tag_keys: vec!["team".into()],
        all: None,
    };
    c.untag_resources(&creds(), REGION, &untag, &opts())
        .await
        .expect("untag");
    let list = ListTagResourcesRequest {
        resource_type: EIP_RESOURCE_TYPE.into(),
        resource_ids: ids.clone(),
        ..Default::default()
    };
    let listed = c
        .list_all_tag_resources(&creds(), REGION, &list, &opts())
        .await
        .expect("list tags");
    let listed: Vec<(&str, &str, &str)> = listed
        .iter()
        .map(|t| {
            (
                t.resource_id.as_str(),
                t.resource_type.as_str(),
                t.tag_key.as_str(),
            )
        })
        .collect();
    assert_eq!(listed, [(id.as_str(), "EIP", "env")]);
    assert_eq!(one(&c, &id).await.tags, vec![Tag::new("env", "prod")]);
    let many = TagResourcesRequest {
        tags: (0..20).map(|i| Tag::new(format!("k{i}"), "v")).collect(),
        ..tag.clone()
    };
    expect_api(
        c.tag_resources(&creds(), REGION, &many, &opts()).await,
        "QuotaExceeded.TagNum",
    );
    let moved = MoveResourceGroupRequest {
        resource_type: EIP_RESOURCE_TYPE.into(),
        resource_id: id.clone(),
        new_resource_group_id: "rg-acfmmoved".into(),
    };
    c.move_resource_group(&creds(), REGION, &moved, &opts())
        .await
        .expect("move");
    assert_eq!(one(&c, &id).await.resource_group_id, "rg-acfmmoved");

    assert_eq!(protect(&c, &id, false, EIP_RESOURCE_TYPE).await, Ok(()));
    release(&c, &id).await;
    assert!(describe(&c, by_ids(&ids)).await.is_empty());
}

#[tokio::test]
async fn releasing_shows_under_the_delay_and_eips_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config {
        state_file: Some(dir.path().join("state.json")),
        // Long enough that the checks of the Releasing EIP below finish inside it on a loaded
        // machine.
        operation_delay: Duration::from_millis(3000),
        page_size_limit: Some(1),
        ..Config::default()
    };
    let emu = emulator::start(cfg.clone()).await.unwrap();
    let c = client(&emu, SignVersion::V3);
    let pool = pool_with(&c, "kept", &["47.0.0.0/28"]).await;
    // Adding the block left the pool Modifying for the delay.
    for _ in 0..200 {
        if the_pool(&c, &pool).await.status == "Created" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (kept, _) = allocate(&c, "k", &from_pool(&pool, None)).await;
    let (gone, _) = allocate(&c, "g", &from_pool(&pool, None)).await;
    release(&c, &gone).await;
    assert_eq!(one(&c, &gone).await.status, "Releasing");
    assert_eq!(the_pool(&c, &pool).await.used_ip_num, 2, "still held");
    let modify = ModifyEipAddressAttributeRequest {
        allocation_id: gone.clone(),
        name: Some("x".into()),
        ..Default::default()
    };
    // Retryable (the EIP will settle): one attempt alone, so that the refusal itself shows.
    let once = Client::new(ClientConfig {
        vpc_endpoint: Some(emu.url()),
        protocol: Protocol::Http,
        sign_version: SignVersion::V3,
        max_retries: 0,
        ..ClientConfig::default()
    })
    .expect("client");
    let err = once
        .modify_eip_address_attribute(&creds(), REGION, &modify, &opts())
        .await
        .expect_err("Releasing");
    assert_eq!(
        err.api().map(|a| a.code.as_str()),
        Some("IncorrectEipStatus"),
        "{err:?}"
    );
    assert!(err.is_retryable(), "{err:?}");
    // --page-size-limit 1: the answer's PageSize says so.
    let page = c
        .describe_eip_addresses(
            &creds(),
            REGION,
            &DescribeEipAddressesRequest::default(),
            &opts(),
        )
        .await
        .expect("page");
    assert_eq!(
        (page.page_size, page.eip_addresses.len(), page.total_count),
        (1, 1, 2)
    );
    emu.stop().await.unwrap();

    let emu = emulator::start(cfg).await.unwrap();
    let c = client(&emu, SignVersion::V1);
    let e = one(&c, &kept).await;
    assert_eq!(
        (e.status.as_str(), e.ip_address.as_str()),
        ("Available", "47.0.0.0")
    );
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert!(
        describe(&c, by_ids(&[gone])).await.is_empty(),
        "released on time"
    );
    assert_eq!(the_pool(&c, &pool).await.used_ip_num, 1);
}
