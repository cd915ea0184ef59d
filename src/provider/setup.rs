//! Configure: turns the provider block, the environment and the aliyun CLI file into a ready
//! API client, with one diagnostic per problem, each pointing at its attribute.

use std::path::PathBuf;
use std::time::Duration;

use super::activation::Api;
use super::config::{
    self, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_RETRIES, DEFAULT_READ_TIMEOUT_MS, ProviderConfig,
};
use super::credentials::{self, Env};
use super::{Configured, region};
use crate::alicloud::{Client, ClientConfig, Protocol, SignVersion};
use crate::tf::{AttrPath, Diagnostic, Diagnostics, Value};

/// A resource or data source without `region_id` where the provider has no region either; on
/// the object's own `region_id`, the one line that can fix it alone.
pub fn no_region() -> Diagnostic {
    Diagnostic::error(
        "No region configured",
        "Set region_id on this resource or data source, or give the provider a region in one of these ways: region in the provider block (e.g. region = \"cn-hangzhou\"), the environment variable ALIBABA_CLOUD_REGION (or ALICLOUD_REGION), or region_id in the selected aliyun CLI profile.",
    )
    .at(AttrPath::attr("region_id"))
}

fn env_first(env: Env<'_>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| env(n).filter(|v| !v.is_empty()))
}

/// Builds the configured provider, or says everything that is wrong with the configuration.
pub fn configure(
    c: &ProviderConfig,
    env: Env<'_>,
    home: Option<PathBuf>,
) -> Result<(Configured, Diagnostics), Diagnostics> {
    let diags = config::validate(c);
    if diags.has_errors() {
        return Err(diags);
    }
    let resolved = credentials::resolve(c, env, home)?;
    let skip = matches!(c.skip_region_validation, Value::Known(true));
    let region = c
        .region
        .as_known()
        .cloned()
        .or_else(|| env_first(env, &["ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"]))
        .or(resolved.profile_region.clone());
    // No region is fine here: every resource and data source may set its own region_id, and
    // the ones that do not get an error on that line when they need one.
    if let Some(r) = &region
        && let Err(e) = region::check(r, skip)
    {
        return Err(e.at(AttrPath::attr("region")).into());
    }
    let endpoints = c.endpoints.as_known().cloned().unwrap_or_default();
    let endpoint =
        |v: &Value<String>, var: &str| v.as_known().cloned().or_else(|| env_first(env, &[var]));
    // The block's values were checked on their lines by config::validate; the environment's
    // are checked here, naming the variable (no line of the configuration holds them).
    let mut bad_env = Diagnostics::default();
    for (v, var) in [
        (&endpoints.vpc, "ALIBABA_CLOUD_ENDPOINT_VPC"),
        (&endpoints.sts, "ALIBABA_CLOUD_ENDPOINT_STS"),
    ] {
        if v.as_known().is_none()
            && let Some(value) = env_first(env, &[var])
            && let Some(problem) = crate::alicloud::endpoint::problem(&value)
        {
            bad_env.push(Diagnostic::error(
                format!("Invalid {var}"),
                format!("The environment variable {var} is {value:?}, which {problem}. Set it to a host name such as \"vpc.cn-hangzhou.aliyuncs.com\" or a URL such as \"http://127.0.0.1:8765\", or unset it."),
            ));
        }
    }
    if bad_env.has_errors() {
        return Err(bad_env);
    }
    let ms = |v: &Value<config::AnyNumber>, default: i64| {
        Duration::from_millis(config::whole_or(v, default).max(0) as u64)
    };
    let client_config = ClientConfig {
        vpc_endpoint: endpoint(&endpoints.vpc, "ALIBABA_CLOUD_ENDPOINT_VPC"),
        sts_endpoint: endpoint(&endpoints.sts, "ALIBABA_CLOUD_ENDPOINT_STS"),
        ecs_metadata_endpoint: endpoints.ecs_metadata.as_known().cloned(),
        protocol: match c.protocol.as_known().map(|p| p.to_ascii_uppercase()) {
            Some(p) if p == "HTTP" => Protocol::Http,
            _ => Protocol::Https,
        },
        sign_version: match c.sign_version.as_known().map(|v| v.to_ascii_lowercase()) {
            Some(v) if v == "v3" => SignVersion::V3,
            _ => SignVersion::V1,
        },
        connect_timeout: ms(&c.client_connect_timeout, DEFAULT_CONNECT_TIMEOUT_MS),
        read_timeout: ms(&c.client_read_timeout, DEFAULT_READ_TIMEOUT_MS),
        max_retries: config::whole_or(&c.max_retries, DEFAULT_MAX_RETRIES).max(0) as u32,
        ..ClientConfig::default()
    };
    let client = Client::new(client_config).map_err(|e| {
        Diagnostics::from(Diagnostic::error("Invalid endpoint", format!("{e}. Write endpoints as a host name or a URL such as \"http://127.0.0.1:8765\".")).at(AttrPath::attr("endpoints")))
    })?;
    log::debug!(credentials = resolved.chain.source.as_str(), region = region.as_deref().unwrap_or(""); "provider configured");
    Ok((
        Configured {
            region,
            skip_region_validation: skip,
            api: Api::new(client, resolved.chain),
            pools: Default::default(),
            eips: Default::default(),
        },
        diags,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_from_the_environment_is_checked_and_named() {
        let env = |k: &str| {
            match k {
                "ALIBABA_CLOUD_ACCESS_KEY_ID" => Some("id"),
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET" => Some("secret"),
                "ALIBABA_CLOUD_REGION" => Some("cn-hangzhou"),
                "ALIBABA_CLOUD_ENDPOINT_VPC" => Some("http://[::1:8765"),
                _ => None,
            }
            .map(str::to_string)
        };
        let e = match configure(&ProviderConfig::default(), &env, None) {
            Err(e) => e,
            Ok(_) => panic!("the bad endpoint is refused"),
        };
        assert_eq!(e.0.len(), 1, "{e:?}");
        assert_eq!(e.0[0].summary, "Invalid ALIBABA_CLOUD_ENDPOINT_VPC");
        assert_eq!(e.0[0].attribute, None, "no configuration line holds it");
        assert!(e.0[0].detail.contains("does not close it"), "{e:?}");
    }
}
