//! Small conversions between the provider's plain types and the generated protocol types.

use super::dynamic::{self, CodecError};
use super::proto::tfplugin5 as pb;
use crate::tf::{self, AttrPath, Diagnostic, Diagnostics, Dynamic, Severity};

pub fn diagnostics(d: Diagnostics) -> Vec<pb::Diagnostic> {
    d.0.into_iter().map(diagnostic).collect()
}

pub fn diagnostic(d: Diagnostic) -> pb::Diagnostic {
    pb::Diagnostic {
        severity: match d.severity {
            Severity::Error => pb::diagnostic::Severity::Error,
            Severity::Warning => pb::diagnostic::Severity::Warning,
        } as i32,
        summary: d.summary,
        detail: d.detail,
        attribute: d.attribute.map(attr_path),
    }
}

pub fn attr_path(p: AttrPath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: p
            .0
            .into_iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    tf::PathStep::Attribute(n) => Selector::AttributeName(n),
                    tf::PathStep::Key(k) => Selector::ElementKeyString(k),
                    tf::PathStep::Index(i) => Selector::ElementKeyInt(i),
                }),
            })
            .collect(),
    }
}

pub fn schema(s: &tf::Schema) -> pb::Schema {
    pb::Schema {
        version: s.version,
        block: Some(block(&s.block)),
    }
}

fn block(b: &tf::Block) -> pb::schema::Block {
    pb::schema::Block {
        version: 0,
        attributes: b.attributes.iter().map(attribute).collect(),
        block_types: b
            .blocks
            .iter()
            .map(|nb| pb::schema::NestedBlock {
                type_name: nb.name.to_string(),
                block: Some(block(&nb.block)),
                nesting: match nb.nesting {
                    tf::Nesting::Single => pb::schema::nested_block::NestingMode::Single,
                } as i32,
                min_items: 0,
                max_items: 0,
            })
            .collect(),
        description: b.description.to_string(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: false,
    }
}

fn attribute(a: &tf::Attribute) -> pb::schema::Attribute {
    pb::schema::Attribute {
        name: a.name.to_string(),
        r#type: a.ty.cty_json(),
        description: a.description.to_string(),
        required: a.required,
        optional: a.optional,
        computed: a.computed,
        sensitive: a.sensitive,
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: false,
        write_only: false,
    }
}

/// Decodes an optional DynamicValue; absent means null. Terraform sends msgpack, except that
/// JSON is accepted where only JSON is set (some test harnesses do that).
pub fn dynamic_in(v: Option<pb::DynamicValue>) -> Result<Dynamic, CodecError> {
    match v {
        None => Ok(Dynamic::null()),
        Some(v) if v.msgpack.is_empty() && !v.json.is_empty() => dynamic::from_json(&v.json),
        Some(v) => dynamic::from_msgpack(&v.msgpack),
    }
}

pub fn dynamic_out(v: &Dynamic) -> pb::DynamicValue {
    pb::DynamicValue {
        msgpack: dynamic::to_msgpack(v),
        json: Vec::new(),
    }
}

/// A value Terraform sent that we cannot read: a bug on one side, reported as an error.
pub fn codec_diagnostic(what: &str, e: CodecError) -> Diagnostics {
    Diagnostic::error(
        format!("Unreadable {what} from Terraform"),
        format!(
            "The provider could not decode the {what}: {e}. This is a bug in the provider or in \
             Terraform; please report it with the output of TF_LOG=TRACE."
        ),
    )
    .into()
}
