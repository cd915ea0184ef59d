//! The data source types, one file each, registered in [`super::registry`].

pub mod eip_addresses;
mod listing;
pub mod public_ip_address_pool_cidr_blocks;
pub mod public_ip_address_pool_service;
pub mod public_ip_address_pools;
