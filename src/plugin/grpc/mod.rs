//! The `tfplugin5.Provider` service: every method converts the request in, calls the provider,
//! and converts the answer out. Problems travel as diagnostics, never as gRPC errors.
//!
//! The trait methods delegate to the sibling files, one per group of methods: provider-level
//! calls, resources, data sources, and what the provider does not offer.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::proto::tfplugin5 as pb;
use super::proto::tfplugin5::provider_server::Provider as ProviderRpc;
use crate::provider::Provider;

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

mod data_sources;
mod provider;
mod resources;
mod unsupported;

#[tonic::async_trait]
impl ProviderRpc for ProviderService {
    async fn get_metadata(
        &self,
        req: Request<pb::get_metadata::Request>,
    ) -> Rpc<pb::get_metadata::Response> {
        provider::get_metadata(&self.provider, req)
    }

    async fn get_schema(
        &self,
        req: Request<pb::get_provider_schema::Request>,
    ) -> Rpc<pb::get_provider_schema::Response> {
        provider::get_schema(&self.provider, req)
    }

    async fn prepare_provider_config(
        &self,
        req: Request<pb::prepare_provider_config::Request>,
    ) -> Rpc<pb::prepare_provider_config::Response> {
        provider::prepare_provider_config(&self.provider, req)
    }

    async fn validate_resource_type_config(
        &self,
        req: Request<pb::validate_resource_type_config::Request>,
    ) -> Rpc<pb::validate_resource_type_config::Response> {
        resources::validate_resource_type_config(&self.provider, req)
    }

    async fn validate_data_source_config(
        &self,
        req: Request<pb::validate_data_source_config::Request>,
    ) -> Rpc<pb::validate_data_source_config::Response> {
        data_sources::validate_data_source_config(&self.provider, req)
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Rpc<pb::upgrade_resource_state::Response> {
        resources::upgrade_resource_state(&self.provider, req)
    }

    async fn configure(
        &self,
        req: Request<pb::configure::Request>,
    ) -> Rpc<pb::configure::Response> {
        provider::configure(&self.provider, req).await
    }

    async fn read_resource(
        &self,
        req: Request<pb::read_resource::Request>,
    ) -> Rpc<pb::read_resource::Response> {
        resources::read_resource(&self.provider, req).await
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Rpc<pb::plan_resource_change::Response> {
        resources::plan_resource_change(&self.provider, req).await
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Rpc<pb::apply_resource_change::Response> {
        resources::apply_resource_change(&self.provider, req).await
    }

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Rpc<pb::import_resource_state::Response> {
        resources::import_resource_state(&self.provider, req).await
    }

    async fn move_resource_state(
        &self,
        req: Request<pb::move_resource_state::Request>,
    ) -> Rpc<pb::move_resource_state::Response> {
        resources::move_resource_state(&self.provider, req)
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Rpc<pb::read_data_source::Response> {
        data_sources::read_data_source(&self.provider, req).await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        req: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Rpc<pb::validate_ephemeral_resource_config::Response> {
        unsupported::validate_ephemeral_resource_config(&self.provider, req)
    }

    async fn open_ephemeral_resource(
        &self,
        req: Request<pb::open_ephemeral_resource::Request>,
    ) -> Rpc<pb::open_ephemeral_resource::Response> {
        unsupported::open_ephemeral_resource(&self.provider, req)
    }

    async fn renew_ephemeral_resource(
        &self,
        req: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Rpc<pb::renew_ephemeral_resource::Response> {
        unsupported::renew_ephemeral_resource(&self.provider, req)
    }

    async fn close_ephemeral_resource(
        &self,
        req: Request<pb::close_ephemeral_resource::Request>,
    ) -> Rpc<pb::close_ephemeral_resource::Response> {
        unsupported::close_ephemeral_resource(&self.provider, req)
    }

    async fn get_functions(
        &self,
        req: Request<pb::get_functions::Request>,
    ) -> Rpc<pb::get_functions::Response> {
        unsupported::get_functions(req)
    }

    async fn call_function(
        &self,
        req: Request<pb::call_function::Request>,
    ) -> Rpc<pb::call_function::Response> {
        unsupported::call_function(req)
    }

    async fn stop(&self, req: Request<pb::stop::Request>) -> Rpc<pb::stop::Response> {
        provider::stop(&self.provider, req)
    }
}
