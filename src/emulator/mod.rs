//! `alicloudvpc-emulator`: a local HTTP server that behaves like the Alibaba Cloud endpoints the
//! provider calls (VPC IP address pool activation, the pools and their CIDR blocks, STS, ECS
//! metadata), so that the provider can be tried and tested without an account. See
//! `docs/emulator.md` for the user's view.
//!
//! - [`serve`] runs on a listener until a shutdown future resolves; tests call it (or [`start`])
//!   in-process on `127.0.0.1:0`. `src/bin/alicloudvpc-emulator.rs` is a thin CLI around it.
//! - `gateway` checks requests like Alibaba's gateway; `ops` runs the operations, one module per
//!   API family; `control` is the unsigned `/_emulator/` API; `resources` holds pools and
//!   blocks, `eips` the EIPs and their addresses; `state` persists activations, pools and EIPs.

pub mod accounts;
mod action;
mod control;
pub mod eips;
pub mod error;
mod gateway;
mod ops;
pub mod resources;
mod server;
pub mod state;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use time::OffsetDateTime;

pub use accounts::{
    Accounts, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, DEMO_ACCOUNT_ID, DEMO_ECS_ROLE,
    DEMO_ROLE_ARN,
};
pub use control::{Fault, RequestRecord};
pub use gateway::{STS_VERSION, VPC_VERSION};

/// Largest request body accepted; larger ones get HTTP 413 (the provider sends a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How the emulator runs.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub accounts: Accounts,
    /// `--state FILE`: where activations persist; `None` keeps them in memory only.
    pub state_file: Option<PathBuf>,
    /// `--activation-delay`: how long an Open stays pending before the region reports enabled.
    pub activation_delay: Duration,
    /// `--operation-delay`: how long a CIDR block stays `Modifying` after it is added, and a
    /// block or pool `Deleting` after it is deleted.
    pub operation_delay: Duration,
    /// `--page-size-limit`: the most items a pool or CIDR block listing returns per page,
    /// whatever `MaxResults` asks. A paging API may return fewer items than asked; this makes
    /// clients that ask for 100 page through a few dozen objects.
    pub page_size_limit: Option<usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    State(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("accept failed: {0}")]
    Accept(std::io::Error),
}

/// An answer stored for `ClientToken` replay.
#[derive(Debug, Clone)]
struct StoredAnswer {
    /// The request's own parameters, canonicalized: the same token with other parameters is
    /// `IdempotentParameterMismatch`, not a replay.
    fingerprint: String,
    status: u16,
    body: Vec<u8>,
    request_id: String,
}

/// Mutable state behind one mutex; never held across an `.await`.
#[derive(Default)]
pub(crate) struct Inner {
    state: state::StateFile,
    /// (account, region) → generation of the activation in flight; a reset bumps the generation
    /// so that a timer of an older activation does nothing.
    pending: BTreeMap<(String, String), u64>,
    generation: u64,
    nonces: HashMap<String, OffsetDateTime>,
    /// (account, action, client token) → first successful answer.
    answers: HashMap<(String, String, String), StoredAnswer>,
    temp_credentials: HashMap<String, gateway::TempCredential>,
    faults: Vec<Fault>,
    requests: Vec<RequestRecord>,
}

pub(crate) struct Emulator {
    accounts: Accounts,
    state_file: Option<PathBuf>,
    activation_delay: Duration,
    operation_delay: Duration,
    page_size_limit: Option<usize>,
    inner: Mutex<Inner>,
}

impl Emulator {
    fn new(cfg: Config) -> Result<Arc<Self>, Error> {
        let state = match &cfg.state_file {
            Some(path) => state::load_or_create(path).map_err(Error::State)?,
            None => state::StateFile::default(),
        };
        Ok(Arc::new(Emulator {
            accounts: cfg.accounts,
            state_file: cfg.state_file,
            activation_delay: cfg.activation_delay,
            operation_delay: cfg.operation_delay,
            page_size_limit: cfg.page_size_limit,
            inner: Mutex::new(Inner {
                state,
                ..Inner::default()
            }),
        }))
    }

    /// Restarts the timers of activations that were pending when the state file was last
    /// written (the emulator was stopped or killed meanwhile). Each completes one activation
    /// delay after this start: how long it had already waited is not recorded, and a client
    /// polling the status only sees a longer activation, never a lost one. Pool and block
    /// changes carry their own due time: those past it complete now, the others on time.
    fn resume_pending(self: &Arc<Self>) {
        let mut inner = self.lock();
        if inner.state.settle(now_ms()) {
            self.persist(&inner);
        }
        for due in inner.state.deadlines() {
            self.settle_at(due);
        }
        let pending = inner.state.pending();
        if pending.is_empty() {
            return;
        }
        if self.activation_delay.is_zero() {
            for (account, region) in &pending {
                inner.state.set_pending(account, region, false);
                inner.state.set_enabled(account, region, true);
            }
            self.persist(&inner);
            return;
        }
        for (account, region) in &pending {
            log::info!("resuming the pending activation of {region} in account {account}");
            ops::schedule(self, &mut inner, account, region);
        }
    }

    /// Completes due pool and block changes at `due_ms` and writes the state file, so that the
    /// file follows the changes without waiting for a request. Every request settles first too,
    /// so answers never depend on this timer's punctuality.
    fn settle_at(self: &Arc<Self>, due_ms: i64) {
        let emu = self.clone();
        let wait = u64::try_from(due_ms.saturating_sub(now_ms())).unwrap_or(0);
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(wait)).await;
            let mut inner = emu.lock();
            if inner.state.settle(now_ms()) {
                emu.persist(&inner);
            }
        });
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave `Inner` half-updated in a way that matters
        // more than refusing every later request would, so poisoning is ignored.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the state file after a change. A failed write is logged, not fatal: the in-memory
    /// state stays right and the next change tries again.
    fn persist(&self, inner: &Inner) {
        if let Some(path) = &self.state_file
            && let Err(e) = state::save(path, &inner.state)
        {
            log::error!("cannot write state file {}: {e}", path.display());
        }
    }
}

/// The emulator's clock for pending changes: Unix milliseconds.
fn now_ms() -> i64 {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Serves the emulator on `listener` until `shutdown` resolves. Loads the state file first, so a
/// corrupt one is an error before any request is answered.
pub async fn serve(
    listener: tokio::net::TcpListener,
    cfg: Config,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Error> {
    serve_with_ready(listener, cfg, || {}, shutdown).await
}

/// Like [`serve`], calling `ready` once the state file is loaded, just before accepting: the CLI
/// prints its `listening on` line there, so a refused state file never looks like a ready server.
pub async fn serve_with_ready(
    listener: tokio::net::TcpListener,
    cfg: Config,
    ready: impl FnOnce(),
    shutdown: impl Future<Output = ()>,
) -> Result<(), Error> {
    let emu = Emulator::new(cfg)?;
    emu.resume_pending();
    ready();
    server::run(listener, emu, shutdown).await
}

/// A running in-process emulator, for tests and embedding.
pub struct Running {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), Error>>,
}

impl Running {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections and waits for the accept loop to end.
    pub async fn stop(mut self) -> Result<(), Error> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match (&mut self.task).await {
            Ok(r) => r,
            Err(e) => Err(Error::State(format!("emulator task failed: {e}"))),
        }
    }
}

/// Binds `127.0.0.1:0` and serves in a background task.
pub async fn start(cfg: Config) -> Result<Running, Error> {
    start_on("127.0.0.1:0", cfg).await
}

/// Binds `addr` and serves in a background task.
pub async fn start_on(addr: &str, cfg: Config) -> Result<Running, Error> {
    let emu = Emulator::new(cfg)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind {
            addr: addr.to_string(),
            source,
        })?;
    let local = listener.local_addr().map_err(|source| Error::Bind {
        addr: addr.to_string(),
        source,
    })?;
    emu.resume_pending();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server::run(listener, emu, async move {
        let _ = rx.await;
    }));
    Ok(Running {
        addr: local,
        shutdown: Some(tx),
        task,
    })
}
