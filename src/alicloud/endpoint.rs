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
        parse(raw, protocol).map_err(|problem| Error::Config(format!("endpoint {raw:?} {problem}")))
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

/// What is wrong with `raw` as an endpoint override, as a phrase that follows the value
/// ("has no host", "has port 70000; a port is 1 to 65535"); `None` when it is usable. The
/// configuration checks this at plan time, with the same rules the client applies.
pub fn problem(raw: &str) -> Option<String> {
    parse(raw.trim(), Protocol::Https).err()
}

fn parse(raw: &str, protocol: Protocol) -> Result<Endpoint, String> {
    if raw.is_empty() {
        return Err("is empty".into());
    }
    if raw.contains(char::is_whitespace) {
        return Err("contains white space".into());
    }
    let text = match raw.split_once("://") {
        Some((scheme, _)) => {
            let scheme = scheme.to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return Err(format!(
                    "uses the scheme {scheme:?}; only http:// and https:// work"
                ));
            }
            raw.to_string()
        }
        None if raw.contains('/') => {
            return Err(
                "is neither a host name nor a URL (a URL starts with http:// or https://)".into(),
            );
        }
        None => format!("{}://{raw}", protocol.scheme()),
    };
    let after_scheme = text.split_once("://").map_or("", |(_, r)| r);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    check_authority(authority)?;
    let url = Url::parse(&text).map_err(|e| format!("is not a valid URL ({e})"))?;
    // RPC calls are signed over path "/", so a path prefix would break V3 signatures.
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err("must not carry a path, query or fragment".into());
    }
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        (None, _) => return Err("has no host".into()),
    };
    Ok(Endpoint { url, host })
}

/// Checks `host[:port]` before the URL parser, whose messages ("invalid port number") do not
/// say which part is wrong or how to write it.
fn check_authority(authority: &str) -> Result<(), String> {
    if authority.contains('@') {
        return Err("carries a user name or password; an endpoint takes none".into());
    }
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let Some((addr, after)) = rest.split_once(']') else {
            return Err("opens an IPv6 address with '[' but does not close it with ']'".into());
        };
        if addr.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(format!("has [{addr}], which is not an IPv6 address"));
        }
        match after {
            "" => (authority, None),
            p => match p.strip_prefix(':') {
                Some(port) => (authority, Some(port)),
                None => {
                    return Err(format!(
                        "has {after:?} after the IPv6 address; write [address]:port"
                    ));
                }
            },
        }
    } else if authority.matches(':').count() > 1 {
        return Err(
            "has an IPv6 address without brackets; write it as [::1] or http://[::1]:8765".into(),
        );
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("has no host".into());
    }
    if let Some(port) = port {
        if port.is_empty() {
            return Err("has ':' but no port after it".into());
        }
        match port.parse::<u64>() {
            Ok(p) if (1..=65535).contains(&p) => {}
            Ok(p) => return Err(format!("has port {p}; a port is 1 to 65535")),
            Err(_) => return Err(format!("has port {port:?}, which is not a number")),
        }
    }
    Ok(())
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

    #[test]
    fn problems_name_the_part_that_is_wrong() {
        for ok in [
            "vpc.cn-hangzhou.aliyuncs.com",
            "localhost:9000",
            "http://127.0.0.1:8765",
            "https://[::1]:8443",
            "[::1]",
            "HTTP://Example.com/",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for (bad, phrase) in [
            ("", "is empty"),
            ("ftp://x", "scheme \"ftp\""),
            ("http://", "has no host"),
            ("http://:8080", "has no host"),
            ("http://h:70000", "port 70000; a port is 1 to 65535"),
            ("h:0", "port 0"),
            ("http://h:", "no port"),
            ("http://h:abc", "\"abc\", which is not a number"),
            ("http://::1:8765", "without brackets"),
            ("fe80::1", "without brackets"),
            ("http://[::1", "does not close it"),
            ("http://[::1]x", "after the IPv6 address"),
            ("http://[zz]:1", "not an IPv6 address"),
            ("http://u:p@h", "user name or password"),
            ("http://h/prefix", "path, query or fragment"),
            ("http://h/#f", "path, query or fragment"),
            ("a/b", "neither a host name nor a URL"),
            ("a b", "white space"),
        ] {
            let p = problem(bad).unwrap_or_else(|| panic!("{bad:?} should be refused"));
            assert!(p.contains(phrase), "{bad:?}: {p}");
        }
    }
}
