//! The emulator's pool API through the crate's own client, as the demo account, so that tests
//! can set up and inspect pools and CIDR blocks without terraform (and change them behind
//! terraform's back). Blocking: each call runs on a small runtime of its own.

use std::time::Duration;

use serde_json::Value as J;
use terraform_provider_alicloudvpc::alicloud::vpc::{
    AddPublicIpAddressPoolCidrBlockRequest, AllocateEipAddressRequest,
    CreatePublicIpAddressPoolRequest, DeletePublicIpAddressPoolCidrBlockRequest,
    DeletePublicIpAddressPoolRequest, DescribeEipAddressesRequest, EipAddress,
    ReleaseEipAddressRequest, UpdatePublicIpAddressPoolAttributeRequest,
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

/// `DescribeEipAddresses` of the EIPs allocated from `pool`.
fn eips_of(pool: &str) -> DescribeEipAddressesRequest {
    DescribeEipAddressesRequest {
        public_ip_address_pool_id: Some(pool.into()),
        ..Default::default()
    }
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

    /// Allocates `count` EIPs from the pool (addresses of the block `cidr` when given) with
    /// `AllocateEipAddress`, matching the pool's line type and protection types as Alibaba
    /// requires.
    pub fn allocate(&self, region: &str, pool: &str, cidr: Option<&str>, count: u32) {
        let found = self.pools(region);
        let found = found
            .iter()
            .find(|p| p["id"] == pool)
            .unwrap_or_else(|| panic!("allocate: no pool {pool} in {region}"));
        let strings = |v: &J| -> Vec<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        };
        let template = AllocateEipAddressRequest {
            public_ip_address_pool_id: Some(pool.into()),
            isp: found["isp"].as_str().map(str::to_string),
            security_protection_types: strings(&found["security_protection_types"]),
            ..Default::default()
        };
        let c = client(self);
        block_on(async {
            // Free addresses of the block, in order: the emulator picks from every block
            // otherwise, so a block's EIPs are asked for by address.
            let mut free: Vec<String> = match cidr {
                None => Vec::new(),
                Some(cidr) => {
                    let net: ipnet::Ipv4Net = cidr.parse().expect("cidr");
                    let taken: Vec<String> = c
                        .describe_all_eip_addresses(&creds(), region, &eips_of(pool), &opts())
                        .await
                        .expect("describe EIPs")
                        .into_iter()
                        .map(|e| e.ip_address)
                        .collect();
                    (u32::from(net.network())..=u32::from(net.broadcast()))
                        .map(|a| std::net::Ipv4Addr::from(a).to_string())
                        .filter(|a| !taken.contains(a))
                        .collect()
                }
            };
            for i in 0..count {
                let request = AllocateEipAddressRequest {
                    ip_address: cidr.map(|_| {
                        assert!(!free.is_empty(), "allocate: {cidr:?} is full after {i}");
                        free.remove(0)
                    }),
                    ..template.clone()
                };
                c.allocate_eip_address(&creds(), region, &token(), &request, &opts())
                    .await
                    .expect("allocate EIP");
            }
        });
    }

    /// Allocates the one EIP `request` asks for in `region` (activating the pool feature
    /// there), as another tool would have made it, and returns it as DescribeEipAddresses
    /// shows it: tests seed official state from it and compare it after terraform ran.
    pub fn allocate_eip(&self, region: &str, request: AllocateEipAddressRequest) -> EipAddress {
        self.set_enabled(DEMO_ACCOUNT, region, true);
        let c = client(self);
        let id = block_on(c.allocate_eip_address(&creds(), region, &token(), &request, &opts()))
            .expect("allocate EIP")
            .allocation_id;
        self.eip(region, &id).expect("the allocated EIP")
    }

    /// The EIP `id` in `region`, if DescribeEipAddresses lists it.
    pub fn eip(&self, region: &str, id: &str) -> Option<EipAddress> {
        let filter = DescribeEipAddressesRequest {
            allocation_ids: vec![id.to_string()],
            ..Default::default()
        };
        block_on(client(self).describe_all_eip_addresses(&creds(), region, &filter, &opts()))
            .expect("describe EIPs")
            .into_iter()
            .find(|e| e.allocation_id == id)
    }

    /// Releases every EIP allocated from the pool with `ReleaseEipAddress`.
    pub fn release(&self, region: &str, pool: &str) {
        let c = client(self);
        block_on(async {
            let eips = c
                .describe_all_eip_addresses(&creds(), region, &eips_of(pool), &opts())
                .await
                .expect("describe EIPs");
            for eip in eips.into_iter().filter(|e| e.status != "Releasing") {
                let request = ReleaseEipAddressRequest {
                    allocation_id: eip.allocation_id,
                };
                c.release_eip_address(&creds(), region, &request, &opts())
                    .await
                    .expect("release EIP");
            }
        });
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
