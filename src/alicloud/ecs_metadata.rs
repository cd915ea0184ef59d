//! Credentials of an ECS instance's RAM role, from the instance metadata service.

use serde::Deserialize;

use super::client::{CallOptions, Client};
use super::credentials::TemporaryCredentials;
use super::endpoint::Endpoint;
use super::error::{ApiError, Error, decode_error_body};
use super::rpc::{decode_success, transport_error};
use super::sign::percent_encode;
use super::sts::WireCredentials;

/// The metadata service's fixed address; HTTP only.
const ECS_METADATA_DEFAULT: &str = "http://100.100.100.200";
const ACTION: &str = "EcsRamRoleCredentials";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireEcsCredentials {
    #[serde(default)]
    code: String,
    #[serde(flatten)]
    credentials: Option<WireCredentials>,
}

impl Client {
    /// `GET {ecs_metadata_endpoint}/latest/meta-data/ram/security-credentials/<role_name>`.
    pub async fn ecs_role_credentials(
        &self,
        role_name: &str,
        opts: &CallOptions,
    ) -> Result<TemporaryCredentials, Error> {
        if role_name.trim().is_empty() {
            return Err(Error::Config("the ECS RAM role name is empty".into()));
        }
        let cfg = &self.inner.cfg;
        // A bare host override means the metadata service too, so HTTP, never the API protocol.
        let endpoint = Endpoint::resolve(
            cfg.ecs_metadata_endpoint.as_deref(),
            ECS_METADATA_DEFAULT,
            super::config::Protocol::Http,
        )?;
        let mut url = endpoint.url().clone();
        url.set_path(&format!(
            "/latest/meta-data/ram/security-credentials/{}",
            percent_encode(role_name)
        ));
        self.with_retries(ACTION, "", opts, |attempt| {
            let url = url.clone();
            async move {
                log::debug!(action = ACTION, attempt = attempt; "fetching ECS role credentials");
                let response = self
                    .http()
                    .await?
                    .get(url)
                    .send()
                    .await
                    .map_err(transport_error)?;
                let status = response.status().as_u16();
                let body = response.bytes().await.map_err(transport_error)?;
                if !(200..300).contains(&status) {
                    return Err(decode_error_body(status, &body, None));
                }
                let wire: WireEcsCredentials = decode_success(status, &body, true)?;
                match wire.credentials {
                    Some(c) if wire.code == "Success" => c.into_temporary(status),
                    _ => Err(Error::Api(Box::new(ApiError {
                        http_status: status,
                        code: if wire.code.is_empty() {
                            "MissingCredentials".into()
                        } else {
                            wire.code
                        },
                        message: "the ECS metadata service returned no credentials".into(),
                        request_id: String::new(),
                        host_id: None,
                        recommend: None,
                        signature_check: None,
                    }))),
                }
            }
        })
        .await
    }
}
