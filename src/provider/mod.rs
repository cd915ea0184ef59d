//! Terraform semantics of the provider: its configuration and its resource and data source
//! types. Knows Terraform's data model (`crate::tf`) and the Alibaba client (`crate::alicloud`),
//! never protocol types or HTTP. The RPCs here find the type in the [`registry::Registry`] and
//! hand the request to it; no RPC names a type.

pub mod activation;
pub mod config;
pub mod credentials;
pub mod data_sources;
pub mod deferred;
pub mod dispatch;
pub mod duration;
pub mod eip_api;
pub mod eip_writes;
pub mod errors;
pub mod interface;
pub mod plan;
pub mod pool_api;
pub mod pool_rules;
pub mod pool_writes;
pub mod profile;
pub mod region;
pub mod registry;
pub mod resources;
pub mod setup;
pub mod timeouts;
pub mod turns;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use dispatch::Env;
pub use dispatch::{
    ApplyRequest, ImportResponse, Imported, MoveSource, PlanRequest, PlanResponse, StateResponse,
};
use interface::Planning;
pub use interface::RawState;
use registry::Registry;

use crate::tf::{Diagnostic, Diagnostics, Dynamic, Schema, Value};

/// The read limit of operations that have no `timeouts` entry of their own (data sources).
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);

pub struct ProviderSchemas {
    pub provider: Schema,
    pub resources: Vec<(&'static str, Schema)>,
    pub data_sources: Vec<(&'static str, Schema)>,
}

/// Every schema of the provider's own types; static, so no RPC depends on GetSchema having run.
pub fn schemas() -> ProviderSchemas {
    Provider::new().schemas()
}

/// What Configure established, shared by every later RPC of the process.
pub struct Configured {
    pub region: Option<String>,
    /// The provider's `skip_region_validation`: resources check their own `region_id` against
    /// the known regions unless it is set.
    pub skip_region_validation: bool,
    pub api: activation::Api,
    /// The pool and CIDR block listings shared by the reads of this process.
    pub pools: pool_api::PoolApi,
    /// The EIP reads shared by this process.
    pub eips: eip_api::EipApi,
}

pub struct Provider {
    registry: Registry,
    /// The provider block's schema when it is not ours (a test stand-in of another provider).
    provider_schema: Option<Schema>,
    configured: RwLock<Option<Arc<Configured>>>,
    /// Set instead of `configured` when the configuration holds values not known until apply.
    deferred: RwLock<Option<Arc<deferred::Deferred>>>,
    /// Cancelled by Terraform's Stop RPC (Ctrl-C); every API call and wait watches it. A
    /// debug-mode server outlives the command that stopped it, so Configure (which starts every
    /// command) installs a fresh token.
    stop: RwLock<CancellationToken>,
}

impl Default for Provider {
    fn default() -> Self {
        Self::new()
    }
}

fn unknown_type(kind: &str, type_name: &str, known: &[&str]) -> Diagnostics {
    Diagnostic::error(
        format!("Unknown {kind} type"),
        format!(
            "This provider has no {kind} named {type_name:?}; it offers {}.",
            known.join(", ")
        ),
    )
    .into()
}

impl Provider {
    /// The provider with its own types.
    pub fn new() -> Self {
        Self::with_registry(Registry::standard())
    }

    /// A provider serving exactly the given types (tests register their own).
    pub fn with_registry(registry: Registry) -> Self {
        Provider {
            registry,
            provider_schema: None,
            configured: RwLock::new(None),
            deferred: RwLock::new(None),
            stop: RwLock::new(CancellationToken::new()),
        }
    }

    /// The same provider announcing another provider block schema: for test stand-ins of other
    /// providers, which Terraform only asks for schemas (configuring one would still decode the
    /// block as ours, and fail).
    pub fn with_provider_schema(mut self, schema: Schema) -> Self {
        self.provider_schema = Some(schema);
        self
    }

    pub fn schemas(&self) -> ProviderSchemas {
        ProviderSchemas {
            provider: self.provider_schema.clone().unwrap_or_else(config::schema),
            resources: self
                .registry
                .resources
                .iter()
                .map(|r| (r.type_name(), r.schema().clone()))
                .collect(),
            data_sources: self
                .registry
                .data_sources
                .iter()
                .map(|d| (d.type_name(), d.schema().clone()))
                .collect(),
        }
    }

    pub fn resource_types(&self) -> Vec<&'static str> {
        self.registry.resource_types()
    }

    pub fn data_source_types(&self) -> Vec<&'static str> {
        self.registry.data_source_types()
    }

    /// Stop RPC: cancel every in-flight call and wait.
    pub fn stop(&self) {
        self.stop_token().cancel();
    }

    fn stop_token(&self) -> CancellationToken {
        self.stop.read().map(|t| t.clone()).unwrap_or_default()
    }

    fn configured(&self) -> Option<Arc<Configured>> {
        self.configured.read().ok().and_then(|c| c.clone())
    }

    /// What an operation gets: the configuration, the stop signal and, for plans, the
    /// provider's region (unknown until Configure has run with known values).
    fn env(&self) -> Env {
        let configured = self.configured();
        let deferred = self.deferred.read().ok().and_then(|d| d.clone());
        let provider_region = match (&configured, &deferred) {
            (Some(c), _) => Value::from_option(c.region.clone()),
            (None, Some(d)) => d.region.clone(),
            (None, None) => Value::Unknown,
        };
        Env {
            planning: Planning {
                provider_region,
                skip_region_validation: configured
                    .as_ref()
                    .is_none_or(|c| c.skip_region_validation),
            },
            configured,
            deferred,
            stop: self.stop_token(),
        }
    }

    fn resource(&self, type_name: &str) -> Result<&dyn dispatch::AnyResource, Diagnostics> {
        self.registry
            .resource(type_name)
            .ok_or_else(|| unknown_type("resource", type_name, &self.resource_types()))
    }

    fn data_source(&self, type_name: &str) -> Result<&dyn dispatch::AnyDataSource, Diagnostics> {
        self.registry
            .data_source(type_name)
            .ok_or_else(|| unknown_type("data source", type_name, &self.data_source_types()))
    }

    pub fn validate_provider_config(&self, config: &Dynamic) -> Diagnostics {
        match config.decode::<config::ProviderConfig>() {
            Ok(c) => config::validate(&c),
            Err(e) => Diagnostic::error("Unreadable provider configuration", e).into(),
        }
    }

    pub async fn configure(&self, config: &Dynamic, _terraform_version: &str) -> Diagnostics {
        let c = match config.decode::<config::ProviderConfig>() {
            Ok(c) => c,
            Err(e) => return Diagnostic::error("Unreadable provider configuration", e).into(),
        };
        let env = |k: &str| std::env::var(k).ok();
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        if let Ok(mut t) = self.stop.write()
            && t.is_cancelled()
        {
            *t = CancellationToken::new();
        }
        let deferred = deferred::Deferred::of(config, &env);
        if let Ok(mut slot) = self.deferred.write() {
            *slot = deferred.clone().map(Arc::new);
        }
        if deferred.is_some() {
            if let Ok(mut slot) = self.configured.write() {
                *slot = None;
            }
            // Terraform configures again, with known values, before applying.
            return config::validate(&c);
        }
        match setup::configure(&c, &env, home) {
            Ok((configured, diags)) => {
                if let Ok(mut slot) = self.configured.write() {
                    *slot = Some(Arc::new(configured));
                }
                diags
            }
            Err(d) => d,
        }
    }

    pub fn validate_resource_config(&self, type_name: &str, config: &Dynamic) -> Diagnostics {
        match self.resource(type_name) {
            Ok(r) => r.validate(config),
            Err(d) => d,
        }
    }

    pub fn validate_data_source_config(&self, type_name: &str, config: &Dynamic) -> Diagnostics {
        match self.data_source(type_name) {
            Ok(d) => d.validate(config),
            Err(d) => d,
        }
    }

    pub fn upgrade_resource_state(
        &self,
        type_name: &str,
        version: i64,
        raw: RawState,
    ) -> (Option<Dynamic>, Diagnostics) {
        match self.resource(type_name) {
            Ok(r) => r.upgrade(version, raw),
            Err(d) => (None, d),
        }
    }

    pub async fn plan_resource_change(&self, type_name: &str, req: PlanRequest) -> PlanResponse {
        match self.resource(type_name) {
            Ok(r) => r.plan(&self.env(), req),
            Err(diagnostics) => PlanResponse {
                planned_state: Dynamic::null(),
                requires_replace: vec![],
                planned_private: vec![],
                diagnostics,
            },
        }
    }

    pub async fn apply_resource_change(&self, type_name: &str, req: ApplyRequest) -> StateResponse {
        match self.resource(type_name) {
            Ok(r) => r.apply(&self.env(), req).await,
            Err(diagnostics) => StateResponse {
                new_state: Dynamic::null(),
                private: vec![],
                diagnostics,
            },
        }
    }

    pub async fn read_resource(
        &self,
        type_name: &str,
        current: Dynamic,
        private: Vec<u8>,
    ) -> StateResponse {
        match self.resource(type_name) {
            Ok(r) => r.read(&self.env(), current, private).await,
            Err(diagnostics) => StateResponse {
                new_state: Dynamic::null(),
                private: vec![],
                diagnostics,
            },
        }
    }

    pub async fn import_resource_state(&self, type_name: &str, id: &str) -> ImportResponse {
        match self.resource(type_name) {
            Ok(r) => r.import(&self.env(), id).await,
            Err(diagnostics) => ImportResponse {
                imported: vec![],
                diagnostics,
            },
        }
    }

    /// MoveResourceState: a `moved` block's object from another type or provider, converted
    /// into `target_type`. Runs on an unconfigured provider; the answer is wholly known.
    pub fn move_resource_state(
        &self,
        target_type: &str,
        source: &MoveSource,
    ) -> Result<Dynamic, Diagnostics> {
        self.resource(target_type)?.move_state(source)
    }

    pub async fn read_data_source(
        &self,
        type_name: &str,
        config: Dynamic,
    ) -> (Dynamic, Diagnostics) {
        match self.data_source(type_name) {
            Ok(d) => d.read(&self.env(), config).await,
            Err(d) => (Dynamic::null(), d),
        }
    }
}
