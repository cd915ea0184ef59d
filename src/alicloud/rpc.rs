//! One attempt of an RPC-style call: fresh timestamp and nonce, signature V1 (everything in a
//! form body) or V3 (parameters in the query, headers signed), POST, and decoding.

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::client::{CallOptions, Client};
use super::config::SignVersion;
use super::credentials::Credentials;
use super::endpoint::Endpoint;
use super::error::{Error, decode_error_body, excerpt};
use super::sign;

/// An RPC call before signing.
pub(super) struct RpcCall<'a> {
    pub endpoint: Endpoint,
    pub action: &'a str,
    pub version: &'a str,
    /// Region for logs only; the request carries it in `RegionId` when the API wants it.
    pub region: &'a str,
    /// The operation's parameters, unencoded.
    pub params: Vec<(String, String)>,
    /// The response holds credentials: errors must not quote its body.
    pub sensitive_response: bool,
}

impl Client {
    /// Sends `call` with retries and decodes a 2xx JSON body into `T`.
    pub(super) async fn rpc<T: DeserializeOwned>(
        &self,
        creds: &Credentials,
        call: &RpcCall<'_>,
        opts: &CallOptions,
    ) -> Result<T, Error> {
        self.with_retries(call.action, call.region, opts, |n| {
            self.rpc_attempt(creds, call, n)
        })
        .await
    }

    async fn rpc_attempt<T: DeserializeOwned>(
        &self,
        creds: &Credentials,
        call: &RpcCall<'_>,
        attempt: u32,
    ) -> Result<T, Error> {
        let timestamp = timestamp_now();
        let nonce = new_nonce();
        let http = self.http().await?;
        let (request, string_to_sign) = match self.inner.cfg.sign_version {
            SignVersion::V1 => {
                let signed = sign::v1_sign_request(&sign::V1Input {
                    method: "POST",
                    action: call.action,
                    version: call.version,
                    params: &call.params,
                    access_key_id: &creds.access_key_id,
                    access_key_secret: creds.access_key_secret.expose(),
                    security_token: creds.token(),
                    timestamp: &timestamp,
                    nonce: &nonce,
                });
                // The canonicalized form is a valid form body: same encoding, any order accepted.
                let body = sign::canonicalized_query(&signed.params);
                let request = http
                    .post(call.endpoint.url().clone())
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(body);
                (request, signed.string_to_sign)
            }
            SignVersion::V3 => {
                let mut url = call.endpoint.url().clone();
                let query = sign::canonicalized_query(&call.params);
                url.set_query((!query.is_empty()).then_some(query.as_str()));
                let hashed_payload = sign::hex_sha256(b"");
                let mut headers = vec![
                    ("host".to_string(), call.endpoint.host().to_string()),
                    ("x-acs-action".to_string(), call.action.to_string()),
                    ("x-acs-version".to_string(), call.version.to_string()),
                    ("x-acs-date".to_string(), timestamp.clone()),
                    ("x-acs-signature-nonce".to_string(), nonce.clone()),
                    ("x-acs-content-sha256".to_string(), hashed_payload.clone()),
                ];
                if let Some(token) = creds.token() {
                    headers.push(("x-acs-security-token".to_string(), token.to_string()));
                }
                let signed = sign::v3_sign(
                    creds.access_key_secret.expose(),
                    &sign::V3Request {
                        method: "POST",
                        path: "/",
                        query: &call.params,
                        headers: &headers,
                        hashed_payload: &hashed_payload,
                    },
                );
                let mut request = http.post(url).header(
                    AUTHORIZATION,
                    sign::v3_authorization(&creds.access_key_id, &signed),
                );
                // reqwest derives `Host` from the URL, the same value the endpoint computed.
                for (name, value) in headers.iter().filter(|(n, _)| n != "host") {
                    request = request.header(name.as_str(), value.as_str());
                }
                (request, signed.string_to_sign)
            }
        };
        log::debug!(action = call.action, region = call.region, attempt = attempt; "sending request");
        let response = request.send().await.map_err(transport_error)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(transport_error)?;
        if !(200..300).contains(&status) {
            return Err(decode_error_body(status, &body, Some(&string_to_sign)));
        }
        log::debug!(
            action = call.action, region = call.region, attempt = attempt, http_status = status,
            request_id = request_id_of(&body).as_str(); "request succeeded"
        );
        decode_success(status, &body, call.sensitive_response)
    }
}

/// Maps a reqwest failure. Builder errors are configuration problems, not worth a retry; the
/// rest keep their cause (reqwest's own message only says "error sending request for url").
pub(super) fn transport_error(e: reqwest::Error) -> Error {
    if e.is_builder() {
        return Error::Config(e.to_string());
    }
    let timeout = e.is_timeout();
    let t = match std::error::Error::source(&e) {
        Some(source) => super::error::Transport::classify(source, timeout),
        None => super::error::Transport::classify(&e.without_url(), timeout),
    };
    log::debug!(kind = t.kind.as_str(), cause = t.cause.as_str(); "request failed below HTTP");
    Error::Transport(t)
}

/// Decodes a 2xx body. For responses that carry credentials, neither the body nor serde's
/// message (which may quote a value) goes into the error.
pub(super) fn decode_success<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
    sensitive: bool,
) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| {
        if sensitive {
            Error::Decode {
                status,
                reason: format!(
                    "unexpected response shape at line {} column {}",
                    e.line(),
                    e.column()
                ),
                excerpt: "(withheld: the response carries credentials)".into(),
            }
        } else {
            Error::Decode {
                status,
                reason: e.to_string(),
                excerpt: excerpt(body),
            }
        }
    })
}

fn request_id_of(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct Id {
        #[serde(rename = "RequestId", default)]
        request_id: String,
    }
    serde_json::from_slice::<Id>(body)
        .map(|i| i.request_id)
        .unwrap_or_default()
}

/// `YYYY-MM-DDThh:mm:ssZ` in UTC, the format both signature versions require.
pub(super) fn timestamp_now() -> String {
    format_timestamp(time::OffsetDateTime::now_utc())
}

pub(super) fn format_timestamp(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// 32 random hex characters; a new one for every attempt (the gateway rejects reuse).
pub(super) fn new_nonce() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_format() {
        let t = time::macros::datetime!(2016-02-23 12:46:24 +01:00);
        assert_eq!(format_timestamp(t), "2016-02-23T11:46:24Z");
    }

    #[test]
    fn nonces_are_fresh() {
        let a = new_nonce();
        assert_eq!(a.len(), 32);
        assert_ne!(a, new_nonce());
    }
}
