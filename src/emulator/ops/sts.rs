//! STS `AssumeRole` / `GetCallerIdentity` and the ECS metadata credentials path.

use std::sync::Arc;

use hyper::http::request::Parts;
use rand::Rng;
use rand::distr::Alphanumeric;
use serde::Serialize;
use time::OffsetDateTime;

use super::{Answer, Ctx};
use crate::emulator::control::RequestRecord;
use crate::emulator::error::ApiError;
use crate::emulator::gateway::{self, TempCredential};
use crate::emulator::server::{Resp, json_response, text_response, to_json};
use crate::emulator::{Emulator, Inner};

pub(in crate::emulator) const METADATA_PREFIX: &str = "/latest/meta-data/ram/security-credentials";

/// How long ECS metadata credentials live, like the real service (about six hours).
const ECS_CREDENTIAL_LIFETIME: time::Duration = time::Duration::hours(6);

fn random_alnum(n: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(n)
        .map(char::from)
        .collect()
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

fn issue_credentials(
    inner: &mut Inner,
    role: &crate::emulator::accounts::Role,
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

pub(super) fn assume_role(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let (emu, caller, p, request_id) = (ctx.emu, ctx.caller, ctx.p, ctx.request_id);
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

pub(super) fn caller_identity(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let (caller, request_id) = (ctx.caller, ctx.request_id);
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
pub(in crate::emulator) fn metadata(emu: &Arc<Emulator>, parts: &Parts) -> Resp {
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
