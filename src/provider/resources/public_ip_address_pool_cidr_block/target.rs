//! What the resource's operations share: the block they act on, with the configured provider
//! and region, and the state of a block as Alibaba Cloud reports it.

use super::{CidrBlockState, TYPE_NAME};
use crate::alicloud::vpc::PublicIpPoolCidrBlock;
use crate::provider::Configured;
use crate::provider::errors::Operation as Op;
use crate::provider::interface::Ctx;
use crate::provider::pool_api::Calls;
use crate::provider::timeouts::Timeouts;
use crate::tf::{Diagnostic, Diagnostics, Number, Value};

/// The block's prefix length, e.g. 24 for `47.0.0.0/24`, if the text is an IPv4 network.
pub(super) fn prefix(cidr: &str) -> Option<Number> {
    cidr.parse::<ipnet::Ipv4Net>()
        .ok()
        .map(|n| Number(i64::from(n.prefix_len())))
}

fn count(n: u64) -> Value<Number> {
    Value::Known(Number(i64::try_from(n).unwrap_or(i64::MAX)))
}

/// A value the state must hold; its absence means the state was not written by this provider.
pub(super) fn known<'a>(v: &'a Value<String>, attr: &str) -> Result<&'a str, Diagnostics> {
    v.as_known().map(String::as_str).ok_or_else(|| {
        Diagnostic::error(
            format!("No {attr} in state"),
            format!("The state of this {TYPE_NAME} has no {attr}. Remove it with terraform state rm and import the block again."),
        )
        .into()
    })
}

/// What the provider needs to call the API for one block.
pub(super) struct Target<'a> {
    pub c: &'a Configured,
    pub region: String,
    pub pool: &'a str,
    pub cidr: &'a str,
}

impl<'a> Target<'a> {
    pub(super) fn of(ctx: &'a Ctx, s: &'a CidrBlockState) -> Result<Self, Diagnostics> {
        Ok(Target {
            c: ctx.configured()?,
            region: ctx.region(&s.region_id)?,
            pool: known(&s.public_ip_address_pool_id, "public_ip_address_pool_id")?,
            cidr: known(&s.cidr_block, "cidr_block")?,
        })
    }

    pub(super) fn calls(&'a self, ctx: &'a Ctx, op: Op) -> Calls<'a> {
        Calls {
            c: self.c,
            ctx,
            region: &self.region,
            op,
        }
    }

    /// After a write: reads in this process must not see the listing from before it.
    pub(super) fn changed(&self) {
        self.c.pools.changed_blocks(&self.region, self.pool);
    }

    /// Whether the pool itself is gone (its blocks went with it), from the shared pool listing.
    pub(super) async fn pool_gone(&self, ctx: &Ctx) -> bool {
        let calls = self.calls(ctx, Op::ReadPools);
        matches!(self.c.pools.pool(&calls, self.pool).await, Ok(None))
    }

    /// The state of the block as Alibaba reports it.
    pub(super) fn observed(
        &self,
        b: &PublicIpPoolCidrBlock,
        timeouts: Value<Timeouts>,
    ) -> CidrBlockState {
        CidrBlockState {
            id: Value::Known(format!("{}:{}", self.pool, b.cidr_block)),
            region_id: Value::Known(self.region.clone()),
            public_ip_address_pool_id: Value::Known(self.pool.to_string()),
            cidr_block: Value::Known(b.cidr_block.clone()),
            cidr_mask: Value::from_option(prefix(&b.cidr_block)),
            status: Value::Known(b.status.clone()),
            create_time: Value::Known(b.creation_time.clone()),
            total_ip_num: count(b.total_ip_num),
            used_ip_num: count(b.used_ip_num),
            timeouts,
        }
    }
}
