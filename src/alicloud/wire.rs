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
}
