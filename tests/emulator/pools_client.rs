//! The pool workflow through the provider's own client (`alicloud::Client`, V1 and V3) against
//! the emulator: activation, pools with tags, lookups by ID and name, update, CIDR blocks by
//! mask and by block, paging, tags, resource groups, deletion, and refusals as `Error::Api`.

use std::time::Duration;

use terraform_provider_alicloudvpc::alicloud::vpc::{
    AddPublicIpAddressPoolCidrBlockRequest, CreatePublicIpAddressPoolRequest,
    DeletePublicIpAddressPoolCidrBlockRequest, DeletePublicIpAddressPoolRequest,
    ListPublicIpAddressPoolCidrBlocksRequest, ListPublicIpAddressPoolsRequest,
    ListTagResourcesRequest, MoveResourceGroupRequest, POOL_RESOURCE_TYPE, PublicIpAddressPool,
    PublicIpPoolCidrBlock, TagResourcesRequest, UnTagResourcesRequest,
    UpdatePublicIpAddressPoolAttributeRequest,
};
use terraform_provider_alicloudvpc::alicloud::{
    CallOptions, Client, ClientConfig, Credentials, Error, Protocol, Secret, SignVersion, Tag,
};
use terraform_provider_alicloudvpc::emulator::{
    self, Config, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, Running,
};

use crate::DEMO_ACCOUNT;
use crate::client::control;

pub(crate) const REGION: &str = "cn-hangzhou";

pub(crate) async fn start(operation_delay: Duration) -> Running {
    emulator::start(Config {
        operation_delay,
        ..Config::default()
    })
    .await
    .expect("emulator starts")
}

pub(crate) fn client(emu: &Running, version: SignVersion) -> Client {
    Client::new(ClientConfig {
        vpc_endpoint: Some(emu.url()),
        protocol: Protocol::Http,
        sign_version: version,
        max_retries: 30,
        backoff_base: Duration::from_millis(10),
        backoff_max: Duration::from_millis(50),
        ..ClientConfig::default()
    })
    .expect("client")
}

pub(crate) fn creds() -> Credentials {
    Credentials {
        access_key_id: DEMO_ACCESS_KEY_ID.into(),
        access_key_secret: Secret::new(DEMO_ACCESS_KEY_SECRET),
        security_token: None,
    }
}

pub(crate) fn opts() -> CallOptions {
    CallOptions::timeout(Duration::from_secs(20))
}

/// Activates the feature in `region` with the client's own call and waits for it.
pub(crate) async fn activate(c: &Client, region: &str) {
    c.open_public_ip_address_pool_service(&creds(), region, &format!("open-{region}"), &opts())
        .await
        .expect("open");
    for _ in 0..100 {
        let status = c
            .get_public_ip_address_pool_service_status(&creds(), region, &opts())
            .await
            .expect("status");
        if status.enabled {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{region} never became active");
}

pub(crate) async fn create(c: &Client, token: &str, name: &str) -> String {
    let request = CreatePublicIpAddressPoolRequest {
        name: Some(name.into()),
        ..Default::default()
    };
    c.create_public_ip_address_pool(&creds(), REGION, token, &request, &opts())
        .await
        .unwrap_or_else(|e| panic!("create {name}: {e}"))
        .public_ip_address_pool_id
}

pub(crate) async fn pools_by_id(c: &Client, ids: &[&str]) -> Vec<PublicIpAddressPool> {
    let filter = ListPublicIpAddressPoolsRequest {
        public_ip_address_pool_ids: ids.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    c.list_all_public_ip_address_pools(&creds(), REGION, &filter, &opts())
        .await
        .expect("list by ID")
}

pub(crate) async fn the_pool(c: &Client, id: &str) -> PublicIpAddressPool {
    let mut pools = pools_by_id(c, &[id]).await;
    assert_eq!(pools.len(), 1, "{id}: {pools:?}");
    pools.remove(0)
}

pub(crate) async fn list_blocks(c: &Client, pool: &str) -> Vec<PublicIpPoolCidrBlock> {
    let filter = ListPublicIpAddressPoolCidrBlocksRequest {
        public_ip_address_pool_id: pool.to_string(),
        ..Default::default()
    };
    c.list_all_public_ip_address_pool_cidr_blocks(&creds(), REGION, &filter, &opts())
        .await
        .expect("list blocks")
}

pub(crate) fn expect_api(result: Result<impl std::fmt::Debug, Error>, code: &str) -> Error {
    let err = result.expect_err(code);
    let api = err
        .api()
        .unwrap_or_else(|| panic!("expected {code}, got {err:?}"));
    assert_eq!(api.code, code, "{err}");
    assert!(!api.request_id.is_empty(), "{err}");
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    err
}

#[tokio::test]
async fn whole_pool_workflow() {
    for version in [SignVersion::V3, SignVersion::V1] {
        let emu = start(Duration::ZERO).await;
        let c = client(&emu, version);
        activate(&c, REGION).await;

        let request = CreatePublicIpAddressPoolRequest {
            name: Some("web".into()),
            description: Some("pool for the web tier".into()),
            isp: Some("BGP".into()),
            tags: vec![Tag::new("env", "prod")],
            ..Default::default()
        };
        let created = c
            .create_public_ip_address_pool(&creds(), REGION, "create-web", &request, &opts())
            .await
            .expect("create");
        let id = created.public_ip_address_pool_id.clone();
        assert!(id.starts_with("pippool-"), "{id}");
        let again = c
            .create_public_ip_address_pool(&creds(), REGION, "create-web", &request, &opts())
            .await
            .expect("replayed create");
        assert_eq!(again.public_ip_address_pool_id, id, "same token, same pool");

        let pool = the_pool(&c, &id).await;
        assert_eq!(
            (
                pool.name.as_str(),
                pool.description.as_str(),
                pool.isp.as_str()
            ),
            ("web", "pool for the web tier", "BGP")
        );
        assert_eq!(
            (pool.status.as_str(), pool.region_id.as_str()),
            ("Created", REGION)
        );
        assert_eq!(pool.owner_id.to_string(), DEMO_ACCOUNT);
        assert_eq!(pool.tags, vec![Tag::new("env", "prod")]);
        let by_name = ListPublicIpAddressPoolsRequest {
            name: Some("web".into()),
            ..Default::default()
        };
        let named = c
            .list_all_public_ip_address_pools(&creds(), REGION, &by_name, &opts())
            .await
            .expect("list by name");
        assert_eq!(named.len(), 1);
        assert_eq!(named[0].public_ip_address_pool_id, id);

        let update = UpdatePublicIpAddressPoolAttributeRequest {
            public_ip_address_pool_id: id.clone(),
            name: Some("web-2".into()),
            description: Some("renamed".into()),
            dry_run: false,
        };
        c.update_public_ip_address_pool_attribute(&creds(), REGION, "upd-1", &update, &opts())
            .await
            .expect("update");
        let pool = the_pool(&c, &id).await;
        assert_eq!(
            (pool.name.as_str(), pool.description.as_str()),
            ("web-2", "renamed")
        );

        let by_mask = AddPublicIpAddressPoolCidrBlockRequest {
            public_ip_address_pool_id: id.clone(),
            cidr_mask: Some(24),
            ..Default::default()
        };
        let masked = c
            .add_public_ip_address_pool_cidr_block(&creds(), REGION, "add-mask", &by_mask, &opts())
            .await
            .expect("add by mask")
            .cidr_block;
        assert!(masked.ends_with("/24"), "{masked}");
        let by_block = AddPublicIpAddressPoolCidrBlockRequest {
            public_ip_address_pool_id: id.clone(),
            cidr_block: Some("47.120.7.0/26".into()),
            ..Default::default()
        };
        let own = c
            .add_public_ip_address_pool_cidr_block(&creds(), REGION, "add-own", &by_block, &opts())
            .await
            .expect("add by block")
            .cidr_block;
        assert_eq!(own, "47.120.7.0/26");
        let mut blocks = list_blocks(&c, &id).await;
        blocks.sort_by_key(|b| b.total_ip_num);
        let summary: Vec<_> = blocks
            .iter()
            .map(|b| (b.cidr_block.as_str(), b.status.as_str(), b.total_ip_num))
            .collect();
        assert_eq!(
            summary,
            [
                (own.as_str(), "Created", 64),
                (masked.as_str(), "Created", 256)
            ]
        );
        assert!(blocks.iter().all(|b| b.public_ip_address_pool_id == id));
        assert_eq!(the_pool(&c, &id).await.total_ip_num, 320);

        let tag = TagResourcesRequest {
            resource_type: POOL_RESOURCE_TYPE.into(),
            resource_ids: vec![id.clone()],
            tags: vec![Tag::new("team", "net")],
        };
        c.tag_resources(&creds(), REGION, &tag, &opts())
            .await
            .expect("tag");
        let tags_of = ListTagResourcesRequest {
            resource_type: POOL_RESOURCE_TYPE.into(),
            resource_ids: vec![id.clone()],
            ..Default::default()
        };
        let mut keys: Vec<_> = c
            .list_all_tag_resources(&creds(), REGION, &tags_of, &opts())
            .await
            .expect("list tags")
            .into_iter()
            .map(|t| (t.tag_key, t.tag_value))
            .collect();
        keys.sort();
        assert_eq!(
            keys,
            [("env".into(), "prod".into()), ("team".into(), "net".into())]
        );
        let untag = UnTagResourcesRequest {
            resource_type: POOL_RESOURCE_TYPE.into(),
            resource_ids: vec![id.clone()],
            tag_keys: vec!["env".into()],
            all: None,
        };
        c.untag_resources(&creds(), REGION, &untag, &opts())
            .await
            .expect("untag");
        assert_eq!(the_pool(&c, &id).await.tags, vec![Tag::new("team", "net")]);

        let mv = MoveResourceGroupRequest {
            resource_type: POOL_RESOURCE_TYPE.into(),
            resource_id: id.clone(),
            new_resource_group_id: "rg-aek2new".into(),
        };
        c.move_resource_group(&creds(), REGION, &mv, &opts())
            .await
            .expect("move");
        assert_eq!(the_pool(&c, &id).await.resource_group_id, "rg-aek2new");

        for (n, cidr) in [&masked, &own].into_iter().enumerate() {
            let delete = DeletePublicIpAddressPoolCidrBlockRequest {
                public_ip_address_pool_id: id.clone(),
                cidr_block: cidr.clone(),
                dry_run: false,
            };
            c.delete_public_ip_address_pool_cidr_block(
                &creds(),
                REGION,
                &format!("del-block-{n}"),
                &delete,
                &opts(),
            )
            .await
            .expect("delete block");
        }
        let delete = DeletePublicIpAddressPoolRequest {
            public_ip_address_pool_id: id.clone(),
            dry_run: false,
        };
        c.delete_public_ip_address_pool(&creds(), REGION, "del-pool", &delete, &opts())
            .await
            .expect("delete pool");
        assert!(
            pools_by_id(&c, &[&id]).await.is_empty(),
            "{version:?}: gone"
        );
        emu.stop().await.expect("stop");
    }
}

#[tokio::test]
async fn twelve_pools_ten_at_a_time() {
    let emu = start(Duration::ZERO).await;
    let c = client(&emu, SignVersion::V3);
    activate(&c, REGION).await;
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(create(&c, &format!("page-{i}"), &format!("pool-{i:02}")).await);
    }
    let first = ListPublicIpAddressPoolsRequest {
        max_results: Some(10),
        ..Default::default()
    };
    let page1 = c
        .list_public_ip_address_pools(&creds(), REGION, &first, &opts())
        .await
        .expect("page 1");
    assert_eq!(page1.public_ip_address_pool_list.len(), 10);
    assert_eq!(page1.total_count, 12);
    assert!(!page1.next_token.is_empty());
    let second = ListPublicIpAddressPoolsRequest {
        next_token: Some(page1.next_token.clone()),
        ..first.clone()
    };
    let page2 = c
        .list_public_ip_address_pools(&creds(), REGION, &second, &opts())
        .await
        .expect("page 2");
    assert_eq!(page2.public_ip_address_pool_list.len(), 2);
    assert_eq!(page2.next_token, "");

    control(&emu.url(), "DELETE", "/_emulator/requests", None).await;
    let mut all: Vec<_> = c
        .list_all_public_ip_address_pools(&creds(), REGION, &first, &opts())
        .await
        .expect("all pages")
        .into_iter()
        .map(|p| p.public_ip_address_pool_id)
        .collect();
    let (_, log) = control(&emu.url(), "GET", "/_emulator/requests", None).await;
    let lists = log.as_array().map(|l| {
        l.iter()
            .filter(|r| r["action"] == "ListPublicIpAddressPools")
            .count()
    });
    assert_eq!(lists, Some(2), "two pages of 10: {log}");
    all.sort();
    ids.sort();
    assert_eq!(all, ids);
    let default_size = c
        .list_all_public_ip_address_pools(&creds(), REGION, &Default::default(), &opts())
        .await
        .expect("one page of 100");
    assert_eq!(default_size.len(), 12);
}
