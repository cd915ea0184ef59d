//! The pool side of the control API: addresses allocated from a pool, as EIPs allocated from it
//! would be (so that "in use" refusals can be tested without an EIP API), and the pools shown by
//! `GET /_emulator/state`.
//!
//! `POST /_emulator/accounts/{account}/regions/{region}/pools/{pool}/allocations` with
//! `{"cidr_block": optional, "count": N}` allocates N addresses (from that block, or from the
//! pool's blocks in order); `DELETE` of the same path releases them (`count` omitted: all).

use hyper::Method;
use serde::Deserialize;
use serde_json::{Value, json};

use super::control::{fail, parse_body, reply};
use super::ops::parse_block;
use super::resources::{Block, Pool};
use super::server::Resp;
use super::{Emulator, now_ms};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Allocation {
    #[serde(default)]
    cidr_block: Option<String>,
    #[serde(default)]
    count: Option<u64>,
}

pub(super) fn handle(
    emu: &Emulator,
    method: &Method,
    account: &str,
    region: &str,
    pool_id: &str,
    body: &[u8],
) -> Resp {
    let req: Allocation = if body.is_empty() {
        Allocation::default()
    } else {
        match parse_body(body) {
            Ok(r) => r,
            Err(e) => return fail(400, e),
        }
    };
    let cidr = match req.cidr_block.as_deref().map(parse_block).transpose() {
        Ok(c) => c,
        Err(e) => return fail(400, e.message),
    };
    let allocate = match *method {
        Method::POST => true,
        Method::DELETE => false,
        _ => return fail(405, "allocations take POST (allocate) or DELETE (release)"),
    };
    if allocate && req.count.is_none_or(|n| n == 0) {
        return fail(400, "count must be at least 1");
    }
    let mut inner = emu.lock();
    if inner.state.settle(now_ms()) {
        emu.persist(&inner);
    }
    let Some(pool) = inner.state.accounts.get_mut(account).and_then(|a| {
        a.pools
            .iter_mut()
            .find(|p| p.id == pool_id && p.region_id == region)
    }) else {
        return fail(
            404,
            format!("no pool {pool_id} in {region} of account {account}"),
        );
    };
    if pool.pending.is_some() {
        return fail(409, format!("pool {pool_id} is {}", pool.status()));
    }
    let blocks: Vec<&mut Block> = pool
        .blocks
        .iter_mut()
        .filter(|b| cidr.is_none_or(|c| c == b.cidr_block))
        .collect();
    if let Some(c) = cidr
        && blocks.is_empty()
    {
        return fail(404, format!("no CIDR block {c} in pool {pool_id}"));
    }
    let result = if allocate {
        take(blocks, req.count.unwrap_or(0))
    } else {
        release(blocks, req.count)
    };
    if let Err(e) = result {
        return fail(409, e);
    }
    let view = pool_state(pool);
    emu.persist(&inner);
    reply(200, &json!({"ok": true, "pool": view}))
}

/// Allocates `count` addresses from the blocks in order (only blocks in `Created` state:
/// a block being added or deleted has no addresses to give).
fn take(mut blocks: Vec<&mut Block>, count: u64) -> Result<(), String> {
    let free: u64 = blocks
        .iter()
        .filter(|b| b.pending.is_none())
        .map(|b| b.total_ip_num().saturating_sub(b.used_ip_num))
        .sum();
    if free < count {
        return Err(format!(
            "only {free} addresses are free in the Created blocks asked for, not {count}"
        ));
    }
    let mut left = count;
    for b in blocks.iter_mut().filter(|b| b.pending.is_none()) {
        let n = left.min(b.total_ip_num().saturating_sub(b.used_ip_num));
        b.used_ip_num += n;
        left -= n;
    }
    Ok(())
}

/// Releases `count` addresses (all when `None`), from the last block backwards.
fn release(mut blocks: Vec<&mut Block>, count: Option<u64>) -> Result<(), String> {
    let used: u64 = blocks.iter().map(|b| b.used_ip_num).sum();
    let mut left = count.unwrap_or(used);
    if left > used {
        return Err(format!("only {used} addresses are allocated, not {left}"));
    }
    for b in blocks.iter_mut().rev() {
        let n = left.min(b.used_ip_num);
        b.used_ip_num -= n;
        left -= n;
    }
    Ok(())
}

/// A pool as `GET /_emulator/state` shows it: the state file's fields plus the derived
/// `status`, `total_ip_num` and `used_ip_num` (of the pool and of each block).
pub(super) fn pool_state(pool: &Pool) -> Value {
    let mut v = serde_json::to_value(pool).unwrap_or(Value::Null);
    let blocks: Vec<Value> = pool
        .blocks
        .iter()
        .map(|b| {
            let mut bv = serde_json::to_value(b).unwrap_or(Value::Null);
            if let Some(m) = bv.as_object_mut() {
                m.insert("status".into(), json!(b.status()));
                m.insert("total_ip_num".into(), json!(b.total_ip_num()));
            }
            bv
        })
        .collect();
    if let Some(m) = v.as_object_mut() {
        m.insert("status".into(), json!(pool.status()));
        m.insert("total_ip_num".into(), json!(pool.total_ip_num()));
        m.insert("used_ip_num".into(), json!(pool.used_ip_num()));
        m.insert("blocks".into(), Value::Array(blocks));
    }
    v
}
