//! Decoding of Alibaba's error bodies into [`Error`], including the explanation of
//! `SignatureDoesNotMatch` by comparing strings to sign.

use serde::Deserialize;

use super::{ApiError, Error, SignatureCheck};

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
    code: Option<super::super::wire::StringOrNumber>,
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
