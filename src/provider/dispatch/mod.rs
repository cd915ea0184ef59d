//! The plumbing written once for every type: typed decode and encode of the objects Terraform
//! sends, the shared plan rules ([`super::plan`]), timeouts, the choice of create, update or
//! delete, and the state recorded when an operation fails. [`Typed`] wraps a
//! [`Resource`] or [`DataSource`] into
//! the object-safe form the registry keeps.

use std::sync::Arc;

use async_trait::async_trait;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use crate::provider::Configured;
use crate::provider::interface::{DataSource, Planning, RawState, Resource};
use crate::provider::timeouts::{TimeoutSpec, Timeouts};
use crate::tf::{AttrPath, Diagnostic, Diagnostics, Dynamic, Schema, Value};

pub struct PlanRequest {
    pub prior: Dynamic,
    pub proposed: Dynamic,
    pub config: Dynamic,
    pub prior_private: Vec<u8>,
}

pub struct PlanResponse {
    pub planned_state: Dynamic,
    pub requires_replace: Vec<AttrPath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

impl PlanResponse {
    pub(super) fn failed(diagnostics: Diagnostics) -> Self {
        PlanResponse {
            planned_state: Dynamic::null(),
            requires_replace: vec![],
            planned_private: vec![],
            diagnostics,
        }
    }
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

impl StateResponse {
    pub(super) fn new(new_state: Dynamic, diagnostics: Diagnostics) -> Self {
        StateResponse {
            new_state,
            private: vec![],
            diagnostics,
        }
    }
}

pub struct Imported {
    pub state: Dynamic,
    pub private: Vec<u8>,
}

pub struct ImportResponse {
    pub imported: Vec<Imported>,
    pub diagnostics: Diagnostics,
}

/// What every operation gets from the provider process.
pub struct Env {
    pub configured: Option<Arc<Configured>>,
    pub deferred: Option<Arc<crate::provider::deferred::Deferred>>,
    pub stop: CancellationToken,
    pub planning: Planning,
}

/// Which of Terraform's three changes an apply is; decided here and nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Create,
    Update,
    Delete,
}

impl Change {
    pub fn of(prior: &Dynamic, planned: &Dynamic) -> Change {
        match (prior.is_null(), planned.is_null()) {
            (_, true) => Change::Delete,
            (true, false) => Change::Create,
            (false, false) => Change::Update,
        }
    }
}

/// A resource type as the registry keeps it.
#[async_trait]
pub trait AnyResource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    /// The operations of the `timeouts` block with their defaults, for the documentation.
    fn timeouts(&self) -> &'static [TimeoutSpec];
    /// The Import section of the documentation ([`Resource::import_doc`]).
    fn import_doc(&self) -> &'static str;
    fn validate(&self, config: &Dynamic) -> Diagnostics;
    fn plan(&self, env: &Env, req: PlanRequest) -> PlanResponse;
    async fn apply(&self, env: &Env, req: ApplyRequest) -> StateResponse;
    async fn read(&self, env: &Env, current: Dynamic, private: Vec<u8>) -> StateResponse;
    async fn import(&self, env: &Env, id: &str) -> ImportResponse;
    fn upgrade(&self, version: i64, raw: RawState) -> (Option<Dynamic>, Diagnostics);
    /// A `moved` block's object from another type or provider, in this type's schema.
    fn move_state(&self, source: &MoveSource) -> Result<Dynamic, Diagnostics>;
}

/// A data source type as the registry keeps it.
#[async_trait]
pub trait AnyDataSource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    fn validate(&self, config: &Dynamic) -> Diagnostics;
    async fn read(&self, env: &Env, config: Dynamic) -> (Dynamic, Diagnostics);
}

/// A typed resource or data source with its schema, built once.
pub struct Typed<T> {
    pub(super) inner: T,
    pub(super) schema: Schema,
}

impl<R: Resource> Typed<R> {
    pub fn resource(inner: R) -> Box<dyn AnyResource> {
        let schema = inner.schema();
        Box::new(Typed { inner, schema })
    }
}

impl<D: DataSource> Typed<D> {
    pub fn data_source(inner: D) -> Box<dyn AnyDataSource> {
        let schema = inner.schema();
        Box::new(Typed { inner, schema })
    }
}

/// Decodes an object of `type_name`, or explains why it could not be read.
pub(super) fn decode<S: super::interface::State>(
    type_name: &str,
    v: &Dynamic,
    what: &str,
) -> Result<S, Diagnostics> {
    v.decode::<S>().map_err(|e| {
        Diagnostic::error(
            format!("Unreadable {what}"),
            format!("The {what} of {type_name} does not match its schema: {e}. This is a bug; please report it."),
        )
        .into()
    })
}

pub(super) fn encode<S: super::interface::State>(s: &S) -> Result<Dynamic, Diagnostics> {
    Dynamic::encode(s).map_err(|e| Diagnostic::error("Internal error encoding state", e).into())
}

/// The `timeouts` block of an object tree, whatever the rest of the object holds.
pub(super) fn timeouts_of(v: &Dynamic) -> Value<Timeouts> {
    #[derive(Deserialize)]
    struct WithTimeouts {
        #[serde(default)]
        timeouts: Value<Timeouts>,
    }
    v.decode::<WithTimeouts>()
        .map(|w| w.timeouts)
        .unwrap_or_default()
}

mod data_source;
mod moved;
mod resource;

pub use moved::MoveSource;
