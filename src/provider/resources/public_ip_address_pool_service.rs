//! Resource `alicloudvpc_public_ip_address_pool_service`: activates the IP address pool feature
//! in a region. The calls live in `provider/activation.rs`.
//!
//! The lifecycle rule, in plain words (`shared/spec/product.md`):
//! - Create: read the status; adopt if enabled, else Open once (retried with one ClientToken)
//!   and poll until enabled, all inside `timeouts.create`.
//! - Read: `Enabled=false` means the object is gone.
//! - Update: only `timeouts` can change; no API call.
//! - Delete: Alibaba Cloud cannot deactivate the feature: forget it and warn.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::provider::interface::{Ctx, Failure, Planning, Resource};
use crate::provider::region;
use crate::provider::timeouts::{self, Operation, TimeoutSpec, Timeouts};
use crate::tf::{AttrPath, Attribute, Block, Diagnostic, Diagnostics, Schema, Type, Value};

pub const TYPE_NAME: &str = "alicloudvpc_public_ip_address_pool_service";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceState {
    pub id: Value<String>,
    pub region_id: Value<String>,
    pub enabled: Value<bool>,
    pub timeouts: Value<Timeouts>,
}

/// The resource type. It remembers the regions whose destroy warning this process already
/// gave, so that many resources of one region warn once.
#[derive(Default)]
pub struct ServiceResource {
    warned: Mutex<HashSet<String>>,
}

impl ServiceResource {
    /// The warning that destroying does not deactivate, once per region and process.
    fn stays_active(&self, region: &str) -> Diagnostics {
        let first = self
            .warned
            .lock()
            .map(|mut w| w.insert(region.to_string()))
            .unwrap_or(true);
        if !first {
            return Diagnostics::default();
        }
        Diagnostic::warning(
            format!("The IP address pool feature stays active in {region}"),
            format!("Alibaba Cloud has no operation to deactivate the VPC IP address pool feature. Destroying this resource removes it from the Terraform state only; the feature remains active in {region}."),
        )
        .into()
    }
}

const TIMEOUTS: &[TimeoutSpec] = &[
    TimeoutSpec {
        operation: Operation::Create,
        default: Duration::from_secs(5 * 60),
        description: "Time allowed for activation, including retries and waiting for the status to report enabled (default `5m`).",
    },
    TimeoutSpec {
        operation: Operation::Read,
        default: crate::provider::DEFAULT_READ_TIMEOUT,
        description: "Time allowed for reading the status, including retries (default `1m`).",
    },
];

#[async_trait]
impl Resource for ServiceResource {
    type State = ServiceState;

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
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
                    )
                    .forces_replacement(),
                    Attribute::computed(
                        "enabled",
                        Type::Bool,
                        "Whether the IP address pool feature is active in the region, as `GetPublicIpAddressPoolServiceStatus` reports it.",
                    ),
                ],
                blocks: vec![timeouts::block(
                    "How long operations may take, as Go duration strings such as `30s`, `5m` or `1h`.",
                    TIMEOUTS,
                )],
            },
        }
    }

    fn timeouts(&self) -> &'static [TimeoutSpec] {
        TIMEOUTS
    }

    fn validate(&self, config: &ServiceState) -> Diagnostics {
        region::validate_attr(&config.region_id)
    }

    fn plan(
        &self,
        planning: &Planning,
        _prior: Option<&ServiceState>,
        planned: &mut ServiceState,
        config: &ServiceState,
    ) -> Diagnostics {
        match planning.region(&config.region_id) {
            Ok(region) => {
                // The ID is the region, so it is known whenever the region is.
                planned.id = region.clone();
                planned.region_id = region;
                Diagnostics::default()
            }
            Err(d) => d,
        }
    }

    fn plan_destroy(&self, _: &Planning, prior: &ServiceState) -> Diagnostics {
        match prior.region_id.as_known() {
            Some(region) => self.stays_active(region),
            None => Diagnostics::default(),
        }
    }

    async fn create(
        &self,
        ctx: &Ctx,
        planned: ServiceState,
    ) -> Result<ServiceState, Failure<ServiceState>> {
        let region = ctx.region(&planned.region_id)?;
        ctx.configured()?
            .api
            .activate(&region, ctx)
            .await
            .map_err(|d| Diagnostics::from(d.at(AttrPath::attr("region_id"))))?;
        Ok(ServiceState {
            id: Value::Known(region.clone()),
            region_id: Value::Known(region),
            enabled: Value::Known(true),
            timeouts: planned.timeouts,
        })
    }

    async fn read(
        &self,
        ctx: &Ctx,
        current: ServiceState,
    ) -> Result<Option<ServiceState>, Diagnostics> {
        let region = ctx.region(&current.region_id)?;
        if !ctx.configured()?.api.status(&region, ctx).await? {
            return Ok(None);
        }
        Ok(Some(ServiceState {
            id: Value::Known(region.clone()),
            region_id: Value::Known(region),
            enabled: Value::Known(true),
            ..current
        }))
    }

    async fn update(
        &self,
        _: &Ctx,
        _prior: ServiceState,
        planned: ServiceState,
    ) -> Result<ServiceState, Failure<ServiceState>> {
        Ok(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: ServiceState) -> Result<Diagnostics, Diagnostics> {
        // `plan_destroy` warned once per region in the plan the user approved; saying it again
        // for every resource at apply would only repeat it.
        if ctx.destroy_planned {
            return Ok(Diagnostics::default());
        }
        Ok(self.stays_active(
            prior
                .region_id
                .as_known()
                .map_or("the region", |r| r.as_str()),
        ))
    }

    fn import_doc(&self) -> &'static str {
        "The import ID is the region ID. Importing a region where the feature is not active fails with Terraform's \"Cannot import non-existent remote object\" error."
    }

    fn import_not_found(&self, imported: &ServiceState) -> String {
        let region = imported
            .region_id
            .as_known()
            .map_or("this region", |r| r.as_str());
        format!(
            "The IP address pool feature is not active in {region}, so there is nothing to import there. To activate it with Terraform, remove the import (block or command) and run terraform apply with this resource in the configuration."
        )
    }

    /// The import ID is the region; Read then fills in `enabled`, or finds the feature not
    /// active and Terraform reports the import as failed with [`Self::import_not_found`]'s hint.
    async fn import(&self, _: &Ctx, id: &str) -> Result<(ServiceState, Diagnostics), Diagnostics> {
        let region = id.trim();
        region::check(region, true).map_err(|e| {
            Diagnostic::error(
                "Invalid import ID",
                format!("{} The import ID of {TYPE_NAME} is the region ID, e.g. `terraform import {TYPE_NAME}.example cn-hangzhou`.", e.detail),
            )
        })?;
        Ok((
            ServiceState {
                id: Value::Known(region.to_string()),
                region_id: Value::Known(region.to_string()),
                enabled: Value::Null,
                timeouts: Value::Null,
            },
            Diagnostics::default(),
        ))
    }

    fn upgrade_flatmap(&self, m: BTreeMap<String, String>) -> Result<ServiceState, Diagnostics> {
        let s = |k: &str| Value::from_option(m.get(k).cloned());
        let timeouts = if m.contains_key("timeouts.create") || m.contains_key("timeouts.read") {
            Value::Known(Timeouts::from_pairs(&[
                ("create", s("timeouts.create")),
                ("read", s("timeouts.read")),
            ]))
        } else {
            Value::Null
        };
        Ok(ServiceState {
            id: s("id"),
            region_id: s("region_id"),
            enabled: Value::from_option(m.get("enabled").map(|v| v == "true")),
            timeouts,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tokio_util::sync::CancellationToken;

    use super::*;
    use crate::provider::dispatch::{AnyResource, Env, PlanRequest, Typed};
    use crate::provider::interface::{Planning, RawState};
    use crate::tf::Dynamic;

    fn env() -> Env {
        Env {
            configured: None,
            deferred: None,
            stop: CancellationToken::new(),
            planning: Planning {
                provider_region: Value::Known("cn-hangzhou".into()),
                skip_region_validation: false,
            },
        }
    }

    fn plan(
        r: &dyn AnyResource,
        prior: serde_json::Value,
        config: serde_json::Value,
    ) -> (serde_json::Value, Vec<AttrPath>) {
        let (s, replace, d) = plan_with_diagnostics(r, prior, config);
        assert!(d.0.is_empty(), "{d:?}");
        (s, replace)
    }

    fn plan_with_diagnostics(
        r: &dyn AnyResource,
        prior: serde_json::Value,
        config: serde_json::Value,
    ) -> (serde_json::Value, Vec<AttrPath>, crate::tf::Diagnostics) {
        let p = r.plan(
            &env(),
            PlanRequest {
                prior: Dynamic(prior),
                proposed: Dynamic(config.clone()),
                config: Dynamic(config),
                prior_private: vec![],
            },
        );
        (p.planned_state.0, p.requires_replace, p.diagnostics)
    }

    fn unknown() -> serde_json::Value {
        Dynamic::unknown().0
    }

    const PRIOR: fn() -> serde_json::Value = || json!({"id": "cn-hangzhou", "region_id": "cn-hangzhou", "enabled": true, "timeouts": null});

    #[test]
    fn create_plans_the_default_region_and_the_id_it_gives() {
        let r = Typed::resource(ServiceResource::default());
        let config = json!({"id": null, "region_id": null, "enabled": null, "timeouts": null});
        let (s, replace) = plan(r.as_ref(), serde_json::Value::Null, config);
        assert_eq!(
            s,
            json!({"id": "cn-hangzhou", "region_id": "cn-hangzhou", "enabled": unknown(), "timeouts": null})
        );
        assert!(replace.is_empty());
    }

    #[test]
    fn region_change_replaces_and_timeouts_update_in_place() {
        let r = Typed::resource(ServiceResource::default());
        let moved =
            json!({"id": null, "region_id": "cn-beijing", "enabled": null, "timeouts": null});
        let (s, replace) = plan(r.as_ref(), PRIOR(), moved);
        assert_eq!(replace, vec![AttrPath::attr("region_id")]);
        assert_eq!(
            s,
            json!({"id": "cn-beijing", "region_id": "cn-beijing", "enabled": unknown(), "timeouts": null})
        );

        let t = json!({"create": "10m", "read": null});
        let config = json!({"id": null, "region_id": null, "enabled": null, "timeouts": t});
        let (s, replace) = plan(r.as_ref(), PRIOR(), config);
        assert!(replace.is_empty());
        assert_eq!(
            s,
            json!({"id": "cn-hangzhou", "region_id": "cn-hangzhou", "enabled": true, "timeouts": t})
        );
    }

    #[test]
    fn a_destroy_plan_warns_once_per_region() {
        let r = Typed::resource(ServiceResource::default());
        let (s, _, d) = plan_with_diagnostics(r.as_ref(), PRIOR(), serde_json::Value::Null);
        assert!(s.is_null());
        assert_eq!(d.0.len(), 1);
        assert_eq!(
            d.0[0].summary,
            "The IP address pool feature stays active in cn-hangzhou"
        );
        let (_, _, again) = plan_with_diagnostics(r.as_ref(), PRIOR(), serde_json::Value::Null);
        assert!(again.0.is_empty(), "the same region warns once: {again:?}");
    }

    #[tokio::test]
    async fn import_ids_are_region_ids() {
        let r = Typed::resource(ServiceResource::default());
        let bad = r.import(&env(), "not a region").await;
        assert!(bad.imported.is_empty());
        assert_eq!(bad.diagnostics.0[0].summary, "Invalid import ID");
        // A well-formed ID goes on to read the status, which needs a configured provider.
        let unconfigured = r.import(&env(), "cn-hangzhou").await;
        assert_eq!(
            unconfigured.diagnostics.0[0].summary,
            "Provider not configured"
        );
    }

    #[test]
    fn upgrade_from_flatmap_and_json() {
        let r = Typed::resource(ServiceResource::default());
        let m: BTreeMap<String, String> = [
            ("id", "cn-hangzhou"),
            ("region_id", "cn-hangzhou"),
            ("enabled", "true"),
        ]
        .into_iter()
        .map(|(a, b)| (a.into(), b.into()))
        .collect();
        let (s, _) = r.upgrade(0, RawState::Flatmap(m));
        assert_eq!(s.expect("flatmap").0["enabled"], true);
        let j = Dynamic(json!({"id": "cn-hangzhou", "region_id": "cn-hangzhou", "enabled": true}));
        let (s, _) = r.upgrade(0, RawState::Json(j));
        assert!(s.expect("json").0["timeouts"].is_null());
        let (s, d) = r.upgrade(1, RawState::Flatmap(BTreeMap::new()));
        assert!(s.is_none() && d.has_errors());
    }
}
