//! `moved` blocks across resource types and providers (`MoveResourceState`), written once for
//! every type: find the type's [`MoveFrom`] entry for the source, convert, fit the result to the
//! schema and check it is a state Terraform can store.
//!
//! Terraform calls this on a fresh, unconfigured provider process before anything else of the
//! plan (no Configure, no UpgradeResourceState of the source), so nothing here may depend on
//! the provider's configuration.

use serde_json::Value as J;

use super::{Typed, decode, encode};
use crate::provider::interface::{MoveFrom, Resource};
use crate::tf::{Block, Diagnostic, Diagnostics, Dynamic, Nesting};

/// A resource instance to move, as Terraform describes it.
#[derive(Debug, Clone)]
pub struct MoveSource {
    /// Fully qualified, e.g. `registry.terraform.io/aliyun/alicloud`.
    pub provider_address: String,
    pub type_name: String,
    pub schema_version: i64,
    /// The source's stored attributes (JSON null when Terraform sent none).
    pub state_json: J,
}

/// Whether `address` (`host/namespace/type`, or just `namespace/type`) is the provider `wanted`
/// (`namespace/type`). Terraform normalises addresses to lower case; compare without case anyway.
fn same_provider(address: &str, wanted: &str) -> bool {
    let tail: Vec<&str> = address.rsplitn(3, '/').take(2).collect();
    let want: Vec<&str> = wanted.rsplitn(2, '/').collect();
    tail.len() == 2
        && tail
            .iter()
            .zip(&want)
            .all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// `alicloud_x of aliyun/alicloud (or hashicorp/alicloud)`, for messages.
fn describe(m: &MoveFrom) -> String {
    match m.providers.split_first() {
        Some((first, [])) => format!("{} of {first}", m.type_name),
        Some((first, rest)) => format!("{} of {first} (or {})", m.type_name, rest.join(", ")),
        None => m.type_name.to_string(),
    }
}

fn cannot_move(target: &str, source: &MoveSource, accepted: &[MoveFrom]) -> Diagnostics {
    let what = format!(
        "{} of provider {} (schema version {})",
        source.type_name, source.provider_address, source.schema_version
    );
    let detail = if accepted.is_empty() {
        format!(
            "A moved block asks to move {what} into {target}, which accepts moved blocks from no other resource type or provider. Remove the moved block and import the existing object into {target} instead (an import block or terraform import)."
        )
    } else {
        let list: Vec<String> = accepted.iter().map(describe).collect();
        format!(
            "A moved block asks to move {what} into {target}, which accepts moved blocks only from {}. Point the moved block at the matching type, or remove it and import the existing object into {target} instead (an import block or terraform import).",
            list.join("; ")
        )
    };
    Diagnostic::error(
        format!("Cannot move {} into {target}", source.type_name),
        detail,
    )
    .into()
}

/// The tree with exactly the block's attributes and nested blocks: missing ones become null,
/// keys the schema does not have are dropped (e.g. a source `timeouts.update` for a type whose
/// block has no update).
fn fit(block: &Block, tree: &J) -> J {
    let J::Object(src) = tree else {
        return J::Null;
    };
    let mut out = serde_json::Map::new();
    for a in &block.attributes {
        out.insert(
            a.name.to_string(),
            src.get(a.name).cloned().unwrap_or(J::Null),
        );
    }
    for b in &block.blocks {
        let v = match (b.nesting, src.get(b.name)) {
            (Nesting::Single, Some(v @ J::Object(_))) => fit(&b.block, v),
            (Nesting::Single, _) => J::Null,
        };
        out.insert(b.name.to_string(), v);
    }
    J::Object(out)
}

impl<R: Resource> Typed<R> {
    /// The moved object's state in this type's schema, wholly known (nulls allowed).
    pub(super) fn move_into(&self, source: &MoveSource) -> Result<Dynamic, Diagnostics> {
        let target = self.inner.type_name();
        let accepted = self.inner.moves_from();
        let Some(mover) = accepted.iter().find(|m| {
            m.type_name == source.type_name
                && m.providers
                    .iter()
                    .any(|p| same_provider(&source.provider_address, p))
        }) else {
            return Err(cannot_move(target, source, accepted));
        };
        if source.schema_version < 0 || source.schema_version > mover.max_schema_version {
            return Err(Diagnostic::error(
                format!("Cannot move {} into {target}", source.type_name),
                format!(
                    "The state of {} has schema version {}, and this provider understands versions 0 to {} of it. A newer {} wrote this state; upgrade this provider, or import the object into {target} instead.",
                    source.type_name,
                    source.schema_version,
                    mover.max_schema_version,
                    source.provider_address
                ),
            )
            .into());
        }
        if !source.state_json.is_object() {
            return Err(Diagnostic::error(
                format!("Cannot move {} into {target}", source.type_name),
                format!(
                    "The stored state of {} is not an object of attributes (Terraform sent {}). Check the state with terraform state pull, or remove the moved block and import the object instead.",
                    source.type_name,
                    kind(&source.state_json)
                ),
            )
            .into());
        }
        let tree = (mover.convert)(&source.state_json)?;
        let tree = fit(&self.schema.block, &tree);
        let state: R::State = decode(target, &Dynamic(tree), "moved state")?;
        let out = encode(&state)?;
        if !out.is_wholly_known() {
            return Err(Diagnostic::error(
                "Internal error moving state",
                format!("The state converted for {target} contains unknown values. This is a bug; please report it."),
            )
            .into());
        }
        Ok(out)
    }
}

fn kind(v: &J) -> &'static str {
    match v {
        J::Null => "no state",
        J::Bool(_) => "a bool",
        J::Number(_) => "a number",
        J::String(_) => "a string",
        J::Array(_) => "a list",
        J::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::{Attribute, NestedBlock, Type};

    #[test]
    fn provider_addresses_match_on_namespace_and_type_whatever_the_host() {
        assert!(same_provider(
            "registry.terraform.io/aliyun/alicloud",
            "aliyun/alicloud"
        ));
        assert!(same_provider(
            "terraform.example.com/Aliyun/alicloud",
            "aliyun/alicloud"
        ));
        assert!(same_provider("aliyun/alicloud", "aliyun/alicloud"));
        assert!(!same_provider(
            "registry.terraform.io/hashicorp/alicloud",
            "aliyun/alicloud"
        ));
        assert!(!same_provider(
            "registry.terraform.io/aliyun/alicloudx",
            "aliyun/alicloud"
        ));
        assert!(!same_provider("alicloud", "aliyun/alicloud"));
        assert!(!same_provider("", "aliyun/alicloud"));
    }

    #[test]
    fn fit_nulls_missing_and_drops_unknown_keys() {
        let block = Block {
            description: "",
            attributes: vec![
                Attribute::computed("id", Type::String, ""),
                Attribute::optional("name", Type::String, ""),
            ],
            blocks: vec![NestedBlock {
                name: "timeouts",
                nesting: Nesting::Single,
                block: Block {
                    description: "",
                    attributes: vec![
                        Attribute::optional("create", Type::String, ""),
                        Attribute::optional("read", Type::String, ""),
                    ],
                    blocks: vec![],
                },
            }],
        };
        let got = fit(
            &block,
            &serde_json::json!({"id": "x", "extra": 1, "timeouts": {"create": "1m", "update": "2m"}}),
        );
        assert_eq!(
            got,
            serde_json::json!({"id": "x", "name": null, "timeouts": {"create": "1m", "read": null}})
        );
        let got = fit(&block, &serde_json::json!({"timeouts": "5m"}));
        assert_eq!(
            got,
            serde_json::json!({"id": null, "name": null, "timeouts": null})
        );
    }

    #[test]
    fn unknown_markers_are_found_anywhere() {
        let mut tree = serde_json::json!({"a": [1, {"b": null}]});
        assert!(Dynamic(tree.clone()).is_wholly_known());
        tree["a"][1]["b"] = Dynamic::unknown().0;
        assert!(!Dynamic(tree).is_wholly_known());
    }
}
