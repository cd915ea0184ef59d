//! The data source types, one file each, registered in [`super::registry`].

pub mod public_ip_address_pool_service;
