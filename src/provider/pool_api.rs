//! The API side of the pool and CIDR block types: listings shared per region (pools) and per
//! pool (blocks) by every read in this provider process, writes with one `ClientToken` across
//! their retries, and waits for Alibaba's asynchronous states, all inside the operation's
//! deadline (`shared/spec/pools.md`, "API calls: fewer than any peer").
//!
//! A listing is fetched once and shared by concurrent readers; a write drops the listings it
//! changes, so a read after it in the same process sees it.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OnceCell;

use super::Configured;
use super::errors::{Operation, diagnostic, out_of_time};
use super::interface::Ctx;
use crate::alicloud::vpc::{
    ListPublicIpAddressPoolCidrBlocksRequest, ListPublicIpAddressPoolsRequest, PublicIpAddressPool,
    PublicIpPoolCidrBlock,
};
use crate::alicloud::{CallOptions, Credentials, Error};
use crate::tf::{Diagnostic, Diagnostics};

type Shared<T> = Arc<OnceCell<Arc<Vec<T>>>>;

/// First wait between polls of an asynchronous state, growing to [`POLL_MAX`].
const POLL_FIRST: Duration = Duration::from_millis(300);
const POLL_MAX: Duration = Duration::from_secs(5);

#[derive(Default)]
pub struct PoolApi {
    pools: Mutex<HashMap<String, Shared<PublicIpAddressPool>>>,
    blocks: Mutex<HashMap<(String, String), Shared<PublicIpPoolCidrBlock>>>,
    /// Line type and protection types by (region, pool): they never change for a pool (a
    /// change replaces it), so writes that drop the listings keep these.
    kinds: Mutex<HashMap<(String, String), PoolKind>>,
}

/// What an EIP allocated from a pool must match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolKind {
    pub isp: String,
    pub security_protection_types: Vec<String>,
}

/// The shared cell of `key` (made empty on first use); a poisoned map gives a cell of the
/// caller's own, which only costs the sharing.
pub(super) fn cell<K: std::hash::Hash + Eq + Clone, V: Default>(
    map: &Mutex<HashMap<K, Arc<V>>>,
    key: &K,
) -> Arc<V> {
    match map.lock() {
        Ok(mut m) => m.entry(key.clone()).or_default().clone(),
        Err(_) => Arc::default(),
    }
}

/// What an operation needs of the configured provider for its calls.
pub struct Calls<'a> {
    pub c: &'a Configured,
    pub ctx: &'a Ctx,
    pub region: &'a str,
    pub op: Operation,
}

impl<'a> Calls<'a> {
    /// The calls of operation `op` in `region`, for a configured provider.
    pub fn new(ctx: &'a Ctx, region: &'a str, op: Operation) -> Result<Calls<'a>, Diagnostics> {
        Ok(Calls {
            c: ctx.configured()?,
            ctx,
            region,
            op,
        })
    }

    pub fn options(&self) -> CallOptions {
        self.ctx.call_options()
    }

    /// The diagnostic for a failed call of this operation.
    pub fn fail(&self, e: &Error) -> Diagnostic {
        diagnostic(
            self.op,
            self.region,
            &self.c.api.endpoint(self.region),
            self.ctx.limit(),
            e,
        )
    }

    pub async fn credentials(&self) -> Result<Credentials, Diagnostic> {
        self.c
            .api
            .credentials(&self.options(), self.region, self.ctx.limit())
            .await
    }

    /// Runs one call with fresh credentials, its error explained.
    pub async fn run<T, F, Fut>(&self, call: F) -> Result<T, Diagnostic>
    where
        F: FnOnce(Credentials, CallOptions) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let creds = self.credentials().await?;
        call(creds, self.options()).await.map_err(|e| self.fail(&e))
    }

    /// Polls `check` until it answers `Some`, with growing waits, inside the deadline.
    pub async fn wait<T, F, Fut>(&self, what: &str, mut check: F) -> Result<T, Diagnostic>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<T>, Diagnostic>>,
    {
        let mut pause = POLL_FIRST;
        loop {
            if let Some(done) = check().await? {
                return Ok(done);
            }
            if self.ctx.elapsed() + pause > self.ctx.timeout {
                return Err(out_of_time(
                    self.op,
                    self.region,
                    self.ctx.limit(),
                    self.ctx.elapsed(),
                    what,
                ));
            }
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = self.ctx.stop.cancelled() => return Err(self.fail(&Error::Cancelled)),
            }
            pause = (pause * 2).min(POLL_MAX);
        }
    }
}

impl PoolApi {
    /// Every pool of the region, listed once per process and shared.
    pub async fn pools(
        &self,
        calls: &Calls<'_>,
    ) -> Result<Arc<Vec<PublicIpAddressPool>>, Diagnostic> {
        let shared = cell(&self.pools, &calls.region.to_string());
        shared
            .get_or_try_init(|| async {
                let list = calls
                    .run(|creds, o| async move {
                        calls
                            .c
                            .api
                            .client
                            .list_all_public_ip_address_pools(
                                &creds,
                                calls.region,
                                &ListPublicIpAddressPoolsRequest::default(),
                                &o,
                            )
                            .await
                    })
                    .await?;
                log::debug!(region = calls.region, pools = list.len(); "pools listed");
                if let Ok(mut kinds) = self.kinds.lock() {
                    for p in &list {
                        kinds.insert(
                            (
                                calls.region.to_string(),
                                p.public_ip_address_pool_id.clone(),
                            ),
                            PoolKind {
                                isp: p.isp.clone(),
                                security_protection_types: p.security_protection_types.clone(),
                            },
                        );
                    }
                }
                Ok(Arc::new(list))
            })
            .await
            .cloned()
    }

    /// One pool from the shared listing.
    pub async fn pool(
        &self,
        calls: &Calls<'_>,
        id: &str,
    ) -> Result<Option<PublicIpAddressPool>, Diagnostic> {
        Ok(self
            .pools(calls)
            .await?
            .iter()
            .find(|p| p.public_ip_address_pool_id == id)
            .cloned())
    }

    /// The pool's line type and protection types, listing the region's pools only when no
    /// listing of this process has seen the pool yet.
    pub async fn kind(&self, calls: &Calls<'_>, id: &str) -> Result<Option<PoolKind>, Diagnostic> {
        let key = (calls.region.to_string(), id.to_string());
        let known = |api: &Self| api.kinds.lock().ok().and_then(|k| k.get(&key).cloned());
        if let Some(kind) = known(self) {
            return Ok(Some(kind));
        }
        self.pools(calls).await?;
        Ok(known(self))
    }

    /// One pool as it is now, bypassing the shared listing (for waits after a write).
    pub async fn fresh_pool(
        &self,
        calls: &Calls<'_>,
        id: &str,
    ) -> Result<Option<PublicIpAddressPool>, Diagnostic> {
        let filter = ListPublicIpAddressPoolsRequest {
            public_ip_address_pool_ids: vec![id.to_string()],
            ..Default::default()
        };
        let list = calls
            .run(|creds, o| async move {
                calls
                    .c
                    .api
                    .client
                    .list_all_public_ip_address_pools(&creds, calls.region, &filter, &o)
                    .await
            })
            .await?;
        Ok(list.into_iter().find(|p| p.public_ip_address_pool_id == id))
    }

    /// Waits until the pool is `Created` (after a create or an update) and returns it.
    pub async fn wait_pool_created(
        &self,
        calls: &Calls<'_>,
        id: &str,
    ) -> Result<PublicIpAddressPool, Diagnostic> {
        calls
            .wait(&format!("waiting for pool {id} to be Created"), || async {
                Ok(self
                    .fresh_pool(calls, id)
                    .await?
                    .filter(|p| p.status == "Created"))
            })
            .await
    }

    /// Waits until the pool is gone.
    pub async fn wait_pool_gone(&self, calls: &Calls<'_>, id: &str) -> Result<(), Diagnostic> {
        calls
            .wait(&format!("waiting for pool {id} to be deleted"), || async {
                Ok(self.fresh_pool(calls, id).await?.is_none().then_some(()))
            })
            .await
    }

    /// Every CIDR block of a pool, listed once per process and shared.
    pub async fn blocks(
        &self,
        calls: &Calls<'_>,
        pool_id: &str,
    ) -> Result<Arc<Vec<PublicIpPoolCidrBlock>>, Diagnostic> {
        let shared = cell(
            &self.blocks,
            &(calls.region.to_string(), pool_id.to_string()),
        );
        shared
            .get_or_try_init(|| async {
                let list = self.list_blocks(calls, pool_id, None).await?;
                log::debug!(region = calls.region, pool = pool_id, blocks = list.len(); "CIDR blocks listed");
                Ok(Arc::new(list))
            })
            .await
            .cloned()
    }

    async fn list_blocks(
        &self,
        calls: &Calls<'_>,
        pool_id: &str,
        cidr: Option<&str>,
    ) -> Result<Vec<PublicIpPoolCidrBlock>, Diagnostic> {
        let filter = ListPublicIpAddressPoolCidrBlocksRequest {
            public_ip_address_pool_id: pool_id.to_string(),
            cidr_block: cidr.map(str::to_string),
            ..Default::default()
        };
        calls
            .run(|creds, o| async move {
                calls
                    .c
                    .api
                    .client
                    .list_all_public_ip_address_pool_cidr_blocks(&creds, calls.region, &filter, &o)
                    .await
            })
            .await
    }

    /// One block as it is now, bypassing the shared listing.
    pub async fn fresh_block(
        &self,
        calls: &Calls<'_>,
        pool_id: &str,
        cidr: &str,
    ) -> Result<Option<PublicIpPoolCidrBlock>, Diagnostic> {
        Ok(self
            .list_blocks(calls, pool_id, Some(cidr))
            .await?
            .into_iter()
            .find(|b| b.cidr_block == cidr))
    }

    /// Forgets the region's pool listing after a write to one of its pools.
    pub fn changed_pools(&self, region: &str) {
        if let Ok(mut m) = self.pools.lock() {
            m.remove(region);
        }
    }

    /// Forgets a pool's block listing (and the region's pools, whose address counts change)
    /// after a write to one of its blocks.
    pub fn changed_blocks(&self, region: &str, pool_id: &str) {
        if let Ok(mut m) = self.blocks.lock() {
            m.remove(&(region.to_string(), pool_id.to_string()));
        }
        self.changed_pools(region);
    }
}
