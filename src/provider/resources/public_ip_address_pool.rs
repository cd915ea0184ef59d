//! Resource `alicloudvpc_public_ip_address_pool`: a public IP address pool
//! (`shared/spec/pools.md`). Reads come from the region's shared listing
//! (`provider/pool_api.rs`); writes wait for Alibaba's asynchronous `Created`/gone.
//!
//! - Create: `CreatePublicIpAddressPool` with one ClientToken across retries, then wait until
//!   `Created`. A create whose wait fails keeps the pool in state (tainted), never orphaned.
//! - Read: a pool that is gone or `Deleting` is absent; Alibaba's own tags are not drift.
//! - Update: name and description, resource group, tags (only the difference); then wait.
//! - Delete: then wait until gone; a pool with allocated addresses stays, with what to do.
//! - Import: `pippool-…` (provider's region) or `cn-shanghai:pippool-…`.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::import_id::RegionalId;
use crate::alicloud::vpc::{CreatePublicIpAddressPoolRequest, PublicIpAddressPool};
use crate::provider::errors::Operation;
use crate::provider::interface::{Ctx, Failure, Planning, Resource};
use crate::provider::pool_api::Calls;
use crate::provider::pool_rules::{self, BIZ_TYPES, ISPS};
use crate::provider::pool_writes::{self, PoolChange, known_tags, tag_list};
use crate::provider::region;
use crate::provider::timeouts::{self, Operation as Op, TimeoutSpec, Timeouts};
use crate::tf::{
    AttrPath, Attribute, Block, Diagnostic, Diagnostics, List, Map, Number, Schema, Type, Value,
};

pub const TYPE_NAME: &str = "alicloudvpc_public_ip_address_pool";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolState {
    pub id: Value<String>,
    pub region_id: Value<String>,
    pub public_ip_address_pool_name: Value<String>,
    pub description: Value<String>,
    pub isp: Value<String>,
    pub biz_type: Value<String>,
    pub zones: List<String>,
    pub security_protection_types: List<String>,
    pub resource_group_id: Value<String>,
    pub tags: Map<String>,
    pub public_ip_address_pool_id: Value<String>,
    pub status: Value<String>,
    pub create_time: Value<String>,
    pub total_ip_num: Value<Number>,
    pub used_ip_num: Value<Number>,
    pub ip_address_remaining: Value<bool>,
    pub user_type: Value<String>,
    pub share_type: Value<String>,
    pub business_status: Value<String>,
    pub timeouts: Value<Timeouts>,
}

pub struct PoolResource;

const FIVE_MINUTES: Duration = Duration::from_secs(5 * 60);
const TIMEOUTS: &[TimeoutSpec] = &[
    TimeoutSpec {
        operation: Op::Create,
        default: FIVE_MINUTES,
        description: "Time allowed to create the pool and wait until it is `Created`, including retries (default `5m`).",
    },
    TimeoutSpec {
        operation: Op::Read,
        default: crate::provider::DEFAULT_READ_TIMEOUT,
        description: "Time allowed to read the pool, including retries (default `1m`).",
    },
    TimeoutSpec {
        operation: Op::Update,
        default: FIVE_MINUTES,
        description: "Time allowed to update the pool and wait until it is `Created` again (default `5m`).",
    },
    TimeoutSpec {
        operation: Op::Delete,
        default: FIVE_MINUTES,
        description: "Time allowed to delete the pool and wait until it is gone (default `5m`).",
    },
];

const STRINGS: &Type = &Type::String;

const IMPORT_ID: RegionalId = RegionalId {
    type_name: TYPE_NAME,
    prefix: "pippool-",
    what: "a pool",
    called: "the pool ID",
    example: "pippool-6wetvn6fumkgycssx",
};

/// `""` from the API is null in state unless the state already holds `""`, so that an unset
/// name and an explicitly empty one both plan empty.
fn text(api: &str, current: &Value<String>) -> Value<String> {
    match (api.is_empty(), current) {
        (true, Value::Known(s)) if s.is_empty() => Value::Known(String::new()),
        (true, _) => Value::Null,
        (false, _) => Value::Known(api.to_string()),
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// The state of `pool` as Alibaba reports it, keeping `current`'s form where it is a choice.
fn state_of(pool: &PublicIpAddressPool, region: &str, current: &PoolState) -> PoolState {
    let tags = pool_rules::user_tags(&pool.tags);
    PoolState {
        id: Value::Known(pool.public_ip_address_pool_id.clone()),
        region_id: Value::Known(region.to_string()),
        public_ip_address_pool_name: text(&pool.name, &current.public_ip_address_pool_name),
        description: text(&pool.description, &current.description),
        isp: Value::Known(pool.isp.clone()),
        biz_type: Value::Known(if pool.biz_type.is_empty() {
            "Default".into()
        } else {
            pool.biz_type.clone()
        }),
        zones: List::of(sorted(pool.zones.clone())),
        security_protection_types: List::of(sorted(pool.security_protection_types.clone())),
        resource_group_id: Value::Known(pool.resource_group_id.clone()),
        // No tags is null unless the configuration says `tags = {}`.
        tags: if tags.is_empty() && !matches!(current.tags, Value::Known(_)) {
            Value::Null
        } else {
            Map::of(tags)
        },
        public_ip_address_pool_id: Value::Known(pool.public_ip_address_pool_id.clone()),
        status: Value::Known(pool.status.clone()),
        create_time: Value::Known(pool.creation_time.clone()),
        total_ip_num: Value::Known(Number(pool.total_ip_num as i64)),
        used_ip_num: Value::Known(Number(pool.used_ip_num as i64)),
        ip_address_remaining: Value::Known(pool.ip_address_remaining),
        user_type: Value::Known(pool.user_type.clone()),
        share_type: Value::Known(pool.share_type.clone()),
        business_status: Value::Known(pool.business_status.clone()),
        timeouts: current.timeouts.clone(),
    }
}

/// What apply sends: by then Terraform has made every value known.
fn known_list(v: &List<String>) -> Vec<String> {
    v.wholly_known().into_known().unwrap_or_default()
}

#[async_trait]
impl Resource for PoolResource {
    type State = PoolState;

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        let computed = |n, t, d| Attribute::computed(n, t, d);
        Schema {
            version: 0,
            block: Block {
                description: "A public IP address pool (`CreatePublicIpAddressPool`): a set of public address blocks of one line type in one region, from which EIPs are allocated. The region's IP address pool feature must be active first (`alicloudvpc_public_ip_address_pool_service`).",
                attributes: vec![
                    computed("id", Type::String, "The pool ID (`pippool-…`); also the import ID."),
                    Attribute::optional_computed("region_id", Type::String, "Region of the pool, e.g. `cn-hangzhou`. Defaults to the provider's `region`. Changing it replaces the pool.").forces_replacement(),
                    Attribute::optional("public_ip_address_pool_name", Type::String, "Name of the pool: 0 to 128 characters, not starting with `http://` or `https://`."),
                    Attribute::optional("description", Type::String, "Description of the pool: 0 to 256 characters, not starting with `http://` or `https://`."),
                    Attribute::optional_computed("isp", Type::String, "Line type: `BGP` (Alibaba Cloud's default), `BGP_PRO`, `ChinaTelecom`, `ChinaUnicom`, `ChinaMobile`, `ChinaTelecom_L2`, `ChinaUnicom_L2`, `ChinaMobile_L2` or `BGP_FinanceCloud`. Changing it replaces the pool.").forces_replacement(),
                    Attribute::optional_computed("biz_type", Type::String, "Business type: `Default` or `CloudBox`. Changing it replaces the pool.").forces_replacement(),
                    Attribute::optional_computed("zones", Type::Set(STRINGS), "Zones of a `CloudBox` pool (required with `biz_type = \"CloudBox\"`, refused otherwise). Changing them replaces the pool.").forces_replacement(),
                    Attribute::optional_computed("security_protection_types", Type::Set(STRINGS), "Security protection types, e.g. `AntiDDoS_Enhanced` (which needs `isp = \"BGP\"`). Changing them replaces the pool.").forces_replacement(),
                    Attribute::optional_computed("resource_group_id", Type::String, "Resource group of the pool; defaults to the account's default group. A change moves the pool in place (`MoveResourceGroup`)."),
                    Attribute::optional("tags", Type::Map(STRINGS), "Tags of the pool: at most 20; keys of 1 to 128 characters, not starting with `aliyun` or `acs:`; values of at most 128 characters. Changed in place; tags Alibaba Cloud adds itself are ignored."),
                    computed("public_ip_address_pool_id", Type::String, "The pool ID, the same as `id`."),
                    computed("status", Type::String, "`Created`, `Modifying` or `Deleting`."),
                    computed("create_time", Type::String, "When the pool was created, e.g. `2022-05-10T01:37:38Z`."),
                    computed("total_ip_num", Type::Number, "Number of addresses in the pool's CIDR blocks."),
                    computed("used_ip_num", Type::Number, "Number of the pool's addresses in use."),
                    computed("ip_address_remaining", Type::Bool, "Whether the pool has addresses left to allocate."),
                    computed("user_type", Type::String, "`admin` or `user`."),
                    computed("share_type", Type::String, "`Shared` for a pool shared with this account, else empty."),
                    computed("business_status", Type::String, "`Normal` or `FinancialLocked`."),
                ],
                blocks: vec![timeouts::block("How long operations may take, as Go duration strings such as `30s`, `5m` or `1h`.", TIMEOUTS)],
            },
        }
    }

    fn timeouts(&self) -> &'static [TimeoutSpec] {
        TIMEOUTS
    }

    /// `moved` blocks from the official provider's type (`resources/moves.rs`).
    fn moves_from(&self) -> &'static [crate::provider::interface::MoveFrom] {
        super::moves::POOL_SOURCES
    }

    fn validate(&self, c: &PoolState) -> Diagnostics {
        let mut d = region::validate_attr(&c.region_id);
        d.extend(pool_rules::text(
            "public_ip_address_pool_name",
            &c.public_ip_address_pool_name,
            128,
        ));
        d.extend(pool_rules::text("description", &c.description, 256));
        d.extend(pool_rules::one_of("isp", &c.isp, ISPS));
        d.extend(pool_rules::one_of("biz_type", &c.biz_type, BIZ_TYPES));
        d.extend(pool_rules::tags(&c.tags));
        let cloudbox = c.biz_type.as_known().map(|b| b == "CloudBox");
        let zones = c.zones.as_known().map(|z| !z.is_empty());
        match (cloudbox, zones, &c.zones) {
            (Some(true), Some(false), _) | (Some(true), None, Value::Null) => d.push(
                Diagnostic::error("Zones required", "A CloudBox pool needs zones: set zones to the CloudBox's zones, e.g. zones = [\"cn-hangzhou-cb-a\"].")
                    .at(AttrPath::attr("zones")),
            ),
            (Some(false) | None, Some(true), _) if !c.biz_type.is_unknown() => d.push(
                Diagnostic::error("Zones only for CloudBox", "zones applies only to CloudBox pools: set biz_type = \"CloudBox\", or remove zones.")
                    .at(AttrPath::attr("zones")),
            ),
            _ => {}
        }
        d
    }

    fn plan(
        &self,
        planning: &Planning,
        _prior: Option<&PoolState>,
        planned: &mut PoolState,
        config: &PoolState,
    ) -> Diagnostics {
        match planning.region(&config.region_id) {
            Ok(r) => planned.region_id = r,
            Err(d) => return d,
        }
        Diagnostics::default()
    }

    async fn create(&self, ctx: &Ctx, planned: PoolState) -> Result<PoolState, Failure<PoolState>> {
        let region = ctx.region(&planned.region_id)?;
        let calls = &Calls::new(ctx, &region, Operation::CreatePool)?;
        let request = CreatePublicIpAddressPoolRequest {
            isp: planned.isp.as_known().cloned(),
            name: planned.public_ip_address_pool_name.as_known().cloned(),
            description: planned.description.as_known().cloned(),
            resource_group_id: planned.resource_group_id.as_known().cloned(),
            biz_type: planned.biz_type.as_known().cloned(),
            zones: known_list(&planned.zones),
            security_protection_types: known_list(&planned.security_protection_types),
            tags: tag_list(&known_tags(&planned.tags)),
            dry_run: false,
        };
        match pool_writes::create_pool(calls, &request).await? {
            (_, Ok(pool)) => Ok(state_of(&pool, &region, &planned)),
            // The pool exists: hand its ID back so that Terraform keeps it (tainted).
            (id, Err(d)) => Err(Failure::with_state(
                d,
                PoolState {
                    id: Value::Known(id.clone()),
                    region_id: Value::Known(region.clone()),
                    public_ip_address_pool_id: Value::Known(id),
                    ..planned
                },
            )),
        }
    }

    async fn read(&self, ctx: &Ctx, current: PoolState) -> Result<Option<PoolState>, Diagnostics> {
        let region = ctx.region(&current.region_id)?;
        let id = current.id.as_known().cloned().unwrap_or_default();
        let calls = &Calls::new(ctx, &region, Operation::ReadPools)?;
        Ok(calls
            .c
            .pools
            .pool(calls, &id)
            .await?
            .filter(|p| p.status != "Deleting")
            .map(|p| state_of(&p, &region, &current)))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: PoolState,
        planned: PoolState,
    ) -> Result<PoolState, Failure<PoolState>> {
        let region = ctx.region(&planned.region_id)?;
        let id = planned.id.as_known().cloned().unwrap_or_default();
        let calls = &Calls::new(ctx, &region, Operation::UpdatePool)?;
        let changed = |a: &Value<String>, b: &Value<String>| {
            (a != b).then(|| b.as_known().cloned().unwrap_or_default())
        };
        let change = PoolChange {
            name: changed(
                &prior.public_ip_address_pool_name,
                &planned.public_ip_address_pool_name,
            ),
            description: changed(&prior.description, &planned.description),
            resource_group_id: changed(&prior.resource_group_id, &planned.resource_group_id)
                .filter(|_| planned.resource_group_id.as_known().is_some()),
            old_tags: known_tags(&prior.tags),
            new_tags: known_tags(&planned.tags),
        };
        pool_writes::update_pool(calls, &id, change).await?;
        // The plan's values, which Terraform checks the result against; address counts that
        // CIDR blocks changed meanwhile show at the next refresh.
        Ok(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: PoolState) -> Result<Diagnostics, Diagnostics> {
        let region = ctx.region(&prior.region_id)?;
        let id = prior.id.as_known().cloned().unwrap_or_default();
        let calls = &Calls::new(ctx, &region, Operation::DeletePool)?;
        pool_writes::delete_pool(calls, &id).await?;
        Ok(Diagnostics::default())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<(PoolState, Diagnostics), Diagnostics> {
        let (region, pool) = IMPORT_ID.parse(ctx, id)?;
        Ok((
            PoolState {
                id: Value::Known(pool.clone()),
                region_id: Value::Known(region),
                public_ip_address_pool_id: Value::Known(pool),
                ..Default::default()
            },
            Diagnostics::default(),
        ))
    }

    fn import_doc(&self) -> &'static str {
        "The import ID is the pool ID (`pippool-…`), or `<region>:<pool ID>` for a pool outside the provider's region. Importing a pool that does not exist fails with Terraform's \"Cannot import non-existent remote object\" error and says where to look."
    }

    fn import_not_found(&self, imported: &PoolState) -> String {
        IMPORT_ID.not_found(&imported.region_id, &imported.id)
    }
}
