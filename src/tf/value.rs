//! `Value<T>`: a Terraform value that is known, null or not yet known (unknown).

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The key of the one-entry object that stands for an unknown value inside a [`super::Dynamic`].
/// It cannot collide with an attribute name: Terraform names never contain NUL.
pub(crate) const UNKNOWN_KEY: &str = "\0terraform:unknown";

/// A Terraform attribute value: `Known`, `Null` (not set) or `Unknown` (known only after apply).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
}

impl<T> Value<T> {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    pub fn as_known(&self) -> Option<&T> {
        match self {
            Value::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn into_known(self) -> Option<T> {
        match self {
            Value::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Value<U> {
        match self {
            Value::Known(v) => Value::Known(f(v)),
            Value::Null => Value::Null,
            Value::Unknown => Value::Unknown,
        }
    }

    /// `Known(v)` for `Some(v)`, `Null` for `None`.
    pub fn from_option(v: Option<T>) -> Self {
        v.map_or(Value::Null, Value::Known)
    }
}

impl<T: Serialize> Serialize for Value<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Value::Null => s.serialize_none(),
            Value::Known(v) => v.serialize(s),
            Value::Unknown => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(UNKNOWN_KEY, &true)?;
                m.end()
            }
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Value<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = serde_json::Value::deserialize(d)?;
        if raw.is_null() {
            return Ok(Value::Null);
        }
        if is_unknown_marker(&raw) {
            return Ok(Value::Unknown);
        }
        T::deserialize(raw)
            .map(Value::Known)
            .map_err(D::Error::custom)
    }
}

pub(crate) fn is_unknown_marker(v: &serde_json::Value) -> bool {
    matches!(v, serde_json::Value::Object(m) if m.len() == 1 && m.contains_key(UNKNOWN_KEY))
}

/// A whole number from a Terraform `number`. Terraform's msgpack carries numbers as integers,
/// as float64, or as a decimal string when neither is exact, so all three are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Number(pub i64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = serde_json::Value::deserialize(d)?;
        let whole = |f: f64| -> Result<Number, D::Error> {
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                Ok(Number(f as i64))
            } else {
                Err(D::Error::custom(format!("{f} is not a whole number")))
            }
        };
        match &raw {
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Ok(Number(i)),
                None => whole(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => match s.parse::<i64>() {
                Ok(i) => Ok(Number(i)),
                Err(_) => whole(
                    s.parse::<f64>()
                        .map_err(|_| D::Error::custom(format!("{s:?} is not a number")))?,
                ),
            },
            other => Err(D::Error::custom(format!("expected a number, got {other}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_roundtrip_through_json_tree() {
        for v in [Value::Null, Value::Unknown, Value::Known("x".to_string())] {
            let tree = serde_json::to_value(&v).expect("serialize");
            let back: Value<String> = serde_json::from_value(tree).expect("deserialize");
            assert_eq!(back, v);
        }
    }

    #[test]
    fn number_accepts_int_float_and_decimal_string() {
        let n: Number = serde_json::from_value(serde_json::json!(5)).expect("int");
        assert_eq!(n, Number(5));
        let n: Number = serde_json::from_value(serde_json::json!(5.0)).expect("float");
        assert_eq!(n, Number(5));
        let n: Number = serde_json::from_value(serde_json::json!("17")).expect("string");
        assert_eq!(n, Number(17));
        assert!(serde_json::from_value::<Number>(serde_json::json!(1.5)).is_err());
        assert!(serde_json::from_value::<Number>(serde_json::json!("x")).is_err());
    }
}
