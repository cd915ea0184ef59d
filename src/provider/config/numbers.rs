//! [`AnyNumber`], the lenient decoding of the block's `number` attributes, and reading a
//! whole number back out of one.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::tf::Value;

/// A Terraform `number` decoded without judgement: an integer, a float or a decimal string
/// all decode, so that [`validate`](super::validate) can say on the attribute's own line
/// that `1.5` is not a whole number, where a strict decoder would fail the whole
/// configuration.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AnyNumber(pub f64);

impl AnyNumber {
    /// The value if it is a whole number (exact in an `i64`).
    pub fn whole(self) -> Option<i64> {
        (self.0.fract() == 0.0 && self.0.abs() < 9.0e15).then_some(self.0 as i64)
    }
}

impl Serialize for AnyNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.whole() {
            Some(i) => s.serialize_i64(i),
            None => s.serialize_f64(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for AnyNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => n
                .as_f64()
                .map(AnyNumber)
                .ok_or_else(|| D::Error::custom(format!("{n} is not a number"))),
            serde_json::Value::String(s) => s
                .trim()
                .parse::<f64>()
                .map(AnyNumber)
                .map_err(|_| D::Error::custom(format!("{s:?} is not a number"))),
            other => Err(D::Error::custom(format!("expected a number, got {other}"))),
        }
    }
}

impl std::fmt::Display for AnyNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.whole() {
            Some(i) => write!(f, "{i}"),
            None => write!(f, "{}", self.0),
        }
    }
}

/// The whole number an attribute holds, or `default` when it is null or unknown. Only for
/// values [`validate`](super::validate) has accepted; a fraction there also falls back to
/// `default`.
pub fn whole_or(v: &Value<AnyNumber>, default: i64) -> i64 {
    v.as_known().and_then(|n| n.whole()).unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::config::{AssumeRoleBlock, ProviderConfig, validate};
    use crate::tf::AttrPath;

    #[test]
    fn numbers_decode_leniently_and_fail_on_their_attribute() {
        let mut raw = serde_json::to_value(ProviderConfig::default()).expect("encode");
        let mut role = serde_json::to_value(AssumeRoleBlock::default()).expect("encode");
        role["role_arn"] = "acs:ram::1:role/r".into();
        role["session_expiration"] = 900.5.into();
        raw["max_retries"] = 1.5.into();
        raw["client_connect_timeout"] = "2.5".into();
        raw["client_read_timeout"] = 1000.into();
        raw["assume_role"] = role;
        let c: ProviderConfig = serde_json::from_value(raw).expect("fractions decode");
        let d = validate(&c);
        let at: Vec<_> =
            d.0.iter()
                .map(|d| (d.attribute.clone(), d.detail.clone()))
                .collect();
        assert_eq!(d.0.len(), 3, "{at:?}");
        assert_eq!(at[0].0, Some(AttrPath::attr("max_retries")));
        assert!(
            at[0]
                .1
                .starts_with("max_retries is 1.5; use a whole number"),
            "{}",
            at[0].1
        );
        assert_eq!(at[1].0, Some(AttrPath::attr("client_connect_timeout")));
        assert!(at[1].1.contains("is 2.5 ms"), "{}", at[1].1);
        assert_eq!(
            at[2].0,
            Some(AttrPath::attrs(&["assume_role", "session_expiration"]))
        );
        assert_eq!(whole_or(&Value::Known(AnyNumber(7.0)), 8), 7);
        assert_eq!(whole_or(&Value::Unknown, 8), 8);
    }
}
