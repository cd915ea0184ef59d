//! Resource `alicloudvpc_public_ip_address_pool_service`: schema, typed state, and the parts of
//! its lifecycle that need no API call (plan, import, state upgrade). The calls live in
//! `activation.rs`.
//!
//! The lifecycle rule, in plain words (`shared/spec/product.md`):
//! - Create: read the status; adopt if enabled, else Open once (retried with one ClientToken)
//!   and poll until enabled, all inside `timeouts.create`.
//! - Read: `Enabled=false` means the object is gone.
//! - Update: only `timeouts` can change; no API call.
//! - Delete: Alibaba Cloud cannot deactivate the feature: forget it and warn.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::duration;
use crate::tf::{
    AttrPath, Attribute, Block, Diagnostic, Diagnostics, Dynamic, NestedBlock, Nesting, Schema,
    Type, Value,
};

pub const TYPE_NAME: &str = "alicloudvpc_public_ip_address_pool_service";
pub const DEFAULT_CREATE_TIMEOUT: Duration = Duration::from_secs(5 * 60);
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceState {
    pub id: Value<String>,
    pub region_id: Value<String>,
    pub enabled: Value<bool>,
    pub timeouts: Value<Timeouts>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeouts {
    pub create: Value<String>,
    pub read: Value<String>,
}

pub fn schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "Activates Alibaba Cloud's VPC IP address pool feature in one region (`OpenPublicIpAddressPoolService`) and tracks its status (`GetPublicIpAddressPoolServiceStatus`). Alibaba Cloud cannot deactivate the feature: destroying this resource only removes it from the Terraform state.",
            attributes: vec![
                Attribute::computed("id", Type::String, "The region ID; also the import ID."),
                Attribute::optional_computed(
                    "region_id",
                    Type::String,
                    "Region in which to activate the feature, e.g. `cn-hangzhou`. Defaults to the provider's `region`. Changing it activates the feature in the new region (a replacement).",
                ),
                Attribute::computed(
                    "enabled",
                    Type::Bool,
                    "Whether the IP address pool feature is active in the region, as `GetPublicIpAddressPoolServiceStatus` reports it.",
                ),
            ],
            blocks: vec![NestedBlock {
                name: "timeouts",
                nesting: Nesting::Single,
                block: Block {
                    description: "How long operations may take, as Go duration strings such as `30s`, `5m` or `1h`.",
                    attributes: vec![
                        Attribute::optional(
                            "create",
                            Type::String,
                            "Time allowed for activation, including retries and waiting for the status to report enabled (default `5m`).",
                        ),
                        Attribute::optional(
                            "read",
                            Type::String,
                            "Time allowed for reading the status, including retries (default `1m`).",
                        ),
                    ],
                    blocks: vec![],
                },
            }],
        },
    }
}

/// Which of Terraform's three changes an apply is; decided here and nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Create,
    Update,
    Delete,
}

impl Change {
    pub fn of(prior: &Dynamic, planned: &Dynamic) -> Change {
        match (prior.is_null(), planned.is_null()) {
            (_, true) => Change::Delete,
            (true, false) => Change::Create,
            (false, false) => Change::Update,
        }
    }
}

impl Timeouts {
    fn get(
        t: &Value<Timeouts>,
        pick: fn(&Timeouts) -> &Value<String>,
        default: Duration,
    ) -> Duration {
        t.as_known()
            .and_then(|t| pick(t).as_known())
            .and_then(|s| duration::parse(s).ok())
            .unwrap_or(default)
    }

    pub fn create(t: &Value<Timeouts>) -> Duration {
        Self::get(t, |t| &t.create, DEFAULT_CREATE_TIMEOUT)
    }

    pub fn read(t: &Value<Timeouts>) -> Duration {
        Self::get(t, |t| &t.read, DEFAULT_READ_TIMEOUT)
    }
}

/// Decodes a resource object, or explains why it could not be read.
pub fn decode(v: &Dynamic, what: &str) -> Result<ResourceState, Diagnostics> {
    v.decode::<ResourceState>().map_err(|e| {
        Diagnostic::error(
            format!("Unreadable {what}"),
            format!("The {what} of {TYPE_NAME} does not match its schema: {e}. This is a bug; please report it."),
        )
        .into()
    })
}

pub fn encode(s: &ResourceState) -> Result<Dynamic, Diagnostics> {
    Dynamic::encode(s).map_err(|e| Diagnostic::error("Internal error encoding state", e).into())
}

/// Configuration checks that need no API: timeouts and region form.
pub fn validate(config: &Dynamic) -> Diagnostics {
    let mut d = Diagnostics::default();
    let c = match decode(config, "configuration") {
        Ok(c) => c,
        Err(e) => return e,
    };
    if let Value::Known(r) = &c.region_id
        && let Err(e) = super::region::check(r, true)
    {
        d.push(e.at(AttrPath::attr("region_id")));
    }
    if let Value::Known(t) = &c.timeouts {
        for (name, v) in [("create", &t.create), ("read", &t.read)] {
            if let Value::Known(s) = v {
                match duration::parse(s) {
                    Err(e) => d.push(
                        Diagnostic::error(format!("Invalid timeouts.{name}"), format!("{e}. Write a Go duration such as \"30s\", \"5m\" or \"1h30m\"."))
                            .at(AttrPath::attrs(&["timeouts", name])),
                    ),
                    Ok(dur) if dur.is_zero() => d.push(
                        Diagnostic::error(format!("Invalid timeouts.{name}"), "A timeout of zero leaves no time for the operation; remove it to use the default or set e.g. \"5m\".")
                            .at(AttrPath::attrs(&["timeouts", name])),
                    ),
                    Ok(_) => {}
                }
            }
        }
    }
    d
}

/// What a plan decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub state: Option<ResourceState>,
    pub requires_replace: Vec<AttrPath>,
}

/// Plans a change. `provider_region` is the provider's region (unknown while the provider
/// configuration is not known yet, null if none is configured).
pub fn plan(
    prior: Option<ResourceState>,
    proposed: Option<ResourceState>,
    config: Option<ResourceState>,
    provider_region: &Value<String>,
) -> Planned {
    let (Some(proposed), Some(config)) = (proposed, config) else {
        return Planned {
            state: None,
            requires_replace: vec![],
        };
    };
    // The region the configuration asks for: its own region_id, else the provider's region.
    let region = match &config.region_id {
        Value::Null => provider_region.clone(),
        other => other.clone(),
    };
    match prior {
        None => Planned {
            state: Some(ResourceState {
                id: Value::Unknown,
                region_id: region,
                enabled: Value::Unknown,
                timeouts: proposed.timeouts,
            }),
            requires_replace: vec![],
        },
        Some(prior) => {
            if region == prior.region_id {
                Planned {
                    state: Some(ResourceState {
                        timeouts: proposed.timeouts,
                        ..prior
                    }),
                    requires_replace: vec![],
                }
            } else {
                Planned {
                    state: Some(ResourceState {
                        id: Value::Unknown,
                        region_id: region,
                        enabled: Value::Unknown,
                        timeouts: proposed.timeouts,
                    }),
                    requires_replace: vec![AttrPath::attr("region_id")],
                }
            }
        }
    }
}

/// The state an import starts from; Read then fills in `enabled` or reports the region as
/// not activated.
pub fn import(id: &str) -> Result<ResourceState, Diagnostic> {
    let region = id.trim();
    super::region::check(region, true).map_err(|e| {
        Diagnostic::error(
            "Invalid import ID",
            format!("{} The import ID of {TYPE_NAME} is the region ID, e.g. `terraform import {TYPE_NAME}.example cn-hangzhou`.", e.detail),
        )
    })?;
    Ok(ResourceState {
        id: Value::Known(region.to_string()),
        region_id: Value::Known(region.to_string()),
        enabled: Value::Unknown,
        timeouts: Value::Null,
    })
}

/// Stored state as Terraform hands it back for upgrading: JSON, or the legacy flatmap.
#[derive(Debug, Clone)]
pub enum RawState {
    Json(Dynamic),
    Flatmap(BTreeMap<String, String>),
}

/// Schema version 0 is the only one so far: the state is re-read as it is, which also
/// normalises it (e.g. a missing `timeouts` becomes null).
pub fn upgrade(version: i64, raw: RawState) -> Result<ResourceState, Diagnostics> {
    if version > 0 {
        return Err(Diagnostic::error(
            "State written by a newer provider",
            format!("The state of {TYPE_NAME} has schema version {version}, newer than this provider knows (0). Use the provider version that wrote it, or a newer one."),
        )
        .into());
    }
    match raw {
        RawState::Json(v) => {
            let mut tree = v.0;
            if let serde_json::Value::Object(m) = &mut tree {
                for k in ["id", "region_id", "enabled", "timeouts"] {
                    m.entry(k).or_insert(serde_json::Value::Null);
                }
            }
            decode(&Dynamic(tree), "stored state")
        }
        RawState::Flatmap(m) => {
            let s = |k: &str| Value::from_option(m.get(k).cloned());
            let timeouts = if m.contains_key("timeouts.create") || m.contains_key("timeouts.read") {
                Value::Known(Timeouts {
                    create: s("timeouts.create"),
                    read: s("timeouts.read"),
                })
            } else {
                Value::Null
            };
            Ok(ResourceState {
                id: s("id"),
                region_id: s("region_id"),
                enabled: Value::from_option(m.get("enabled").map(|v| v == "true")),
                timeouts,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(region: Value<String>) -> ResourceState {
        ResourceState {
            region_id: region,
            ..Default::default()
        }
    }

    #[test]
    fn create_plans_unknown_computed_and_default_region() {
        let p = plan(
            None,
            Some(st(Value::Null)),
            Some(st(Value::Null)),
            &Value::Known("cn-hangzhou".into()),
        );
        let s = p.state.expect("planned");
        assert_eq!(s.region_id, Value::Known("cn-hangzhou".into()));
        assert!(s.id.is_unknown() && s.enabled.is_unknown());
        assert!(p.requires_replace.is_empty());
    }

    #[test]
    fn region_change_requires_replacement_and_timeouts_update_in_place() {
        let prior = ResourceState {
            id: Value::Known("cn-hangzhou".into()),
            region_id: Value::Known("cn-hangzhou".into()),
            enabled: Value::Known(true),
            timeouts: Value::Null,
        };
        let cfg = st(Value::Known("cn-beijing".into()));
        let p = plan(
            Some(prior.clone()),
            Some(cfg.clone()),
            Some(cfg),
            &Value::Known("cn-hangzhou".into()),
        );
        assert_eq!(p.requires_replace, vec![AttrPath::attr("region_id")]);

        let t = Value::Known(Timeouts {
            create: Value::Known("10m".into()),
            read: Value::Null,
        });
        let cfg = ResourceState {
            timeouts: t.clone(),
            ..Default::default()
        };
        let p = plan(
            Some(prior.clone()),
            Some(cfg.clone()),
            Some(cfg),
            &Value::Known("cn-hangzhou".into()),
        );
        assert!(p.requires_replace.is_empty());
        assert_eq!(
            p.state,
            Some(ResourceState {
                timeouts: t,
                ..prior
            })
        );
    }

    #[test]
    fn delete_plans_null() {
        assert_eq!(
            plan(Some(st(Value::Null)), None, None, &Value::Null).state,
            None
        );
    }

    #[test]
    fn import_ids() {
        assert_eq!(
            import("cn-hangzhou").expect("ok").id,
            Value::Known("cn-hangzhou".into())
        );
        assert!(import("not a region").is_err());
    }

    #[test]
    fn upgrade_from_flatmap_and_json() {
        let m: BTreeMap<String, String> = [
            ("id", "cn-hangzhou"),
            ("region_id", "cn-hangzhou"),
            ("enabled", "true"),
        ]
        .into_iter()
        .map(|(a, b)| (a.into(), b.into()))
        .collect();
        let s = upgrade(0, RawState::Flatmap(m)).expect("flatmap");
        assert_eq!(s.enabled, Value::Known(true));
        let j = Dynamic(
            serde_json::json!({"id": "cn-hangzhou", "region_id": "cn-hangzhou", "enabled": true}),
        );
        assert_eq!(
            upgrade(0, RawState::Json(j)).expect("json").timeouts,
            Value::Null
        );
        assert!(upgrade(1, RawState::Flatmap(BTreeMap::new())).is_err());
    }

    #[test]
    fn timeouts_are_validated_with_paths() {
        let cfg = Dynamic::encode(&ResourceState {
            timeouts: Value::Known(Timeouts {
                create: Value::Known("5 minutes".into()),
                read: Value::Known("0s".into()),
            }),
            ..Default::default()
        })
        .expect("encode");
        let d = validate(&cfg);
        assert_eq!(d.0.len(), 2);
        assert_eq!(
            d.0[0].attribute,
            Some(AttrPath::attrs(&["timeouts", "create"]))
        );
    }
}
