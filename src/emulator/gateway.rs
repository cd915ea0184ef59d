//! The checks Alibaba's API gateway makes before an operation runs: action and version routing,
//! the V1 or V3 signature (recomputed with `crate::alicloud::sign`, the provider's own signer),
//! timestamp skew, nonce reuse and STS security tokens.

use std::collections::HashMap;

use hyper::HeaderMap;
use time::OffsetDateTime;

use super::Inner;
use super::accounts::Accounts;
use super::action::parse_timestamp;
pub use super::action::{
    Action, Caller, STS_VERSION, SignatureStyle, TempCredential, VPC_VERSION, format_timestamp,
};
use super::error::ApiError;
use crate::alicloud::sign;

/// How far a request's timestamp may be from the emulator's clock, as on Alibaba's gateway.
pub const MAX_SKEW: time::Duration = time::Duration::minutes(15);

/// A request on `/` as received, before any check.
pub struct RawRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Vec<(String, String)>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// What could be read from the request, kept even when a check fails so that the request log
/// and `HostId` have something to show.
#[derive(Debug, Default)]
pub struct Parsed {
    pub style: Option<SignatureStyle>,
    /// Query and form parameters merged into one map, each name once and the body's value
    /// winning (`sign::merge_params`); V1 includes the common ones like `AccessKeyId`.
    pub params: Vec<(String, String)>,
    /// The form body's parameters as received, for the V1 string to sign.
    form: Vec<(String, String)>,
    pub action: Option<String>,
    pub version: Option<String>,
    pub access_key_id: Option<String>,
    pub nonce: Option<String>,
    pub timestamp: Option<String>,
    pub security_token: Option<String>,
    /// V3 only: `Credential`, `SignedHeaders`, `Signature` of the `Authorization` header.
    v3_auth: Option<V3Auth>,
}

#[derive(Debug)]
struct V3Auth {
    signed_headers: Vec<String>,
    signature: String,
}

impl Parsed {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn is_form(headers: &HeaderMap) -> bool {
    header(headers, "content-type").is_some_and(|ct| {
        ct.to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    })
}

/// Reads parameters and credentials from a V3 `Authorization` header or from V1 parameters.
/// A parse failure comes back beside what could be read, for the request log.
pub fn parse(req: &RawRequest<'_>) -> (Parsed, Option<ApiError>) {
    let form: Vec<(String, String)> = if is_form(req.headers) && !req.body.is_empty() {
        form_urlencoded::parse(req.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    } else {
        Vec::new()
    };
    let mut p = Parsed {
        params: sign::merge_params(&req.query, &form),
        form,
        ..Parsed::default()
    };
    let auth = header(req.headers, "authorization");
    if let Some(auth) = auth.filter(|a| a.starts_with(sign::V3_ALGORITHM)) {
        p.style = Some(SignatureStyle::V3);
        p.action = header(req.headers, "x-acs-action").map(str::to_string);
        p.version = header(req.headers, "x-acs-version").map(str::to_string);
        p.nonce = header(req.headers, "x-acs-signature-nonce").map(str::to_string);
        p.timestamp = header(req.headers, "x-acs-date").map(str::to_string);
        p.security_token = header(req.headers, "x-acs-security-token").map(str::to_string);
        match parse_v3_authorization(auth) {
            Some((ak, v3)) => {
                p.access_key_id = Some(ak);
                p.v3_auth = Some(v3);
            }
            None => {
                let err = ApiError::new(
                    400,
                    "IncompleteSignature",
                    "The request signature does not conform to Aliyun standards: expected Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b>,Signature=<hex>.",
                );
                return (p, Some(err));
            }
        }
    } else {
        p.style = Some(SignatureStyle::V1);
        let get = |n: &str| p.param(n).map(str::to_string);
        let (action, version, ak) = (get("Action"), get("Version"), get("AccessKeyId"));
        let (nonce, ts, token) = (
            get("SignatureNonce"),
            get("Timestamp"),
            get("SecurityToken"),
        );
        p.action = action;
        p.version = version;
        p.access_key_id = ak;
        p.nonce = nonce;
        p.timestamp = ts;
        p.security_token = token;
    }
    (p, None)
}

fn parse_v3_authorization(auth: &str) -> Option<(String, V3Auth)> {
    let rest = auth.strip_prefix(sign::V3_ALGORITHM)?.trim_start();
    let mut fields: HashMap<&str, &str> = HashMap::new();
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        fields.insert(k.trim(), v.trim());
    }
    let ak = fields.get("Credential")?.to_string();
    let signed_headers = fields
        .get("SignedHeaders")?
        .split(';')
        .filter(|h| !h.is_empty())
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let signature = fields.get("Signature")?.to_string();
    if ak.is_empty() || signature.is_empty() {
        return None;
    }
    Some((
        ak,
        V3Auth {
            signed_headers,
            signature,
        },
    ))
}

/// Routes and authenticates a parsed request. Order follows the gateway: routing, required
/// parameters, key, timestamp, security token, signature, and the nonce last so that a request
/// with a bad signature does not burn its nonce.
pub fn check(
    inner: &mut Inner,
    accounts: &Accounts,
    req: &RawRequest<'_>,
    p: &Parsed,
    now: OffsetDateTime,
) -> Result<(Action, Caller), ApiError> {
    let v3 = p.style == Some(SignatureStyle::V3);
    let name = |v1: &'static str, v3name: &'static str| if v3 { v3name } else { v1 };
    let action_name = p
        .action
        .as_deref()
        .ok_or_else(|| ApiError::missing(name("Action", "x-acs-action")))?;
    let version = p
        .version
        .as_deref()
        .ok_or_else(|| ApiError::missing(name("Version", "x-acs-version")))?;
    let action = Action::lookup(version, action_name)?;

    let ak = p
        .access_key_id
        .as_deref()
        .ok_or_else(|| ApiError::missing("AccessKeyId"))?;
    if !v3 {
        let method = p
            .param("SignatureMethod")
            .ok_or_else(|| ApiError::missing("SignatureMethod"))?;
        if method != "HMAC-SHA1" {
            return Err(ApiError::new(
                400,
                "InvalidSignatureMethod",
                format!("Specified signature method \"{method}\" is not valid; use HMAC-SHA1."),
            ));
        }
        let sv = p
            .param("SignatureVersion")
            .ok_or_else(|| ApiError::missing("SignatureVersion"))?;
        if sv != "1.0" {
            return Err(ApiError::new(
                400,
                "InvalidSignatureVersion",
                format!("Specified signature version \"{sv}\" is not valid; use 1.0."),
            ));
        }
        if p.param("Signature").is_none() {
            return Err(ApiError::missing("Signature"));
        }
    }
    let ts = p
        .timestamp
        .as_deref()
        .ok_or_else(|| ApiError::missing(name("Timestamp", "x-acs-date")))?;
    let nonce = p
        .nonce
        .as_deref()
        .ok_or_else(|| ApiError::missing(name("SignatureNonce", "x-acs-signature-nonce")))?;

    // Key lookup: long-term keys from the registry, `STS.` keys from what this emulator issued.
    let not_found = || {
        ApiError::new(
            404,
            "InvalidAccessKeyId.NotFound",
            format!("Specified access key \"{ak}\" is not found."),
        )
    };
    let (secret, caller, temp) = if ak.starts_with("STS.") {
        let cred = inner.temp_credentials.get(ak).ok_or_else(not_found)?;
        (
            cred.secret.clone(),
            Caller {
                account_id: cred.role.account_id.clone(),
                assumed: Some((cred.role.clone(), cred.session_name.clone())),
            },
            Some(cred.clone()),
        )
    } else {
        let (account, secret) = accounts.key(ak).ok_or_else(not_found)?;
        (
            secret.to_string(),
            Caller {
                account_id: account.to_string(),
                assumed: None,
            },
            None,
        )
    };

    let Some(when) = parse_timestamp(ts) else {
        return Err(ApiError::new(
            400,
            "InvalidTimeStamp.Format",
            format!(
                "Specified time stamp \"{ts}\" is not in the format YYYY-MM-DDThh:mm:ssZ (UTC)."
            ),
        ));
    };
    if (now - when).abs() > MAX_SKEW {
        return Err(ApiError::new(
            400,
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp or date value is expired: {ts} is more than 15 minutes from the server time {}.",
                format_timestamp(now)
            ),
        ));
    }

    if let Some(cred) = &temp {
        check_security_token(inner, ak, cred, p.security_token.as_deref(), now)?;
    }

    if v3 {
        check_v3(req, p, &secret)?;
    } else {
        check_v1(req, p, &secret)?;
    }

    // Nonces older than twice the skew window can never be replayed successfully (the
    // timestamp check refuses them), so they are forgotten.
    inner.nonces.retain(|_, seen| now - *seen <= MAX_SKEW * 2);
    let key = format!("{ak}\u{0}{nonce}");
    if inner.nonces.contains_key(&key) {
        return Err(ApiError::new(
            400,
            "SignatureNonceUsed",
            format!("Specified signature nonce \"{nonce}\" was used already."),
        ));
    }
    inner.nonces.insert(key, now);
    Ok((action, caller))
}

fn check_security_token(
    inner: &Inner,
    ak: &str,
    cred: &TempCredential,
    token: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Err(ApiError::new(
            400,
            "InvalidSecurityToken.Malformed",
            format!(
                "Specified SecurityToken is missing: the temporary access key \"{ak}\" needs the SecurityToken it was issued with (V1 parameter SecurityToken, V3 header x-acs-security-token)."
            ),
        ));
    };
    if token != cred.token {
        let issued_to_other = inner.temp_credentials.values().any(|c| c.token == token);
        return Err(if issued_to_other {
            ApiError::new(
                400,
                "InvalidSecurityToken.MismatchWithAccessKey",
                "Specified SecurityToken mismatch with the AccessKey.",
            )
        } else {
            ApiError::new(
                400,
                "InvalidSecurityToken.Malformed",
                "Specified SecurityToken is malformed or was not issued by this service.",
            )
        });
    }
    if now >= cred.expiration {
        return Err(ApiError::new(
            400,
            "InvalidSecurityToken.Expired",
            format!(
                "Specified SecurityToken is expired (expiration {}). Obtain new temporary credentials.",
                format_timestamp(cred.expiration)
            ),
        ));
    }
    Ok(())
}

fn mismatch(string_to_sign: &str, extra: &str) -> ApiError {
    ApiError::new(
        400,
        "SignatureDoesNotMatch",
        format!(
            "Specified signature is not matched with our calculation.{extra} server string to sign is:{string_to_sign}"
        ),
    )
}

/// Recomputes the V1 string to sign over query and form body merged into one map, as the
/// official signers build it: a parameter sent in both places is signed once, with the body's
/// value (spec `pools.md`, "Signing: one parameter map" in the API notes).
fn check_v1(req: &RawRequest<'_>, p: &Parsed, secret: &str) -> Result<(), ApiError> {
    let sts = sign::v1_string_to_sign_split(req.method, &req.query, &p.form);
    let expected = sign::v1_signature(secret, &sts);
    if p.param("Signature") == Some(expected.as_str()) {
        Ok(())
    } else {
        Err(mismatch(&sts, ""))
    }
}

fn check_v3(req: &RawRequest<'_>, p: &Parsed, secret: &str) -> Result<(), ApiError> {
    let Some(auth) = &p.v3_auth else {
        return Err(ApiError::new(
            400,
            "IncompleteSignature",
            "Missing signature.",
        ));
    };
    let claimed_hash = header(req.headers, "x-acs-content-sha256")
        .ok_or_else(|| ApiError::missing("x-acs-content-sha256"))?;
    let body_hash = sign::hex_sha256(req.body);
    let headers: Vec<(String, String)> = auth
        .signed_headers
        .iter()
        .map(|name| {
            let value = req
                .headers
                .get_all(name.as_str())
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect::<Vec<_>>()
                .join(",");
            (name.clone(), value)
        })
        .collect();
    // Only query parameters are in the canonical request; form parameters are covered by the
    // body hash.
    let query: Vec<(String, String)> = req.query.clone();
    // The server hashes the body it received: a client whose x-acs-content-sha256 lies about the
    // body fails the signature below, like on Alibaba's gateway.
    let signed = sign::v3_sign_all_headers(
        secret,
        &sign::V3Request {
            method: req.method,
            path: req.path,
            query: &query,
            headers: &headers,
            hashed_payload: &body_hash,
        },
    );
    if claimed_hash != body_hash {
        return Err(mismatch(
            &signed.string_to_sign,
            " The x-acs-content-sha256 header does not match the SHA-256 of the request body.",
        ));
    }
    if signed.signature != auth.signature.to_ascii_lowercase() {
        return Err(mismatch(&signed.string_to_sign, ""));
    }
    Ok(())
}
