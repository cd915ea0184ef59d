//! `Value<T>`: a Terraform value that is known, null or not yet known (unknown).

use std::collections::BTreeMap;

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

/// A list or set attribute. Its elements are [`Value`]s because Terraform sends a known list
/// with unknown elements (`zones = [terraform_data.z.output]` at plan, `ids = [x.id]` before `x`
/// exists); a `Value<Vec<String>>` could not hold that configuration at all. Planning copies the
/// list as it came, so the unknown elements stay exactly where the configuration has them.
pub type List<T> = Value<Vec<Value<T>>>;

/// A map attribute: its keys are always known (Terraform makes a map with an unknown key unknown
/// as a whole), its values may not be (`tags = { g = count.index % 2 == 0 ? "a" : "b" }` at
/// validate).
pub type Map<T> = Value<BTreeMap<String, Value<T>>>;

impl<T: Clone> Value<Vec<Value<T>>> {
    /// A known list of known elements.
    pub fn of(items: impl IntoIterator<Item = T>) -> Self {
        Value::Known(items.into_iter().map(Value::Known).collect())
    }

    /// The elements when the list and every element are known: what apply and read work with.
    /// `Unknown` when anything is still unknown, `Null` for null.
    pub fn wholly_known(&self) -> Value<Vec<T>> {
        match self {
            Value::Null => Value::Null,
            Value::Unknown => Value::Unknown,
            Value::Known(items) => items
                .iter()
                .map(|i| i.as_known().cloned())
                .collect::<Option<Vec<T>>>()
                .map_or(Value::Unknown, Value::Known),
        }
    }

    /// The elements known so far with their positions: what validation can check already.
    pub fn known_elements(&self) -> impl Iterator<Item = (usize, &T)> {
        self.as_known()
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, v)| v.as_known().map(|v| (i, v)))
    }
}

impl<T: Clone> Value<BTreeMap<String, Value<T>>> {
    /// A known map of known values.
    pub fn of(entries: impl IntoIterator<Item = (String, T)>) -> Self {
        Value::Known(
            entries
                .into_iter()
                .map(|(k, v)| (k, Value::Known(v)))
                .collect(),
        )
    }

    /// The entries when the map and every value are known; else `Unknown` (or `Null`).
    pub fn wholly_known(&self) -> Value<BTreeMap<String, T>> {
        match self {
            Value::Null => Value::Null,
            Value::Unknown => Value::Unknown,
            Value::Known(m) => m
                .iter()
                .map(|(k, v)| v.as_known().map(|v| (k.clone(), v.clone())))
                .collect::<Option<BTreeMap<String, T>>>()
                .map_or(Value::Unknown, Value::Known),
        }
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
    fn collections_hold_unknown_elements_in_place() {
        let tree = serde_json::json!(["a", super::super::Dynamic::unknown().0, "c"]);
        let list: List<String> = serde_json::from_value(tree.clone()).expect("partial list");
        assert_eq!(list.wholly_known(), Value::Unknown);
        let known: Vec<_> = list
            .known_elements()
            .map(|(i, s)| (i, s.as_str()))
            .collect();
        assert_eq!(known, vec![(0, "a"), (2, "c")]);
        // Encoding gives back the same tree: the unknown element stays second.
        assert_eq!(serde_json::to_value(&list).expect("encode"), tree);
        assert_eq!(
            List::of(["x".to_string()]).wholly_known(),
            Value::Known(vec!["x".to_string()])
        );

        let tree = serde_json::json!({"g": super::super::Dynamic::unknown().0, "k": "v"});
        let map: Map<String> = serde_json::from_value(tree.clone()).expect("partial map");
        assert_eq!(map.wholly_known(), Value::Unknown);
        assert_eq!(serde_json::to_value(&map).expect("encode"), tree);
        let whole = Map::of([("k".to_string(), "v".to_string())]);
        assert_eq!(whole.wholly_known().as_known().map(|m| m.len()), Some(1));
        assert_eq!(Map::<String>::Null.wholly_known(), Value::Null);
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
