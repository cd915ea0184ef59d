//! Client configuration: endpoints, protocol, signature version, timeouts and retry bounds.

use std::time::Duration;

/// Scheme for endpoints given as a bare host name. A full URL endpoint carries its own scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Protocol {
    #[default]
    Https,
    Http,
}

impl Protocol {
    pub fn scheme(self) -> &'static str {
        match self {
            Protocol::Https => "https",
            Protocol::Http => "http",
        }
    }
}

/// Which request signature to use. V1 (HMAC-SHA1) is what the official Terraform provider
/// sends for RPC calls; V3 (ACS3-HMAC-SHA256) is the current SDK default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignVersion {
    #[default]
    V1,
    V3,
}

#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Host name (`vpc.example.com`, `host:8080`) or full URL (`http://127.0.0.1:8765`);
    /// default `vpc.<region>.aliyuncs.com`.
    pub vpc_endpoint: Option<String>,
    /// Same forms as `vpc_endpoint`; default `sts.aliyuncs.com`.
    pub sts_endpoint: Option<String>,
    /// Same forms; default `http://100.100.100.200` (a bare host is reached over HTTP, the only
    /// protocol the metadata service speaks).
    pub ecs_metadata_endpoint: Option<String>,
    pub protocol: Protocol,
    pub sign_version: SignVersion,
    pub connect_timeout: Duration,
    /// Upper bound of one attempt (request sent to body read); also capped by the deadline.
    pub read_timeout: Duration,
    /// Retries after the first attempt, on retryable errors only.
    pub max_retries: u32,
    /// Backoff before retry n is uniform in `0..=min(backoff_max, backoff_base * 2^n)`.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    pub user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            vpc_endpoint: None,
            sts_endpoint: None,
            ecs_metadata_endpoint: None,
            protocol: Protocol::Https,
            sign_version: SignVersion::V1,
            connect_timeout: Duration::from_millis(10_000),
            read_timeout: Duration::from_millis(30_000),
            max_retries: 8,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(10),
            user_agent: format!(
                "terraform-provider-alicloudvpc/{}",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}
