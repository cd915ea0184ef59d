//! `moved` blocks from the official `aliyun/alicloud` provider (and its old
//! `hashicorp/alicloud` address): its stored state converted into our attribute trees.
//!
//! Terraform hands over the source's `attributes` JSON exactly as stored, not upgraded, so it
//! may come from any official release since the type appeared (v1.186.0 for pools, v1.189.0 for
//! CIDR blocks; both have always had schema version 0). Older releases lack later attributes;
//! every attribute is therefore read leniently, missing and null alike. Our computed attributes
//! that the official state lacks (`region_id`, counts, `user_type`, ...) become null: the move
//! runs before the provider is configured, and the refresh that follows fills them from the
//! API. The user's side of it: `src/docs/guides/migrating-from-alicloud.md`. EIPs, whose
//! releases wrote more shapes, are converted in `moves_eip.rs` with the same readers.

use serde_json::{Map, Value as J, json};

use crate::provider::interface::MoveFrom;
use crate::tf::{AttrPath, Diagnostic, Diagnostics};

/// Where the official provider lives on the registry. Configurations that never set `source`
/// still use the legacy `hashicorp/alicloud` address of the same provider.
const OFFICIAL: &[&str] = &["aliyun/alicloud", "hashicorp/alicloud"];

pub const OFFICIAL_POOL: &str = "alicloud_vpc_public_ip_address_pool";
pub const OFFICIAL_CIDR_BLOCK: &str = "alicloud_vpc_public_ip_address_pool_cidr_block";

/// What `alicloudvpc_public_ip_address_pool` accepts from `moved` blocks.
pub const POOL_SOURCES: &[MoveFrom] = &[MoveFrom {
    providers: OFFICIAL,
    type_name: OFFICIAL_POOL,
    max_schema_version: 0,
    convert: pool_from_official,
}];

/// What `alicloudvpc_public_ip_address_pool_cidr_block` accepts from `moved` blocks.
pub const CIDR_BLOCK_SOURCES: &[MoveFrom] = &[MoveFrom {
    providers: OFFICIAL,
    type_name: OFFICIAL_CIDR_BLOCK,
    max_schema_version: 0,
    convert: cidr_block_from_official,
}];

/// The source's attributes with the context messages need.
struct Source<'a> {
    type_name: &'static str,
    attrs: &'a Map<String, J>,
}

impl<'a> Source<'a> {
    fn new(type_name: &'static str, state: &'a J) -> Result<Self, Diagnostics> {
        match state {
            J::Object(attrs) => Ok(Source { type_name, attrs }),
            _ => Err(self::malformed(
                type_name,
                None,
                "the stored state is not an object of attributes",
            )),
        }
    }

    fn get(&self, name: &str) -> Option<&'a J> {
        self.attrs.get(name).filter(|v| !v.is_null())
    }

    fn wrong(&self, name: &str, expected: &str) -> Diagnostics {
        malformed(
            self.type_name,
            Some(name),
            &format!("`{name}` should be {expected}"),
        )
    }

    /// A string attribute; numbers and bools are taken in their text form (the legacy SDK
    /// stored everything as text once). An empty string is null: the official provider
    /// writes `""` for unset optional strings, where our state holds null.
    fn string(&self, name: &str) -> Result<Option<String>, Diagnostics> {
        match self.get(name) {
            None => Ok(None),
            Some(J::String(s)) if s.is_empty() => Ok(None),
            Some(J::String(s)) => Ok(Some(s.clone())),
            Some(J::Number(n)) => Ok(Some(n.to_string())),
            Some(J::Bool(b)) => Ok(Some(b.to_string())),
            Some(_) => Err(self.wrong(name, "a string")),
        }
    }

    fn number(&self, name: &str) -> Result<Option<i64>, Diagnostics> {
        let parsed = match self.get(name) {
            None => return Ok(None),
            Some(J::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
            Some(J::String(s)) if s.is_empty() => return Ok(None),
            Some(J::String(s)) => s.trim().parse::<i64>().ok(),
            Some(_) => None,
        };
        parsed
            .map(Some)
            .ok_or_else(|| self.wrong(name, "a whole number"))
    }

    fn bool(&self, name: &str) -> Result<Option<bool>, Diagnostics> {
        match self.get(name) {
            None => Ok(None),
            Some(J::Bool(b)) => Ok(Some(*b)),
            Some(J::String(s)) if s == "true" => Ok(Some(true)),
            Some(J::String(s)) if s == "false" => Ok(Some(false)),
            Some(_) => Err(self.wrong(name, "true or false")),
        }
    }

    /// A list of strings as our set: sorted, without duplicates. `[]` stays empty.
    fn string_set(&self, name: &str) -> Result<Option<Vec<String>>, Diagnostics> {
        let Some(v) = self.get(name) else {
            return Ok(None);
        };
        let J::Array(items) = v else {
            return Err(self.wrong(name, "a list of strings"));
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                J::String(s) => out.push(s.clone()),
                _ => return Err(self.wrong(name, "a list of strings")),
            }
        }
        out.sort();
        out.dedup();
        Ok(Some(out))
    }

    /// A map of strings; empty is null, as our Read reports a pool without tags.
    fn string_map(&self, name: &str) -> Result<Option<Map<String, J>>, Diagnostics> {
        let Some(v) = self.get(name) else {
            return Ok(None);
        };
        let J::Object(m) = v else {
            return Err(self.wrong(name, "a map of strings"));
        };
        if m.values().any(|v| !v.is_string()) {
            return Err(self.wrong(name, "a map of strings"));
        }
        Ok((!m.is_empty()).then(|| m.clone()))
    }

    /// The `timeouts` block: its string entries, whichever operations the source version had.
    fn timeouts(&self) -> J {
        match self.get("timeouts") {
            Some(J::Object(m)) => J::Object(
                m.iter()
                    .filter(|(_, v)| v.is_string())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
            _ => J::Null,
        }
    }

    /// `id`, which every official state has (the SDK always stores it).
    fn id(&self) -> Result<String, Diagnostics> {
        match self.string("id")? {
            Some(id) => Ok(id.trim().to_string()),
            None => Err(malformed(
                self.type_name,
                Some("id"),
                "it has no `id`, so it names no object",
            )),
        }
    }
}

fn malformed(type_name: &str, attr: Option<&str>, what: &str) -> Diagnostics {
    let d = Diagnostic::error(
        format!("Cannot move {type_name}: malformed state"),
        format!(
            "The stored state of this {type_name} cannot be converted: {what}. Check it with terraform state pull (or terraform state show on a copy), or remove the moved block and import the object instead."
        ),
    );
    match attr {
        Some(a) => d.at(AttrPath::attr(a)).into(),
        None => d.into(),
    }
}

/// A pool ID as the API writes it: no separators (ours would read `a:b` as region and ID).
fn check_pool_id(src: &Source<'_>, attr: &str, id: &str) -> Result<(), Diagnostics> {
    if id.is_empty() || id.contains([':', '/', ' ']) {
        return Err(malformed(
            src.type_name,
            Some(attr),
            &format!("{id:?} is not a pool ID (`pippool-...`)"),
        ));
    }
    Ok(())
}

/// `alicloud_vpc_public_ip_address_pool` (every version from v1.186.0) to the attributes of
/// `alicloudvpc_public_ip_address_pool`.
pub fn pool_from_official(state: &J) -> Result<J, Diagnostics> {
    let s = Source::new(OFFICIAL_POOL, state)?;
    let id = s.id()?;
    check_pool_id(&s, "id", &id)?;
    Ok(json!({
        "id": id,
        // The official provider stores no region (it uses its provider's); a state that has one
        // keeps it, else the first refresh takes our provider's region.
        "region_id": s.string("region_id")?,
        "public_ip_address_pool_name": s.string("public_ip_address_pool_name")?,
        "description": s.string("description")?,
        "isp": s.string("isp")?,
        "biz_type": s.string("biz_type")?,
        "zones": s.string_set("zones")?,
        "security_protection_types": s.string_set("security_protection_types")?,
        "resource_group_id": s.string("resource_group_id")?,
        "tags": s.string_map("tags")?,
        // The same as `id` in every version that has it (from v1.204.1); older ones lack it.
        "public_ip_address_pool_id": id,
        "status": s.string("status")?,
        "create_time": s.string("create_time")?,
        "total_ip_num": s.number("total_ip_num")?,
        "used_ip_num": s.number("used_ip_num")?,
        "ip_address_remaining": s.bool("ip_address_remaining")?,
        "user_type": s.string("user_type")?,
        "share_type": s.string("share_type")?,
        "business_status": s.string("business_status")?,
        "timeouts": s.timeouts(),
    }))
}

/// `alicloud_vpc_public_ip_address_pool_cidr_block` (every version from v1.189.0) to the
/// attributes of `alicloudvpc_public_ip_address_pool_cidr_block`.
///
/// The official ID is `<pool>:<cidr>`; from v1.219.0 its Read also rewrites both attributes
/// from the ID, so the ID wins where they disagree. `cidr_mask` is the block's prefix length:
/// the official provider stores it only when it was configured at create.
pub fn cidr_block_from_official(state: &J) -> Result<J, Diagnostics> {
    let s = Source::new(OFFICIAL_CIDR_BLOCK, state)?;
    let id = s.id()?;
    let (pool, cidr) = match id.split_once(':') {
        Some((p, c)) if !p.is_empty() && !c.is_empty() => (p.to_string(), c.to_string()),
        _ => match (
            s.string("public_ip_address_pool_id")?,
            s.string("cidr_block")?,
        ) {
            (Some(p), Some(c)) => (p, c),
            _ => {
                return Err(malformed(
                    OFFICIAL_CIDR_BLOCK,
                    Some("id"),
                    &format!(
                        "the id {id:?} is not `<pool ID>:<CIDR block>` and the state lacks `public_ip_address_pool_id` or `cidr_block`"
                    ),
                ));
            }
        },
    };
    check_pool_id(&s, "public_ip_address_pool_id", &pool)?;
    let net: ipnet::Ipv4Net = cidr.parse().map_err(|_| {
        malformed(
            OFFICIAL_CIDR_BLOCK,
            Some("cidr_block"),
            &format!("{cidr:?} is not an IPv4 CIDR block such as 47.0.0.0/24"),
        )
    })?;
    Ok(json!({
        "id": format!("{pool}:{cidr}"),
        "region_id": s.string("region_id")?,
        "public_ip_address_pool_id": pool,
        "cidr_block": cidr,
        "cidr_mask": net.prefix_len(),
        "status": s.string("status")?,
        "create_time": s.string("create_time")?,
        "total_ip_num": s.number("total_ip_num")?,
        "used_ip_num": s.number("used_ip_num")?,
        "timeouts": s.timeouts(),
    }))
}

#[path = "moves_eip.rs"]
mod eip;
pub use eip::{EIP_SOURCES, LEGACY_EIP, OFFICIAL_EIP, eip_from_official, legacy_eip_from_official};

#[cfg(test)]
#[path = "moves_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "moves_malformed_tests.rs"]
mod malformed_tests;
