//! Small serde helpers for Alibaba's JSON, which is loose about some field types.

use serde::{Deserialize, Deserializer};

/// A field documented as a string that some endpoints send as a number (`"Code": 200`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringOrNumber(pub String);

impl<'de> Deserialize<'de> for StringOrNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            S(String),
            N(serde_json::Number),
            B(bool),
        }
        Ok(StringOrNumber(match Raw::deserialize(d)? {
            Raw::S(s) => s,
            Raw::N(n) => n.to_string(),
            Raw::B(b) => b.to_string(),
        }))
    }
}

/// A boolean that may arrive as `true` or as `"true"`.
pub fn bool_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        B(bool),
        S(String),
    }
    match Raw::deserialize(d)? {
        Raw::B(b) => Ok(b),
        Raw::S(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Raw::S(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        Raw::S(s) => Err(serde::de::Error::custom(format!(
            "expected a boolean, got {s:?}"
        ))),
    }
}

/// A string that may arrive as a number or a boolean, or be `null` (read as empty).
pub fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Option::<StringOrNumber>::deserialize(d).map(|s| s.map(|s| s.0).unwrap_or_default())
}

/// A count documented as an integer that may arrive as a string (`"256"`); `null` and `""`
/// read as 0, the SDK models' "not set".
pub fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let Some(StringOrNumber(s)) = Option::<StringOrNumber>::deserialize(d)? else {
        return Ok(0);
    };
    let s = s.trim();
    if s.is_empty() {
        return Ok(0);
    }
    s.parse().map_err(|_| {
        serde::de::Error::custom(format!("expected a non-negative integer, got {s:?}"))
    })
}

/// [`bool_or_string`] that also reads `null` as `false`.
pub fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "bool_or_string")] bool);
    Option::<Wrapped>::deserialize(d).map(|b| b.is_some_and(|b| b.0))
}

/// A list that may be `null` (read as empty).
pub fn lenient_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<Vec<T>>::deserialize(d).map(Option::unwrap_or_default)
}

/// A list the API wraps in an object of one key (`{"Tag": [...]}`, `{"EipAddress": [...]}`), as
/// the `Describe*` operations do; `null`, `{}` and a missing inner list read as empty.
pub fn wrapped_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let wrapper = Option::<std::collections::BTreeMap<String, Option<Vec<T>>>>::deserialize(d)?;
    Ok(wrapper
        .into_iter()
        .flatten()
        .flat_map(|(_, items)| items.unwrap_or_default())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        c: StringOrNumber,
        #[serde(deserialize_with = "bool_or_string")]
        b: bool,
    }

    #[test]
    fn loose_types() {
        let t: T = serde_json::from_str(r#"{"c":200,"b":"true"}"#).expect("number");
        assert_eq!(t.c.0, "200");
        assert!(t.b);
        let t: T = serde_json::from_str(r#"{"c":"200","b":false}"#).expect("string");
        assert_eq!(t.c.0, "200");
        assert!(!t.b);
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct L {
        #[serde(deserialize_with = "lenient_string")]
        s: String,
        #[serde(deserialize_with = "lenient_u64")]
        n: u64,
        #[serde(deserialize_with = "lenient_bool")]
        b: bool,
        #[serde(deserialize_with = "lenient_vec")]
        v: Vec<String>,
    }

    #[test]
    fn lenient_fields() {
        let l: L =
            serde_json::from_str(r#"{"s":5,"n":"256","b":"True","v":["a"]}"#).expect("loose");
        assert_eq!((l.s.as_str(), l.n, l.b, l.v.len()), ("5", 256, true, 1));
        let l: L = serde_json::from_str(r#"{"s":null,"n":null,"b":null,"v":null}"#).expect("nulls");
        assert_eq!((l.s.as_str(), l.n, l.b, l.v.len()), ("", 0, false, 0));
        let l: L = serde_json::from_str(r#"{"n":""}"#).expect("missing fields");
        assert_eq!((l.s.as_str(), l.n, l.b, l.v.len()), ("", 0, false, 0));
        assert!(serde_json::from_str::<L>(r#"{"n":"-1"}"#).is_err());
        assert!(serde_json::from_str::<L>(r#"{"n":"many"}"#).is_err());
    }
}
