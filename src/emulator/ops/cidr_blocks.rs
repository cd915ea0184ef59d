//! `AddPublicIpAddressPoolCidrBlock`, `DeletePublicIpAddressPoolCidrBlock` and
//! `ListPublicIpAddressPoolCidrBlocks`: CIDR validation, overlap across the account,
//! allocation by `CidrMask` from the region's address space, and the asynchronous states.

use ipnet::Ipv4Net;
use serde::Serialize;

use super::params::{POOL_PAGES, Paging};
use super::pools::Empty;
use super::rules::{find, find_writable, in_transition, not_found};
use super::{Answer, Ctx, dry_run_passed};
use crate::emulator::eips::used_ip_num;
use crate::emulator::error::ApiError;
use crate::emulator::resources::{self, BLOCKS_PER_POOL, Block, Change, MASKS, Pending};
use crate::emulator::server::to_json;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AddResponse<'a> {
    request_id: &'a str,
    cidr_block: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListResponse<'a> {
    request_id: &'a str,
    next_token: String,
    total_count: usize,
    public_ip_pool_cidr_block_list: Vec<BlockView<'a>>,
}

/// One item of `PublicIpPoolCidrBlockList`, as the SDK model has it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct BlockView<'a> {
    public_ip_address_pool_id: &'a str,
    cidr_block: String,
    status: &'static str,
    creation_time: &'a str,
    total_ip_num: u64,
    used_ip_num: u64,
}

/// A `CidrBlock` parameter: an IPv4 network in CIDR form, host bits zero, mask 24 to 28.
fn parse_block(s: &str) -> Result<Ipv4Net, ApiError> {
    let net: Ipv4Net = s.parse().map_err(|_| {
        ApiError::invalid(
            "CidrBlock",
            format!("The CidrBlock \"{s}\" is not an IPv4 network in CIDR form (for example 47.0.0.0/24)."),
        )
    })?;
    if net.trunc() != net {
        return Err(ApiError::invalid(
            "CidrBlock",
            format!(
                "The CidrBlock \"{s}\" has host bits set; the network is {}.",
                net.trunc()
            ),
        ));
    }
    if !MASKS.contains(&net.prefix_len()) {
        return Err(ApiError::invalid(
            "CidrBlock",
            format!("The mask of CidrBlock \"{s}\" must be from 24 to 28."),
        ));
    }
    Ok(net)
}

/// What to add: a given block or a size to allocate.
enum Wanted {
    Block(Ipv4Net),
    Mask(u8),
}

fn wanted(ctx: &Ctx<'_>) -> Result<Wanted, ApiError> {
    let params = ctx.params();
    match (params.opt("CidrBlock"), params.opt("CidrMask")) {
        (Some(_), Some(_)) => Err(ApiError::invalid(
            "CidrBlockAndCidrMask",
            "Specify either CidrBlock or CidrMask, not both.",
        )),
        (None, None) => Err(ApiError::missing("CidrBlock or CidrMask")),
        (Some(block), None) => parse_block(block).map(Wanted::Block),
        (None, Some(_)) => {
            let mask = params
                .number(
                    "CidrMask",
                    u64::from(*MASKS.start())..=u64::from(*MASKS.end()),
                )?
                .and_then(|m| u8::try_from(m).ok())
                .unwrap_or(*MASKS.start());
            Ok(Wanted::Mask(mask))
        }
    }
}

pub(super) fn add(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    let id = params.required("PublicIpAddressPoolId")?;
    let wanted = wanted(ctx)?;
    let dry_run = params.dry_run()?;
    let pending = ctx.pending_until();
    ctx.write(|inner| {
        let pools = inner.state.pools_mut(ctx.account());
        // Every block of the account, all regions: a block may belong to one pool only.
        let taken: Vec<(Ipv4Net, String)> = pools
            .iter()
            .flat_map(|p| p.blocks.iter().map(|b| (b.cidr_block, p.id.clone())))
            .collect();
        let pool = find_writable(pools, region, id)?;
        if pool.blocks.len() >= BLOCKS_PER_POOL {
            return Err(ApiError::new(
                400,
                "QuotaExceeded.PublicIpAddressPoolCidrBlock",
                format!("The IP address pool {id} already has {BLOCKS_PER_POOL} CIDR blocks, the most a pool can have."),
            ));
        }
        let cidr = match wanted {
            Wanted::Block(net) => {
                if let Some((other, owner)) = taken.iter().find(|(t, _)| resources::overlaps(t, &net)) {
                    return Err(ApiError::new(
                        400,
                        "InvalidCidrBlock.Overlapped",
                        format!("The CIDR block {net} overlaps {other} of the IP address pool {owner}."),
                    ));
                }
                net
            }
            Wanted::Mask(mask) => {
                let nets: Vec<Ipv4Net> = taken.iter().map(|(t, _)| *t).collect();
                resources::address_space(region)
                    .and_then(|space| resources::allocate(space, mask, &nets))
                    .ok_or_else(|| {
                        ApiError::new(
                            400,
                            "ResourceNotEnough.CidrBlock",
                            format!("No free /{mask} CIDR block is left in the address space of region {region}."),
                        )
                    })?
            }
        };
        if dry_run {
            return Err(dry_run_passed());
        }
        pool.blocks.push(Block {
            cidr_block: cidr,
            creation_time: ctx.creation_time(),
            legacy_used_ip_num: 0,
            pending: pending.map(|until_ms| Pending {
                change: Change::Modifying,
                until_ms,
            }),
        });
        Ok(to_json(&AddResponse {
            request_id: ctx.request_id,
            cidr_block: cidr.to_string(),
        }))
    })
}

pub(super) fn delete(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    let id = params.required("PublicIpAddressPoolId")?;
    let cidr = parse_block(params.required("CidrBlock")?)?;
    let dry_run = params.dry_run()?;
    let pending = ctx.pending_until();
    ctx.write(|inner| {
        let account = inner.state.account_mut(ctx.account());
        let pool = find(&mut account.pools, region, id)?;
        if pool.block(&cidr).is_none() {
            return Err(block_not_found(id, &cidr));
        }
        let used = used_ip_num(&account.eips, id, Some(&cidr));
        if pool.in_transition() {
            return Err(in_transition(pool));
        }
        if used > 0 {
            return Err(ApiError::new(
                400,
                "OperationDenied.CidrBlockInUse",
                format!("The CIDR block {cidr} of {id} has {used} addresses in use (UsedIpNum {used}); release the EIPs allocated from it first."),
            ));
        }
        if dry_run {
            return Err(dry_run_passed());
        }
        match pending {
            Some(until_ms) => {
                if let Some(b) = pool.block_mut(&cidr) {
                    b.pending = Some(Pending {
                        change: Change::Deleting,
                        until_ms,
                    });
                }
            }
            None => pool.blocks.retain(|b| b.cidr_block != cidr),
        }
        Ok(to_json(&Empty {
            request_id: ctx.request_id,
        }))
    })
}

pub(in crate::emulator) fn block_not_found(id: &str, cidr: &Ipv4Net) -> ApiError {
    ApiError::new(
        400,
        "ResourceNotFound.PublicIpAddressPoolCidrBlock",
        format!("The CIDR block {cidr} is not found in the IP address pool {id}."),
    )
}

pub(super) fn list(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    let id = params.required("PublicIpAddressPoolId")?;
    // Any string filters; one that is not a block simply matches nothing.
    let filter = params.opt("CidrBlock");
    let account = ctx.account();
    let paging = Paging::read(
        &params,
        &POOL_PAGES,
        format!("blocks\u{0}{account}\u{0}{region}\u{0}{id}"),
    )?
    .capped(ctx.page_size_limit());
    if params.dry_run()? {
        return Err(dry_run_passed());
    }
    ctx.read(|inner| {
        let eips = inner.state.eips(account);
        let pool = inner
            .state
            .pools(account)
            .iter()
            .find(|p| p.id == id && p.region_id == region)
            .ok_or_else(|| not_found(id))?;
        let matching: Vec<BlockView<'_>> = pool
            .blocks
            .iter()
            .filter(|b| filter.is_none_or(|f| f == b.cidr_block.to_string()))
            .map(|b| BlockView {
                public_ip_address_pool_id: &pool.id,
                cidr_block: b.cidr_block.to_string(),
                status: b.status(),
                creation_time: &b.creation_time,
                total_ip_num: b.total_ip_num(),
                used_ip_num: used_ip_num(eips, &pool.id, Some(&b.cidr_block)),
            })
            .collect();
        let total_count = matching.len();
        let (page, next_token) = paging.page(matching);
        Ok(to_json(&ListResponse {
            request_id: ctx.request_id,
            next_token,
            total_count,
            public_ip_pool_cidr_block_list: page,
        }))
    })
}
