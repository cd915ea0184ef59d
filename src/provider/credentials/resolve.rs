//! Resolving the chain from the provider block, the environment and the aliyun CLI file, in
//! the order the parent module lists, with a diagnostic naming the setting to fix.

use std::path::PathBuf;

use tokio::sync::Mutex;

use super::{Base, Chain, Env, Origin, Resolved};
use crate::alicloud::{AssumeRoleRequest, Credentials, Secret};
use crate::provider::config::{self, DEFAULT_SESSION_EXPIRATION, ProviderConfig};
use crate::provider::profile;
use crate::tf::{AttrPath, Diagnostic, Diagnostics, Value};

fn first(env: Env<'_>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| env(n).filter(|v| !v.is_empty()))
}

/// Like [`first`], with the name of the variable that was set.
fn first_named(env: Env<'_>, names: &[&'static str]) -> Option<(String, &'static str)> {
    names
        .iter()
        .find_map(|n| env(n).filter(|v| !v.is_empty()).map(|v| (v, *n)))
}

fn known(v: &Value<String>) -> Option<String> {
    v.as_known().filter(|s| !s.is_empty()).cloned()
}

fn no_credentials() -> Diagnostic {
    Diagnostic::error(
        "No Alibaba Cloud credentials found",
        "Provide credentials in one of these ways (first found wins):\n\
         1. access_key and secret_key in the provider block, or the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY), plus security_token / ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials;\n\
         2. profile (or ALIBABA_CLOUD_PROFILE / ALICLOUD_PROFILE) naming a profile of the aliyun CLI file ~/.aliyun/config.json (or shared_credentials_file / ALIBABA_CLOUD_CREDENTIALS_FILE);\n\
         3. ecs_role_name (or ALIBABA_CLOUD_ECS_METADATA / ALICLOUD_ECS_ROLE_NAME) on an ECS instance with a RAM role;\n\
         4. the current profile of the aliyun CLI file, as written by `aliyun configure`.\n\
         An assume_role block then assumes a RAM role with those credentials.",
    )
}

/// Resolves the chain from the configuration, the environment and the CLI file.
pub fn resolve(
    c: &ProviderConfig,
    env: Env<'_>,
    home: Option<PathBuf>,
) -> Result<Resolved, Diagnostics> {
    let access_key = known(&c.access_key)
        .or_else(|| first(env, &["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"]));
    let secret_key = known(&c.secret_key).or_else(|| {
        first(
            env,
            &["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"],
        )
    });
    let token = known(&c.security_token).or_else(|| {
        first(
            env,
            &["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"],
        )
    });
    let profile_name =
        known(&c.profile).or_else(|| first(env, &["ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE"]));
    let ecs_role = known(&c.ecs_role_name)
        .map(|r| (r, Origin::Provider("ecs_role_name")))
        .or_else(|| {
            first_named(
                env,
                &["ALIBABA_CLOUD_ECS_METADATA", "ALICLOUD_ECS_ROLE_NAME"],
            )
            .map(|(r, var)| (r, Origin::Env(var)))
        });
    // A file the user named must exist; only the default location may be absent.
    let file_setting = match known(&c.shared_credentials_file) {
        Some(_) => Some("shared_credentials_file"),
        None => first(env, &["ALIBABA_CLOUD_CREDENTIALS_FILE"])
            .map(|_| "ALIBABA_CLOUD_CREDENTIALS_FILE"),
    };
    let file = profile::path(
        c.shared_credentials_file.as_known().map(String::as_str),
        env("ALIBABA_CLOUD_CREDENTIALS_FILE"),
        home,
    );

    let mut roles = Vec::new();
    let mut role_origins = Vec::new();
    let mut base_origin = Origin::Provider("access_key");
    let mut profile_region = None;
    let (base, source) = match (access_key, secret_key) {
        (Some(id), Some(secret)) => (
            Base::Static(Credentials {
                access_key_id: id,
                access_key_secret: Secret::new(secret),
                security_token: token.map(Secret::new),
            }),
            "access key (provider block or environment)".to_string(),
        ),
        (Some(_), None) => {
            return Err(Diagnostic::error("Missing secret_key", "An AccessKey ID is set but no secret: set secret_key, or ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_SECRET_KEY).")
                .at(AttrPath::attr("secret_key"))
                .into());
        }
        (None, Some(_)) => {
            return Err(Diagnostic::error("Missing access_key", "An AccessKey secret is set but no ID: set access_key, or ALIBABA_CLOUD_ACCESS_KEY_ID (or ALICLOUD_ACCESS_KEY).")
                .at(AttrPath::attr("access_key"))
                .into());
        }
        (None, None) => {
            let explicit_profile = profile_name.is_some();
            if !explicit_profile && let Some((role, origin)) = ecs_role.clone() {
                base_origin = origin;
                (
                    Base::EcsRole(role.clone()),
                    format!("ECS instance RAM role {role:?}"),
                )
            } else {
                let Some(path) = file else {
                    return Err(no_credentials().into());
                };
                let loaded = profile::load(&path).map_err(Diagnostics::from)?;
                let cfg = match loaded {
                    Some(cfg) => cfg,
                    None if file_setting.is_some() => {
                        return Err(missing_file(&path, file_setting.unwrap_or_default()).into());
                    }
                    None if explicit_profile => {
                        return Err(Diagnostic::error(
                            "aliyun CLI configuration file not found",
                            format!("Profile {:?} was requested but {} does not exist. Create it with `aliyun configure`, or set shared_credentials_file (or ALIBABA_CLOUD_CREDENTIALS_FILE) to the right file.", profile_name.unwrap_or_default(), path.display()),
                        )
                        .at(AttrPath::attr("profile"))
                        .into());
                    }
                    None => return Err(no_credentials().into()),
                };
                let p = cfg
                    .select(profile_name.as_deref(), &path)
                    .map_err(|d| Diagnostics::from(d.at(AttrPath::attr("profile"))))?;
                profile_region = Some(p.region_id.clone()).filter(|r| !r.is_empty());
                let base = from_profile(p, &path, &mut roles)?;
                let origin = Origin::Profile {
                    name: p.name.clone(),
                    path: path.display().to_string(),
                };
                base_origin = origin.clone();
                role_origins.extend(roles.iter().map(|_| origin.clone()));
                (base, format!("profile {:?} of {}", p.name, path.display()))
            }
        }
    };
    if let Value::Known(ar) = &c.assume_role {
        let role_arn = ar.role_arn.as_known().cloned().unwrap_or_default();
        roles.push(AssumeRoleRequest {
            role_arn,
            role_session_name: known(&ar.session_name).unwrap_or_else(|| "terraform".to_string()),
            duration_seconds: Some(config::whole_or(
                &ar.session_expiration,
                DEFAULT_SESSION_EXPIRATION,
            ) as u32),
            policy: known(&ar.policy),
            external_id: known(&ar.external_id),
        });
        role_origins.push(Origin::Provider("assume_role"));
    }
    let caches = roles
        .iter()
        .map(|_| Mutex::new(None))
        .chain(std::iter::once(Mutex::new(None)))
        .collect();
    Ok(Resolved {
        chain: Chain {
            base,
            roles,
            source,
            base_origin,
            role_origins,
            caches,
        },
        profile_region,
    })
}

fn missing_file(path: &std::path::Path, setting: &str) -> Diagnostic {
    let d = Diagnostic::error(
        "Credentials file not found",
        format!(
            "{setting} names {}, which does not exist. Correct the path, create the file with `aliyun configure`, or remove {setting} to use another credential source.",
            path.display()
        ),
    );
    if setting == "shared_credentials_file" {
        d.at(AttrPath::attr(setting))
    } else {
        d
    }
}

fn from_profile(
    p: &profile::Profile,
    path: &std::path::Path,
    roles: &mut Vec<AssumeRoleRequest>,
) -> Result<Base, Diagnostics> {
    let bad = |what: &str| -> Diagnostics {
        Diagnostic::error(
            "Incomplete aliyun CLI profile",
            format!("Profile {:?} in {} (mode {}) has no {what}. Complete it with `aliyun configure --profile {} --mode {}`.", p.name, path.display(), p.mode, p.name, p.mode),
        )
        .at(AttrPath::attr("profile"))
        .into()
    };
    let ak = || -> Result<Credentials, Diagnostics> {
        if p.access_key_id.is_empty() || p.access_key_secret.is_empty() {
            return Err(bad("access_key_id/access_key_secret"));
        }
        Ok(Credentials::access_key(
            p.access_key_id.clone(),
            Secret::new(p.access_key_secret.clone()),
        ))
    };
    match p.mode.as_str() {
        "AK" | "" => Ok(Base::Static(ak()?)),
        "StsToken" => {
            if p.sts_token.is_empty() {
                return Err(bad("sts_token"));
            }
            Ok(Base::Static(Credentials { security_token: Some(Secret::new(p.sts_token.clone())), ..ak()? }))
        }
        "RamRoleArn" => {
            if p.ram_role_arn.is_empty() {
                return Err(bad("ram_role_arn"));
            }
            roles.push(AssumeRoleRequest {
                role_arn: p.ram_role_arn.clone(),
                role_session_name: Some(p.ram_session_name.clone()).filter(|s| !s.is_empty()).unwrap_or_else(|| "terraform".into()),
                duration_seconds: Some(if p.expired_seconds >= 900 { p.expired_seconds as u32 } else { DEFAULT_SESSION_EXPIRATION as u32 }),
                policy: None,
                external_id: None,
            });
            Ok(Base::Static(ak()?))
        }
        "EcsRamRole" => {
            if p.ram_role_name.is_empty() {
                return Err(bad("ram_role_name"));
            }
            Ok(Base::EcsRole(p.ram_role_name.clone()))
        }
        other => Err(Diagnostic::error(
            "Unsupported aliyun CLI profile mode",
            format!("Profile {:?} in {} uses mode {other:?}; this provider supports AK, StsToken, RamRoleArn and EcsRamRole. Use one of those, or set access_key/secret_key.", p.name, path.display()),
        )
        .at(AttrPath::attr("profile"))
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_without_any_file() {
        let env = |k: &str| match k {
            "ALICLOUD_ACCESS_KEY" => Some("old-id".to_string()),
            "ALICLOUD_SECRET_KEY" => Some("old-secret".to_string()),
            "ALIBABA_CLOUD_ECS_METADATA" => Some("role".to_string()),
            _ => None,
        };
        let r = resolve(&ProviderConfig::default(), &env, None).expect("resolved");
        assert!(matches!(r.chain.base, Base::Static(ref c) if c.access_key_id == "old-id"));
        let env = |k: &str| (k == "ALIBABA_CLOUD_ECS_METADATA").then(|| "role".to_string());
        let r = resolve(&ProviderConfig::default(), &env, None).expect("resolved");
        assert!(matches!(r.chain.base, Base::EcsRole(ref n) if n == "role"));
        let none = |_: &str| None;
        let e = resolve(&ProviderConfig::default(), &none, None).expect_err("no credentials");
        assert!(e.0[0].summary.contains("No Alibaba Cloud credentials"));
        let half = ProviderConfig {
            access_key: Value::Known("id".into()),
            ..Default::default()
        };
        let e = resolve(&half, &none, None).expect_err("no secret");
        assert_eq!(e.0[0].attribute, Some(AttrPath::attr("secret_key")));
    }

    #[test]
    fn a_credentials_file_that_was_named_must_exist() {
        let env = |k: &str| {
            (k == "ALIBABA_CLOUD_CREDENTIALS_FILE").then(|| "/nonexistent/env.json".to_string())
        };
        let e = resolve(&ProviderConfig::default(), &env, None).expect_err("missing file");
        assert_eq!(e.0[0].summary, "Credentials file not found");
        assert!(
            e.0[0]
                .detail
                .starts_with("ALIBABA_CLOUD_CREDENTIALS_FILE names /nonexistent/env.json"),
            "{}",
            e.0[0].detail
        );
        let c = ProviderConfig {
            shared_credentials_file: Value::Known("/nonexistent/attr.json".into()),
            ..Default::default()
        };
        let none = |_: &str| None;
        let e = resolve(&c, &none, None).expect_err("missing file");
        assert_eq!(
            e.0[0].attribute,
            Some(AttrPath::attr("shared_credentials_file"))
        );
        // The default location may be absent: then the error lists every way instead.
        let home = std::env::temp_dir().join("no-such-home-for-alicloudvpc");
        let e = resolve(&ProviderConfig::default(), &none, Some(home)).expect_err("none");
        assert!(e.0[0].summary.contains("No Alibaba Cloud credentials"));
    }
}
