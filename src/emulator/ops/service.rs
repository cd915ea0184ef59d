//! The activation operations: `OpenPublicIpAddressPoolService` and
//! `GetPublicIpAddressPoolServiceStatus`.

use std::sync::Arc;

use serde::Serialize;

use super::{Answer, Ctx};
use crate::emulator::error::ApiError;
use crate::emulator::server::to_json;
use crate::emulator::{Emulator, Inner};

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

pub(super) fn open(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let account = ctx.account();
    // A repeated ClientToken gets the first successful answer back (`Ctx::write`). Failures
    // are not stored, so a retry after a conflict with the same token can still succeed.
    ctx.write(|inner| {
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
        activate(ctx.emu, inner, account, region);
        Ok(to_json(&OpenResponse {
            request_id: ctx.request_id,
            code: "200",
            message: "successful",
        }))
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
pub(in crate::emulator) fn schedule(
    emu: &Arc<Emulator>,
    inner: &mut Inner,
    account: &str,
    region: &str,
) {
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

pub(super) fn status(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let enabled = ctx.emu.lock().state.is_enabled(ctx.account(), region);
    Ok(ctx.answer(to_json(&StatusResponse {
        request_id: ctx.request_id,
        enabled,
    })))
}
