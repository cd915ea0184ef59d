//! The write sequences of a pool against the API, each with one `ClientToken` across its
//! retries where the API takes one, the shared listings dropped afterwards
//! (`provider/pool_api.rs`), and the wait for Alibaba's asynchronous state.

use std::collections::BTreeMap;

use super::activation::client_token;
use super::pool_api::Calls;
use crate::alicloud::Tag;
use crate::alicloud::vpc::{
    CreatePublicIpAddressPoolRequest, DeletePublicIpAddressPoolRequest, MoveResourceGroupRequest,
    POOL_RESOURCE_TYPE, PublicIpAddressPool, TagResourcesRequest, UnTagResourcesRequest,
    UpdatePublicIpAddressPoolAttributeRequest,
};
use crate::tf::Diagnostic;

/// What an update changes; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct PoolChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub resource_group_id: Option<String>,
    pub old_tags: BTreeMap<String, String>,
    pub new_tags: BTreeMap<String, String>,
}

/// A `tags` attribute's map as apply sends it: by then Terraform has made every value known.
pub fn known_tags(v: &crate::tf::Map<String>) -> BTreeMap<String, String> {
    v.wholly_known().into_known().unwrap_or_default()
}

pub fn tag_list(tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter().map(|(k, v)| Tag::new(k, v)).collect()
}

/// Creates the pool; `Ok` carries its ID as soon as Alibaba returned it, and the wait's result.
pub async fn create_pool(
    calls: &Calls<'_>,
    request: &CreatePublicIpAddressPoolRequest,
) -> Result<(String, Result<PublicIpAddressPool, Diagnostic>), Diagnostic> {
    let (client, region, token) = (&calls.c.api.client, calls.region, client_token());
    let created = calls
        .run(|creds, o| async move {
            client
                .create_public_ip_address_pool(&creds, region, &token, request, &o)
                .await
        })
        .await?;
    let id = created.public_ip_address_pool_id;
    log::info!(region = region, pool = id.as_str(), request_id = created.request_id.as_str(); "pool created; waiting until Created");
    calls.c.pools.changed_pools(region);
    let ready = calls.c.pools.wait_pool_created(calls, &id).await;
    Ok((id, ready))
}

/// Applies `change` (name and description, resource group, tags: only the difference), then
/// waits until the pool is `Created` again.
pub async fn update_pool(
    calls: &Calls<'_>,
    id: &str,
    change: PoolChange,
) -> Result<(), Diagnostic> {
    let (client, region) = (&calls.c.api.client, calls.region);
    let result = async {
        if change.name.is_some() || change.description.is_some() {
            let request = UpdatePublicIpAddressPoolAttributeRequest {
                public_ip_address_pool_id: id.to_string(),
                name: change.name.clone(),
                description: change.description.clone(),
                dry_run: false,
            };
            let token = client_token();
            calls
                .run(|creds, o| async move {
                    client
                        .update_public_ip_address_pool_attribute(
                            &creds, region, &token, &request, &o,
                        )
                        .await
                })
                .await?;
        }
        if let Some(group) = &change.resource_group_id {
            move_resource_group(calls, POOL_RESOURCE_TYPE, id, group).await?;
        }
        retag(
            calls,
            POOL_RESOURCE_TYPE,
            id,
            &change.old_tags,
            &change.new_tags,
        )
        .await?;
        Ok(())
    }
    .await;
    calls.c.pools.changed_pools(region);
    result?;
    calls.c.pools.wait_pool_created(calls, id).await.map(|_| ())
}

/// Moves a resource of `resource_type` (`PUBLICIPADDRESSPOOL`, `EIP`) to `group`.
pub async fn move_resource_group(
    calls: &Calls<'_>,
    resource_type: &str,
    id: &str,
    group: &str,
) -> Result<(), Diagnostic> {
    let (client, region) = (&calls.c.api.client, calls.region);
    let request = MoveResourceGroupRequest {
        resource_type: resource_type.into(),
        resource_id: id.to_string(),
        new_resource_group_id: group.to_string(),
    };
    calls
        .run(|creds, o| async move {
            client
                .move_resource_group(&creds, region, &request, &o)
                .await
        })
        .await
        .map(|_| ())
}

/// Changes a resource's tags from `old` to `new` with the fewest calls: keys gone are removed
/// (`UnTagResources`), keys new or changed are set (`TagResources`), the rest is not sent.
pub async fn retag(
    calls: &Calls<'_>,
    resource_type: &str,
    id: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> Result<(), Diagnostic> {
    let (client, region) = (&calls.c.api.client, calls.region);
    let removed: Vec<String> = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    if !removed.is_empty() {
        let request = UnTagResourcesRequest {
            resource_type: resource_type.into(),
            resource_ids: vec![id.to_string()],
            tag_keys: removed,
            all: None,
        };
        calls
            .run(|creds, o| async move { client.untag_resources(&creds, region, &request, &o).await })
            .await?;
    }
    let set: BTreeMap<String, String> = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !set.is_empty() {
        let request = TagResourcesRequest {
            resource_type: resource_type.into(),
            resource_ids: vec![id.to_string()],
            tags: tag_list(&set),
        };
        calls
            .run(|creds, o| async move { client.tag_resources(&creds, region, &request, &o).await })
            .await?;
    }
    Ok(())
}

/// Deletes the pool and waits until it is gone. A pool already gone is a success; a pool
/// with EIPs allocated from it stays, with an error that names them.
pub async fn delete_pool(calls: &Calls<'_>, id: &str) -> Result<(), Diagnostic> {
    let (client, region, token) = (&calls.c.api.client, calls.region, client_token());
    let request = DeletePublicIpAddressPoolRequest {
        public_ip_address_pool_id: id.to_string(),
        dry_run: false,
    };
    let creds = calls.credentials().await?;
    let sent = client
        .delete_public_ip_address_pool(&creds, region, &token, &request, &calls.options())
        .await;
    calls.c.pools.changed_pools(region);
    if let Err(e) = sent {
        if let Ok(None) = calls.c.pools.fresh_pool(calls, id).await {
            return Ok(());
        }
        let mut d = calls.fail(&e);
        if e.api().is_some_and(|a| a.code.ends_with("InUse"))
            && let Some(holders) = calls.c.eips.holders(calls, id, None).await
        {
            d.detail = format!("{holders}\n\n{}", d.detail);
        }
        return Err(d);
    }
    calls.c.pools.wait_pool_gone(calls, id).await
}
