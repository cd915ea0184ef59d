//! Terraform semantics of the provider: its configuration, the resource and the data source.
//! Knows Terraform's data model (`crate::tf`) and the Alibaba client (`crate::alicloud`), never
//! protocol types or HTTP.

pub mod activation;
pub mod config;
pub mod credentials;
pub mod data_source;
pub mod duration;
pub mod errors;
pub mod profile;
pub mod region;
pub mod resource;
pub mod setup;

use std::sync::{Arc, RwLock};

use tokio_util::sync::CancellationToken;

pub use resource::RawState;

use crate::tf::{Diagnostic, Diagnostics, Dynamic, Schema, Value};

pub const RESOURCE_TYPES: &[&str] = &[resource::TYPE_NAME];
pub const DATA_SOURCE_TYPES: &[&str] = &[data_source::TYPE_NAME];

pub struct ProviderSchemas {
    pub provider: Schema,
    pub resources: Vec<(&'static str, Schema)>,
    pub data_sources: Vec<(&'static str, Schema)>,
}

/// Every schema of the provider; static, so no RPC depends on GetSchema having run.
pub fn schemas() -> ProviderSchemas {
    ProviderSchemas {
        provider: config::schema(),
        resources: vec![(resource::TYPE_NAME, resource::schema())],
        data_sources: vec![(data_source::TYPE_NAME, data_source::schema())],
    }
}

pub struct PlanRequest {
    pub prior: Dynamic,
    pub proposed: Dynamic,
    pub config: Dynamic,
    pub prior_private: Vec<u8>,
}

pub struct PlanResponse {
    pub planned_state: Dynamic,
    pub requires_replace: Vec<crate::tf::AttrPath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct ApplyRequest {
    pub prior: Dynamic,
    pub planned: Dynamic,
    pub config: Dynamic,
    pub planned_private: Vec<u8>,
}

pub struct StateResponse {
    pub new_state: Dynamic,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct Imported {
    pub state: Dynamic,
    pub private: Vec<u8>,
}

pub struct ImportResponse {
    pub imported: Vec<Imported>,
    pub diagnostics: Diagnostics,
}

/// What Configure established, shared by every later RPC of the process.
pub struct Configured {
    pub region: Option<String>,
    pub api: activation::Api,
}

pub struct Provider {
    configured: RwLock<Option<Arc<Configured>>>,
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

fn with_state(state: Result<Dynamic, Diagnostics>, mut diags: Diagnostics) -> StateResponse {
    match state {
        Ok(new_state) => StateResponse {
            new_state,
            private: vec![],
            diagnostics: diags,
        },
        Err(e) => {
            diags.extend(e);
            StateResponse {
                new_state: Dynamic::null(),
                private: vec![],
                diagnostics: diags,
            }
        }
    }
}

impl Provider {
    pub fn new() -> Self {
        Provider {
            configured: RwLock::new(None),
            stop: RwLock::new(CancellationToken::new()),
        }
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

    /// The provider's region for planning: unknown until Configure has run with known values.
    fn provider_region(&self) -> Value<String> {
        match self.configured() {
            Some(c) => Value::from_option(c.region.clone()),
            None => Value::Unknown,
        }
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
        match type_name {
            resource::TYPE_NAME => resource::validate(config),
            _ => unknown_type("resource", type_name, RESOURCE_TYPES),
        }
    }

    pub fn validate_data_source_config(&self, type_name: &str, config: &Dynamic) -> Diagnostics {
        match type_name {
            data_source::TYPE_NAME => match config.decode::<data_source::DataSourceState>() {
                Ok(c) => match &c.region_id {
                    Value::Known(r) => match region::check(r, true) {
                        Ok(()) => Diagnostics::default(),
                        Err(e) => e.at(crate::tf::AttrPath::attr("region_id")).into(),
                    },
                    _ => Diagnostics::default(),
                },
                Err(e) => Diagnostic::error("Unreadable data source configuration", e).into(),
            },
            _ => unknown_type("data source", type_name, DATA_SOURCE_TYPES),
        }
    }

    pub fn upgrade_resource_state(
        &self,
        type_name: &str,
        version: i64,
        raw: RawState,
    ) -> (Option<Dynamic>, Diagnostics) {
        if type_name != resource::TYPE_NAME {
            return (None, unknown_type("resource", type_name, RESOURCE_TYPES));
        }
        match resource::upgrade(version, raw).and_then(|s| resource::encode(&s)) {
            Ok(v) => (Some(v), Diagnostics::default()),
            Err(d) => (None, d),
        }
    }

    pub async fn plan_resource_change(&self, type_name: &str, req: PlanRequest) -> PlanResponse {
        let fail = |d| PlanResponse {
            planned_state: Dynamic::null(),
            requires_replace: vec![],
            planned_private: vec![],
            diagnostics: d,
        };
        if type_name != resource::TYPE_NAME {
            return fail(unknown_type("resource", type_name, RESOURCE_TYPES));
        }
        let opt = |v: &Dynamic, what| {
            if v.is_null() {
                Ok(None)
            } else {
                resource::decode(v, what).map(Some)
            }
        };
        let (prior, proposed, config) = match (
            opt(&req.prior, "prior state"),
            opt(&req.proposed, "proposed state"),
            opt(&req.config, "configuration"),
        ) {
            (Ok(a), Ok(b), Ok(c)) => (a, b, c),
            (Err(d), _, _) | (_, Err(d), _) | (_, _, Err(d)) => return fail(d),
        };
        let planned = resource::plan(prior, proposed, config, &self.provider_region());
        let state = match planned.state {
            None => Ok(Dynamic::null()),
            Some(s) => resource::encode(&s),
        };
        match state {
            Ok(planned_state) => PlanResponse {
                planned_state,
                requires_replace: planned.requires_replace,
                planned_private: req.prior_private,
                diagnostics: Diagnostics::default(),
            },
            Err(d) => fail(d),
        }
    }

    fn require_configured(&self) -> Result<Arc<Configured>, Diagnostics> {
        self.configured().ok_or_else(|| {
            Diagnostic::error(
                "Provider not configured",
                "Terraform did not configure the provider before using it. This is a bug in Terraform or the provider; please report it.",
            )
            .into()
        })
    }

    pub async fn apply_resource_change(&self, type_name: &str, req: ApplyRequest) -> StateResponse {
        if type_name != resource::TYPE_NAME {
            return with_state(
                Err(unknown_type("resource", type_name, RESOURCE_TYPES)),
                Diagnostics::default(),
            );
        }
        let change = resource::Change::of(&req.prior, &req.planned);
        // Create and update act on the plan alone, but a prior state or configuration that is
        // not an object of this schema means the request is not what it claims to be: refuse
        // it rather than write the plan to state (found by tests/it/hostile.rs). Delete stays
        // lenient, so that an unreadable object can always be removed from state.
        if change != resource::Change::Delete {
            let mut diags = Diagnostics::default();
            if change == resource::Change::Update
                && let Err(d) = resource::decode(&req.prior, "prior state")
            {
                diags.extend(d);
            }
            if let Err(d) = resource::decode(&req.config, "resource configuration") {
                diags.extend(d);
            }
            if !diags.0.is_empty() {
                return with_state(Err(diags), Diagnostics::default());
            }
        }
        match change {
            resource::Change::Delete => with_state(
                Ok(Dynamic::null()),
                Diagnostic::warning(
                    "The IP address pool feature stays active",
                    "Alibaba Cloud has no operation to deactivate the VPC IP address pool feature. The resource was removed from the Terraform state only; the feature remains active in the region.",
                )
                .into(),
            ),
            resource::Change::Update => with_state(Ok(req.planned), Diagnostics::default()),
            resource::Change::Create => with_state(self.create(&req.planned).await, Diagnostics::default()),
        }
    }

    async fn create(&self, planned: &Dynamic) -> Result<Dynamic, Diagnostics> {
        let configured = self.require_configured()?;
        let planned = resource::decode(planned, "planned state")?;
        let region = self.region_for(&configured, &planned.region_id)?;
        let timeout = resource::Timeouts::create(&planned.timeouts);
        configured
            .api
            .activate(&region, timeout, &self.stop_token())
            .await
            .map_err(|d| Diagnostics::from(d.at(crate::tf::AttrPath::attr("region_id"))))?;
        resource::encode(&resource::ResourceState {
            id: Value::Known(region.clone()),
            region_id: Value::Known(region),
            enabled: Value::Known(true),
            timeouts: planned.timeouts,
        })
    }

    /// The region an object lives in: its own `region_id`, else the provider's region.
    fn region_for(&self, c: &Configured, region_id: &Value<String>) -> Result<String, Diagnostics> {
        match region_id {
            Value::Known(r) => Ok(r.clone()),
            _ => c
                .region
                .clone()
                .ok_or_else(|| Diagnostics::from(setup::no_region())),
        }
    }

    pub async fn read_resource(
        &self,
        type_name: &str,
        current: Dynamic,
        private: Vec<u8>,
    ) -> StateResponse {
        if type_name != resource::TYPE_NAME {
            return with_state(
                Err(unknown_type("resource", type_name, RESOURCE_TYPES)),
                Diagnostics::default(),
            );
        }
        match self.read(current).await {
            Ok(state) => StateResponse {
                new_state: state,
                private,
                diagnostics: Diagnostics::default(),
            },
            Err(d) => StateResponse {
                new_state: Dynamic::null(),
                private,
                diagnostics: d,
            },
        }
    }

    /// The current state, or null when the feature is not active (the object is gone).
    async fn read(&self, current: Dynamic) -> Result<Dynamic, Diagnostics> {
        let configured = self.require_configured()?;
        let state = resource::decode(&current, "state")?;
        let region = self.region_for(&configured, &state.region_id)?;
        let timeout = resource::Timeouts::read(&state.timeouts);
        if !configured
            .api
            .status(&region, timeout, &self.stop_token())
            .await?
        {
            return Ok(Dynamic::null());
        }
        resource::encode(&resource::ResourceState {
            id: Value::Known(region.clone()),
            region_id: Value::Known(region),
            enabled: Value::Known(true),
            ..state
        })
    }

    pub async fn import_resource_state(&self, type_name: &str, id: &str) -> ImportResponse {
        if type_name != resource::TYPE_NAME {
            return ImportResponse {
                imported: vec![],
                diagnostics: unknown_type("resource", type_name, RESOURCE_TYPES),
            };
        }
        let state = match resource::import(id) {
            Ok(s) => s,
            Err(d) => {
                return ImportResponse {
                    imported: vec![],
                    diagnostics: d.into(),
                };
            }
        };
        let mut diagnostics = Diagnostics::default();
        // Terraform's own "non-existent remote object" error follows when Read finds nothing;
        // this warning adds what to do instead. Read reuses the status fetched here.
        if let (Some(c), Value::Known(region)) = (self.configured(), &state.region_id)
            && let Ok(false) = c
                .api
                .status(region, resource::DEFAULT_READ_TIMEOUT, &self.stop_token())
                .await
        {
            diagnostics.push(Diagnostic::warning(
                format!("The IP address pool feature is not active in {region}"),
                format!("There is nothing to import in {region}: the feature has not been activated there. To activate it with Terraform, remove the import (block or command) and run terraform apply with this resource in the configuration."),
            ));
        }
        match resource::encode(&state) {
            Ok(state) => ImportResponse {
                imported: vec![Imported {
                    state,
                    private: vec![],
                }],
                diagnostics,
            },
            Err(d) => ImportResponse {
                imported: vec![],
                diagnostics: d,
            },
        }
    }

    pub async fn read_data_source(
        &self,
        type_name: &str,
        config: Dynamic,
    ) -> (Dynamic, Diagnostics) {
        if type_name != data_source::TYPE_NAME {
            return (
                Dynamic::null(),
                unknown_type("data source", type_name, DATA_SOURCE_TYPES),
            );
        }
        match self.read_data(config).await {
            Ok(v) => (v, Diagnostics::default()),
            Err(d) => (Dynamic::null(), d),
        }
    }

    async fn read_data(&self, config: Dynamic) -> Result<Dynamic, Diagnostics> {
        let configured = self.require_configured()?;
        let c: data_source::DataSourceState = config.decode().map_err(|e| {
            Diagnostics::from(Diagnostic::error("Unreadable data source configuration", e))
        })?;
        let region = self.region_for(&configured, &c.region_id)?;
        let enabled = configured
            .api
            .status(&region, resource::DEFAULT_READ_TIMEOUT, &self.stop_token())
            .await?;
        Dynamic::encode(&data_source::DataSourceState {
            id: Value::Known(region.clone()),
            region_id: Value::Known(region),
            enabled: Value::Known(enabled),
        })
        .map_err(|e| Diagnostic::error("Internal error encoding state", e).into())
    }
}
