//! What the list data sources share: the `id` of a result, the tags users see, checks of
//! filter values, and the `Calls` of a read.

use sha2::{Digest, Sha256};

use regex::Regex;

use crate::alicloud::Tag;
use crate::provider::pool_rules::is_reserved_tag;
use crate::tf::{AttrPath, Diagnostic, Diagnostics, List, Map, PathStep, Value};

/// Statuses Alibaba reports for pools and blocks: a `status` filter outside them could only
/// ever match nothing, which is almost surely a typo, so it is refused at plan time.
pub const STATUSES: &[&str] = &["Created", "Modifying", "Deleting"];
/// Statuses Alibaba reports for EIPs.
pub const EIP_STATUSES: &[&str] = &[
    "Associating",
    "Unassociating",
    "InUse",
    "Available",
    "Releasing",
];

/// The data source's `id`: stable for the same region and result (in order), different when
/// either changes, and short. Terraform requires a non-empty `id`; an empty result has one too.
pub fn result_id(region: &str, ids: &[String]) -> String {
    let mut h = Sha256::new();
    h.update(region.as_bytes());
    for id in ids {
        // A separator no ID contains, so that ["ab"] and ["a", "b"] differ.
        h.update(b"\n");
        h.update(id.as_bytes());
    }
    hex::encode(&h.finalize()[..8])
}

/// A known string argument, `None` when null (or unknown, which a read never sees).
pub fn known(v: &Value<String>) -> Option<String> {
    v.as_known().cloned()
}

/// The known elements of a list argument; `None` when the list is null or empty, which filters
/// nothing (as `ids = []` does in the official provider).
pub fn known_list(v: &List<String>) -> Option<Vec<String>> {
    let items: Vec<String> = v.known_elements().map(|(_, s)| s.clone()).collect();
    (!items.is_empty()).then_some(items)
}

/// `name_regex`, compiled; an error on that attribute when it is not a valid expression.
pub fn name_regex(pattern: &str) -> Result<Regex, Diagnostic> {
    Regex::new(pattern).map_err(|e| {
        Diagnostic::error(
            "Invalid name_regex",
            format!("name_regex is not a valid regular expression (Rust `regex` syntax, like Go's RE2): {e}"),
        )
        .at(AttrPath::attr("name_regex"))
    })
}

/// The known entries of a `tags` filter, as the API takes them (a value known only at apply
/// is never seen by a read: Terraform defers the read until then).
pub fn tag_filter(tags: &Map<String>) -> Vec<Tag> {
    tags.as_known()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| v.as_known().map(|v| Tag::new(k, v)))
        .collect()
}

/// Refuses a `tags` filter on Alibaba's own tags, which are neither shown nor matched.
pub fn validate_tag_filter(tags: &Map<String>) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for key in tags.as_known().into_iter().flatten().map(|(k, _)| k) {
        if is_reserved_tag(key) {
            diags.push(
                Diagnostic::error(
                    "Tag filter on a system tag",
                    format!("Tag {key:?} starts with `aliyun` or `acs:`: Alibaba Cloud's own tags are not shown, and not matched either."),
                )
                .at(AttrPath::attr("tags")),
            );
        }
    }
    diags
}

/// Refuses a `status` filter that no object can have (`statuses`: what the API reports).
pub fn validate_status(status: &Value<String>, statuses: &[&str]) -> Diagnostics {
    match status.as_known() {
        Some(s) if !statuses.contains(&s.as_str()) => Diagnostic::error(
            "Invalid status filter",
            format!(
                "status {s:?} matches nothing: Alibaba Cloud reports {} (case matters).",
                statuses.join(", ")
            ),
        )
        .at(AttrPath::attr("status"))
        .into(),
        _ => Diagnostics::default(),
    }
}

/// Checks each known element of `ids` with `check` (the problem, if any), pointing at it.
pub fn validate_ids(ids: &List<String>, check: impl Fn(&str) -> Option<String>) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for (i, id) in ids.known_elements() {
        if let Some(problem) = check(id) {
            diags.push(
                Diagnostic::error("Invalid ID in ids", problem).at(AttrPath(vec![
                    PathStep::Attribute("ids".into()),
                    PathStep::Index(i as i64),
                ])),
            );
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_id_is_stable_and_tells_results_apart() {
        let a = result_id("cn-hangzhou", &["ab".into()]);
        assert_eq!(a, result_id("cn-hangzhou", &["ab".into()]));
        assert_ne!(a, result_id("cn-hangzhou", &["a".into(), "b".into()]));
        assert_ne!(a, result_id("cn-beijing", &["ab".into()]));
        assert_eq!(result_id("cn-hangzhou", &[]).len(), 16);
    }

    #[test]
    fn empty_ids_filter_nothing() {
        assert_eq!(known_list(&Value::Known(vec![])), None);
        assert_eq!(known_list(&Value::Null), None);
        assert_eq!(
            known_list(&Value::Known(vec![Value::Known("p".into())])),
            Some(vec!["p".to_string()])
        );
    }

    #[test]
    fn status_filter_is_checked() {
        assert!(validate_status(&Value::Known("Created".into()), STATUSES).is_empty());
        assert!(validate_status(&Value::Known("created".into()), STATUSES).has_errors());
        assert!(validate_status(&Value::Null, STATUSES).is_empty());
        assert!(validate_status(&Value::Known("Available".into()), EIP_STATUSES).is_empty());
        assert!(validate_status(&Value::Known("Created".into()), EIP_STATUSES).has_errors());
    }
}
