//! The provider block: its schema, its typed form, and validation of what can be checked
//! before any environment variable or file is read.

use serde::{Deserialize, Serialize};

use crate::tf::{
    AttrPath, Attribute, Block, Diagnostic, Diagnostics, NestedBlock, Nesting, Number, Schema,
    Type, Value,
};

/// The provider block as Terraform sends it; every attribute is present, possibly null.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProviderConfig {
    pub region: Value<String>,
    pub access_key: Value<String>,
    pub secret_key: Value<String>,
    pub security_token: Value<String>,
    pub profile: Value<String>,
    pub shared_credentials_file: Value<String>,
    pub ecs_role_name: Value<String>,
    pub protocol: Value<String>,
    pub sign_version: Value<String>,
    pub max_retries: Value<Number>,
    pub client_connect_timeout: Value<Number>,
    pub client_read_timeout: Value<Number>,
    pub skip_region_validation: Value<bool>,
    pub assume_role: Value<AssumeRoleBlock>,
    pub endpoints: Value<EndpointsBlock>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AssumeRoleBlock {
    pub role_arn: Value<String>,
    pub session_name: Value<String>,
    pub session_expiration: Value<Number>,
    pub policy: Value<String>,
    pub external_id: Value<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EndpointsBlock {
    pub vpc: Value<String>,
    pub sts: Value<String>,
    pub ecs_metadata: Value<String>,
}

pub const DEFAULT_MAX_RETRIES: i64 = 8;
pub const DEFAULT_CONNECT_TIMEOUT_MS: i64 = 10_000;
pub const DEFAULT_READ_TIMEOUT_MS: i64 = 30_000;
pub const SESSION_EXPIRATION_RANGE: std::ops::RangeInclusive<i64> = 900..=43_200;
pub const DEFAULT_SESSION_EXPIRATION: i64 = 3600;

pub fn schema() -> Schema {
    use Type::{Bool, Number, String};
    Schema {
        version: 0,
        block: Block {
            description: "The alicloudvpc provider manages the activation of Alibaba Cloud's VPC IP address pool feature. Every argument is optional; each falls back to the environment variables shown.",
            attributes: vec![
                Attribute::optional("region", String, "Region ID to operate in, e.g. `cn-hangzhou`. Falls back to `ALIBABA_CLOUD_REGION`, then `ALICLOUD_REGION`, then the `region_id` of the selected aliyun CLI profile."),
                Attribute::optional("access_key", String, "AccessKey ID. Falls back to `ALIBABA_CLOUD_ACCESS_KEY_ID`, then `ALICLOUD_ACCESS_KEY`."),
                Attribute::optional("secret_key", String, "AccessKey secret. Falls back to `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, then `ALICLOUD_SECRET_KEY`.").sensitive(),
                Attribute::optional("security_token", String, "STS security token, for temporary credentials. Falls back to `ALIBABA_CLOUD_SECURITY_TOKEN`, then `ALICLOUD_SECURITY_TOKEN`.").sensitive(),
                Attribute::optional("profile", String, "Name of a profile in the aliyun CLI configuration file (modes `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`). Falls back to `ALIBABA_CLOUD_PROFILE`, then `ALICLOUD_PROFILE`."),
                Attribute::optional("shared_credentials_file", String, "Path of the aliyun CLI configuration file. Falls back to `ALIBABA_CLOUD_CREDENTIALS_FILE`; default `~/.aliyun/config.json`."),
                Attribute::optional("ecs_role_name", String, "RAM role attached to the ECS instance Terraform runs on; credentials then come from the instance metadata service. Falls back to `ALIBABA_CLOUD_ECS_METADATA`, then `ALICLOUD_ECS_ROLE_NAME`."),
                Attribute::optional("protocol", String, "`HTTPS` (default) or `HTTP`, for endpoints given as host names. A full URL endpoint carries its own scheme."),
                Attribute::optional("sign_version", String, "Request signature version: `v1` (HMAC-SHA1, default) or `v3` (ACS3-HMAC-SHA256)."),
                Attribute::optional("max_retries", Number, "How many times one API call is retried on throttling, conflicts, server and network errors (default 8). Retries never outlast the operation's timeout."),
                Attribute::optional("client_connect_timeout", Number, "Connection timeout of one HTTP request, in milliseconds (default 10000)."),
                Attribute::optional("client_read_timeout", Number, "Read timeout of one HTTP request, in milliseconds (default 30000)."),
                Attribute::optional("skip_region_validation", Bool, "Skip checking `region` against the list of public Alibaba Cloud regions (default false); for new or private regions."),
            ],
            blocks: vec![
                NestedBlock {
                    name: "assume_role",
                    nesting: Nesting::Single,
                    block: Block {
                        description: "Assume a RAM role with STS `AssumeRole`, using the credentials resolved otherwise as the caller.",
                        attributes: vec![
                            Attribute::required("role_arn", String, "ARN of the RAM role, e.g. `acs:ram::1234567890123456:role/terraform`."),
                            Attribute::optional("session_name", String, "Role session name, shown in ActionTrail (default `terraform`)."),
                            Attribute::optional("session_expiration", Number, "Lifetime of the temporary credentials in seconds, 900 to 43200 (default 3600). The provider renews them before they expire."),
                            Attribute::optional("policy", String, "A policy document (JSON) that further restricts the role's permissions for this session."),
                            Attribute::optional("external_id", String, "External ID the role's trust policy requires, if any."),
                        ],
                        blocks: vec![],
                    },
                },
                NestedBlock {
                    name: "endpoints",
                    nesting: Nesting::Single,
                    block: Block {
                        description: "Custom endpoints, e.g. a VPC endpoint, a proxy, or the local emulator. Each is a host name or a full URL such as `http://127.0.0.1:8765`.",
                        attributes: vec![
                            Attribute::optional("vpc", String, "VPC API endpoint. Falls back to `ALIBABA_CLOUD_ENDPOINT_VPC`; default `vpc.<region>.aliyuncs.com`."),
                            Attribute::optional("sts", String, "STS API endpoint. Falls back to `ALIBABA_CLOUD_ENDPOINT_STS`; default `sts.aliyuncs.com`."),
                            Attribute::optional("ecs_metadata", String, "ECS instance metadata service; default `http://100.100.100.200`."),
                        ],
                        blocks: vec![],
                    },
                },
            ],
        },
    }
}

/// Whether `s` looks like an Alibaba region ID (`cn-hangzhou`, `ap-southeast-1`).
pub fn region_format_ok(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    !first.is_empty()
        && first.chars().all(|c| c.is_ascii_lowercase())
        && s.contains('-')
        && parts.all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Whether `s` is a host name or an http(s) URL we can send requests to.
pub fn endpoint_ok(s: &str) -> bool {
    if let Some(rest) = s
        .strip_prefix("http://")
        .or_else(|| s.strip_prefix("https://"))
    {
        let host = rest.split('/').next().unwrap_or("");
        return !host.is_empty() && !host.contains(char::is_whitespace);
    }
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// Checks of values written in the configuration, each pointing at its attribute. Values not
/// known yet are skipped: Configure checks again once everything is known.
pub fn validate(c: &ProviderConfig) -> Diagnostics {
    let mut d = Diagnostics::default();
    let skip_regions = matches!(c.skip_region_validation, Value::Known(true));
    if let Value::Known(r) = &c.region
        && let Err(e) = super::region::check(r, skip_regions)
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
    if let Value::Known(n) = &c.max_retries
        && !(0..=100).contains(&n.0)
    {
        d.push(
                Diagnostic::error(
                    "Invalid max_retries",
                    format!("max_retries is {}; use a number from 0 to 100 (default {DEFAULT_MAX_RETRIES}).", n.0),
                )
                .at(AttrPath::attr("max_retries")),
            );
    }
    for (name, v) in [
        ("client_connect_timeout", &c.client_connect_timeout),
        ("client_read_timeout", &c.client_read_timeout),
    ] {
        if let Value::Known(n) = v
            && !(1..=3_600_000).contains(&n.0)
        {
            d.push(
                Diagnostic::error(
                    format!("Invalid {name}"),
                    format!(
                        "{name} is {} ms; use a number of milliseconds from 1 to 3600000.",
                        n.0
                    ),
                )
                .at(AttrPath::attr(name)),
            );
        }
    }
    if let Value::Known(ar) = &c.assume_role {
        if let Value::Known(arn) = &ar.role_arn
            && !role_arn_ok(arn)
        {
            d.push(
                    Diagnostic::error(
                        "Invalid assume_role.role_arn",
                        format!("role_arn is {arn:?}; a RAM role ARN looks like \"acs:ram::1234567890123456:role/terraform\"."),
                    )
                    .at(AttrPath::attrs(&["assume_role", "role_arn"])),
                );
        }
        if let Value::Known(n) = &ar.session_expiration
            && !SESSION_EXPIRATION_RANGE.contains(&n.0)
        {
            d.push(
                    Diagnostic::error(
                        "Invalid assume_role.session_expiration",
                        format!(
                            "session_expiration is {} seconds; STS accepts 900 to 43200 (and at most the role's maximum session duration).",
                            n.0
                        ),
                    )
                    .at(AttrPath::attrs(&["assume_role", "session_expiration"])),
                );
        }
    }
    if let Value::Known(ep) = &c.endpoints {
        for (name, v) in [
            ("vpc", &ep.vpc),
            ("sts", &ep.sts),
            ("ecs_metadata", &ep.ecs_metadata),
        ] {
            if let Value::Known(s) = v
                && !endpoint_ok(s)
            {
                d.push(
                        Diagnostic::error(
                            format!("Invalid endpoints.{name}"),
                            format!("{s:?} is neither a host name nor an http(s) URL; write e.g. \"vpc.cn-hangzhou.aliyuncs.com\" or \"http://127.0.0.1:8765\"."),
                        )
                        .at(AttrPath::attrs(&["endpoints", name])),
                    );
            }
        }
    }
    d
}

fn role_arn_ok(arn: &str) -> bool {
    let mut parts = arn.splitn(5, ':');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("acs"), Some("ram"), Some(""), Some(acct), Some(role))
            if !acct.is_empty() && acct.chars().all(|c| c.is_ascii_digit()) && role.starts_with("role/") && role.len() > 5
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(region_format_ok("cn-hangzhou"));
        assert!(region_format_ok("ap-southeast-1"));
        assert!(!region_format_ok("cnhangzhou"));
        assert!(!region_format_ok("CN-hangzhou"));
        assert!(!region_format_ok("cn-"));
        assert!(endpoint_ok("vpc.cn-hangzhou.aliyuncs.com"));
        assert!(endpoint_ok("http://127.0.0.1:8765"));
        assert!(!endpoint_ok("ftp://x"));
        assert!(!endpoint_ok(""));
        assert!(role_arn_ok("acs:ram::1234567890123456:role/terraform"));
        assert!(!role_arn_ok("acs:ram::abc:role/x"));
        assert!(!role_arn_ok("arn:aws:iam::1:role/x"));
    }

    #[test]
    fn validation_points_at_attributes() {
        let c = ProviderConfig {
            protocol: Value::Known("FTP".into()),
            sign_version: Value::Known("v2".into()),
            max_retries: Value::Known(Number(-1)),
            assume_role: Value::Known(AssumeRoleBlock {
                role_arn: Value::Known("acs:ram::1234567890123456:role/x".into()),
                session_expiration: Value::Known(Number(60)),
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
