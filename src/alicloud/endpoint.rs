//! Where each service lives: defaults, and user overrides given as a host or a full URL.

use reqwest::Url;

use super::config::Protocol;
use super::error::Error;

/// A resolved endpoint: the base URL requests go to and the `host` value V3 signs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    url: Url,
    host: String,
}

impl Endpoint {
    /// Resolves `override_` (a host name, `host:port`, or a full `http(s)://` URL) or, when it is
    /// absent or blank, `default` (same forms). Bare hosts get `protocol`'s scheme.
    pub fn resolve(
        override_: Option<&str>,
        default: &str,
        protocol: Protocol,
    ) -> Result<Self, Error> {
        let raw = override_
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(default);
        let text = if raw.contains("://") {
            raw.to_string()
        } else {
            if raw.contains('/') || raw.contains(char::is_whitespace) {
                return Err(Error::Config(format!(
                    "endpoint {raw:?} is neither a host name nor a URL"
                )));
            }
            format!("{}://{raw}", protocol.scheme())
        };
        let url = Url::parse(&text)
            .map_err(|e| Error::Config(format!("endpoint {raw:?} is not a valid URL: {e}")))?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(Error::Config(format!(
                "endpoint {raw:?} must use http or https"
            )));
        }
        // RPC calls are signed over path "/", so a path prefix would break V3 signatures.
        if url.path() != "/" || url.query().is_some() {
            return Err(Error::Config(format!(
                "endpoint {raw:?} must not carry a path or query"
            )));
        }
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            (None, _) => return Err(Error::Config(format!("endpoint {raw:?} has no host"))),
        };
        Ok(Endpoint { url, host })
    }

    /// The VPC endpoint of `region`, unless overridden.
    pub fn vpc(override_: Option<&str>, region: &str, protocol: Protocol) -> Result<Self, Error> {
        check_region(region)?;
        Self::resolve(override_, &format!("vpc.{region}.aliyuncs.com"), protocol)
    }

    /// The base URL, path `/`.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// `host[:port]` exactly as the HTTP client sends it in the `Host` header.
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// Region IDs become part of a host name, so only the characters real IDs use are accepted.
pub fn check_region(region: &str) -> Result<(), Error> {
    let ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "region {region:?} is not a valid region ID (lower-case letters, digits and '-')"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let e = Endpoint::vpc(None, "cn-hangzhou", Protocol::Https).expect("default");
        assert_eq!(e.url().as_str(), "https://vpc.cn-hangzhou.aliyuncs.com/");
        assert_eq!(e.host(), "vpc.cn-hangzhou.aliyuncs.com");

        let e =
            Endpoint::vpc(Some("vpc.example.com"), "cn-hangzhou", Protocol::Http).expect("host");
        assert_eq!(e.url().as_str(), "http://vpc.example.com/");

        let e =
            Endpoint::resolve(Some("http://127.0.0.1:8765"), "x", Protocol::Https).expect("url");
        assert_eq!(e.url().as_str(), "http://127.0.0.1:8765/");
        assert_eq!(e.host(), "127.0.0.1:8765");

        let e = Endpoint::resolve(Some("localhost:9000"), "x", Protocol::Https).expect("host:port");
        assert_eq!(e.url().as_str(), "https://localhost:9000/");
        assert_eq!(e.host(), "localhost:9000");

        let e = Endpoint::resolve(Some("https://sts.aliyuncs.com:443/"), "x", Protocol::Http)
            .expect("default port");
        assert_eq!(e.host(), "sts.aliyuncs.com");
    }

    #[test]
    fn rejects_bad_input() {
        assert!(Endpoint::vpc(None, "cn-hangzhou.evil.com/", Protocol::Https).is_err());
        assert!(Endpoint::vpc(None, "", Protocol::Https).is_err());
        assert!(Endpoint::resolve(Some("ftp://x"), "x", Protocol::Https).is_err());
        assert!(Endpoint::resolve(Some("http://x/prefix"), "x", Protocol::Https).is_err());
        assert!(Endpoint::resolve(Some("a b"), "x", Protocol::Https).is_err());
    }
}
