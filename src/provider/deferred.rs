//! A provider configuration holding values Terraform knows only after apply (for example
//! `endpoints { vpc = terraform_data.ep.output }` during the first plan). Such a value is never
//! replaced by a default or an environment variable: plans go on with unknown results where
//! they can, and anything that needs an API call says which settings are not known yet.

use serde_json::Value as J;

use crate::tf::{Diagnostic, Dynamic, Value};

/// What is known of a configuration with unknown values.
#[derive(Debug, Clone, PartialEq)]
pub struct Deferred {
    /// The unknown settings, as paths such as `endpoints.vpc`.
    pub unknown: Vec<String>,
    /// The provider's region as far as it is known.
    pub region: Value<String>,
}

impl Deferred {
    /// `None` when the configuration is wholly known.
    pub fn of(config: &Dynamic, env: &dyn Fn(&str) -> Option<String>) -> Option<Deferred> {
        let unknown = config.unknown_paths();
        if unknown.is_empty() {
            return None;
        }
        let region = match config.0.get("region") {
            Some(v) if Dynamic::is_unknown_node(v) => Value::Unknown,
            Some(J::String(r)) => Value::Known(r.clone()),
            _ => ["ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"]
                .iter()
                .find_map(|n| env(n).filter(|v| !v.is_empty()))
                .map_or(Value::Unknown, Value::Known),
        };
        Some(Deferred { unknown, region })
    }

    /// The error of an operation that must call Alibaba Cloud now.
    pub fn not_known_yet(&self) -> Diagnostic {
        let list = self
            .unknown
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ");
        Diagnostic::error(
            "Provider configuration not known until apply",
            format!(
                "The provider's {list} depend on values Terraform knows only after apply, and this operation must call Alibaba Cloud now. Set {} to a static value (or use its environment variable, such as ALIBABA_CLOUD_REGION or ALIBABA_CLOUD_ENDPOINT_VPC), or create what it depends on first with terraform apply -target=<that resource>.",
                if self.unknown.len() == 1 {
                    "it"
                } else {
                    "them"
                }
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn finds_unknown_settings_and_keeps_the_region_unknown() {
        let u = Dynamic::unknown().0;
        let config = Dynamic(json!({"region": u, "endpoints": {"vpc": u, "sts": null}}));
        let env = |_: &str| Some("cn-beijing".to_string());
        let d = Deferred::of(&config, &env).expect("deferred");
        assert_eq!(d.unknown, vec!["endpoints.vpc", "region"]);
        // An unknown region is not replaced by the environment's.
        assert_eq!(d.region, Value::Unknown);
        assert!(
            d.not_known_yet()
                .detail
                .contains("`endpoints.vpc`, `region`")
        );
    }

    #[test]
    fn a_known_configuration_is_not_deferred() {
        let env = |_: &str| None;
        assert_eq!(
            Deferred::of(&Dynamic(json!({"region": "cn-hangzhou"})), &env),
            None
        );
    }
}
