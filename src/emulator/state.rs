//! The durable part of the emulator: which regions each account has activated, and its IP
//! address pools with their CIDR blocks (changes in progress included). Kept in the `--state`
//! file so that a `terraform apply` against a restarted emulator sees what it saw before.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::eips::{self, Eip};
use super::resources::{self, Pool};

const STATE_VERSION: u32 = 1;

/// The `--state` file: `{"version": 1, "accounts": {"<account_id>": {"enabled_regions": [...],
/// "pending_regions": [...], "pools": [...]}}}` (`pending_regions` only while an activation is
/// in progress, `pools` only when the account has some).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateFile {
    pub version: u32,
    #[serde(default)]
    pub accounts: BTreeMap<String, AccountState>,
}

impl Default for StateFile {
    fn default() -> Self {
        StateFile {
            version: STATE_VERSION,
            accounts: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountState {
    #[serde(default)]
    pub enabled_regions: BTreeSet<String>,
    /// Activations accepted but not finished. Alibaba Cloud does not forget an activation it
    /// accepted when one of its servers restarts, so neither does the emulator: a restarted
    /// emulator resumes them (see `Emulator::resume_pending`). Omitted when empty, so files
    /// written before this field existed and files without pending work look the same.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub pending_regions: BTreeSet<String>,
    /// Every pool of the account, all regions, in creation order (the order lists page in).
    /// Omitted when empty, so older files load unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pools: Vec<Pool>,
    /// Every EIP of the account, all regions, in allocation order (the order `DescribeEipAddresses`
    /// pages in), `Releasing` ones included. Omitted when empty, so older files load unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eips: Vec<Eip>,
}

impl AccountState {
    fn is_empty(&self) -> bool {
        self.enabled_regions.is_empty()
            && self.pending_regions.is_empty()
            && self.pools.is_empty()
            && self.eips.is_empty()
    }
}

impl StateFile {
    pub fn is_enabled(&self, account: &str, region: &str) -> bool {
        self.accounts
            .get(account)
            .is_some_and(|a| a.enabled_regions.contains(region))
    }

    pub fn set_enabled(&mut self, account: &str, region: &str, enabled: bool) {
        if enabled {
            self.accounts
                .entry(account.to_string())
                .or_default()
                .enabled_regions
                .insert(region.to_string());
        } else if let Some(a) = self.accounts.get_mut(account) {
            a.enabled_regions.remove(region);
        }
        self.prune(account);
    }

    pub fn set_pending(&mut self, account: &str, region: &str, pending: bool) {
        if pending {
            self.accounts
                .entry(account.to_string())
                .or_default()
                .pending_regions
                .insert(region.to_string());
        } else if let Some(a) = self.accounts.get_mut(account) {
            a.pending_regions.remove(region);
        }
        self.prune(account);
    }

    /// Every (account, region) whose activation is in progress.
    pub fn pending(&self) -> Vec<(String, String)> {
        self.accounts
            .iter()
            .flat_map(|(a, s)| s.pending_regions.iter().map(|r| (a.clone(), r.clone())))
            .collect()
    }

    /// The account's pools, all regions.
    pub fn pools(&self, account: &str) -> &[Pool] {
        self.accounts
            .get(account)
            .map(|a| a.pools.as_slice())
            .unwrap_or_default()
    }

    pub fn pools_mut(&mut self, account: &str) -> &mut Vec<Pool> {
        &mut self.accounts.entry(account.to_string()).or_default().pools
    }

    /// The account's EIPs, all regions.
    pub fn eips(&self, account: &str) -> &[Eip] {
        self.accounts
            .get(account)
            .map(|a| a.eips.as_slice())
            .unwrap_or_default()
    }

    /// The account's state, created empty when it has none: for writes that need its pools
    /// and its EIPs at once (an EIP's address comes from a pool; a pool's use from its EIPs).
    /// An account left empty is pruned at the next settle.
    pub fn account_mut(&mut self, account: &str) -> &mut AccountState {
        self.accounts.entry(account.to_string()).or_default()
    }

    /// Completes the pool, block and EIP changes due at `now_ms` in every account.
    pub fn settle(&mut self, now_ms: i64) -> bool {
        let mut changed = false;
        for a in self.accounts.values_mut() {
            changed |= resources::settle(&mut a.pools, now_ms);
            changed |= eips::settle(&mut a.eips, now_ms);
        }
        let empty: Vec<String> = self
            .accounts
            .iter()
            .filter(|(_, a)| a.is_empty())
            .map(|(id, _)| id.clone())
            .collect();
        for id in empty {
            self.accounts.remove(&id);
        }
        changed
    }

    /// The deadlines of every pool, block or EIP change in progress, all accounts.
    pub fn deadlines(&self) -> Vec<i64> {
        self.accounts
            .values()
            .flat_map(|a| resources::deadlines(&a.pools).chain(eips::deadlines(&a.eips)))
            .collect()
    }

    fn prune(&mut self, account: &str) {
        if self
            .accounts
            .get(account)
            .is_some_and(AccountState::is_empty)
        {
            self.accounts.remove(account);
        }
    }
}

/// Reads `path`, or creates it empty when it does not exist. Anything else (unreadable, not
/// JSON, wrong version) is an error and the file is left as it is: silently starting empty would
/// overwrite a user's state on the next change.
pub fn load_or_create(path: &Path) -> Result<StateFile, String> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let state: StateFile = serde_json::from_slice(&bytes).map_err(|e| {
                format!(
                    "state file {} is corrupt ({e}); fix or remove it, it was left untouched",
                    path.display()
                )
            })?;
            if state.version != STATE_VERSION {
                return Err(format!(
                    "state file {} has version {}, this emulator understands {STATE_VERSION}; it was left untouched",
                    path.display(),
                    state.version
                ));
            }
            Ok(state)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let state = StateFile::default();
            save(path, &state)
                .map_err(|e| format!("cannot create state file {}: {e}", path.display()))?;
            Ok(state)
        }
        Err(e) => Err(format!("cannot read state file {}: {e}", path.display())),
    }
}

/// Atomic replace: write a sibling temporary file, fsync it, rename it over `path`. A crash
/// leaves either the old or the new file, never a truncated one.
pub fn save(path: &Path, state: &StateFile) -> std::io::Result<()> {
    let json = serde_json::to_vec_pretty(state).map_err(std::io::Error::other)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".to_string());
    let tmp = path.with_file_name(format!(".{file_name}.tmp.{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&json)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_regions_round_trip_and_are_omitted_when_empty() {
        let mut s = StateFile::default();
        s.set_enabled("1", "cn-hangzhou", true);
        let plain = serde_json::to_string(&s).expect("json");
        assert!(!plain.contains("pending_regions"), "{plain}");
        s.set_pending("1", "cn-beijing", true);
        s.set_pending("2", "cn-shanghai", true);
        let back: StateFile =
            serde_json::from_slice(&serde_json::to_vec(&s).expect("json")).expect("parse");
        assert_eq!(back, s);
        assert_eq!(
            back.pending(),
            [
                ("1".to_string(), "cn-beijing".to_string()),
                ("2".to_string(), "cn-shanghai".to_string())
            ]
        );
        s.set_pending("2", "cn-shanghai", false);
        assert!(!s.accounts.contains_key("2"), "an empty account is pruned");
        s.set_enabled("1", "cn-hangzhou", false);
        assert!(s.accounts.contains_key("1"), "still pending in cn-beijing");
    }

    #[test]
    fn a_block_used_count_of_older_files_is_read_and_dropped() {
        let old = r#"{"version": 1, "accounts": {"1": {"pools": [{"id": "pippool-1",
            "region_id": "cn-hangzhou", "isp": "BGP", "biz_type": "Default",
            "resource_group_id": "rg-1", "creation_time": "2024-01-01T00:00:00Z",
            "blocks": [{"cidr_block": "47.0.0.0/28", "creation_time": "2024-01-01T00:00:00Z",
            "used_ip_num": 3}]}]}}}"#;
        let s: StateFile = serde_json::from_str(old).expect("older file loads");
        assert_eq!(s.pools("1")[0].blocks.len(), 1);
        let written = serde_json::to_string(&s).expect("json");
        assert!(!written.contains("used_ip_num"), "{written}");
        assert!(!written.contains("eips"), "omitted when empty: {written}");
    }
}
