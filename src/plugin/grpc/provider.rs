//! Provider-level calls of the `tfplugin5.Provider` service: metadata, schemas, the provider
//! configuration, and stop.

use tonic::Request;

use super::super::convert::{codec_diagnostic, diagnostics, dynamic_in, dynamic_out, schema};
use super::{Rpc, ok, pb};
use crate::provider::Provider;

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        // Destroy plans reach the provider, so warnings about a destroy show before approval.
        plan_destroy: true,
        get_provider_schema_optional: true,
        // `moved` blocks from the official provider's types (Terraform 1.8+).
        move_resource_state: true,
    }
}

pub(super) fn get_metadata(
    provider: &Provider,
    _: Request<pb::get_metadata::Request>,
) -> Rpc<pb::get_metadata::Response> {
    ok(pb::get_metadata::Response {
        server_capabilities: Some(capabilities()),
        diagnostics: vec![],
        data_sources: provider
            .data_source_types()
            .into_iter()
            .map(|t| pb::get_metadata::DataSourceMetadata {
                type_name: t.to_string(),
            })
            .collect(),
        resources: provider
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

pub(super) fn get_schema(
    provider: &Provider,
    _: Request<pb::get_provider_schema::Request>,
) -> Rpc<pb::get_provider_schema::Response> {
    let s = provider.schemas();
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

pub(super) fn prepare_provider_config(
    provider: &Provider,
    req: Request<pb::prepare_provider_config::Request>,
) -> Rpc<pb::prepare_provider_config::Response> {
    let r = req.into_inner();
    let config = decode_or!(r.config, "provider configuration", |d| {
        pb::prepare_provider_config::Response {
            prepared_config: None,
            diagnostics: d,
        }
    });
    let diags = provider.validate_provider_config(&config);
    ok(pb::prepare_provider_config::Response {
        prepared_config: Some(dynamic_out(&config)),
        diagnostics: diagnostics(diags),
    })
}

pub(super) async fn configure(
    provider: &Provider,
    req: Request<pb::configure::Request>,
) -> Rpc<pb::configure::Response> {
    let r = req.into_inner();
    let config = decode_or!(r.config, "provider configuration", |d| {
        pb::configure::Response { diagnostics: d }
    });
    let diags = provider.configure(&config, &r.terraform_version).await;
    ok(pb::configure::Response {
        diagnostics: diagnostics(diags),
    })
}

pub(super) fn stop(provider: &Provider, _: Request<pb::stop::Request>) -> Rpc<pb::stop::Response> {
    provider.stop();
    ok(pb::stop::Response {
        error: String::new(),
    })
}
