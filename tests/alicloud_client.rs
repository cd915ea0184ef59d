//! The Alibaba client against a scripted HTTP server on 127.0.0.1:0: retries (same ClientToken,
//! fresh nonces), dropped connections, stalls, retry and deadline exhaustion, cancellation, V1
//! and V3 signing verified server-side, STS and ECS metadata decoding, and, over every record
//! logged at TRACE by these tests, no secret, token or signature.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use terraform_provider_alicloudvpc::alicloud::{
    AssumeRoleRequest, CallOptions, Client, ClientConfig, Credentials, Error, Protocol, Secret,
    SignVersion, sign,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::Instant;

const SECRET: &str = "SeCrEt-7f3a9c1e-never-log-me";
const TOKEN: &str = "ToKeN-b41d-never-log-me/+=";
const ISSUED_SECRET: &str = "IssuedSecret-0c9e-never-log-me";
const ISSUED_TOKEN: &str = "IssuedToken-77aa-never-log-me";

// ---------- log capture ----------

static RECORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// Signatures the server received, which must not be logged either.
static SIGNATURES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

struct Kv<'a>(&'a mut String);

impl<'kvs> log::kv::VisitSource<'kvs> for Kv<'_> {
    fn visit_pair(
        &mut self,
        key: log::kv::Key<'kvs>,
        value: log::kv::Value<'kvs>,
    ) -> Result<(), log::kv::Error> {
        self.0.push_str(&format!(" {key}={value}"));
        Ok(())
    }
}

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let mut line = format!("{} {} {}", record.level(), record.target(), record.args());
        let _ = record.key_values().visit(&mut Kv(&mut line));
        if let Ok(mut r) = RECORDS.lock() {
            r.push(line);
        }
    }
    fn flush(&self) {}
}

static CAPTURE: Capture = Capture;
static INIT: Once = Once::new();

fn init_logging() {
    INIT.call_once(|| {
        let _ = log::set_logger(&CAPTURE);
        log::set_max_level(log::LevelFilter::Trace);
    });
}

// ---------- scripted server ----------

#[derive(Clone)]
enum Step {
    Respond(u16, String),
    /// Close the connection without answering.
    Drop,
    /// Never answer (until the client gives up).
    Stall,
    /// Answer `SignatureDoesNotMatch` quoting the string to sign the server recomputed,
    /// optionally altered.
    SignatureMismatch {
        alter: bool,
    },
}

#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    params: HashMap<String, String>,
    body: String,
    /// What the server recomputed as string to sign (V1 or V3), if signed.
    string_to_sign: Option<String>,
    signature_ok: bool,
}

struct Server {
    addr: SocketAddr,
    script: Arc<Mutex<VecDeque<Step>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serves `script` in order, then `fallback` forever.
    async fn start(script: Vec<Step>, fallback: Step) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (s2, seen2) = (script.clone(), seen.clone());
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let (script, seen, fallback) = (s2.clone(), seen2.clone(), fallback.clone());
                tokio::spawn(async move {
                    let Some(req) = read_request(&mut sock).await else {
                        return;
                    };
                    let step = script
                        .lock()
                        .expect("script")
                        .pop_front()
                        .unwrap_or(fallback);
                    let sts = req.string_to_sign.clone();
                    seen.lock().expect("seen").push(req);
                    let (status, body) = match step {
                        Step::Drop => return,
                        Step::Stall => {
                            tokio::time::sleep(Duration::from_secs(30)).await;
                            return;
                        }
                        Step::Respond(status, body) => (status, body),
                        Step::SignatureMismatch { alter } => {
                            let mut sts = sts.unwrap_or_default();
                            if alter {
                                sts.push_str("%26X%3D1");
                            }
                            (400, serde_json::json!({
                                "RequestId": "RID-SIG", "HostId": "vpc.aliyuncs.com",
                                "Code": "SignatureDoesNotMatch",
                                "Message": format!("Specified signature is not matched with our calculation. server string to sign is:{sts}"),
                                "Recommend": "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch",
                            }).to_string())
                        }
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
        Server { addr, script, seen }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("seen").clone()
    }

    #[allow(dead_code)]
    fn push(&self, step: Step) {
        self.script.lock().expect("script").push_back(step);
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
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    if headers
        .get("content-type")
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
    {
        pairs.extend(form_urlencoded::parse(body.as_bytes()).into_owned());
    }
    let params: HashMap<String, String> = pairs.iter().cloned().collect();
    let (string_to_sign, signature_ok) = verify(&method, &headers, &pairs, &body);
    Some(Seen {
        method,
        path: path.to_string(),
        headers,
        params,
        body,
        string_to_sign,
        signature_ok,
    })
}

/// Recomputes the signature like the gateway, with the test secret.
fn verify(
    method: &str,
    headers: &HashMap<String, String>,
    pairs: &[(String, String)],
    body: &str,
) -> (Option<String>, bool) {
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
        SIGNATURES
            .lock()
            .expect("signatures")
            .push(signed.signature.clone());
        let ok = auth.ends_with(&format!("Signature={}", signed.signature))
            && headers.get("x-acs-content-sha256") == Some(&sign::hex_sha256(body.as_bytes()));
        (Some(signed.string_to_sign), ok)
    } else if let Some((_, sig)) = pairs.iter().find(|(k, _)| k == "Signature") {
        SIGNATURES.lock().expect("signatures").push(sig.clone());
        let rest: Vec<_> = pairs
            .iter()
            .filter(|(k, _)| k != "Signature")
            .cloned()
            .collect();
        let sts = sign::v1_string_to_sign(method, &rest);
        let ok = sign::v1_signature(SECRET, &sts) == *sig;
        (Some(sts), ok)
    } else {
        (None, false)
    }
}

// ---------- helpers ----------

fn creds(token: bool) -> Credentials {
    Credentials {
        access_key_id: "test-access-key".into(),
        access_key_secret: Secret::new(SECRET),
        security_token: token.then(|| Secret::new(TOKEN)),
    }
}

fn config(server: &Server) -> ClientConfig {
    ClientConfig {
        vpc_endpoint: Some(server.url()),
        sts_endpoint: Some(server.url()),
        ecs_metadata_endpoint: Some(server.url()),
        protocol: Protocol::Https,
        connect_timeout: Duration::from_secs(1),
        read_timeout: Duration::from_secs(2),
        max_retries: 3,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        ..ClientConfig::default()
    }
}

fn client(cfg: ClientConfig) -> Client {
    Client::new(cfg).expect("client")
}

fn opts(secs: u64) -> CallOptions {
    CallOptions::timeout(Duration::from_secs(secs))
}

fn api_error(status: u16, code: &str) -> Step {
    Step::Respond(
        status,
        serde_json::json!({"RequestId": format!("RID-{code}"), "HostId": "vpc.aliyuncs.com", "Code": code, "Message": "scripted"}).to_string(),
    )
}

fn open_ok() -> Step {
    Step::Respond(
        200,
        r#"{"RequestId":"RID-OK","Code":200,"Message":"successful"}"#.into(),
    )
}

fn status_ok(enabled: bool) -> Step {
    Step::Respond(
        200,
        format!(r#"{{"RequestId":"RID-ST","Enabled":{enabled}}}"#),
    )
}

// ---------- tests ----------

#[tokio::test]
async fn throttling_then_success_reuses_client_token_with_fresh_nonces() {
    init_logging();
    let server = Server::start(
        vec![
            api_error(400, "Throttling.User"),
            api_error(503, "ServiceUnavailable"),
            api_error(400, "OperationConflict"),
        ],
        open_ok(),
    )
    .await;
    let c = client(config(&server));
    let r = c
        .open_public_ip_address_pool_service(&creds(true), "cn-hangzhou", "tf-token-1", &opts(10))
        .await
        .expect("open succeeds after retries");
    assert_eq!((r.code.as_str(), r.message.as_str()), ("200", "successful"));
    assert_eq!(r.request_id, "RID-OK");
    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    let nonces: HashSet<_> = seen
        .iter()
        .map(|s| s.params["SignatureNonce"].clone())
        .collect();
    assert_eq!(nonces.len(), 4, "every attempt has its own nonce");
    for s in &seen {
        assert_eq!(s.method, "POST");
        assert_eq!(s.path, "/");
        assert!(s.signature_ok, "V1 signature verifies: {s:?}");
        assert_eq!(s.params["ClientToken"], "tf-token-1");
        assert_eq!(s.params["RegionId"], "cn-hangzhou");
        assert_eq!(s.params["Action"], "OpenPublicIpAddressPoolService");
        assert_eq!(s.params["Version"], "2016-04-28");
        assert_eq!(s.params["Format"], "JSON");
        assert_eq!(s.params["SecurityToken"], TOKEN);
        assert_eq!(s.params["SignatureNonce"].len(), 32);
        assert!(s.params["Timestamp"].ends_with('Z'));
        assert!(s.headers["content-type"].starts_with("application/x-www-form-urlencoded"));
    }
}

#[tokio::test]
async fn dropped_connection_then_success() {
    init_logging();
    let server = Server::start(vec![Step::Drop], status_ok(true)).await;
    let r = client(config(&server))
        .get_public_ip_address_pool_service_status(&creds(false), "cn-beijing", &opts(10))
        .await
        .expect("status after a dropped connection");
    assert!(r.enabled);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(!seen[1].params.contains_key("SecurityToken"));
    assert!(!seen[1].params.contains_key("ClientToken"));
}

#[tokio::test]
async fn stall_past_read_timeout_is_retried() {
    init_logging();
    let server = Server::start(vec![Step::Stall], status_ok(false)).await;
    let mut cfg = config(&server);
    cfg.read_timeout = Duration::from_millis(200);
    let r = client(cfg)
        .get_public_ip_address_pool_service_status(&creds(false), "cn-beijing", &opts(10))
        .await
        .expect("second attempt answers");
    assert!(!r.enabled);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn stall_without_retries_is_a_timeout() {
    init_logging();
    let server = Server::start(vec![], Step::Stall).await;
    let mut cfg = config(&server);
    cfg.read_timeout = Duration::from_millis(200);
    cfg.max_retries = 0;
    let started = Instant::now();
    let err = client(cfg)
        .get_public_ip_address_pool_service_status(&creds(false), "cn-beijing", &opts(10))
        .await
        .expect_err("times out");
    // max_retries = 0: one attempt, and the error says so.
    assert!(
        matches!(&err, Error::RetriesExhausted { attempts: 1, last, .. }
            if matches!(**last, Error::Timeout(t) if t == Duration::from_millis(200))),
        "{err:?}"
    );
    assert!(err.is_retryable() && err.outcome_unknown());
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn stall_past_the_deadline_is_deadline_exceeded() {
    init_logging();
    let server = Server::start(vec![], Step::Stall).await;
    let started = Instant::now();
    let err = client(config(&server))
        .get_public_ip_address_pool_service_status(
            &creds(false),
            "cn-beijing",
            &CallOptions::timeout(Duration::from_millis(300)),
        )
        .await
        .expect_err("deadline");
    let elapsed = started.elapsed();
    match &err {
        Error::DeadlineExceeded { attempts, last, .. } => {
            assert_eq!(*attempts, 1);
            assert!(
                matches!(last.as_deref(), Some(Error::Timeout(_))),
                "{last:?}"
            );
        }
        other => panic!("expected DeadlineExceeded, got {other:?}"),
    }
    assert!(
        elapsed >= Duration::from_millis(290) && elapsed < Duration::from_millis(600),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn max_retries_exhausted_returns_last_error() {
    init_logging();
    let server = Server::start(vec![], api_error(400, "Throttling.User")).await;
    let mut cfg = config(&server);
    cfg.max_retries = 2;
    let err = client(cfg)
        .open_public_ip_address_pool_service(&creds(false), "cn-hangzhou", "tok", &opts(10))
        .await
        .expect_err("throttled");
    let api = err.api().expect("api error");
    assert_eq!(api.code, "Throttling.User");
    assert_eq!(api.http_status, 400);
    assert_eq!(api.request_id, "RID-Throttling.User");
    assert_eq!(server.seen().len(), 3, "first attempt plus max_retries");
}

#[tokio::test]
async fn final_errors_are_not_retried() {
    init_logging();
    let server = Server::start(vec![], api_error(403, "Forbidden.RAM")).await;
    let err = client(config(&server))
        .open_public_ip_address_pool_service(&creds(false), "cn-hangzhou", "tok", &opts(10))
        .await
        .expect_err("forbidden");
    assert_eq!(err.api().map(|a| a.code.as_str()), Some("Forbidden.RAM"));
    assert!(!err.is_retryable());
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn html_5xx_page_is_a_retryable_decode_error() {
    init_logging();
    let html = "<html><head><title>502 Bad Gateway</title></head></html>".to_string();
    let server = Server::start(vec![], Step::Respond(502, html)).await;
    let mut cfg = config(&server);
    cfg.max_retries = 1;
    let err = client(cfg)
        .get_public_ip_address_pool_service_status(&creds(false), "cn-hangzhou", &opts(10))
        .await
        .expect_err("bad gateway");
    match &err {
        Error::RetriesExhausted {
            attempts: 2, last, ..
        } => match &**last {
            Error::Decode {
                status: 502,
                excerpt,
                ..
            } => assert!(excerpt.contains("502 Bad Gateway")),
            other => panic!("expected Decode, got {other:?}"),
        },
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn deadline_bounds_total_time_across_retries() {
    init_logging();
    let server = Server::start(vec![], api_error(503, "ServiceUnavailable")).await;
    let mut cfg = config(&server);
    cfg.max_retries = 1000;
    cfg.backoff_base = Duration::from_millis(20);
    cfg.backoff_max = Duration::from_millis(80);
    let deadline = Duration::from_millis(400);
    let started = Instant::now();
    let err = client(cfg)
        .get_public_ip_address_pool_service_status(
            &creds(false),
            "cn-hangzhou",
            &CallOptions::timeout(deadline),
        )
        .await
        .expect_err("deadline");
    let elapsed = started.elapsed();
    assert!(
        // A generous margin: CI shares two cores with builds, and a late wake-up is not the
        // retry loop overrunning its deadline (which would be at least one backoff, 20-80 ms,
        // plus a whole attempt).
        elapsed <= deadline + Duration::from_millis(250),
        "{elapsed:?}"
    );
    match &err {
        Error::DeadlineExceeded { attempts, last, .. } => {
            assert!(*attempts >= 2, "{attempts}");
            assert_eq!(
                last.as_ref().and_then(|e| e.api()).map(|a| a.code.as_str()),
                Some("ServiceUnavailable")
            );
            assert_eq!(*attempts as usize, server.seen().len());
        }
        other => panic!("expected DeadlineExceeded, got {other:?}"),
    }
    assert_eq!(
        err.api().map(|a| a.code.as_str()),
        Some("ServiceUnavailable")
    );
}

#[tokio::test]
async fn past_deadline_makes_no_request() {
    init_logging();
    let server = Server::start(vec![], status_ok(true)).await;
    let o = CallOptions::timeout(Duration::ZERO);
    let err = client(config(&server))
        .get_public_ip_address_pool_service_status(&creds(false), "cn-hangzhou", &o)
        .await
        .expect_err("no time");
    assert!(
        matches!(
            err,
            Error::DeadlineExceeded {
                attempts: 0,
                last: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn cancellation_mid_request() {
    init_logging();
    let server = Server::start(vec![], Step::Stall).await;
    let o = opts(30);
    let cancel = o.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        cancel.cancel();
    });
    let started = Instant::now();
    let err = client(config(&server))
        .open_public_ip_address_pool_service(&creds(false), "cn-hangzhou", "tok", &o)
        .await
        .expect_err("cancelled");
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn cancellation_during_backoff() {
    init_logging();
    let server = Server::start(vec![], api_error(400, "Throttling")).await;
    let mut cfg = config(&server);
    cfg.backoff_base = Duration::from_secs(20);
    cfg.backoff_max = Duration::from_secs(20);
    let o = opts(120);
    let cancel = o.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        cancel.cancel();
    });
    let started = Instant::now();
    let err = client(cfg)
        .open_public_ip_address_pool_service(&creds(false), "cn-hangzhou", "tok", &o)
        .await
        .expect_err("cancelled");
    // The first backoff may draw a short delay; in any case the call ends promptly.
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn v3_signing_with_security_token() {
    init_logging();
    let server = Server::start(vec![api_error(400, "Throttling.User")], open_ok()).await;
    let mut cfg = config(&server);
    cfg.sign_version = SignVersion::V3;
    let r = client(cfg)
        .open_public_ip_address_pool_service(&creds(true), "cn-shanghai", "tok v3/+", &opts(10))
        .await
        .expect("v3 open");
    assert_eq!(r.code, "200");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_ne!(
        seen[0].headers["x-acs-signature-nonce"],
        seen[1].headers["x-acs-signature-nonce"]
    );
    for s in &seen {
        assert!(s.signature_ok, "V3 signature verifies: {s:?}");
        assert_eq!(s.method, "POST");
        assert!(s.body.is_empty());
        assert_eq!(s.params["ClientToken"], "tok v3/+");
        assert_eq!(s.params["RegionId"], "cn-shanghai");
        assert_eq!(s.headers["x-acs-security-token"], TOKEN);
        assert_eq!(s.headers["x-acs-action"], "OpenPublicIpAddressPoolService");
        assert_eq!(s.headers["x-acs-version"], "2016-04-28");
        assert!(
            s.headers["authorization"]
                .starts_with("ACS3-HMAC-SHA256 Credential=test-access-key,SignedHeaders=")
        );
        assert!(s.headers["authorization"].contains("x-acs-security-token"));
    }
}

#[tokio::test]
async fn signature_mismatch_tells_wrong_secret_from_altered_request() {
    init_logging();
    for (version, alter, secret_wrong) in [
        (SignVersion::V1, false, true),
        (SignVersion::V1, true, false),
        (SignVersion::V3, false, true),
        (SignVersion::V3, true, false),
    ] {
        let server = Server::start(vec![], Step::SignatureMismatch { alter }).await;
        let mut cfg = config(&server);
        cfg.sign_version = version;
        let err = client(cfg)
            .get_public_ip_address_pool_service_status(&creds(true), "cn-hangzhou", &opts(10))
            .await
            .expect_err("signature error");
        let api = err.api().expect("api error");
        assert_eq!(api.code, "SignatureDoesNotMatch");
        assert_eq!(
            api.secret_is_wrong(),
            Some(secret_wrong),
            "{version:?} alter={alter}"
        );
        assert!(!api.message.contains(TOKEN) && !err.to_string().contains(TOKEN));
        assert_eq!(server.seen().len(), 1, "not retried");
    }
}

#[tokio::test]
async fn assume_role_and_caller_identity() {
    init_logging();
    let assumed = serde_json::json!({
        "RequestId": "RID-AR",
        "AssumedRoleUser": {"Arn": "acs:ram::123:role/tf/session", "AssumedRoleId": "3000:session"},
        "Credentials": {"AccessKeyId": "STS.issued", "AccessKeySecret": ISSUED_SECRET,
            "SecurityToken": ISSUED_TOKEN, "Expiration": "2030-01-02T03:04:05Z"}
    });
    let identity = serde_json::json!({"RequestId": "RID-CI", "AccountId": "1234567890123456",
        "Arn": "acs:ram::1234567890123456:user/tf", "UserId": "2000", "IdentityType": "RAMUser",
        "PrincipalId": "2000"});
    let server = Server::start(
        vec![
            api_error(500, "InternalError"),
            Step::Respond(200, assumed.to_string()),
            Step::Respond(200, identity.to_string()),
        ],
        Step::Drop,
    )
    .await;
    let c = client(config(&server));
    let req = AssumeRoleRequest {
        role_arn: "acs:ram::123:role/tf".into(),
        role_session_name: "terraform".into(),
        duration_seconds: Some(3600),
        policy: Some(r#"{"Version":"1"}"#.into()),
        external_id: Some("ext-1".into()),
    };
    let r = c
        .assume_role(&creds(true), &req, &opts(10))
        .await
        .expect("assume role");
    assert_eq!(r.request_id, "RID-AR");
    assert_eq!(r.assumed_role_user.arn, "acs:ram::123:role/tf/session");
    assert_eq!(r.credentials.credentials.access_key_id, "STS.issued");
    assert_eq!(
        r.credentials.credentials.access_key_secret.expose(),
        ISSUED_SECRET
    );
    assert_eq!(r.credentials.credentials.token(), Some(ISSUED_TOKEN));
    assert_eq!(
        r.credentials.expiration,
        time::macros::datetime!(2030-01-02 03:04:05 UTC)
    );
    assert!(!format!("{r:?}").contains(ISSUED_SECRET));

    let id = c
        .get_caller_identity(&creds(false), &opts(10))
        .await
        .expect("identity");
    assert_eq!(id.account_id, "1234567890123456");
    assert_eq!(id.identity_type, "RAMUser");

    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen[..2] {
        assert!(s.signature_ok);
        assert_eq!(s.params["Action"], "AssumeRole");
        assert_eq!(s.params["Version"], "2015-04-01");
        assert_eq!(s.params["RoleArn"], "acs:ram::123:role/tf");
        assert_eq!(s.params["RoleSessionName"], "terraform");
        assert_eq!(s.params["DurationSeconds"], "3600");
        assert_eq!(s.params["Policy"], r#"{"Version":"1"}"#);
        assert_eq!(s.params["ExternalId"], "ext-1");
        assert!(!s.params.contains_key("RegionId"));
    }
    assert_eq!(seen[2].params["Action"], "GetCallerIdentity");
}

#[tokio::test]
async fn ecs_metadata_credentials() {
    init_logging();
    let ok = serde_json::json!({"AccessKeyId": "STS.ecs", "AccessKeySecret": ISSUED_SECRET,
        "SecurityToken": ISSUED_TOKEN, "Expiration": "2030-01-02T03:04:05Z", "Code": "Success",
        "LastUpdated": "2030-01-01T21:04:05Z"});
    let server = Server::start(
        vec![Step::Drop, Step::Respond(200, ok.to_string())],
        Step::Respond(200, r#"{"Code":"Failed"}"#.into()),
    )
    .await;
    let c = client(config(&server));
    let t = c
        .ecs_role_credentials("my-role", &opts(10))
        .await
        .expect("ecs credentials");
    assert_eq!(t.credentials.access_key_id, "STS.ecs");
    assert_eq!(t.credentials.token(), Some(ISSUED_TOKEN));
    let seen = server.seen();
    assert_eq!(seen[1].method, "GET");
    assert_eq!(
        seen[1].path,
        "/latest/meta-data/ram/security-credentials/my-role"
    );

    let err = c
        .ecs_role_credentials("my-role", &opts(10))
        .await
        .expect_err("failed code");
    assert_eq!(err.api().map(|a| a.code.as_str()), Some("Failed"));
}

#[tokio::test]
async fn bad_region_is_rejected_before_sending() {
    init_logging();
    let server = Server::start(vec![], status_ok(true)).await;
    let mut cfg = config(&server);
    cfg.vpc_endpoint = None;
    let err = client(cfg)
        .get_public_ip_address_pool_service_status(&creds(false), "evil.com/x", &opts(10))
        .await
        .expect_err("bad region");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

/// Runs flows that put secrets on the wire (V1 and V3, errors, credentials in responses) and
/// checks every captured log record, including those of the other tests in this binary.
#[tokio::test]
async fn no_secret_in_any_log_record() {
    init_logging();
    let issued = serde_json::json!({"RequestId": "RID-AR",
        "Credentials": {"AccessKeyId": "STS.issued", "AccessKeySecret": ISSUED_SECRET,
            "SecurityToken": ISSUED_TOKEN, "Expiration": "2030-01-02T03:04:05Z"}});
    for version in [SignVersion::V1, SignVersion::V3] {
        let server = Server::start(
            vec![
                Step::Drop,
                api_error(400, "Throttling.User"),
                open_ok(),
                Step::SignatureMismatch { alter: false },
                Step::Respond(200, "not json".into()),
                Step::Respond(200, issued.to_string()),
                Step::Respond(200, r#"{"Credentials": {"AccessKeySecret": 5}}"#.into()),
            ],
            Step::Drop,
        )
        .await;
        let mut cfg = config(&server);
        cfg.sign_version = version;
        let c = client(cfg);
        let o = opts(10);
        let _ = c
            .open_public_ip_address_pool_service(&creds(true), "cn-hangzhou", "tok", &o)
            .await;
        let _ = c
            .get_public_ip_address_pool_service_status(&creds(true), "cn-hangzhou", &o)
            .await;
        let _ = c
            .get_public_ip_address_pool_service_status(&creds(true), "cn-hangzhou", &o)
            .await;
        let req = AssumeRoleRequest {
            role_arn: "r".into(),
            role_session_name: "s".into(),
            ..Default::default()
        };
        let _ = c.assume_role(&creds(true), &req, &o).await;
        let err = c
            .assume_role(&creds(true), &req, &o)
            .await
            .expect_err("bad shape");
        assert!(!format!("{err} {err:?}").contains(ISSUED_SECRET));
    }
    let records = RECORDS.lock().expect("records").clone();
    assert!(records.len() > 10, "records were captured: {records:?}");
    assert!(
        records
            .iter()
            .any(|r| r.contains("attempt=") && r.contains("action="))
    );
    let signatures = SIGNATURES.lock().expect("signatures").clone();
    assert!(!signatures.is_empty());
    let forbidden: Vec<&str> = [SECRET, TOKEN, ISSUED_SECRET, ISSUED_TOKEN]
        .into_iter()
        .chain(signatures.iter().map(String::as_str))
        .collect();
    for record in &records {
        for f in &forbidden {
            assert!(!record.contains(f), "log record leaks {f:?}: {record}");
            let encoded = sign::percent_encode(f);
            assert!(
                !record.contains(&encoded),
                "log record leaks encoded {f:?}: {record}"
            );
        }
    }
}
