//! The `timeouts` block every resource has: one optional Go duration string per operation, each
//! with its own default. The block's schema, its validation and the durations come from one
//! list of [`TimeoutSpec`]s per resource type.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::duration;
use crate::tf::{
    AttrPath, Attribute, Block, Diagnostic, Diagnostics, NestedBlock, Nesting, Type, Value,
};

/// The operations a `timeouts` block can limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Read => "read",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }

    /// The attribute a user sets to change this limit, as error messages name it.
    pub fn attribute(self) -> &'static str {
        match self {
            Operation::Create => "timeouts.create",
            Operation::Read => "timeouts.read",
            Operation::Update => "timeouts.update",
            Operation::Delete => "timeouts.delete",
        }
    }
}

/// One operation's entry in a resource's `timeouts` block.
#[derive(Debug, Clone, Copy)]
pub struct TimeoutSpec {
    pub operation: Operation,
    pub default: Duration,
    pub description: &'static str,
}

/// The block's value: exactly the attributes of its schema, so it round-trips unchanged for any
/// resource's set of operations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timeouts(pub BTreeMap<String, Value<String>>);

impl Timeouts {
    pub fn from_pairs(pairs: &[(&str, Value<String>)]) -> Self {
        Timeouts(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }
}

/// The `timeouts` nested block of a resource schema.
pub fn block(description: &'static str, specs: &[TimeoutSpec]) -> NestedBlock {
    NestedBlock {
        name: "timeouts",
        nesting: Nesting::Single,
        block: Block {
            description,
            attributes: specs
                .iter()
                .map(|s| Attribute::optional(s.operation.name(), Type::String, s.description))
                .collect(),
            blocks: vec![],
        },
    }
}

/// The limit for `spec`'s operation: the configured duration, else the default. Validation has
/// already refused durations that do not parse, so a bad value here falls back to the default.
pub fn limit(t: &Value<Timeouts>, spec: &TimeoutSpec) -> Duration {
    t.as_known()
        .and_then(|t| t.0.get(spec.operation.name()))
        .and_then(|v| v.as_known())
        .and_then(|s| duration::parse(s).ok())
        .unwrap_or(spec.default)
}

/// Each configured duration must parse and leave time for the operation. The detail is one
/// sentence, what is wrong and how to write it ([`duration::timeout_problem`]), on the attribute.
pub fn validate(t: &Value<Timeouts>) -> Diagnostics {
    let mut d = Diagnostics::default();
    let Value::Known(t) = t else { return d };
    for (name, v) in &t.0 {
        let Value::Known(s) = v else { continue };
        if let Some(problem) = duration::timeout_problem(s) {
            d.push(
                Diagnostic::error(format!("Invalid timeouts.{name}"), problem)
                    .at(AttrPath::attrs(&["timeouts", name])),
            );
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREATE: TimeoutSpec = TimeoutSpec {
        operation: Operation::Create,
        default: Duration::from_secs(300),
        description: "",
    };

    #[test]
    fn configured_limit_or_default() {
        let t = Value::Known(Timeouts::from_pairs(&[
            ("create", Value::Known("10m".into())),
            ("read", Value::Null),
        ]));
        assert_eq!(limit(&t, &CREATE), Duration::from_secs(600));
        assert_eq!(limit(&Value::Null, &CREATE), Duration::from_secs(300));
    }

    #[test]
    fn bad_and_zero_durations_point_at_their_attribute() {
        let t = Value::Known(Timeouts::from_pairs(&[
            ("create", Value::Known("5 minutes".into())),
            ("read", Value::Known("0s".into())),
        ]));
        let d = validate(&t);
        assert_eq!(d.0.len(), 2);
        assert_eq!(
            d.0[0].attribute,
            Some(AttrPath::attrs(&["timeouts", "create"]))
        );
        assert_eq!(
            d.0[1].attribute,
            Some(AttrPath::attrs(&["timeouts", "read"]))
        );
        assert_eq!(d.0[0].summary, "Invalid timeouts.create");
        assert_eq!(
            d.0[0].detail,
            "\"5 minutes\" has the unknown unit \" minutes\" (units are ms, s, m and h): write a Go duration such as \"30s\", \"5m\" or \"1h30m\"."
        );
        assert_eq!(
            d.0[1].detail,
            "\"0s\" leaves no time for the operation: remove it to use the default, or write e.g. \"5m\"."
        );
    }

    #[test]
    fn round_trips_exactly_the_schema_attributes() {
        let tree = serde_json::json!({"create": "1m", "delete": null});
        let t: Timeouts = serde_json::from_value(tree.clone()).expect("decode");
        assert_eq!(serde_json::to_value(&t).expect("encode"), tree);
    }
}
