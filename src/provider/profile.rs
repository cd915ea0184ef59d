//! The aliyun CLI configuration file (`~/.aliyun/config.json`), read the way the CLI reads it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::tf::Diagnostic;

#[derive(Debug, Deserialize)]
pub struct CliConfig {
    #[serde(default)]
    pub current: String,
    #[serde(default)]
    pub profiles: Vec<Profile>,
}

/// One profile; fields the provider does not use are ignored. Empty strings mean unset, as
/// the CLI writes every field.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub name: String,
    pub mode: String,
    pub access_key_id: String,
    pub access_key_secret: String,
    pub sts_token: String,
    pub ram_role_arn: String,
    pub ram_session_name: String,
    pub expired_seconds: i64,
    pub ram_role_name: String,
    pub region_id: String,
}

/// The file to read: the argument, else `ALIBABA_CLOUD_CREDENTIALS_FILE`, else
/// `~/.aliyun/config.json`.
pub fn path(explicit: Option<&str>, env: Option<String>, home: Option<PathBuf>) -> Option<PathBuf> {
    explicit
        .map(expand_home_with(home.clone()))
        .or_else(|| {
            env.filter(|e| !e.is_empty())
                .map(|e| expand_home_with(home.clone())(&e))
        })
        .or_else(|| home.map(|h| h.join(".aliyun").join("config.json")))
}

fn expand_home_with(home: Option<PathBuf>) -> impl Fn(&str) -> PathBuf {
    move |p: &str| match (p.strip_prefix("~/"), &home) {
        (Some(rest), Some(h)) => h.join(rest),
        _ => PathBuf::from(p),
    }
}

/// Reads the file; `Ok(None)` when it does not exist.
pub fn load(path: &Path) -> Result<Option<CliConfig>, Diagnostic> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Diagnostic::error(
                "Cannot read the aliyun CLI configuration file",
                format!(
                    "Reading {} failed: {e}. Fix its permissions, or point shared_credentials_file (or ALIBABA_CLOUD_CREDENTIALS_FILE) at another file.",
                    path.display()
                ),
            ));
        }
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        Diagnostic::error(
            "Malformed aliyun CLI configuration file",
            format!("{} is not a valid aliyun CLI configuration (JSON with \"current\" and \"profiles\"): {e}. Recreate it with `aliyun configure`, or fix the JSON.", path.display()),
        )
    })
}

impl CliConfig {
    /// The named profile, or the file's `current` one when `name` is None.
    pub fn select(&self, name: Option<&str>, path: &Path) -> Result<&Profile, Diagnostic> {
        let wanted = name.unwrap_or(&self.current);
        self.profiles.iter().find(|p| p.name == wanted).ok_or_else(|| {
            let names: Vec<_> = self.profiles.iter().map(|p| p.name.as_str()).collect();
            Diagnostic::error(
                "Profile not found",
                format!(
                    "Profile {wanted:?} is not in {} (it has: {}). Set profile (or ALIBABA_CLOUD_PROFILE) to one of them, or create it with `aliyun configure --profile {wanted}`.",
                    path.display(),
                    if names.is_empty() { "no profiles".to_string() } else { names.join(", ") }
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_precedence() {
        let home = Some(PathBuf::from("/home/u"));
        assert_eq!(
            path(Some("~/x.json"), Some("/e.json".into()), home.clone()),
            Some(PathBuf::from("/home/u/x.json"))
        );
        assert_eq!(
            path(None, Some("/e.json".into()), home.clone()),
            Some(PathBuf::from("/e.json"))
        );
        assert_eq!(
            path(None, None, home),
            Some(PathBuf::from("/home/u/.aliyun/config.json"))
        );
    }

    #[test]
    fn select_profiles() {
        let c: CliConfig = serde_json::from_str(
            r#"{"current":"b","profiles":[{"name":"a","mode":"AK"},{"name":"b","mode":"StsToken","extra":1}]}"#,
        )
        .expect("parse");
        let p = Path::new("/f");
        assert_eq!(c.select(None, p).expect("current").name, "b");
        assert_eq!(c.select(Some("a"), p).expect("named").mode, "AK");
        let e = c.select(Some("zz"), p).expect_err("missing");
        assert!(
            e.detail.contains("/f") && e.detail.contains("\"zz\""),
            "{}",
            e.detail
        );
    }
}
