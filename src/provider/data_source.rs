//! Data source `alicloudvpc_public_ip_address_pool_service`: reads the status only.

use serde::{Deserialize, Serialize};

use crate::tf::{Attribute, Block, Schema, Type, Value};

pub const TYPE_NAME: &str = "alicloudvpc_public_ip_address_pool_service";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSourceState {
    pub id: Value<String>,
    pub region_id: Value<String>,
    pub enabled: Value<bool>,
}

pub fn schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "Reads whether Alibaba Cloud's VPC IP address pool feature is active in a region (`GetPublicIpAddressPoolServiceStatus`).",
            attributes: vec![
                Attribute::computed("id", Type::String, "The region ID."),
                Attribute::optional_computed(
                    "region_id",
                    Type::String,
                    "Region to query, e.g. `cn-hangzhou`. Defaults to the provider's `region`.",
                ),
                Attribute::computed(
                    "enabled",
                    Type::Bool,
                    "Whether the IP address pool feature is active in the region.",
                ),
            ],
            blocks: vec![],
        },
    }
}
