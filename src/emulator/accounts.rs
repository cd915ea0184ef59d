//! Who may call the emulator: long-term access keys, RAM roles that `AssumeRole` accepts and ECS
//! role names that the metadata path serves. The demo account is always present; `--accounts FILE`
//! adds more (format in `docs/emulator.md`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

pub const DEMO_ACCOUNT_ID: &str = "1234567890123456";
pub const DEMO_ACCESS_KEY_ID: &str = "emulator-access-key";
pub const DEMO_ACCESS_KEY_SECRET: &str = "emulator-secret-key";
pub const DEMO_ROLE_ARN: &str = "acs:ram::1234567890123456:role/terraform-demo";
pub const DEMO_ECS_ROLE: &str = "terraform-demo";

/// The `--accounts` file. Unknown fields are refused so that a typo is an error, not a silently
/// ignored key.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountsFile {
    pub accounts: Vec<AccountSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    pub account_id: String,
    #[serde(default)]
    pub access_keys: Vec<AccessKeySpec>,
    /// Full ARNs `acs:ram::<account_id>:role/<name>`.
    #[serde(default)]
    pub ram_roles: Vec<String>,
    /// Role names served by `/latest/meta-data/ram/security-credentials/<name>`.
    #[serde(default)]
    pub ecs_roles: Vec<String>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessKeySpec {
    pub access_key_id: String,
    pub access_key_secret: String,
}

impl std::fmt::Debug for AccessKeySpec {
    // Secrets never reach logs, even the emulator's.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKeySpec")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"** redacted **")
            .finish()
    }
}

/// A RAM role known to the emulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub account_id: String,
    pub name: String,
    /// Stable numeric-looking ID, as Alibaba's `AssumedRoleId` starts with one.
    pub role_id: String,
}

impl Role {
    pub fn arn(&self) -> String {
        format!("acs:ram::{}:role/{}", self.account_id, self.name)
    }
}

/// The validated registry built from the demo account plus the accounts file.
#[derive(Debug, Clone)]
pub struct Accounts {
    /// access key ID → (account ID, secret)
    keys: BTreeMap<String, (String, String)>,
    /// lower-case ARN → role (Alibaba treats role names case-insensitively)
    roles: BTreeMap<String, Role>,
    /// ECS role name → role
    ecs_roles: BTreeMap<String, Role>,
    ids: Vec<String>,
}

impl Default for Accounts {
    fn default() -> Self {
        match Self::from_file(AccountsFile::default()) {
            Ok(a) => a,
            // The demo account alone is always valid.
            Err(_) => Accounts {
                keys: BTreeMap::new(),
                roles: BTreeMap::new(),
                ecs_roles: BTreeMap::new(),
                ids: Vec::new(),
            },
        }
    }
}

fn role_id(account_id: &str, name: &str) -> String {
    // Deterministic so restarts give the same IDs: a simple FNV-1a hash of the ARN.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in format!("{account_id}/{}", name.to_ascii_lowercase()).bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("3{:018}", h % 1_000_000_000_000_000_000)
}

/// Parses `acs:ram::<account>:role/<name>`.
pub fn parse_role_arn(arn: &str) -> Option<(String, String)> {
    let rest = arn.strip_prefix("acs:ram::")?;
    let (account, name) = rest.split_once(":role/")?;
    if account.is_empty() || name.is_empty() || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((account.to_string(), name.to_string()))
}

impl Accounts {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read accounts file {}: {e}", path.display()))?;
        let file: AccountsFile = serde_json::from_str(&text)
            .map_err(|e| format!("accounts file {} is not valid: {e}", path.display()))?;
        Self::from_file(file).map_err(|e| format!("accounts file {}: {e}", path.display()))
    }

    /// Builds the registry: the demo account first, then `file`'s accounts merged in.
    pub fn from_file(file: AccountsFile) -> Result<Self, String> {
        let mut specs = vec![AccountSpec {
            account_id: DEMO_ACCOUNT_ID.to_string(),
            access_keys: vec![AccessKeySpec {
                access_key_id: DEMO_ACCESS_KEY_ID.to_string(),
                access_key_secret: DEMO_ACCESS_KEY_SECRET.to_string(),
            }],
            ram_roles: vec![DEMO_ROLE_ARN.to_string()],
            ecs_roles: vec![DEMO_ECS_ROLE.to_string()],
        }];
        specs.extend(file.accounts);
        let mut out = Accounts {
            keys: BTreeMap::new(),
            roles: BTreeMap::new(),
            ecs_roles: BTreeMap::new(),
            ids: Vec::new(),
        };
        for spec in specs {
            let id = spec.account_id;
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("account_id {id:?} must be digits"));
            }
            if !out.ids.contains(&id) {
                out.ids.push(id.clone());
            }
            for key in spec.access_keys {
                if key.access_key_id.is_empty() || key.access_key_id.starts_with("STS.") {
                    return Err(format!(
                        "access_key_id {:?} is empty or uses the STS. prefix reserved for temporary keys",
                        key.access_key_id
                    ));
                }
                if out.keys.contains_key(&key.access_key_id) {
                    return Err(format!(
                        "access_key_id {:?} is defined twice",
                        key.access_key_id
                    ));
                }
                out.keys
                    .insert(key.access_key_id, (id.clone(), key.access_key_secret));
            }
            for arn in spec.ram_roles {
                let Some((account, name)) = parse_role_arn(&arn) else {
                    return Err(format!(
                        "ram role {arn:?} is not an ARN like acs:ram::{id}:role/NAME"
                    ));
                };
                if account != id {
                    return Err(format!(
                        "ram role {arn:?} belongs to another account than {id}"
                    ));
                }
                let role = Role {
                    role_id: role_id(&id, &name),
                    account_id: id.clone(),
                    name,
                };
                out.roles.insert(role.arn().to_ascii_lowercase(), role);
            }
            for name in spec.ecs_roles {
                if name.is_empty() || name.contains('/') {
                    return Err(format!("ecs role name {name:?} is empty or contains '/'"));
                }
                let role = Role {
                    role_id: role_id(&id, &name),
                    account_id: id.clone(),
                    name: name.clone(),
                };
                out.ecs_roles.insert(name, role);
            }
        }
        Ok(out)
    }

    /// (account ID, secret) of a long-term key.
    pub fn key(&self, access_key_id: &str) -> Option<(&str, &str)> {
        self.keys
            .get(access_key_id)
            .map(|(a, s)| (a.as_str(), s.as_str()))
    }

    pub fn role(&self, arn: &str) -> Option<&Role> {
        self.roles.get(&arn.to_ascii_lowercase())
    }

    pub fn ecs_role(&self, name: &str) -> Option<&Role> {
        self.ecs_roles.get(name)
    }

    pub fn ecs_role_names(&self) -> impl Iterator<Item = &str> {
        self.ecs_roles.keys().map(String::as_str)
    }

    pub fn account_exists(&self, id: &str) -> bool {
        self.ids.iter().any(|a| a == id)
    }

    pub fn account_ids(&self) -> &[String] {
        &self.ids
    }
}
