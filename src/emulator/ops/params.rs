//! Reading an operation's parameters from the merged query and form map: scalars, booleans,
//! numbers, `Name.N` lists, `Prefix.N.Key`/`Prefix.N.Value` tags, and `MaxResults`/`NextToken`
//! paging with opaque tokens. Every malformed value is an Alibaba-shaped error, never a panic.

use std::collections::BTreeMap;

use crate::alicloud::sign::hex_sha256;
use crate::emulator::error::ApiError;
use crate::emulator::gateway::Parsed;

#[derive(Clone, Copy)]
pub(super) struct Params<'a> {
    p: &'a Parsed,
}

/// Largest `N` accepted in `Name.N`: far above every documented list limit, so a request cannot
/// make the emulator collect an absurd list before the limit check refuses it.
const MAX_INDEX: u32 = 1000;

impl<'a> Params<'a> {
    pub(super) fn new(p: &'a Parsed) -> Self {
        Params { p }
    }

    /// The value as sent, empty included.
    pub(super) fn get(&self, name: &str) -> Option<&'a str> {
        self.p
            .params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value, an empty one counting as absent (SDKs send unset fields as empty strings).
    pub(super) fn opt(&self, name: &str) -> Option<&'a str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    pub(super) fn required(&self, name: &str) -> Result<&'a str, ApiError> {
        self.opt(name).ok_or_else(|| ApiError::missing(name))
    }

    /// `true`/`false` in any case, as the SDKs send booleans.
    pub(super) fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(ApiError::invalid(
                name,
                format!("The parameter {name} \"{v}\" must be true or false."),
            )),
        }
    }

    /// `DryRun`: whether to check the request and answer `DryRunOperation` instead of acting.
    pub(super) fn dry_run(&self) -> Result<bool, ApiError> {
        Ok(self.bool("DryRun")?.unwrap_or(false))
    }

    /// An integer in `range`.
    pub(super) fn number(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<u64>,
    ) -> Result<Option<u64>, ApiError> {
        let Some(v) = self.opt(name) else {
            return Ok(None);
        };
        match v.parse::<u64>() {
            Ok(n) if range.contains(&n) => Ok(Some(n)),
            _ => Err(ApiError::invalid(
                name,
                format!(
                    "The parameter {name} \"{v}\" must be an integer from {} to {}.",
                    range.start(),
                    range.end()
                ),
            )),
        }
    }

    /// Every `name.N=value` in order of `N`, lists being flattened that way on the wire
    /// (`Zones.1`, `PublicIpAddressPoolIds.2`); at most `max` of them.
    pub(super) fn list(&self, name: &str, max: usize) -> Result<Vec<&'a str>, ApiError> {
        let mut items: BTreeMap<u32, &'a str> = BTreeMap::new();
        for (k, v) in &self.p.params {
            if let Some(n) = index(k, name, "") {
                items.insert(n?, v.as_str());
            }
        }
        if items.len() > max {
            return Err(too_many(&format!("{name}.N"), max));
        }
        Ok(items.into_values().filter(|v| !v.is_empty()).collect())
    }

    /// Every `prefix.N.Key` with its `prefix.N.Value` (which may be absent), in order of `N`;
    /// at most `max`. A value without its key is refused.
    pub(super) fn tags(&self, prefix: &str, max: usize) -> Result<Vec<TagParam<'a>>, ApiError> {
        let mut keys: BTreeMap<u32, &'a str> = BTreeMap::new();
        let mut values: BTreeMap<u32, &'a str> = BTreeMap::new();
        for (k, v) in &self.p.params {
            if let Some(n) = index(k, prefix, ".Key") {
                keys.insert(n?, v.as_str());
            } else if let Some(n) = index(k, prefix, ".Value") {
                values.insert(n?, v.as_str());
            }
        }
        if let Some(n) = values.keys().find(|n| !keys.contains_key(n)) {
            return Err(ApiError::missing(&format!("{prefix}.{n}.Key")));
        }
        if keys.len() > max {
            return Err(too_many(&format!("{prefix}.N"), max));
        }
        Ok(keys
            .into_iter()
            .map(|(n, key)| TagParam {
                key,
                value: values.get(&n).copied(),
            })
            .collect())
    }
}

/// One `Tag.N.Key`/`Tag.N.Value` pair as sent.
#[derive(Debug, Clone, Copy)]
pub(super) struct TagParam<'a> {
    pub key: &'a str,
    pub value: Option<&'a str>,
}

/// Whether `tags` carry every tag of a filter (`Tags.N` of the pool list, `Tag.N` of the EIP
/// and tag lists). A filter without a value (or an empty one) matches any value of its key.
pub(super) fn has_tags(tags: &BTreeMap<String, String>, filter: &[TagParam<'_>]) -> bool {
    filter.iter().all(|t| {
        tags.get(t.key)
            .is_some_and(|v| t.value.is_none_or(|want| want.is_empty() || want == v))
    })
}

/// `Some(N)` when `k` is `{name}.{N}{suffix}`; an `N` that is not 1..=MAX_INDEX is an error.
fn index(k: &str, name: &str, suffix: &str) -> Option<Result<u32, ApiError>> {
    let n = k
        .strip_prefix(name)?
        .strip_prefix('.')?
        .strip_suffix(suffix)?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        n.parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_INDEX).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(
                    name,
                    format!("The index of the parameter {k} must be from 1 to {MAX_INDEX}."),
                )
            }),
    )
}

fn too_many(name: &str, max: usize) -> ApiError {
    let base = name.split('.').next().unwrap_or(name);
    ApiError::invalid(
        base,
        format!("The parameter {name} accepts at most {max} items."),
    )
}

/// One page of a list: where it starts and how long it is. `NextToken` is opaque to clients:
/// the offset plus a check over the scope (operation, account, region, pool), so that a token
/// that was altered or comes from another list is refused rather than misread.
pub(super) struct Paging {
    offset: usize,
    size: usize,
    scope: String,
}

/// `MaxResults` limits and default of one list operation.
pub(super) struct PageRule {
    pub min: u64,
    pub max: u64,
    pub default: u64,
}

/// Pool and CIDR block lists: 10 to 100, default 10.
pub(super) const POOL_PAGES: PageRule = PageRule {
    min: 10,
    max: 100,
    default: 10,
};

impl Paging {
    pub(super) fn read(
        params: &Params<'_>,
        rule: &PageRule,
        scope: String,
    ) -> Result<Self, ApiError> {
        let size = params
            .number("MaxResults", rule.min..=rule.max)?
            .unwrap_or(rule.default);
        let offset = match params.opt("NextToken") {
            None => 0,
            Some(token) => decode(&scope, token).ok_or_else(|| {
                ApiError::invalid(
                    "NextToken",
                    format!("The specified NextToken \"{token}\" is not valid for this request."),
                )
            })?,
        };
        Ok(Paging {
            offset,
            size: usize::try_from(size).unwrap_or(usize::MAX),
            scope,
        })
    }

    /// At most `limit` items a page (`--page-size-limit`).
    pub(super) fn capped(mut self, limit: Option<usize>) -> Self {
        if let Some(l) = limit {
            self.size = self.size.min(l);
        }
        self
    }

    /// The page of `items` and the `NextToken` for the rest (empty on the last page).
    pub(super) fn page<T>(&self, items: Vec<T>) -> (Vec<T>, String) {
        let total = items.len();
        let end = self.offset.saturating_add(self.size).min(total);
        let next = if end < total {
            encode(&self.scope, end)
        } else {
            String::new()
        };
        let page = items
            .into_iter()
            .skip(self.offset)
            .take(self.size)
            .collect();
        (page, next)
    }
}

fn check(scope: &str, offset: usize) -> String {
    let digest = hex_sha256(format!("{scope}\u{0}{offset}").as_bytes());
    digest.get(..24).unwrap_or_default().to_string()
}

fn encode(scope: &str, offset: usize) -> String {
    format!("{offset:08x}{}", check(scope, offset))
}

fn decode(scope: &str, token: &str) -> Option<usize> {
    if token.len() != 32 || !token.is_ascii() {
        return None;
    }
    let (hex_offset, mac) = token.split_at(8);
    let offset = usize::from_str_radix(hex_offset, 16).ok()?;
    (check(scope, offset) == mac).then_some(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(pairs: &[(&str, &str)]) -> Parsed {
        let mut p = Parsed::default();
        p.params = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        p
    }

    #[test]
    fn lists_and_tags_flatten_by_index() {
        let p = parsed(&[
            ("Zones.2", "b"),
            ("Zones.1", "a"),
            ("Zones", "ignored"),
            ("ZonesX.1", "ignored"),
            ("Tag.2.Key", "k2"),
            ("Tag.1.Key", "k1"),
            ("Tag.1.Value", "v1"),
        ]);
        let params = Params::new(&p);
        assert_eq!(params.list("Zones", 10).expect("list"), ["a", "b"]);
        let tags = params.tags("Tag", 20).expect("tags");
        assert_eq!(
            tags.iter().map(|t| (t.key, t.value)).collect::<Vec<_>>(),
            [("k1", Some("v1")), ("k2", None)]
        );
        assert!(params.list("Zones", 1).is_err());
        let bad = parsed(&[("Tag.1.Value", "v"), ("Zones.0", "x")]);
        assert_eq!(
            Params::new(&bad)
                .tags("Tag", 20)
                .expect_err("orphan value")
                .code,
            "MissingParameter"
        );
        assert!(Params::new(&bad).list("Zones", 10).is_err());
    }

    #[test]
    fn tokens_round_trip_and_foreign_ones_are_refused() {
        let token = encode("scope-a", 10);
        assert_eq!(decode("scope-a", &token), Some(10));
        assert_eq!(decode("scope-b", &token), None);
        assert_eq!(decode("scope-a", "garbage"), None);
        assert_eq!(decode("scope-a", "é".repeat(16).as_str()), None);
        let paging = Paging {
            offset: 10,
            size: 10,
            scope: "s".into(),
        };
        let (page, next) = paging.page((0..12).collect::<Vec<_>>());
        assert_eq!((page, next), (vec![10, 11], String::new()));
    }
}
