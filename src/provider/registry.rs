//! Every resource and data source type the provider offers. The RPCs find a type here by name;
//! none of them names one.

use super::dispatch::{AnyDataSource, AnyResource, Typed};
use super::{data_sources, resources};

/// The types one provider process serves.
pub struct Registry {
    pub resources: Vec<Box<dyn AnyResource>>,
    pub data_sources: Vec<Box<dyn AnyDataSource>>,
}

impl Registry {
    /// The provider's own types.
    pub fn standard() -> Self {
        Registry {
            resources: vec![
                Typed::resource(
                    resources::public_ip_address_pool_service::ServiceResource::default(),
                ),
                Typed::resource(resources::public_ip_address_pool::PoolResource),
                Typed::resource(
                    resources::public_ip_address_pool_cidr_block::CidrBlockResource::default(),
                ),
                Typed::resource(resources::eip_address::EipResource),
            ],
            data_sources: vec![
                Typed::data_source(data_sources::public_ip_address_pool_service::ServiceDataSource),
                Typed::data_source(data_sources::public_ip_address_pools::PoolsDataSource),
                Typed::data_source(
                    data_sources::public_ip_address_pool_cidr_blocks::BlocksDataSource,
                ),
                Typed::data_source(data_sources::eip_addresses::EipsDataSource),
            ],
        }
    }

    pub fn resource(&self, type_name: &str) -> Option<&dyn AnyResource> {
        self.resources
            .iter()
            .find(|r| r.type_name() == type_name)
            .map(|r| r.as_ref())
    }

    pub fn data_source(&self, type_name: &str) -> Option<&dyn AnyDataSource> {
        self.data_sources
            .iter()
            .find(|d| d.type_name() == type_name)
            .map(|d| d.as_ref())
    }

    pub fn resource_types(&self) -> Vec<&'static str> {
        self.resources.iter().map(|r| r.type_name()).collect()
    }

    pub fn data_source_types(&self) -> Vec<&'static str> {
        self.data_sources.iter().map(|d| d.type_name()).collect()
    }
}

#[cfg(test)]
mod tests;
