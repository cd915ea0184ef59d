//! Rules the pool families share: finding a pool of the caller, refusing writes while it is
//! changing, and validating names, descriptions, tags and resource group IDs.

use std::collections::BTreeMap;

use super::params::{Params, TagParam};
use crate::alicloud::sign::hex_sha256;
use crate::emulator::error::ApiError;
use crate::emulator::resources::{Pool, TAGS_PER_RESOURCE};

pub(super) fn not_found(id: &str) -> ApiError {
    ApiError::new(
        400,
        "ResourceNotFound.PublicIpAddressPool",
        format!("The specified resource of PublicIpAddressPool is not found: {id}."),
    )
}

/// The documented refusal of a write while the pool (or one of its blocks) is changing.
pub(super) fn in_transition(pool: &Pool) -> ApiError {
    ApiError::new(
        400,
        "IncorrectStatus.PublicIpAddressPool",
        format!(
            "The status of PublicIpAddressPool is incorrect: {} is {}; retry when it is Created.",
            pool.id,
            pool.status()
        ),
    )
}

/// The pool `id` of the caller in `region`.
pub(super) fn find<'p>(
    pools: &'p mut [Pool],
    region: &str,
    id: &str,
) -> Result<&'p mut Pool, ApiError> {
    pools
        .iter_mut()
        .find(|p| p.id == id && p.region_id == region)
        .ok_or_else(|| not_found(id))
}

/// Like [`find`], refusing a pool in transition.
pub(super) fn find_writable<'p>(
    pools: &'p mut [Pool],
    region: &str,
    id: &str,
) -> Result<&'p mut Pool, ApiError> {
    let pool = find(pools, region, id)?;
    if pool.in_transition() {
        return Err(in_transition(pool));
    }
    Ok(pool)
}

/// `Name` and `Description`: at most `max` characters, not starting with `http://` or
/// `https://` (Alibaba's rule for both).
pub(super) fn text(name: &str, value: &str, max: usize) -> Result<(), ApiError> {
    let lower = value.to_ascii_lowercase();
    if value.chars().count() > max || lower.starts_with("http://") || lower.starts_with("https://")
    {
        return Err(ApiError::invalid(
            name,
            format!(
                "The parameter {name} must be 0 to {max} characters and must not start with http:// or https://."
            ),
        ));
    }
    Ok(())
}

/// `Name` and `Description` of an attribute update, each checked: present means set (empty
/// included, to clear), absent means unchanged.
pub(super) fn changed_texts<'a>(
    params: &Params<'a>,
) -> Result<(Option<&'a str>, Option<&'a str>), ApiError> {
    let name = params.get("Name");
    let description = params.get("Description");
    if let Some(n) = name {
        text("Name", n, 128)?;
    }
    if let Some(d) = description {
        text("Description", d, 256)?;
    }
    Ok((name, description))
}

/// Checks tags to set: key 1 to 128 characters, not starting with `aliyun` or `acs:` and
/// without `http://`/`https://`; value at most 128 characters.
pub(super) fn tag_pairs(tags: &[TagParam<'_>]) -> Result<BTreeMap<String, String>, ApiError> {
    let mut out = BTreeMap::new();
    for t in tags {
        let lower = t.key.to_ascii_lowercase();
        if t.key.is_empty()
            || t.key.chars().count() > 128
            || lower.starts_with("aliyun")
            || lower.starts_with("acs:")
            || lower.contains("http://")
            || lower.contains("https://")
        {
            return Err(ApiError::invalid(
                "TagKey",
                format!(
                    "The tag key \"{}\" must be 1 to 128 characters, must not start with aliyun or acs: and must not contain http:// or https://.",
                    t.key
                ),
            ));
        }
        let value = t.value.unwrap_or_default();
        if value.chars().count() > 128 {
            return Err(ApiError::invalid(
                "TagValue",
                format!(
                    "The value of tag \"{}\" must be at most 128 characters.",
                    t.key
                ),
            ));
        }
        out.insert(t.key.to_string(), value.to_string());
    }
    Ok(out)
}

pub(super) fn too_many_tags(id: &str) -> ApiError {
    ApiError::new(
        400,
        "QuotaExceeded.TagNum",
        format!("The resource {id} would have more than {TAGS_PER_RESOURCE} tags."),
    )
}

/// `rg-` and lower-case letters and digits: the form of Alibaba's resource group IDs. The
/// emulator has no resource group registry, so every well-formed ID exists.
pub(super) fn resource_group(name: &str, id: &str) -> Result<(), ApiError> {
    let ok = id.strip_prefix("rg-").is_some_and(|r| {
        !r.is_empty()
            && r.len() <= 64
            && r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(
            name,
            format!(
                "The resource group ID \"{id}\" is not valid: expected rg- followed by lower-case letters and digits."
            ),
        ))
    }
}

/// The account's default resource group: stable per account, shaped like Alibaba's.
/// `ResourceGroupId` of a create, checked, or the account's default group when absent.
pub(super) fn requested_resource_group(
    params: &Params<'_>,
    account: &str,
) -> Result<String, ApiError> {
    match params.opt("ResourceGroupId") {
        Some(rg) => {
            resource_group("ResourceGroupId", rg)?;
            Ok(rg.to_string())
        }
        None => Ok(default_resource_group(account)),
    }
}

/// The security protection types a pool or EIP may have.
const PROTECTION_TYPES: &[&str] = &["AntiDDoS_Enhanced"];

/// `SecurityProtectionTypes.N` of pools or EIPs (`what`), checked: known types only, and only
/// on the `BGP` line (`isp`, the value of the line parameter `isp_param`).
pub(super) fn protection_types(
    params: &Params<'_>,
    isp_param: &str,
    isp: &str,
    what: &str,
) -> Result<Vec<String>, ApiError> {
    let protection = params.list("SecurityProtectionTypes", 10)?;
    if let Some(bad) = protection.iter().find(|t| !PROTECTION_TYPES.contains(t)) {
        return Err(ApiError::invalid(
            "SecurityProtectionTypes",
            format!(
                "The security protection type \"{bad}\" is not supported; use AntiDDoS_Enhanced."
            ),
        ));
    }
    if !protection.is_empty() && isp != "BGP" {
        return Err(ApiError::invalid(
            "SecurityProtectionTypes",
            format!("AntiDDoS_Enhanced {what} need the {isp_param} BGP."),
        ));
    }
    Ok(protection.iter().map(|t| t.to_string()).collect())
}

fn default_resource_group(account: &str) -> String {
    let h = hex_sha256(account.as_bytes());
    format!("rg-acfm{}", h.get(..11).unwrap_or_default())
}
