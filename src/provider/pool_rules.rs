//! Plan-time checks of pool arguments (`shared/spec/pools.md`): lengths, forbidden prefixes, ISP
//! and business type values, tag rules. Each error points at its attribute.

use std::collections::BTreeMap;

use crate::tf::{AttrPath, Diagnostic, Diagnostics, Map, Value};

pub use crate::alicloud::vpc::pools::{BIZ_TYPES, ISPS};

/// Tags whose keys start with these (in any case) are Alibaba's own, not the user's.
pub const RESERVED_TAG_PREFIXES: &[&str] = &["aliyun", "acs:"];

/// Whether Alibaba added the tag itself (`aliyun…`, `acs:…`): users cannot set or remove such
/// keys, so they are neither accepted in `tags`, shown, nor matched against.
pub fn is_reserved_tag(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    RESERVED_TAG_PREFIXES.iter().any(|p| k.starts_with(p))
}

fn url_prefixed(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// A name or description: at most `max` characters, not starting with `http://`/`https://`.
pub fn text(attr: &str, v: &Value<String>, max: usize) -> Diagnostics {
    let Value::Known(s) = v else {
        return Diagnostics::default();
    };
    let at = AttrPath::attr(attr);
    let n = s.chars().count();
    if n > max {
        return Diagnostic::error(
            format!("{attr} is too long"),
            format!("{attr} has {n} characters; Alibaba Cloud accepts at most {max}."),
        )
        .at(at)
        .into();
    }
    if url_prefixed(s) {
        return Diagnostic::error(
            format!("Invalid {attr}"),
            format!("{attr} must not start with http:// or https:// (Alibaba Cloud refuses it)."),
        )
        .at(at)
        .into();
    }
    Diagnostics::default()
}

/// A value from a fixed list.
pub fn one_of(attr: &str, v: &Value<String>, allowed: &[&str]) -> Diagnostics {
    match v {
        Value::Known(s) if !allowed.contains(&s.as_str()) => Diagnostic::error(
            format!("Invalid {attr}"),
            format!("{s:?} is not one of {}.", allowed.join(", ")),
        )
        .at(AttrPath::attr(attr))
        .into(),
        _ => Diagnostics::default(),
    }
}

/// At most 20 tags; keys of 1 to 128 characters, not starting with `aliyun` or `acs:` and not
/// containing `http://`/`https://`; values of at most 128 characters.
/// Keys are always known; a value still unknown is checked when it is known (at plan or apply).
pub fn tags(v: &Map<String>) -> Diagnostics {
    let mut d = Diagnostics::default();
    let Value::Known(tags) = v else { return d };
    let at = || AttrPath::attr("tags");
    if tags.len() > 20 {
        d.push(
            Diagnostic::error(
                "Too many tags",
                format!(
                    "tags has {} entries; Alibaba Cloud allows at most 20.",
                    tags.len()
                ),
            )
            .at(at()),
        );
    }
    for (k, v) in tags {
        let problem = if k.is_empty() || k.chars().count() > 128 {
            Some("must have 1 to 128 characters")
        } else if is_reserved_tag(k) {
            Some("must not start with \"aliyun\" or \"acs:\", which Alibaba Cloud reserves")
        } else if k.contains("http://") || k.contains("https://") {
            Some("must not contain http:// or https://")
        } else {
            None
        };
        if let Some(p) = problem {
            d.push(
                Diagnostic::error("Invalid tag key", format!("The tag key {k:?} {p}.")).at(at()),
            );
        }
        let Some(v) = v.as_known() else { continue };
        if v.chars().count() > 128 || v.contains("http://") || v.contains("https://") {
            d.push(
                Diagnostic::error(
                    "Invalid tag value",
                    format!("The value of tag {k:?} must have at most 128 characters and no http:// or https://."),
                )
                .at(at()),
            );
        }
    }
    d
}

/// The user's tags from Alibaba's list: without the ones Alibaba adds itself.
pub fn user_tags(tags: &[crate::alicloud::Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter(|t| !is_reserved_tag(&t.key))
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_descriptions() {
        let ok = Value::Known("pool-a".to_string());
        assert!(text("public_ip_address_pool_name", &ok, 128).is_empty());
        let long = Value::Known("x".repeat(129));
        assert!(text("public_ip_address_pool_name", &long, 128).has_errors());
        let url = Value::Known("https://x".to_string());
        let d = text("description", &url, 256);
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("description")));
    }

    #[test]
    fn tag_rules() {
        let tags = |pairs: &[(&str, &str)]| {
            Map::of(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
        };
        assert!(tags(&[("env", "prod")]).as_known().is_some());
        assert!(super::tags(&tags(&[("env", "prod")])).is_empty());
        assert!(super::tags(&tags(&[("aliyun-x", "1")])).has_errors());
        assert!(super::tags(&tags(&[("acs:x", "1")])).has_errors());
        assert!(super::tags(&tags(&[("", "1")])).has_errors());
        let many: Vec<(String, String)> = (0..21).map(|i| (format!("k{i}"), "v".into())).collect();
        assert!(super::tags(&Map::of(many)).has_errors());
        // An unknown value is checked later; a bad key beside it is refused now.
        let mut partial = tags(&[("aliyun-x", "1")]);
        if let Value::Known(m) = &mut partial {
            m.insert("group".into(), Value::Unknown);
        }
        let d = super::tags(&partial);
        assert_eq!(d.0.len(), 1, "{d:?}");
        assert!(d.0[0].detail.contains("aliyun-x"), "{d:?}");
    }

    #[test]
    fn system_tags_are_hidden() {
        let tags = vec![
            crate::alicloud::Tag::new("env", "prod"),
            crate::alicloud::Tag::new("aliyun:managed", "x"),
            crate::alicloud::Tag::new("ACS:rg", "y"),
        ];
        let shown = user_tags(&tags);
        assert_eq!(shown.len(), 1);
        assert_eq!(shown["env"], "prod");
    }

    #[test]
    fn isp_values() {
        assert!(one_of("isp", &Value::Known("BGP".into()), ISPS).is_empty());
        assert!(one_of("isp", &Value::Known("bgp".into()), ISPS).has_errors());
    }
}
