//! Where credentials come from, in the documented order, and how temporary ones are renewed.
//!
//! Precedence (`docs/index.md`): `access_key`/`secret_key` (argument, then environment) →
//! `profile` (argument, then environment) from the aliyun CLI file → `ecs_role_name` → the
//! file's `current` profile when the file exists → an error listing every way. `assume_role`
//! applies on top of whatever was resolved.

mod chain;
mod resolve;

use tokio::sync::Mutex;

use crate::alicloud::{AssumeRoleRequest, Credentials, Error, TemporaryCredentials};

pub use resolve::resolve;

/// How the base identity is obtained.
#[derive(Debug)]
pub enum Base {
    Static(Credentials),
    /// The ECS instance's RAM role, from the metadata service.
    EcsRole(String),
}

/// A resolved credential chain: a base, then roles assumed in order.
#[derive(Debug)]
pub struct Chain {
    pub base: Base,
    pub roles: Vec<AssumeRoleRequest>,
    /// Where the base came from, for logs and docs (never a secret).
    pub source: String,
    /// Where the ECS role name (for [`Base::EcsRole`]) and each role of `roles` were set.
    base_origin: Origin,
    role_origins: Vec<Origin>,
    caches: Vec<Mutex<Option<TemporaryCredentials>>>,
}

/// Where a credential setting was written, so that an error names the setting to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// An argument or block of the provider configuration (`ecs_role_name`, `assume_role`).
    Provider(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// A profile of the aliyun CLI file.
    Profile { name: String, path: String },
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Provider(block @ "assume_role") => write!(f, "the provider's {block} block"),
            Origin::Provider(attr) => write!(f, "{attr} in the provider block"),
            Origin::Env(var) => write!(f, "the environment variable {var}"),
            Origin::Profile { name, path } => write!(f, "profile {name:?} of {path}"),
        }
    }
}

/// The step of the chain that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Fetching the ECS instance's role credentials from the metadata service.
    EcsRole { role: String, origin: Origin },
    /// STS `AssumeRole`.
    AssumeRole { role_arn: String, origin: Origin },
}

/// A failure to obtain credentials, with the step that failed and the endpoint it called.
#[derive(Debug)]
pub struct ChainError {
    pub step: Step,
    pub endpoint: String,
    pub error: Error,
}

/// What the resolution found besides credentials.
#[derive(Debug)]
pub struct Resolved {
    pub chain: Chain,
    pub profile_region: Option<String>,
}

/// The environment as a lookup, so resolution is testable without touching the process.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;
