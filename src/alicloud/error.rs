//! Errors of the Alibaba API layer, decoding of Alibaba's error bodies, and which errors are
//! worth retrying (the classification the official Terraform provider uses).

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Invalid configuration or input (endpoint, region); never retried.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The request did not complete at the HTTP level (DNS, connect, TLS, reset, closed
    /// connection); [`Transport::kind`] says which, and whether retrying can help.
    #[error("transport error: {0}")]
    Transport(Transport),
    /// One attempt took longer than its timeout (the read timeout, or less near the deadline).
    #[error("request timed out after {0:?}")]
    Timeout(Duration),
    /// Alibaba answered with an error code.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The response was not what the API documents (e.g. an HTML page from a proxy).
    #[error(
        "could not decode the response (HTTP {status}): {reason}; body starts with: {excerpt:?}"
    )]
    Decode {
        status: u16,
        reason: String,
        excerpt: String,
    },
    /// The caller's cancellation token fired.
    #[error("cancelled")]
    Cancelled,
    /// The caller's deadline left no time for another attempt. `elapsed` is how long this call
    /// ran; `left` how much of the deadline remained when it gave up (less than the next
    /// backoff, or zero).
    #[error("deadline exceeded after {attempts} attempt(s) in {elapsed:?}{}", last.as_ref().map(|e| format!("; last error: {e}")).unwrap_or_default())]
    DeadlineExceeded {
        attempts: u32,
        elapsed: Duration,
        left: Duration,
        last: Option<Box<Error>>,
    },
}

/// A request that failed below HTTP, with its cause as the libraries reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transport {
    pub kind: TransportKind,
    /// The cause chain, innermost last, without the request URL (`tcp connect error:
    /// Connection refused (os error 111)`); safe to log.
    pub cause: String,
}

/// What went wrong on the way to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The host name does not resolve (NXDOMAIN): a typo or a private name; not retried.
    DnsNotFound,
    /// The resolver failed for now (no answer, SERVFAIL); retried.
    DnsTemporary,
    /// Nothing accepts connections there (refused, unreachable); retried, as a restarting
    /// endpoint refuses for a moment.
    Connect,
    /// No connection within `client_connect_timeout`; retried.
    ConnectTimeout,
    /// The TLS handshake failed (certificate not trusted, expired, wrong name, protocol);
    /// not retried.
    Tls,
    /// HTTPS sent to an endpoint that speaks plain HTTP; not retried.
    NotTls,
    /// Anything else: a reset or closed connection, a broken body; retried.
    Other,
}

impl TransportKind {
    /// Whether another attempt may succeed; DNS, TLS and protocol mismatches fail the same way
    /// every time.
    pub fn is_retryable(self) -> bool {
        !matches!(
            self,
            TransportKind::DnsNotFound | TransportKind::Tls | TransportKind::NotTls
        )
    }

    /// Whether the request can have reached the server (only after a connection was made).
    pub fn may_have_been_sent(self) -> bool {
        matches!(self, TransportKind::Other)
    }

    /// A short name for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            TransportKind::DnsNotFound => "dns_not_found",
            TransportKind::DnsTemporary => "dns_temporary",
            TransportKind::Connect => "connect",
            TransportKind::ConnectTimeout => "connect_timeout",
            TransportKind::Tls => "tls",
            TransportKind::NotTls => "not_tls",
            TransportKind::Other => "other",
        }
    }
}

impl Transport {
    pub fn new(kind: TransportKind, cause: impl Into<String>) -> Self {
        Transport {
            kind,
            cause: cause.into(),
        }
    }

    /// Classifies an error chain (from reqwest, hyper, std::io, rustls) by walking it.
    pub fn classify(err: &(dyn std::error::Error + 'static), is_timeout: bool) -> Self {
        let mut causes: Vec<String> = Vec::new();
        let mut kind = None;
        let mut dns = false;
        let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(e) = next {
            let text = e.to_string();
            if text == "dns error" || text.starts_with("dns error:") {
                dns = true;
            }
            // io::Error::source() skips the error it wraps, and TLS errors arrive as a rustls
            // error inside an io::Error inside another: unwrap those layers directly.
            let mut layer = Some(e);
            while let Some(l) = layer {
                if let Some(t) = l.downcast_ref::<rustls::Error>() {
                    kind = Some(tls_kind(t));
                    break;
                }
                let Some(io) = l.downcast_ref::<std::io::Error>() else {
                    break;
                };
                use std::io::ErrorKind as K;
                if matches!(
                    io.kind(),
                    K::ConnectionRefused | K::HostUnreachable | K::NetworkUnreachable
                ) {
                    kind.get_or_insert(TransportKind::Connect);
                }
                layer = io
                    .get_ref()
                    .map(|inner| inner as &(dyn std::error::Error + 'static));
            }
            // hyper's "client error (Connect)" only says which layer wrapped the cause.
            let wrapper = text.starts_with("client error (");
            if !wrapper && causes.last() != Some(&text) && !text.is_empty() {
                causes.push(text);
            }
            next = e.source();
        }
        let cause = causes.join(": ");
        let kind = kind.unwrap_or(if dns {
            // getaddrinfo: EAI_NONAME / EAI_NODATA say the name does not exist; EAI_AGAIN and
            // the rest may pass.
            let lower = cause.to_ascii_lowercase();
            if lower.contains("name or service not known")
                || lower.contains("no address associated")
                || lower.contains("nodename nor servname")
            {
                TransportKind::DnsNotFound
            } else {
                TransportKind::DnsTemporary
            }
        } else if is_timeout {
            TransportKind::ConnectTimeout
        } else {
            TransportKind::Other
        });
        Transport { kind, cause }
    }
}

/// A record that is not TLS where a handshake message was expected means the server answered
/// in plain HTTP.
fn tls_kind(e: &rustls::Error) -> TransportKind {
    match e {
        rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType)
        | rustls::Error::InvalidMessage(rustls::InvalidMessage::UnknownProtocolVersion) => {
            TransportKind::NotTls
        }
        _ => TransportKind::Tls,
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cause)
    }
}

impl From<&str> for Transport {
    /// A transport failure of kind [`TransportKind::Other`] (a reset or closed connection).
    fn from(cause: &str) -> Self {
        Transport::new(TransportKind::Other, cause)
    }
}

impl Error {
    /// Whether another attempt of the same request may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(t) => t.kind.is_retryable(),
            Error::Timeout(_) => true,
            Error::Api(api) => api.is_retryable(),
            Error::Decode { status, .. } => *status >= 500,
            Error::Config(_) | Error::Cancelled | Error::DeadlineExceeded { .. } => false,
        }
    }

    /// The API error, also when it is the last error behind an exceeded deadline.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            Error::DeadlineExceeded { last: Some(e), .. } => e.api(),
            _ => None,
        }
    }

    /// What went wrong in a few words that are safe to log (no message that could echo the
    /// request): the API code, the transport cause, the timeout.
    pub fn cause(&self) -> String {
        match self {
            Error::Config(_) => "invalid configuration".into(),
            Error::Transport(t) => format!("{}: {}", t.kind.as_str(), t.cause),
            Error::Timeout(d) => format!("no answer within {d:?}"),
            Error::Api(api) => format!("{} (HTTP {})", api.code, api.http_status),
            Error::Decode { status, .. } => format!("undecodable HTTP {status} response"),
            Error::Cancelled => "cancelled".into(),
            Error::DeadlineExceeded { last, .. } => match last {
                Some(e) => format!("deadline exceeded after {}", e.cause()),
                None => "deadline exceeded".into(),
            },
        }
    }

    /// Whether the outcome of a mutating call is unknown (it may have reached the server), so
    /// the caller should read the status before failing.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Error::Transport(t) => t.kind.may_have_been_sent(),
            Error::Timeout(_) | Error::Cancelled => true,
            Error::Decode { status, .. } => *status >= 500,
            Error::Api(api) => api.http_status >= 500,
            Error::DeadlineExceeded { last, .. } => {
                last.as_ref().is_some_and(|e| e.outcome_unknown())
            }
            Error::Config(_) => false,
        }
    }
}

/// An error answer of the Alibaba gateway or service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub http_status: u16,
    pub code: String,
    pub message: String,
    pub request_id: String,
    pub host_id: Option<String>,
    /// A diagnosis URL Alibaba adds to some errors.
    pub recommend: Option<String>,
    /// For `SignatureDoesNotMatch`: how the server's string to sign compares with ours.
    pub signature_check: Option<SignatureCheck>,
}

/// Result of comparing the gateway's string to sign with the one this client signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureCheck {
    /// Same string, different signature: the access key secret is wrong.
    StringsMatch,
    /// The gateway signed a different string: a signing bug, or a proxy altered the request.
    StringsDiffer,
    /// The message held no string to sign to compare with.
    Unavailable,
}

impl ApiError {
    pub fn is_retryable(&self) -> bool {
        self.http_status >= 500 || is_retryable_code(&self.code)
    }

    /// `Some(true)` when the secret is wrong, `Some(false)` when the request was signed
    /// differently from what the gateway expected, `None` when unknown or not a signature error.
    pub fn secret_is_wrong(&self) -> Option<bool> {
        match self.signature_check? {
            SignatureCheck::StringsMatch => Some(true),
            SignatureCheck::StringsDiffer => Some(false),
            SignatureCheck::Unavailable => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Alibaba Cloud API error {} (HTTP {}): {} [RequestId: {}]",
            self.code, self.http_status, self.message, self.request_id
        )?;
        match self.secret_is_wrong() {
            Some(true) => f.write_str(
                " (the gateway computed the same string to sign: the access key secret is wrong)",
            )?,
            Some(false) => f.write_str(
                " (the gateway computed a different string to sign: the request was altered in transit or signed incorrectly)",
            )?,
            None => {}
        }
        if let Some(r) = &self.recommend {
            write!(f, " (see {r})")?;
        }
        Ok(())
    }
}

/// Codes worth retrying, as in `shared/notes/alibaba-api.md` ("Errors and retries").
pub fn is_retryable_code(code: &str) -> bool {
    const EXACT_OR_PREFIX: [&str; 7] = [
        "ServiceUnavailable",
        "OperationConflict",
        "IncorrectStatus",
        "SystemBusy",
        "LastTokenProcessing",
        "TaskConflict",
        "UnknownError",
    ];
    // `OperationFailed.LastTokenProcessing`: the pool API's spelling (shared/spec/pools.md).
    code.contains("Throttling")
        || code.ends_with("LastTokenProcessing")
        || EXACT_OR_PREFIX.iter().any(|p| code.starts_with(p))
}

const SIGNATURE_MISMATCH: &str = "SignatureDoesNotMatch";
const SERVER_STS_MARKER: &str = "server string to sign is:";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorBody {
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    host_id: Option<String>,
    #[serde(default)]
    code: Option<super::wire::StringOrNumber>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    recommend: Option<String>,
}

/// Longest body excerpt kept in a [`Error::Decode`].
const EXCERPT_CHARS: usize = 200;

/// The first characters of `body`, for an error message.
pub fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .take(EXCERPT_CHARS)
        .collect()
}

/// Decodes a non-2xx answer. `our_string_to_sign` is what this attempt signed, used to explain
/// `SignatureDoesNotMatch`. The server's string to sign is cut from the message because, for
/// V1, it contains the security token.
pub fn decode_error_body(status: u16, body: &[u8], our_string_to_sign: Option<&str>) -> Error {
    let parsed: ErrorBody = match serde_json::from_slice(body) {
        Ok(b) => b,
        Err(e) => {
            return Error::Decode {
                status,
                reason: format!("error body is not JSON ({e})"),
                excerpt: excerpt(body),
            };
        }
    };
    let Some(code) = parsed.code.map(|c| c.0).filter(|c| !c.is_empty()) else {
        return Error::Decode {
            status,
            reason: "error body has no Code".into(),
            excerpt: excerpt(body),
        };
    };
    let mut message = parsed.message.unwrap_or_default();
    let mut signature_check = None;
    if code == SIGNATURE_MISMATCH {
        let check = match (message.find(SERVER_STS_MARKER), our_string_to_sign) {
            (Some(at), Some(ours)) => {
                let server = message[at + SERVER_STS_MARKER.len()..].trim();
                let check = if server == ours.trim() {
                    SignatureCheck::StringsMatch
                } else {
                    SignatureCheck::StringsDiffer
                };
                message.truncate(at);
                check
            }
            (Some(at), None) => {
                message.truncate(at);
                SignatureCheck::Unavailable
            }
            (None, _) => SignatureCheck::Unavailable,
        };
        message = message.trim_end().to_string();
        signature_check = Some(check);
    }
    Error::Api(Box::new(ApiError {
        http_status: status,
        code,
        message,
        request_id: parsed.request_id.unwrap_or_default(),
        host_id: parsed.host_id,
        recommend: parsed.recommend.filter(|r| !r.is_empty()),
        signature_check,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(e: Error) -> ApiError {
        match e {
            Error::Api(a) => *a,
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    #[test]
    fn json_error_with_recommend() {
        let body = br#"{"RequestId":"R1","HostId":"vpc.aliyuncs.com","Code":"Forbidden.RAM","Message":"no","Recommend":"https://api.aliyun.com/troubleshoot?q=Forbidden.RAM"}"#;
        let a = api(decode_error_body(403, body, None));
        assert_eq!(a.code, "Forbidden.RAM");
        assert_eq!(a.request_id, "R1");
        assert_eq!(a.host_id.as_deref(), Some("vpc.aliyuncs.com"));
        assert_eq!(
            a.recommend.as_deref(),
            Some("https://api.aliyun.com/troubleshoot?q=Forbidden.RAM")
        );
        assert!(!a.is_retryable());
        assert!(a.to_string().contains("RequestId: R1"));
    }

    #[test]
    fn json_error_without_recommend_and_numeric_code() {
        let a = api(decode_error_body(
            503,
            br#"{"RequestId":"R2","Code":503,"Message":"x"}"#,
            None,
        ));
        assert_eq!(a.code, "503");
        assert_eq!(a.recommend, None);
        assert!(a.is_retryable());
    }

    #[test]
    fn non_json_and_html_bodies() {
        let e = decode_error_body(400, b"plain text", None);
        assert!(
            matches!(&e, Error::Decode { status: 400, excerpt, .. } if excerpt == "plain text")
        );
        assert!(!e.is_retryable());

        let html = format!(
            "<html><body>502 Bad Gateway{}</body></html>",
            "x".repeat(1000)
        );
        let e = decode_error_body(502, html.as_bytes(), None);
        match &e {
            Error::Decode {
                status, excerpt, ..
            } => {
                assert_eq!(*status, 502);
                assert!(excerpt.starts_with("<html><body>502 Bad Gateway"));
                assert_eq!(excerpt.chars().count(), EXCERPT_CHARS);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(e.is_retryable());

        let e = decode_error_body(404, br#"{"foo":1}"#, None);
        assert!(matches!(e, Error::Decode { .. }));
    }

    #[test]
    fn retry_classification() {
        for code in [
            "Throttling",
            "Throttling.User",
            "Throttling.Api",
            "ServiceUnavailable",
            "OperationConflict",
            "IncorrectStatus.Vpc",
            "IncorrectStatus",
            "SystemBusy",
            "LastTokenProcessing",
            "OperationFailed.LastTokenProcessing",
            "IncorrectStatus.PublicIpAddressPool",
            "TaskConflict",
            "UnknownError",
        ] {
            assert!(is_retryable_code(code), "{code} should be retryable");
        }
        for code in [
            "Forbidden.RAM",
            "InvalidAccessKeyId.NotFound",
            "SignatureDoesNotMatch",
            "OperationFailed.QuotaNotEnough",
            "OperationFailed.ExceedPurchaseLimit",
            "MissingParameter",
            "InvalidParameter",
            "InvalidSecurityToken.Expired",
            "Order.NoRealNameAuthentication",
            "ResourceNotFound.PublicIpAddressPool",
            "ResourceNotEnough.PublicIpAddressPool",
            "DryRunOperation",
        ] {
            assert!(!is_retryable_code(code), "{code} should be final");
        }
        assert!(Error::Transport("reset".into()).is_retryable());
        assert!(!Error::Transport(Transport::new(TransportKind::DnsNotFound, "x")).is_retryable());
        assert!(!Error::Transport(Transport::new(TransportKind::Tls, "x")).is_retryable());
        assert!(!Error::Transport(Transport::new(TransportKind::NotTls, "x")).is_retryable());
        assert!(Error::Transport(Transport::new(TransportKind::Connect, "x")).is_retryable());
        assert!(Error::Timeout(Duration::from_secs(1)).is_retryable());
        assert!(!Error::Cancelled.is_retryable());
        assert!(!Error::Config("x".into()).is_retryable());
        assert!(
            !Error::DeadlineExceeded {
                attempts: 3,
                elapsed: Duration::from_secs(3),
                left: Duration::ZERO,
                last: Some(Box::new(Error::Timeout(Duration::from_secs(1))))
            }
            .is_retryable()
        );
    }

    #[test]
    fn signature_mismatch_compares_strings_to_sign() {
        let body = br#"{"RequestId":"R3","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&A%3D1"}"#;
        let a = api(decode_error_body(400, body, Some("POST&%2F&A%3D1")));
        assert_eq!(a.signature_check, Some(SignatureCheck::StringsMatch));
        assert_eq!(a.secret_is_wrong(), Some(true));
        assert!(!a.message.contains("server string to sign"));

        let a = api(decode_error_body(400, body, Some("POST&%2F&A%3D2")));
        assert_eq!(a.secret_is_wrong(), Some(false));

        let a = api(decode_error_body(
            400,
            br#"{"Code":"SignatureDoesNotMatch","Message":"bad"}"#,
            Some("x"),
        ));
        assert_eq!(a.signature_check, Some(SignatureCheck::Unavailable));
        assert_eq!(a.secret_is_wrong(), None);
    }
}
