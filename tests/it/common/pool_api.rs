//! The emulator's pool API through the crate's own client, as the demo account, so that tests
//! can set up and inspect pools and CIDR blocks without terraform (and change them behind
//! terraform's back). Blocking: each call runs on a small runtime of its own.

use std::time::Duration;

use serde_json::Value as J;
use terraform_provider_alicloudvpc::alicloud::vpc::{
    AddPublicIpAddressPoolCidrBlockRequest, CreatePublicIpAddressPoolRequest,
    DeletePublicIpAddressPoolCidrBlockRequest, DeletePublicIpAddressPoolRequest,
    UpdatePublicIpAddressPoolAttributeRequest,
};
use terraform_provider_alicloudvpc::alicloud::{
    CallOptions, Client, ClientConfig, Credentials, Protocol, Secret, Tag,
};

use super::emulator::Emulator;

pub const DEMO_ACCOUNT: &str = "1234567890123456";

pub fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// The crate's own client for the emulator's demo account.
pub fn client(emu: &Emulator) -> Client {
    Client::new(ClientConfig {
        vpc_endpoint: Some(emu.url.clone()),
        protocol: Protocol::Http,
        max_retries: 20,
        backoff_base: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        ..ClientConfig::default()
    })
    .expect("client")
}

pub fn creds() -> Credentials {
    Credentials {
        access_key_id: "emulator-access-key".into(),
        access_key_secret: Secret::new("emulator-secret-key"),
        security_token: None,
    }
}

pub fn opts() -> CallOptions {
    CallOptions::timeout(Duration::from_secs(30))
}

fn token() -> String {
    format!("test-{}", rand::random::<u64>())
}

impl Emulator {
    /// Creates a pool in `region` (activating the feature there) and returns its ID.
    pub fn create_pool(&self, region: &str, name: &str, tags: &[(&str, &str)]) -> String {
        self.create_pool_as(
            region,
            CreatePublicIpAddressPoolRequest {
                name: Some(name.into()),
                tags: tags.iter().map(|(k, v)| Tag::new(*k, *v)).collect(),
                ..Default::default()
            },
        )
    }

    /// Creates the pool `request` asks for in `region` (activating the feature there).
    pub fn create_pool_as(
        &self,
        region: &str,
        request: CreatePublicIpAddressPoolRequest,
    ) -> String {
        self.set_enabled(DEMO_ACCOUNT, region, true);
        block_on(client(self).create_public_ip_address_pool(
            &creds(),
            region,
            &token(),
            &request,
            &opts(),
        ))
        .expect("create pool")
        .public_ip_address_pool_id
    }

    pub fn rename_pool(&self, region: &str, id: &str, name: &str) {
        let request = UpdatePublicIpAddressPoolAttributeRequest {
            public_ip_address_pool_id: id.into(),
            name: Some(name.into()),
            ..Default::default()
        };
        block_on(client(self).update_public_ip_address_pool_attribute(
            &creds(),
            region,
            &token(),
            &request,
            &opts(),
        ))
        .expect("rename pool");
    }

    pub fn delete_pool(&self, region: &str, id: &str) {
        let request = DeletePublicIpAddressPoolRequest {
            public_ip_address_pool_id: id.into(),
            dry_run: false,
        };
        block_on(client(self).delete_public_ip_address_pool(
            &creds(),
            region,
            &token(),
            &request,
            &opts(),
        ))
        .expect("delete pool");
    }

    /// Adds a block by mask or CIDR; returns the block.
    pub fn add_block(
        &self,
        region: &str,
        pool: &str,
        cidr: Option<&str>,
        mask: Option<u8>,
    ) -> String {
        let request = AddPublicIpAddressPoolCidrBlockRequest {
            public_ip_address_pool_id: pool.into(),
            cidr_block: cidr.map(str::to_string),
            cidr_mask: mask,
            dry_run: false,
        };
        block_on(client(self).add_public_ip_address_pool_cidr_block(
            &creds(),
            region,
            &token(),
            &request,
            &opts(),
        ))
        .expect("add block")
        .cidr_block
    }

    pub fn delete_block(&self, region: &str, pool: &str, cidr: &str) {
        let request = DeletePublicIpAddressPoolCidrBlockRequest {
            public_ip_address_pool_id: pool.into(),
            cidr_block: cidr.into(),
            dry_run: false,
        };
        block_on(client(self).delete_public_ip_address_pool_cidr_block(
            &creds(),
            region,
            &token(),
            &request,
            &opts(),
        ))
        .expect("delete block");
    }

    /// Marks `count` addresses of the pool (or of one block) as allocated, as EIPs would be.
    pub fn allocate(&self, region: &str, pool: &str, cidr: Option<&str>, count: u32) {
        let (status, body) = self.call(
            "POST",
            &format!(
                "/_emulator/accounts/{DEMO_ACCOUNT}/regions/{region}/pools/{pool}/allocations"
            ),
            Some(serde_json::json!({"cidr_block": cidr, "count": count})),
        );
        assert!(
            (200..300).contains(&status),
            "allocate: HTTP {status} {body}"
        );
    }

    /// Releases the pool's allocated addresses.
    pub fn release(&self, region: &str, pool: &str) {
        let (status, body) = self.call(
            "DELETE",
            &format!(
                "/_emulator/accounts/{DEMO_ACCOUNT}/regions/{region}/pools/{pool}/allocations"
            ),
            None,
        );
        assert!(
            (200..300).contains(&status),
            "release: HTTP {status} {body}"
        );
    }

    /// The demo account's pools in `region`, as `GET /_emulator/state` shows them.
    pub fn pools(&self, region: &str) -> Vec<J> {
        let state = self.state();
        state["accounts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| a["account_id"] == DEMO_ACCOUNT)
            .flat_map(|a| a["pools"].as_array().cloned().unwrap_or_default())
            .filter(|p| p["region_id"] == region || p["region"] == region)
            .collect()
    }
}
