//! The managed resource types, one file each (schema, plan, create, read, update, delete,
//! import), registered in [`super::registry`].

pub mod eip_address;
mod import_id;
pub mod moves;
pub mod public_ip_address_pool;
pub mod public_ip_address_pool_cidr_block;
pub mod public_ip_address_pool_service;
