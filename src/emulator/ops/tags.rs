//! `TagResources`, `UnTagResources`, `ListTagResources` and `MoveResourceGroup` for
//! `ResourceType` `PUBLICIPADDRESSPOOL` (any case: the documentation spells it
//! `PublicIpAddressPool`, the official provider sends it upper-case) and `EIP`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::eips::find_eip_writable;
use super::params::{PageRule, Paging, Params, has_tags};
use super::pools::Empty;
use super::rules::{find_writable, resource_group, tag_pairs, too_many_tags};
use super::{Answer, Ctx};
use crate::emulator::error::ApiError;
use crate::emulator::resources::TAGS_PER_RESOURCE;
use crate::emulator::server::to_json;

/// How `ResourceType` is answered, per kind.
const POOL_TYPE: &str = "PUBLICIPADDRESSPOOL";
const EIP_TYPE: &str = "EIP";
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

/// The kinds of resource these calls take.
#[derive(Clone, Copy)]
enum Kind {
    Pool,
    Eip,
}

impl Kind {
    fn answered(self) -> &'static str {
        match self {
            Kind::Pool => POOL_TYPE,
            Kind::Eip => EIP_TYPE,
        }
    }
}

fn resource_type(params: &Params<'_>) -> Result<Kind, ApiError> {
    let t = params.required("ResourceType")?;
    if t.eq_ignore_ascii_case(POOL_TYPE) {
        Ok(Kind::Pool)
    } else if t.eq_ignore_ascii_case(EIP_TYPE) {
        Ok(Kind::Eip)
    } else {
        Err(ApiError::invalid(
            "ResourceType",
            format!(
                "The ResourceType \"{t}\" is not supported by the emulator; use PUBLICIPADDRESSPOOL or EIP."
            ),
        ))
    }
}

fn resource_ids<'a>(params: &Params<'a>) -> Result<Vec<&'a str>, ApiError> {
    params.list("ResourceId", RESOURCES_PER_CALL)
}

/// What these calls change on a pool or an EIP.
struct Taggable {
    tags: BTreeMap<String, String>,
    resource_group_id: String,
}

/// Applies `change` to every resource named, all or none: every one is found, checked and
/// changed on a copy first.
fn each(
    ctx: &Ctx<'_>,
    kind: Kind,
    region: &str,
    ids: &[&str],
    change: impl Fn(&str, &mut Taggable) -> Result<(), ApiError>,
) -> Result<Answer, ApiError> {
    ctx.write(|inner| {
        let account = inner.state.account_mut(ctx.account());
        let mut changed: Vec<(&str, Taggable)> = Vec::with_capacity(ids.len());
        for id in ids {
            let (tags, resource_group_id) = match kind {
                Kind::Pool => {
                    let p = find_writable(&mut account.pools, region, id)?;
                    (&p.tags, &p.resource_group_id)
                }
                Kind::Eip => {
                    let e = find_eip_writable(&mut account.eips, region, id)?;
                    (&e.tags, &e.resource_group_id)
                }
            };
            let mut t = Taggable {
                tags: tags.clone(),
                resource_group_id: resource_group_id.clone(),
            };
            change(id, &mut t)?;
            changed.push((id, t));
        }
        for (id, t) in changed {
            let slot = match kind {
                Kind::Pool => account
                    .pools
                    .iter_mut()
                    .find(|p| p.id == id)
                    .map(|p| (&mut p.tags, &mut p.resource_group_id)),
                Kind::Eip => account
                    .eips
                    .iter_mut()
                    .find(|e| e.id == id)
                    .map(|e| (&mut e.tags, &mut e.resource_group_id)),
            };
            if let Some((tags, group)) = slot {
                *tags = t.tags;
                *group = t.resource_group_id;
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
    let kind = resource_type(&params)?;
    let ids = resource_ids(&params)?;
    if ids.is_empty() {
        return Err(ApiError::missing("ResourceId.N"));
    }
    let tags = tag_pairs(&params.tags("Tag", TAGS_PER_RESOURCE)?)?;
    if tags.is_empty() {
        return Err(ApiError::missing("Tag.N.Key"));
    }
    each(ctx, kind, region, &ids, |id, r| {
        r.tags.extend(tags.clone());
        if r.tags.len() > TAGS_PER_RESOURCE {
            return Err(too_many_tags(id));
        }
        Ok(())
    })
}

pub(super) fn untag(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    let kind = resource_type(&params)?;
    let ids = resource_ids(&params)?;
    if ids.is_empty() {
        return Err(ApiError::missing("ResourceId.N"));
    }
    let keys = params.list("TagKey", TAGS_PER_RESOURCE)?;
    let all = params.bool("All")?.unwrap_or(false);
    if keys.is_empty() && !all {
        return Err(ApiError::missing("TagKey.N"));
    }
    each(ctx, kind, region, &ids, |_, r| {
        if all {
            r.tags.clear();
        } else {
            // Keys the resource does not have are ignored, as removing them is already done.
            r.tags.retain(|k, _| !keys.contains(&k.as_str()));
        }
        Ok(())
    })
}

pub(super) fn list(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    let kind = resource_type(&params)?;
    let ids = resource_ids(&params)?;
    let filter = params.tags("Tag", TAGS_PER_RESOURCE)?;
    if ids.is_empty() && filter.is_empty() {
        return Err(ApiError::missing("ResourceId.N or Tag.N"));
    }
    let account = ctx.account();
    let paging = Paging::read(
        &params,
        &TAG_PAGES,
        format!("tags\u{0}{account}\u{0}{region}\u{0}{}", kind.answered()),
    )?;
    ctx.read(|inner| {
        // (ID, tags) of every resource of the kind in the region, in creation order.
        let resources: Vec<(&str, &BTreeMap<String, String>)> = match kind {
            Kind::Pool => inner
                .state
                .pools(account)
                .iter()
                .filter(|p| p.region_id == region)
                .map(|p| (p.id.as_str(), &p.tags))
                .collect(),
            Kind::Eip => inner
                .state
                .eips(account)
                .iter()
                .filter(|e| e.region_id == region)
                .map(|e| (e.id.as_str(), &e.tags))
                .collect(),
        };
        // Resources named (or all) carrying every tag filtered on; each of their tags is one
        // item. Unknown IDs match nothing, as on Alibaba.
        let items: Vec<TagResource<'_>> = resources
            .into_iter()
            .filter(|(id, _)| ids.is_empty() || ids.contains(id))
            .filter(|(_, tags)| has_tags(tags, &filter))
            .flat_map(|(id, tags)| {
                tags.iter().map(move |(k, v)| TagResource {
                    resource_id: id,
                    resource_type: kind.answered(),
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
    let kind = resource_type(&params)?;
    let id = params.required("ResourceId")?;
    let group = params.required("NewResourceGroupId")?;
    resource_group("NewResourceGroupId", group)?;
    each(ctx, kind, region, &[id], |_, r| {
        r.resource_group_id = group.to_string();
        Ok(())
    })
}
