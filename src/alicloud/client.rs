//! The HTTP client: one `reqwest` client shared by clones, and the retry loop every call goes
//! through (backoff with jitter, bounded by `max_retries`, the caller's deadline and its
//! cancellation token).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::config::ClientConfig;
use super::endpoint::Endpoint;
use super::error::Error;
use super::retry::backoff_delay;

/// Per-call bounds: the operation's deadline (e.g. a Terraform `create` timeout) and a token
/// that aborts the call, also in the middle of a request.
#[derive(Clone, Debug)]
pub struct CallOptions {
    pub deadline: Instant,
    pub cancel: CancellationToken,
}

impl CallOptions {
    /// A deadline `timeout` from now and a token that nobody cancels.
    pub fn timeout(timeout: Duration) -> Self {
        CallOptions {
            deadline: Instant::now() + timeout,
            cancel: CancellationToken::new(),
        }
    }
}

/// Alibaba Cloud API client. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    /// Built on the first request, not in `new`: building it loads the system's trusted root
    /// certificates (~3 ms of file reads and parsing here), and most provider processes Terraform
    /// starts (schema, validate, a plan from empty state) never call Alibaba at all.
    http: tokio::sync::OnceCell<reqwest::Client>,
    pub(super) cfg: ClientConfig,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("cfg", &self.inner.cfg)
            .finish()
    }
}

impl Client {
    /// Builds the client; fails on endpoint overrides that are not host names or URLs.
    pub fn new(cfg: ClientConfig) -> Result<Client, Error> {
        // Validate overrides now, so a typo surfaces at configuration time, not at first call.
        for endpoint in [
            &cfg.vpc_endpoint,
            &cfg.sts_endpoint,
            &cfg.ecs_metadata_endpoint,
        ]
        .into_iter()
        .flatten()
        {
            Endpoint::resolve(Some(endpoint), "", cfg.protocol)?;
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http: tokio::sync::OnceCell::new(),
                cfg,
            }),
        })
    }

    /// The shared HTTP client, built once by whichever request comes first.
    pub(super) async fn http(&self) -> Result<&reqwest::Client, Error> {
        let cfg = &self.inner.cfg;
        self.inner
            .http
            .get_or_try_init(|| async {
                let started = std::time::Instant::now();
                let http = reqwest::Client::builder()
                    .connect_timeout(cfg.connect_timeout)
                    .user_agent(cfg.user_agent.clone())
                    .build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
                log::debug!(elapsed_us = started.elapsed().as_micros() as u64; "HTTP client ready (system root certificates loaded)");
                Ok(http)
            })
            .await
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.cfg
    }

    /// Runs `attempt(n)` (n = 0, 1, ...) until it succeeds, fails for good, runs out of retries
    /// or of time, or `opts.cancel` fires. Each attempt is bounded by
    /// min(read timeout, time left to the deadline).
    pub(super) async fn with_retries<T, F, Fut>(
        &self,
        action: &str,
        region: &str,
        opts: &CallOptions,
        mut attempt: F,
    ) -> Result<T, Error>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let cfg = &self.inner.cfg;
        let started = Instant::now();
        let deadline_exceeded = |attempts: u32, last: Option<Error>| Error::DeadlineExceeded {
            attempts,
            elapsed: started.elapsed(),
            left: opts.deadline.saturating_duration_since(Instant::now()),
            last: last.map(Box::new),
        };
        let mut n: u32 = 0;
        loop {
            let left = opts.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(deadline_exceeded(n, None));
            }
            let timeout = cfg.read_timeout.min(left);
            let result = tokio::select! {
                biased;
                _ = opts.cancel.cancelled() => Err(Error::Cancelled),
                r = tokio::time::timeout(timeout, attempt(n)) => r.unwrap_or(Err(Error::Timeout(timeout))),
            };
            let err = match result {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            log_failure(action, region, n, &err);
            // An attempt cut short by the deadline, not by the read timeout, is the deadline's
            // doing: raising client_read_timeout would not help.
            if matches!(err, Error::Timeout(t) if t < cfg.read_timeout) {
                return Err(deadline_exceeded(n + 1, Some(err)));
            }
            if !err.is_retryable() {
                return Err(err);
            }
            if n >= cfg.max_retries {
                return Err(Error::RetriesExhausted {
                    attempts: n + 1,
                    elapsed: started.elapsed(),
                    last: Box::new(err),
                });
            }
            let delay = backoff_delay(n, cfg.backoff_base, cfg.backoff_max, &mut rand::rng());
            n += 1;
            let left = opts.deadline.saturating_duration_since(Instant::now());
            // Sleeping past the deadline would only postpone the same failure.
            if delay >= left {
                log::debug!(action = action, region = region, attempts = n, delay_ms = delay.as_millis() as u64, left_ms = left.as_millis() as u64; "giving up: the next retry would come after the deadline");
                return Err(deadline_exceeded(n, Some(err)));
            }
            log::debug!(action = action, region = region, attempt = n, delay_ms = delay.as_millis() as u64, cause = err.cause().as_str(); "retrying after backoff");
            tokio::select! {
                biased;
                _ = opts.cancel.cancelled() => return Err(Error::Cancelled),
                _ = tokio::time::sleep(delay) => {}
            }
        }
    }
}

/// Logs what failed with the only fields that are safe to log: never messages of errors that
/// might echo request content, never credentials.
fn log_failure(action: &str, region: &str, attempt: u32, err: &Error) {
    let retryable = err.is_retryable();
    match err {
        Error::Api(api) => log::warn!(
            action = action, region = region, attempt = attempt, http_status = api.http_status,
            code = api.code.as_str(), request_id = api.request_id.as_str(), retryable = retryable;
            "Alibaba Cloud API returned an error"
        ),
        Error::Decode { status, .. } => log::warn!(
            action = action, region = region, attempt = attempt, http_status = *status,
            retryable = retryable; "undecodable response"
        ),
        Error::Transport(t) => log::warn!(
            action = action, region = region, attempt = attempt, kind = t.kind.as_str(),
            cause = t.cause.as_str(), retryable = retryable; "transport error"
        ),
        Error::Timeout(t) => log::warn!(
            action = action, region = region, attempt = attempt, timeout_ms = t.as_millis() as u64,
            retryable = retryable; "attempt timed out"
        ),
        Error::Cancelled => {
            log::info!(action = action, region = region, attempt = attempt; "call cancelled")
        }
        Error::Config(_) | Error::DeadlineExceeded { .. } | Error::RetriesExhausted { .. } => {
            log::warn!(
                action = action, region = region, attempt = attempt; "call failed"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn http_client_is_built_on_first_use_and_then_shared() {
        let client = Client::new(ClientConfig::default()).expect("default config is valid");
        // Configure must stay cheap: no root certificates loaded until a request needs them.
        assert!(client.inner.http.get().is_none());
        let first: *const reqwest::Client = client.http().await.expect("builds");
        let clone = client.clone();
        let second: *const reqwest::Client = clone.http().await.expect("already built");
        assert_eq!(first, second, "clones share one HTTP client and its pool");
    }
}
