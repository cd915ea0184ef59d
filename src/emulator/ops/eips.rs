//! `AllocateEipAddress`, `ReleaseEipAddress`, `ModifyEipAddressAttribute` and
//! `DeletionProtection`: EIPs from the region's EIP address space or from an IP address pool,
//! whose line type and protection types they must match and whose used counts they make.

use std::net::Ipv4Addr;

use serde::Serialize;

use super::pools::Empty;
use super::rules::{
    changed_texts, find_writable, protection_types, requested_resource_group, tag_pairs, text,
};
use super::{Answer, Ctx};
use crate::alicloud::vpc::eips::EIP_ISPS;
use crate::emulator::eips::{self, Eip};
use crate::emulator::error::ApiError;
use crate::emulator::resources::{Change, Pending, TAGS_PER_RESOURCE};
use crate::emulator::server::to_json;

const CHARGE_TYPES: &[&str] = &["PayByBandwidth", "PayByTraffic"];

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AllocateResponse<'a> {
    request_id: &'a str,
    allocation_id: &'a str,
    eip_address: String,
    resource_group_id: &'a str,
    // `OrderId` is only answered for subscription (`PrePaid`) EIPs, which are not emulated.
}

fn new_eip_id() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let tail: String = (0..21)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("eip-{tail}")
}

/// The documented answer for an EIP the caller does not have in that region.
pub(super) fn eip_not_found(id: &str) -> ApiError {
    ApiError::new(
        404,
        "InvalidAllocationId.NotFound",
        format!("Specified allocation ID is not found: {id}."),
    )
}

/// The EIP `id` of the caller in `region`.
pub(super) fn find_eip<'e>(
    eips: &'e mut [Eip],
    region: &str,
    id: &str,
) -> Result<&'e mut Eip, ApiError> {
    eips.iter_mut()
        .find(|e| e.id == id && e.region_id == region)
        .ok_or_else(|| eip_not_found(id))
}

/// Like [`find_eip`], refusing an EIP being released: Alibaba allows only reads then.
pub(super) fn find_eip_writable<'e>(
    eips: &'e mut [Eip],
    region: &str,
    id: &str,
) -> Result<&'e mut Eip, ApiError> {
    let eip = find_eip(eips, region, id)?;
    if eip.pending.is_some() {
        return Err(ApiError::new(
            400,
            "IncorrectEipStatus",
            format!(
                "Current elastic IP status does not support this operation: {id} is {}.",
                eip.status()
            ),
        ));
    }
    Ok(eip)
}

/// `Bandwidth` in Mbit/s: 1 to 500 for `PayByBandwidth`, 1 to 200 for `PayByTraffic`.
fn bandwidth(value: &str, charge_type: &str) -> Result<u32, ApiError> {
    let max = if charge_type == "PayByTraffic" {
        200
    } else {
        500
    };
    value
        .parse::<u32>()
        .ok()
        .filter(|b| (1..=max).contains(b))
        .ok_or_else(|| {
            ApiError::new(
                400,
                "InvalidBandwidth.Malformed",
                format!("The specified Bandwidth \"{value}\" is invalid: {charge_type} EIPs take 1 to {max} Mbit/s."),
            )
        })
}

fn one_of<'a>(
    name: &str,
    value: Option<&'a str>,
    default: &'a str,
    allowed: &[&str],
) -> Result<&'a str, ApiError> {
    let v = value.unwrap_or(default);
    if allowed.contains(&v) {
        Ok(v)
    } else {
        Err(ApiError::invalid(
            name,
            format!(
                "The {name} \"{v}\" is not supported; use one of {}.",
                allowed.join(", ")
            ),
        ))
    }
}

/// The EIP an `AllocateEipAddress` request asks for, every parameter checked; its ID, address
/// and time are given when it is allocated. The wanted address comes beside it.
fn requested(ctx: &Ctx<'_>, region: &str) -> Result<(Eip, Option<Ipv4Addr>), ApiError> {
    let params = ctx.params();
    let charge = one_of(
        "InternetChargeType",
        params.opt("InternetChargeType"),
        "PayByBandwidth",
        CHARGE_TYPES,
    )?;
    let bandwidth = bandwidth(params.opt("Bandwidth").unwrap_or("5"), charge)?;
    let isp = one_of("ISP", params.opt("ISP"), "BGP", EIP_ISPS)?;
    // Subscriptions need orders and payment, which the emulator has no model of.
    match params.opt("InstanceChargeType") {
        None | Some("PostPaid") => {}
        Some(other) => {
            return Err(ApiError::invalid(
                "InstanceChargeType",
                format!(
                    "The InstanceChargeType \"{other}\" is not supported by the emulator; it allocates pay-as-you-go (PostPaid) EIPs only."
                ),
            ));
        }
    }
    one_of("Netmode", params.opt("Netmode"), "public", &["public"])?;
    let name = params.get("Name").unwrap_or_default();
    text("Name", name, 128)?;
    let description = params.get("Description").unwrap_or_default();
    text("Description", description, 256)?;
    let protection = protection_types(&params, "ISP", isp, "EIPs")?;
    let resource_group_id = requested_resource_group(&params, ctx.account())?;
    let pool_id = params.opt("PublicIpAddressPoolId");
    let address = match params.opt("IpAddress") {
        None => None,
        Some(a) => Some(a.parse::<Ipv4Addr>().map_err(|_| {
            ApiError::invalid(
                "IpAddress",
                format!("The IpAddress \"{a}\" is not an IPv4 address."),
            )
        })?),
    };
    if address.is_some() && pool_id.is_none() {
        return Err(ApiError::invalid(
            "IpAddress",
            "The emulator allocates a specific IpAddress only from an IP address pool: set PublicIpAddressPoolId too.",
        ));
    }
    let eip = Eip {
        id: String::new(),
        region_id: region.to_string(),
        ip_address: Ipv4Addr::UNSPECIFIED,
        name: name.to_string(),
        description: description.to_string(),
        bandwidth,
        isp: isp.to_string(),
        internet_charge_type: charge.to_string(),
        security_protection_types: protection,
        resource_group_id,
        pool_id: pool_id.map(str::to_string),
        zone: params.opt("Zone").unwrap_or_default().to_string(),
        deletion_protection: false,
        tags: tag_pairs(&params.tags("Tag", TAGS_PER_RESOURCE)?)?,
        allocation_time: String::new(),
        pending: None,
    };
    Ok((eip, address))
}

fn sorted(v: &[String]) -> Vec<&str> {
    let mut s: Vec<&str> = v.iter().map(String::as_str).collect();
    s.sort_unstable();
    s.dedup();
    s
}

pub(super) fn allocate(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let (mut eip, wanted) = requested(ctx, region)?;
    ctx.write(|inner| {
        let account = inner.state.account_mut(ctx.account());
        let address = match eip.pool_id.as_deref() {
            Some(pool_id) => {
                let pool = find_writable(&mut account.pools, region, pool_id)?;
                // Alibaba: EIPs allocated from a pool must match its line type and protection.
                if pool.isp != eip.isp {
                    return Err(ApiError::new(
                        400,
                        "OperationDenied.PublicIpAddressPoolIspMismatch",
                        format!("The ISP {} of the EIP must be the line type {} of the IP address pool {pool_id}.", eip.isp, pool.isp),
                    ));
                }
                if sorted(&pool.security_protection_types) != sorted(&eip.security_protection_types) {
                    return Err(ApiError::new(
                        400,
                        "OperationDenied.PublicIpAddressPoolSecurityProtectionMismatch",
                        format!(
                            "The SecurityProtectionTypes [{}] of the EIP must be those of the IP address pool {pool_id}: [{}].",
                            eip.security_protection_types.join(", "),
                            pool.security_protection_types.join(", ")
                        ),
                    ));
                }
                let nets: Vec<_> = pool.blocks.iter().map(|b| b.cidr_block).collect();
                match wanted {
                    Some(a) => {
                        if !nets.iter().any(|n| n.contains(&a)) {
                            return Err(ApiError::new(
                                400,
                                "Mismatch.IpAndPublicIpAddressPool",
                                format!("The IpAddress {a} is in no CIDR block of the IP address pool {pool_id}."),
                            ));
                        }
                        if let Some(holder) = account.eips.iter().find(|e| e.ip_address == a) {
                            return Err(ApiError::new(
                                400,
                                "Ip.Allocated",
                                format!("The IpAddress {a} is already allocated to {}.", holder.id),
                            ));
                        }
                        a
                    }
                    None => eips::first_free(&nets, &account.eips).ok_or_else(|| {
                        ApiError::new(
                            400,
                            "ResourceNotEnough.PublicIpAddressPool",
                            format!("The IP address pool {pool_id} has no free address left: all {} are allocated.", pool.total_ip_num()),
                        )
                    })?,
                }
            }
            None => eips::address_space(region)
                .and_then(|space| eips::first_free(&[space], &account.eips))
                .ok_or_else(|| {
                    ApiError::new(
                        400,
                        "ResourceNotEnough.Eip",
                        format!("No free EIP address is left in region {region}."),
                    )
                })?,
        };
        eip.id = new_eip_id();
        eip.ip_address = address;
        eip.allocation_time = ctx.creation_time();
        let body = to_json(&AllocateResponse {
            request_id: ctx.request_id,
            allocation_id: &eip.id,
            eip_address: address.to_string(),
            resource_group_id: &eip.resource_group_id,
        });
        account.eips.push(eip);
        Ok(body)
    })
}

pub(super) fn release(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let id = ctx.params().required("AllocationId")?;
    let pending = ctx.pending_until();
    ctx.write(|inner| {
        let account = inner.state.account_mut(ctx.account());
        let eip = find_eip_writable(&mut account.eips, region, id)?;
        if eip.deletion_protection {
            return Err(ApiError::new(
                400,
                "InvalidOperation.DeletionProtection",
                format!("The instance {id} has deletion protection enabled; turn it off with DeletionProtection (ProtectionEnable=false) before releasing it."),
            ));
        }
        // The address stays taken (and counted in its pool) until the EIP is gone.
        match pending {
            Some(until_ms) => {
                eip.pending = Some(Pending {
                    change: Change::Deleting,
                    until_ms,
                })
            }
            None => account.eips.retain(|e| e.id != id),
        }
        Ok(to_json(&Empty {
            request_id: ctx.request_id,
        }))
    })
}

pub(super) fn modify(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    let id = params.required("AllocationId")?;
    let (name, description) = changed_texts(&params)?;
    let wanted_bandwidth = params.opt("Bandwidth");
    ctx.write(|inner| {
        let account = inner.state.account_mut(ctx.account());
        let eip = find_eip_writable(&mut account.eips, region, id)?;
        let new_bandwidth = wanted_bandwidth
            .map(|b| bandwidth(b, &eip.internet_charge_type))
            .transpose()?;
        if let Some(b) = new_bandwidth {
            eip.bandwidth = b;
        }
        if let Some(n) = name {
            eip.name = n.to_string();
        }
        if let Some(d) = description {
            eip.description = d.to_string();
        }
        Ok(to_json(&Empty {
            request_id: ctx.request_id,
        }))
    })
}

pub(super) fn protect(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    let id = params.required("InstanceId")?;
    let kind = params.required("Type")?;
    if !kind.eq_ignore_ascii_case("EIP") {
        return Err(ApiError::invalid(
            "Type",
            format!(
                "The Type \"{kind}\" is not supported by the emulator; it emulates deletion protection of EIPs only (Type EIP)."
            ),
        ));
    }
    let enable = params
        .bool("ProtectionEnable")?
        .ok_or_else(|| ApiError::missing("ProtectionEnable"))?;
    ctx.write(|inner| {
        let account = inner.state.account_mut(ctx.account());
        find_eip_writable(&mut account.eips, region, id)?.deletion_protection = enable;
        Ok(to_json(&Empty {
            request_id: ctx.request_id,
        }))
    })
}
