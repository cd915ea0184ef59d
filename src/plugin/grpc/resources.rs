//! Resource calls of the `tfplugin5.Provider` service: validation, state upgrades, read, plan,
//! apply, import and `moved` blocks.

use tonic::Request;

use super::super::convert::{codec_diagnostic, diagnostics, dynamic_in, dynamic_out};
use super::{Rpc, ok, pb};
use crate::provider::{self, Provider};

pub(super) fn validate_resource_type_config(
    provider: &Provider,
    req: Request<pb::validate_resource_type_config::Request>,
) -> Rpc<pb::validate_resource_type_config::Response> {
    let r = req.into_inner();
    let config = decode_or!(r.config, "resource configuration", |d| {
        pb::validate_resource_type_config::Response { diagnostics: d }
    });
    ok(pb::validate_resource_type_config::Response {
        diagnostics: diagnostics(provider.validate_resource_config(&r.type_name, &config)),
    })
}

pub(super) fn upgrade_resource_state(
    provider: &Provider,
    req: Request<pb::upgrade_resource_state::Request>,
) -> Rpc<pb::upgrade_resource_state::Response> {
    let r = req.into_inner();
    let raw = r.raw_state.unwrap_or_default();
    let raw = if !raw.json.is_empty() {
        match super::super::dynamic::from_json(&raw.json) {
            Ok(v) => provider::RawState::Json(v),
            Err(e) => {
                return ok(pb::upgrade_resource_state::Response {
                    upgraded_state: None,
                    diagnostics: diagnostics(codec_diagnostic("stored state", e)),
                });
            }
        }
    } else {
        provider::RawState::Flatmap(raw.flatmap.into_iter().collect())
    };
    let (state, diags) = provider.upgrade_resource_state(&r.type_name, r.version, raw);
    ok(pb::upgrade_resource_state::Response {
        upgraded_state: state.as_ref().map(dynamic_out),
        diagnostics: diagnostics(diags),
    })
}

pub(super) async fn read_resource(
    provider: &Provider,
    req: Request<pb::read_resource::Request>,
) -> Rpc<pb::read_resource::Response> {
    let r = req.into_inner();
    let current = decode_or!(r.current_state, "resource state", |d| {
        pb::read_resource::Response {
            new_state: None,
            diagnostics: d,
            private: vec![],
            deferred: None,
        }
    });
    let out = provider
        .read_resource(&r.type_name, current, r.private)
        .await;
    ok(pb::read_resource::Response {
        new_state: Some(dynamic_out(&out.new_state)),
        diagnostics: diagnostics(out.diagnostics),
        private: out.private,
        deferred: None,
    })
}

pub(super) async fn plan_resource_change(
    provider: &Provider,
    req: Request<pb::plan_resource_change::Request>,
) -> Rpc<pb::plan_resource_change::Response> {
    let r = req.into_inner();
    let fail = |d| pb::plan_resource_change::Response {
        planned_state: None,
        requires_replace: vec![],
        planned_private: vec![],
        diagnostics: d,
        legacy_type_system: false,
        deferred: None,
    };
    let prior = decode_or!(r.prior_state, "prior state", |d| fail(d));
    let proposed = decode_or!(r.proposed_new_state, "proposed new state", |d| fail(d));
    let config = decode_or!(r.config, "resource configuration", |d| fail(d));
    let out = provider
        .plan_resource_change(
            &r.type_name,
            provider::PlanRequest {
                prior,
                proposed,
                config,
                prior_private: r.prior_private,
            },
        )
        .await;
    ok(pb::plan_resource_change::Response {
        planned_state: Some(dynamic_out(&out.planned_state)),
        requires_replace: out
            .requires_replace
            .into_iter()
            .map(super::super::convert::attr_path)
            .collect(),
        planned_private: out.planned_private,
        diagnostics: diagnostics(out.diagnostics),
        legacy_type_system: false,
        deferred: None,
    })
}

pub(super) async fn apply_resource_change(
    provider: &Provider,
    req: Request<pb::apply_resource_change::Request>,
) -> Rpc<pb::apply_resource_change::Response> {
    let r = req.into_inner();
    let fail = |d| pb::apply_resource_change::Response {
        new_state: None,
        private: vec![],
        diagnostics: d,
        legacy_type_system: false,
    };
    let prior = decode_or!(r.prior_state, "prior state", |d| fail(d));
    let planned = decode_or!(r.planned_state, "planned state", |d| fail(d));
    let config = decode_or!(r.config, "resource configuration", |d| fail(d));
    let out = provider
        .apply_resource_change(
            &r.type_name,
            provider::ApplyRequest {
                prior,
                planned,
                config,
                planned_private: r.planned_private,
            },
        )
        .await;
    ok(pb::apply_resource_change::Response {
        new_state: Some(dynamic_out(&out.new_state)),
        private: out.private,
        diagnostics: diagnostics(out.diagnostics),
        legacy_type_system: false,
    })
}

pub(super) async fn import_resource_state(
    provider: &Provider,
    req: Request<pb::import_resource_state::Request>,
) -> Rpc<pb::import_resource_state::Response> {
    let r = req.into_inner();
    let out = provider.import_resource_state(&r.type_name, &r.id).await;
    ok(pb::import_resource_state::Response {
        imported_resources: out
            .imported
            .into_iter()
            .map(|i| pb::import_resource_state::ImportedResource {
                type_name: r.type_name.clone(),
                state: Some(dynamic_out(&i.state)),
                private: i.private,
            })
            .collect(),
        diagnostics: diagnostics(out.diagnostics),
        deferred: None,
    })
}

pub(super) fn move_resource_state(
    provider: &Provider,
    req: Request<pb::move_resource_state::Request>,
) -> Rpc<pb::move_resource_state::Response> {
    let r = req.into_inner();
    let fail = |d| pb::move_resource_state::Response {
        target_state: None,
        diagnostics: d,
        target_private: vec![],
    };
    // Terraform sends the source's stored attributes as JSON (never the flatmap form
    // for a move); none at all becomes null, which the provider refuses with a diagnostic.
    let json = r.source_state.map(|s| s.json).unwrap_or_default();
    let state_json = if json.is_empty() {
        serde_json::Value::Null
    } else {
        match super::super::dynamic::from_json(&json) {
            Ok(v) => v.0,
            Err(e) => return ok(fail(diagnostics(codec_diagnostic("source state", e)))),
        }
    };
    let source = provider::MoveSource {
        provider_address: r.source_provider_address,
        type_name: r.source_type_name,
        schema_version: r.source_schema_version,
        state_json,
    };
    // The source's private data (SDK timeouts in nanoseconds) is not carried over: the
    // `timeouts` attribute holds what the user configured, and our private data is empty.
    match provider.move_resource_state(&r.target_type_name, &source) {
        Ok(state) => ok(pb::move_resource_state::Response {
            target_state: Some(dynamic_out(&state)),
            diagnostics: vec![],
            target_private: vec![],
        }),
        Err(d) => ok(fail(diagnostics(d))),
    }
}
