//! The API side of the resource and data source: status reads (shared within the process) and
//! activation (one Open per account at a time, one ClientToken across its retries, then polling
//! until the status reports enabled), all inside the operation's timeout.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OnceCell, OwnedMutexGuard};
use tokio::time::Instant;

use super::credentials::Chain;
use super::errors::{Limit, Operation, diagnostic, out_of_time};
use super::interface::Ctx;
use super::turns::{self, Missed, Turn, Turns};
use crate::alicloud::{CallOptions, Client, Credentials, Error};
use crate::tf::{AttrPath, Diagnostic};

/// First wait between status polls after Open, growing to [`POLL_MAX`].
const POLL_FIRST: Duration = Duration::from_millis(500);
const POLL_MAX: Duration = Duration::from_secs(10);
/// Wait before opening again when Alibaba reports another activation in progress.
const CONFLICT_WAIT: Duration = Duration::from_secs(2);

pub struct Api {
    pub client: Client,
    pub chain: Chain,
    /// Alibaba refuses concurrent activation within an account, and one provider process serves
    /// one account: activations in this process take turns.
    open_lock: Turn,
    /// Creates in one region take turns, so that many resources activating the same region
    /// (`count = 100`) make one status read, one Open and its polls; the later ones find the
    /// region enabled in [`Api::status`]'s cache and make no call.
    region_turns: Turns<String>,
    /// Status per region, fetched once per process and shared by concurrent readers, so a plan
    /// of many resources makes one call per region. Only successful reads are kept.
    status: Mutex<HashMap<String, Arc<OnceCell<bool>>>>,
}

/// A ClientToken unique to this create: reused by every retry of its Open, so Alibaba can
/// recognise a retry of a request that did reach it.
pub(crate) fn client_token() -> String {
    let b: [u8; 16] = rand::random();
    let h = hex::encode(b);
    format!(
        "tf-{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

impl Api {
    pub fn new(client: Client, chain: Chain) -> Self {
        Api {
            client,
            chain,
            open_lock: Turn::default(),
            region_turns: Turns::default(),
            status: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn endpoint(&self, region: &str) -> String {
        match &self.client.config().vpc_endpoint {
            Some(e) => e.clone(),
            None => format!("vpc.{region}.aliyuncs.com"),
        }
    }

    fn fail(&self, op: Operation, region: &str, limit: Limit, e: &Error) -> Diagnostic {
        let d = diagnostic(op, region, &self.endpoint(region), limit, e);
        // A region Alibaba does not know is a problem of the region_id line; the rest concern the
        // resource as a whole (or the provider block, which a resource cannot point into).
        match e.api() {
            Some(api) if api.code.starts_with("InvalidRegionId") => {
                d.at(AttrPath::attr("region_id"))
            }
            _ => d,
        }
    }

    pub(crate) async fn credentials(
        &self,
        o: &CallOptions,
        region: &str,
        limit: impl Into<Limit>,
    ) -> Result<Credentials, Diagnostic> {
        self.chain.get(&self.client, o).await.map_err(|e| {
            let mut d = diagnostic(
                Operation::Credentials,
                region,
                "the STS or ECS metadata endpoint",
                limit,
                &e,
            );
            d.detail.push_str(&format!(
                "\n\nCredentials came from: {}.",
                self.chain.source
            ));
            d
        })
    }

    /// A status read that bypasses the shared cache (create must see the current truth).
    async fn fresh_status(
        &self,
        region: &str,
        o: &CallOptions,
        limit: Limit,
    ) -> Result<bool, Diagnostic> {
        let creds = self.credentials(o, region, limit).await?;
        self.status_call(&creds, region, o)
            .await
            .map_err(|e| self.fail(Operation::ReadStatus, region, limit, &e))
    }

    async fn status_call(
        &self,
        creds: &Credentials,
        region: &str,
        o: &CallOptions,
    ) -> Result<bool, Error> {
        let r = self
            .client
            .get_public_ip_address_pool_service_status(creds, region, o)
            .await?;
        log::debug!(region = region, request_id = r.request_id.as_str(), enabled = r.enabled; "status read");
        Ok(r.enabled)
    }

    fn remember(&self, region: &str, enabled: bool) {
        if let Ok(mut m) = self.status.lock() {
            m.insert(
                region.to_string(),
                Arc::new(OnceCell::new_with(Some(enabled))),
            );
        }
    }

    /// Whether this process has already seen the feature enabled in `region`. Only `true` is
    /// trusted: Alibaba Cloud cannot deactivate the feature, so it stays true.
    fn known_enabled(&self, region: &str) -> bool {
        self.status.lock().is_ok_and(|m| {
            m.get(region)
                .is_some_and(|cell| cell.get().copied() == Some(true))
        })
    }

    /// Our turn (of a region, or of the account's activations), or why it did not come.
    async fn turn(
        &self,
        turn: Turn,
        region: &str,
        ctx: &Ctx,
        what: &str,
    ) -> Result<OwnedMutexGuard<()>, Diagnostic> {
        turns::take(turn, ctx, what)
            .await
            .map_err(|missed| match missed {
                Missed::Stopped => {
                    self.fail(Operation::Activate, region, ctx.limit(), &Error::Cancelled)
                }
                Missed::OutOfTime => out_of_time(
                    Operation::Activate,
                    region,
                    ctx.limit(),
                    ctx.elapsed(),
                    what,
                ),
            })
    }

    /// The status for Read and the data source, shared by every caller in this process. `ctx`
    /// gives the deadline and the limit its messages name (`timeouts.read` for a resource's
    /// read, none for a data source).
    pub async fn status(&self, region: &str, ctx: &Ctx) -> Result<bool, Diagnostic> {
        let cell = match self.status.lock() {
            Ok(mut m) => m.entry(region.to_string()).or_default().clone(),
            Err(_) => Arc::new(OnceCell::new()),
        };
        let o = ctx.call_options();
        cell.get_or_try_init(|| self.fresh_status(region, &o, ctx.limit()))
            .await
            .copied()
    }

    /// Activates the feature in `region`, or adopts it if already active, inside `ctx`'s
    /// deadline. Every message, the status reads' included, names `ctx`'s limit: a status read
    /// that fails here is part of a create, so raising `timeouts.read` would not help.
    pub async fn activate(&self, region: &str, ctx: &Ctx) -> Result<(), Diagnostic> {
        let limit = ctx.limit();
        let o = ctx.call_options();
        let region_turn = self.region_turns.of(region.to_string());
        let _region_turn = self
            .turn(
                region_turn,
                region,
                ctx,
                "waiting for another resource activating this region",
            )
            .await?;
        if self.known_enabled(region) {
            log::debug!(region = region; "IP address pool feature already active in this process: adopting it");
            return Ok(());
        }
        if self.fresh_status(region, &o, limit).await? {
            log::info!(region = region; "IP address pool feature already active: adopting it");
            self.remember(region, true);
            return Ok(());
        }
        // Only other regions can hold this lock (creates in one region already took turns above),
        // so the status read above still stands when our turn comes; an activation by someone
        // else meanwhile makes the Open fail, and the status check below then adopts it.
        let _turn = self
            .turn(
                self.open_lock.clone(),
                region,
                ctx,
                "waiting for another activation in this account to finish",
            )
            .await?;
        let token = client_token();
        loop {
            let creds = self.credentials(&o, region, limit).await?;
            match self
                .client
                .open_public_ip_address_pool_service(&creds, region, &token, &o)
                .await
            {
                Ok(r) => {
                    log::info!(region = region, request_id = r.request_id.as_str(), code = r.code.as_str(); "activation requested");
                    break;
                }
                Err(Error::Cancelled) => {
                    return Err(self.fail(Operation::Activate, region, limit, &Error::Cancelled));
                }
                Err(e) => {
                    // Whatever the error ("already activated", a conflict, a lost answer), an
                    // enabled status means the goal is reached.
                    if Instant::now() < o.deadline
                        && self.fresh_status(region, &o, limit).await.unwrap_or(false)
                    {
                        log::info!(region = region; "activation refused but the status reports enabled: done");
                        self.remember(region, true);
                        return Ok(());
                    }
                    let conflict = e
                        .api()
                        .is_some_and(|a| a.code == "OperationConflict" || a.code == "TaskConflict");
                    if conflict && Instant::now() + CONFLICT_WAIT < o.deadline {
                        log::info!(region = region, elapsed_s = ctx.elapsed().as_secs(); "another activation in this account is in progress; waiting");
                        self.sleep(CONFLICT_WAIT, &o, region, limit).await?;
                        continue;
                    }
                    return Err(self.fail(Operation::Activate, region, limit, &e));
                }
            }
        }
        let mut wait = POLL_FIRST;
        loop {
            let creds = self.credentials(&o, region, limit).await?;
            let enabled = match self.status_call(&creds, region, &o).await {
                Ok(enabled) => enabled,
                // Alibaba accepted the activation, so the create must not fail because one poll
                // used up its retries on an API that is briefly unreachable, overloaded or
                // throttling (the spec retries those "until the create timeout"). Found by
                // tests/it/reliability.rs: a status outage longer than one call's retry budget
                // used to fail an apply whose activation then completed.
                Err(e) if e.is_retryable() => {
                    log::warn!(region = region, elapsed_s = ctx.elapsed().as_secs(); "status poll failed after its retries; polling on until the create timeout");
                    false
                }
                Err(e) => return Err(self.fail(Operation::ReadStatus, region, limit, &e)),
            };
            if enabled {
                log::info!(region = region, elapsed_ms = ctx.elapsed().as_millis() as u64; "IP address pool feature active");
                self.remember(region, true);
                return Ok(());
            }
            if Instant::now() + wait > o.deadline {
                return Err(out_of_time(
                    Operation::Activate,
                    region,
                    limit,
                    ctx.elapsed(),
                    "waiting for the status to report enabled",
                ));
            }
            log::info!(region = region, elapsed_s = ctx.elapsed().as_secs(); "waiting for activation to complete");
            self.sleep(wait, &o, region, limit).await?;
            wait = (wait * 2).min(POLL_MAX);
        }
    }

    async fn sleep(
        &self,
        d: Duration,
        o: &CallOptions,
        region: &str,
        limit: Limit,
    ) -> Result<(), Diagnostic> {
        tokio::select! {
            _ = tokio::time::sleep(d) => Ok(()),
            _ = o.cancel.cancelled() => Err(self.fail(Operation::Activate, region, limit, &Error::Cancelled)),
        }
    }
}
