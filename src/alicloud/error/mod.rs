//! Errors of the Alibaba API layer, decoding of Alibaba's error bodies, and which errors are
//! worth retrying (the classification the official Terraform provider uses).

use std::fmt;
use std::time::Duration;

mod decode;
mod retry_codes;
mod transport;

pub use decode::{decode_error_body, excerpt};
pub use retry_codes::is_retryable_code;
pub use transport::{Transport, TransportKind};

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
    /// Every attempt `max_retries` allows failed with a retryable error; `last` is the final
    /// one. Kept apart from `last` itself so that the user learns the provider did retry, how
    /// often and for how long (and that raising max_retries is a way out).
    #[error("{last} (gave up after {attempts} attempt(s) in {elapsed:?})")]
    RetriesExhausted {
        attempts: u32,
        elapsed: Duration,
        last: Box<Error>,
    },
}

impl Error {
    /// Whether another attempt of the same request may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(t) => t.kind.is_retryable(),
            Error::Timeout(_) => true,
            Error::Api(api) => api.is_retryable(),
            Error::Decode { status, .. } => *status >= 500,
            // The call used up its retries, but a later call may still succeed (a caller that
            // polls on, like the activation's status wait, relies on this).
            Error::RetriesExhausted { last, .. } => last.is_retryable(),
            Error::Config(_) | Error::Cancelled | Error::DeadlineExceeded { .. } => false,
        }
    }

    /// The API error, also when it is the last error behind an exceeded deadline.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            Error::DeadlineExceeded { last: Some(e), .. } => e.api(),
            Error::RetriesExhausted { last, .. } => last.api(),
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
            Error::RetriesExhausted { attempts, last, .. } => {
                format!("{} after {attempts} attempt(s)", last.cause())
            }
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
            Error::RetriesExhausted { last, .. } => last.outcome_unknown(),
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
