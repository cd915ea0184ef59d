//! What a resource type and a data source type implement, shaped by Terraform's lifecycle.
//! Each works on its own typed state struct; [`super::dispatch`] does the decoding, encoding and
//! the rules every type shares (plan rules, timeouts, partial state on a failed create), and
//! [`super::registry`] lists the types. A new type is one file under `resources/` or
//! `data_sources/` plus one registry entry.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::Configured;
use super::deferred::Deferred;
use super::errors::Limit;
use super::timeouts::{Operation, TimeoutSpec};
use super::{region, setup};
use crate::alicloud::CallOptions;
use crate::tf::{AttrPath, Diagnostic, Diagnostics, Dynamic, Schema, Value};

/// The typed state of a resource or data source: a struct of [`Value`]s with exactly the
/// schema's attributes.
pub trait State: Serialize + DeserializeOwned + Send + Sync + 'static {}
impl<T: Serialize + DeserializeOwned + Send + Sync + 'static> State for T {}

/// What an operation may use: the configured provider, Terraform's stop signal and the time the
/// operation has.
pub struct Ctx {
    pub(super) configured: Option<Arc<Configured>>,
    pub(super) deferred: Option<Arc<Deferred>>,
    pub stop: CancellationToken,
    /// The operation's limit: its `timeouts` entry, else the type's default.
    pub timeout: Duration,
    /// The operation running, so that messages name the `timeouts.<operation>` that applies.
    pub operation: Operation,
    /// Whether the user can change `timeout` (resources have a `timeouts` block, data sources
    /// and imports do not).
    pub(super) configurable: bool,
    pub(super) started: Instant,
    /// A delete whose destroy this provider planned (`plan_destroy`): what `plan_destroy` said
    /// is in the plan the user approved, so `delete` need not say it again. False when the
    /// plan came from a Terraform that does not plan destroys through the provider.
    pub destroy_planned: bool,
}

impl Ctx {
    /// Options for an API call: the operation's deadline (shared by all its calls) and
    /// Terraform's stop signal.
    pub fn call_options(&self) -> CallOptions {
        CallOptions {
            deadline: self.started + self.timeout,
            cancel: self.stop.child_token(),
        }
    }

    /// The operation's time budget and the setting that changes it, for messages.
    pub fn limit(&self) -> Limit {
        Limit {
            duration: self.timeout,
            setting: self.configurable.then(|| self.operation.attribute()),
        }
    }

    /// How long the operation has run.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// The provider as Configure set it up; an error if Terraform never configured it.
    pub fn configured(&self) -> Result<&Configured, Diagnostics> {
        if let Some(d) = &self.deferred {
            return Err(d.not_known_yet().into());
        }
        self.configured.as_deref().ok_or_else(|| {
            Diagnostic::error(
                "Provider not configured",
                "Terraform did not configure the provider before using it. This is a bug in Terraform or the provider; please report it.",
            )
            .into()
        })
    }

    /// The configured provider if there is one, for best-effort extras such as import hints.
    pub fn configured_opt(&self) -> Option<&Configured> {
        self.configured.as_deref()
    }

    /// The region an object lives in: its own `region_id`, else the provider's region.
    pub fn region(&self, region_id: &Value<String>) -> Result<String, Diagnostics> {
        let c = self.configured()?;
        match region_id {
            Value::Known(r) => match region::check(r, c.skip_region_validation) {
                Ok(()) => Ok(r.clone()),
                Err(e) => Err(e.at(AttrPath::attr("region_id")).into()),
            },
            _ => c
                .region
                .clone()
                .ok_or_else(|| Diagnostics::from(setup::no_region())),
        }
    }
}

/// What a plan may use: the provider's region, unknown until Configure has run with known
/// values, null when none is configured.
pub struct Planning {
    pub provider_region: Value<String>,
    pub skip_region_validation: bool,
}

impl Planning {
    /// A `region_id` as planned: the configured one (checked against the known regions unless
    /// the provider skips that), else the provider's region; an error on `region_id` when
    /// neither is set.
    pub fn region(&self, configured: &Value<String>) -> Result<Value<String>, Diagnostics> {
        match configured {
            Value::Known(r) => match region::check(r, self.skip_region_validation) {
                Ok(()) => Ok(configured.clone()),
                Err(e) => Err(e.at(AttrPath::attr("region_id")).into()),
            },
            Value::Unknown => Ok(Value::Unknown),
            Value::Null => match &self.provider_region {
                Value::Null => Err(setup::no_region().into()),
                other => Ok(other.clone()),
            },
        }
    }
}

/// A failed create, update or delete, with the state to record when the object exists anyway:
/// Terraform then keeps it (tainted, after a create) instead of losing track of it.
pub struct Failure<S> {
    pub diagnostics: Diagnostics,
    pub state: Option<S>,
}

impl<S> Failure<S> {
    pub fn with_state(diagnostics: impl Into<Diagnostics>, state: S) -> Self {
        Failure {
            diagnostics: diagnostics.into(),
            state: Some(state),
        }
    }
}

impl<S> From<Diagnostics> for Failure<S> {
    fn from(diagnostics: Diagnostics) -> Self {
        Failure {
            diagnostics,
            state: None,
        }
    }
}

impl<S> From<Diagnostic> for Failure<S> {
    fn from(d: Diagnostic) -> Self {
        Diagnostics::from(d).into()
    }
}

/// Stored state as Terraform hands it back for upgrading: JSON, or the legacy flatmap.
#[derive(Debug, Clone)]
pub enum RawState {
    Json(Dynamic),
    Flatmap(std::collections::BTreeMap<String, String>),
}

/// One kind of object that `moved` blocks may move into a resource type from another type or
/// provider (Terraform 1.8+, `MoveResourceState`). Terraform sends the source's attributes
/// exactly as stored, never upgraded by the source provider, and before our provider is
/// configured: a conversion is a pure function of that JSON and may call no API.
pub struct MoveFrom {
    /// The source provider as `namespace/type` (`aliyun/alicloud`); any registry host matches,
    /// so that mirrors and private registries under another host name work too.
    pub providers: &'static [&'static str],
    pub type_name: &'static str,
    /// The newest schema version of the source type the conversion understands.
    pub max_schema_version: i64,
    /// The source's stored attributes (a JSON object) to this type's attribute tree. Attributes
    /// the tree leaves out become null, and the next refresh fills computed ones in.
    pub convert: fn(&serde_json::Value) -> Result<serde_json::Value, Diagnostics>,
}

/// A managed resource type. Planning rules that depend only on the schema (computed values,
/// `force_new`, timeouts) are applied by the dispatcher; the methods here hold what is
/// particular to the type.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    type State: State;

    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// The operations of the `timeouts` block with their defaults.
    fn timeouts(&self) -> &'static [TimeoutSpec];

    /// Checks of the configuration that need no API call.
    fn validate(&self, _config: &Self::State) -> Diagnostics {
        Diagnostics::default()
    }

    /// The type's own plan step, after computed attributes were filled in and before
    /// replacements are decided (e.g. defaulting `region_id` to the provider's region).
    fn plan(
        &self,
        _planning: &Planning,
        _prior: Option<&Self::State>,
        _planned: &mut Self::State,
        _config: &Self::State,
    ) -> Diagnostics {
        Diagnostics::default()
    }

    /// What a plan to destroy the object should tell the user before they approve it.
    fn plan_destroy(&self, _planning: &Planning, _prior: &Self::State) -> Diagnostics {
        Diagnostics::default()
    }

    async fn create(
        &self,
        ctx: &Ctx,
        planned: Self::State,
    ) -> Result<Self::State, Failure<Self::State>>;

    /// The object as it is now, or `None` when it is gone.
    async fn read(
        &self,
        ctx: &Ctx,
        current: Self::State,
    ) -> Result<Option<Self::State>, Diagnostics>;

    async fn update(
        &self,
        ctx: &Ctx,
        prior: Self::State,
        planned: Self::State,
    ) -> Result<Self::State, Failure<Self::State>>;

    /// Deletes the object; `Ok` may carry warnings.
    async fn delete(&self, ctx: &Ctx, prior: Self::State) -> Result<Diagnostics, Diagnostics>;

    /// The Import section of the type's documentation page (Markdown, before the examples of
    /// `examples/resources/<type>/`): what the import ID is. Beside [`Self::import`], so the two
    /// change together.
    fn import_doc(&self) -> &'static str {
        "The import ID is the object's `id`; the examples below show the forms it takes."
    }

    /// What to do when an import finds nothing: the detail of its "Cannot import non-existent
    /// remote object" error.
    fn import_not_found(&self, _imported: &Self::State) -> String {
        "The object named by the import ID does not exist. Check the ID and the region (an ID may name its region, e.g. `cn-shanghai:<id>`), or remove the import and let terraform apply create the object.".to_string()
    }

    /// The state an import starts from, with any warnings; the dispatcher reads the object from
    /// it before answering Terraform.
    async fn import(&self, ctx: &Ctx, id: &str) -> Result<(Self::State, Diagnostics), Diagnostics>;

    /// What `moved` blocks may move into this type from other types or providers. The default,
    /// nothing, answers such a move with an error that suggests importing instead.
    fn moves_from(&self) -> &'static [MoveFrom] {
        &[]
    }

    /// State stored in the legacy flatmap form (JSON state of the current schema version is
    /// upgraded by the dispatcher). The default refuses it: only types that existed before
    /// Terraform 0.12 wrote it.
    fn upgrade_flatmap(
        &self,
        _flatmap: std::collections::BTreeMap<String, String>,
    ) -> Result<Self::State, Diagnostics> {
        Err(Diagnostic::error(
            "Unsupported state format",
            format!("The state of {} is in the legacy flatmap form, which this resource never wrote. Remove it with terraform state rm and import the object again.", self.type_name()),
        )
        .into())
    }
}

/// A data source type.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    type State: State;

    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;

    fn validate(&self, _config: &Self::State) -> Diagnostics {
        Diagnostics::default()
    }

    /// Reads the data; the result must be wholly known.
    async fn read(&self, ctx: &Ctx, config: Self::State) -> Result<Self::State, Diagnostics>;
}
