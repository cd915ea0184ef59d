//! Request structs to RPC parameters: the one place where Alibaba's `Name.N` list flattening
//! happens.
//!
//! RPC APIs take flat `name=value` parameters. The official SDKs serialize a request model to a
//! map and flatten it the same way for every operation: list items are numbered from 1
//! (`Zones.1`, `ResourceId.2`), object fields are joined with a dot (`Tag.1.Key`,
//! `Tag.1.Value`). Doing it once from a `Serialize` struct keeps the per-operation code to field
//! names, and a list parameter can never be spelled differently by two calls.

use serde::Serialize;
use serde_json::Value;

use super::error::Error;

/// Flattens `request` (a struct with PascalCase field names) into RPC parameters. `None` fields
/// (JSON `null`) are left out; booleans are sent as `true`/`false`.
pub(crate) fn to_params<T: Serialize>(request: &T) -> Result<Vec<(String, String)>, Error> {
    let value = serde_json::to_value(request)
        .map_err(|e| Error::Config(format!("cannot encode the request: {e}")))?;
    let Value::Object(fields) = value else {
        return Err(Error::Config("a request must encode as an object".into()));
    };
    let mut params = Vec::new();
    for (name, value) in fields {
        flatten(name, value, &mut params);
    }
    Ok(params)
}

fn flatten(prefix: String, value: Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((prefix, b.to_string())),
        Value::Number(n) => out.push((prefix, n.to_string())),
        Value::String(s) => out.push((prefix, s)),
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                flatten(format!("{prefix}.{}", i + 1), item, out);
            }
        }
        Value::Object(fields) => {
            for (name, value) in fields {
                flatten(format!("{prefix}.{name}"), value, out);
            }
        }
    }
}

/// For `skip_serializing_if`: `DryRun` is sent only when asked for, as the SDKs do.
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Kv {
        key: String,
        value: String,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        name: Option<String>,
        description: Option<String>,
        zones: Vec<String>,
        #[serde(rename = "Tag")]
        tags: Vec<Kv>,
        max_results: Option<u32>,
        #[serde(skip_serializing_if = "is_false")]
        dry_run: bool,
        all: Option<bool>,
    }

    fn sorted(mut p: Vec<(String, String)>) -> Vec<(String, String)> {
        p.sort();
        p
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        sorted(
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn lists_are_numbered_from_one_and_objects_dotted() {
        let r = Request {
            name: Some("pool".into()),
            description: Some(String::new()),
            zones: vec!["cn-hangzhou-a".into(), "cn-hangzhou-b".into()],
            tags: vec![
                Kv {
                    key: "env".into(),
                    value: "prod".into(),
                },
                Kv {
                    key: "team".into(),
                    value: String::new(),
                },
            ],
            max_results: Some(100),
            dry_run: true,
            all: Some(false),
        };
        assert_eq!(
            sorted(to_params(&r).expect("encodes")),
            pairs(&[
                ("All", "false"),
                ("Description", ""),
                ("DryRun", "true"),
                ("MaxResults", "100"),
                ("Name", "pool"),
                ("Tag.1.Key", "env"),
                ("Tag.1.Value", "prod"),
                ("Tag.2.Key", "team"),
                ("Tag.2.Value", ""),
                ("Zones.1", "cn-hangzhou-a"),
                ("Zones.2", "cn-hangzhou-b"),
            ])
        );
    }

    #[test]
    fn unset_fields_and_empty_lists_send_nothing() {
        let r = Request {
            name: None,
            description: None,
            zones: vec![],
            tags: vec![],
            max_results: None,
            dry_run: false,
            all: None,
        };
        assert_eq!(to_params(&r).expect("encodes"), vec![]);
    }

    #[test]
    fn a_non_object_is_refused() {
        assert!(matches!(to_params(&"x"), Err(Error::Config(_))));
    }
}
