//! Writes to one pool's blocks take turns. Alibaba Cloud changes one block of a pool at a time:
//! while a block is being added or deleted the pool is `Modifying` and refuses every other
//! write with `IncorrectStatus`. Many blocks of one pool in one apply (`count = 8`) would spend
//! their retries on those refusals; instead the writes of this process wait for their turn, and
//! a refusal caused by someone else (another process, the console) is waited out inside the
//! operation's limit with the same ClientToken.

use std::future::Future;

use tokio::sync::OwnedMutexGuard;

use crate::alicloud::Error;
use crate::provider::errors::out_of_time;
use crate::provider::pool_api::Calls;
use crate::provider::turns::{self, Missed};
use crate::tf::Diagnostic;

/// One turn per pool (by region and ID) for the life of the provider process.
#[derive(Default)]
pub struct Turns(turns::Turns<(String, String)>);

impl Turns {
    /// Waits for the pool's turn inside the operation's deadline; dropping the guard passes it on.
    pub async fn take(
        &self,
        calls: &Calls<'_>,
        pool: &str,
    ) -> Result<OwnedMutexGuard<()>, Diagnostic> {
        let turn = self.0.of((calls.region.to_string(), pool.to_string()));
        let what = format!("waiting for another change to the blocks of {pool} to finish");
        turns::take(turn, calls.ctx, &what)
            .await
            .map_err(|missed| match missed {
                Missed::Stopped => calls.fail(&Error::Cancelled),
                Missed::OutOfTime => out_of_time(
                    calls.op,
                    calls.region,
                    calls.ctx.limit(),
                    calls.ctx.elapsed(),
                    &what,
                ),
            })
    }
}

/// Whether Alibaba refused the write only because the pool or block is changing (also when
/// that refusal is the last one behind exhausted retries).
fn busy(e: &Error) -> bool {
    e.api()
        .is_some_and(|a| a.code.starts_with("IncorrectStatus"))
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
