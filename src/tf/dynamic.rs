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
