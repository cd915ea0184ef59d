//! `CreatePublicIpAddressPool`, `DeletePublicIpAddressPool`,
//! `UpdatePublicIpAddressPoolAttribute` and `ListPublicIpAddressPools`.

use serde::Serialize;

use super::params::{POOL_PAGES, Paging, Params, TagParam, has_tags};
use super::rules::{
    changed_texts, find_writable, protection_types, requested_resource_group, tag_pairs, text,
};
use super::{Answer, Ctx, dry_run_passed};
use crate::emulator::eips::{Eip, pool_usage};
use crate::emulator::error::ApiError;
use crate::emulator::resources::{Change, POOLS_PER_REGION, Pending, Pool, TAGS_PER_RESOURCE};
use crate::emulator::server::to_json;

use crate::alicloud::vpc::pools::{BIZ_TYPES, ISPS};
/// `SecurityProtectionTypes` of pools and EIPs.

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CreateResponse<'a> {
    request_id: &'a str,
    /// Sic: the misspelled field older API versions return and the official provider reads.
    pulbic_ip_address_pool_id: &'a str,
    public_ip_address_pool_id: &'a str,
    resource_group_id: &'a str,
}

/// `RequestId` alone: the answer of every write without a result.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Empty<'a> {
    pub request_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListResponse<'a> {
    request_id: &'a str,
    next_token: String,
    total_count: usize,
    public_ip_address_pool_list: Vec<PoolView<'a>>,
}

/// One item of `PublicIpAddressPoolList`, fields and JSON types as the SDK models have them.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PoolView<'a> {
    public_ip_address_pool_id: &'a str,
    region_id: &'a str,
    name: &'a str,
    description: &'a str,
    isp: &'a str,
    status: &'static str,
    business_status: &'static str,
    creation_time: &'a str,
    total_ip_num: u64,
    used_ip_num: u64,
    ip_address_remaining: bool,
    owner_id: i64,
    resource_group_id: &'a str,
    user_type: &'static str,
    share_type: &'static str,
    biz_type: &'a str,
    zones: &'a [String],
    security_protection_types: &'a [String],
    tags: Vec<TagView<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TagView<'a> {
    key: &'a str,
    value: &'a str,
}

fn view<'a>(pool: &'a Pool, account: &str, eips: &[Eip]) -> PoolView<'a> {
    let (used_ip_num, ip_address_remaining) = pool_usage(eips, pool);
    PoolView {
        public_ip_address_pool_id: &pool.id,
        region_id: &pool.region_id,
        name: &pool.name,
        description: &pool.description,
        isp: &pool.isp,
        status: pool.status(),
        business_status: "Normal",
        creation_time: &pool.creation_time,
        total_ip_num: pool.total_ip_num(),
        used_ip_num,
        ip_address_remaining,
        owner_id: account.parse().unwrap_or_default(),
        resource_group_id: &pool.resource_group_id,
        // The account owns its pools; sharing between accounts is not emulated.
        user_type: "admin",
        share_type: "",
        biz_type: &pool.biz_type,
        zones: &pool.zones,
        security_protection_types: &pool.security_protection_types,
        tags: pool
            .tags
            .iter()
            .map(|(key, value)| TagView { key, value })
            .collect(),
    }
}

fn new_pool_id() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let tail: String = (0..21)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("pippool-{tail}")
}

/// The error for a pool in a region where the IP address pool feature is not active.
fn not_active(region: &str) -> ApiError {
    ApiError::new(
        400,
        "OperationDenied.PublicIpAddressPoolServiceNotOpened",
        format!(
            "The IP address pool feature is not active in region {region}: activate it with OpenPublicIpAddressPoolService in {region} first."
        ),
    )
}

/// The pool a `CreatePublicIpAddressPool` request asks for, every parameter checked; its ID and
/// creation time are given when it is created.
fn requested(ctx: &Ctx<'_>, region: &str) -> Result<Pool, ApiError> {
    let params = ctx.params();
    let name = params.get("Name").unwrap_or_default();
    text("Name", name, 128)?;
    let description = params.get("Description").unwrap_or_default();
    text("Description", description, 256)?;
    let isp = params.opt("Isp").unwrap_or("BGP");
    if !ISPS.contains(&isp) {
        return Err(ApiError::invalid(
            "Isp",
            format!(
                "The Isp \"{isp}\" is not supported; use one of {}.",
                ISPS.join(", ")
            ),
        ));
    }
    let biz_type = params.opt("BizType").unwrap_or("Default");
    if !BIZ_TYPES.contains(&biz_type) {
        return Err(ApiError::invalid(
            "BizType",
            format!("The BizType \"{biz_type}\" must be Default or CloudBox."),
        ));
    }
    let zones = params.list("Zones", 10)?;
    match (biz_type, zones.is_empty()) {
        ("CloudBox", true) => return Err(ApiError::missing("Zones.N")),
        ("Default", false) => {
            return Err(ApiError::invalid(
                "Zones",
                "Zones.N is only accepted with BizType CloudBox.",
            ));
        }
        _ => {}
    }
    let protection = protection_types(&params, "Isp", isp, "pools")?;
    let resource_group_id = requested_resource_group(&params, ctx.account())?;
    let tags = tag_pairs(&params.tags("Tag", TAGS_PER_RESOURCE)?)?;
    Ok(Pool {
        id: String::new(),
        region_id: region.to_string(),
        name: name.to_string(),
        description: description.to_string(),
        isp: isp.to_string(),
        biz_type: biz_type.to_string(),
        zones: zones.iter().map(|z| z.to_string()).collect(),
        security_protection_types: protection,
        resource_group_id,
        tags,
        creation_time: String::new(),
        blocks: Vec::new(),
        pending: None,
    })
}

pub(super) fn create(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let mut pool = requested(ctx, region)?;
    let dry_run = ctx.params().dry_run()?;
    let account = ctx.account();
    ctx.write(|inner| {
        if !inner.state.is_enabled(account, region) {
            return Err(not_active(region));
        }
        let pools = inner.state.pools_mut(account);
        if pools.iter().filter(|p| p.region_id == region).count() >= POOLS_PER_REGION {
            return Err(ApiError::new(
                400,
                "QuotaExceeded.PublicIpAddressPool",
                format!("The quota of {POOLS_PER_REGION} IP address pools in region {region} is reached; delete a pool first."),
            ));
        }
        if dry_run {
            return Err(dry_run_passed());
        }
        pool.id = new_pool_id();
        pool.creation_time = ctx.creation_time();
        let body = to_json(&CreateResponse {
            request_id: ctx.request_id,
            pulbic_ip_address_pool_id: &pool.id,
            public_ip_address_pool_id: &pool.id,
            resource_group_id: &pool.resource_group_id,
        });
        pools.push(pool);
        Ok(body)
    })
}

pub(super) fn delete(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    let id = params.required("PublicIpAddressPoolId")?;
    let dry_run = params.dry_run()?;
    let pending = ctx.pending_until();
    ctx.write(|inner| {
        let account = inner.state.account_mut(ctx.account());
        let pool = find_writable(&mut account.pools, region, id)?;
        let (used, _) = pool_usage(&account.eips, pool);
        if used > 0 {
            return Err(ApiError::new(
                400,
                "OperationDenied.PublicIpAddressPoolInUse",
                format!("The IP address pool {id} has {used} addresses in use (UsedIpNum {used}); release the EIPs allocated from it first."),
            ));
        }
        if dry_run {
            return Err(dry_run_passed());
        }
        // Its blocks go with it: none has addresses in use (checked above).
        match pending {
            Some(until_ms) => {
                pool.pending = Some(Pending {
                    change: Change::Deleting,
                    until_ms,
                })
            }
            None => account.pools.retain(|p| p.id != id),
        }
        Ok(to_json(&Empty {
            request_id: ctx.request_id,
        }))
    })
}

pub(super) fn update(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    let id = params.required("PublicIpAddressPoolId")?;
    let (name, description) = changed_texts(&params)?;
    let dry_run = params.dry_run()?;
    ctx.write(|inner| {
        let pool = find_writable(inner.state.pools_mut(ctx.account()), region, id)?;
        if dry_run {
            return Err(dry_run_passed());
        }
        if let Some(n) = name {
            pool.name = n.to_string();
        }
        if let Some(d) = description {
            pool.description = d.to_string();
        }
        Ok(to_json(&Empty {
            request_id: ctx.request_id,
        }))
    })
}

/// The filters of `ListPublicIpAddressPools`, all optional and all required to match.
struct Filter<'a> {
    ids: Vec<&'a str>,
    name: Option<&'a str>,
    isp: Option<&'a str>,
    status: Option<&'a str>,
    resource_group_id: Option<&'a str>,
    protection: Option<bool>,
    tags: Vec<TagParam<'a>>,
}

impl Filter<'_> {
    fn matches(&self, p: &Pool) -> bool {
        (self.ids.is_empty() || self.ids.contains(&p.id.as_str()))
            && self.name.is_none_or(|n| n == p.name)
            && self.isp.is_none_or(|i| i == p.isp)
            && self.status.is_none_or(|s| s == p.status())
            && self
                .resource_group_id
                .is_none_or(|r| r == p.resource_group_id)
            && self
                .protection
                .is_none_or(|on| on != p.security_protection_types.is_empty())
            && has_tags(&p.tags, &self.tags)
    }
}

pub(super) fn list(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params: Params<'_> = ctx.params();
    let filter = Filter {
        ids: params.list("PublicIpAddressPoolIds", 100)?,
        name: params.opt("Name"),
        isp: params.opt("Isp"),
        status: params.opt("Status"),
        resource_group_id: params.opt("ResourceGroupId"),
        protection: params.bool("SecurityProtectionEnabled")?,
        tags: params.tags("Tags", TAGS_PER_RESOURCE)?,
    };
    let account = ctx.account();
    let paging = Paging::read(
        &params,
        &POOL_PAGES,
        format!("pools\u{0}{account}\u{0}{region}"),
    )?
    .capped(ctx.page_size_limit());
    if params.dry_run()? {
        return Err(dry_run_passed());
    }
    ctx.read(|inner| {
        let eips = inner.state.eips(account);
        let matching: Vec<PoolView<'_>> = inner
            .state
            .pools(account)
            .iter()
            .filter(|p| p.region_id == region && filter.matches(p))
            .map(|p| view(p, account, eips))
            .collect();
        let total_count = matching.len();
        let (page, next_token) = paging.page(matching);
        Ok(to_json(&ListResponse {
            request_id: ctx.request_id,
            next_token,
            total_count,
            public_ip_address_pool_list: page,
        }))
    })
}
