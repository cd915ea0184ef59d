//! Pools and blocks made directly through the provider's own client (`alicloud::Client`),
//! so that data source tests start from many objects without a terraform apply per object.

use std::time::Duration;

use terraform_provider_alicloudvpc::alicloud::vpc::{
    AddPublicIpAddressPoolCidrBlockRequest, CreatePublicIpAddressPoolRequest,
    DeletePublicIpAddressPoolRequest,
};
use terraform_provider_alicloudvpc::alicloud::{
    CallOptions, Client, ClientConfig, Credentials, Protocol, Secret, Tag,
};

use crate::common::emulator::Emulator;

pub const REGION: &str = "cn-hangzhou";

pub struct Seed {
    rt: tokio::runtime::Runtime,
    client: Client,
    creds: Credentials,
    tokens: std::cell::Cell<u32>,
}

impl Seed {
    pub fn new(emu: &Emulator) -> Seed {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let client = Client::new(ClientConfig {
            vpc_endpoint: Some(emu.url.clone()),
            protocol: Protocol::Http,
            ..ClientConfig::default()
        })
        .expect("client");
        Seed {
            rt,
            client,
            creds: Credentials {
                access_key_id: "emulator-access-key".into(),
                access_key_secret: Secret::new("emulator-secret-key"),
                security_token: None,
            },
            tokens: std::cell::Cell::new(0),
        }
    }

    fn token(&self) -> String {
        self.tokens.set(self.tokens.get() + 1);
        format!("seed-{}-{}", std::process::id(), self.tokens.get())
    }

    fn opts() -> CallOptions {
        CallOptions::timeout(Duration::from_secs(20))
    }

    /// Creates a pool in [`REGION`]; returns its ID.
    pub fn pool(&self, name: &str, isp: &str, tags: &[(&str, &str)]) -> String {
        let request = CreatePublicIpAddressPoolRequest {
            name: Some(name.into()),
            isp: Some(isp.into()),
            tags: tags.iter().map(|(k, v)| Tag::new(*k, *v)).collect(),
            ..Default::default()
        };
        let token = self.token();
        self.rt
            .block_on(self.client.create_public_ip_address_pool(
                &self.creds,
                REGION,
                &token,
                &request,
                &Self::opts(),
            ))
            .expect("create pool")
            .public_ip_address_pool_id
    }

    /// Adds a block, by CIDR (`"47.0.0.0/24"`) or by mask (`"/26"`); returns the block.
    pub fn block(&self, pool: &str, cidr: &str) -> String {
        let request = AddPublicIpAddressPoolCidrBlockRequest {
            public_ip_address_pool_id: pool.into(),
            cidr_block: (!cidr.starts_with('/')).then(|| cidr.into()),
            cidr_mask: cidr.strip_prefix('/').map(|m| m.parse().expect("mask")),
            ..Default::default()
        };
        let token = self.token();
        self.rt
            .block_on(self.client.add_public_ip_address_pool_cidr_block(
                &self.creds,
                REGION,
                &token,
                &request,
                &Self::opts(),
            ))
            .expect("add block")
            .cidr_block
    }

    pub fn delete_pool(&self, pool: &str) {
        let request = DeletePublicIpAddressPoolRequest {
            public_ip_address_pool_id: pool.into(),
            ..Default::default()
        };
        let token = self.token();
        self.rt
            .block_on(self.client.delete_public_ip_address_pool(
                &self.creds,
                REGION,
                &token,
                &request,
                &Self::opts(),
            ))
            .expect("delete pool");
    }
}
