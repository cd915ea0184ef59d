//! Resource `alicloudvpc_public_ip_address_pool_cidr_block`: one CIDR block of a public IP
//! address pool (`shared/spec/pools.md`). The calls and the shared listings live in
//! `provider/pool_api.rs`.
//!
//! - Create: `AddPublicIpAddressPoolCidrBlock` once (one ClientToken across retries), then wait
//!   until the block is `Created`. A wait that fails after Alibaba named the block returns it as
//!   partial state, so Terraform keeps it (tainted) instead of orphaning it.
//! - Read: from the pool's shared block listing; gone, `Deleting`, or gone with its pool is
//!   `None`.
//! - Update: only `timeouts` can change; no API call.
//! - Delete: `DeletePublicIpAddressPoolCidrBlock`, then wait until the block is gone.
//!
//! State holds both `cidr_block` and `cidr_mask` (the block's prefix length), whichever one the
//! configuration sets, so that switching between them, or importing, plans no change.

mod checks;
mod target;
#[cfg(test)]
mod tests;
mod turns;

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::alicloud::vpc::{
    AddPublicIpAddressPoolCidrBlockRequest, DeletePublicIpAddressPoolCidrBlockRequest,
};
use crate::provider::activation::client_token;
use crate::provider::errors::Operation as Op;
use crate::provider::interface::{Ctx, Failure, Planning, Resource};
use crate::provider::pool_api::Calls;
use crate::provider::region;
use crate::provider::timeouts::{self, Operation, TimeoutSpec, Timeouts};
use crate::tf::{Attribute, Block, Diagnostic, Diagnostics, Number, Schema, Type, Value};
use target::{Target, known, prefix};

pub const TYPE_NAME: &str = "alicloudvpc_public_ip_address_pool_cidr_block";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CidrBlockState {
    pub id: Value<String>,
    pub region_id: Value<String>,
    pub public_ip_address_pool_id: Value<String>,
    pub cidr_block: Value<String>,
    pub cidr_mask: Value<Number>,
    pub status: Value<String>,
    pub create_time: Value<String>,
    pub total_ip_num: Value<Number>,
    pub used_ip_num: Value<Number>,
    pub timeouts: Value<Timeouts>,
}

/// The resource type. It remembers, per pool, whose turn it is to change the pool's blocks.
#[derive(Default)]
pub struct CidrBlockResource {
    turns: turns::Turns,
}

const TIMEOUTS: &[TimeoutSpec] = &[
    TimeoutSpec {
        operation: Operation::Create,
        default: Duration::from_secs(5 * 60),
        description: "Time allowed for adding the block, including retries and waiting for it to be `Created` (default `5m`).",
    },
    TimeoutSpec {
        operation: Operation::Read,
        default: crate::provider::DEFAULT_READ_TIMEOUT,
        description: "Time allowed for reading the pool's blocks, including retries (default `1m`).",
    },
    TimeoutSpec {
        operation: Operation::Delete,
        default: Duration::from_secs(5 * 60),
        description: "Time allowed for deleting the block, including retries and waiting for it to be gone (default `5m`).",
    },
];

#[async_trait]
impl Resource for CidrBlockResource {
    type State = CidrBlockState;

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        let s = Type::String;
        Schema {
            version: 0,
            block: Block {
                description: "Adds a CIDR block to a public IP address pool (`AddPublicIpAddressPoolCidrBlock`): a block of your own (`cidr_block`), or one Alibaba Cloud allocates by size (`cidr_mask`). Set exactly one of the two; the state records both, so a configuration may later name the allocated block instead of its size without a change. Destroying deletes the block, which Alibaba Cloud refuses while EIPs allocated from it exist.",
                attributes: vec![
                    Attribute::computed("id", s, "`<public_ip_address_pool_id>:<cidr_block>`, e.g. `pippool-uf6n1rx8gqo5v8xhn1x2c:47.0.0.0/24`."),
                    Attribute::optional_computed("region_id", s, "Region of the pool, e.g. `cn-hangzhou`. Defaults to the provider's `region`. Changing it replaces the block.").forces_replacement(),
                    Attribute::required("public_ip_address_pool_id", s, "ID of the pool (`pippool-…`) to add the block to, usually `alicloudvpc_public_ip_address_pool.<name>.id`. Changing it replaces the block.").forces_replacement(),
                    Attribute::optional_computed("cidr_block", s, "The block to add, an IPv4 network in CIDR notation with its host bits zero and a prefix of /24 to /28, e.g. `47.0.0.0/24`. Conflicts with `cidr_mask`; when `cidr_mask` is set instead, this is the block Alibaba Cloud allocated. Changing it replaces the block.").forces_replacement(),
                    Attribute::optional_computed("cidr_mask", Type::Number, "Size of the block for Alibaba Cloud to allocate: a prefix length of 24 (256 addresses) to 28 (16 addresses). Conflicts with `cidr_block`; when `cidr_block` is set instead, this is its prefix length. Changing it replaces the block.").forces_replacement(),
                    Attribute::computed("status", s, "Status of the block: `Created`, `Modifying` (being added) or `Deleting`."),
                    Attribute::computed("create_time", s, "When the block was added (`CreationTime`)."),
                    Attribute::computed("total_ip_num", Type::Number, "Number of addresses in the block (`TotalIpNum`)."),
                    Attribute::computed("used_ip_num", Type::Number, "Number of the block's addresses allocated as EIPs (`UsedIpNum`)."),
                ],
                blocks: vec![timeouts::block(
                    "How long operations may take, as Go duration strings such as `30s`, `5m` or `1h`.",
                    TIMEOUTS,
                )],
            },
        }
    }

    fn timeouts(&self) -> &'static [TimeoutSpec] {
        TIMEOUTS
    }

    /// `moved` blocks from the official provider's type (`resources/moves.rs`).
    fn moves_from(&self) -> &'static [crate::provider::interface::MoveFrom] {
        super::moves::CIDR_BLOCK_SOURCES
    }

    fn validate(&self, config: &CidrBlockState) -> Diagnostics {
        let mut d = region::validate_attr(&config.region_id);
        d.extend(checks::validate(
            &config.public_ip_address_pool_id,
            &config.cidr_block,
            &config.cidr_mask,
        ));
        d
    }

    /// The shared rule has kept computed values from the prior state where the configuration
    /// is null; this step makes `cidr_mask` follow a configured `cidr_block`, so that the two
    /// agree in every plan and only a real change of the block replaces it.
    fn plan(
        &self,
        planning: &Planning,
        _prior: Option<&CidrBlockState>,
        planned: &mut CidrBlockState,
        config: &CidrBlockState,
    ) -> Diagnostics {
        // Values validation saw unknown may be known now (at the latest in the plan Terraform
        // makes again at apply): both set is refused here before anything is created.
        let conflict = checks::exactly_one(&config.cidr_block, &config.cidr_mask);
        if conflict.has_errors() {
            return conflict;
        }
        match planning.region(&config.region_id) {
            Ok(region) => planned.region_id = region,
            Err(d) => return d,
        }
        match &config.cidr_block {
            Value::Known(cidr) => {
                // Validation refused a block that does not parse; should one get here, its
                // size is left to apply.
                planned.cidr_mask = prefix(cidr).map_or(Value::Unknown, Value::Known);
                // The ID is known as soon as both its parts are: the block is the configured one.
                planned.id = match &planned.public_ip_address_pool_id {
                    Value::Known(pool) => Value::Known(format!("{pool}:{cidr}")),
                    _ => Value::Unknown,
                };
            }
            Value::Unknown => {
                planned.cidr_mask = Value::Unknown;
                planned.id = Value::Unknown;
            }
            // Allocated by size: `cidr_block` and `id` stay as kept from the prior state. A
            // size, pool or region that differs from the prior state replaces the block, and
            // the shared rule then makes the kept values unknown (and marks only the attribute
            // the user changed as the cause).
            Value::Null => {}
        }
        Diagnostics::default()
    }

    async fn create(
        &self,
        ctx: &Ctx,
        planned: CidrBlockState,
    ) -> Result<CidrBlockState, Failure<CidrBlockState>> {
        let c = ctx.configured()?;
        let region = ctx.region(&planned.region_id)?;
        let pool = known(
            &planned.public_ip_address_pool_id,
            "public_ip_address_pool_id",
        )?;
        // A configured block is sent as it is; otherwise the size, as planned from the config.
        let request = AddPublicIpAddressPoolCidrBlockRequest {
            public_ip_address_pool_id: pool.to_string(),
            cidr_block: planned.cidr_block.as_known().cloned(),
            cidr_mask: match planned.cidr_block {
                Value::Known(_) => None,
                _ => planned
                    .cidr_mask
                    .as_known()
                    .and_then(|m| u8::try_from(m.0).ok()),
            },
            dry_run: false,
        };
        let calls = Calls {
            c,
            ctx,
            region: &region,
            op: Op::AddCidrBlock,
        };
        // Held until the block is `Created`: the pool refuses other block changes until then.
        let _turn = self.turns.take(&calls, pool).await?;
        let token = client_token();
        let added = turns::write(
            &calls,
            &format!("waiting for pool {pool} to accept the block"),
            |creds, o| {
                let (request, token, region) = (&request, &token, &region);
                async move {
                    c.api
                        .client
                        .add_public_ip_address_pool_cidr_block(&creds, region, token, request, &o)
                        .await
                }
            },
        )
        .await;
        // Even a failed add may have reached Alibaba in one of its retries.
        c.pools.changed_blocks(&region, pool);
        let added = added.map_err(|f| f.explain(&calls))?;
        let Some(cidr) = Some(added.cidr_block)
            .filter(|b| !b.is_empty())
            .or(request.cidr_block)
        else {
            return Err(Diagnostic::error(
                "Alibaba Cloud did not name the block it added",
                format!("AddPublicIpAddressPoolCidrBlock succeeded (RequestId {}) without a CidrBlock, so the allocated block cannot be tracked. Find it in the console or with the alicloudvpc_public_ip_address_pool_cidr_blocks data source and import it.", added.request_id),
            )
            .into());
        };
        let partial = CidrBlockState {
            id: Value::Known(format!("{pool}:{cidr}")),
            region_id: Value::Known(region.clone()),
            public_ip_address_pool_id: Value::Known(pool.to_string()),
            cidr_mask: Value::from_option(prefix(&cidr)),
            cidr_block: Value::Known(cidr.clone()),
            timeouts: planned.timeouts.clone(),
            ..Default::default()
        };
        let target = Target {
            c,
            region: region.clone(),
            pool,
            cidr: &cidr,
        };
        let what = format!(
            "waiting for CIDR block {} of {pool} to be Created",
            target.cidr
        );
        let created = calls
            .wait(&what, || async {
                Ok(c.pools
                    .fresh_block(&calls, pool, target.cidr)
                    .await?
                    .filter(|b| b.status == "Created"))
            })
            .await;
        // A read that ran during the wait may have shared the block as `Modifying`.
        target.changed();
        match created {
            Ok(b) => Ok(target.observed(&b, planned.timeouts)),
            Err(d) => Err(Failure::with_state(d, partial)),
        }
    }

    async fn read(
        &self,
        ctx: &Ctx,
        current: CidrBlockState,
    ) -> Result<Option<CidrBlockState>, Diagnostics> {
        let t = Target::of(ctx, &current)?;
        let calls = t.calls(ctx, Op::ReadCidrBlocks);
        let blocks = match t.c.pools.blocks(&calls, t.pool).await {
            Ok(b) => b,
            // Alibaba refuses to list the blocks of a pool that no longer exists: the block
            // went with its pool, which Terraform should plan to add again, not an error.
            Err(d) if t.pool_gone(ctx).await => {
                log::debug!(pool = t.pool, error = d.summary.as_str(); "pool gone: its block is gone");
                return Ok(None);
            }
            Err(d) => return Err(d.into()),
        };
        Ok(blocks
            .iter()
            .find(|b| b.cidr_block == t.cidr && b.status != "Deleting")
            .map(|b| t.observed(b, current.timeouts.clone())))
    }

    async fn update(
        &self,
        _: &Ctx,
        _prior: CidrBlockState,
        planned: CidrBlockState,
    ) -> Result<CidrBlockState, Failure<CidrBlockState>> {
        Ok(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: CidrBlockState) -> Result<Diagnostics, Diagnostics> {
        let t = Target::of(ctx, &prior)?;
        let calls = t.calls(ctx, Op::DeleteCidrBlock);
        let request = DeletePublicIpAddressPoolCidrBlockRequest {
            public_ip_address_pool_id: t.pool.to_string(),
            cidr_block: t.cidr.to_string(),
            dry_run: false,
        };
        // Held until the block is gone: the pool refuses other block changes until then.
        let _turn = self.turns.take(&calls, t.pool).await?;
        let token = client_token();
        let what = format!("waiting for pool {} to accept the deletion", t.pool);
        let deleted = turns::write(&calls, &what, |creds, o| {
            let (request, token, region) = (&request, &token, &t.region);
            async move {
                t.c.api
                    .client
                    .delete_public_ip_address_pool_cidr_block(&creds, region, token, request, &o)
                    .await
            }
        })
        .await;
        t.changed();
        match deleted {
            Ok(_) => {}
            // Already gone, by itself or with its pool: what the delete was for.
            Err(f) if f.code().is_some_and(|c| c.starts_with("ResourceNotFound")) => {
                return Ok(Diagnostics::default());
            }
            Err(f) => {
                let in_use = f.code().is_some_and(|c| c.ends_with("InUse"));
                let mut d = f.explain(&calls);
                if in_use && let Ok(Some(b)) = t.c.pools.fresh_block(&calls, t.pool, t.cidr).await {
                    d.detail = format!(
                        "The CIDR block {} of {} has {} of its {} addresses allocated (UsedIpNum). {}",
                        t.cidr, t.pool, b.used_ip_num, b.total_ip_num, d.detail
                    );
                }
                if in_use
                    && let Some(holders) = t.c.eips.holders(&calls, t.pool, Some(t.cidr)).await
                {
                    d.detail = format!("{holders}\n\n{}", d.detail);
                }
                return Err(d.into());
            }
        }
        let what = format!(
            "waiting for CIDR block {} of {} to be deleted",
            t.cidr, t.pool
        );
        let gone = calls
            .wait(&what, || async {
                match t.c.pools.fresh_block(&calls, t.pool, t.cidr).await {
                    Ok(b) => Ok(b.is_none().then_some(())),
                    Err(_) if t.pool_gone(ctx).await => Ok(Some(())),
                    Err(d) => Err(d),
                }
            })
            .await;
        t.changed();
        gone.map(|()| Diagnostics::default())
            .map_err(Diagnostics::from)
    }

    fn import_doc(&self) -> &'static str {
        "The import ID is `<public_ip_address_pool_id>:<cidr_block>`, or `<region_id>:<public_ip_address_pool_id>:<cidr_block>` for a pool outside the provider's region. After an import, a configuration with either `cidr_block` or `cidr_mask` plans no change."
    }

    fn import_not_found(&self, imported: &CidrBlockState) -> String {
        let s = |v: &Value<String>| v.as_known().cloned().unwrap_or_default();
        format!(
            "The IP address pool {} in {} has no CIDR block {}. Check the pool ID, the block and the region (an ID of the form `cn-shanghai:pippool-xxxx:47.0.0.0/24` names the region; the short form uses the provider's), or remove the import and let terraform apply add the block.",
            s(&imported.public_ip_address_pool_id),
            s(&imported.region_id),
            s(&imported.cidr_block)
        )
    }

    /// The import ID names the pool and block (and optionally the region); Read then fills in
    /// the rest, or Terraform reports the import failed with [`Self::import_not_found`]'s hint.
    async fn import(
        &self,
        ctx: &Ctx,
        id: &str,
    ) -> Result<(CidrBlockState, Diagnostics), Diagnostics> {
        let (region, pool, net) = checks::import_id(id)?;
        let region = match region {
            Some(r) => r.to_string(),
            None => ctx.region(&Value::Null)?,
        };
        Ok((
            CidrBlockState {
                id: Value::Known(format!("{pool}:{net}")),
                region_id: Value::Known(region),
                public_ip_address_pool_id: Value::Known(pool.to_string()),
                cidr_block: Value::Known(net.to_string()),
                cidr_mask: Value::Known(Number(i64::from(net.prefix_len()))),
                ..Default::default()
            },
            Diagnostics::default(),
        ))
    }
}
