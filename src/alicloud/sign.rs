//! Alibaba Cloud request signatures, as pure functions.
//!
//! Time and nonce are inputs (they are ordinary parameters or headers of the request), so every
//! function here is deterministic and testable against the published vectors. The provider's
//! client and the emulator's gateway both sign through this module: a request the emulator
//! accepts was signed exactly the way Alibaba's gateway recomputes it.

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// The one encoding rule of both signature versions: UTF-8 bytes, `A-Z a-z 0-9 - _ . ~` kept,
/// every other byte as `%XY` in upper-case hex (so a space is `%20`, never `+`).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `s` by Alibaba's rule: UTF-8, `A-Z a-z 0-9 - _ . ~` kept, all else `%XY`.
pub fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// `name=value` pairs, encoded, sorted by encoded name (then value), joined with `&`.
/// Sorting the encoded names equals byte order of the names for the ASCII names Alibaba uses,
/// and is what the gateway does for the rest.
pub fn canonicalized_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (percent_encode(k.as_ref()), percent_encode(v.as_ref())))
        .collect();
    pairs.sort();
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// The one parameter map a V1 signature covers: the query's parameters, then the form body's,
/// a name in both counted once with the body's value (the official signers, `aliyunsdkcore`,
/// the Go SDK and Tea OpenAPI, build a dictionary this way before signing; the legacy Python
/// SDK sends `RegionId` in the query and a `CommonRequest` may put it in the body too). A name
/// repeated within one part keeps its last value, as a dictionary would. Order is first
/// appearance, so the result is deterministic; the string to sign sorts anyway.
pub fn merge_params<K: AsRef<str>, V: AsRef<str>>(
    query: &[(K, V)],
    body: &[(K, V)],
) -> Vec<(String, String)> {
    let mut merged: Vec<(String, String)> = Vec::with_capacity(query.len() + body.len());
    for (k, v) in query.iter().chain(body) {
        let (k, v) = (k.as_ref(), v.as_ref());
        match merged.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = v.to_string(),
            None => merged.push((k.to_string(), v.to_string())),
        }
    }
    merged
}

/// Signature V1 string to sign of a request split between query and form body: the two are
/// merged by [`merge_params`] first, and `Signature` (wherever it is) is left out.
pub fn v1_string_to_sign_split<K: AsRef<str>, V: AsRef<str>>(
    method: &str,
    query: &[(K, V)],
    body: &[(K, V)],
) -> String {
    let mut merged = merge_params(query, body);
    merged.retain(|(k, _)| k != "Signature");
    v1_string_to_sign(method, &merged)
}

/// Signature V1 string to sign: `METHOD&%2F&enc(canonicalized query)`.
/// `params` must hold every query and form parameter except `Signature` itself, each name once
/// (see [`merge_params`] for a request that has both a query and a form body).
pub fn v1_string_to_sign<K: AsRef<str>, V: AsRef<str>>(method: &str, params: &[(K, V)]) -> String {
    format!(
        "{}&{}&{}",
        method,
        percent_encode("/"),
        percent_encode(&canonicalized_query(params))
    )
}

/// Signature V1: `base64(HMAC-SHA1(secret + "&", string_to_sign))`.
pub fn v1_signature(secret: &str, string_to_sign: &str) -> String {
    use base64::Engine;
    let mut mac = match Hmac::<Sha1>::new_from_slice(format!("{secret}&").as_bytes()) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this arm is unreachable but costs nothing to handle.
        Err(_) => return String::new(),
    };
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Everything a V1-signed RPC request is made of. Time and nonce are inputs so that the
/// result is deterministic; the client draws fresh ones for every attempt.
#[derive(Clone, Copy)]
pub struct V1Input<'a> {
    pub method: &'a str,
    pub action: &'a str,
    pub version: &'a str,
    /// The operation's own parameters (`RegionId`, `ClientToken`, ...).
    pub params: &'a [(String, String)],
    pub access_key_id: &'a str,
    pub access_key_secret: &'a str,
    /// Sent and signed as `SecurityToken` when present (STS credentials).
    pub security_token: Option<&'a str>,
    /// `YYYY-MM-DDThh:mm:ssZ`, UTC.
    pub timestamp: &'a str,
    pub nonce: &'a str,
}

/// A V1-signed parameter list.
#[derive(Clone, PartialEq, Eq)]
pub struct V1Signed {
    /// Every parameter to send, `Signature` included.
    pub params: Vec<(String, String)>,
    pub string_to_sign: String,
    pub signature: String,
}

/// Adds the common parameters (`Format=JSON`, `SignatureMethod=HMAC-SHA1`, ...) to the
/// operation's parameters and signs the whole with signature V1.
pub fn v1_sign_request(input: &V1Input<'_>) -> V1Signed {
    let mut params: Vec<(String, String)> = input.params.to_vec();
    let common = [
        ("Action", input.action),
        ("Version", input.version),
        ("Format", "JSON"),
        ("AccessKeyId", input.access_key_id),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", input.nonce),
        ("Timestamp", input.timestamp),
    ];
    params.extend(common.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    if let Some(token) = input.security_token {
        params.push(("SecurityToken".to_string(), token.to_string()));
    }
    let string_to_sign = v1_string_to_sign(input.method, &params);
    let signature = v1_signature(input.access_key_secret, &string_to_sign);
    params.push(("Signature".to_string(), signature.clone()));
    V1Signed {
        params,
        string_to_sign,
        signature,
    }
}

/// Lower-case hex SHA-256, used for V3 payload and canonical-request hashes.
pub fn hex_sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The parts of a request that signature V3 covers.
#[derive(Debug, Clone)]
pub struct V3Request<'a> {
    pub method: &'a str,
    /// Path of the request; `/` for every RPC-style API.
    pub path: &'a str,
    /// Query parameters, unencoded.
    pub query: &'a [(String, String)],
    /// Headers to sign, any case: `host`, `content-type` and every `x-acs-*` header.
    pub headers: &'a [(String, String)],
    /// Hex SHA-256 of the body (the value of `x-acs-content-sha256`).
    pub hashed_payload: &'a str,
}

/// What V3 signing produces besides the signature, kept for diagnostics and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V3Signed {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signed_headers: String,
    pub signature: String,
}

/// The V3 signature algorithm name, first word of `Authorization` and of the string to sign.
pub const V3_ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Signature V3 (ACS3-HMAC-SHA256) over `req` with the access key secret.
pub fn v3_sign(secret: &str, req: &V3Request<'_>) -> V3Signed {
    let headers: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            k == "host" || k == "content-type" || k.starts_with("x-acs-")
        })
        .cloned()
        .collect();
    v3_sign_all_headers(
        secret,
        &V3Request {
            headers: &headers,
            ..req.clone()
        },
    )
}

/// Signature V3 over every header in `req.headers`, unfiltered. A verifier needs this: clients
/// may sign more than the required headers (the official Python SDK signs all it sends, e.g.
/// `user-agent`), and the server must sign exactly the headers listed in `SignedHeaders`.
pub fn v3_sign_all_headers(secret: &str, req: &V3Request<'_>) -> V3Signed {
    let mut headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        req.path,
        canonicalized_query(req.query),
        canonical_headers,
        signed_headers,
        req.hashed_payload
    );
    let string_to_sign = format!(
        "{V3_ALGORITHM}\n{}",
        hex_sha256(canonical_request.as_bytes())
    );
    let signature = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(string_to_sign.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    };
    V3Signed {
        canonical_request,
        string_to_sign,
        signed_headers,
        signature,
    }
}

/// The `Authorization` header value for a V3 signature.
pub fn v3_authorization(access_key_id: &str, signed: &V3Signed) -> String {
    format!(
        "{V3_ALGORITHM} Credential={access_key_id},SignedHeaders={},Signature={}",
        signed.signed_headers, signed.signature
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_params() -> Vec<(&'static str, &'static str)> {
        vec![
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
        ]
    }

    #[test]
    fn v1_doc_example_get_and_post() {
        let sts = v1_string_to_sign("GET", &doc_params());
        assert_eq!(
            sts,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(
            v1_signature("testsecret", &sts),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
        let post = v1_string_to_sign("POST", &doc_params());
        assert_eq!(
            v1_signature("testsecret", &post),
            "MxbnVAM4w6sft9xjVpe/GCKueuk="
        );
    }

    #[test]
    fn a_name_in_query_and_body_is_signed_once_with_the_body_value() {
        let query = [("RegionId", "cn-hangzhou"), ("Action", "X")];
        let body = [("RegionId", "cn-beijing"), ("Name", "a")];
        assert_eq!(
            merge_params(&query, &body),
            [
                ("RegionId".to_string(), "cn-beijing".to_string()),
                ("Action".to_string(), "X".to_string()),
                ("Name".to_string(), "a".to_string()),
            ]
        );
        let split = v1_string_to_sign_split(
            "POST",
            &[
                ("RegionId", "cn-hangzhou"),
                ("Signature", "x"),
                ("test", "ok"),
            ],
            &[("RegionId", "cn-beijing")],
        );
        assert_eq!(
            split,
            v1_string_to_sign("POST", &[("RegionId", "cn-beijing"), ("test", "ok")])
        );
        assert_eq!(split.matches("RegionId").count(), 1, "{split}");
        // The Go SDK vector holds whichever way its parameters are split.
        let all = [
            ("AccessKeyId", "accessKeyId"),
            ("Action", ""),
            ("Format", "JSON"),
            ("RegionId", "regionId"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "MOCK_UUID"),
            ("SignatureType", ""),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "mock date"),
            ("Version", ""),
        ];
        let (q, b) = all.split_at(4);
        let body: Vec<_> = b.iter().chain(&all[3..4]).copied().collect();
        let sts = v1_string_to_sign_split("GET", q, &body);
        assert_eq!(
            v1_signature("accessKeySecret", &sts),
            "7loPmFjvDnzOVnQeQNj85S6nFGY="
        );
    }

    #[test]
    fn encoding_rule() {
        assert_eq!(percent_encode("a b+c*d~e/é"), "a%20b%2Bc%2Ad~e%2F%C3%A9");
    }

    #[test]
    fn v3_vector() {
        let query = vec![
            (
                "ImageId".to_string(),
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd".to_string(),
            ),
            ("RegionId".to_string(), "cn-shanghai".to_string()),
        ];
        let empty = hex_sha256(b"");
        let headers = vec![
            (
                "host".to_string(),
                "ecs.cn-shanghai.aliyuncs.com".to_string(),
            ),
            ("x-acs-action".to_string(), "RunInstances".to_string()),
            ("x-acs-version".to_string(), "2014-05-26".to_string()),
            ("x-acs-date".to_string(), "2023-10-26T10:22:32Z".to_string()),
            (
                "x-acs-signature-nonce".to_string(),
                "3156853299f313e23d1673dc12e1703d".to_string(),
            ),
            ("x-acs-content-sha256".to_string(), empty.clone()),
        ];
        let signed = v3_sign(
            "YourAccessKeySecret",
            &V3Request {
                method: "POST",
                path: "/",
                query: &query,
                headers: &headers,
                hashed_payload: &empty,
            },
        );
        assert_eq!(
            signed.string_to_sign,
            "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            signed.signed_headers,
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
        );
        assert_eq!(
            signed.signature,
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }
}
