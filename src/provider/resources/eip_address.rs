//! Resource `alicloudvpc_eip_address`: an elastic IP address, typically allocated from a
//! public IP address pool. Reads come from the region's shared page (`provider/eip_api.rs`).
//!
//! - Create: `AllocateEipAddress` with one ClientToken across every retry, then wait until
//!   `Available`; deletion protection after that when asked for. An EIP from a pool takes the
//!   pool's line type and protection types unless the configuration sets them. A create whose
//!   wait fails keeps the EIP in state (tainted), never orphaned.
//! - Read: an EIP that is gone or `Releasing` is absent; Alibaba's own tags are not drift.
//! - Update: name, description and bandwidth (`ModifyEipAddressAttribute`), resource group,
//!   tags (only the difference), deletion protection; then wait.
//! - Delete: `ReleaseEipAddress`, then wait until gone. A protected EIP is refused at plan.
//! - Import: `eip-…` (provider's region) or `cn-shanghai:eip-…`.

mod checks;

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::import_id::RegionalId;
use crate::alicloud::vpc::AllocateEipAddressRequest;
use crate::provider::eip_writes::{self, EipChange};
use crate::provider::errors::Operation;
use crate::provider::interface::{Ctx, Failure, Planning, Resource};
use crate::provider::pool_api::Calls;
use crate::provider::pool_writes::{known_tags, tag_list};
use crate::provider::timeouts::{self, Operation as Op, TimeoutSpec, Timeouts};
use crate::tf::{
    AttrPath, Attribute, Block, Diagnostic, Diagnostics, List, Map, Number, Schema, Type, Value,
};

pub use checks::{PAY_AS_YOU_GO, payment_of};

pub const TYPE_NAME: &str = "alicloudvpc_eip_address";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EipState {
    pub id: Value<String>,
    pub region_id: Value<String>,
    pub public_ip_address_pool_id: Value<String>,
    pub ip_address: Value<String>,
    pub address_name: Value<String>,
    pub description: Value<String>,
    pub bandwidth: Value<Number>,
    pub isp: Value<String>,
    pub internet_charge_type: Value<String>,
    pub payment_type: Value<String>,
    pub resource_group_id: Value<String>,
    pub tags: Map<String>,
    pub deletion_protection: Value<bool>,
    pub security_protection_types: List<String>,
    pub zone: Value<String>,
    pub allocation_id: Value<String>,
    pub status: Value<String>,
    pub create_time: Value<String>,
    pub timeouts: Value<Timeouts>,
}

pub struct EipResource;

const FIVE_MINUTES: Duration = Duration::from_secs(5 * 60);
const TIMEOUTS: &[TimeoutSpec] = &[
    TimeoutSpec {
        operation: Op::Create,
        default: FIVE_MINUTES,
        description: "Time allowed to allocate the EIP and wait until it is `Available`, including retries (default `5m`).",
    },
    TimeoutSpec {
        operation: Op::Read,
        default: crate::provider::DEFAULT_READ_TIMEOUT,
        description: "Time allowed to read the EIP, including retries (default `1m`).",
    },
    TimeoutSpec {
        operation: Op::Update,
        default: FIVE_MINUTES,
        description: "Time allowed to update the EIP and wait until it is `Available` again (default `5m`).",
    },
    TimeoutSpec {
        operation: Op::Delete,
        default: FIVE_MINUTES,
        description: "Time allowed to release the EIP and wait until it is gone (default `5m`).",
    },
];

const STRINGS: &Type = &Type::String;

const IMPORT_ID: RegionalId = RegionalId {
    type_name: TYPE_NAME,
    prefix: "eip-",
    what: "an EIP",
    called: "the allocation ID",
    example: "eip-2zeerraiwb7uj6i0d6fo2",
};

fn id_of(s: &EipState) -> String {
    s.id.as_known().cloned().unwrap_or_default()
}

/// The allocation request for `planned`. An EIP from a pool must have the pool's line type
/// and protection types: where the configuration leaves them open, the pool's are sent
/// (Alibaba would otherwise default to `BGP` and none, and refuse a pool of another kind).
async fn request(calls: &Calls<'_>, planned: &EipState) -> AllocateEipAddressRequest {
    let pool_id = planned.public_ip_address_pool_id.as_known().cloned();
    let mut isp = planned.isp.as_known().cloned();
    let mut protection = planned
        .security_protection_types
        .wholly_known()
        .into_known();
    if let Some(pool_id) = &pool_id
        && (isp.is_none() || protection.is_none())
        // A failed lookup is left to the allocation, whose refusal explains itself.
        && let Ok(Some(pool)) = calls.c.pools.kind(calls, pool_id).await
    {
        isp = isp.or(Some(pool.isp));
        protection = protection.or(Some(pool.security_protection_types));
    }
    AllocateEipAddressRequest {
        public_ip_address_pool_id: pool_id,
        ip_address: planned.ip_address.as_known().cloned(),
        bandwidth: planned.bandwidth.as_known().map(|n| n.0.to_string()),
        isp,
        internet_charge_type: planned.internet_charge_type.as_known().cloned(),
        // Validation admits only PayAsYouGo, Alibaba's PostPaid.
        instance_charge_type: planned
            .payment_type
            .as_known()
            .map(|_| "PostPaid".to_string()),
        name: planned.address_name.as_known().cloned(),
        description: planned.description.as_known().cloned(),
        resource_group_id: planned.resource_group_id.as_known().cloned(),
        security_protection_types: protection.unwrap_or_default(),
        zone: planned.zone.as_known().cloned(),
        tags: tag_list(&known_tags(&planned.tags)),
    }
}

#[async_trait]
impl Resource for EipResource {
    type State = EipState;

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        let computed = |n, t, d| Attribute::computed(n, t, d);
        let optional_computed = |n, t, d| Attribute::optional_computed(n, t, d);
        Schema {
            version: 0,
            block: Block {
                description: "An elastic IP address (EIP), allocated with `AllocateEipAddress`, typically from a public IP address pool (`public_ip_address_pool_id`). Pay-as-you-go only.",
                attributes: vec![
                    computed("id", Type::String, "The allocation ID (`eip-…`); also the import ID."),
                    optional_computed("region_id", Type::String, "Region of the EIP, e.g. `cn-hangzhou`; an EIP from a pool must be in the pool's region. Defaults to the provider's `region`. Changing it replaces the EIP.").forces_replacement(),
                    optional_computed("public_ip_address_pool_id", Type::String, "The pool to allocate the address from (`pippool-…`). Without it Alibaba Cloud allocates from its own addresses. Changing it replaces the EIP.").forces_replacement(),
                    optional_computed("ip_address", Type::String, "The address. Set it to allocate a specific free address of the pool's CIDR blocks; otherwise Alibaba Cloud picks one. Changing it replaces the EIP.").forces_replacement(),
                    Attribute::optional("address_name", Type::String, "Name of the EIP: up to 128 characters, not starting with `http://` or `https://`."),
                    Attribute::optional("description", Type::String, "Description of the EIP: up to 256 characters, not starting with `http://` or `https://`."),
                    optional_computed("bandwidth", Type::Number, "Maximum bandwidth in Mbit/s: 1 to 500 charged by bandwidth, 1 to 200 charged by traffic (Alibaba Cloud's default is 5). Changed in place."),
                    optional_computed("isp", Type::String, "Line type, e.g. `BGP` (Alibaba Cloud's default) or `BGP_PRO`. An EIP from a pool takes the pool's line type when this is not set. Changing it replaces the EIP.").forces_replacement(),
                    optional_computed("internet_charge_type", Type::String, "`PayByBandwidth` (Alibaba Cloud's default) or `PayByTraffic`. Changing it replaces the EIP.").forces_replacement(),
                    optional_computed("payment_type", Type::String, "`PayAsYouGo`, the only payment type supported (subscription EIPs have terms Terraform cannot manage). Changing it replaces the EIP.").forces_replacement(),
                    optional_computed("resource_group_id", Type::String, "Resource group of the EIP; defaults to the account's default group. A change moves the EIP in place (`MoveResourceGroup`)."),
                    Attribute::optional("tags", Type::Map(STRINGS), "Tags of the EIP: at most 20; keys of 1 to 128 characters, not starting with `aliyun` or `acs:`; values of at most 128 characters. Changed in place; tags Alibaba Cloud adds itself are ignored."),
                    optional_computed("deletion_protection", Type::Bool, "Whether Alibaba Cloud refuses to release the EIP (default `false`). While it is `true`, a plan that would destroy or replace the EIP is an error. Changed in place."),
                    optional_computed("security_protection_types", Type::Set(STRINGS), "Security protection types, e.g. `AntiDDoS_Enhanced`. An EIP from a pool takes the pool's when this is not set. Changing them replaces the EIP.").forces_replacement(),
                    optional_computed("zone", Type::String, "Zone of the EIP, for zonal EIPs; not with `public_ip_address_pool_id`. Changing it replaces the EIP.").forces_replacement(),
                    computed("allocation_id", Type::String, "The allocation ID, the same as `id`."),
                    computed("status", Type::String, "`Available`, `InUse` (associated), `Associating`, `Unassociating` or `Releasing`."),
                    computed("create_time", Type::String, "When the EIP was allocated, e.g. `2023-01-05T06:41:25Z`."),
                ],
                blocks: vec![timeouts::block("How long operations may take, as Go duration strings such as `30s`, `5m` or `1h`.", TIMEOUTS)],
            },
        }
    }

    fn timeouts(&self) -> &'static [TimeoutSpec] {
        TIMEOUTS
    }

    /// `moved` blocks from the official provider's EIP types (`resources/moves_eip.rs`).
    fn moves_from(&self) -> &'static [crate::provider::interface::MoveFrom] {
        super::moves::EIP_SOURCES
    }

    fn validate(&self, c: &EipState) -> Diagnostics {
        checks::validate(c)
    }

    fn plan(
        &self,
        planning: &Planning,
        prior: Option<&EipState>,
        planned: &mut EipState,
        config: &EipState,
    ) -> Diagnostics {
        match planning.region(&config.region_id) {
            Ok(r) => planned.region_id = r,
            Err(d) => return d,
        }
        let mut d = checks::conflicts(config);
        if let Some(prior) = prior {
            d.extend(checks::protected_replacement(prior, planned));
        }
        d
    }

    /// Alibaba refuses to release a protected EIP; saying so in the plan spares the user an
    /// apply that fails halfway through.
    fn plan_destroy(&self, _planning: &Planning, prior: &EipState) -> Diagnostics {
        if prior.deletion_protection != Value::Known(true) {
            return Diagnostics::default();
        }
        Diagnostic::error(
            "Deletion protection is on",
            format!(
                "EIP {} has deletion_protection = true, so Alibaba Cloud would refuse to release it. Set deletion_protection = false and run terraform apply first, then destroy it.",
                id_of(prior)
            ),
        )
        .at(AttrPath::attr("deletion_protection"))
        .into()
    }

    async fn create(&self, ctx: &Ctx, planned: EipState) -> Result<EipState, Failure<EipState>> {
        let region = ctx.region(&planned.region_id)?;
        let calls = &Calls::new(ctx, &region, Operation::AllocateEip)?;
        let request = request(calls, &planned).await;
        let protect = planned.deletion_protection == Value::Known(true);
        let allocated = eip_writes::allocate(calls, &request, protect).await?;
        match (allocated.outcome, allocated.last_seen) {
            (Ok(eip), _) => Ok(checks::state_of(&eip, &region, &planned)),
            // The EIP exists: hand it back so that Terraform keeps it (tainted), as last read
            // (protection as Alibaba has it, not as planned), or by its ID alone.
            (Err(d), Some(eip)) => Err(Failure::with_state(
                d,
                checks::state_of(&eip, &region, &planned),
            )),
            (Err(d), None) => Err(Failure::with_state(
                d,
                EipState {
                    id: Value::Known(allocated.id.clone()),
                    region_id: Value::Known(region.clone()),
                    allocation_id: Value::Known(allocated.id),
                    deletion_protection: Value::Null,
                    ..planned
                },
            )),
        }
    }

    async fn read(&self, ctx: &Ctx, current: EipState) -> Result<Option<EipState>, Diagnostics> {
        let region = ctx.region(&current.region_id)?;
        let calls = &Calls::new(ctx, &region, Operation::ReadEips)?;
        Ok(calls
            .c
            .eips
            .eip(calls, &id_of(&current))
            .await?
            .filter(|e| e.status != "Releasing")
            .map(|e| checks::state_of(&e, &region, &current)))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: EipState,
        planned: EipState,
    ) -> Result<EipState, Failure<EipState>> {
        let region = ctx.region(&planned.region_id)?;
        let calls = &Calls::new(ctx, &region, Operation::UpdateEip)?;
        let changed = |a: &Value<String>, b: &Value<String>| {
            (a != b).then(|| b.as_known().cloned().unwrap_or_default())
        };
        let change = EipChange {
            name: changed(&prior.address_name, &planned.address_name),
            description: changed(&prior.description, &planned.description),
            bandwidth: (prior.bandwidth != planned.bandwidth)
                .then(|| planned.bandwidth.as_known().map(|n| n.0.to_string()))
                .flatten(),
            resource_group_id: changed(&prior.resource_group_id, &planned.resource_group_id)
                .filter(|_| planned.resource_group_id.as_known().is_some()),
            deletion_protection: (prior.deletion_protection != planned.deletion_protection)
                .then(|| planned.deletion_protection.as_known().copied())
                .flatten(),
            old_tags: known_tags(&prior.tags),
            new_tags: known_tags(&planned.tags),
        };
        eip_writes::update(calls, &id_of(&planned), change).await?;
        Ok(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: EipState) -> Result<Diagnostics, Diagnostics> {
        let region = ctx.region(&prior.region_id)?;
        let calls = &Calls::new(ctx, &region, Operation::ReleaseEip)?;
        let pool = prior
            .public_ip_address_pool_id
            .as_known()
            .map(String::as_str);
        eip_writes::release(calls, &id_of(&prior), pool).await?;
        Ok(Diagnostics::default())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<(EipState, Diagnostics), Diagnostics> {
        let (region, eip) = IMPORT_ID.parse(ctx, id)?;
        Ok((
            EipState {
                id: Value::Known(eip.clone()),
                region_id: Value::Known(region),
                allocation_id: Value::Known(eip),
                ..Default::default()
            },
            Diagnostics::default(),
        ))
    }

    fn import_doc(&self) -> &'static str {
        "The import ID is the allocation ID (`eip-…`), or `<region>:<allocation ID>` for an EIP outside the provider's region. Importing an EIP that does not exist fails with Terraform's \"Cannot import non-existent remote object\" error and says where to look."
    }

    fn import_not_found(&self, imported: &EipState) -> String {
        IMPORT_ID.not_found(&imported.region_id, &imported.id)
    }
}
