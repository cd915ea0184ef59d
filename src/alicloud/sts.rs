//! STS (API version 2015-04-01): `AssumeRole` and `GetCallerIdentity`.

use serde::Deserialize;

use super::client::{CallOptions, Client};
use super::credentials::{Credentials, Secret, TemporaryCredentials};
use super::endpoint::Endpoint;
use super::error::Error;
use super::rpc::RpcCall;

pub const STS_VERSION: &str = "2015-04-01";
const STS_HOST: &str = "sts.aliyuncs.com";
/// STS is global; logs show this in place of a region.
const STS_REGION: &str = "global";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssumeRoleRequest {
    pub role_arn: String,
    pub role_session_name: String,
    /// 900..=43200; `None` lets STS apply its default (3600).
    pub duration_seconds: Option<u32>,
    pub policy: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumeRoleResponse {
    pub request_id: String,
    pub credentials: TemporaryCredentials,
    pub assumed_role_user: AssumedRoleUser,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssumedRoleUser {
    #[serde(default)]
    pub arn: String,
    #[serde(default)]
    pub assumed_role_id: String,
}

/// Answer of `GetCallerIdentity`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallerIdentity {
    #[serde(default)]
    pub request_id: String,
    #[serde(default)]
    pub account_id: String,
    #[serde(default)]
    pub arn: String,
    #[serde(default)]
    pub user_id: String,
    /// `Account`, `RAMUser` or `AssumedRoleUser`.
    #[serde(default)]
    pub identity_type: String,
    #[serde(default)]
    pub principal_id: String,
    #[serde(default)]
    pub role_id: String,
}

/// Credentials as STS and the ECS metadata service spell them.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct WireCredentials {
    pub access_key_id: String,
    pub access_key_secret: Secret,
    pub security_token: Secret,
    pub expiration: String,
}

impl WireCredentials {
    pub(super) fn into_temporary(self, status: u16) -> Result<TemporaryCredentials, Error> {
        let expiration = time::OffsetDateTime::parse(
            &self.expiration,
            &time::format_description::well_known::Rfc3339,
        )
        .map_err(|e| Error::Decode {
            status,
            reason: format!("Expiration is not an RFC 3339 time: {e}"),
            excerpt: self.expiration.chars().take(40).collect(),
        })?;
        Ok(TemporaryCredentials {
            credentials: Credentials {
                access_key_id: self.access_key_id,
                access_key_secret: self.access_key_secret,
                security_token: Some(self.security_token),
            },
            expiration,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAssumeRole {
    #[serde(default)]
    request_id: String,
    credentials: WireCredentials,
    #[serde(default)]
    assumed_role_user: AssumedRoleUser,
}

impl Client {
    fn sts_call<'a>(
        &self,
        action: &'a str,
        params: Vec<(String, String)>,
        sensitive: bool,
    ) -> Result<RpcCall<'a>, Error> {
        let cfg = &self.inner.cfg;
        Ok(RpcCall {
            endpoint: Endpoint::resolve(cfg.sts_endpoint.as_deref(), STS_HOST, cfg.protocol)?,
            action,
            version: STS_VERSION,
            region: STS_REGION,
            params,
            sensitive_response: sensitive,
        })
    }

    /// STS `AssumeRole` with `creds` (which may themselves be STS credentials).
    pub async fn assume_role(
        &self,
        creds: &Credentials,
        req: &AssumeRoleRequest,
        opts: &CallOptions,
    ) -> Result<AssumeRoleResponse, Error> {
        let mut params = vec![
            ("RoleArn".to_string(), req.role_arn.clone()),
            ("RoleSessionName".to_string(), req.role_session_name.clone()),
        ];
        if let Some(d) = req.duration_seconds {
            params.push(("DurationSeconds".to_string(), d.to_string()));
        }
        for (name, value) in [("Policy", &req.policy), ("ExternalId", &req.external_id)] {
            if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
                params.push((name.to_string(), v.clone()));
            }
        }
        let call = self.sts_call("AssumeRole", params, true)?;
        let wire: WireAssumeRole = self.rpc(creds, &call, opts).await?;
        Ok(AssumeRoleResponse {
            request_id: wire.request_id,
            credentials: wire.credentials.into_temporary(200)?,
            assumed_role_user: wire.assumed_role_user,
        })
    }

    /// STS `GetCallerIdentity`: whose credentials these are (also a cheap credentials check).
    pub async fn get_caller_identity(
        &self,
        creds: &Credentials,
        opts: &CallOptions,
    ) -> Result<CallerIdentity, Error> {
        let call = self.sts_call("GetCallerIdentity", Vec::new(), false)?;
        self.rpc(creds, &call, opts).await
    }
}
