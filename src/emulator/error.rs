//! Errors in the shape of Alibaba's API gateway: an HTTP status plus a JSON body with
//! `RequestId`, `HostId`, `Code`, `Message` and `Recommend`, so that clients (the provider, the
//! official SDKs) parse emulator errors exactly as they parse real ones.

use serde::Serialize;

/// One API error before it gets a request ID and host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_string(),
            message: message.into(),
        }
    }

    pub fn missing(param: &str) -> Self {
        Self::new(
            400,
            "MissingParameter",
            format!(
                "The input parameter \"{param}\" that is mandatory for processing this request is not supplied."
            ),
        )
    }

    pub fn invalid(param: &str, message: impl Into<String>) -> Self {
        Self::new(400, &format!("InvalidParameter.{param}"), message)
    }
}

/// The JSON error body, field names as Alibaba spells them.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorBody<'a> {
    pub request_id: &'a str,
    pub host_id: &'a str,
    pub code: &'a str,
    pub message: &'a str,
    /// Alibaba points to its troubleshooting page; the emulator keeps the same URL shape.
    pub recommend: String,
}

impl<'a> ErrorBody<'a> {
    pub fn new(err: &'a ApiError, request_id: &'a str, host_id: &'a str) -> Self {
        ErrorBody {
            request_id,
            host_id,
            code: &err.code,
            message: &err.message,
            recommend: format!(
                "https://api.aliyun.com/troubleshoot?q={}&requestId={}",
                err.code, request_id
            ),
        }
    }
}
