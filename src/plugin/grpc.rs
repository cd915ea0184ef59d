//! The `tfplugin5.Provider` service: every method converts the request in, calls the provider,
//! and converts the answer out. Problems travel as diagnostics, never as gRPC errors.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::convert::{codec_diagnostic, diagnostics, dynamic_in, dynamic_out, schema};
use super::proto::tfplugin5 as pb;
use super::proto::tfplugin5::provider_server::Provider as ProviderRpc;
use crate::provider::{self, Provider};
use crate::tf::Diagnostic;

pub struct ProviderService {
    provider: Arc<Provider>,
}

impl ProviderService {
    pub fn new(provider: Arc<Provider>) -> Self {
        ProviderService { provider }
    }
}

type Rpc<T> = Result<Response<T>, Status>;

fn ok<T>(t: T) -> Rpc<T> {
    Ok(Response::new(t))
}

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        // Destroy plans reach the provider, so warnings about a destroy show before approval.
        plan_destroy: true,
        get_provider_schema_optional: true,
        // `moved` blocks from the official provider's types (Terraform 1.8+).
        move_resource_state: true,
    }
}

/// Decodes a DynamicValue or returns early from the RPC with the diagnostic in `$fail`.
macro_rules! decode_or {
    ($v:expr, $what:literal, |$d:ident| $fail:expr) => {
        match dynamic_in($v) {
            Ok(v) => v,
            Err(e) => {
                let $d = diagnostics(codec_diagnostic($what, e));
                return ok($fail);
            }
        }
    };
}

impl ProviderService {
    fn unsupported(&self, what: &str) -> Vec<pb::Diagnostic> {
        diagnostics(
            Diagnostic::error(
                format!("{what} are not supported"),
                format!(
                    "The alicloudvpc provider has no {what}. It offers the resources {} and the data sources {}.",
                    self.provider.resource_types().join(", "),
                    self.provider.data_source_types().join(", ")
                ),
            )
            .into(),
        )
    }
}

#[tonic::async_trait]
impl ProviderRpc for ProviderService {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Rpc<pb::get_metadata::Response> {
        ok(pb::get_metadata::Response {
            server_capabilities: Some(capabilities()),
            diagnostics: vec![],
            data_sources: self
                .provider
                .data_source_types()
                .into_iter()
                .map(|t| pb::get_metadata::DataSourceMetadata {
                    type_name: t.to_string(),
                })
                .collect(),
            resources: self
                .provider
                .resource_types()
                .into_iter()
                .map(|t| pb::get_metadata::ResourceMetadata {
                    type_name: t.to_string(),
                })
                .collect(),
            functions: vec![],
            ephemeral_resources: vec![],
        })
    }

    async fn get_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Rpc<pb::get_provider_schema::Response> {
        let s = self.provider.schemas();
        ok(pb::get_provider_schema::Response {
            provider: Some(schema(&s.provider)),
            resource_schemas: s
                .resources
                .iter()
                .map(|(n, sc)| (n.to_string(), schema(sc)))
                .collect(),
            data_source_schemas: s
                .data_sources
                .iter()
                .map(|(n, sc)| (n.to_string(), schema(sc)))
                .collect(),
            functions: Default::default(),
            ephemeral_resource_schemas: Default::default(),
            diagnostics: vec![],
            provider_meta: None,
            server_capabilities: Some(capabilities()),
        })
    }

    async fn prepare_provider_config(
        &self,
        req: Request<pb::prepare_provider_config::Request>,
    ) -> Rpc<pb::prepare_provider_config::Response> {
        let r = req.into_inner();
        let config = decode_or!(r.config, "provider configuration", |d| {
            pb::prepare_provider_config::Response {
                prepared_config: None,
                diagnostics: d,
            }
        });
        let diags = self.provider.validate_provider_config(&config);
        ok(pb::prepare_provider_config::Response {
            prepared_config: Some(dynamic_out(&config)),
            diagnostics: diagnostics(diags),
        })
    }

    async fn validate_resource_type_config(
        &self,
        req: Request<pb::validate_resource_type_config::Request>,
    ) -> Rpc<pb::validate_resource_type_config::Response> {
        let r = req.into_inner();
        let config = decode_or!(r.config, "resource configuration", |d| {
            pb::validate_resource_type_config::Response { diagnostics: d }
        });
        ok(pb::validate_resource_type_config::Response {
            diagnostics: diagnostics(
                self.provider
                    .validate_resource_config(&r.type_name, &config),
            ),
        })
    }

    async fn validate_data_source_config(
        &self,
        req: Request<pb::validate_data_source_config::Request>,
    ) -> Rpc<pb::validate_data_source_config::Response> {
        let r = req.into_inner();
        let config = decode_or!(r.config, "data source configuration", |d| {
            pb::validate_data_source_config::Response { diagnostics: d }
        });
        ok(pb::validate_data_source_config::Response {
            diagnostics: diagnostics(
                self.provider
                    .validate_data_source_config(&r.type_name, &config),
            ),
        })
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Rpc<pb::upgrade_resource_state::Response> {
        let r = req.into_inner();
        let raw = r.raw_state.unwrap_or_default();
        let raw = if !raw.json.is_empty() {
            match super::dynamic::from_json(&raw.json) {
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
        let (state, diags) = self
            .provider
            .upgrade_resource_state(&r.type_name, r.version, raw);
        ok(pb::upgrade_resource_state::Response {
            upgraded_state: state.as_ref().map(dynamic_out),
            diagnostics: diagnostics(diags),
        })
    }

    async fn configure(
        &self,
        req: Request<pb::configure::Request>,
    ) -> Rpc<pb::configure::Response> {
        let r = req.into_inner();
        let config = decode_or!(r.config, "provider configuration", |d| {
            pb::configure::Response { diagnostics: d }
        });
        let diags = self.provider.configure(&config, &r.terraform_version).await;
        ok(pb::configure::Response {
            diagnostics: diagnostics(diags),
        })
    }

    async fn read_resource(
        &self,
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
        let out = self
            .provider
            .read_resource(&r.type_name, current, r.private)
            .await;
        ok(pb::read_resource::Response {
            new_state: Some(dynamic_out(&out.new_state)),
            diagnostics: diagnostics(out.diagnostics),
            private: out.private,
            deferred: None,
        })
    }

    async fn plan_resource_change(
        &self,
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
        let out = self
            .provider
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
                .map(super::convert::attr_path)
                .collect(),
            planned_private: out.planned_private,
            diagnostics: diagnostics(out.diagnostics),
            legacy_type_system: false,
            deferred: None,
        })
    }

    async fn apply_resource_change(
        &self,
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
        let out = self
            .provider
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

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Rpc<pb::import_resource_state::Response> {
        let r = req.into_inner();
        let out = self
            .provider
            .import_resource_state(&r.type_name, &r.id)
            .await;
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

    async fn move_resource_state(
        &self,
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
            match super::dynamic::from_json(&json) {
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
        match self
            .provider
            .move_resource_state(&r.target_type_name, &source)
        {
            Ok(state) => ok(pb::move_resource_state::Response {
                target_state: Some(dynamic_out(&state)),
                diagnostics: vec![],
                target_private: vec![],
            }),
            Err(d) => ok(fail(diagnostics(d))),
        }
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Rpc<pb::read_data_source::Response> {
        let r = req.into_inner();
        let config = decode_or!(r.config, "data source configuration", |d| {
            pb::read_data_source::Response {
                state: None,
                diagnostics: d,
                deferred: None,
            }
        });
        let (state, diags) = self.provider.read_data_source(&r.type_name, config).await;
        ok(pb::read_data_source::Response {
            state: Some(dynamic_out(&state)),
            diagnostics: diagnostics(diags),
            deferred: None,
        })
    }

    async fn validate_ephemeral_resource_config(
        &self,
        _: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Rpc<pb::validate_ephemeral_resource_config::Response> {
        ok(pb::validate_ephemeral_resource_config::Response {
            diagnostics: self.unsupported("ephemeral resources"),
        })
    }

    async fn open_ephemeral_resource(
        &self,
        _: Request<pb::open_ephemeral_resource::Request>,
    ) -> Rpc<pb::open_ephemeral_resource::Response> {
        ok(pb::open_ephemeral_resource::Response {
            diagnostics: self.unsupported("ephemeral resources"),
            renew_at: None,
            result: None,
            private: None,
            deferred: None,
        })
    }

    async fn renew_ephemeral_resource(
        &self,
        _: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Rpc<pb::renew_ephemeral_resource::Response> {
        ok(pb::renew_ephemeral_resource::Response {
            diagnostics: self.unsupported("ephemeral resources"),
            renew_at: None,
            private: None,
        })
    }

    async fn close_ephemeral_resource(
        &self,
        _: Request<pb::close_ephemeral_resource::Request>,
    ) -> Rpc<pb::close_ephemeral_resource::Response> {
        ok(pb::close_ephemeral_resource::Response {
            diagnostics: self.unsupported("ephemeral resources"),
        })
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Rpc<pb::get_functions::Response> {
        ok(pb::get_functions::Response {
            functions: Default::default(),
            diagnostics: vec![],
        })
    }

    async fn call_function(
        &self,
        req: Request<pb::call_function::Request>,
    ) -> Rpc<pb::call_function::Response> {
        ok(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!(
                    "the alicloudvpc provider has no function named {:?}",
                    req.into_inner().name
                ),
                function_argument: None,
            }),
        })
    }

    async fn stop(&self, _: Request<pb::stop::Request>) -> Rpc<pb::stop::Response> {
        self.provider.stop();
        ok(pb::stop::Response {
            error: String::new(),
        })
    }
}
