//! Writes to one pool's blocks take turns. Alibaba Cloud changes one block of a pool at a time:
//! while a block is being added or deleted the pool is `Modifying` and refuses every other
//! write with `IncorrectStatus`. Many blocks of one pool in one apply (`count = 8`) would spend
//! their retries on those refusals; instead the writes of this process wait for their turn, and
//! a refusal caused by someone else (another process, the console) is waited out inside the
//! operation's limit with the same ClientToken.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::OwnedMutexGuard;

use crate::alicloud::Error;
use crate::provider::errors::out_of_time;
use crate::provider::pool_api::Calls;
use crate::tf::Diagnostic;

type Turn = Arc<tokio::sync::Mutex<()>>;

/// One lock per pool (by region and ID) for the life of the provider process.
#[derive(Default)]
pub struct Turns(Mutex<HashMap<(String, String), Turn>>);

impl Turns {
    /// Waits for the pool's turn inside the operation's deadline; dropping the guard passes it on.
    pub async fn take(
        &self,
        calls: &Calls<'_>,
        pool: &str,
    ) -> Result<OwnedMutexGuard<()>, Diagnostic> {
        let turn = match self.0.lock() {
            Ok(mut m) => m
                .entry((calls.region.to_string(), pool.to_string()))
                .or_default()
                .clone(),
            // A poisoned map only loses the turn-taking, never the operation.
            Err(_) => Turn::default(),
        };
        if let Ok(g) = turn.clone().try_lock_owned() {
            return Ok(g);
        }
        log::debug!(pool = pool; "waiting for another change to the pool's blocks");
        let ctx = calls.ctx;
        tokio::select! {
            g = turn.lock_owned() => Ok(g),
            _ = ctx.stop.cancelled() => Err(calls.fail(&Error::Cancelled)),
            _ = tokio::time::sleep(ctx.timeout.saturating_sub(ctx.elapsed())) => Err(out_of_time(
                calls.op,
                calls.region,
                ctx.limit(),
                ctx.elapsed(),
                &format!("waiting for another change to the blocks of {pool} to finish"),
            )),
        }
    }
}

/// Whether Alibaba refused the write only because the pool or block is changing.
fn busy(e: &Error) -> bool {
    matches!(e, Error::Api(a) if a.code.starts_with("IncorrectStatus"))
}

/// Runs one write (fresh credentials each attempt, the caller's ClientToken in `call`), waiting
/// out `IncorrectStatus` refusals inside the deadline. The raw error is kept for the caller.
pub async fn write<T, F, Fut>(calls: &Calls<'_>, what: &str, call: F) -> Result<T, Failed>
where
    F: Fn(crate::alicloud::Credentials, crate::alicloud::CallOptions) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let outcome = calls
        .wait(what, || async {
            let creds = calls.credentials().await?;
            match call(creds, calls.options()).await {
                Ok(v) => Ok(Some(Ok(v))),
                Err(e) if busy(&e) => Ok(None),
                Err(e) => Ok(Some(Err(e))),
            }
        })
        .await;
    match outcome {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(Failed::Api(e)),
        Err(d) => Err(Failed::Diagnosed(d)),
    }
}

/// A failed write: Alibaba's error (for the caller to explain, perhaps by its code), or a
/// failure already explained (credentials, out of time, stopped).
pub enum Failed {
    Api(Error),
    Diagnosed(Diagnostic),
}

impl Failed {
    pub fn explain(self, calls: &Calls<'_>) -> Diagnostic {
        match self {
            Failed::Api(e) => calls.fail(&e),
            Failed::Diagnosed(d) => d,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            Failed::Api(e) => e.api().map(|a| a.code.as_str()),
            Failed::Diagnosed(_) => None,
        }
    }
}
