//! The write sequences of an EIP against the API: an allocation with one `ClientToken` across
//! every retry (so a lost answer cannot allocate a second EIP), in-place changes, and the
//! release, each followed by the wait for Alibaba's state and with the shared reads dropped
//! (`provider/eip_api.rs`).

use std::collections::BTreeMap;

use super::activation::client_token;
use super::pool_api::Calls;
use super::pool_writes::{move_resource_group, retag};
use crate::alicloud::vpc::{
    AllocateEipAddressRequest, DeletionProtectionRequest, EIP_RESOURCE_TYPE, EipAddress,
    ModifyEipAddressAttributeRequest, ReleaseEipAddressRequest,
};
use crate::tf::Diagnostic;

/// What an update changes; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct EipChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub bandwidth: Option<String>,
    pub resource_group_id: Option<String>,
    pub deletion_protection: Option<bool>,
    pub old_tags: BTreeMap<String, String>,
    pub new_tags: BTreeMap<String, String>,
}

/// What an allocation made: the EIP's ID as soon as Alibaba returned it, the EIP as last
/// read (for the state of a create that failed afterwards), and the outcome of the rest.
pub struct Allocated {
    pub id: String,
    pub last_seen: Option<EipAddress>,
    pub outcome: Result<EipAddress, Diagnostic>,
}

/// Allocates the EIP, waits until it is `Available`, then turns deletion protection on when
/// asked for. `Err` only when no EIP was allocated.
pub async fn allocate(
    calls: &Calls<'_>,
    request: &AllocateEipAddressRequest,
    protect: bool,
) -> Result<Allocated, Diagnostic> {
    let (client, region, token) = (&calls.c.api.client, calls.region, client_token());
    let creds = calls.credentials().await?;
    let allocated = client
        .allocate_eip_address(&creds, region, &token, request, &calls.options())
        .await;
    calls
        .c
        .eips
        .changed(calls, request.public_ip_address_pool_id.as_deref());
    let allocated = match allocated {
        Ok(a) => a,
        Err(e) => {
            let mut d = calls.fail(&e);
            if e.outcome_unknown() {
                // Every retry carried the same ClientToken, but none got an answer: Alibaba
                // may have allocated, and this provider cannot know the EIP's ID.
                d.detail.push_str(&format!(
                    "\n\nNo answer arrived, so an EIP may have been allocated all the same{}. Look for it (data source alicloudvpc_eip_addresses, or the console) before running terraform again, which would allocate another; an EIP found can be imported into this resource.",
                    request
                        .public_ip_address_pool_id
                        .as_deref()
                        .map(|p| format!(" from pool {p}"))
                        .unwrap_or_default()
                ));
            }
            return Err(d);
        }
    };
    let id = allocated.allocation_id;
    log::info!(region = region, eip = id.as_str(), request_id = allocated.request_id.as_str(); "EIP allocated; waiting until Available");
    let mut last_seen = None;
    let outcome = async {
        let eip = calls.c.eips.wait_settled(calls, &id).await?;
        last_seen = Some(eip.clone());
        if protect {
            set_protection(calls, &id, true).await?;
            let eip = calls.c.eips.wait_settled(calls, &id).await?;
            last_seen = Some(eip.clone());
            return Ok(eip);
        }
        Ok(eip)
    }
    .await;
    Ok(Allocated {
        id,
        last_seen,
        outcome,
    })
}

async fn set_protection(calls: &Calls<'_>, id: &str, on: bool) -> Result<(), Diagnostic> {
    let (client, region, token) = (&calls.c.api.client, calls.region, client_token());
    let request = DeletionProtectionRequest {
        instance_id: id.to_string(),
        instance_type: EIP_RESOURCE_TYPE.into(),
        protection_enable: on,
    };
    calls
        .run(|creds, o| async move {
            client
                .deletion_protection(&creds, region, &token, &request, &o)
                .await
        })
        .await
        .map(|_| ())
}

/// Applies `change` (name, description and bandwidth in one call, resource group, tags: only
/// the difference, deletion protection), then waits until the EIP is settled again.
pub async fn update(calls: &Calls<'_>, id: &str, change: EipChange) -> Result<(), Diagnostic> {
    let (client, region) = (&calls.c.api.client, calls.region);
    let result = async {
        if change.name.is_some() || change.description.is_some() || change.bandwidth.is_some() {
            let request = ModifyEipAddressAttributeRequest {
                allocation_id: id.to_string(),
                bandwidth: change.bandwidth.clone(),
                name: change.name.clone(),
                description: change.description.clone(),
            };
            calls
                .run(|creds, o| async move {
                    client
                        .modify_eip_address_attribute(&creds, region, &request, &o)
                        .await
                })
                .await?;
        }
        if let Some(group) = &change.resource_group_id {
            move_resource_group(calls, EIP_RESOURCE_TYPE, id, group).await?;
        }
        retag(
            calls,
            EIP_RESOURCE_TYPE,
            id,
            &change.old_tags,
            &change.new_tags,
        )
        .await?;
        if let Some(on) = change.deletion_protection {
            set_protection(calls, id, on).await?;
        }
        Ok(())
    }
    .await;
    calls.c.eips.changed(calls, None);
    result?;
    calls.c.eips.wait_settled(calls, id).await.map(|_| ())
}

/// Releases the EIP and waits until it is gone. An EIP already gone is a success.
pub async fn release(calls: &Calls<'_>, id: &str, pool: Option<&str>) -> Result<(), Diagnostic> {
    let (client, region) = (&calls.c.api.client, calls.region);
    let request = ReleaseEipAddressRequest {
        allocation_id: id.to_string(),
    };
    let sent = calls
        .run(|creds, o| async move {
            client
                .release_eip_address(&creds, region, &request, &o)
                .await
        })
        .await;
    calls.c.eips.changed(calls, pool);
    if let Err(d) = sent {
        // Gone, or being released: a retry whose first attempt's answer was lost is refused
        // (the EIP is `Releasing`), yet the release is under way.
        match calls.c.eips.fresh(calls, id).await {
            Ok(None) => return Ok(()),
            Ok(Some(e)) if e.status == "Releasing" => {}
            _ => return Err(d),
        }
    }
    calls.c.eips.wait_gone(calls, id).await
}
