//! Calls of the `tfplugin5.Provider` service for what the provider does not offer: ephemeral
//! resources and functions.

use tonic::Request;

use super::super::convert::diagnostics;
use super::{Rpc, ok, pb};
use crate::provider::Provider;
use crate::tf::Diagnostic;

fn unsupported(provider: &Provider, what: &str) -> Vec<pb::Diagnostic> {
    diagnostics(
        Diagnostic::error(
            format!("{what} are not supported"),
            format!(
                "The alicloudvpc provider has no {what}. It offers the resources {} and the data sources {}.",
                provider.resource_types().join(", "),
                provider.data_source_types().join(", ")
            ),
        )
        .into(),
    )
}

pub(super) fn validate_ephemeral_resource_config(
    provider: &Provider,
    _: Request<pb::validate_ephemeral_resource_config::Request>,
) -> Rpc<pb::validate_ephemeral_resource_config::Response> {
    ok(pb::validate_ephemeral_resource_config::Response {
        diagnostics: unsupported(provider, "ephemeral resources"),
    })
}

pub(super) fn open_ephemeral_resource(
    provider: &Provider,
    _: Request<pb::open_ephemeral_resource::Request>,
) -> Rpc<pb::open_ephemeral_resource::Response> {
    ok(pb::open_ephemeral_resource::Response {
        diagnostics: unsupported(provider, "ephemeral resources"),
        renew_at: None,
        result: None,
        private: None,
        deferred: None,
    })
}

pub(super) fn renew_ephemeral_resource(
    provider: &Provider,
    _: Request<pb::renew_ephemeral_resource::Request>,
) -> Rpc<pb::renew_ephemeral_resource::Response> {
    ok(pb::renew_ephemeral_resource::Response {
        diagnostics: unsupported(provider, "ephemeral resources"),
        renew_at: None,
        private: None,
    })
}

pub(super) fn close_ephemeral_resource(
    provider: &Provider,
    _: Request<pb::close_ephemeral_resource::Request>,
) -> Rpc<pb::close_ephemeral_resource::Response> {
    ok(pb::close_ephemeral_resource::Response {
        diagnostics: unsupported(provider, "ephemeral resources"),
    })
}

pub(super) fn get_functions(
    _: Request<pb::get_functions::Request>,
) -> Rpc<pb::get_functions::Response> {
    ok(pb::get_functions::Response {
        functions: Default::default(),
        diagnostics: vec![],
    })
}

pub(super) fn call_function(
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
