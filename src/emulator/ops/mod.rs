//! The operations behind the gateway, one module per API family: `service` (activation),
//! `pools`, `cidr_blocks`, `eips` and `eip_list` (EIPs), `tags` (tags and resource groups of
//! pools and EIPs), `sts` (with the ECS metadata path). `params` reads parameters (`Name.N`
//! lists, paging), `rules` holds the checks the pool families share; [`Ctx`] carries what every
//! operation needs and runs writes with `ClientToken` replay.

mod cidr_blocks;
mod eip_list;
mod eips;
mod params;
mod pools;
mod rules;
mod service;
mod sts;
mod tags;

use std::sync::Arc;

use hyper::http::request::Parts;
use rand::Rng;
use time::OffsetDateTime;

use self::params::Params;
use super::control::{self, RequestRecord};
use super::error::ApiError;
use super::gateway::{self, Action, Caller, Parsed, RawRequest};
use super::server::{DropConnection, Resp, error_response, json_response};
use super::{Emulator, Inner, StoredAnswer, now_ms};
use crate::alicloud::regions::is_public_region;
use crate::alicloud::sign;

pub(super) use service::schedule;
pub(super) use sts::{METADATA_PREFIX, metadata};

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

/// A successful (or replayed) answer.
struct Answer {
    status: u16,
    body: Vec<u8>,
    request_id: String,
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
            let drop_answer = fault.as_ref().is_some_and(|f| f.drop_answer);
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
            if drop_answer {
                record.fill(&p);
                record.code = Some("DroppedAnswer".to_string());
                log::info!(
                    "{} {} carried out, answer dropped by fault",
                    raw.method,
                    raw.path
                );
                emu.lock().requests.push(record);
                return Err(DropConnection);
            }
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
    let ctx = Ctx {
        emu,
        caller,
        p,
        request_id,
        action: p.action.as_deref().unwrap_or_default(),
    };
    match action {
        Action::OpenPublicIpAddressPoolService => service::open(&ctx),
        Action::GetPublicIpAddressPoolServiceStatus => service::status(&ctx),
        Action::CreatePublicIpAddressPool => pools::create(&ctx),
        Action::DeletePublicIpAddressPool => pools::delete(&ctx),
        Action::UpdatePublicIpAddressPoolAttribute => pools::update(&ctx),
        Action::ListPublicIpAddressPools => pools::list(&ctx),
        Action::AddPublicIpAddressPoolCidrBlock => cidr_blocks::add(&ctx),
        Action::DeletePublicIpAddressPoolCidrBlock => cidr_blocks::delete(&ctx),
        Action::ListPublicIpAddressPoolCidrBlocks => cidr_blocks::list(&ctx),
        Action::TagResources => tags::tag(&ctx),
        Action::UnTagResources => tags::untag(&ctx),
        Action::ListTagResources => tags::list(&ctx),
        Action::MoveResourceGroup => tags::move_resource_group(&ctx),
        Action::AllocateEipAddress => eips::allocate(&ctx),
        Action::ReleaseEipAddress => eips::release(&ctx),
        Action::ModifyEipAddressAttribute => eips::modify(&ctx),
        Action::DeletionProtection => eips::protect(&ctx),
        Action::DescribeEipAddresses => eip_list::describe(&ctx),
        Action::AssumeRole => sts::assume_role(&ctx),
        Action::GetCallerIdentity => sts::caller_identity(&ctx),
    }
}

/// Parameters every request may carry that are not the operation's own: the V1 common
/// parameters and the token itself. They are left out of a request's fingerprint, so that a
/// retry (new nonce, timestamp, signature, maybe the other signature version) matches.
const NOT_FINGERPRINTED: &[&str] = &[
    "AccessKeyId",
    "Action",
    "ClientToken",
    "Format",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureType",
    "SignatureVersion",
    "Timestamp",
    "Version",
];

/// What every operation gets: who calls, the parsed request, its request ID.
struct Ctx<'a> {
    emu: &'a Arc<Emulator>,
    caller: &'a Caller,
    p: &'a Parsed,
    request_id: &'a str,
    action: &'a str,
}

impl<'a> Ctx<'a> {
    fn account(&self) -> &'a str {
        &self.caller.account_id
    }

    fn params(&self) -> Params<'a> {
        Params::new(self.p)
    }

    /// `RegionId`: required, and one of Alibaba's public regions.
    fn region(&self) -> Result<&'a str, ApiError> {
        let region = self.params().required("RegionId")?;
        if !is_public_region(region) {
            return Err(ApiError::new(
                404,
                "InvalidRegionId.NotFound",
                format!("The specified RegionId \"{region}\" does not exist."),
            ));
        }
        Ok(region)
    }

    fn answer(&self, body: Vec<u8>) -> Answer {
        Answer {
            status: 200,
            body,
            request_id: self.request_id.to_string(),
        }
    }

    /// The emulator's clock, as `CreationTime` is written.
    fn creation_time(&self) -> String {
        gateway::format_timestamp(OffsetDateTime::now_utc())
    }

    fn page_size_limit(&self) -> Option<usize> {
        self.emu.page_size_limit
    }

    /// When a change started now completes, or `None` without `--operation-delay`.
    fn pending_until(&self) -> Option<i64> {
        let delay = self.emu.operation_delay;
        if delay.is_zero() {
            return None;
        }
        let ms = i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
        let due = now_ms().saturating_add(ms);
        self.emu.settle_at(due);
        Some(due)
    }

    /// Runs a read under the lock, after completing the changes due.
    fn read(
        &self,
        f: impl FnOnce(&mut Inner) -> Result<Vec<u8>, ApiError>,
    ) -> Result<Answer, ApiError> {
        let mut inner = self.emu.lock();
        settle(self.emu, &mut inner);
        f(&mut inner).map(|body| self.answer(body))
    }

    /// Runs a write under the lock with `ClientToken` replay: the same token from the same
    /// account for the same action gets the first successful answer again, body and RequestId
    /// included; with other parameters it is `IdempotentParameterMismatch`. Failures (dry runs
    /// included) are not stored, so a retry with the token can still succeed.
    fn write(
        &self,
        f: impl FnOnce(&mut Inner) -> Result<Vec<u8>, ApiError>,
    ) -> Result<Answer, ApiError> {
        let mut inner = self.emu.lock();
        settle(self.emu, &mut inner);
        let token = self.params().opt("ClientToken");
        let fingerprint = fingerprint(self.p);
        let key = token.map(|t| {
            (
                self.account().to_string(),
                self.action.to_string(),
                t.to_string(),
            )
        });
        if let Some(stored) = key.as_ref().and_then(|k| inner.answers.get(k)) {
            if stored.fingerprint != fingerprint {
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
        let body = f(&mut inner)?;
        self.emu.persist(&inner);
        if let Some(key) = key {
            inner.answers.insert(
                key,
                StoredAnswer {
                    fingerprint,
                    status: 200,
                    body: body.clone(),
                    request_id: self.request_id.to_string(),
                },
            );
        }
        Ok(self.answer(body))
    }
}

/// Completes the pool and block changes that are due, writing the state file if any did.
fn settle(emu: &Emulator, inner: &mut Inner) {
    if inner.state.settle(now_ms()) {
        emu.persist(inner);
    }
}

fn fingerprint(p: &Parsed) -> String {
    let own: Vec<(&str, &str)> = p
        .params
        .iter()
        .filter(|(k, _)| !NOT_FINGERPRINTED.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    sign::canonicalized_query(&own)
}

/// `DryRunOperation`: what a successful dry run answers (an error, as on Alibaba).
fn dry_run_passed() -> ApiError {
    ApiError::new(
        400,
        "DryRunOperation",
        "Request validation has been passed with DryRun flag set.",
    )
}
