//! The emulated elastic IP addresses (EIPs) as the `--state` file keeps them, and the address
//! rules `AllocateEipAddress` follows: where an address comes from (a pool's CIDR blocks, or the
//! region's own EIP address space), which addresses are free, and how many of a pool's or
//! block's addresses are in use (`UsedIpNum` follows the EIPs, it is never stored).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

use super::resources::{Change, Pending, Pool};
use crate::alicloud::regions::PUBLIC_REGIONS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Eip {
    /// `eip-` and 21 lower-case letters and digits.
    pub id: String,
    pub region_id: String,
    pub ip_address: Ipv4Addr,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Mbit/s.
    pub bandwidth: u32,
    pub isp: String,
    /// `PayByBandwidth` or `PayByTraffic`.
    pub internet_charge_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_protection_types: Vec<String>,
    pub resource_group_id: String,
    /// The pool the address came from; `None` for an address of the region's EIP space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_id: Option<String>,
    #[serde(default)]
    pub zone: String,
    #[serde(default)]
    pub deletion_protection: bool,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// `YYYY-MM-DDThh:mm:ssZ`, as `AllocationTime` is answered.
    pub allocation_time: String,
    /// Only ever `deleting`: the EIP is `Releasing` until `until_ms`, then gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Pending>,
}

impl Eip {
    /// `Available`, or `Releasing` while a release completes. `InUse`, `Associating` and
    /// `Unassociating` belong to associations with instances, which are not emulated.
    pub fn status(&self) -> &'static str {
        match self.pending {
            Some(_) => "Releasing",
            None => "Available",
        }
    }

    /// Whether the address counts against `pool` (and, given, its block `net`). A `Releasing`
    /// EIP still holds its address: it is free only once the EIP is gone.
    fn holds(&self, pool: &str, net: Option<&Ipv4Net>) -> bool {
        self.pool_id.as_deref() == Some(pool) && net.is_none_or(|n| n.contains(&self.ip_address))
    }
}

/// `UsedIpNum` of a pool (`net` `None`) or of one of its blocks: the EIPs allocated from it.
pub fn used_ip_num(eips: &[Eip], pool: &str, net: Option<&Ipv4Net>) -> u64 {
    eips.iter().filter(|e| e.holds(pool, net)).count() as u64
}

/// `UsedIpNum` of `pool` and whether any address is left (`IpAddressRemaining`).
pub fn pool_usage(eips: &[Eip], pool: &Pool) -> (u64, bool) {
    let used = used_ip_num(eips, &pool.id, None);
    (used, used < pool.total_ip_num())
}

/// The EIP address space of `region` for EIPs allocated without a pool: `39.(100 + i).0.0/16`,
/// `i` the region's index in `PUBLIC_REGIONS`. Alibaba does not say where its addresses come
/// from; this /16 a region is disjoint from the `47.(100 + i).0.0/16` pool blocks come from, so
/// that an EIP outside any pool never lands in a block a test adds later.
pub fn address_space(region: &str) -> Option<Ipv4Net> {
    let i = PUBLIC_REGIONS.iter().position(|r| *r == region)?;
    let second = u8::try_from(100 + i).ok()?;
    Ipv4Net::new(Ipv4Addr::new(39, second, 0, 0), 16).ok()
}

/// The first address of `nets` (in order, every address of each, network and broadcast
/// included: a block's `TotalIpNum` is its size, so each of them can be allocated) that no EIP
/// of the account holds.
pub fn first_free(nets: &[Ipv4Net], eips: &[Eip]) -> Option<Ipv4Addr> {
    nets.iter()
        .flat_map(all_addresses)
        .find(|a| !eips.iter().any(|e| e.ip_address == *a))
}

/// Every address of `net`, in order (`Ipv4Net::hosts` leaves out network and broadcast).
fn all_addresses(net: &Ipv4Net) -> impl Iterator<Item = Ipv4Addr> + use<> {
    (u32::from(net.network())..=u32::from(net.broadcast())).map(Ipv4Addr::from)
}

/// Completes the releases due at `now_ms`: those EIPs are gone. Returns whether any was.
pub fn settle(eips: &mut Vec<Eip>, now_ms: i64) -> bool {
    let before = eips.len();
    eips.retain(|e| {
        !e.pending
            .is_some_and(|p| p.change == Change::Deleting && p.until_ms <= now_ms)
    });
    eips.len() != before
}

/// The deadlines of every release in progress.
pub fn deadlines(eips: &[Eip]) -> impl Iterator<Item = i64> + '_ {
    eips.iter().filter_map(|e| e.pending.map(|p| p.until_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eip(addr: &str, pool: Option<&str>, pending: Option<Pending>) -> Eip {
        Eip {
            id: format!("eip-{addr}"),
            region_id: "cn-hangzhou".into(),
            ip_address: addr.parse().expect("addr"),
            name: String::new(),
            description: String::new(),
            bandwidth: 5,
            isp: "BGP".into(),
            internet_charge_type: "PayByBandwidth".into(),
            security_protection_types: vec![],
            resource_group_id: "rg-1".into(),
            pool_id: pool.map(str::to_string),
            zone: String::new(),
            deletion_protection: false,
            tags: BTreeMap::new(),
            allocation_time: String::new(),
            pending,
        }
    }

    #[test]
    fn addresses_are_taken_in_order_and_counted_per_pool_and_block() {
        let nets: Vec<Ipv4Net> = ["47.0.0.0/30", "47.0.1.0/30"]
            .iter()
            .map(|s| s.parse().expect("net"))
            .collect();
        let mut eips = vec![];
        assert_eq!(first_free(&nets, &eips), Some(Ipv4Addr::new(47, 0, 0, 0)));
        for a in ["47.0.0.0", "47.0.0.1", "47.0.0.2", "47.0.0.3"] {
            eips.push(eip(a, Some("p"), None));
        }
        assert_eq!(first_free(&nets, &eips), Some(Ipv4Addr::new(47, 0, 1, 0)));
        eips.push(eip("39.105.0.0", None, None));
        assert_eq!(used_ip_num(&eips, "p", None), 4);
        assert_eq!(used_ip_num(&eips, "p", Some(&nets[1])), 0);
        assert_eq!(used_ip_num(&eips, "other", None), 0);
        assert_eq!(first_free(&nets[..1], &eips), None);
        assert_eq!(
            address_space("cn-hangzhou"),
            Some("39.105.0.0/16".parse().expect("net"))
        );
    }

    #[test]
    fn releases_complete_when_due() {
        let releasing = Pending {
            change: Change::Deleting,
            until_ms: 10,
        };
        let mut eips = vec![
            eip("47.0.0.1", None, Some(releasing)),
            eip("47.0.0.2", None, None),
        ];
        assert_eq!(eips[0].status(), "Releasing");
        assert_eq!(deadlines(&eips).collect::<Vec<_>>(), [10]);
        assert!(!settle(&mut eips, 9));
        assert!(settle(&mut eips, 10));
        assert_eq!(eips.len(), 1);
        assert_eq!(eips[0].status(), "Available");
    }
}
