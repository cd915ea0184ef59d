//! Partially unknown values in every collection attribute of every registered type
//! (`shared/notes/terraform-plugin.md`): Terraform sends a known list with an unknown element,
//! a map with an unknown value, or an unknown collection, and each must pass validation and
//! plan with the unknown parts kept exactly where the configuration has them. The test walks
//! the schemas, so a type added later is covered without being named here.

use serde_json::{Value as J, json};
use tokio_util::sync::CancellationToken;

use super::Registry;
use crate::provider::dispatch::{Env, PlanRequest};
use crate::provider::interface::Planning;
use crate::tf::{Attribute, Diagnostics, Dynamic, Schema, Type, Value};

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

fn unknown() -> J {
    Dynamic::unknown().0
}

/// The partially unknown forms of a collection of `ty`, or none for a type that is not one.
fn partial_forms(ty: Type) -> Vec<J> {
    match ty {
        Type::List(_) | Type::Set(_) => vec![json!([unknown()]), unknown()],
        Type::Map(_) => vec![json!({ "group": unknown() }), unknown()],
        _ => vec![],
    }
}

fn configurable(a: &Attribute) -> bool {
    a.required || a.optional
}

/// A configuration in which every configurable attribute is unknown (so that no rule between
/// attributes can fire on values the test made up) except `attr`, which is `value`; computed
/// attributes and blocks are null, as Terraform sends them.
fn config(schema: &Schema, attr: &str, value: &J) -> J {
    let mut c = serde_json::Map::new();
    for a in &schema.block.attributes {
        let v = match (a.name == attr, configurable(a)) {
            (true, _) => value.clone(),
            (false, true) => unknown(),
            (false, false) => J::Null,
        };
        c.insert(a.name.to_string(), v);
    }
    for b in &schema.block.blocks {
        c.insert(b.name.to_string(), J::Null);
    }
    J::Object(c)
}

fn errors(d: &Diagnostics) -> Vec<String> {
    d.0.iter()
        .filter(|d| d.severity == crate::tf::Severity::Error)
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect()
}

/// Every (type, attribute, form) the provider must accept; fails if none exist, so that the
/// walk cannot silently cover nothing.
fn cases<'a>(
    schemas: impl Iterator<Item = (&'static str, &'a Schema)>,
) -> Vec<(&'static str, &'a Schema, &'static str, J)> {
    let mut out = vec![];
    for (ty, schema) in schemas {
        for a in schema.block.attributes.iter().filter(|a| configurable(a)) {
            for form in partial_forms(a.ty) {
                out.push((ty, schema, a.name, form));
            }
        }
    }
    assert!(!out.is_empty(), "no collection attributes found");
    out
}

#[test]
fn resources_validate_and_plan_partially_unknown_collections() {
    let registry = Registry::standard();
    let env = env();
    let schemas = registry
        .resources
        .iter()
        .map(|r| (r.type_name(), r.schema()));
    let cases = cases(schemas);
    for (ty, schema, attr, form) in &cases {
        let r = registry.resource(ty).expect("registered");
        let c = Dynamic(config(schema, attr, form));
        let d = r.validate(&c);
        assert!(
            errors(&d).is_empty(),
            "validate {ty}.{attr} = {form}: {d:?}"
        );
        let plan = r.plan(
            &env,
            PlanRequest {
                prior: Dynamic::null(),
                proposed: c.clone(),
                config: c.clone(),
                prior_private: vec![],
            },
        );
        assert!(
            errors(&plan.diagnostics).is_empty(),
            "plan {ty}.{attr} = {form}: {:?}",
            plan.diagnostics
        );
        // Terraform refuses a plan whose configured value differs from the configuration.
        assert_eq!(
            plan.planned_state.0[*attr], *form,
            "planned {ty}.{attr} moved the unknown parts"
        );
    }
    // The resource collections today: a pool's zones, security_protection_types and tags.
    let attrs: Vec<_> = cases.iter().map(|(t, _, a, _)| (*t, *a)).collect();
    assert!(attrs.contains(&("alicloudvpc_public_ip_address_pool", "tags")));
    assert!(attrs.contains(&("alicloudvpc_public_ip_address_pool", "zones")));
}

#[test]
fn data_sources_validate_partially_unknown_collections() {
    // Terraform reads a data source whose arguments are not wholly known only at apply, so
    // validation is the one call that sees them partial.
    let registry = Registry::standard();
    let schemas = registry
        .data_sources
        .iter()
        .map(|d| (d.type_name(), d.schema()));
    let cases = cases(schemas);
    for (ty, schema, attr, form) in &cases {
        let ds = registry.data_source(ty).expect("registered");
        let d = ds.validate(&Dynamic(config(schema, attr, form)));
        assert!(
            errors(&d).is_empty(),
            "validate {ty}.{attr} = {form}: {d:?}"
        );
    }
    let attrs: Vec<_> = cases.iter().map(|(t, _, a, _)| (*t, *a)).collect();
    assert!(attrs.contains(&("alicloudvpc_public_ip_address_pools", "ids")));
    assert!(attrs.contains(&("alicloudvpc_public_ip_address_pools", "tags")));
}

#[test]
fn known_parts_are_still_checked() {
    // A partially unknown tag map with a reserved key is refused at validation: what is known
    // is checked now.
    let registry = Registry::standard();
    let r = registry
        .resource("alicloudvpc_public_ip_address_pool")
        .expect("pool");
    let form = json!({ "aliyun-x": "1", "group": unknown() });
    let d = r.validate(&Dynamic(config(r.schema(), "tags", &form)));
    let errs = errors(&d);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("aliyun-x"), "{errs:?}");
}
