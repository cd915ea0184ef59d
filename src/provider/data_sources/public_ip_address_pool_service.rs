//! Data source `alicloudvpc_public_ip_address_pool_service`: reads the feature's status only.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::provider::interface::{Ctx, DataSource};
use crate::provider::region;
use crate::tf::{Attribute, Block, Diagnostics, Schema, Type, Value};

pub const TYPE_NAME: &str = "alicloudvpc_public_ip_address_pool_service";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceStatus {
    pub id: Value<String>,
    pub region_id: Value<String>,
    pub enabled: Value<bool>,
}

pub struct ServiceDataSource;

#[async_trait]
impl DataSource for ServiceDataSource {
    type State = ServiceStatus;

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
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

    fn validate(&self, config: &ServiceStatus) -> Diagnostics {
        region::validate_attr(&config.region_id)
    }

    async fn read(&self, ctx: &Ctx, config: ServiceStatus) -> Result<ServiceStatus, Diagnostics> {
        let region = ctx.region(&config.region_id)?;
        let enabled = ctx.configured()?.api.status(&region, ctx).await?;
        Ok(ServiceStatus {
            id: Value::Known(region.clone()),
            region_id: Value::Known(region),
            enabled: Value::Known(enabled),
        })
    }
}
