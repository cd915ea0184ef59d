//! Data source `alicloudvpc_public_ip_address_pools`: the pools of a region that match the
//! filters, every page read.
//!
//! Filters the API has are sent to it; without any, the read uses the region's listing shared
//! with the pool resources of the same provider process (`PoolApi::pools`), so that a refresh
//! that reads both lists the pools once. `name_regex` is applied locally either way.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::listing::{
    STATUSES, known, known_list, name_regex, result_id, tag_filter, validate_ids, validate_status,
    validate_tag_filter,
};
use crate::alicloud::vpc::{ListPublicIpAddressPoolsRequest, PublicIpAddressPool};
use crate::provider::errors::Operation;
use crate::provider::interface::{Ctx, DataSource};
use crate::provider::pool_api::Calls;
use crate::provider::pool_rules::user_tags;
use crate::provider::region;
use crate::tf::{Attribute, Block, Diagnostics, List, Map, Schema, Type, Value};

pub const TYPE_NAME: &str = "alicloudvpc_public_ip_address_pools";

/// One element of `pools`: every attribute of the pool resource except `timeouts`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolItem {
    pub id: String,
    pub region_id: String,
    pub public_ip_address_pool_id: String,
    pub public_ip_address_pool_name: String,
    pub description: String,
    pub isp: String,
    pub biz_type: String,
    pub zones: Vec<String>,
    pub security_protection_types: Vec<String>,
    pub resource_group_id: String,
    pub tags: BTreeMap<String, String>,
    pub status: String,
    pub create_time: String,
    pub total_ip_num: u64,
    pub used_ip_num: u64,
    pub ip_address_remaining: bool,
    pub user_type: String,
    pub share_type: String,
    pub business_status: String,
}

const STR_SET: Type = Type::Set(&Type::String);
const STR_MAP: Type = Type::Map(&Type::String);

/// The object type of [`PoolItem`]; the names must match its fields.
const POOL: Type = Type::Object(&[
    ("id", Type::String),
    ("region_id", Type::String),
    ("public_ip_address_pool_id", Type::String),
    ("public_ip_address_pool_name", Type::String),
    ("description", Type::String),
    ("isp", Type::String),
    ("biz_type", Type::String),
    ("zones", STR_SET),
    ("security_protection_types", STR_SET),
    ("resource_group_id", Type::String),
    ("tags", STR_MAP),
    ("status", Type::String),
    ("create_time", Type::String),
    ("total_ip_num", Type::Number),
    ("used_ip_num", Type::Number),
    ("ip_address_remaining", Type::Bool),
    ("user_type", Type::String),
    ("share_type", Type::String),
    ("business_status", Type::String),
]);

/// Arguments and results. Collection arguments hold `Value` elements: at validation an element
/// may still be unknown (`ids = [alicloudvpc_public_ip_address_pool.x.id]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolsState {
    pub id: Value<String>,
    pub region_id: Value<String>,
    pub ids: List<String>,
    pub name_regex: Value<String>,
    pub public_ip_address_pool_name: Value<String>,
    pub isp: Value<String>,
    pub status: Value<String>,
    pub resource_group_id: Value<String>,
    pub tags: Map<String>,
    pub names: Value<Vec<String>>,
    pub pools: Value<Vec<PoolItem>>,
}

pub struct PoolsDataSource;

/// The filters the API applies, from the arguments; `None` when there are none.
fn api_filter(config: &PoolsState) -> Option<ListPublicIpAddressPoolsRequest> {
    let tags = tag_filter(&config.tags);
    let filter = ListPublicIpAddressPoolsRequest {
        public_ip_address_pool_ids: known_list(&config.ids).unwrap_or_default(),
        name: known(&config.public_ip_address_pool_name),
        isp: known(&config.isp),
        status: known(&config.status),
        resource_group_id: known(&config.resource_group_id),
        tags,
        ..Default::default()
    };
    (filter != ListPublicIpAddressPoolsRequest::default()).then_some(filter)
}

fn item(p: &PublicIpAddressPool, region: &str) -> PoolItem {
    PoolItem {
        id: p.public_ip_address_pool_id.clone(),
        // The listing names the region; an answer without it is still of the region asked.
        region_id: if p.region_id.is_empty() {
            region.to_string()
        } else {
            p.region_id.clone()
        },
        public_ip_address_pool_id: p.public_ip_address_pool_id.clone(),
        public_ip_address_pool_name: p.name.clone(),
        description: p.description.clone(),
        isp: p.isp.clone(),
        biz_type: p.biz_type.clone(),
        zones: p.zones.clone(),
        security_protection_types: p.security_protection_types.clone(),
        resource_group_id: p.resource_group_id.clone(),
        tags: user_tags(&p.tags),
        status: p.status.clone(),
        create_time: p.creation_time.clone(),
        total_ip_num: p.total_ip_num,
        used_ip_num: p.used_ip_num,
        ip_address_remaining: p.ip_address_remaining,
        user_type: p.user_type.clone(),
        share_type: p.share_type.clone(),
        business_status: p.business_status.clone(),
    }
}

#[async_trait]
impl DataSource for PoolsDataSource {
    type State = PoolsState;

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        let ids = Type::List(&Type::String);
        Schema {
            version: 0,
            block: Block {
                description: "Lists the public IP address pools of a region that match every filter given (`ListPublicIpAddressPools`, all pages).",
                attributes: vec![
                    Attribute::computed(
                        "id",
                        Type::String,
                        "A hash of the region and the IDs found; changes when the result does.",
                    ),
                    Attribute::optional_computed(
                        "region_id",
                        Type::String,
                        "Region to list, e.g. `cn-hangzhou`. Defaults to the provider's `region`.",
                    ),
                    Attribute::optional_computed(
                        "ids",
                        ids,
                        "Pool IDs (`pippool-…`) to look up; the result: the IDs of the pools found, in the API's order. An empty list filters nothing.",
                    ),
                    Attribute::optional(
                        "name_regex",
                        Type::String,
                        "A regular expression (RE2-like syntax, unanchored) the pool's name must match; applied by the provider.",
                    ),
                    Attribute::optional(
                        "public_ip_address_pool_name",
                        Type::String,
                        "The pool's exact name.",
                    ),
                    Attribute::optional(
                        "isp",
                        Type::String,
                        "The line type, e.g. `BGP`, `BGP_PRO`, `ChinaTelecom`.",
                    ),
                    Attribute::optional(
                        "status",
                        Type::String,
                        "`Created`, `Modifying` or `Deleting`.",
                    ),
                    Attribute::optional(
                        "resource_group_id",
                        Type::String,
                        "The resource group the pool belongs to.",
                    ),
                    Attribute::optional(
                        "tags",
                        STR_MAP,
                        "Tags the pool must all carry, with these values.",
                    ),
                    Attribute::computed(
                        "names",
                        ids,
                        "The names of the pools found, in the order of `ids`.",
                    ),
                    Attribute::computed(
                        "pools",
                        Type::List(&POOL),
                        "The pools found, in the order of `ids`, with the attributes of `alicloudvpc_public_ip_address_pool` (tags Alibaba Cloud adds itself, `aliyun…` and `acs:…`, left out).",
                    ),
                ],
                blocks: vec![],
            },
        }
    }

    fn validate(&self, config: &PoolsState) -> Diagnostics {
        let mut diags = region::validate_attr(&config.region_id);
        if let Some(Err(d)) = config.name_regex.as_known().map(|p| name_regex(p)) {
            diags.push(d);
        }
        diags.extend(validate_status(&config.status, STATUSES));
        diags.extend(validate_ids(&config.ids, |id| {
            id.trim()
                .is_empty()
                .then(|| "An empty string names no pool; pool IDs look like `pippool-…`.".into())
        }));
        diags.extend(validate_tag_filter(&config.tags));
        diags
    }

    async fn read(&self, ctx: &Ctx, config: PoolsState) -> Result<PoolsState, Diagnostics> {
        let region = ctx.region(&config.region_id)?;
        let c = ctx.configured()?;
        let regex = config
            .name_regex
            .as_known()
            .map(|p| name_regex(p))
            .transpose()?;
        let calls = Calls::new(ctx, &region, Operation::ReadPools)?;
        let listed: Arc<Vec<PublicIpAddressPool>> = match api_filter(&config) {
            Some(filter) => {
                let (filter, calls) = (&filter, &calls);
                let list = calls
                    .run(|creds, o| async move {
                        c.api
                            .client
                            .list_all_public_ip_address_pools(&creds, calls.region, filter, &o)
                            .await
                    })
                    .await?;
                Arc::new(list)
            }
            None => c.pools.pools(&calls).await?,
        };
        let pools: Vec<PoolItem> = listed
            .iter()
            .filter(|p| regex.as_ref().is_none_or(|r| r.is_match(&p.name)))
            .map(|p| item(p, &region))
            .collect();
        let ids: Vec<String> = pools.iter().map(|p| p.id.clone()).collect();
        Ok(PoolsState {
            id: Value::Known(result_id(&region, &ids)),
            region_id: Value::Known(region),
            ids: Value::Known(ids.into_iter().map(Value::Known).collect()),
            names: Value::Known(
                pools
                    .iter()
                    .map(|p| p.public_ip_address_pool_name.clone())
                    .collect(),
            ),
            pools: Value::Known(pools),
            ..config
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alicloud::Tag;
    use crate::tf::AttrPath;

    #[test]
    fn no_filter_uses_the_shared_listing() {
        assert_eq!(api_filter(&PoolsState::default()), None);
        let only_regex = PoolsState {
            name_regex: Value::Known("^web".into()),
            ids: Value::Known(vec![]),
            ..Default::default()
        };
        assert_eq!(api_filter(&only_regex), None);
    }

    #[test]
    fn api_filters_are_sent() {
        let mut tags = BTreeMap::new();
        tags.insert("env".to_string(), Value::Known("prod".to_string()));
        let config = PoolsState {
            ids: Value::Known(vec![Value::Known("pippool-1".into())]),
            isp: Value::Known("BGP".into()),
            tags: Value::Known(tags),
            ..Default::default()
        };
        let f = api_filter(&config).expect("a filter");
        assert_eq!(f.public_ip_address_pool_ids, vec!["pippool-1"]);
        assert_eq!(f.isp.as_deref(), Some("BGP"));
        assert_eq!(f.tags, vec![Tag::new("env", "prod")]);
    }

    #[test]
    fn bad_regex_is_an_error_on_its_attribute() {
        let config = PoolsState {
            name_regex: Value::Known("web-(".into()),
            ..Default::default()
        };
        let diags = PoolsDataSource.validate(&config);
        assert!(diags.has_errors());
        assert_eq!(diags.0[0].attribute, Some(AttrPath::attr("name_regex")));
    }

    #[test]
    fn item_hides_system_tags_and_defaults_the_region() {
        let p = PublicIpAddressPool {
            public_ip_address_pool_id: "pippool-1".into(),
            tags: vec![Tag::new("env", "prod"), Tag::new("acs:x", "y")],
            ..Default::default()
        };
        let i = item(&p, "cn-hangzhou");
        assert_eq!(i.region_id, "cn-hangzhou");
        assert_eq!(i.tags.len(), 1);
        assert_eq!(i.id, i.public_ip_address_pool_id);
    }
}
