//! `moved` blocks from the official `alicloud_eip_address`, and from its older name
//! `alicloud_eip`, into `alicloudvpc_eip_address`.
//!
//! The stored state may come from any official release, and Terraform passes it on exactly as
//! stored (`/work/notes/eip-facts.md` §1 has the history):
//! - `alicloud_eip` up to v1.125.x: `bandwidth` a number, `name`, `instance_charge_type`; no
//!   `address_name` or `payment_type`.
//! - v1.126.0 and later, both type names (one schema since): `bandwidth` a string ("5"),
//!   `address_name` next to the deprecated `name`, `payment_type` next to the deprecated
//!   `instance_charge_type`; later releases add `security_protection_types` (v1.184.0),
//!   `public_ip_address_pool_id` (v1.189.0), `create_time` and `zone` (v1.207.0),
//!   `allocation_id` (v1.223.2), none of them with a schema version.
//!
//! Only pay-as-you-go EIPs move. A subscription EIP has a term, an order and renewals that
//! this provider does not manage, and Alibaba Cloud does not release it by API; converting it
//! silently would hand over an object whose destroy can never work.

use serde_json::{Value as J, json};

use super::{OFFICIAL, Source, malformed};
use crate::provider::interface::MoveFrom;
use crate::provider::resources::eip_address::PAY_AS_YOU_GO;
use crate::tf::{AttrPath, Diagnostic, Diagnostics};

pub const OFFICIAL_EIP: &str = "alicloud_eip_address";
/// The type's name before v1.126.0, an alias of `alicloud_eip_address` since.
pub const LEGACY_EIP: &str = "alicloud_eip";

/// What `alicloudvpc_eip_address` accepts from `moved` blocks.
pub const EIP_SOURCES: &[MoveFrom] = &[
    MoveFrom {
        providers: OFFICIAL,
        type_name: OFFICIAL_EIP,
        max_schema_version: 0,
        convert: eip_from_official,
    },
    MoveFrom {
        providers: OFFICIAL,
        type_name: LEGACY_EIP,
        max_schema_version: 0,
        convert: legacy_eip_from_official,
    },
];

/// `alicloud_eip_address` (every version from v1.126.0) to the attributes of
/// `alicloudvpc_eip_address`.
pub fn eip_from_official(state: &J) -> Result<J, Diagnostics> {
    convert(OFFICIAL_EIP, state)
}

/// `alicloud_eip` (before v1.126.0 its own schema, since then `alicloud_eip_address`'s).
pub fn legacy_eip_from_official(state: &J) -> Result<J, Diagnostics> {
    convert(LEGACY_EIP, state)
}

fn convert(type_name: &'static str, state: &J) -> Result<J, Diagnostics> {
    let s = Source::new(type_name, state)?;
    let id = s.id()?;
    // Our IDs are allocation IDs, and ours would read `a:b` as a region and an ID.
    if !id.starts_with("eip-") || id.len() <= "eip-".len() || id.contains([':', '/', ' ']) {
        return Err(malformed(
            type_name,
            Some("id"),
            &format!("{id:?} is not an allocation ID (`eip-...`)"),
        ));
    }
    let payment_type = payment_type(&s)?;
    // `name` is deprecated since v1.126.0 and the only name before; the official Read writes
    // both, so `address_name` wins where both are set.
    let address_name = match s.string("address_name")? {
        Some(n) => Some(n),
        None => s.string("name")?,
    };
    Ok(json!({
        "id": id,
        // No official release stores a region (it is the provider block's); the refresh after
        // the move takes our provider's.
        "region_id": s.string("region_id")?,
        "public_ip_address_pool_id": s.string("public_ip_address_pool_id")?,
        "ip_address": s.string("ip_address")?,
        "address_name": address_name,
        "description": s.string("description")?,
        // A string from v1.126.0 on ("5"), a number in `alicloud_eip` before it.
        "bandwidth": s.number("bandwidth")?,
        "isp": s.string("isp")?,
        "internet_charge_type": s.string("internet_charge_type")?,
        "payment_type": payment_type,
        "resource_group_id": s.string("resource_group_id")?,
        "tags": s.string_map("tags")?,
        "deletion_protection": s.bool("deletion_protection")?,
        "security_protection_types": s.string_set("security_protection_types")?,
        "zone": s.string("zone")?,
        // Every official Read writes the ID here (when the release has the attribute).
        "allocation_id": id,
        "status": s.string("status")?,
        "create_time": s.string("create_time")?,
        "timeouts": s.timeouts(),
    }))
}

/// Both payment attributes, as the official Read writes them: `payment_type` in its own terms
/// or Alibaba's (v1.216.0 accepts all four values in both), `instance_charge_type` in Alibaba's.
/// Either one saying subscription refuses the move; otherwise pay-as-you-go, or null when the
/// state has neither (the refresh reads it).
fn payment_type(s: &Source<'_>) -> Result<Option<&'static str>, Diagnostics> {
    let mut found = None;
    for attr in ["payment_type", "instance_charge_type"] {
        match s.string(attr)?.as_deref() {
            None => {}
            Some("PayAsYouGo" | "PostPaid") => found = Some(PAY_AS_YOU_GO),
            Some(v @ ("Subscription" | "PrePaid")) => {
                return Err(subscription(s.type_name, attr, v));
            }
            Some(v) => {
                return Err(malformed(
                    s.type_name,
                    Some(attr),
                    &format!(
                        "`{attr}` is {v:?}, which is none of PayAsYouGo, PostPaid, Subscription and PrePaid"
                    ),
                ));
            }
        }
    }
    Ok(found)
}

fn subscription(type_name: &str, attr: &str, value: &str) -> Diagnostics {
    Diagnostic::error(
        format!("Cannot move {type_name}: subscription EIP"),
        format!(
            "This EIP is a subscription EIP ({attr} = {value:?}). alicloudvpc_eip_address manages pay-as-you-go EIPs only: a subscription EIP has a term, an order and renewals that Terraform cannot manage, and Alibaba Cloud does not release it before its term ends. Keep it in the official provider (remove the moved block and the alicloudvpc_eip_address resource), or take it out of Terraform with terraform state rm (or a removed block with destroy = false)."
        ),
    )
    .at(AttrPath::attr(attr))
    .into()
}

#[cfg(test)]
#[path = "moves_eip_tests.rs"]
mod tests;
