//! The documentation under `docs/`, in the Terraform Registry's format (what `tfplugindocs`
//! produces), rendered from the schema descriptions (`provider::schemas()`) and the files under
//! `examples/`. Pure functions: `tests/it/docs.rs` compares the result with `docs/` and
//! rewrites it with `UPDATE_DOCS=1 cargo test --test it docs::`.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::provider::data_sources::public_ip_address_pool_service as data_source;
use crate::provider::resources::public_ip_address_pool_service as resource;
use crate::provider::schemas;
use crate::tf::{Attribute, Block, NestedBlock, Type};

/// The command that regenerates `docs/`; named in the test's failure message.
pub const REGENERATE: &str = "UPDATE_DOCS=1 cargo test --test it docs::";

const PROVIDER_NAME: &str = "alicloudvpc";

const PROVIDER_EXAMPLE: &str = include_str!("../examples/provider/provider.tf");
const PROVIDER_GUIDE: &str = include_str!("docs/provider_guide.md");
const RESOURCE_EXAMPLE: &str =
    include_str!("../examples/resources/alicloudvpc_public_ip_address_pool_service/resource.tf");
const RESOURCE_IMPORT: &str =
    include_str!("../examples/resources/alicloudvpc_public_ip_address_pool_service/import.sh");
const RESOURCE_IMPORT_BLOCK: &str = include_str!(
    "../examples/resources/alicloudvpc_public_ip_address_pool_service/import-by-string-id.tf"
);
const DATA_SOURCE_EXAMPLE: &str = include_str!(
    "../examples/data-sources/alicloudvpc_public_ip_address_pool_service/data-source.tf"
);

/// Every generated page: its path relative to the repository root and its content.
pub fn render_all() -> Vec<(PathBuf, String)> {
    vec![
        (PathBuf::from("docs/index.md"), render_index()),
        (
            PathBuf::from("docs/resources/public_ip_address_pool_service.md"),
            render_resource(),
        ),
        (
            PathBuf::from("docs/data-sources/public_ip_address_pool_service.md"),
            render_data_source(),
        ),
    ]
}

/// `docs/index.md`: the provider, its arguments, credentials, endpoints, emulator and limits.
pub fn render_index() -> String {
    let s = schemas().provider;
    let mut out = front_matter(
        &format!("{PROVIDER_NAME} Provider"),
        first_sentence(s.block.description),
    );
    let _ = write!(
        out,
        "# {PROVIDER_NAME} Provider\n\n{}\n\n## Example Usage\n\n{}\n{}\n",
        s.block.description,
        code("terraform", PROVIDER_EXAMPLE),
        PROVIDER_GUIDE.trim_end()
    );
    out.push('\n');
    out.push_str(&schema_section(&s.block));
    finish(out)
}

/// The resource's page.
pub fn render_resource() -> String {
    let s = schemas()
        .resources
        .into_iter()
        .find(|(n, _)| *n == resource::TYPE_NAME)
        .map(|(_, s)| s)
        .unwrap_or_default();
    let name = resource::TYPE_NAME;
    let mut out = front_matter(
        &format!("{name} Resource - {PROVIDER_NAME}"),
        s.block.description,
    );
    let _ = write!(
        out,
        "# {name} (Resource)\n\n{}\n\n## Example Usage\n\n{}\n",
        s.block.description,
        code("terraform", RESOURCE_EXAMPLE)
    );
    out.push_str(&schema_section(&s.block));
    if let Some(t) = s.block.blocks.iter().find(|b| b.name == "timeouts") {
        let _ = write!(out, "\n## Timeouts\n\n{}\n\n", t.block.description);
        for a in &t.block.attributes {
            let _ = writeln!(out, "- `{}`: {}", a.name, a.description);
        }
        out.push_str(&format!(
            "\n{}",
            code(
                "terraform",
                &format!("resource \"{name}\" \"this\" {{\n  timeouts {{\n    create = \"10m\"\n    read   = \"2m\"\n  }}\n}}\n")
            )
        ));
    }
    let _ = write!(
        out,
        "\n## Import\n\nThe import ID is the region ID. Importing a region where the feature is not active fails with Terraform's \"Cannot import non-existent remote object\" error.\n\n\
         In Terraform 1.5 and later, use an `import` block:\n\n{}\n\
         The `terraform import` command can also be used:\n\n{}",
        code("terraform", RESOURCE_IMPORT_BLOCK),
        code("shell", RESOURCE_IMPORT)
    );
    finish(out)
}

/// The data source's page.
pub fn render_data_source() -> String {
    let s = schemas()
        .data_sources
        .into_iter()
        .find(|(n, _)| *n == data_source::TYPE_NAME)
        .map(|(_, s)| s)
        .unwrap_or_default();
    let name = data_source::TYPE_NAME;
    let mut out = front_matter(
        &format!("{name} Data Source - {PROVIDER_NAME}"),
        s.block.description,
    );
    let _ = write!(
        out,
        "# {name} (Data Source)\n\n{}\n\n## Example Usage\n\n{}\n",
        s.block.description,
        code("terraform", DATA_SOURCE_EXAMPLE)
    );
    out.push_str(&schema_section(&s.block));
    finish(out)
}

fn front_matter(title: &str, description: &str) -> String {
    let mut out = format!("---\npage_title: \"{title}\"\nsubcategory: \"\"\ndescription: |-\n");
    for line in description.lines() {
        let _ = writeln!(out, "  {line}");
    }
    out.push_str("---\n\n");
    out
}

fn first_sentence(s: &str) -> &str {
    s.find(". ").map_or(s, |i| &s[..=i])
}

fn code(lang: &str, body: &str) -> String {
    format!("```{lang}\n{}\n```\n", body.trim_end())
}

/// Ends with exactly one newline.
fn finish(mut out: String) -> String {
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

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

/// One entry of a schema list, in tfplugindocs' form.
enum Entry<'a> {
    Attr(&'a Attribute),
    Block(&'a NestedBlock),
}

impl Entry<'_> {
    fn name(&self) -> &str {
        match self {
            Entry::Attr(a) => a.name,
            Entry::Block(b) => b.name,
        }
    }

    fn line(&self, anchor_prefix: &str) -> String {
        match self {
            Entry::Attr(a) => {
                let sensitive = if a.sensitive { ", Sensitive" } else { "" };
                format!(
                    "- `{}` ({}{sensitive}) {}",
                    a.name,
                    type_name(a.ty),
                    a.description
                )
            }
            Entry::Block(b) => format!(
                "- `{}` (Block, Optional) {} (see [below for nested schema](#{}))",
                b.name,
                b.block.description,
                anchor(anchor_prefix, b.name)
            ),
        }
    }
}

fn anchor(prefix: &str, name: &str) -> String {
    format!("nestedblock--{prefix}{name}")
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

fn schema_section(block: &Block) -> String {
    let mut out = String::from("## Schema\n");
    for (title, entries) in groups(block) {
        if entries.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {title}\n");
        for e in &entries {
            let _ = writeln!(out, "{}", e.line(""));
        }
    }
    nested_sections(&mut out, block, "");
    out
}

fn nested_sections(out: &mut String, block: &Block, prefix: &str) {
    for b in &block.blocks {
        let id = anchor(prefix, b.name);
        let path = format!("{}{}", prefix.replace("--", "."), b.name);
        let _ = write!(
            out,
            "\n<a id=\"{id}\"></a>\n### Nested Schema for `{path}`\n"
        );
        let inner_prefix = format!("{prefix}{}--", b.name);
        for (title, entries) in groups(&b.block) {
            if entries.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{title}:\n");
            for e in &entries {
                let _ = writeln!(out, "{}", e.line(&inner_prefix));
            }
        }
        nested_sections(out, &b.block, &inner_prefix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_page_has_the_registry_sections() {
        let page = render_resource();
        assert!(page.starts_with("---\npage_title: \"alicloudvpc_public_ip_address_pool_service Resource - alicloudvpc\"\n"), "{page}");
        for needle in [
            "## Example Usage",
            "### Optional",
            "### Read-Only",
            "- `region_id` (String) ",
            "- `enabled` (Boolean) ",
            "- `timeouts` (Block, Optional) ",
            "(see [below for nested schema](#nestedblock--timeouts))",
            "<a id=\"nestedblock--timeouts\"></a>\n### Nested Schema for `timeouts`",
            "## Timeouts",
            "## Import",
            "terraform import alicloudvpc_public_ip_address_pool_service.this cn-hangzhou",
            "import {",
        ] {
            assert!(page.contains(needle), "missing {needle:?} in:\n{page}");
        }
    }

    #[test]
    fn index_lists_sensitive_arguments_and_required_nested_ones() {
        let page = render_index();
        assert!(
            page.contains("- `secret_key` (String, Sensitive) "),
            "{page}"
        );
        assert!(page.contains("<a id=\"nestedblock--assume_role\"></a>"));
        assert!(
            page.contains("Required:\n\n- `role_arn` (String) "),
            "{page}"
        );
        assert!(page.ends_with(".\n") || page.ends_with(")\n"), "{page}");
    }
}
