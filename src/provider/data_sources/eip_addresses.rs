//! Data source `alicloudvpc_eip_addresses`: the EIPs of a region that match the filters, every
//! page read.
//!
//! Filters the API has (`AllocationId`, `EipAddress`, `Status`, `ISP`,
//! `PublicIpAddressPoolId`, `ResourceGroupId`, `Tag.N`) are sent to it; without any, the read
//! uses the region's EIPs shared with the EIP resources of the same provider process
//! (`EipApi::all`). `name_regex` is applied locally, and so are `ip_addresses` (also sent when
//! the API can take them all).

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::listing::{
    EIP_STATUSES, known, known_list, name_regex, result_id, tag_filter, validate_ids,
    validate_status, validate_tag_filter,
};
use crate::alicloud::vpc::eips::EIP_ISPS;
use crate::alicloud::vpc::eips::MAX_IDS_PER_DESCRIBE;
use crate::alicloud::vpc::{DescribeEipAddressesRequest, EipAddress};
use crate::provider::errors::Operation;
use crate::provider::interface::{Ctx, DataSource};
use crate::provider::pool_api::Calls;
use crate::provider::pool_rules::{one_of, user_tags};
use crate::provider::region;
use crate::provider::resources::eip_address::payment_of;
use crate::tf::{
    AttrPath, Attribute, Block, Diagnostic, Diagnostics, List, Map, Schema, Type, Value,
};

pub const TYPE_NAME: &str = "alicloudvpc_eip_addresses";

/// One element of `addresses`: the attributes of the EIP resource except `timeouts`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EipItem {
    pub id: String,
    pub allocation_id: String,
    pub region_id: String,
    pub ip_address: String,
    pub address_name: String,
    pub description: String,
    /// Mbit/s; null when Alibaba reports none.
    pub bandwidth: Option<i64>,
    pub isp: String,
    pub internet_charge_type: String,
    pub payment_type: String,
    pub public_ip_address_pool_id: String,
    pub resource_group_id: String,
    pub tags: BTreeMap<String, String>,
    pub deletion_protection: bool,
    pub security_protection_types: Vec<String>,
    pub zone: String,
    pub status: String,
    pub create_time: String,
}

const STR_SET: Type = Type::Set(&Type::String);
const STR_MAP: Type = Type::Map(&Type::String);
const STR_LIST: Type = Type::List(&Type::String);

/// The object type of [`EipItem`]; the names must match its fields.
const EIP: Type = Type::Object(&[
    ("id", Type::String),
    ("allocation_id", Type::String),
    ("region_id", Type::String),
    ("ip_address", Type::String),
    ("address_name", Type::String),
    ("description", Type::String),
    ("bandwidth", Type::Number),
    ("isp", Type::String),
    ("internet_charge_type", Type::String),
    ("payment_type", Type::String),
    ("public_ip_address_pool_id", Type::String),
    ("resource_group_id", Type::String),
    ("tags", STR_MAP),
    ("deletion_protection", Type::Bool),
    ("security_protection_types", STR_SET),
    ("zone", Type::String),
    ("status", Type::String),
    ("create_time", Type::String),
]);

/// Arguments and results. Collection arguments hold `Value` elements: at validation an element
/// may still be unknown (`ids = [alicloudvpc_eip_address.x.id]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EipsState {
    pub id: Value<String>,
    pub region_id: Value<String>,
    pub ids: List<String>,
    pub name_regex: Value<String>,
    pub ip_addresses: List<String>,
    pub status: Value<String>,
    pub isp: Value<String>,
    pub public_ip_address_pool_id: Value<String>,
    pub resource_group_id: Value<String>,
    pub tags: Map<String>,
    pub names: Value<Vec<String>>,
    pub addresses: Value<Vec<EipItem>>,
}

pub struct EipsDataSource;

/// The filters the API applies, from the arguments; `None` when there are none.
fn api_filter(config: &EipsState) -> Option<DescribeEipAddressesRequest> {
    let tags = tag_filter(&config.tags);
    let filter = DescribeEipAddressesRequest {
        allocation_ids: known_list(&config.ids).unwrap_or_default(),
        // `EipAddress` takes at most 50; more are matched locally only.
        eip_addresses: known_list(&config.ip_addresses)
            .filter(|a| a.len() <= MAX_IDS_PER_DESCRIBE)
            .unwrap_or_default(),
        status: known(&config.status),
        isp: known(&config.isp),
        public_ip_address_pool_id: known(&config.public_ip_address_pool_id),
        resource_group_id: known(&config.resource_group_id),
        tags,
        ..Default::default()
    };
    (filter != DescribeEipAddressesRequest::default()).then_some(filter)
}

fn item(e: &EipAddress, region: &str) -> EipItem {
    EipItem {
        id: e.allocation_id.clone(),
        allocation_id: e.allocation_id.clone(),
        region_id: if e.region_id.is_empty() {
            region.to_string()
        } else {
            e.region_id.clone()
        },
        ip_address: e.ip_address.clone(),
        address_name: e.name.clone(),
        description: e.description.clone(),
        bandwidth: e.own_bandwidth(),
        isp: e.isp.clone(),
        internet_charge_type: e.internet_charge_type.clone(),
        payment_type: payment_of(&e.charge_type).to_string(),
        public_ip_address_pool_id: e.public_ip_address_pool_id.clone(),
        resource_group_id: e.resource_group_id.clone(),
        tags: user_tags(&e.tags),
        deletion_protection: e.deletion_protection,
        security_protection_types: e.security_protection_types.clone(),
        zone: e.zone.clone(),
        status: e.status.clone(),
        create_time: e.allocation_time.clone(),
    }
}

#[async_trait]
impl DataSource for EipsDataSource {
    type State = EipsState;

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                description: "Lists the EIPs of a region that match every filter given (`DescribeEipAddresses`, all pages), for example the EIPs allocated from one pool.",
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
                        STR_LIST,
                        "Allocation IDs (`eip-…`) to look up; the result: the IDs of the EIPs found, in the API's order. An empty list filters nothing.",
                    ),
                    Attribute::optional(
                        "name_regex",
                        Type::String,
                        "A regular expression (RE2-like syntax, unanchored) the EIP's name must match; applied by the provider.",
                    ),
                    Attribute::optional("ip_addresses", STR_LIST, "Addresses the EIPs must have."),
                    Attribute::optional(
                        "status",
                        Type::String,
                        "`Available`, `InUse`, `Associating`, `Unassociating` or `Releasing`.",
                    ),
                    Attribute::optional("isp", Type::String, "The line type, e.g. `BGP`."),
                    Attribute::optional(
                        "public_ip_address_pool_id",
                        Type::String,
                        "The pool the EIPs were allocated from (`pippool-…`).",
                    ),
                    Attribute::optional(
                        "resource_group_id",
                        Type::String,
                        "The resource group the EIPs belong to.",
                    ),
                    Attribute::optional(
                        "tags",
                        STR_MAP,
                        "Tags the EIPs must all carry, with these values.",
                    ),
                    Attribute::computed(
                        "names",
                        STR_LIST,
                        "The names of the EIPs found, in the order of `ids`.",
                    ),
                    Attribute::computed(
                        "addresses",
                        Type::List(&EIP),
                        "The EIPs found, in the order of `ids`, with the attributes of `alicloudvpc_eip_address` (tags Alibaba Cloud adds itself, `aliyun…` and `acs:…`, left out).",
                    ),
                ],
                blocks: vec![],
            },
        }
    }

    fn validate(&self, config: &EipsState) -> Diagnostics {
        let mut diags = region::validate_attr(&config.region_id);
        if let Some(Err(d)) = config.name_regex.as_known().map(|p| name_regex(p)) {
            diags.push(d);
        }
        diags.extend(validate_status(&config.status, EIP_STATUSES));
        diags.extend(one_of("isp", &config.isp, EIP_ISPS));
        diags.extend(validate_ids(&config.ids, |id| {
            (!id.starts_with("eip-"))
                .then(|| format!("{id:?} is not an allocation ID; they look like `eip-…`."))
        }));
        for (i, ip) in config.ip_addresses.known_elements() {
            if ip.parse::<std::net::Ipv4Addr>().is_err() {
                diags.push(
                    Diagnostic::error(
                        "Invalid address in ip_addresses",
                        format!("{ip:?} is not an IPv4 address such as \"47.0.0.10\"."),
                    )
                    .at(AttrPath(vec![
                        crate::tf::PathStep::Attribute("ip_addresses".into()),
                        crate::tf::PathStep::Index(i as i64),
                    ])),
                );
            }
        }
        diags.extend(validate_tag_filter(&config.tags));
        diags
    }

    async fn read(&self, ctx: &Ctx, config: EipsState) -> Result<EipsState, Diagnostics> {
        let region = ctx.region(&config.region_id)?;
        let c = ctx.configured()?;
        let regex = config
            .name_regex
            .as_known()
            .map(|p| name_regex(p))
            .transpose()?;
        let calls = Calls::new(ctx, &region, Operation::ReadEips)?;
        let listed = match api_filter(&config) {
            Some(filter) => c.eips.list(&calls, &filter).await?,
            None => c.eips.all(&calls).await?,
        };
        let addresses = known_list(&config.ip_addresses);
        let eips: Vec<EipItem> = listed
            .iter()
            .filter(|e| regex.as_ref().is_none_or(|r| r.is_match(&e.name)))
            .filter(|e| addresses.as_ref().is_none_or(|a| a.contains(&e.ip_address)))
            .map(|e| item(e, &region))
            .collect();
        let ids: Vec<String> = eips.iter().map(|e| e.id.clone()).collect();
        Ok(EipsState {
            id: Value::Known(result_id(&region, &ids)),
            region_id: Value::Known(region),
            ids: Value::Known(ids.into_iter().map(Value::Known).collect()),
            names: Value::Known(eips.iter().map(|e| e.address_name.clone()).collect()),
            addresses: Value::Known(eips),
            ..config
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alicloud::Tag;

    #[test]
    fn no_filter_uses_the_shared_page() {
        assert_eq!(api_filter(&EipsState::default()), None);
        let only_regex = EipsState {
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
        let config = EipsState {
            ids: Value::Known(vec![Value::Known("eip-1".into())]),
            ip_addresses: Value::Known(vec![Value::Known("47.0.0.1".into())]),
            public_ip_address_pool_id: Value::Known("pippool-1".into()),
            tags: Value::Known(tags),
            ..Default::default()
        };
        let f = api_filter(&config).expect("a filter");
        assert_eq!(f.allocation_ids, vec!["eip-1"]);
        assert_eq!(f.eip_addresses, vec!["47.0.0.1"]);
        assert_eq!(f.public_ip_address_pool_id.as_deref(), Some("pippool-1"));
        assert_eq!(f.tags, vec![Tag::new("env", "prod")]);
    }

    #[test]
    fn more_addresses_than_the_api_takes_are_matched_locally() {
        let many: Vec<Value<String>> = (0..51)
            .map(|i| Value::Known(format!("47.0.0.{i}")))
            .collect();
        let config = EipsState {
            ip_addresses: Value::Known(many),
            ..Default::default()
        };
        assert_eq!(api_filter(&config), None);
    }

    #[test]
    fn bad_filters_are_errors_on_their_attribute() {
        let config = EipsState {
            name_regex: Value::Known("web-(".into()),
            status: Value::Known("Created".into()),
            ids: Value::Known(vec![Value::Known("pippool-1".into())]),
            ip_addresses: Value::Known(vec![Value::Known("47.0.0".into())]),
            ..Default::default()
        };
        let diags = EipsDataSource.validate(&config);
        let at: Vec<String> = diags
            .0
            .iter()
            .map(|d| format!("{:?}", d.attribute))
            .collect();
        assert_eq!(diags.0.len(), 4, "{at:?}");
        assert!(at.iter().any(|a| a.contains("name_regex")), "{at:?}");
        assert!(at.iter().any(|a| a.contains("status")), "{at:?}");
        assert!(at.iter().any(|a| a.contains("ids")), "{at:?}");
        assert!(at.iter().any(|a| a.contains("ip_addresses")), "{at:?}");
    }

    #[test]
    fn item_maps_the_api_and_hides_system_tags() {
        let e = EipAddress {
            allocation_id: "eip-1".into(),
            bandwidth: "5".into(),
            charge_type: "PostPaid".into(),
            tags: vec![Tag::new("env", "prod"), Tag::new("acs:x", "y")],
            ..Default::default()
        };
        let i = item(&e, "cn-hangzhou");
        assert_eq!(
            (i.region_id.as_str(), i.bandwidth),
            ("cn-hangzhou", Some(5))
        );
        assert_eq!(i.payment_type, "PayAsYouGo");
        assert_eq!(i.tags.len(), 1);
        assert_eq!(i.id, i.allocation_id);
    }
}
