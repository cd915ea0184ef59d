//! Data source `alicloudvpc_public_ip_address_pool_cidr_blocks`: the CIDR blocks of one pool
//! that match the filters.
//!
//! It reads the pool's listing shared with the CIDR block resources of the same provider
//! process (`PoolApi::blocks`, every page), and filters locally: the API has no status filter,
//! and one listing serves every block data source and resource of the pool.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::listing::{STATUSES, known, known_list, result_id, validate_ids, validate_status};
use crate::alicloud::vpc::PublicIpPoolCidrBlock;
use crate::provider::errors::Operation;
use crate::provider::interface::{Ctx, DataSource};
use crate::provider::pool_api::Calls;
use crate::provider::region;
use crate::tf::{AttrPath, Attribute, Block, Diagnostic, Diagnostics, List, Schema, Type, Value};

pub const TYPE_NAME: &str = "alicloudvpc_public_ip_address_pool_cidr_blocks";

/// One element of `blocks`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BlockItem {
    /// `<pool>:<cidr>`, the ID of the block resource.
    pub id: String,
    pub public_ip_address_pool_id: String,
    pub cidr_block: String,
    /// The prefix length; null if Alibaba ever answers a block that is not in CIDR form.
    pub cidr_mask: Option<u8>,
    /// Null when the answer has no `Status` (the official provider panics on it).
    pub status: Option<String>,
    pub create_time: String,
    pub total_ip_num: u64,
    pub used_ip_num: u64,
}

/// The object type of [`BlockItem`]; the names must match its fields.
const BLOCK: Type = Type::Object(&[
    ("id", Type::String),
    ("public_ip_address_pool_id", Type::String),
    ("cidr_block", Type::String),
    ("cidr_mask", Type::Number),
    ("status", Type::String),
    ("create_time", Type::String),
    ("total_ip_num", Type::Number),
    ("used_ip_num", Type::Number),
]);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlocksState {
    pub id: Value<String>,
    pub region_id: Value<String>,
    pub public_ip_address_pool_id: Value<String>,
    pub cidr_block: Value<String>,
    pub status: Value<String>,
    /// Elements may be unknown at validation.
    pub ids: List<String>,
    pub blocks: Value<Vec<BlockItem>>,
}

pub struct BlocksDataSource;

/// The block resource's ID of a block.
fn block_id(pool: &str, cidr: &str) -> String {
    format!("{pool}:{cidr}")
}

fn item(b: &PublicIpPoolCidrBlock, pool: &str) -> BlockItem {
    // The listing is of one pool: an answer without the pool's ID is still that pool's.
    let pool = if b.public_ip_address_pool_id.is_empty() {
        pool
    } else {
        &b.public_ip_address_pool_id
    };
    BlockItem {
        id: block_id(pool, &b.cidr_block),
        public_ip_address_pool_id: pool.to_string(),
        cidr_block: b.cidr_block.clone(),
        cidr_mask: b
            .cidr_block
            .split_once('/')
            .and_then(|(_, m)| m.parse().ok()),
        status: (!b.status.is_empty()).then(|| b.status.clone()),
        create_time: b.creation_time.clone(),
        total_ip_num: b.total_ip_num,
        used_ip_num: b.used_ip_num,
    }
}

/// What the local filters keep.
fn matches(b: &BlockItem, config: &BlocksState, ids: Option<&[String]>) -> bool {
    known(&config.cidr_block).is_none_or(|c| c == b.cidr_block)
        && known(&config.status).is_none_or(|s| b.status.as_deref() == Some(s.as_str()))
        && ids.is_none_or(|ids| ids.contains(&b.id))
}

#[async_trait]
impl DataSource for BlocksDataSource {
    type State = BlocksState;

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                description: "Lists the CIDR blocks of a public IP address pool that match every filter given (`ListPublicIpAddressPoolCidrBlocks`, all pages).",
                attributes: vec![
                    Attribute::computed(
                        "id",
                        Type::String,
                        "A hash of the region and the IDs found; changes when the result does.",
                    ),
                    Attribute::optional_computed(
                        "region_id",
                        Type::String,
                        "The pool's region. Defaults to the provider's `region`.",
                    ),
                    Attribute::required(
                        "public_ip_address_pool_id",
                        Type::String,
                        "The pool (`pippool-…`) whose blocks to list.",
                    ),
                    Attribute::optional(
                        "cidr_block",
                        Type::String,
                        "The block's exact CIDR, e.g. `47.0.0.0/24`.",
                    ),
                    Attribute::optional(
                        "status",
                        Type::String,
                        "`Created`, `Modifying` or `Deleting`; applied by the provider (the API has no such filter).",
                    ),
                    Attribute::optional_computed(
                        "ids",
                        Type::List(&Type::String),
                        "Block IDs (`<pool>:<cidr>`, as `alicloudvpc_public_ip_address_pool_cidr_block` has them) to look up; the result: the IDs of the blocks found, in the API's order. An empty list filters nothing.",
                    ),
                    Attribute::computed(
                        "blocks",
                        Type::List(&BLOCK),
                        "The blocks found, in the order of `ids`; `cidr_mask` is the prefix length.",
                    ),
                ],
                blocks: vec![],
            },
        }
    }

    fn validate(&self, config: &BlocksState) -> Diagnostics {
        let mut diags = region::validate_attr(&config.region_id);
        if config
            .public_ip_address_pool_id
            .as_known()
            .is_some_and(|p| p.trim().is_empty())
        {
            diags.push(
                Diagnostic::error(
                    "Empty pool ID",
                    "public_ip_address_pool_id names the pool whose blocks to list, e.g. `pippool-…`.",
                )
                .at(AttrPath::attr("public_ip_address_pool_id")),
            );
        }
        diags.extend(validate_status(&config.status, STATUSES));
        let pool = config.public_ip_address_pool_id.as_known();
        diags.extend(validate_ids(&config.ids, |id| match id.split_once(':') {
            None => Some(format!(
                "{id:?} is not a block ID: those are `<pool>:<cidr>`, e.g. `pippool-…:47.0.0.0/24`."
            )),
            Some((p, _)) if pool.is_some_and(|pool| pool != p) => Some(format!(
                "{id:?} is a block of pool {p}, not of public_ip_address_pool_id, so it can never match."
            )),
            Some(_) => None,
        }));
        diags
    }

    async fn read(&self, ctx: &Ctx, config: BlocksState) -> Result<BlocksState, Diagnostics> {
        let region = ctx.region(&config.region_id)?;
        let c = ctx.configured()?;
        let pool = known(&config.public_ip_address_pool_id).unwrap_or_default();
        let calls = Calls {
            c,
            ctx,
            region: &region,
            op: Operation::ReadCidrBlocks,
        };
        let listed = c.pools.blocks(&calls, &pool).await?;
        let wanted = known_list(&config.ids);
        let blocks: Vec<BlockItem> = listed
            .iter()
            .map(|b| item(b, &pool))
            .filter(|b| matches(b, &config, wanted.as_deref()))
            .collect();
        let ids: Vec<String> = blocks.iter().map(|b| b.id.clone()).collect();
        Ok(BlocksState {
            id: Value::Known(result_id(&region, &ids)),
            region_id: Value::Known(region),
            ids: Value::Known(ids.into_iter().map(Value::Known).collect()),
            blocks: Value::Known(blocks),
            ..config
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(cidr: &str, status: &str) -> PublicIpPoolCidrBlock {
        PublicIpPoolCidrBlock {
            cidr_block: cidr.into(),
            status: status.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_block_without_status_reads_as_null_and_matches_no_status_filter() {
        let b = item(&block("47.0.0.0/26", ""), "pippool-1");
        assert_eq!(b.status, None);
        assert_eq!(b.cidr_mask, Some(26));
        assert_eq!(b.id, "pippool-1:47.0.0.0/26");
        let config = BlocksState {
            status: Value::Known("Created".into()),
            ..Default::default()
        };
        assert!(!matches(&b, &config, None));
        assert!(matches(&b, &BlocksState::default(), None));
    }

    #[test]
    fn filters() {
        let b = item(&block("47.0.0.0/24", "Created"), "pippool-1");
        let by_cidr = BlocksState {
            cidr_block: Value::Known("47.0.0.0/24".into()),
            ..Default::default()
        };
        assert!(matches(&b, &by_cidr, None));
        assert!(!matches(
            &b,
            &by_cidr,
            Some(&["pippool-1:47.0.1.0/24".into()])
        ));
        assert!(matches(
            &b,
            &by_cidr,
            Some(&["pippool-1:47.0.0.0/24".into()])
        ));
        assert_eq!(item(&block("bogus", "Created"), "p").cidr_mask, None);
    }

    #[test]
    fn ids_of_another_pool_are_refused() {
        let config = BlocksState {
            public_ip_address_pool_id: Value::Known("pippool-1".into()),
            ids: Value::Known(vec![
                Value::Known("pippool-2:47.0.0.0/24".into()),
                Value::Unknown,
                Value::Known("nocolon".into()),
            ]),
            ..Default::default()
        };
        assert_eq!(BlocksDataSource.validate(&config).0.len(), 2);
    }
}
