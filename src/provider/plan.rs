//! The plan rules every resource shares, applied by schema to the object trees so that no
//! resource re-codes them:
//! - A computed attribute the configuration leaves null is kept from the prior state, or is
//!   unknown when there is no prior object (a create).
//! - An attribute marked [`Attribute::force_new`](crate::tf::Attribute) whose planned value
//!   differs from the prior state replaces the object (`requires_replace`).
//! - When the object is replaced, a computed value kept from the prior object describes the old
//!   object, not the new one: it becomes unknown.
//!
//! A resource's own plan step runs between the first rule and the other two, so that a default
//! it fills in (such as the provider's region) can force a replacement.

use serde_json::Value as J;

use crate::tf::{AttrPath, Block, Dynamic};

fn field<'a>(v: &'a J, name: &str) -> &'a J {
    v.get(name).unwrap_or(&J::Null)
}

/// The first rule: computed attributes left null by the configuration.
pub fn fill_computed(schema: &Block, prior: Option<&J>, planned: &mut J, config: &J) {
    let J::Object(out) = planned else { return };
    for a in schema.attributes.iter().filter(|a| a.computed) {
        if !field(config, a.name).is_null() {
            continue;
        }
        let value = match prior {
            Some(p) => field(p, a.name).clone(),
            None => Dynamic::unknown().0,
        };
        out.insert(a.name.to_string(), value);
    }
}

/// The second rule: the force-new attributes whose value changes.
///
/// A computed attribute the prior state holds no value for, and the configuration leaves
/// unset, is being filled in, not changed: the state of an object moved from another provider
/// has no `region_id` until its first refresh, and `plan -refresh=false` must not replace
/// (delete and recreate) the object for that.
pub fn replacements(schema: &Block, prior: &J, planned: &J, config: &J) -> Vec<AttrPath> {
    let filled_in = |a: &crate::tf::Attribute| {
        a.computed && field(prior, a.name).is_null() && field(config, a.name).is_null()
    };
    schema
        .attributes
        .iter()
        .filter(|a| a.force_new && field(prior, a.name) != field(planned, a.name))
        .filter(|a| !filled_in(a))
        .map(|a| AttrPath::attr(a.name))
        .collect()
}

/// The third rule, for a replacement: computed values still equal to the prior object's
/// become unknown.
pub fn renew_computed(schema: &Block, prior: &J, planned: &mut J, config: &J) {
    let J::Object(out) = planned else { return };
    for a in schema.attributes.iter().filter(|a| a.computed) {
        let kept = out.get(a.name).unwrap_or(&J::Null) == field(prior, a.name);
        if field(config, a.name).is_null() && kept {
            out.insert(a.name.to_string(), Dynamic::unknown().0);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::tf::{Attribute, Type};

    fn schema() -> Block {
        Block {
            description: "",
            attributes: vec![
                Attribute::computed("id", Type::String, ""),
                Attribute::optional_computed("zone", Type::String, "").forces_replacement(),
                Attribute::optional("name", Type::String, ""),
            ],
            blocks: vec![],
        }
    }

    fn unknown() -> J {
        Dynamic::unknown().0
    }

    #[test]
    fn create_plans_unset_computed_attributes_unknown() {
        let config = json!({"id": null, "zone": "a", "name": "n"});
        let mut planned = config.clone();
        fill_computed(&schema(), None, &mut planned, &config);
        assert_eq!(planned, json!({"id": unknown(), "zone": "a", "name": "n"}));
    }

    #[test]
    fn update_keeps_computed_attributes_from_prior_state() {
        let prior = json!({"id": "x", "zone": "a", "name": "old"});
        let config = json!({"id": null, "zone": null, "name": "new"});
        let mut planned = config.clone();
        fill_computed(&schema(), Some(&prior), &mut planned, &config);
        assert_eq!(planned, json!({"id": "x", "zone": "a", "name": "new"}));
        assert!(replacements(&schema(), &prior, &planned, &config).is_empty());
    }

    #[test]
    fn a_changed_force_new_attribute_replaces_and_renews_kept_values() {
        let prior = json!({"id": "x", "zone": "a", "name": "n"});
        let config = json!({"id": null, "zone": "b", "name": "n"});
        let mut planned = config.clone();
        fill_computed(&schema(), Some(&prior), &mut planned, &config);
        assert_eq!(
            replacements(&schema(), &prior, &planned, &config),
            vec![AttrPath::attr("zone")]
        );
        renew_computed(&schema(), &prior, &mut planned, &config);
        assert_eq!(planned, json!({"id": unknown(), "zone": "b", "name": "n"}));
    }

    #[test]
    fn a_computed_value_filled_in_where_the_state_had_none_replaces_nothing() {
        // A moved state before its first refresh: the type's plan fills in `zone` (as the
        // region is filled in from the provider's).
        let prior = json!({"id": "x", "zone": null, "name": "n"});
        let config = json!({"id": null, "zone": null, "name": "n"});
        let planned = json!({"id": "x", "zone": "a", "name": "n"});
        assert!(replacements(&schema(), &prior, &planned, &config).is_empty());
        // Configured, the value is the user's: a change still replaces.
        let config = json!({"id": null, "zone": "a", "name": "n"});
        assert_eq!(
            replacements(&schema(), &prior, &planned, &config),
            vec![AttrPath::attr("zone")]
        );
    }
}
