//! `moved` blocks from the official `aliyun/alicloud` provider's pool types into ours, with
//! real terraform: a state written the way the official provider writes it (its objects
//! created in the emulator), the configuration converted as
//! `src/docs/guides/migrating-from-alicloud.md` says, and a stand-in binary
//! (`tests/bin/official_alicloud_standin.rs`) installed as `aliyun/alicloud`, which Terraform
//! asks for schemas while the state still names it.

use std::path::Path;

use serde_json::{Value as J, json};
use terraform_provider_alicloudvpc::alicloud::vpc::{
    AddPublicIpAddressPoolCidrBlockRequest, CreatePublicIpAddressPoolRequest,
    ListPublicIpAddressPoolCidrBlocksRequest, ListPublicIpAddressPoolsRequest,
};
use terraform_provider_alicloudvpc::alicloud::{Client, Tag};

use super::common::Tf;
use super::common::emulator::Emulator;
use super::common::pool_api::{block_on, client, creds, opts};
use super::lifecycle::{DEMO_ACCOUNT, provider};

pub const OFFICIAL: &str = "registry.terraform.io/aliyun/alicloud";
pub const LEGACY: &str = "registry.terraform.io/hashicorp/alicloud";
pub const REGION: &str = "cn-hangzhou";

pub const HEADER: &str = r#"terraform {
  required_providers {
    alicloudvpc = {
      source = "local/alicloudvpc"
    }
    # Keep the official provider until the moves are applied: the state still names it.
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}
"#;

/// A work dir whose mirror also holds the stand-in as `aliyun/alicloud` and `hashicorp/alicloud`.
pub fn setup(emu: &Emulator, body: &str) -> Tf {
    let standin = Path::new(env!("CARGO_BIN_EXE_official-alicloud-standin"));
    Tf::with_providers(
        &format!("{HEADER}\n{}\n{body}", provider(emu, "")),
        &[(OFFICIAL, "1.289.0", standin), (LEGACY, "1.289.0", standin)],
    )
}

/// `terraform.tfstate` (version 4, as Terraform 1.11 writes it) holding `resources`.
pub fn state_file(resources: &[J]) -> String {
    serde_json::to_string_pretty(&json!({
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 6,
        "lineage": "3f2b8c1e-7a4d-4c3e-9b6a-2d1e0f9a8b7c",
        "outputs": {},
        "resources": resources,
        "check_results": null,
    }))
    .expect("state json")
}

/// The SDK's private data: timeouts in nanoseconds (5m each), as the official provider stores it.
const PRIVATE: &str = "eyJlMmJmYjczMC1lY2FhLTExZTYtOGY4OC0zNDM2M2JjN2M0YzAiOnsiY3JlYXRlIjozMDAwMDAwMDAwMDAsImRlbGV0ZSI6MzAwMDAwMDAwMDAwLCJ1cGRhdGUiOjMwMDAwMDAwMDAwMH19";

/// One managed resource of the official provider at `provider` in a state file.
pub fn official(provider: &str, ty: &str, name: &str, attributes: J, deps: &[&str]) -> J {
    json!({
        "mode": "managed",
        "type": ty,
        "name": name,
        "provider": format!("provider[\"{provider}\"]"),
        "instances": [{
            "schema_version": 0,
            "attributes": attributes,
            "sensitive_attributes": [],
            "private": PRIVATE,
            "dependencies": deps,
        }],
    })
}

/// A pool and CIDR blocks made in the emulator as the official provider would have made them.
pub struct Objects {
    pub pool: J,
    /// Created with `cidr_mask = 24`.
    pub masked: J,
    /// Created with `cidr_block = "47.0.7.0/26"`.
    pub given: J,
}

async fn create_pool(c: &Client, name: &str) -> String {
    let request = CreatePublicIpAddressPoolRequest {
        name: Some(name.into()),
        description: Some("managed by terraform".into()),
        isp: Some("BGP".into()),
        tags: vec![Tag::new("Environment", "test")],
        ..Default::default()
    };
    let token = format!("official-create-{name}");
    c.create_public_ip_address_pool(&creds(), REGION, &token, &request, &opts())
        .await
        .expect("create pool")
        .public_ip_address_pool_id
}

/// The pool's state as the official provider's Read writes it (v1.227.1 and later).
async fn pool_state(c: &Client, id: &str) -> J {
    let filter = ListPublicIpAddressPoolsRequest {
        public_ip_address_pool_ids: vec![id.to_string()],
        ..Default::default()
    };
    let p = c
        .list_all_public_ip_address_pools(&creds(), REGION, &filter, &opts())
        .await
        .expect("list pools")
        .remove(0);
    let tags: serde_json::Map<String, J> = p
        .tags
        .iter()
        .map(|t| (t.key.clone(), J::from(t.value.clone())))
        .collect();
    json!({
        "biz_type": p.biz_type,
        "create_time": p.creation_time,
        "description": p.description,
        "id": id,
        "ip_address_remaining": p.ip_address_remaining,
        "isp": p.isp,
        "public_ip_address_pool_id": id,
        "public_ip_address_pool_name": p.name,
        "resource_group_id": p.resource_group_id,
        "security_protection_types": p.security_protection_types,
        "status": p.status,
        "tags": tags,
        "timeouts": null,
        "total_ip_num": p.total_ip_num,
        "used_ip_num": p.used_ip_num,
    })
}

/// Pools named `names` (without blocks), in their official state.
pub fn create_official_pools(emu: &Emulator, names: &[&str]) -> Vec<J> {
    emu.set_enabled(DEMO_ACCOUNT, REGION, true);
    block_on(async {
        let c = client(emu);
        let mut out = vec![];
        for name in names {
            let id = create_pool(&c, name).await;
            out.push(pool_state(&c, &id).await);
        }
        out
    })
}

/// Creates the objects through the API, and writes their state the way the official
/// provider's Read does (v1.227.1 and later; optional strings it was not given are "").
pub fn create_official_objects(emu: &Emulator) -> Objects {
    emu.set_enabled(DEMO_ACCOUNT, REGION, true);
    block_on(async {
        let c = client(emu);
        let id = create_pool(&c, "tf-pool").await;
        for (token, mask, block) in [
            ("official-add-1", Some(24), None),
            ("official-add-2", None, Some("47.0.7.0/26".to_string())),
        ] {
            let add = AddPublicIpAddressPoolCidrBlockRequest {
                public_ip_address_pool_id: id.clone(),
                cidr_mask: mask,
                cidr_block: block,
                ..Default::default()
            };
            c.add_public_ip_address_pool_cidr_block(&creds(), REGION, token, &add, &opts())
                .await
                .expect("add block");
        }
        let filter = ListPublicIpAddressPoolCidrBlocksRequest {
            public_ip_address_pool_id: id.clone(),
            ..Default::default()
        };
        let blocks = c
            .list_all_public_ip_address_pool_cidr_blocks(&creds(), REGION, &filter, &opts())
            .await
            .expect("list blocks");
        let block = |given: bool| {
            let b = blocks
                .iter()
                .find(|b| (b.cidr_block == "47.0.7.0/26") == given)
                .expect("block");
            json!({
                "cidr_block": b.cidr_block,
                "cidr_mask": if given { J::Null } else { json!(24) },
                "create_time": b.creation_time,
                "id": format!("{id}:{}", b.cidr_block),
                "public_ip_address_pool_id": id,
                "status": b.status,
                "timeouts": if given { J::Null } else { json!({"create": "10m", "delete": null, "update": null}) },
            })
        };
        Objects {
            pool: pool_state(&c, &id).await,
            masked: block(false),
            given: block(true),
        }
    })
}

/// The three objects in a state of `provider`, named `pool`, `masked` and `given`.
pub fn official_state(provider: &str, o: &Objects) -> String {
    let pool = "alicloud_vpc_public_ip_address_pool";
    let block = "alicloud_vpc_public_ip_address_pool_cidr_block";
    let deps = ["alicloud_vpc_public_ip_address_pool.pool"];
    state_file(&[
        official(provider, pool, "pool", o.pool.clone(), &[]),
        official(provider, block, "masked", o.masked.clone(), &deps),
        official(provider, block, "given", o.given.clone(), &deps),
    ])
}

#[test]
fn moves_into_a_type_that_takes_none_fail_with_the_error() {
    let emu = Emulator::start();
    let objects = create_official_objects(&emu);
    let mut body = String::new();
    for name in ["pool", "masked", "given"] {
        body.push_str(&format!(
            "resource \"alicloudvpc_public_ip_address_pool_service\" \"{name}\" {{}}\n"
        ));
    }
    body.push_str("moved {\n  from = alicloud_vpc_public_ip_address_pool.pool\n  to   = alicloudvpc_public_ip_address_pool_service.pool\n}\n");
    for name in ["masked", "given"] {
        body.push_str(&format!("moved {{\n  from = alicloud_vpc_public_ip_address_pool_cidr_block.{name}\n  to   = alicloudvpc_public_ip_address_pool_service.{name}\n}}\n"));
    }
    let tf = setup(&emu, &body);
    tf.write("terraform.tfstate", &official_state(OFFICIAL, &objects));
    tf.init();
    emu.clear_requests();
    let out = tf.fails(&["plan", "-no-color"]);
    let service = "alicloudvpc_public_ip_address_pool_service";
    for ty in [
        "alicloud_vpc_public_ip_address_pool",
        "alicloud_vpc_public_ip_address_pool_cidr_block",
    ] {
        assert!(
            out.contains(&format!("Error: Cannot move {ty} into {service}")),
            "{out}"
        );
        assert!(
            out.contains(&format!("{ty} of provider {OFFICIAL} (schema version 0) into {service}, which accepts moved blocks from no other resource type or provider. Remove the moved block and import the existing object")),
            "{out}"
        );
    }
    assert!(emu.requests().is_empty(), "{:?}", emu.requests());
}

#[test]
fn a_malformed_official_state_is_a_diagnostic() {
    let emu = Emulator::start();
    let body = "resource \"alicloudvpc_public_ip_address_pool_cidr_block\" \"b\" {\n  public_ip_address_pool_id = \"pippool-x\"\n  cidr_mask = 24\n}\nmoved {\n  from = alicloud_vpc_public_ip_address_pool_cidr_block.b\n  to   = alicloudvpc_public_ip_address_pool_cidr_block.b\n}\n";
    let tf = setup(&emu, body);
    // The legacy registry address of the same provider, and an ID that names no block.
    let block = json!({"id": "nonsense", "status": "Created", "public_ip_address_pool_id": null});
    tf.write(
        "terraform.tfstate",
        &state_file(&[official(
            LEGACY,
            "alicloud_vpc_public_ip_address_pool_cidr_block",
            "b",
            block,
            &[],
        )]),
    );
    tf.init();
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(
        out.contains(
            "Error: Cannot move alicloud_vpc_public_ip_address_pool_cidr_block: malformed state"
        ),
        "{out}"
    );
    assert!(
        out.contains("the id \"nonsense\" is not `<pool ID>:<CIDR block>`"),
        "{out}"
    );
    assert!(!out.contains("panic") && !out.contains("crash"), "{out}");
    assert!(emu.requests().is_empty(), "{:?}", emu.requests());
}
