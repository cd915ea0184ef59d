//! Failures below HTTP (DNS, connect, TLS, a reset connection): how they are classified from
//! the error chains of reqwest, hyper, std::io and rustls, and which are worth retrying.

use std::fmt;

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
