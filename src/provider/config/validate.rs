//! Validation of the provider block's values, one diagnostic per problem on its attribute.

use super::formats::{external_id_ok, role_arn_ok, session_name_ok};
use super::{
    AnyNumber, AssumeRoleBlock, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_RETRIES,
    DEFAULT_READ_TIMEOUT_MS, ProviderConfig, SESSION_EXPIRATION_RANGE,
};
use crate::tf::{AttrPath, Diagnostic, Diagnostics, Value};

/// Checks of values written in the configuration, each pointing at its attribute. Values not
/// known yet are skipped: Configure checks again once everything is known.
pub fn validate(c: &ProviderConfig) -> Diagnostics {
    let mut d = Diagnostics::default();
    let skip_regions = matches!(c.skip_region_validation, Value::Known(true));
    if let Value::Known(r) = &c.region
        && let Err(e) = crate::provider::region::check(r, skip_regions)
    {
        d.push(e.at(AttrPath::attr("region")));
    }
    if let Value::Known(p) = &c.protocol
        && !matches!(p.to_ascii_uppercase().as_str(), "HTTP" | "HTTPS")
    {
        d.push(
            Diagnostic::error(
                "Invalid protocol",
                format!("protocol is {p:?}; set it to \"HTTPS\" (the default) or \"HTTP\"."),
            )
            .at(AttrPath::attr("protocol")),
        );
    }
    if let Value::Known(v) = &c.sign_version
        && !matches!(v.to_ascii_lowercase().as_str(), "v1" | "v3")
    {
        d.push(
                Diagnostic::error(
                    "Invalid sign_version",
                    format!("sign_version is {v:?}; set it to \"v1\" (HMAC-SHA1, the default) or \"v3\" (ACS3-HMAC-SHA256)."),
                )
                .at(AttrPath::attr("sign_version")),
            );
    }
    whole_in(
        &mut d,
        &c.max_retries,
        &["max_retries"],
        0..=100,
        &format!("a whole number from 0 to 100 (default {DEFAULT_MAX_RETRIES})"),
        "",
    );
    whole_in(
        &mut d,
        &c.client_connect_timeout,
        &["client_connect_timeout"],
        1..=3_600_000,
        &format!(
            "a whole number of milliseconds from 1 to 3600000 (default {DEFAULT_CONNECT_TIMEOUT_MS})"
        ),
        " ms",
    );
    whole_in(
        &mut d,
        &c.client_read_timeout,
        &["client_read_timeout"],
        1..=3_600_000,
        &format!(
            "a whole number of milliseconds from 1 to 3600000 (default {DEFAULT_READ_TIMEOUT_MS})"
        ),
        " ms",
    );
    if let Value::Known(ar) = &c.assume_role {
        validate_assume_role(&mut d, ar);
    }
    if let Value::Known(ep) = &c.endpoints {
        for (name, v) in [
            ("vpc", &ep.vpc),
            ("sts", &ep.sts),
            ("ecs_metadata", &ep.ecs_metadata),
        ] {
            if let Value::Known(s) = v
                && let Some(problem) = crate::alicloud::endpoint::problem(s)
            {
                d.push(
                    Diagnostic::error(
                        format!("Invalid endpoints.{name}"),
                        format!("{s:?} {problem}. Write a host name such as \"vpc.cn-hangzhou.aliyuncs.com\" or a URL such as \"http://127.0.0.1:8765\" or \"https://[::1]:8443\"."),
                    )
                    .at(AttrPath::attrs(&["endpoints", name])),
                );
            }
        }
    }
    d
}

/// Pushes an error on `path` unless `v` is null, unknown, or a whole number in `range`.
/// `expected` completes "use ..."; `unit` follows the value in the message.
fn whole_in(
    d: &mut Diagnostics,
    v: &Value<AnyNumber>,
    path: &[&str],
    range: std::ops::RangeInclusive<i64>,
    expected: &str,
    unit: &str,
) {
    let Value::Known(n) = v else { return };
    if n.whole().is_some_and(|i| range.contains(&i)) {
        return;
    }
    let name = path.join(".");
    let leaf = path.last().copied().unwrap_or_default();
    d.push(
        Diagnostic::error(
            format!("Invalid {name}"),
            format!("{leaf} is {n}{unit}; use {expected}."),
        )
        .at(AttrPath::attrs(path)),
    );
}

fn validate_assume_role(d: &mut Diagnostics, ar: &AssumeRoleBlock) {
    let at = |leaf: &str| AttrPath::attrs(&["assume_role", leaf]);
    if let Value::Known(arn) = &ar.role_arn
        && !role_arn_ok(arn)
    {
        d.push(
            Diagnostic::error(
                "Invalid assume_role.role_arn",
                format!("role_arn is {arn:?}; a RAM role ARN has the form acs:ram::<account ID>:role/<role name>, e.g. \"acs:ram::1234567890123456:role/terraform\"."),
            )
            .at(at("role_arn")),
        );
    }
    if let Value::Known(name) = &ar.session_name
        && !session_name_ok(name)
    {
        d.push(
            Diagnostic::error(
                "Invalid assume_role.session_name",
                format!("session_name is {name:?}; STS accepts 2 to 64 characters of letters, digits and _+=,.@- (e.g. \"terraform\")."),
            )
            .at(at("session_name")),
        );
    }
    if let Value::Known(id) = &ar.external_id
        && !external_id_ok(id)
    {
        // The value may be a secret shared with the role's owner: say what is wrong, not what it is.
        let n = id.chars().count();
        let problem = if !(2..=1224).contains(&n) {
            format!("has {n} characters")
        } else {
            "contains characters STS does not accept (such as spaces)".to_string()
        };
        d.push(
            Diagnostic::error(
                "Invalid assume_role.external_id",
                format!("external_id {problem}; STS accepts 2 to 1224 characters of letters, digits and _+=,.@:/- . Use the external ID exactly as the role's trust policy gives it (its sts:ExternalId condition)."),
            )
            .at(at("external_id")),
        );
    }
    whole_in(
        d,
        &ar.session_expiration,
        &["assume_role", "session_expiration"],
        SESSION_EXPIRATION_RANGE,
        "a whole number of seconds from 900 to 43200 (default 3600), at most the role's maximum session duration",
        " seconds",
    );
    if let Value::Known(policy) = &ar.policy {
        let problem = match serde_json::from_str::<serde_json::Value>(policy) {
            Ok(serde_json::Value::Object(_)) => None,
            Ok(_) => Some("is JSON but not an object".to_string()),
            Err(e) => Some(format!("is not valid JSON ({e})")),
        };
        if let Some(problem) = problem {
            d.push(
                Diagnostic::error(
                    "Invalid assume_role.policy",
                    format!("The policy {problem}; write a policy document object, e.g. with jsonencode({{ Version = \"1\", Statement = [...] }})."),
                )
                .at(at("policy")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::config::EndpointsBlock;

    #[test]
    fn assume_role_fields() {
        let block = |session: &str, policy: &str| ProviderConfig {
            assume_role: Value::Known(AssumeRoleBlock {
                role_arn: Value::Known("acs:ram::1234567890123456:role/x".into()),
                session_name: Value::Known(session.into()),
                policy: Value::Known(policy.into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert!(validate(&block("terraform", r#"{"Version":"1"}"#)).is_empty());
        let d = validate(&block("a b", "{not json"));
        let paths: Vec<_> = d.0.iter().map(|d| d.attribute.clone()).collect();
        assert_eq!(
            paths,
            vec![
                Some(AttrPath::attrs(&["assume_role", "session_name"])),
                Some(AttrPath::attrs(&["assume_role", "policy"])),
            ]
        );
        assert!(d.0[1].detail.contains("not valid JSON"), "{d:?}");
        let with_external = |id: &str| ProviderConfig {
            assume_role: Value::Known(AssumeRoleBlock {
                role_arn: Value::Known("acs:ram::1234567890123456:role/x".into()),
                external_id: Value::Known(id.into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert!(validate(&with_external("abc-123")).is_empty());
        let d = validate(&with_external("my secret id"));
        assert_eq!(
            d.0.iter().map(|d| d.attribute.clone()).collect::<Vec<_>>(),
            vec![Some(AttrPath::attrs(&["assume_role", "external_id"]))]
        );
        assert!(!d.0[0].detail.contains("my secret id"), "{d:?}");
        let d = validate(&block("terraform", "[1]"));
        assert!(d.0[0].detail.contains("not an object"), "{d:?}");
    }

    #[test]
    fn endpoints_are_checked_completely() {
        let c = ProviderConfig {
            endpoints: Value::Known(EndpointsBlock {
                vpc: Value::Known("http://h:70000".into()),
                sts: Value::Known("http://::1:8765".into()),
                ecs_metadata: Value::Known("http://".into()),
            }),
            ..Default::default()
        };
        let d = validate(&c);
        assert_eq!(d.0.len(), 3, "{d:?}");
        assert_eq!(
            d.0[0].attribute,
            Some(AttrPath::attrs(&["endpoints", "vpc"]))
        );
        assert!(d.0[0].detail.contains("port 70000"), "{d:?}");
        assert!(d.0[1].detail.contains("brackets"), "{d:?}");
        assert!(d.0[2].detail.contains("no host"), "{d:?}");
    }

    #[test]
    fn validation_points_at_attributes() {
        let c = ProviderConfig {
            protocol: Value::Known("FTP".into()),
            sign_version: Value::Known("v2".into()),
            max_retries: Value::Known(AnyNumber(-1.0)),
            assume_role: Value::Known(AssumeRoleBlock {
                role_arn: Value::Known("acs:ram::1234567890123456:role/x".into()),
                session_expiration: Value::Known(AnyNumber(60.0)),
                ..Default::default()
            }),
            ..Default::default()
        };
        let d = validate(&c);
        let paths: Vec<_> = d.0.iter().map(|d| d.attribute.clone()).collect();
        assert_eq!(d.0.len(), 4, "{d:?}");
        assert!(paths.contains(&Some(AttrPath::attr("protocol"))));
        assert!(paths.contains(&Some(AttrPath::attrs(&[
            "assume_role",
            "session_expiration"
        ]))));
    }
}
