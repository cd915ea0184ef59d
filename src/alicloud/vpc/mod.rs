//! Typed calls of the VPC API (version 2016-04-28) behind the IP address pool feature, one file
//! per API area: activation ([`service`]), pools ([`pools`]), their CIDR blocks
//! ([`cidr_blocks`]), EIPs ([`eips`]), and tags and resource groups ([`tags`]).
//!
//! Every call takes the region apart from its request struct (it selects the endpoint too), and
//! every write call with an idempotence token takes the caller's `client_token`, which all
//! retries of that call send unchanged: the caller keeps one token per logical operation (one
//! Terraform create), so a retry after a lost answer cannot create a second pool. Requests are
//! `Serialize` structs flattened by one function (`alicloud::query`); answers are decoded
//! leniently (missing fields read as defaults, numbers may arrive as strings).

pub mod cidr_blocks;
pub mod eips;
pub mod pools;
pub mod service;
pub mod tags;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::client::{CallOptions, Client};
use super::credentials::Credentials;
use super::endpoint::Endpoint;
use super::error::Error;
use super::query::to_params;
use super::rpc::RpcCall;
use super::wire::lenient_string;

pub use cidr_blocks::{
    AddPublicIpAddressPoolCidrBlockRequest, AddPublicIpAddressPoolCidrBlockResponse,
    DeletePublicIpAddressPoolCidrBlockRequest, ListPublicIpAddressPoolCidrBlocksRequest,
    ListPublicIpAddressPoolCidrBlocksResponse, PublicIpPoolCidrBlock,
};
pub use eips::{
    AllocateEipAddressRequest, AllocateEipAddressResponse, DeletionProtectionRequest,
    DescribeEipAddressesRequest, DescribeEipAddressesResponse, EIP_RESOURCE_TYPE, EipAddress,
    ModifyEipAddressAttributeRequest, ReleaseEipAddressRequest,
};
pub use pools::{
    CreatePublicIpAddressPoolRequest, CreatePublicIpAddressPoolResponse,
    DeletePublicIpAddressPoolRequest, ListPublicIpAddressPoolsRequest,
    ListPublicIpAddressPoolsResponse, PublicIpAddressPool,
    UpdatePublicIpAddressPoolAttributeRequest,
};
pub use service::{OpenResponse, StatusResponse};
pub use tags::{
    ListTagResourcesRequest, ListTagResourcesResponse, MoveResourceGroupRequest,
    POOL_RESOURCE_TYPE, TagResource, TagResourcesRequest, UnTagResourcesRequest,
};

pub const VPC_VERSION: &str = "2016-04-28";

/// A tag as requests send it (`Tag.N.Key`, `Tag.N.Value`) and pools report it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    #[serde(default, deserialize_with = "lenient_string")]
    pub key: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub value: String,
}

impl Tag {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// The answer of a write call that returns nothing but its `RequestId`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Acknowledged {
    #[serde(default, deserialize_with = "lenient_string")]
    pub request_id: String,
}

impl Client {
    /// The call to `action` in `region` with `params`, plus `RegionId` and, when given and not
    /// empty, `ClientToken`.
    fn vpc_call<'a>(
        &self,
        action: &'a str,
        region: &'a str,
        client_token: Option<&str>,
        mut params: Vec<(String, String)>,
    ) -> Result<RpcCall<'a>, Error> {
        let cfg = &self.inner.cfg;
        params.push(("RegionId".to_string(), region.to_string()));
        if let Some(token) = client_token.filter(|t| !t.is_empty()) {
            params.push(("ClientToken".to_string(), token.to_string()));
        }
        Ok(RpcCall {
            endpoint: Endpoint::vpc(cfg.vpc_endpoint.as_deref(), region, cfg.protocol)?,
            action,
            version: VPC_VERSION,
            region,
            params,
            sensitive_response: false,
        })
    }

    /// Sends `request` as `action` through the retry loop every call shares (`Client::rpc`).
    async fn vpc_rpc<R: Serialize, T: DeserializeOwned>(
        &self,
        creds: &Credentials,
        action: &str,
        region: &str,
        client_token: Option<&str>,
        request: &R,
        opts: &CallOptions,
    ) -> Result<T, Error> {
        let call = self.vpc_call(action, region, client_token, to_params(request)?)?;
        self.rpc(creds, &call, opts).await
    }
}
