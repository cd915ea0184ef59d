//! `TagResources`, `UnTagResources`, `ListTagResources` and `MoveResourceGroup` for
//! `ResourceType` `PUBLICIPADDRESSPOOL` (any case: the documentation spells it
//! `PublicIpAddressPool`, the official provider sends it upper-case).

use serde::Serialize;

use super::params::{PageRule, Paging, Params};
use super::pools::Empty;
use super::rules::{find_writable, resource_group, tag_pairs, too_many_tags};
use super::{Answer, Ctx};
use crate::emulator::error::ApiError;
use crate::emulator::resources::{Pool, TAGS_PER_RESOURCE};
use crate::emulator::server::to_json;

/// How `ResourceType` is answered.
const POOL_TYPE: &str = "PUBLICIPADDRESSPOOL";
/// `ResourceId.N` per call, as documented.
const RESOURCES_PER_CALL: usize = 50;

/// `ListTagResources`: `MaxResults` 1 to 50, default 50.
const TAG_PAGES: PageRule = PageRule {
    min: 1,
    max: 50,
    default: 50,
};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListResponse<'a> {
    request_id: &'a str,
    next_token: String,
    tag_resources: TagResources<'a>,
}

/// Wrapped, unlike the pool lists: `TagResources.TagResource[]`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TagResources<'a> {
    tag_resource: Vec<TagResource<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TagResource<'a> {
    resource_id: &'a str,
    resource_type: &'static str,
    tag_key: &'a str,
    tag_value: &'a str,
}

fn resource_type(params: &Params<'_>) -> Result<(), ApiError> {
    let t = params.required("ResourceType")?;
    if t.eq_ignore_ascii_case(POOL_TYPE) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "ResourceType",
            format!(
                "The ResourceType \"{t}\" is not supported by the emulator; use PUBLICIPADDRESSPOOL."
            ),
        ))
    }
}

fn resource_ids<'a>(params: &Params<'a>) -> Result<Vec<&'a str>, ApiError> {
    params.list("ResourceId", RESOURCES_PER_CALL)
}

/// Applies `change` to every pool named, all or none: every pool is found and checked first.
fn each_pool(
    ctx: &Ctx<'_>,
    region: &str,
    ids: &[&str],
    change: impl Fn(&mut Pool) -> Result<(), ApiError>,
) -> Result<Answer, ApiError> {
    ctx.write(|inner| {
        let pools = inner.state.pools_mut(ctx.account());
        let mut changed: Vec<Pool> = Vec::with_capacity(ids.len());
        for id in ids {
            let mut pool = find_writable(pools, region, id)?.clone();
            change(&mut pool)?;
            changed.push(pool);
        }
        for pool in changed {
            if let Some(slot) = pools.iter_mut().find(|p| p.id == pool.id) {
                *slot = pool;
            }
        }
        Ok(to_json(&Empty {
            request_id: ctx.request_id,
        }))
    })
}

pub(super) fn tag(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    resource_type(&params)?;
    let ids = resource_ids(&params)?;
    if ids.is_empty() {
        return Err(ApiError::missing("ResourceId.N"));
    }
    let tags = tag_pairs(&params.tags("Tag", TAGS_PER_RESOURCE)?)?;
    if tags.is_empty() {
        return Err(ApiError::missing("Tag.N.Key"));
    }
    each_pool(ctx, region, &ids, |pool| {
        pool.tags.extend(tags.clone());
        if pool.tags.len() > TAGS_PER_RESOURCE {
            return Err(too_many_tags(&pool.id));
        }
        Ok(())
    })
}

pub(super) fn untag(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    resource_type(&params)?;
    let ids = resource_ids(&params)?;
    if ids.is_empty() {
        return Err(ApiError::missing("ResourceId.N"));
    }
    let keys = params.list("TagKey", TAGS_PER_RESOURCE)?;
    let all = params.bool("All")?.unwrap_or(false);
    if keys.is_empty() && !all {
        return Err(ApiError::missing("TagKey.N"));
    }
    each_pool(ctx, region, &ids, |pool| {
        if all {
            pool.tags.clear();
        } else {
            // Keys the pool does not have are ignored, as removing them is already done.
            pool.tags.retain(|k, _| !keys.contains(&k.as_str()));
        }
        Ok(())
    })
}

pub(super) fn list(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    resource_type(&params)?;
    let ids = resource_ids(&params)?;
    let filter = params.tags("Tag", TAGS_PER_RESOURCE)?;
    if ids.is_empty() && filter.is_empty() {
        return Err(ApiError::missing("ResourceId.N or Tag.N"));
    }
    let account = ctx.account();
    let paging = Paging::read(
        &params,
        &TAG_PAGES,
        format!("tags\u{0}{account}\u{0}{region}"),
    )?;
    ctx.read(|inner| {
        // Pools named (or all) carrying every tag filtered on; each of their tags is one item.
        // Unknown IDs match nothing, as on Alibaba.
        let items: Vec<TagResource<'_>> = inner
            .state
            .pools(account)
            .iter()
            .filter(|p| p.region_id == region)
            .filter(|p| ids.is_empty() || ids.contains(&p.id.as_str()))
            .filter(|p| {
                filter.iter().all(|t| {
                    p.tags
                        .get(t.key)
                        .is_some_and(|v| t.value.is_none_or(|want| want.is_empty() || want == v))
                })
            })
            .flat_map(|p| {
                p.tags.iter().map(|(k, v)| TagResource {
                    resource_id: &p.id,
                    resource_type: POOL_TYPE,
                    tag_key: k,
                    tag_value: v,
                })
            })
            .collect();
        let (page, next_token) = paging.page(items);
        Ok(to_json(&ListResponse {
            request_id: ctx.request_id,
            next_token,
            tag_resources: TagResources { tag_resource: page },
        }))
    })
}

pub(super) fn move_resource_group(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    resource_type(&params)?;
    let id = params.required("ResourceId")?;
    let group = params.required("NewResourceGroupId")?;
    resource_group("NewResourceGroupId", group)?;
    each_pool(ctx, region, &[id], |pool| {
        pool.resource_group_id = group.to_string();
        Ok(())
    })
}
