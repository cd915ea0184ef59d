//! Alibaba Cloud API access: request signing, credentials, typed VPC and STS calls, errors and
//! retries. Knows nothing of Terraform.
//!
//! Every call goes through [`Client`]'s retry loop: a fresh timestamp, nonce and signature per
//! attempt, exponential backoff with full jitter, bounded by `max_retries`, the caller's
//! deadline and cancellation token ([`CallOptions`]).

pub mod client;
pub mod config;
pub mod credentials;
pub mod ecs_metadata;
pub mod endpoint;
pub mod error;
pub mod paging;
mod query;
pub mod regions;
pub mod retry;
mod rpc;
pub mod sign;
pub mod sts;
pub mod vpc;
mod wire;

pub use client::{CallOptions, Client};
pub use config::{ClientConfig, Protocol, SignVersion};
pub use credentials::{Credentials, Secret, TemporaryCredentials};
pub use endpoint::Endpoint;
pub use error::{ApiError, Error, SignatureCheck, Transport, TransportKind};
pub use sts::{AssumeRoleRequest, AssumeRoleResponse, AssumedRoleUser, CallerIdentity};
pub use vpc::{Acknowledged, OpenResponse, StatusResponse, Tag};
