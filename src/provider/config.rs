//! The provider block: its schema, its typed form, and validation of what can be checked
//! before any environment variable or file is read.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::tf::{
    AttrPath, Attribute, Block, Diagnostic, Diagnostics, NestedBlock, Nesting, Schema, Type, Value,
};

/// A Terraform `number` decoded without judgement: an integer, a float or a decimal string
/// all decode, so that [`validate`] can say on the attribute's own line that `1.5` is not a
/// whole number, where a strict decoder would fail the whole configuration.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AnyNumber(pub f64);

impl AnyNumber {
    /// The value if it is a whole number (exact in an `i64`).
    pub fn whole(self) -> Option<i64> {
        (self.0.fract() == 0.0 && self.0.abs() < 9.0e15).then_some(self.0 as i64)
    }
}

impl Serialize for AnyNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.whole() {
            Some(i) => s.serialize_i64(i),
            None => s.serialize_f64(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for AnyNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => n
                .as_f64()
                .map(AnyNumber)
                .ok_or_else(|| D::Error::custom(format!("{n} is not a number"))),
            serde_json::Value::String(s) => s
                .trim()
                .parse::<f64>()
                .map(AnyNumber)
                .map_err(|_| D::Error::custom(format!("{s:?} is not a number"))),
            other => Err(D::Error::custom(format!("expected a number, got {other}"))),
        }
    }
}

impl std::fmt::Display for AnyNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.whole() {
            Some(i) => write!(f, "{i}"),
            None => write!(f, "{}", self.0),
        }
    }
}

/// The whole number an attribute holds, or `default` when it is null or unknown. Only for
/// values [`validate`] has accepted; a fraction there also falls back to `default`.
pub fn whole_or(v: &Value<AnyNumber>, default: i64) -> i64 {
    v.as_known().and_then(|n| n.whole()).unwrap_or(default)
}

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
    pub max_retries: Value<AnyNumber>,
    pub client_connect_timeout: Value<AnyNumber>,
    pub client_read_timeout: Value<AnyNumber>,
    pub skip_region_validation: Value<bool>,
    pub assume_role: Value<AssumeRoleBlock>,
    pub endpoints: Value<EndpointsBlock>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AssumeRoleBlock {
    pub role_arn: Value<String>,
    pub session_name: Value<String>,
    pub session_expiration: Value<AnyNumber>,
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

/// STS `AssumeRole`'s documented constraints on RoleSessionName: 2 to 64 characters of
/// letters, digits and `_+=,.@-` (the SDKs' `[\w+=,.@-]{2,64}`).
fn session_name_ok(s: &str) -> bool {
    (2..=64).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
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

/// `acs:ram::<account ID>:role/<name>`; RAM role names are 1 to 64 letters, digits, `.`, `-`
/// (and `_`, which some older roles carry).
fn role_arn_ok(arn: &str) -> bool {
    let mut parts = arn.splitn(5, ':');
    let name_ok = |n: &str| {
        (1..=64).contains(&n.len())
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    };
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("acs"), Some("ram"), Some(""), Some(acct), Some(role))
            if !acct.is_empty()
                && acct.chars().all(|c| c.is_ascii_digit())
                && role.strip_prefix("role/").is_some_and(name_ok)
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
        assert!(role_arn_ok("acs:ram::1234567890123456:role/terraform"));
        assert!(!role_arn_ok("acs:ram::abc:role/x"));
        assert!(!role_arn_ok("arn:aws:iam::1:role/x"));
        assert!(!role_arn_ok("acs:ram::1234567890123456:role/"));
        assert!(!role_arn_ok("acs:ram::1234567890123456:role/a b"));
        assert!(!role_arn_ok("acs:ram::1234567890123456:user/x"));
        assert!(session_name_ok("tf-test_1+=,.@"));
        assert!(!session_name_ok("a"));
        assert!(!session_name_ok("has space"));
        assert!(!session_name_ok(&"x".repeat(65)));
        assert!(!session_name_ok("ünïcode"));
    }

    #[test]
    fn numbers_decode_leniently_and_fail_on_their_attribute() {
        let mut raw = serde_json::to_value(ProviderConfig::default()).expect("encode");
        let mut role = serde_json::to_value(AssumeRoleBlock::default()).expect("encode");
        role["role_arn"] = "acs:ram::1:role/r".into();
        role["session_expiration"] = 900.5.into();
        raw["max_retries"] = 1.5.into();
        raw["client_connect_timeout"] = "2.5".into();
        raw["client_read_timeout"] = 1000.into();
        raw["assume_role"] = role;
        let c: ProviderConfig = serde_json::from_value(raw).expect("fractions decode");
        let d = validate(&c);
        let at: Vec<_> =
            d.0.iter()
                .map(|d| (d.attribute.clone(), d.detail.clone()))
                .collect();
        assert_eq!(d.0.len(), 3, "{at:?}");
        assert_eq!(at[0].0, Some(AttrPath::attr("max_retries")));
        assert!(
            at[0]
                .1
                .starts_with("max_retries is 1.5; use a whole number"),
            "{}",
            at[0].1
        );
        assert_eq!(at[1].0, Some(AttrPath::attr("client_connect_timeout")));
        assert!(at[1].1.contains("is 2.5 ms"), "{}", at[1].1);
        assert_eq!(
            at[2].0,
            Some(AttrPath::attrs(&["assume_role", "session_expiration"]))
        );
        assert_eq!(whole_or(&Value::Known(AnyNumber(7.0)), 8), 7);
        assert_eq!(whole_or(&Value::Unknown, 8), 8);
    }

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
