//! The provider block: its schema, its typed form, and validation of what can be checked
//! before any environment variable or file is read.

mod formats;
mod numbers;
mod validate;

use serde::{Deserialize, Serialize};

use crate::tf::{Attribute, Block, NestedBlock, Nesting, Schema, Type, Value};

pub use formats::region_format_ok;
pub use numbers::{AnyNumber, whole_or};
pub use validate::validate;

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
