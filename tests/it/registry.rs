//! A throwaway resource type, registered in a test registry and driven through the gRPC server
//! in-process: it proves that a new type needs one file and one registry entry, and that the
//! shared plumbing (typed decode/encode, plan rules, `requires_replace`, timeouts, partial
//! state on a failed create, unknown-type diagnostics) works for any type.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{Value as J, json};
use terraform_provider_alicloudvpc::plugin::proto::tfplugin5 as pb;
use terraform_provider_alicloudvpc::provider::Provider;
use terraform_provider_alicloudvpc::provider::dispatch::Typed;
use terraform_provider_alicloudvpc::provider::interface::{Ctx, Failure, Resource};
use terraform_provider_alicloudvpc::provider::registry::Registry;
use terraform_provider_alicloudvpc::provider::timeouts::{self, Operation, TimeoutSpec, Timeouts};
use terraform_provider_alicloudvpc::tf::{
    Attribute, Block, Diagnostic, Diagnostics, Schema, Type, Value,
};

use super::plugin_grpc::{dv, errors, start_with, tree};

const TYPE: &str = "test_widget";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Widget {
    id: Value<String>,
    name: Value<String>,
    zone: Value<String>,
    serial: Value<String>,
    timeouts: Value<Timeouts>,
}

/// The "remote" objects, and the limit each operation was given.
#[derive(Default)]
struct Remote {
    objects: BTreeMap<String, (String, String)>,
    limits: Vec<(&'static str, Duration)>,
    next: u32,
}

struct WidgetResource(Arc<Mutex<Remote>>);

const TIMEOUTS: &[TimeoutSpec] = &[
    TimeoutSpec {
        operation: Operation::Create,
        default: Duration::from_secs(300),
        description: "create",
    },
    TimeoutSpec {
        operation: Operation::Read,
        default: Duration::from_secs(60),
        description: "read",
    },
];

impl WidgetResource {
    fn remote(&self, op: &'static str, ctx: &Ctx) -> std::sync::MutexGuard<'_, Remote> {
        let mut r = self.0.lock().expect("remote");
        r.limits.push((op, ctx.timeout));
        r
    }
}

fn known(v: &Value<String>) -> String {
    v.as_known().cloned().unwrap_or_default()
}

#[async_trait]
impl Resource for WidgetResource {
    type State = Widget;

    fn type_name(&self) -> &'static str {
        TYPE
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                description: "A widget.",
                attributes: vec![
                    Attribute::computed("id", Type::String, "ID."),
                    Attribute::optional("name", Type::String, "Name."),
                    Attribute::optional_computed("zone", Type::String, "Zone.")
                        .forces_replacement(),
                    Attribute::computed("serial", Type::String, "Serial."),
                ],
                blocks: vec![timeouts::block("Timeouts.", TIMEOUTS)],
            },
        }
    }

    fn timeouts(&self) -> &'static [TimeoutSpec] {
        TIMEOUTS
    }

    fn validate(&self, config: &Widget) -> Diagnostics {
        match &config.name {
            Value::Known(n) if n.is_empty() => Diagnostic::error("Empty name", "Set a name.")
                .at(terraform_provider_alicloudvpc::tf::AttrPath::attr("name"))
                .into(),
            _ => Diagnostics::default(),
        }
    }

    async fn create(&self, ctx: &Ctx, planned: Widget) -> Result<Widget, Failure<Widget>> {
        let mut r = self.remote("create", ctx);
        r.next += 1;
        let id = format!("w-{}", r.next);
        let zone = planned
            .zone
            .as_known()
            .cloned()
            .unwrap_or_else(|| "zone-a".into());
        r.objects
            .insert(id.clone(), (known(&planned.name), zone.clone()));
        let state = Widget {
            id: Value::Known(id.clone()),
            zone: Value::Known(zone),
            serial: Value::Known(format!("s-{id}")),
            ..planned
        };
        if known(&state.name) == "fail-after-create" {
            return Err(Failure::with_state(
                Diagnostic::error("Waiting failed", "the widget exists but never became ready"),
                state,
            ));
        }
        Ok(state)
    }

    async fn read(&self, ctx: &Ctx, current: Widget) -> Result<Option<Widget>, Diagnostics> {
        let r = self.remote("read", ctx);
        Ok(r.objects
            .get(&known(&current.id))
            .map(|(name, zone)| Widget {
                name: if name.is_empty() {
                    Value::Null
                } else {
                    Value::Known(name.clone())
                },
                zone: Value::Known(zone.clone()),
                serial: Value::Known(format!("s-{}", known(&current.id))),
                ..current
            }))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        _prior: Widget,
        planned: Widget,
    ) -> Result<Widget, Failure<Widget>> {
        let mut r = self.remote("update", ctx);
        if let Some(o) = r.objects.get_mut(&known(&planned.id)) {
            o.0 = known(&planned.name);
        }
        Ok(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: Widget) -> Result<Diagnostics, Diagnostics> {
        let mut r = self.remote("delete", ctx);
        match r.objects.remove(&known(&prior.id)) {
            Some(_) => Ok(Diagnostics::default()),
            None => Err(Diagnostic::error("Widget busy", "try later").into()),
        }
    }

    async fn import(&self, _: &Ctx, id: &str) -> Result<(Widget, Diagnostics), Diagnostics> {
        Ok((
            Widget {
                id: Value::Known(id.to_string()),
                ..Default::default()
            },
            Diagnostics::default(),
        ))
    }
}

async fn client() -> (
    pb::provider_client::ProviderClient<tonic::transport::Channel>,
    Arc<Mutex<Remote>>,
) {
    let remote = Arc::new(Mutex::new(Remote::default()));
    let registry = Registry {
        resources: vec![Typed::resource(WidgetResource(remote.clone()))],
        data_sources: vec![],
    };
    let (c, _) = start_with(Provider::with_registry(registry)).await;
    (c, remote)
}

fn cfg(name: J, zone: J, timeouts: J) -> J {
    json!({"id": null, "name": name, "zone": zone, "serial": null, "timeouts": timeouts})
}

async fn plan(
    c: &mut pb::provider_client::ProviderClient<tonic::transport::Channel>,
    prior: J,
    proposed: J,
    config: J,
) -> pb::plan_resource_change::Response {
    c.plan_resource_change(pb::plan_resource_change::Request {
        type_name: TYPE.into(),
        prior_state: dv(prior),
        proposed_new_state: dv(proposed),
        config: dv(config),
        ..Default::default()
    })
    .await
    .expect("plan")
    .into_inner()
}

async fn apply(
    c: &mut pb::provider_client::ProviderClient<tonic::transport::Channel>,
    prior: J,
    planned: Option<pb::DynamicValue>,
    config: J,
) -> pb::apply_resource_change::Response {
    c.apply_resource_change(pb::apply_resource_change::Request {
        type_name: TYPE.into(),
        prior_state: dv(prior),
        planned_state: planned,
        config: dv(config),
        ..Default::default()
    })
    .await
    .expect("apply")
    .into_inner()
}

#[tokio::test]
async fn a_registered_type_runs_its_whole_lifecycle_through_grpc() {
    let (mut c, remote) = client().await;

    let schema = c
        .get_schema(pb::get_provider_schema::Request {})
        .await
        .expect("schema")
        .into_inner();
    assert_eq!(
        schema.resource_schemas.keys().collect::<Vec<_>>(),
        vec![TYPE]
    );

    let bad = c
        .validate_resource_type_config(pb::validate_resource_type_config::Request {
            type_name: TYPE.into(),
            config: dv(cfg(
                json!(""),
                J::Null,
                json!({"create": "-", "read": null}),
            )),
        })
        .await
        .expect("validate")
        .into_inner();
    let summaries: Vec<_> = bad.diagnostics.iter().map(|d| d.summary.as_str()).collect();
    assert_eq!(summaries, vec!["Empty name", "Invalid timeouts.create"]);

    // Create: unset computed attributes are unknown, configured ones as configured.
    let config = cfg(json!("one"), J::Null, json!({"create": "7s", "read": null}));
    let p = plan(&mut c, J::Null, config.clone(), config.clone()).await;
    assert!(errors(&p.diagnostics).is_empty(), "{:?}", p.diagnostics);
    let planned = tree(p.planned_state.clone());
    assert_eq!(planned["name"], "one");
    for computed in ["id", "zone", "serial"] {
        assert!(
            terraform_provider_alicloudvpc::tf::Dynamic::is_unknown_node(&planned[computed]),
            "{computed} should be unknown at create: {planned}"
        );
    }
    let created = apply(&mut c, J::Null, p.planned_state, config.clone()).await;
    assert!(errors(&created.diagnostics).is_empty());
    let state = tree(created.new_state);
    assert_eq!(state["id"], "w-1");
    assert_eq!(state["zone"], "zone-a");
    assert_eq!(
        remote.lock().expect("remote").limits.last(),
        Some(&("create", Duration::from_secs(7)))
    );

    // Read: the object as it is; the read limit is the default.
    let read = c
        .read_resource(pb::read_resource::Request {
            type_name: TYPE.into(),
            current_state: dv(state.clone()),
            ..Default::default()
        })
        .await
        .expect("read")
        .into_inner();
    assert_eq!(tree(read.new_state), state);
    assert_eq!(
        remote.lock().expect("remote").limits.last(),
        Some(&("read", Duration::from_secs(60)))
    );

    // Update in place: computed values are kept from the prior state.
    let renamed = cfg(json!("two"), J::Null, json!({"create": "7s", "read": null}));
    let p = plan(&mut c, state.clone(), renamed.clone(), renamed.clone()).await;
    assert!(p.requires_replace.is_empty());
    let planned = tree(p.planned_state.clone());
    assert_eq!(
        (planned["id"].clone(), planned["serial"].clone()),
        (json!("w-1"), json!("s-w-1"))
    );
    let updated = apply(&mut c, state.clone(), p.planned_state, renamed).await;
    assert_eq!(tree(updated.new_state)["name"], "two");
    // A type without an update timeout gets the create limit for updates.
    assert_eq!(
        remote.lock().expect("remote").limits.last(),
        Some(&("update", Duration::from_secs(7)))
    );

    // A force-new attribute: replacement, and values kept from the old object become unknown.
    let moved = cfg(json!("two"), json!("zone-b"), J::Null);
    let p = plan(&mut c, state.clone(), moved.clone(), moved).await;
    assert_eq!(p.requires_replace.len(), 1);
    let planned = tree(p.planned_state);
    assert_eq!(planned["zone"], "zone-b");
    assert!(terraform_provider_alicloudvpc::tf::Dynamic::is_unknown_node(&planned["id"]));

    // Delete, then a failing delete keeps the object in state.
    let deleted = apply(&mut c, state.clone(), dv(J::Null), J::Null).await;
    assert!(tree(deleted.new_state).is_null());
    let again = apply(&mut c, state.clone(), dv(J::Null), J::Null).await;
    assert_eq!(errors(&again.diagnostics), vec!["Widget busy: try later"]);
    assert_eq!(tree(again.new_state), state);

    // Import reads the object before answering: a missing one is the import's error, with the
    // type's hint; an existing one comes back wholly known.
    let import = |id: &str| pb::import_resource_state::Request {
        type_name: TYPE.into(),
        id: id.into(),
        client_capabilities: None,
    };
    let missing = c
        .import_resource_state(import("w-1"))
        .await
        .expect("import")
        .into_inner();
    assert!(missing.imported_resources.is_empty());
    assert!(
        errors(&missing.diagnostics)[0].starts_with("Cannot import non-existent remote object: "),
        "{:?}",
        missing.diagnostics
    );
    remote
        .lock()
        .expect("remote")
        .objects
        .insert("w-9".into(), ("nine".into(), "zone-c".into()));
    let found = c
        .import_resource_state(import("w-9"))
        .await
        .expect("import")
        .into_inner();
    assert_eq!(found.imported_resources[0].type_name, TYPE);
    let state = tree(found.imported_resources[0].state.clone());
    assert_eq!(
        (state["name"].clone(), state["zone"].clone()),
        (json!("nine"), json!("zone-c"))
    );
}

#[tokio::test]
async fn a_create_that_fails_after_the_object_exists_returns_its_state() {
    let (mut c, remote) = client().await;
    let config = cfg(json!("fail-after-create"), J::Null, J::Null);
    let p = plan(&mut c, J::Null, config.clone(), config.clone()).await;
    let r = apply(&mut c, J::Null, p.planned_state, config).await;
    assert_eq!(errors(&r.diagnostics).len(), 1);
    // Terraform records this state as tainted, so the object is not lost.
    assert_eq!(tree(r.new_state)["id"], "w-1");
    assert!(remote.lock().expect("remote").objects.contains_key("w-1"));
}

#[tokio::test]
async fn an_unregistered_type_names_the_registered_ones() {
    let (mut c, _) = client().await;
    let p = plan(&mut c, J::Null, json!({}), json!({})).await;
    let r = c
        .read_resource(pb::read_resource::Request {
            type_name: "test_gadget".into(),
            current_state: dv(json!({})),
            ..Default::default()
        })
        .await
        .expect("read")
        .into_inner();
    assert_eq!(
        errors(&r.diagnostics),
        vec![
            "Unknown resource type: This provider has no resource named \"test_gadget\"; it offers test_widget."
        ]
    );
    assert!(
        !errors(&p.diagnostics).is_empty(),
        "an empty object is not a widget"
    );
}
