//! A scripted HTTP server on 127.0.0.1:0 that answers requests in order and records each one
//! with its operation parameters and whether its signature (V1 or V3) verifies.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use terraform_provider_alicloudvpc::alicloud::{
    CallOptions, Client, ClientConfig, Credentials, Error, Protocol, Secret, SignVersion, sign,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub const SECRET: &str = "pool-secret-never-logged";
pub const REGION: &str = "cn-hangzhou";

/// Parameters every signed request carries besides the operation's own.
const COMMON: [&str; 10] = [
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "Signature",
    "SecurityToken",
];

#[derive(Clone)]
pub enum Step {
    Respond(u16, String),
    /// Close the connection without answering.
    Drop,
}

#[derive(Clone, Debug)]
pub struct Seen {
    pub action: String,
    pub params: HashMap<String, String>,
    pub signature_ok: bool,
}

impl Seen {
    /// The operation's own parameters (no signing or common ones), sorted for comparison.
    pub fn op_params(&self) -> BTreeMap<String, String> {
        self.params
            .iter()
            .filter(|(k, _)| !COMMON.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

pub struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Answers with `script` in order; a request past its end gets a 500 that names the test bug.
    pub async fn start(script: Vec<Step>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let seen2 = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let (script, seen) = (script.clone(), seen2.clone());
                tokio::spawn(async move {
                    let Some(req) = read_request(&mut sock).await else {
                        return;
                    };
                    seen.lock().expect("seen").push(req);
                    let step = script.lock().expect("script").pop_front();
                    let (status, body) = match step {
                        Some(Step::Respond(status, body)) => (status, body),
                        Some(Step::Drop) => return,
                        None => (500, r#"{"Code":"TestScriptExhausted"}"#.to_string()),
                    };
                    let reply = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = sock.write_all(reply.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        Server { addr, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("seen").clone()
    }

    /// A client of this server signing with `version`, fast retries, no real waits.
    pub fn client(&self, version: SignVersion) -> Client {
        Client::new(ClientConfig {
            vpc_endpoint: Some(format!("http://{}", self.addr)),
            protocol: Protocol::Https,
            sign_version: version,
            connect_timeout: Duration::from_secs(1),
            read_timeout: Duration::from_secs(2),
            max_retries: 4,
            backoff_base: Duration::from_millis(2),
            backoff_max: Duration::from_millis(10),
            ..ClientConfig::default()
        })
        .expect("client")
    }
}

async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < header_end + len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[header_end..]).to_string();
    let query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    pairs.extend(form_urlencoded::parse(body.as_bytes()).into_owned());
    let signature_ok = verify(&method, &headers, &pairs, &body);
    let params: HashMap<String, String> = pairs.into_iter().collect();
    let action = headers
        .get("x-acs-action")
        .or_else(|| params.get("Action"))
        .cloned()
        .unwrap_or_default();
    Some(Seen {
        action,
        params,
        signature_ok,
    })
}

/// Recomputes the signature as the gateway would, with [`SECRET`].
fn verify(
    method: &str,
    headers: &HashMap<String, String>,
    pairs: &[(String, String)],
    body: &str,
) -> bool {
    if let Some(auth) = headers.get("authorization") {
        let signed_headers: Vec<(String, String)> = headers
            .iter()
            .filter(|(k, _)| *k == "host" || k.starts_with("x-acs-"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let signed = sign::v3_sign(
            SECRET,
            &sign::V3Request {
                method,
                path: "/",
                query: pairs,
                headers: &signed_headers,
                hashed_payload: &sign::hex_sha256(body.as_bytes()),
            },
        );
        auth.ends_with(&format!("Signature={}", signed.signature))
    } else if let Some((_, sig)) = pairs.iter().find(|(k, _)| k == "Signature") {
        let rest: Vec<_> = pairs
            .iter()
            .filter(|(k, _)| k != "Signature")
            .cloned()
            .collect();
        sign::v1_signature(SECRET, &sign::v1_string_to_sign(method, &rest)) == *sig
    } else {
        false
    }
}

pub fn creds() -> Credentials {
    Credentials {
        access_key_id: "pool-test-key".into(),
        access_key_secret: Secret::new(SECRET),
        security_token: None,
    }
}

pub fn opts() -> CallOptions {
    CallOptions::timeout(Duration::from_secs(10))
}

/// A 200 answer with `body`.
pub fn ok(body: serde_json::Value) -> Step {
    Step::Respond(200, body.to_string())
}

/// An answer of only a `RequestId`.
pub fn ack(request_id: &str) -> Step {
    ok(serde_json::json!({ "RequestId": request_id }))
}

/// An error answer in Alibaba's shape, `RequestId` `RID-<code>`.
pub fn api_error(status: u16, code: &str) -> Step {
    Step::Respond(
        status,
        serde_json::json!({"RequestId": format!("RID-{code}"), "HostId": "vpc.aliyuncs.com",
            "Code": code, "Message": format!("scripted {code}")})
        .to_string(),
    )
}

/// `pairs` as the sorted map [`Seen::op_params`] returns.
pub fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Asserts `err` is the API error `code` with the scripted request ID and HTTP status.
pub fn assert_api_error(err: &Error, status: u16, code: &str) {
    let api = err
        .api()
        .unwrap_or_else(|| panic!("expected API error {code}, got {err:?}"));
    assert_eq!(api.code, code, "{err}");
    assert_eq!(api.http_status, status, "{err}");
    assert_eq!(api.request_id, format!("RID-{code}"), "{err}");
    assert!(matches!(err, Error::Api(_)), "{err:?}");
}

/// Every request verified and was the operation `action`.
pub fn assert_all(seen: &[Seen], action: &str) {
    for s in seen {
        assert_eq!(s.action, action, "{s:?}");
        assert!(s.signature_ok, "signature verifies: {s:?}");
    }
}
