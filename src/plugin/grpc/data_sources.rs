//! Data source calls of the `tfplugin5.Provider` service: validation and read.

use tonic::Request;

use super::super::convert::{codec_diagnostic, diagnostics, dynamic_in, dynamic_out};
use super::{Rpc, ok, pb};
use crate::provider::Provider;

pub(super) fn validate_data_source_config(
    provider: &Provider,
    req: Request<pb::validate_data_source_config::Request>,
) -> Rpc<pb::validate_data_source_config::Response> {
    let r = req.into_inner();
    let config = decode_or!(r.config, "data source configuration", |d| {
        pb::validate_data_source_config::Response { diagnostics: d }
    });
    ok(pb::validate_data_source_config::Response {
        diagnostics: diagnostics(provider.validate_data_source_config(&r.type_name, &config)),
    })
}

pub(super) async fn read_data_source(
    provider: &Provider,
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
    let (state, diags) = provider.read_data_source(&r.type_name, config).await;
    ok(pb::read_data_source::Response {
        state: Some(dynamic_out(&state)),
        diagnostics: diagnostics(diags),
        deferred: None,
    })
}
