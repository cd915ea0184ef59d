//! The unsigned control API under `/_emulator/` (loopback peers only): inspect and reset state,
//! set activations, inject faults, read the request log. Tests and demos drive the emulator through it; it is documented in
//! `docs/emulator.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::Method;
use hyper::http::request::Parts;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::eips::{self, Eip};
use super::error::ApiError;
use super::gateway::Parsed;
use super::resources::Pool;
use super::server::{Resp, json_response, to_json};
use super::{Emulator, Inner, now_ms};
use crate::alicloud::regions::is_public_region;

/// An injected fault. Faults apply to signed API requests that passed the gateway checks
/// (signature, timestamp, nonce, action, version), before the operation runs: they model
/// failures of the service behind a healthy gateway.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Action to match; omitted matches every action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// `RegionId` to match; omitted matches any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    /// Error code to answer with; omitted means no error (only the delay or the drop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Status of the error answer; default 400.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// How many matching requests it applies to; omitted means forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// Wait this long before answering (or dropping).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Close the TCP connection without any response.
    #[serde(default)]
    pub drop_connection: bool,
    /// Carry the request out, then close the connection without its answer: the answer lost
    /// on the way back, which only an idempotent retry (the same `ClientToken`) survives.
    #[serde(default)]
    pub drop_answer: bool,
}

/// What a matching fault does to one request.
pub(super) struct FaultHit {
    pub delay: Option<Duration>,
    pub drop_connection: bool,
    pub drop_answer: bool,
    pub error: Option<ApiError>,
}

/// Finds the first fault matching the request and consumes one of its `times`.
pub(super) fn take_fault(
    inner: &mut Inner,
    action: &str,
    region: Option<&str>,
) -> Option<FaultHit> {
    let idx = inner.faults.iter().position(|f| {
        f.action.as_deref().is_none_or(|a| a == action)
            && f.region_id.as_deref().is_none_or(|r| Some(r) == region)
    })?;
    let fault = inner.faults[idx].clone();
    match fault.times {
        Some(n) if n <= 1 => {
            inner.faults.remove(idx);
        }
        Some(n) => inner.faults[idx].times = Some(n - 1),
        None => {}
    }
    Some(FaultHit {
        delay: fault.delay_ms.map(Duration::from_millis),
        drop_connection: fault.drop_connection,
        drop_answer: fault.drop_answer,
        error: fault.code.map(|code| {
            ApiError::new(
                fault.http_status.unwrap_or(400),
                &code,
                fault
                    .message
                    .unwrap_or_else(|| format!("Injected fault {code}.")),
            )
        }),
    })
}

/// One line of `GET /_emulator/requests`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestRecord {
    /// When the request arrived, RFC 3339 UTC.
    pub time: String,
    pub method: String,
    pub path: String,
    pub action: Option<String>,
    pub version: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub client_token: Option<String>,
    /// `HMAC-SHA1` (V1) or `ACS3-HMAC-SHA256` (V3).
    pub signature_method: Option<String>,
    pub signature_nonce: Option<String>,
    /// `None` when the connection was dropped by a fault.
    pub http_status: Option<u16>,
    /// Error code; `None` on success.
    pub code: Option<String>,
    pub request_id: String,
    #[serde(skip)]
    pub(super) host_id: Option<String>,
}

impl RequestRecord {
    pub(super) fn new(now: OffsetDateTime, method: &str, path: &str, request_id: &str) -> Self {
        RequestRecord {
            time: now
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            method: method.to_string(),
            path: path.to_string(),
            action: None,
            version: None,
            region: None,
            access_key_id: None,
            client_token: None,
            signature_method: None,
            signature_nonce: None,
            http_status: None,
            code: None,
            request_id: request_id.to_string(),
            host_id: None,
        }
    }

    pub(super) fn fill(&mut self, p: &Parsed) {
        self.action = p.action.clone();
        self.version = p.version.clone();
        self.region = p.param("RegionId").map(str::to_string);
        self.access_key_id = p.access_key_id.clone();
        self.client_token = p.param("ClientToken").map(str::to_string);
        self.signature_method = p.style.map(|s| s.method_name().to_string());
        self.signature_nonce = p.nonce.clone();
    }
}

#[derive(Serialize)]
struct StateView {
    accounts: Vec<AccountView>,
    faults: Vec<Fault>,
    activation_delay_ms: u128,
    operation_delay_ms: u128,
    temporary_credentials: usize,
}

#[derive(Serialize)]
struct AccountView {
    account_id: String,
    enabled_regions: BTreeSet<String>,
    pending_regions: BTreeSet<String>,
    /// Pools of all regions with their blocks, derived status and address counts.
    pools: Vec<serde_json::Value>,
    /// EIPs of all regions, with their derived status.
    eips: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetRegion {
    enabled: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ExpireCredentials {
    #[serde(default)]
    access_key_id: Option<String>,
}

pub(super) fn reply<T: Serialize>(status: u16, value: &T) -> Resp {
    json_response(status, to_json(value), None)
}

pub(super) fn fail(status: u16, message: impl Into<String>) -> Resp {
    reply(status, &serde_json::json!({ "error": message.into() }))
}

fn ok() -> Resp {
    reply(200, &serde_json::json!({ "ok": true }))
}

pub(super) fn parse_body<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("invalid JSON body: {e}"))
}

pub(super) fn handle(emu: &Arc<Emulator>, peer: SocketAddr, parts: &Parts, body: &[u8]) -> Resp {
    // Unsigned and able to change everything: only for processes on this machine.
    if !peer.ip().to_canonical().is_loopback() {
        return fail(403, "the control API only answers loopback clients");
    }
    let segments: Vec<&str> = parts
        .uri
        .path()
        .trim_start_matches("/_emulator")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let method = &parts.method;
    match (method, segments.as_slice()) {
        (&Method::GET, ["state"]) => reply(200, &state_view(emu)),
        (&Method::POST, ["reset"]) => {
            let mut inner = emu.lock();
            let generation = inner.generation + 1;
            *inner = Inner {
                generation,
                ..Inner::default()
            };
            emu.persist(&inner);
            ok()
        }
        (&Method::PUT, ["accounts", account, "regions", region]) => {
            let req: SetRegion = match parse_body(body) {
                Ok(r) => r,
                Err(e) => return fail(400, e),
            };
            if !emu.accounts.account_exists(account) {
                return fail(404, format!("unknown account {account}"));
            }
            if !is_public_region(region) {
                return fail(400, format!("unknown region {region}"));
            }
            let mut inner = emu.lock();
            inner
                .pending
                .remove(&(account.to_string(), region.to_string()));
            inner.state.set_pending(account, region, false);
            inner.state.set_enabled(account, region, req.enabled);
            emu.persist(&inner);
            ok()
        }
        (&Method::POST, ["faults"]) => {
            let fault: Fault = match parse_body(body) {
                Ok(f) => f,
                Err(e) => return fail(400, e),
            };
            if fault.code.is_none()
                && fault.delay_ms.is_none()
                && !fault.drop_connection
                && !fault.drop_answer
            {
                return fail(
                    400,
                    "a fault needs code, delay_ms, drop_connection or drop_answer",
                );
            }
            if fault.drop_answer && (fault.code.is_some() || fault.drop_connection) {
                return fail(
                    400,
                    "drop_answer carries the request out: it goes with neither code nor drop_connection",
                );
            }
            if let Some(s) = fault.http_status
                && !(400..=599).contains(&s)
            {
                return fail(400, "http_status must be from 400 to 599");
            }
            if fault.times == Some(0) {
                return fail(400, "times must be at least 1 (omit it for forever)");
            }
            emu.lock().faults.push(fault);
            ok()
        }
        (&Method::GET, ["faults"]) => reply(200, &emu.lock().faults),
        (&Method::DELETE, ["faults"]) => {
            emu.lock().faults.clear();
            ok()
        }
        (&Method::GET, ["requests"]) => reply(200, &emu.lock().requests),
        (&Method::DELETE, ["requests"]) => {
            emu.lock().requests.clear();
            ok()
        }
        (&Method::POST, ["credentials", "expire"]) => {
            let req: ExpireCredentials = if body.is_empty() {
                ExpireCredentials::default()
            } else {
                match parse_body(body) {
                    Ok(r) => r,
                    Err(e) => return fail(400, e),
                }
            };
            let now = OffsetDateTime::now_utc();
            let mut inner = emu.lock();
            let mut count = 0;
            for (ak, cred) in inner.temp_credentials.iter_mut() {
                if req.access_key_id.as_deref().is_none_or(|a| a == ak) {
                    cred.expiration = now;
                    count += 1;
                }
            }
            reply(200, &serde_json::json!({ "expired": count }))
        }
        _ => fail(
            404,
            format!("no control endpoint {method} {}", parts.uri.path()),
        ),
    }
}

fn state_view(emu: &Emulator) -> StateView {
    let mut inner = emu.lock();
    if inner.state.settle(now_ms()) {
        emu.persist(&inner);
    }
    let mut accounts: BTreeMap<String, AccountView> = BTreeMap::new();
    let view = |id: &str| AccountView {
        account_id: id.to_string(),
        enabled_regions: BTreeSet::new(),
        pending_regions: BTreeSet::new(),
        pools: Vec::new(),
        eips: Vec::new(),
    };
    for id in emu.accounts.account_ids() {
        accounts.insert(id.clone(), view(id));
    }
    for (id, a) in &inner.state.accounts {
        let v = accounts.entry(id.clone()).or_insert_with(|| view(id));
        v.enabled_regions.extend(a.enabled_regions.iter().cloned());
        v.pools
            .extend(a.pools.iter().map(|p| pool_state(p, &a.eips)));
        v.eips.extend(a.eips.iter().map(eip_state));
    }
    for (account, region) in inner.pending.keys() {
        accounts
            .entry(account.clone())
            .or_insert_with(|| view(account))
            .pending_regions
            .insert(region.clone());
    }
    StateView {
        accounts: accounts.into_values().collect(),
        faults: inner.faults.clone(),
        activation_delay_ms: emu.activation_delay.as_millis(),
        operation_delay_ms: emu.operation_delay.as_millis(),
        temporary_credentials: inner.temp_credentials.len(),
    }
}

/// The state file's fields of `value` plus the derived ones in `extra`.
fn with_derived(value: &impl Serialize, extra: &[(&str, serde_json::Value)]) -> serde_json::Value {
    let mut v = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    if let Some(m) = v.as_object_mut() {
        for (k, x) in extra {
            m.insert((*k).to_string(), x.clone());
        }
    }
    v
}

/// A pool as `GET /_emulator/state` shows it: the state file's fields plus the derived
/// `status`, `total_ip_num` and `used_ip_num` (of the pool and of each block; the used counts
/// follow the EIPs allocated from them).
fn pool_state(pool: &Pool, all: &[Eip]) -> serde_json::Value {
    use serde_json::json;
    let blocks: Vec<serde_json::Value> = pool
        .blocks
        .iter()
        .map(|b| {
            with_derived(
                b,
                &[
                    ("status", json!(b.status())),
                    ("total_ip_num", json!(b.total_ip_num())),
                    (
                        "used_ip_num",
                        json!(eips::used_ip_num(all, &pool.id, Some(&b.cidr_block))),
                    ),
                ],
            )
        })
        .collect();
    with_derived(
        pool,
        &[
            ("status", json!(pool.status())),
            ("total_ip_num", json!(pool.total_ip_num())),
            ("used_ip_num", json!(eips::used_ip_num(all, &pool.id, None))),
            ("blocks", serde_json::Value::Array(blocks)),
        ],
    )
}

/// An EIP as `GET /_emulator/state` shows it: the state file's fields plus `status`.
fn eip_state(eip: &Eip) -> serde_json::Value {
    with_derived(eip, &[("status", serde_json::json!(eip.status()))])
}
