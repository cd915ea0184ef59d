//! The API side of the EIP types: reads shared per region by every EIP read of this provider
//! process, and the waits for Alibaba's states after a write.
//!
//! A refresh reads a region's EIPs with one `DescribeEipAddresses` page of 100 (the most one
//! page holds) instead of one call per EIP. When the region holds more EIPs than that page,
//! the EIPs not on it are looked up by ID in batches: the reads that arrive within
//! [`BATCH_WINDOW`] of each other share one call with an `AllocationId` list (up to 50), so a
//! large region costs a call per batch of concurrent reads (Terraform reads up to 10 at once),
//! not one per EIP. A write drops the region's page, so a read after it in the same process
//! sees it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OnceCell;

use super::pool_api::{Calls, cell};
use crate::alicloud::vpc::eips::{MAX_EIP_PAGE_SIZE, MAX_IDS_PER_DESCRIBE};
use crate::alicloud::vpc::{DescribeEipAddressesRequest, EipAddress};
use crate::tf::Diagnostic;

/// The first page of a region's EIPs, and whether it holds all of them.
struct RegionPage {
    eips: Vec<EipAddress>,
    complete: bool,
}

/// How long the first lookup by ID waits for others to join its call. Terraform starts the
/// reads of a refresh within a few milliseconds of each other; a wait this short costs a
/// lone read nothing noticeable.
pub const BATCH_WINDOW: Duration = Duration::from_millis(25);

/// Lookups by ID that share one call: the IDs asked for until the call is made, and its result.
#[derive(Default)]
struct Batch {
    /// The IDs, and whether the call has taken them (later lookups then open a new batch).
    /// One lock for both, so that no ID joins after the call took the list.
    ids: Mutex<(Vec<String>, bool)>,
    /// The call's result, error included: every lookup of the batch shares one call, even a
    /// failed one (the others would otherwise each call again, one after another).
    found: OnceCell<Result<Arc<Vec<EipAddress>>, Diagnostic>>,
}

#[derive(Default)]
pub struct EipApi {
    regions: Mutex<HashMap<String, Arc<OnceCell<Arc<RegionPage>>>>>,
    /// The open batch of lookups by ID, per region.
    batches: Mutex<HashMap<String, Arc<Batch>>>,
}

/// Whether an EIP is ready for use after a write: Alibaba reports `Available`, or `InUse` once
/// associated (which a Terraform-managed EIP may be, by another resource).
pub fn settled(eip: &EipAddress) -> bool {
    eip.status == "Available" || eip.status == "InUse"
}

impl EipApi {
    /// The region's first page of EIPs, read once per process and shared.
    async fn page(&self, calls: &Calls<'_>) -> Result<Arc<RegionPage>, Diagnostic> {
        cell(&self.regions, &calls.region.to_string())
            .get_or_try_init(|| async {
                let request = DescribeEipAddressesRequest {
                    page_number: Some(1),
                    page_size: Some(MAX_EIP_PAGE_SIZE),
                    ..Default::default()
                };
                let page = calls
                    .run(|creds, o| async move {
                        calls
                            .c
                            .api
                            .client
                            .describe_eip_addresses(&creds, calls.region, &request, &o)
                            .await
                    })
                    .await?;
                let complete = page.eip_addresses.len() as u64 >= page.total_count;
                log::debug!(region = calls.region, eips = page.eip_addresses.len(), complete = complete; "EIPs listed");
                Ok(Arc::new(RegionPage {
                    eips: page.eip_addresses,
                    complete,
                }))
            })
            .await
            .cloned()
    }

    /// One EIP: from the region's shared page, or by its ID when the page is not the whole
    /// region.
    pub async fn eip(&self, calls: &Calls<'_>, id: &str) -> Result<Option<EipAddress>, Diagnostic> {
        let page = self.page(calls).await?;
        if let Some(eip) = page.eips.iter().find(|e| e.allocation_id == id) {
            return Ok(Some(eip.clone()));
        }
        if page.complete {
            return Ok(None);
        }
        self.batched(calls, id).await
    }

    /// `id` looked up together with the other lookups of the region that arrive meanwhile.
    async fn batched(&self, calls: &Calls<'_>, id: &str) -> Result<Option<EipAddress>, Diagnostic> {
        let joined = |batch: &Batch| match batch.ids.lock() {
            Ok(mut ids) if !ids.1 && ids.0.len() < MAX_IDS_PER_DESCRIBE => {
                ids.0.push(id.to_string());
                true
            }
            _ => false,
        };
        // Joined without awaiting: the map's lock is never held across an await.
        let batch = self.batches.lock().ok().and_then(|mut open| {
            let batch = open.entry(calls.region.to_string()).or_default();
            if !joined(batch) {
                *batch = Arc::default();
                if !joined(batch) {
                    return None;
                }
            }
            Some(batch.clone())
        });
        let Some(batch) = batch else {
            return self.fresh(calls, id).await;
        };
        let found = batch
            .found
            .get_or_init(|| async {
                tokio::time::sleep(BATCH_WINDOW).await;
                let ids = match batch.ids.lock() {
                    Ok(mut ids) => {
                        ids.1 = true;
                        ids.0.clone()
                    }
                    Err(_) => vec![id.to_string()],
                };
                let filter = DescribeEipAddressesRequest {
                    allocation_ids: ids,
                    ..Default::default()
                };
                log::debug!(region = calls.region, ids = filter.allocation_ids.len(); "EIPs looked up by ID");
                self.list(calls, &filter).await.map(Arc::new)
            })
            .await
            .clone()?;
        Ok(found.iter().find(|e| e.allocation_id == id).cloned())
    }

    /// Every EIP of the region: the shared page when it holds them all, else every page.
    pub async fn all(&self, calls: &Calls<'_>) -> Result<Vec<EipAddress>, Diagnostic> {
        let page = self.page(calls).await?;
        if page.complete {
            return Ok(page.eips.clone());
        }
        self.list(calls, &DescribeEipAddressesRequest::default())
            .await
    }

    /// One EIP as it is now, bypassing the shared page (for waits after a write).
    pub async fn fresh(
        &self,
        calls: &Calls<'_>,
        id: &str,
    ) -> Result<Option<EipAddress>, Diagnostic> {
        let filter = DescribeEipAddressesRequest {
            allocation_ids: vec![id.to_string()],
            ..Default::default()
        };
        Ok(self
            .list(calls, &filter)
            .await?
            .into_iter()
            .find(|e| e.allocation_id == id))
    }

    /// Every EIP of the region that matches `filter`, all pages.
    pub async fn list(
        &self,
        calls: &Calls<'_>,
        filter: &DescribeEipAddressesRequest,
    ) -> Result<Vec<EipAddress>, Diagnostic> {
        calls
            .run(|creds, o| async move {
                calls
                    .c
                    .api
                    .client
                    .describe_all_eip_addresses(&creds, calls.region, filter, &o)
                    .await
            })
            .await
    }

    /// A sentence naming the EIPs allocated from `pool` (from its block `cidr` only, when
    /// given), for the refusal to delete either while they exist; `None` when the lookup fails
    /// or finds none (the refusal then speaks for itself).
    pub async fn holders(
        &self,
        calls: &Calls<'_>,
        pool: &str,
        cidr: Option<&str>,
    ) -> Option<String> {
        let filter = DescribeEipAddressesRequest {
            public_ip_address_pool_id: Some(pool.to_string()),
            ..Default::default()
        };
        let block: Option<ipnet::Ipv4Net> = cidr.and_then(|c| c.parse().ok());
        let eips: Vec<(String, bool)> = self
            .list(calls, &filter)
            .await
            .ok()?
            .into_iter()
            .filter(|e| {
                block.is_none_or(|b| {
                    e.ip_address
                        .parse()
                        .is_ok_and(|ip: std::net::Ipv4Addr| b.contains(&ip))
                })
            })
            .map(|e| {
                (
                    format!("{} ({})", e.allocation_id, e.ip_address),
                    e.status == "Releasing",
                )
            })
            .collect();
        let releasing = eips.iter().all(|(_, r)| *r);
        let eips: Vec<String> = eips.into_iter().map(|(e, _)| e).collect();
        const SHOWN: usize = 10;
        let more = match eips.len().saturating_sub(SHOWN) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let from = match cidr {
            Some(c) => format!("the CIDR block {c} of {pool}"),
            None => format!("pool {pool}"),
        };
        let what = if releasing {
            "They are being released: run terraform again once they are gone (an EIP resource that depends_on the block or pool is released before it)."
        } else {
            "Release them first (remove or replace their alicloudvpc_eip_address resources, or release them in the console), then run terraform again."
        };
        (!eips.is_empty()).then(|| {
            format!(
                "EIPs allocated from {from}: {}{more}. {what}",
                eips[..eips.len().min(SHOWN)].join(", ")
            )
        })
    }

    /// Waits until the EIP is `Available` (or `InUse`) and returns it.
    pub async fn wait_settled(
        &self,
        calls: &Calls<'_>,
        id: &str,
    ) -> Result<EipAddress, Diagnostic> {
        calls
            .wait(&format!("waiting for EIP {id} to be Available"), || async {
                Ok(self.fresh(calls, id).await?.filter(settled))
            })
            .await
    }

    /// Waits until the EIP is gone.
    pub async fn wait_gone(&self, calls: &Calls<'_>, id: &str) -> Result<(), Diagnostic> {
        calls
            .wait(&format!("waiting for EIP {id} to be released"), || async {
                Ok(self.fresh(calls, id).await?.is_none().then_some(()))
            })
            .await
    }

    /// Forgets the region's page after a write to one of its EIPs; the pool listings too,
    /// whose address counts follow the EIPs allocated from them.
    pub fn changed(&self, calls: &Calls<'_>, pool: Option<&str>) {
        if let Ok(mut m) = self.regions.lock() {
            m.remove(calls.region);
        }
        if let Ok(mut m) = self.batches.lock() {
            m.remove(calls.region);
        }
        match pool {
            Some(p) => calls.c.pools.changed_blocks(calls.region, p),
            None => calls.c.pools.changed_pools(calls.region),
        }
    }
}
