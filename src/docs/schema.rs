//! The `## Schema` section as tfplugindocs writes it: required, optional and read-only lists,
//! then a nested section per block and per object-typed attribute, linked by anchors that the
//! Registry's pages use (`nestedblock--timeouts`, `nestedatt--pools`, `nestedobjatt--a--b`).

use std::fmt::Write as _;

use crate::tf::{Attribute, Block, NestedBlock, Type};

/// A type as tfplugindocs names it: `String`, `Set of String`, `List of Object`.
fn type_name(t: Type) -> String {
    match t {
        Type::String => "String".into(),
        Type::Bool => "Boolean".into(),
        Type::Number => "Number".into(),
        Type::List(e) => format!("List of {}", type_name(*e)),
        Type::Set(e) => format!("Set of {}", type_name(*e)),
        Type::Map(e) => format!("Map of {}", type_name(*e)),
        Type::Object(_) => "Object".into(),
    }
}

/// The attributes of an object type, or of the objects of a collection: what gets a nested
/// section.
fn object_fields(t: Type) -> Option<&'static [(&'static str, Type)]> {
    match t {
        Type::Object(fields) => Some(fields),
        Type::List(e) | Type::Set(e) | Type::Map(e) => match *e {
            Type::Object(fields) => Some(fields),
            _ => None,
        },
        _ => None,
    }
}

/// A section below the lists, in the order tfplugindocs writes them (depth first, in the order
/// the entries appear).
enum Nested<'a> {
    Block(Vec<&'a str>, &'a Block),
    /// An object type's fields, under the title of the group its attribute is in.
    Object(Object<'a>),
}

struct Object<'a> {
    path: Vec<&'a str>,
    fields: &'static [(&'static str, Type)],
    group: &'static str,
    /// `nestedatt` for an attribute of a block, `nestedobjatt` for a field of an object.
    kind: &'static str,
}

impl<'a> Object<'a> {
    fn new(
        path: Vec<&'a str>,
        fields: &'static [(&'static str, Type)],
        group: &'static str,
        kind: &'static str,
    ) -> Self {
        Object {
            path,
            fields,
            group,
            kind,
        }
    }

    /// The link to its section, for the line of the attribute or field holding it.
    fn link(&self) -> String {
        see_below(&anchor(self.kind, &self.path))
    }
}

/// The anchor tfplugindocs gives a nested section: `nestedblock--timeouts`, `nestedatt--pools`
/// (an object attribute), `nestedobjatt--pools--tags` (an object inside an object).
fn anchor(kind: &str, path: &[&str]) -> String {
    format!("{kind}--{}", path.join("--"))
}

fn see_below(anchor: &str) -> String {
    format!(" (see [below for nested schema](#{anchor}))")
}

/// `- `name` (Type) description`, without a trailing space when there is no description.
fn line(name: &str, kind: &str, description: &str, extra: &str) -> String {
    let mut s = format!("- `{name}` ({kind})");
    if !description.is_empty() {
        s.push(' ');
        s.push_str(description);
    }
    s.push_str(extra);
    s
}

/// One entry of a block's lists.
enum Entry<'a> {
    Attr(&'a Attribute),
    Block(&'a NestedBlock),
}

impl<'a> Entry<'a> {
    fn name(&self) -> &'a str {
        match self {
            Entry::Attr(a) => a.name,
            Entry::Block(b) => b.name,
        }
    }

    /// The entry's line, and the nested section it links to, if any.
    fn render(&self, parents: &[&'a str], group: &'static str) -> (String, Option<Nested<'a>>) {
        let mut path = parents.to_vec();
        path.push(self.name());
        match self {
            Entry::Attr(a) => {
                let sensitive = if a.sensitive { ", Sensitive" } else { "" };
                let kind = format!("{}{sensitive}", type_name(a.ty));
                match object_fields(a.ty) {
                    Some(fields) => {
                        let object = Object::new(path, fields, group, "nestedatt");
                        (
                            line(a.name, &kind, a.description, &object.link()),
                            Some(Nested::Object(object)),
                        )
                    }
                    None => (line(a.name, &kind, a.description, ""), None),
                }
            }
            Entry::Block(b) => (
                line(
                    b.name,
                    "Block, Optional",
                    b.block.description,
                    &see_below(&anchor("nestedblock", &path)),
                ),
                Some(Nested::Block(path, &b.block)),
            ),
        }
    }
}

/// Required, optional and read-only entries of a block, each group sorted by name.
fn groups(block: &Block) -> [(&'static str, Vec<Entry<'_>>); 3] {
    let mut required = vec![];
    let mut optional = vec![];
    let mut read_only = vec![];
    for a in &block.attributes {
        if a.required {
            required.push(Entry::Attr(a));
        } else if a.optional {
            optional.push(Entry::Attr(a));
        } else {
            read_only.push(Entry::Attr(a));
        }
    }
    // Single nested blocks may always be omitted.
    optional.extend(block.blocks.iter().map(Entry::Block));
    for g in [&mut required, &mut optional, &mut read_only] {
        g.sort_by(|a, b| a.name().cmp(b.name()));
    }
    [
        ("Required", required),
        ("Optional", optional),
        ("Read-Only", read_only),
    ]
}

/// A block's lists: `### Required` at the top level, `Required:` in a nested section.
fn block_lists<'a>(
    out: &mut String,
    block: &'a Block,
    parents: &[&'a str],
    top: bool,
) -> Vec<Nested<'a>> {
    let mut nested = vec![];
    for (title, entries) in groups(block) {
        if entries.is_empty() {
            continue;
        }
        if top {
            let _ = writeln!(out, "\n### {title}\n");
        } else {
            let _ = writeln!(out, "\n{title}:\n");
        }
        for e in &entries {
            let (text, more) = e.render(parents, title);
            let _ = writeln!(out, "{text}");
            nested.extend(more);
        }
    }
    nested
}

/// The `## Schema` section of a page, or of the index.
pub(super) fn schema_section(block: &Block) -> String {
    let mut out = String::from("## Schema\n");
    let nested = block_lists(&mut out, block, &[], true);
    nested_sections(&mut out, nested);
    out
}

fn nested_sections(out: &mut String, sections: Vec<Nested<'_>>) {
    for section in sections {
        match section {
            Nested::Block(path, block) => {
                heading(out, &anchor("nestedblock", &path), &path);
                let inner = block_lists(out, block, &path, false);
                nested_sections(out, inner);
            }
            Nested::Object(object) => {
                heading(out, &anchor(object.kind, &object.path), &object.path);
                object_lists(out, &object);
            }
        }
    }
}

fn heading(out: &mut String, id: &str, path: &[&str]) {
    let _ = write!(
        out,
        "\n<a id=\"{id}\"></a>\n### Nested Schema for `{}`\n",
        path.join(".")
    );
}

/// An object type's fields: no descriptions (cty object types have none), all under the group
/// of the attribute that holds them.
fn object_lists(out: &mut String, object: &Object<'_>) {
    let _ = writeln!(out, "\n{}:\n", object.group);
    let mut sorted: Vec<_> = object.fields.iter().collect();
    sorted.sort_by_key(|(name, _)| *name);
    let mut nested = vec![];
    for (name, ty) in sorted {
        let mut path = object.path.clone();
        path.push(name);
        let kind = type_name(*ty);
        match object_fields(*ty) {
            Some(fields) => {
                let inner = Object::new(path, fields, object.group, "nestedobjatt");
                let _ = writeln!(out, "{}", line(name, &kind, "", &inner.link()));
                nested.push(Nested::Object(inner));
            }
            None => {
                let _ = writeln!(out, "{}", line(name, &kind, "", ""));
            }
        }
    }
    nested_sections(out, nested);
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAGS: Type = Type::Map(&Type::String);
    const POOL: Type = Type::Object(&[
        ("name", Type::String),
        ("id", Type::String),
        ("tags", TAGS),
        ("limits", Type::Object(&[("max", Type::Number)])),
    ]);

    #[test]
    fn collections_and_objects_read_as_tfplugindocs_writes_them() {
        let block = Block {
            description: "",
            attributes: vec![
                Attribute::optional("ids", Type::Set(&Type::String), "IDs to read."),
                Attribute::optional("tags", TAGS, "Tags to match."),
                Attribute::computed("pools", Type::List(&POOL), "The pools found."),
            ],
            blocks: vec![],
        };
        let s = schema_section(&block);
        assert_eq!(
            s,
            "## Schema\n\
             \n### Optional\n\n\
             - `ids` (Set of String) IDs to read.\n\
             - `tags` (Map of String) Tags to match.\n\
             \n### Read-Only\n\n\
             - `pools` (List of Object) The pools found. (see [below for nested schema](#nestedatt--pools))\n\
             \n<a id=\"nestedatt--pools\"></a>\n### Nested Schema for `pools`\n\
             \nRead-Only:\n\n\
             - `id` (String)\n\
             - `limits` (Object) (see [below for nested schema](#nestedobjatt--pools--limits))\n\
             - `name` (String)\n\
             - `tags` (Map of String)\n\
             \n<a id=\"nestedobjatt--pools--limits\"></a>\n### Nested Schema for `pools.limits`\n\
             \nRead-Only:\n\n\
             - `max` (Number)\n"
        );
    }
}
