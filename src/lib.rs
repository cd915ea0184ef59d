//! terraform-provider-alicloudvpc: a Terraform provider (plugin protocol 5) for Alibaba Cloud's
//! VPC IP address pool feature, and a local emulator of the Alibaba API it calls.
//!
//! Calls flow one way: Terraform's wire → provider semantics → Alibaba API.
//! - [`plugin`]: go-plugin handshake, TLS, gRPC services, DynamicValue codec, proto conversions.
//! - [`tf`]: Terraform's data model (values, schema, diagnostics) without wire details.
//! - [`provider`]: provider configuration, the resource and the data source.
//! - [`alicloud`]: signing, credentials, VPC/STS calls, errors, retries (no Terraform).
//! - [`emulator`]: the `alicloudvpc-emulator` server, separate from the provider.
//! - [`docs`]: the Registry documentation under `docs/`, rendered from the schemas and `examples/`.

pub mod alicloud;
pub mod docs;
pub mod emulator;
pub mod plugin;
pub mod provider;
pub mod tf;
