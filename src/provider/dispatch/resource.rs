//! The shared lifecycle of every resource type: [`AnyResource`] for a typed [`Resource`].

use async_trait::async_trait;

use super::{
    AnyResource, ApplyRequest, Change, Env, ImportResponse, Imported, MoveSource, PlanRequest,
    PlanResponse, StateResponse, Typed, decode, encode, timeouts_of,
};
use crate::provider::interface::{Ctx, Failure, RawState, Resource};
use crate::provider::plan;
use crate::provider::timeouts::{self, Operation};
use crate::tf::{Diagnostic, Diagnostics, Dynamic, Schema};

impl<R: Resource> Typed<R> {
    fn ctx(&self, env: &Env, operation: Operation, object: &Dynamic) -> Ctx {
        let timeout = self
            .inner
            .timeouts()
            .iter()
            .find(|s| s.operation == operation)
            // Types without an entry for the operation (e.g. no `update`) use the create limit.
            .or_else(|| self.inner.timeouts().first())
            .map(|spec| timeouts::limit(&timeouts_of(object), spec))
            .unwrap_or(std::time::Duration::from_secs(60));
        Ctx {
            configured: env.configured.clone(),
            deferred: env.deferred.clone(),
            stop: env.stop.clone(),
            timeout,
            operation,
            configurable: true,
            started: tokio::time::Instant::now(),
            destroy_planned: false,
        }
    }

    fn decode(&self, v: &Dynamic, what: &str) -> Result<R::State, Diagnostics> {
        decode(self.inner.type_name(), v, what)
    }

    fn decode_opt(&self, v: &Dynamic, what: &str) -> Result<Option<R::State>, Diagnostics> {
        if v.is_null() {
            Ok(None)
        } else {
            self.decode(v, what).map(Some)
        }
    }

    /// The state to record for a failed operation: what the type returned, else `fallback`.
    fn failed(&self, f: Failure<R::State>, fallback: Dynamic) -> StateResponse {
        // A recorded state must be wholly known: what the type could not learn is null.
        let state = match f.state.as_ref().map(encode) {
            Some(Ok(s)) => s.unknowns_to_null(),
            _ => fallback,
        };
        StateResponse::new(state, f.diagnostics)
    }

    async fn create(&self, env: &Env, planned: Dynamic) -> StateResponse {
        let ctx = self.ctx(env, Operation::Create, &planned);
        let planned = match self.decode(&planned, "planned state") {
            Ok(p) => p,
            Err(d) => return StateResponse::new(Dynamic::null(), d),
        };
        match self.inner.create(&ctx, planned).await {
            Ok(s) => self.done(&s, Dynamic::null()),
            Err(f) => self.failed(f, Dynamic::null()),
        }
    }

    /// An update that fails keeps the prior state unless the type says what changed.
    async fn update(&self, env: &Env, prior: Dynamic, planned: Dynamic) -> StateResponse {
        let ctx = self.ctx(env, Operation::Update, &planned);
        let (p, n) = match (
            self.decode(&prior, "prior state"),
            self.decode(&planned, "planned state"),
        ) {
            (Ok(p), Ok(n)) => (p, n),
            (Err(d), _) | (_, Err(d)) => return StateResponse::new(prior, d),
        };
        match self.inner.update(&ctx, p, n).await {
            Ok(s) => self.done(&s, prior),
            Err(f) => self.failed(f, prior),
        }
    }

    /// Delete is lenient: an object whose state no longer decodes is still removed from state.
    async fn delete(&self, env: &Env, prior: Dynamic, planned_private: &[u8]) -> StateResponse {
        let mut ctx = self.ctx(env, Operation::Delete, &prior);
        ctx.destroy_planned = planned_private == DESTROY_PLANNED;
        match self.decode(&prior, "prior state") {
            Err(_) => StateResponse::new(Dynamic::null(), Diagnostics::default()),
            Ok(p) => match self.inner.delete(&ctx, p).await {
                Ok(warnings) => StateResponse::new(Dynamic::null(), warnings),
                Err(d) => StateResponse::new(prior, d),
            },
        }
    }

    fn done(&self, s: &R::State, fallback: Dynamic) -> StateResponse {
        match encode(s) {
            Ok(s) => StateResponse::new(s, Diagnostics::default()),
            Err(d) => StateResponse::new(fallback, d),
        }
    }
}

/// The private data of a destroy planned by this provider. None of the types keeps private data
/// of its own, so the mark cannot collide with anything.
const DESTROY_PLANNED: &[u8] = b"{\"destroy_planned\":true}";

#[async_trait]
impl<R: Resource> AnyResource for Typed<R> {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn timeouts(&self) -> &'static [timeouts::TimeoutSpec] {
        self.inner.timeouts()
    }

    fn import_doc(&self) -> &'static str {
        self.inner.import_doc()
    }

    fn validate(&self, config: &Dynamic) -> Diagnostics {
        let c = match self.decode(config, "configuration") {
            Ok(c) => c,
            Err(d) => return d,
        };
        let mut d = self.inner.validate(&c);
        d.extend(timeouts::validate(&timeouts_of(config)));
        d
    }

    fn plan(&self, env: &Env, req: PlanRequest) -> PlanResponse {
        let (prior, _, config) = match (
            self.decode_opt(&req.prior, "prior state"),
            self.decode_opt(&req.proposed, "proposed state"),
            self.decode_opt(&req.config, "configuration"),
        ) {
            (Ok(a), Ok(b), Ok(c)) => (a, b, c),
            (Err(d), _, _) | (_, Err(d), _) | (_, _, Err(d)) => return PlanResponse::failed(d),
        };
        let Some(config) = config.filter(|_| !req.proposed.is_null()) else {
            // A destroy: nothing to plan, but what the type has to say about it (a warning the
            // user should read before approving) belongs in the plan.
            let diagnostics = match &prior {
                Some(p) => self.inner.plan_destroy(&env.planning, p),
                None => Diagnostics::default(),
            };
            // Terraform hands the plan's private data to the delete: the mark tells it that
            // this plan's warnings reached the user (`Ctx::destroy_planned`).
            return PlanResponse {
                planned_state: Dynamic::null(),
                requires_replace: vec![],
                planned_private: DESTROY_PLANNED.to_vec(),
                diagnostics,
            };
        };
        let block = &self.schema.block;
        let mut tree = req.proposed.0.clone();
        let prior_tree = (!req.prior.is_null()).then_some(&req.prior.0);
        plan::fill_computed(block, prior_tree, &mut tree, &req.config.0);
        let mut planned = match self.decode(&Dynamic(tree), "planned state") {
            Ok(p) => p,
            Err(d) => return PlanResponse::failed(d),
        };
        let diagnostics = self
            .inner
            .plan(&env.planning, prior.as_ref(), &mut planned, &config);
        if diagnostics.has_errors() {
            return PlanResponse::failed(diagnostics);
        }
        let mut tree = match encode(&planned) {
            Ok(t) => t.0,
            Err(d) => return PlanResponse::failed(d),
        };
        let requires_replace = match prior_tree {
            Some(p) => {
                let r = plan::replacements(block, p, &tree, &req.config.0);
                if !r.is_empty() {
                    plan::renew_computed(block, p, &mut tree, &req.config.0);
                }
                r
            }
            None => vec![],
        };
        PlanResponse {
            planned_state: Dynamic(tree),
            requires_replace,
            planned_private: req.prior_private,
            diagnostics,
        }
    }

    async fn apply(&self, env: &Env, req: ApplyRequest) -> StateResponse {
        let change = Change::of(&req.prior, &req.planned);
        // Create and update act on the plan, but a prior state or configuration that is not an
        // object of this schema means the request is not what it claims to be: refuse it rather
        // than write the plan to state (found by tests/it/hostile.rs).
        if change != Change::Delete {
            let mut diags = Diagnostics::default();
            if change == Change::Update
                && let Err(d) = self.decode(&req.prior, "prior state")
            {
                diags.extend(d);
            }
            if let Err(d) = self.decode(&req.config, "resource configuration") {
                diags.extend(d);
            }
            if diags.has_errors() {
                return StateResponse::new(Dynamic::null(), diags);
            }
        }
        match change {
            Change::Create => self.create(env, req.planned).await,
            Change::Update => self.update(env, req.prior, req.planned).await,
            Change::Delete => self.delete(env, req.prior, &req.planned_private).await,
        }
    }

    /// A read that fails is an error with the state unchanged, never an absent object (which
    /// Terraform would plan to create again).
    async fn read(&self, env: &Env, current: Dynamic, private: Vec<u8>) -> StateResponse {
        let ctx = self.ctx(env, Operation::Read, &current);
        let result = match self.decode(&current, "state") {
            Ok(s) => self.inner.read(&ctx, s).await,
            Err(d) => Err(d),
        };
        match result.and_then(|s| s.as_ref().map(encode).transpose()) {
            Ok(Some(new_state)) => StateResponse {
                new_state,
                private,
                diagnostics: Diagnostics::default(),
            },
            Ok(None) => StateResponse {
                new_state: Dynamic::null(),
                private: vec![],
                diagnostics: Diagnostics::default(),
            },
            Err(diagnostics) => StateResponse {
                new_state: current,
                private,
                diagnostics,
            },
        }
    }

    /// An import reads the object before it answers, so that what it returns is wholly known
    /// and a failure is the import's own error. Terraform 1.11 loses every warning of an import
    /// whose object turns out absent, and turns a failed refresh after an `import {}` block into
    /// "Drift detected (delete)"; answering here avoids both.
    async fn import(&self, env: &Env, id: &str) -> ImportResponse {
        let ctx = self.ctx(env, Operation::Read, &Dynamic::null());
        let failed = |diagnostics| ImportResponse {
            imported: vec![],
            diagnostics,
        };
        let (start, warnings) = match self.inner.import(&ctx, id).await {
            Ok(s) => s,
            Err(d) => return failed(d),
        };
        let hint = self.inner.import_not_found(&start);
        let found = match self.inner.read(&ctx, start).await {
            Ok(Some(s)) => s,
            Ok(None) => {
                return failed(
                    Diagnostic::error("Cannot import non-existent remote object", hint).into(),
                );
            }
            Err(d) => return failed(d),
        };
        match encode(&found) {
            Ok(state) => ImportResponse {
                imported: vec![Imported {
                    state,
                    private: vec![],
                }],
                diagnostics: warnings,
            },
            Err(d) => failed(d),
        }
    }

    fn upgrade(&self, version: i64, raw: RawState) -> (Option<Dynamic>, Diagnostics) {
        let current = self.schema.version;
        if version > current {
            return (
                None,
                Diagnostic::error(
                    "State written by a newer provider",
                    format!("The state of {} has schema version {version}, newer than this provider knows ({current}). Use the provider version that wrote it, or a newer one.", self.type_name()),
                )
                .into(),
            );
        }
        let state = match raw {
            // Re-reading the JSON also normalises it: attributes it lacks become null.
            RawState::Json(v) => {
                let mut tree = v.0;
                if let serde_json::Value::Object(m) = &mut tree {
                    let block = &self.schema.block;
                    for name in block
                        .attributes
                        .iter()
                        .map(|a| a.name)
                        .chain(block.blocks.iter().map(|b| b.name))
                    {
                        m.entry(name).or_insert(serde_json::Value::Null);
                    }
                }
                self.decode(&Dynamic(tree), "stored state")
            }
            RawState::Flatmap(m) => self.inner.upgrade_flatmap(m),
        };
        match state.and_then(|s| encode(&s)) {
            Ok(v) => (Some(v), Diagnostics::default()),
            Err(d) => (None, d),
        }
    }

    fn move_state(&self, source: &MoveSource) -> Result<Dynamic, Diagnostics> {
        self.move_into(source)
    }
}
