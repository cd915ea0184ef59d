//! The operations behind the gateway: VPC IP address pool activation and status, STS
//! `AssumeRole` / `GetCallerIdentity`, and the ECS metadata credentials path.

use std::sync::Arc;

use hyper::http::request::Parts;
use rand::Rng;
use rand::distr::Alphanumeric;
use serde::Serialize;
use time::OffsetDateTime;

use super::control::{self, RequestRecord};
use super::error::ApiError;
use super::gateway::{self, Action, Caller, Parsed, RawRequest, TempCredential};
use super::server::{DropConnection, Resp, error_response, json_response, text_response, to_json};
use super::{Emulator, Inner, StoredAnswer};
use crate::alicloud::regions::is_public_region;

pub(super) const METADATA_PREFIX: &str = "/latest/meta-data/ram/security-credentials";

/// How long ECS metadata credentials live, like the real service (about six hours).
const ECS_CREDENTIAL_LIFETIME: time::Duration = time::Duration::hours(6);

/// Alibaba request IDs look like upper-case UUIDs.
pub(super) fn new_request_id() -> String {
    let mut rng = rand::rng();
    let b: [u8; 16] = rng.random();
    let h = hex::encode_upper(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn random_alnum(n: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(n)
        .map(char::from)
        .collect()
}

/// A successful (or replayed) answer.
struct Answer {
    status: u16,
    body: Vec<u8>,
    request_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct OpenResponse<'a> {
    request_id: &'a str,
    /// A string, as the documentation's example shows.
    code: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct StatusResponse<'a> {
    request_id: &'a str,
    enabled: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Credentials<'a> {
    access_key_id: &'a str,
    access_key_secret: &'a str,
    security_token: &'a str,
    expiration: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AssumedRoleUser {
    arn: String,
    assumed_role_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AssumeRoleResponse<'a> {
    request_id: &'a str,
    assumed_role_user: AssumedRoleUser,
    credentials: Credentials<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CallerIdentityResponse<'a> {
    request_id: &'a str,
    account_id: &'a str,
    arn: String,
    user_id: String,
    principal_id: String,
    identity_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    role_id: Option<&'a str>,
}

/// The ECS metadata document, field names as the metadata service spells them.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EcsCredentials<'a> {
    access_key_id: &'a str,
    access_key_secret: &'a str,
    security_token: &'a str,
    expiration: String,
    code: &'a str,
    last_updated: String,
}

/// Handles a request on `/`: gateway checks, faults, then the operation. Every request is logged
/// and recorded for `GET /_emulator/requests`.
pub(super) async fn handle(
    emu: &Arc<Emulator>,
    parts: &Parts,
    body: &[u8],
) -> Result<Resp, DropConnection> {
    let request_id = new_request_id();
    let now = OffsetDateTime::now_utc();
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let raw = RawRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query,
        headers: &parts.headers,
        body,
    };
    let mut record = RequestRecord::new(now, raw.method, raw.path, &request_id);
    let host = parts
        .headers
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);

    // Gateway checks and the fault lookup happen under one lock, without awaiting.
    let checked = {
        let mut inner = emu.lock();
        if raw.path != "/" || !(raw.method == "GET" || raw.method == "POST") {
            Err((
                None,
                ApiError::new(
                    404,
                    "InvalidAction.NotFound",
                    format!(
                        "Specified api is not found, please check your url and method ({} {}).",
                        raw.method, raw.path
                    ),
                ),
            ))
        } else {
            match gateway::parse(&raw) {
                (p, Some(e)) => Err((Some(p), e)),
                (p, None) => match gateway::check(&mut inner, &emu.accounts, &raw, &p, now) {
                    Err(e) => Err((Some(p), e)),
                    Ok((action, caller)) => {
                        let fault = control::take_fault(
                            &mut inner,
                            p.action.as_deref().unwrap_or_default(),
                            p.param("RegionId"),
                        );
                        Ok((p, action, caller, fault))
                    }
                },
            }
        }
    };

    let (parsed, outcome) = match checked {
        Err((p, e)) => (p, Err(e)),
        Ok((p, action, caller, fault)) => {
            let mut outcome = None;
            if let Some(fault) = fault {
                if let Some(delay) = fault.delay {
                    tokio::time::sleep(delay).await;
                }
                if fault.drop_connection {
                    record.fill(&p);
                    record.code = Some("DroppedConnection".to_string());
                    log::info!("{} {} dropped by fault", raw.method, raw.path);
                    emu.lock().requests.push(record);
                    return Err(DropConnection);
                }
                outcome = fault.error.map(Err);
            }
            let outcome = outcome.unwrap_or_else(|| run(emu, action, &caller, &p, &request_id));
            let host_id = host
                .clone()
                .unwrap_or_else(|| action.product_host().to_string());
            record.host_id = Some(host_id);
            (Some(p), outcome)
        }
    };

    if let Some(p) = &parsed {
        record.fill(p);
    }
    let host_id = record
        .host_id
        .clone()
        .or(host)
        .unwrap_or_else(|| "vpc.aliyuncs.com".to_string());
    let resp = match outcome {
        Ok(answer) => {
            record.http_status = Some(answer.status);
            record.request_id = answer.request_id.clone();
            json_response(answer.status, answer.body, Some(&answer.request_id))
        }
        Err(err) => {
            record.http_status = Some(err.status);
            record.code = Some(err.code.clone());
            error_response(&err, &request_id, &host_id)
        }
    };
    log::info!(
        "{} {} action={} region={} status={} code={}",
        raw.method,
        raw.path,
        record.action.as_deref().unwrap_or("-"),
        record.region.as_deref().unwrap_or("-"),
        record.http_status.unwrap_or(0),
        record.code.as_deref().unwrap_or("-"),
    );
    emu.lock().requests.push(record);
    Ok(resp)
}

fn run(
    emu: &Arc<Emulator>,
    action: Action,
    caller: &Caller,
    p: &Parsed,
    request_id: &str,
) -> Result<Answer, ApiError> {
    match action {
        Action::OpenPublicIpAddressPoolService => open(emu, caller, p, request_id),
        Action::GetPublicIpAddressPoolServiceStatus => status(emu, caller, p, request_id),
        Action::AssumeRole => assume_role(emu, caller, p, request_id),
        Action::GetCallerIdentity => caller_identity(caller, request_id),
    }
}

fn region(p: &Parsed) -> Result<&str, ApiError> {
    let region = p
        .param("RegionId")
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiError::missing("RegionId"))?;
    if !is_public_region(region) {
        return Err(ApiError::new(
            404,
            "InvalidRegionId.NotFound",
            format!("The specified RegionId \"{region}\" does not exist."),
        ));
    }
    Ok(region)
}

const OPEN: &str = "OpenPublicIpAddressPoolService";

fn open(
    emu: &Arc<Emulator>,
    caller: &Caller,
    p: &Parsed,
    request_id: &str,
) -> Result<Answer, ApiError> {
    let region = region(p)?;
    let account = caller.account_id.as_str();
    let token = p.param("ClientToken").filter(|t| !t.is_empty());
    let mut inner = emu.lock();
    // Idempotence: the same token from the same account gets the first successful answer back,
    // body and RequestId included. Failures are not stored, so a retry after a conflict with the
    // same token can still succeed.
    if let Some(token) = token {
        let key = (account.to_string(), OPEN.to_string(), token.to_string());
        if let Some(stored) = inner.answers.get(&key) {
            if stored.region.as_deref() != Some(region) {
                return Err(ApiError::new(
                    400,
                    "IdempotentParameterMismatch",
                    "The request uses the same ClientToken as a previous, but non-identical request.",
                ));
            }
            return Ok(Answer {
                status: stored.status,
                body: stored.body.clone(),
                request_id: stored.request_id.clone(),
            });
        }
    }
    if inner.pending.keys().any(|(a, _)| a == account) {
        return Err(ApiError::new(
            400,
            "OperationConflict",
            "The operation conflicts with an activation in progress: OpenPublicIpAddressPoolService does not support concurrent activation within the same Alibaba Cloud account. Retry later.",
        ));
    }
    if inner.state.is_enabled(account, region) {
        return Err(ApiError::new(
            400,
            "OperationFailed.ExceedPurchaseLimit",
            "You have reached the limit of purchase quantity.",
        ));
    }
    activate(emu, &mut inner, account, region);
    let body = to_json(&OpenResponse {
        request_id,
        code: "200",
        message: "successful",
    });
    if let Some(token) = token {
        inner.answers.insert(
            (account.to_string(), OPEN.to_string(), token.to_string()),
            StoredAnswer {
                region: Some(region.to_string()),
                status: 200,
                body: body.clone(),
                request_id: request_id.to_string(),
            },
        );
    }
    Ok(Answer {
        status: 200,
        body,
        request_id: request_id.to_string(),
    })
}

/// Enables now, or marks pending (in the state file too) and enables after the activation delay.
fn activate(emu: &Arc<Emulator>, inner: &mut Inner, account: &str, region: &str) {
    if emu.activation_delay.is_zero() {
        inner.state.set_enabled(account, region, true);
        emu.persist(inner);
        return;
    }
    inner.state.set_pending(account, region, true);
    emu.persist(inner);
    schedule(emu, inner, account, region);
}

/// Starts the timer that finishes a pending activation after the activation delay.
pub(super) fn schedule(emu: &Arc<Emulator>, inner: &mut Inner, account: &str, region: &str) {
    inner.generation += 1;
    let generation = inner.generation;
    let key = (account.to_string(), region.to_string());
    inner.pending.insert(key.clone(), generation);
    let emu2 = emu.clone();
    let delay = emu.activation_delay;
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let mut inner = emu2.lock();
        // A reset or an explicit PUT since then replaced this activation.
        if inner.pending.get(&key) == Some(&generation) {
            inner.pending.remove(&key);
            inner.state.set_pending(&key.0, &key.1, false);
            inner.state.set_enabled(&key.0, &key.1, true);
            emu2.persist(&inner);
        }
    });
}

fn status(
    emu: &Arc<Emulator>,
    caller: &Caller,
    p: &Parsed,
    request_id: &str,
) -> Result<Answer, ApiError> {
    let region = region(p)?;
    let enabled = emu.lock().state.is_enabled(&caller.account_id, region);
    Ok(Answer {
        status: 200,
        body: to_json(&StatusResponse {
            request_id,
            enabled,
        }),
        request_id: request_id.to_string(),
    })
}

fn issue_credentials(
    inner: &mut Inner,
    role: &super::accounts::Role,
    session_name: &str,
    expiration: OffsetDateTime,
) -> (String, TempCredential) {
    let ak = format!("STS.{}", random_alnum(25));
    let cred = TempCredential {
        secret: random_alnum(44),
        token: format!("CAIS{}", random_alnum(240)),
        role: role.clone(),
        session_name: session_name.to_string(),
        expiration,
    };
    let now = OffsetDateTime::now_utc();
    // Expired credentials are useless after an hour of grace (kept that long so clients see
    // `InvalidSecurityToken.Expired` rather than an unknown key).
    inner
        .temp_credentials
        .retain(|_, c| c.expiration + time::Duration::hours(1) > now);
    inner.temp_credentials.insert(ak.clone(), cred.clone());
    (ak, cred)
}

fn assume_role(
    emu: &Arc<Emulator>,
    caller: &Caller,
    p: &Parsed,
    request_id: &str,
) -> Result<Answer, ApiError> {
    let arn = p
        .param("RoleArn")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::missing("RoleArn"))?;
    let session = p
        .param("RoleSessionName")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::missing("RoleSessionName"))?;
    if session.len() < 2
        || session.len() > 64
        || !session
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._@-".contains(&b))
    {
        return Err(ApiError::invalid(
            "RoleSessionName",
            "RoleSessionName must be 2 to 64 characters of letters, digits, '.', '@', '-' and '_'.",
        ));
    }
    let duration: i64 = match p.param("DurationSeconds") {
        None => 3600,
        Some(s) => s
            .parse()
            .ok()
            .filter(|d| (900..=43200).contains(d))
            .ok_or_else(|| {
                ApiError::invalid(
                    "DurationSeconds",
                    format!("DurationSeconds \"{s}\" must be an integer from 900 to 43200."),
                )
            })?,
    };
    if let Some(policy) = p.param("Policy").filter(|s| !s.is_empty())
        && serde_json::from_str::<serde_json::Value>(policy).is_err()
    {
        return Err(ApiError::new(
            400,
            "InvalidParameter.PolicyGrammar",
            "The parameter Policy is not valid JSON.",
        ));
    }
    // Only roles of the caller's own account can be assumed: the emulator has no trust policies.
    let role = emu
        .accounts
        .role(arn)
        .filter(|r| r.account_id == caller.account_id)
        .cloned()
        .ok_or_else(|| {
            ApiError::new(
                404,
                "EntityNotExist.Role",
                format!("The role not exists: {arn}."),
            )
        })?;
    let expiration = OffsetDateTime::now_utc() + time::Duration::seconds(duration);
    let mut inner = emu.lock();
    let (ak, cred) = issue_credentials(&mut inner, &role, session, expiration);
    let body = to_json(&AssumeRoleResponse {
        request_id,
        assumed_role_user: AssumedRoleUser {
            arn: format!(
                "acs:ram::{}:role/{}/{}",
                role.account_id, role.name, session
            ),
            assumed_role_id: format!("{}:{}", role.role_id, session),
        },
        credentials: Credentials {
            access_key_id: &ak,
            access_key_secret: &cred.secret,
            security_token: &cred.token,
            expiration: gateway::format_timestamp(expiration),
        },
    });
    Ok(Answer {
        status: 200,
        body,
        request_id: request_id.to_string(),
    })
}

fn caller_identity(caller: &Caller, request_id: &str) -> Result<Answer, ApiError> {
    let account = caller.account_id.as_str();
    let body = match &caller.assumed {
        None => to_json(&CallerIdentityResponse {
            request_id,
            account_id: account,
            arn: format!("acs:ram::{account}:root"),
            user_id: account.to_string(),
            principal_id: account.to_string(),
            identity_type: "Account",
            role_id: None,
        }),
        Some((role, session)) => to_json(&CallerIdentityResponse {
            request_id,
            account_id: account,
            arn: format!("acs:ram::{account}:assumed-role/{}/{session}", role.name),
            user_id: format!("{}:{session}", role.role_id),
            principal_id: format!("{}:{session}", role.role_id),
            identity_type: "AssumedRoleUser",
            role_id: Some(&role.role_id),
        }),
    };
    Ok(Answer {
        status: 200,
        body,
        request_id: request_id.to_string(),
    })
}

/// `GET /latest/meta-data/ram/security-credentials/[<role>]`: the role list, or fresh temporary
/// credentials for an ECS role name, like the instance metadata service.
pub(super) fn metadata(emu: &Arc<Emulator>, parts: &Parts) -> Resp {
    let now = OffsetDateTime::now_utc();
    let path = parts.uri.path();
    let mut record = RequestRecord::new(now, parts.method.as_str(), path, "");
    record.action = Some("EcsMetadata".to_string());
    let name = path
        .strip_prefix(METADATA_PREFIX)
        .unwrap_or_default()
        .trim_start_matches('/');
    let resp = if parts.method != hyper::Method::GET {
        text_response(405, "Method Not Allowed")
    } else if name.is_empty() {
        let names: Vec<&str> = emu.accounts.ecs_role_names().collect();
        text_response(200, &names.join("\n"))
    } else if let Some(role) = emu.accounts.ecs_role(name).cloned() {
        let mut inner = emu.lock();
        let expiration = now + ECS_CREDENTIAL_LIFETIME;
        let (ak, cred) = issue_credentials(&mut inner, &role, "ecs-instance", expiration);
        record.access_key_id = Some(ak.clone());
        let body = to_json(&EcsCredentials {
            access_key_id: &ak,
            access_key_secret: &cred.secret,
            security_token: &cred.token,
            expiration: gateway::format_timestamp(expiration),
            code: "Success",
            last_updated: gateway::format_timestamp(now),
        });
        json_response(200, body, None)
    } else {
        text_response(404, "Not Found")
    };
    record.http_status = Some(resp.status().as_u16());
    log::info!("GET {path} status={}", resp.status().as_u16());
    emu.lock().requests.push(record);
    resp
}
