//! A stand-in for the official `aliyun/alicloud` provider in tests of `moved` blocks
//! (`tests/it/moves.rs`, `tests/it/moves_eip.rs`): it serves that provider's schemas for its two
//! IP address pool types and its EIP type (under both of its names) and nothing else, on this
//! crate's own plugin layer.
//!
//! Why it is needed: a state that holds objects of `aliyun/alicloud` makes Terraform install
//! that provider and ask it for its schema (GetProviderSchema) in every plan and apply until
//! the move is applied, even though our provider does the move. The tests may not download the
//! real one, so the mirror holds this binary under its address. Every other operation fails
//! loudly, so a test also proves that Terraform never asks the source for more than schemas.
//!
//! The schemas are those of the newest official releases (v1.227.1+ for the pool, v1.219.0+ for
//! the CIDR block, v1.243.0+ for the EIP; all schema version 0), as the official provider's Go
//! sources declare them (`resource_alicloud_vpc_public_ip_address_pool*.go`,
//! `resource_alicloud_eip_address.go`, plus the SDK's `id` and `timeouts`).

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use terraform_provider_alicloudvpc::plugin::{handshake, serve};
use terraform_provider_alicloudvpc::provider::Provider;
use terraform_provider_alicloudvpc::provider::dispatch::Typed;
use terraform_provider_alicloudvpc::provider::interface::{Ctx, Failure, Resource};
use terraform_provider_alicloudvpc::provider::registry::Registry;
use terraform_provider_alicloudvpc::provider::timeouts::{self, Operation, TimeoutSpec};
use terraform_provider_alicloudvpc::tf::{Attribute, Block, Diagnostic, Diagnostics, Schema, Type};

/// The official types' `timeouts` block: create, delete and update (no read), 5m each.
const TIMEOUTS: &[TimeoutSpec] = &[
    TimeoutSpec {
        operation: Operation::Create,
        default: Duration::from_secs(300),
        description: "",
    },
    TimeoutSpec {
        operation: Operation::Delete,
        default: Duration::from_secs(300),
        description: "",
    },
    TimeoutSpec {
        operation: Operation::Update,
        default: Duration::from_secs(300),
        description: "",
    },
];

/// A resource type with the official schema whose every operation is an error.
struct SchemaOnly {
    name: &'static str,
    attributes: fn() -> Vec<Attribute>,
}

fn refused() -> Diagnostics {
    Diagnostic::error(
        "Test stand-in of aliyun/alicloud",
        "This binary only serves the official provider's schemas for tests; Terraform was not expected to call it for anything else.",
    )
    .into()
}

#[async_trait]
impl Resource for SchemaOnly {
    type State = serde_json::Value;

    fn type_name(&self) -> &'static str {
        self.name
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                description: "",
                attributes: (self.attributes)(),
                blocks: vec![timeouts::block("", TIMEOUTS)],
            },
        }
    }

    fn timeouts(&self) -> &'static [TimeoutSpec] {
        TIMEOUTS
    }

    async fn create(&self, _: &Ctx, _: Self::State) -> Result<Self::State, Failure<Self::State>> {
        Err(refused().into())
    }

    async fn read(&self, _: &Ctx, _: Self::State) -> Result<Option<Self::State>, Diagnostics> {
        Err(refused())
    }

    async fn update(
        &self,
        _: &Ctx,
        _: Self::State,
        _: Self::State,
    ) -> Result<Self::State, Failure<Self::State>> {
        Err(refused().into())
    }

    async fn delete(&self, _: &Ctx, _: Self::State) -> Result<Diagnostics, Diagnostics> {
        Err(refused())
    }

    async fn import(&self, _: &Ctx, _: &str) -> Result<(Self::State, Diagnostics), Diagnostics> {
        Err(refused())
    }
}

const STRINGS: Type = Type::String;

/// `alicloud_vpc_public_ip_address_pool` since v1.227.1 (`id` is the SDK's optional+computed).
fn pool_attributes() -> Vec<Attribute> {
    use Type::{Bool, List, Map, Number, String};
    vec![
        Attribute::optional_computed("biz_type", String, ""),
        Attribute::computed("create_time", String, ""),
        Attribute::optional("description", String, ""),
        Attribute::optional_computed("id", String, ""),
        Attribute::computed("ip_address_remaining", Bool, ""),
        Attribute::optional_computed("isp", String, ""),
        Attribute::computed("public_ip_address_pool_id", String, ""),
        Attribute::optional("public_ip_address_pool_name", String, ""),
        Attribute::optional_computed("resource_group_id", String, ""),
        Attribute::optional("security_protection_types", List(&STRINGS), ""),
        Attribute::computed("status", String, ""),
        Attribute::optional("tags", Map(&STRINGS), ""),
        Attribute::computed("total_ip_num", Number, ""),
        Attribute::computed("used_ip_num", Number, ""),
    ]
}

/// `alicloud_vpc_public_ip_address_pool_cidr_block` since v1.219.0.
fn cidr_block_attributes() -> Vec<Attribute> {
    use Type::{Number, String};
    vec![
        Attribute::optional_computed("cidr_block", String, ""),
        Attribute::optional("cidr_mask", Number, ""),
        Attribute::computed("create_time", String, ""),
        Attribute::optional_computed("id", String, ""),
        Attribute::required("public_ip_address_pool_id", String, ""),
        Attribute::computed("status", String, ""),
    ]
}

/// `alicloud_eip_address` since v1.243.0, which `alicloud_eip` has shared since v1.126.0.
/// `bandwidth` is a string there; `name` and `instance_charge_type` are deprecated aliases of
/// `address_name` and `payment_type`.
fn eip_attributes() -> Vec<Attribute> {
    use Type::{Bool, List, Map, Number, String};
    vec![
        Attribute::optional("activity_id", String, ""),
        Attribute::optional_computed("address_name", String, ""),
        Attribute::optional_computed("allocation_id", String, ""),
        Attribute::optional("auto_pay", Bool, ""),
        Attribute::optional_computed("bandwidth", String, ""),
        Attribute::computed("create_time", String, ""),
        Attribute::optional_computed("deletion_protection", Bool, ""),
        Attribute::optional_computed("description", String, ""),
        Attribute::optional_computed("high_definition_monitor_log_status", String, ""),
        Attribute::optional_computed("id", String, ""),
        Attribute::optional_computed("instance_charge_type", String, ""),
        Attribute::optional_computed("internet_charge_type", String, ""),
        Attribute::optional_computed("ip_address", String, ""),
        Attribute::optional_computed("isp", String, ""),
        Attribute::optional("log_project", String, ""),
        Attribute::optional("log_store", String, ""),
        Attribute::optional_computed("mode", String, ""),
        Attribute::optional_computed("name", String, ""),
        Attribute::optional_computed("netmode", String, ""),
        Attribute::optional_computed("payment_type", String, ""),
        Attribute::optional("period", Number, ""),
        Attribute::optional("pricing_cycle", String, ""),
        Attribute::optional("public_ip_address_pool_id", String, ""),
        Attribute::optional_computed("resource_group_id", String, ""),
        Attribute::optional("security_protection_types", List(&STRINGS), ""),
        Attribute::computed("status", String, ""),
        Attribute::optional("tags", Map(&STRINGS), ""),
        Attribute::optional_computed("zone", String, ""),
    ]
}

/// The official provider block, reduced to what a migrating configuration might set.
fn provider_schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "",
            attributes: vec![
                Attribute::optional("region", Type::String, ""),
                Attribute::optional("access_key", Type::String, ""),
                Attribute::optional("secret_key", Type::String, "").sensitive(),
            ],
            blocks: vec![],
        },
    }
}

fn main() -> ExitCode {
    if !handshake::launched_by_terraform(std::env::var(handshake::MAGIC_COOKIE_KEY).ok().as_deref())
    {
        eprintln!("{}", handshake::NOT_LAUNCHED_BY_TERRAFORM);
        return ExitCode::from(1);
    }
    let registry = Registry {
        resources: vec![
            Typed::resource(SchemaOnly {
                name: "alicloud_vpc_public_ip_address_pool",
                attributes: pool_attributes,
            }),
            Typed::resource(SchemaOnly {
                name: "alicloud_vpc_public_ip_address_pool_cidr_block",
                attributes: cidr_block_attributes,
            }),
            Typed::resource(SchemaOnly {
                name: "alicloud_eip_address",
                attributes: eip_attributes,
            }),
            Typed::resource(SchemaOnly {
                name: "alicloud_eip",
                attributes: eip_attributes,
            }),
        ],
        data_sources: vec![],
    };
    let provider =
        Arc::new(Provider::with_registry(registry).with_provider_schema(provider_schema()));
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("official_alicloud_standin: {e}");
            return ExitCode::from(1);
        }
    };
    let mode = serve::Mode::Terraform {
        client_cert_pem: std::env::var("PLUGIN_CLIENT_CERT").ok(),
    };
    let result = runtime.block_on(serve::run(provider, mode));
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("official_alicloud_standin: {e}");
            ExitCode::from(1)
        }
    }
}
