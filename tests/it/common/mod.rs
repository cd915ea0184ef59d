//! Shared test harness: a private Terraform setup (filesystem mirror, CLI config that can never
//! reach a registry, fresh working directory) per test.

#![allow(dead_code)]

pub mod emulator;
pub mod pool_api;
pub mod process;
pub mod terraform;

pub use terraform::Tf;

/// Path of the provider binary cargo built for these tests.
pub fn provider_bin() -> std::path::PathBuf {
    env!("CARGO_BIN_EXE_terraform-provider-alicloudvpc").into()
}
