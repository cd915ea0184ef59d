//! `Dynamic`: a whole Terraform object value in a schema-free tree, the form in which values
//! cross from the wire codec to the provider, which decodes them into its typed structs.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::value::{UNKNOWN_KEY, is_unknown_marker};

/// A Terraform value as a JSON tree, where an unknown value is a one-entry marker object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dynamic(pub serde_json::Value);

impl Dynamic {
    pub fn null() -> Self {
        Dynamic(serde_json::Value::Null)
    }

    pub fn unknown() -> Self {
        let mut m = serde_json::Map::new();
        m.insert(UNKNOWN_KEY.to_string(), serde_json::Value::Bool(true));
        Dynamic(serde_json::Value::Object(m))
    }

    pub fn is_null(&self) -> bool {
        self.0.is_null()
    }

    pub fn is_unknown(&self) -> bool {
        is_unknown_marker(&self.0)
    }

    /// Whether a node inside a tree is the unknown marker.
    pub fn is_unknown_node(v: &serde_json::Value) -> bool {
        is_unknown_marker(v)
    }

    /// Paths of every unknown value inside, in order, as `a.b[0].c`.
    pub fn unknown_paths(&self) -> Vec<String> {
        fn walk(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
            if is_unknown_marker(v) {
                out.push(path.to_string());
                return;
            }
            match v {
                serde_json::Value::Object(m) => {
                    for (k, v) in m {
                        let p = if path.is_empty() {
                            k.clone()
                        } else {
                            format!("{path}.{k}")
                        };
                        walk(v, &p, out);
                    }
                }
                serde_json::Value::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        walk(v, &format!("{path}[{i}]"), out);
                    }
                }
                _ => {}
            }
        }
        let mut out = vec![];
        walk(&self.0, "", &mut out);
        out
    }

    /// Whether no value inside is unknown.
    pub fn is_wholly_known(&self) -> bool {
        self.unknown_paths().is_empty()
    }

    /// The value with every unknown inside replaced by null.
    pub fn unknowns_to_null(self) -> Self {
        fn null(v: serde_json::Value) -> serde_json::Value {
            use serde_json::Value as J;
            match v {
                v if is_unknown_marker(&v) => J::Null,
                J::Object(m) => m.into_iter().map(|(k, v)| (k, null(v))).collect(),
                J::Array(a) => a.into_iter().map(null).collect(),
                other => other,
            }
        }
        Dynamic(null(self.0))
    }

    /// Decodes into a typed struct; the error text names the offending field.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, String> {
        T::deserialize(&self.0).map_err(|e| e.to_string())
    }

    /// Encodes a typed struct. Serializing our own plain structs into a JSON tree cannot fail
    /// (no maps with non-string keys, no non-finite floats); a failure still becomes an error.
    pub fn encode<T: Serialize>(v: &T) -> Result<Self, String> {
        serde_json::to_value(v)
            .map(Dynamic)
            .map_err(|e| e.to_string())
    }
}
