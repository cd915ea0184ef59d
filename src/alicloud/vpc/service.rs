//! Activation of the IP address pool feature: its status and the call that opens it.

use serde::Deserialize;

use crate::alicloud::client::{CallOptions, Client};
use crate::alicloud::credentials::Credentials;
use crate::alicloud::error::Error;
use crate::alicloud::wire::{StringOrNumber, bool_or_string};

/// Answer of `GetPublicIpAddressPoolServiceStatus`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StatusResponse {
    #[serde(default)]
    pub request_id: String,
    #[serde(deserialize_with = "bool_or_string")]
    pub enabled: bool,
}

/// Answer of `OpenPublicIpAddressPoolService`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OpenResponse {
    #[serde(default)]
    pub request_id: String,
    /// e.g. `"200"`; Alibaba sometimes sends it as a number.
    #[serde(default, deserialize_with = "code_string")]
    pub code: String,
    #[serde(default)]
    pub message: String,
}

fn code_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Option::<StringOrNumber>::deserialize(d).map(|c| c.map(|c| c.0).unwrap_or_default())
}

impl Client {
    /// `GetPublicIpAddressPoolServiceStatus` in `region`.
    pub async fn get_public_ip_address_pool_service_status(
        &self,
        creds: &Credentials,
        region: &str,
        opts: &CallOptions,
    ) -> Result<StatusResponse, Error> {
        let call = self.vpc_call("GetPublicIpAddressPoolServiceStatus", region, None, vec![])?;
        self.rpc(creds, &call, opts).await
    }

    /// `OpenPublicIpAddressPoolService` in `region`. `client_token` makes retries idempotent:
    /// every attempt of this call sends the same one (pass one token per logical create).
    pub async fn open_public_ip_address_pool_service(
        &self,
        creds: &Credentials,
        region: &str,
        client_token: &str,
        opts: &CallOptions,
    ) -> Result<OpenResponse, Error> {
        let call = self.vpc_call(
            "OpenPublicIpAddressPoolService",
            region,
            Some(client_token),
            vec![],
        )?;
        self.rpc(creds, &call, opts).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_code_as_string_or_number() {
        let r: OpenResponse =
            serde_json::from_str(r#"{"RequestId":"a","Code":200,"Message":"successful"}"#)
                .expect("number");
        assert_eq!(r.code, "200");
        let r: OpenResponse =
            serde_json::from_str(r#"{"RequestId":"a","Code":"200","Message":"successful"}"#)
                .expect("string");
        assert_eq!(r.code, "200");
        let r: OpenResponse = serde_json::from_str(r#"{"RequestId":"a"}"#).expect("absent");
        assert_eq!(r.code, "");
    }

    #[test]
    fn status_decodes() {
        let r: StatusResponse =
            serde_json::from_str(r#"{"RequestId":"b","Enabled":true}"#).expect("status");
        assert!(r.enabled);
        assert_eq!(r.request_id, "b");
    }
}
