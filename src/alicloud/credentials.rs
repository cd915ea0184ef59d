//! Access keys and STS tokens. Secrets are wrapped so that no `{:?}` or `{}` can print them.

use std::fmt;

use serde::{Deserialize, Deserializer};

/// A secret string (access key secret, security token). `Debug` and `Display` print
/// `** redacted **`; the value is only reachable through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for signing and for nothing that is logged.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// What signs a request: an access key pair, plus a security token for STS credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub access_key_secret: Secret,
    pub security_token: Option<Secret>,
}

impl Credentials {
    /// Long-lived access key credentials (no security token).
    pub fn access_key(id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Credentials {
            access_key_id: id.into(),
            access_key_secret: secret.into(),
            security_token: None,
        }
    }

    /// The security token, treating an empty one as absent (the CLI config writes `""`).
    pub fn token(&self) -> Option<&str> {
        self.security_token
            .as_ref()
            .map(Secret::expose)
            .filter(|t| !t.is_empty())
    }
}

/// STS credentials with the instant they stop working; refresh them before `expiration`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemporaryCredentials {
    pub credentials: Credentials,
    pub expiration: time::OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let c = Credentials {
            access_key_id: "id".into(),
            access_key_secret: "very-secret".into(),
            security_token: Some("tok-123".into()),
        };
        let shown = format!("{c:?} {}", c.access_key_secret);
        assert!(!shown.contains("very-secret") && !shown.contains("tok-123"));
        assert!(shown.contains("** redacted **"));
        assert_eq!(c.access_key_secret.expose(), "very-secret");
    }

    #[test]
    fn empty_token_is_absent() {
        let mut c = Credentials::access_key("id", "s");
        c.security_token = Some("".into());
        assert_eq!(c.token(), None);
    }
}
