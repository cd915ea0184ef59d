//! DynamicValue codec: Terraform's msgpack (and the JSON of raw prior state) to and from
//! [`Dynamic`] trees, which the provider decodes into its typed structs.
//!
//! Terraform's wire rules (docs/plugin-protocol/object-wire-format.md): null is msgpack nil
//! (`c0`); an unknown value is a msgpack extension, canonically `d4 00 00`, and any extension
//! is read as unknown; numbers may come as integers, float64 or decimal strings.

use crate::tf::Dynamic;

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("the value is not valid msgpack: {0}")]
    Msgpack(String),
    #[error("the value has {0} bytes after the end of the msgpack value")]
    TrailingBytes(usize),
    #[error("the value holds {0}, which Terraform never sends")]
    Unsupported(&'static str),
    #[error("the value is not valid JSON: {0}")]
    Json(String),
}

/// Deepest nesting accepted. The schemas nest at most four levels (object, block, attribute);
/// rmpv's own limit (1024) still lets a hostile value of ~1000 nested arrays overflow the 2 MiB
/// stack of a runtime worker in the recursive conversions below, which aborts the process
/// (found by tests/it/hostile.rs).
const MAX_DEPTH: usize = 64;

/// Decodes a msgpack DynamicValue. Empty bytes (an absent field) decode as null.
pub fn from_msgpack(bytes: &[u8]) -> Result<Dynamic, CodecError> {
    if bytes.is_empty() {
        return Ok(Dynamic::null());
    }
    let mut rd = bytes;
    // rmpv spends two units of depth per array or map level (the value, then its items).
    let v = rmpv::decode::read_value_with_max_depth(&mut rd, 2 * MAX_DEPTH)
        .map_err(|e| CodecError::Msgpack(e.to_string()))?;
    if !rd.is_empty() {
        return Err(CodecError::TrailingBytes(rd.len()));
    }
    to_tree(v).map(Dynamic)
}

fn to_tree(v: rmpv::Value) -> Result<serde_json::Value, CodecError> {
    use serde_json::Value as J;
    Ok(match v {
        rmpv::Value::Nil => J::Null,
        rmpv::Value::Boolean(b) => J::Bool(b),
        rmpv::Value::Integer(i) => match (i.as_i64(), i.as_u64()) {
            (Some(n), _) => J::from(n),
            (None, Some(n)) => J::from(n),
            _ => return Err(CodecError::Unsupported("an integer out of range")),
        },
        rmpv::Value::F32(f) => float(f64::from(f))?,
        rmpv::Value::F64(f) => float(f)?,
        rmpv::Value::String(s) => match s.into_str() {
            Some(s) => J::String(s),
            None => return Err(CodecError::Unsupported("a string that is not UTF-8")),
        },
        rmpv::Value::Binary(_) => return Err(CodecError::Unsupported("binary data")),
        rmpv::Value::Array(items) => {
            J::Array(items.into_iter().map(to_tree).collect::<Result<_, _>>()?)
        }
        rmpv::Value::Map(entries) => {
            let mut m = serde_json::Map::with_capacity(entries.len());
            for (k, v) in entries {
                let key = match k {
                    rmpv::Value::String(s) => s
                        .into_str()
                        .ok_or(CodecError::Unsupported("a map key that is not UTF-8"))?,
                    _ => return Err(CodecError::Unsupported("a map key that is not a string")),
                };
                m.insert(key, to_tree(v)?);
            }
            J::Object(m)
        }
        rmpv::Value::Ext(_, _) => Dynamic::unknown().0,
    })
}

fn float(f: f64) -> Result<serde_json::Value, CodecError> {
    serde_json::Number::from_f64(f)
        .map(serde_json::Value::Number)
        .ok_or(CodecError::Unsupported("a non-finite number"))
}

/// Encodes a tree as msgpack, unknown as the canonical `d4 00 00`.
pub fn to_msgpack(v: &Dynamic) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    write(&mut out, &v.0);
    out
}

fn write(out: &mut Vec<u8>, v: &serde_json::Value) {
    use serde_json::Value as J;
    // Writing into a Vec cannot fail, so the io results below are safely ignored.
    match v {
        J::Null => out.push(0xc0),
        J::Bool(b) => {
            let _ = rmp::encode::write_bool(out, *b);
        }
        J::Number(n) => {
            if let Some(i) = n.as_i64() {
                let _ = rmp::encode::write_sint(out, i);
            } else if let Some(u) = n.as_u64() {
                let _ = rmp::encode::write_uint(out, u);
            } else {
                let _ = rmp::encode::write_f64(out, n.as_f64().unwrap_or(0.0));
            }
        }
        J::String(s) => {
            let _ = rmp::encode::write_str(out, s);
        }
        J::Array(items) => {
            let _ = rmp::encode::write_array_len(out, items.len() as u32);
            for i in items {
                write(out, i);
            }
        }
        J::Object(m) => {
            if Dynamic::is_unknown_node(v) {
                out.extend_from_slice(&[0xd4, 0x00, 0x00]);
                return;
            }
            let _ = rmp::encode::write_map_len(out, m.len() as u32);
            for (k, v) in m {
                let _ = rmp::encode::write_str(out, k);
                write(out, v);
            }
        }
    }
}

/// Parses the JSON raw state Terraform sends in `UpgradeResourceState`.
pub fn from_json(bytes: &[u8]) -> Result<Dynamic, CodecError> {
    serde_json::from_slice(bytes)
        .map(Dynamic)
        .map_err(|e| CodecError::Json(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::Value;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Obj {
        id: Value<String>,
        enabled: Value<bool>,
    }

    #[test]
    fn null_is_c0_and_unknown_is_d40000() {
        assert_eq!(to_msgpack(&Dynamic::null()), vec![0xc0]);
        assert_eq!(to_msgpack(&Dynamic::unknown()), vec![0xd4, 0x00, 0x00]);
        assert!(from_msgpack(&[0xc0]).expect("nil").is_null());
        assert!(from_msgpack(&[0xd4, 0x00, 0x00]).expect("ext").is_unknown());
    }

    #[test]
    fn any_extension_decodes_as_unknown() {
        // fixext 1 of type 5, and ext 8 with a 2-byte payload of type 0x7f.
        assert!(
            from_msgpack(&[0xd4, 0x05, 0x01])
                .expect("fixext")
                .is_unknown()
        );
        assert!(
            from_msgpack(&[0xc7, 0x02, 0x7f, 0x01, 0x02])
                .expect("ext8")
                .is_unknown()
        );
    }

    #[test]
    fn typed_object_round_trip_is_pinned() {
        let obj = Obj {
            id: Value::Known("cn-hangzhou".into()),
            enabled: Value::Unknown,
        };
        let bytes = to_msgpack(&Dynamic::encode(&obj).expect("encode"));
        // fixmap(2), "enabled" -> d40000, "id" -> "cn-hangzhou" (keys in sorted order).
        let mut want = vec![0x82, 0xa7];
        want.extend_from_slice(b"enabled");
        want.extend_from_slice(&[0xd4, 0x00, 0x00, 0xa2]);
        want.extend_from_slice(b"id");
        want.push(0xab);
        want.extend_from_slice(b"cn-hangzhou");
        assert_eq!(bytes, want);
        let back: Obj = from_msgpack(&bytes)
            .expect("decode")
            .decode()
            .expect("typed");
        assert_eq!(back, obj);
    }

    #[test]
    fn null_attribute_and_wrong_type() {
        let bytes = [
            0x82, 0xa2, b'i', b'd', 0xc0, 0xa7, b'e', b'n', b'a', b'b', b'l', b'e', b'd', 0xc3,
        ];
        let obj: Obj = from_msgpack(&bytes)
            .expect("decode")
            .decode()
            .expect("typed");
        assert_eq!(obj.id, Value::Null);
        assert_eq!(obj.enabled, Value::Known(true));
        // "enabled" as a string is a type error the caller turns into a diagnostic.
        let bad = [
            0x82, 0xa2, b'i', b'd', 0xc0, 0xa7, b'e', b'n', b'a', b'b', b'l', b'e', b'd', 0xa1,
            b'x',
        ];
        let err = from_msgpack(&bad)
            .expect("decode")
            .decode::<Obj>()
            .expect_err("type error");
        assert!(err.contains("bool"), "{err}");
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        assert!(from_msgpack(&[0x82, 0xa2]).is_err());
        assert!(from_msgpack(&[0xc0, 0xc0]).is_err());
        assert!(from_msgpack(&[0xc4, 0x01, 0x00]).is_err());
        assert!(from_msgpack(&[0x81, 0x01, 0x02]).is_err());
        assert!(from_json(b"{").is_err());
    }

    #[test]
    fn nesting_beyond_the_limit_is_an_error() {
        let nested = |depth: usize| {
            let mut v = vec![0x91u8; depth];
            v.push(0xc0);
            v
        };
        from_msgpack(&nested(MAX_DEPTH / 2)).expect("within the limit");
        assert!(from_msgpack(&nested(MAX_DEPTH * 2)).is_err());
        assert!(from_msgpack(&nested(100_000)).is_err());
    }

    #[test]
    fn numbers_in_every_wire_form() {
        // int 7, float64 7.0 and the decimal string "7" all decode to 7.
        for bytes in [
            vec![0x07],
            vec![0xcb, 0x40, 0x1c, 0, 0, 0, 0, 0, 0],
            vec![0xa1, b'7'],
        ] {
            let n: crate::tf::Number = from_msgpack(&bytes).expect("decode").decode().expect("n");
            assert_eq!(n.0, 7);
        }
    }
}
