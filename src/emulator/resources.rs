//! The emulated public IP address pools and their CIDR blocks, as the `--state` file keeps
//! them, with the rules every operation shares: derived status, address totals, pending
//! (asynchronous) changes and the address space `CidrMask` allocates from. How many addresses
//! are in use follows the EIPs (`super::eips`).

use std::collections::BTreeMap;

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

use crate::alicloud::regions::PUBLIC_REGIONS;

/// Alibaba's quota of pools per account and region (IP address pool guide).
pub const POOLS_PER_REGION: usize = 16;
/// CIDR blocks per pool: not documented by Alibaba; the emulator's choice (`docs/emulator.md`).
pub const BLOCKS_PER_POOL: usize = 16;
/// Tags per resource, as for every taggable Alibaba resource.
pub const TAGS_PER_RESOURCE: usize = 20;
/// Prefix lengths a pool's CIDR block may have (`CidrMask`, and the mask of a `CidrBlock`).
pub const MASKS: std::ops::RangeInclusive<u8> = 24..=28;

/// A change in progress: Alibaba answers the write at once and finishes it asynchronously.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A block being added (status `Modifying`).
    Modifying,
    /// A block or pool being deleted (status `Deleting`); it disappears when done.
    Deleting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pending {
    pub change: Change,
    /// When the change completes, Unix milliseconds. An absolute time rather than a delay, so
    /// that a restarted emulator finishes it when it was due (at once if that has passed).
    pub until_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    pub id: String,
    pub region_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub isp: String,
    pub biz_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_protection_types: Vec<String>,
    pub resource_group_id: String,
    /// Key → value; answers list them in key order.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// `YYYY-MM-DDThh:mm:ssZ`, as `CreationTime` is answered.
    pub creation_time: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<Block>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Pending>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub cidr_block: Ipv4Net,
    pub creation_time: String,
    /// Read and dropped: files written while the control API set a block's allocated count
    /// carry it; the count now follows the EIPs allocated from the block (`eips::used_ip_num`).
    #[serde(default, rename = "used_ip_num", skip_serializing)]
    pub legacy_used_ip_num: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Pending>,
}

fn status_of(pending: Option<Pending>) -> &'static str {
    match pending.map(|p| p.change) {
        None => "Created",
        Some(Change::Modifying) => "Modifying",
        Some(Change::Deleting) => "Deleting",
    }
}

impl Block {
    /// `TotalIpNum` of a block: its size.
    pub fn total_ip_num(&self) -> u64 {
        1u64 << (32 - u32::from(self.cidr_block.prefix_len().min(32)))
    }

    pub fn status(&self) -> &'static str {
        status_of(self.pending)
    }
}

impl Pool {
    /// `Deleting` once deleted; `Modifying` while any of its blocks is being added or deleted
    /// (the emulator's reading of Alibaba's "being modified"); `Created` otherwise.
    pub fn status(&self) -> &'static str {
        match self.pending {
            Some(p) => status_of(Some(p)),
            None if self.blocks.iter().any(|b| b.pending.is_some()) => "Modifying",
            None => "Created",
        }
    }

    /// Whether a write must be refused with `IncorrectStatus.PublicIpAddressPool`.
    pub fn in_transition(&self) -> bool {
        self.status() != "Created"
    }

    pub fn total_ip_num(&self) -> u64 {
        self.blocks.iter().map(Block::total_ip_num).sum()
    }

    pub fn block(&self, cidr: &Ipv4Net) -> Option<&Block> {
        self.blocks.iter().find(|b| &b.cidr_block == cidr)
    }

    pub fn block_mut(&mut self, cidr: &Ipv4Net) -> Option<&mut Block> {
        self.blocks.iter_mut().find(|b| &b.cidr_block == cidr)
    }
}

/// Completes every change due at `now_ms`: blocks stop `Modifying`, blocks and pools being
/// deleted disappear. Returns whether anything changed (so the caller persists).
pub fn settle(pools: &mut Vec<Pool>, now_ms: i64) -> bool {
    let due = |p: &Option<Pending>| p.is_some_and(|p| p.until_ms <= now_ms);
    let before = pools.len();
    pools.retain(|p| !(due(&p.pending) && p.pending.map(|x| x.change) == Some(Change::Deleting)));
    let mut changed = pools.len() != before;
    for pool in pools.iter_mut() {
        if due(&pool.pending) {
            pool.pending = None;
            changed = true;
        }
        let n = pool.blocks.len();
        pool.blocks.retain(|b| {
            !(due(&b.pending) && b.pending.map(|x| x.change) == Some(Change::Deleting))
        });
        changed |= pool.blocks.len() != n;
        for block in pool.blocks.iter_mut().filter(|b| due(&b.pending)) {
            block.pending = None;
            changed = true;
        }
    }
    changed
}

/// The deadlines of every change in progress.
pub fn deadlines(pools: &[Pool]) -> impl Iterator<Item = i64> + '_ {
    pools.iter().flat_map(|p| {
        p.pending
            .iter()
            .chain(p.blocks.iter().filter_map(|b| b.pending.as_ref()))
            .map(|x| x.until_ms)
    })
}

/// The address space `CidrMask` allocates from in `region`: `47.(100 + i).0.0/16`, `i` the
/// region's index in `PUBLIC_REGIONS` (so `cn-qingdao` is `47.100.0.0/16`, `cn-hangzhou`
/// `47.105.0.0/16`). Alibaba does not say where its blocks come from; these are its own
/// addresses, one /16 a region, so that blocks of different regions never collide.
pub fn address_space(region: &str) -> Option<Ipv4Net> {
    let i = PUBLIC_REGIONS.iter().position(|r| *r == region)?;
    let second = u8::try_from(100 + i).ok()?;
    Ipv4Net::new(std::net::Ipv4Addr::new(47, second, 0, 0), 16).ok()
}

pub fn overlaps(a: &Ipv4Net, b: &Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// The first block of prefix length `mask` in `space` that overlaps none of `taken`.
pub fn allocate(space: Ipv4Net, mask: u8, taken: &[Ipv4Net]) -> Option<Ipv4Net> {
    space
        .subnets(mask)
        .ok()?
        .find(|candidate| !taken.iter().any(|t| overlaps(candidate, t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> Ipv4Net {
        s.parse().expect("cidr")
    }

    #[test]
    fn allocation_skips_taken_blocks_and_spaces_differ_by_region() {
        let space = address_space("cn-hangzhou").expect("space");
        assert_eq!(space, net("47.105.0.0/16"));
        assert_eq!(allocate(space, 24, &[]), Some(net("47.105.0.0/24")));
        let taken = [net("47.105.0.0/28"), net("47.105.1.0/24")];
        assert_eq!(allocate(space, 24, &taken), Some(net("47.105.2.0/24")));
        assert_eq!(allocate(space, 28, &taken), Some(net("47.105.0.16/28")));
        assert_eq!(allocate(space, 16, &[space]), None);
        assert!(address_space("mars-1").is_none());
        assert!(overlaps(&net("10.0.0.0/24"), &net("10.0.0.128/28")));
        assert!(!overlaps(&net("10.0.0.0/25"), &net("10.0.0.128/25")));
    }

    #[test]
    fn changes_complete_when_due() {
        let block = |cidr: &str, pending| Block {
            cidr_block: net(cidr),
            creation_time: String::new(),
            legacy_used_ip_num: 0,
            pending,
        };
        let mut pools = vec![Pool {
            id: "pippool-1".into(),
            region_id: "cn-hangzhou".into(),
            name: String::new(),
            description: String::new(),
            isp: "BGP".into(),
            biz_type: "Default".into(),
            zones: vec![],
            security_protection_types: vec![],
            resource_group_id: "rg-1".into(),
            tags: BTreeMap::new(),
            creation_time: String::new(),
            blocks: vec![
                block(
                    "47.0.0.0/24",
                    Some(Pending {
                        change: Change::Modifying,
                        until_ms: 10,
                    }),
                ),
                block(
                    "47.0.1.0/28",
                    Some(Pending {
                        change: Change::Deleting,
                        until_ms: 20,
                    }),
                ),
            ],
            pending: None,
        }];
        assert_eq!(pools[0].status(), "Modifying");
        assert_eq!(pools[0].total_ip_num(), 256 + 16);
        assert!(!settle(&mut pools, 5));
        assert!(settle(&mut pools, 10));
        assert_eq!(pools[0].blocks[0].status(), "Created");
        assert_eq!(pools[0].blocks[1].status(), "Deleting");
        assert!(settle(&mut pools, 20));
        assert_eq!((pools[0].blocks.len(), pools[0].status()), (1, "Created"));
        pools[0].pending = Some(Pending {
            change: Change::Deleting,
            until_ms: 30,
        });
        assert_eq!(deadlines(&pools).collect::<Vec<_>>(), [30]);
        assert!(settle(&mut pools, 31));
        assert!(pools.is_empty());
    }
}
