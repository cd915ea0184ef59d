//! A small client-side signer for the tests, built on the crate's own `alicloud::sign` so that
//! the emulator is checked against the same signing rules the provider uses.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use terraform_provider_alicloudvpc::alicloud::sign;
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    V1Query,
    V1Form,
    /// V3 with the operation's parameters in the query, as the official SDKs send them.
    V3,
    /// V3 with the operation's parameters in a form body (covered by the body hash).
    V3Form,
}

pub const ALL_MODES: [Mode; 3] = [Mode::V1Query, Mode::V1Form, Mode::V3];

/// Every way parameters can arrive, for the operations that take many.
pub const PARAM_MODES: [Mode; 4] = [Mode::V1Query, Mode::V1Form, Mode::V3, Mode::V3Form];

#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub url: String,
    pub access_key_id: String,
    pub secret: String,
    pub token: Option<String>,
}

/// One API call; the knobs let tests break one thing at a time.
#[derive(Clone)]
pub struct Call {
    pub action: String,
    pub version: String,
    pub params: Vec<(String, String)>,
    pub mode: Mode,
    pub timestamp: Option<String>,
    pub nonce: Option<String>,
    /// Applied after signing: (name, new value) of a parameter to change.
    pub tamper: Option<(String, String)>,
    /// V1 form only: parameters sent in the query string as well as the body, as the legacy
    /// Python SDK does with `RegionId`. Signed once, with the body's value, as the official
    /// signers merge them.
    pub also_in_query: Vec<(String, String)>,
}

pub fn now_timestamp(offset: time::Duration) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    (OffsetDateTime::now_utc() + offset)
        .format(f)
        .expect("format timestamp")
}

pub fn nonce() -> String {
    use rand::Rng;
    hex::encode(rand::rng().random::<[u8; 16]>())
}

impl Call {
    pub fn new(mode: Mode, action: &str, version: &str, params: &[(&str, &str)]) -> Self {
        Call {
            action: action.to_string(),
            version: version.to_string(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            mode,
            timestamp: None,
            nonce: None,
            tamper: None,
            also_in_query: Vec::new(),
        }
    }

    pub fn vpc(mode: Mode, action: &str, region: &str) -> Self {
        Self::new(mode, action, "2016-04-28", &[("RegionId", region)])
    }

    pub fn status(mode: Mode, region: &str) -> Self {
        Self::vpc(mode, "GetPublicIpAddressPoolServiceStatus", region)
    }

    pub fn open(mode: Mode, region: &str) -> Self {
        Self::vpc(mode, "OpenPublicIpAddressPoolService", region)
    }

    pub fn param(mut self, k: &str, v: &str) -> Self {
        self.params.push((k.to_string(), v.to_string()));
        self
    }
}

fn encode_pairs(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", sign::percent_encode(k), sign::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn tamper(pairs: &mut [(String, String)], t: &Option<(String, String)>) {
    if let Some((name, value)) = t {
        for (k, v) in pairs.iter_mut() {
            if k == name {
                *v = value.clone();
            }
        }
    }
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    /// HTTP status and Alibaba error code together, for one-line assertions.
    pub fn status_code(&self) -> (u16, &str) {
        (self.status, self.code())
    }
    pub fn code(&self) -> &str {
        self.body["Code"].as_str().unwrap_or_default()
    }
    pub fn message(&self) -> &str {
        self.body["Message"].as_str().unwrap_or_default()
    }
}

impl Client {
    pub fn new(url: &str, ak: &str, secret: &str) -> Self {
        Client {
            http: reqwest::Client::new(),
            url: url.to_string(),
            access_key_id: ak.to_string(),
            secret: secret.to_string(),
            token: None,
        }
    }

    pub fn demo(url: &str) -> Self {
        Self::new(url, "emulator-access-key", "emulator-secret-key")
    }

    pub fn with_token(mut self, token: Option<&str>) -> Self {
        self.token = token.map(str::to_string);
        self
    }

    pub async fn send(&self, call: &Call) -> Result<Reply, reqwest::Error> {
        let timestamp = call
            .timestamp
            .clone()
            .unwrap_or_else(|| now_timestamp(time::Duration::ZERO));
        let nonce = call.nonce.clone().unwrap_or_else(nonce);
        let resp = match call.mode {
            Mode::V1Query | Mode::V1Form => {
                let method = if call.mode == Mode::V1Query {
                    "GET"
                } else {
                    "POST"
                };
                let mut params: Vec<(String, String)> = vec![
                    ("Action".into(), call.action.clone()),
                    ("Version".into(), call.version.clone()),
                    ("Format".into(), "JSON".into()),
                    ("AccessKeyId".into(), self.access_key_id.clone()),
                    ("SignatureMethod".into(), "HMAC-SHA1".into()),
                    ("SignatureVersion".into(), "1.0".into()),
                    ("SignatureNonce".into(), nonce),
                    ("Timestamp".into(), timestamp),
                ];
                if let Some(t) = &self.token {
                    params.push(("SecurityToken".into(), t.clone()));
                }
                params.extend(call.params.iter().cloned());
                let sts = sign::v1_string_to_sign_split(method, &call.also_in_query, &params);
                params.push(("Signature".into(), sign::v1_signature(&self.secret, &sts)));
                tamper(&mut params, &call.tamper);
                let encoded = encode_pairs(&params);
                if method == "GET" {
                    self.http
                        .get(format!("{}/?{encoded}", self.url))
                        .send()
                        .await?
                } else {
                    let query = encode_pairs(&call.also_in_query);
                    self.http
                        .post(format!("{}/?{query}", self.url))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(encoded)
                        .send()
                        .await?
                }
            }
            Mode::V3 | Mode::V3Form => {
                let host = self.url.trim_start_matches("http://").to_string();
                let (mut query, form) = if call.mode == Mode::V3Form {
                    (Vec::new(), encode_pairs(&call.params))
                } else {
                    (call.params.clone(), String::new())
                };
                let body_hash = sign::hex_sha256(form.as_bytes());
                let mut headers: Vec<(String, String)> = vec![
                    ("host".into(), host),
                    ("x-acs-action".into(), call.action.clone()),
                    ("x-acs-version".into(), call.version.clone()),
                    ("x-acs-date".into(), timestamp),
                    ("x-acs-signature-nonce".into(), nonce),
                    ("x-acs-content-sha256".into(), body_hash.clone()),
                ];
                if let Some(t) = &self.token {
                    headers.push(("x-acs-security-token".into(), t.clone()));
                }
                if !form.is_empty() {
                    headers.push((
                        "content-type".into(),
                        "application/x-www-form-urlencoded".into(),
                    ));
                }
                let signed = sign::v3_sign(
                    &self.secret,
                    &sign::V3Request {
                        method: "POST",
                        path: "/",
                        query: &query,
                        headers: &headers,
                        hashed_payload: &body_hash,
                    },
                );
                tamper(&mut query, &call.tamper);
                let form = if form.is_empty() {
                    form
                } else {
                    // The body as sent, tampered after its hash was signed.
                    let mut params = call.params.clone();
                    tamper(&mut params, &call.tamper);
                    encode_pairs(&params)
                };
                let mut map = HeaderMap::new();
                for (k, v) in headers.iter().filter(|(k, _)| k != "host") {
                    map.insert(
                        HeaderName::from_bytes(k.as_bytes()).expect("header name"),
                        HeaderValue::from_str(v).expect("header value"),
                    );
                }
                map.insert(
                    "authorization",
                    HeaderValue::from_str(&sign::v3_authorization(&self.access_key_id, &signed))
                        .expect("authorization"),
                );
                self.http
                    .post(format!("{}/?{}", self.url, encode_pairs(&query)))
                    .headers(map)
                    .body(form)
                    .send()
                    .await?
            }
        };
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Reply { status, body })
    }

    pub async fn call(&self, call: &Call) -> Reply {
        self.send(call).await.expect("request failed")
    }
}

/// Unsigned control API helper.
pub async fn control(url: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let http = reqwest::Client::new();
    let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = http.request(m, format!("{url}{path}"));
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let resp = req.send().await.expect("control request");
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.expect("control body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}
