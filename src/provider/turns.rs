//! Taking turns inside an operation's deadline. Alibaba refuses some concurrent changes
//! (activations within an account, block changes within a pool), and many resources of one
//! apply doing the same thing (`count = 100` activations of one region) are cheaper one after
//! another; the operations of one provider process therefore wait for their turn, no longer
//! than their own limit and not past Terraform's stop.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tokio::sync::OwnedMutexGuard;

use super::interface::Ctx;

/// One turn: held while the operation runs, passed on when dropped.
pub type Turn = Arc<tokio::sync::Mutex<()>>;

/// One turn per key (a region, a pool) for the life of the provider process.
pub struct Turns<K>(Mutex<HashMap<K, Turn>>);

impl<K> Default for Turns<K> {
    fn default() -> Self {
        Turns(Mutex::new(HashMap::new()))
    }
}

impl<K: Hash + Eq> Turns<K> {
    pub fn of(&self, key: K) -> Turn {
        match self.0.lock() {
            Ok(mut m) => m.entry(key).or_default().clone(),
            // A poisoned map only loses the turn-taking, never the operation.
            Err(_) => Turn::default(),
        }
    }
}

/// Why an operation did not get its turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missed {
    /// Terraform's Stop (Ctrl-C) came first.
    Stopped,
    /// The operation's limit ran out first.
    OutOfTime,
}

/// Waits for `turn`; `what` says what is being waited for, in the log.
pub async fn take(turn: Turn, ctx: &Ctx, what: &str) -> Result<OwnedMutexGuard<()>, Missed> {
    if let Ok(g) = turn.clone().try_lock_owned() {
        return Ok(g);
    }
    log::info!(waiting_for = what; "waiting for a turn");
    tokio::select! {
        g = turn.lock_owned() => Ok(g),
        _ = ctx.stop.cancelled() => Err(Missed::Stopped),
        _ = tokio::time::sleep(ctx.timeout.saturating_sub(ctx.elapsed())) => Err(Missed::OutOfTime),
    }
}
