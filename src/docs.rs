//! The documentation under `docs/`, in the Terraform Registry's format (what `tfplugindocs`
//! produces): a page for every type of the registry, rendered from its schema descriptions and
//! its files under `examples/`, the index, and the guides. Only tests and tools call it:
//! `tests/it/docs.rs` compares the result with `docs/` and rewrites it with
//! `UPDATE_DOCS=1 cargo test --test it docs::`.
//!
//! Sources, relative to the repository root:
//! - `examples/resources/<type>/resource.tf`, `import-by-string-id.tf` and `import.sh`;
//! - `examples/data-sources/<type>/data-source.tf`;
//! - `src/docs/guides/<name>.md`, copied as they are to `docs/guides/<name>.md`.
//!
//! The examples are read when rendering, not built in, so that a type registered before its
//! examples exist fails the docs test naming the missing file instead of failing every build.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::provider::config;
use crate::provider::errors::human;
use crate::provider::registry::Registry;
use crate::provider::timeouts::TimeoutSpec;
use crate::tf::Block;

mod schema;
use schema::schema_section;

/// The command that regenerates `docs/`; named in the test's failure message.
pub const REGENERATE: &str = "UPDATE_DOCS=1 cargo test --test it docs::";

/// Where the guides' sources are, relative to the repository root.
pub const GUIDES: &str = "src/docs/guides";

const PROVIDER_NAME: &str = "alicloudvpc";

const PROVIDER_EXAMPLE: &str = include_str!("../examples/provider/provider.tf");
const PROVIDER_GUIDE: &str = include_str!("docs/provider_guide.md");

/// What [`render_all`] produced.
#[derive(Debug, Default)]
pub struct Docs {
    /// Every generated page: its path relative to the repository root and its content.
    pub pages: Vec<(PathBuf, String)>,
    /// Source files a registered type needs and does not have, relative to the root. Its page
    /// is rendered without them.
    pub missing: Vec<PathBuf>,
}

/// The repository root, where `examples/` and the guides' sources are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every page, for the types of [`Registry::standard`].
pub fn render_all() -> Docs {
    render_from(&root(), &Registry::standard())
}

/// Every page of `registry`'s types, with the sources under `root`.
pub fn render_from(root: &Path, registry: &Registry) -> Docs {
    let mut docs = Docs::default();
    docs.pages
        .push((PathBuf::from("docs/index.md"), render_index()));
    let mut sources = Sources {
        root,
        missing: &mut docs.missing,
    };
    for r in &registry.resources {
        let page = render_resource(
            r.type_name(),
            &r.schema().block,
            r.timeouts(),
            r.import_doc(),
            &mut sources,
        );
        docs.pages
            .push((page_path("resources", r.type_name()), page));
    }
    for d in &registry.data_sources {
        let page = render_data_source(d.type_name(), &d.schema().block, &mut sources);
        docs.pages
            .push((page_path("data-sources", d.type_name()), page));
    }
    docs.pages.extend(guides(root));
    docs
}

/// `docs/<kind>/<type without the provider prefix>.md`, as the Registry expects.
fn page_path(kind: &str, type_name: &str) -> PathBuf {
    let short = type_name
        .strip_prefix(&format!("{PROVIDER_NAME}_"))
        .unwrap_or(type_name);
    PathBuf::from(format!("docs/{kind}/{short}.md"))
}

/// The guides' sources, copied unchanged (each carries its own front matter), in name order.
fn guides(root: &Path) -> Vec<(PathBuf, String)> {
    let mut out: Vec<_> = std::fs::read_dir(root.join(GUIDES))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter_map(|p| {
            let name = p.file_name()?.to_owned();
            let content = std::fs::read_to_string(&p).ok()?;
            Some((Path::new("docs/guides").join(name), content))
        })
        .collect();
    out.sort();
    out
}

/// Reads example files, noting the ones that are missing.
struct Sources<'a> {
    root: &'a Path,
    missing: &'a mut Vec<PathBuf>,
}

impl Sources<'_> {
    fn read(&mut self, path: PathBuf) -> Option<String> {
        match std::fs::read_to_string(self.root.join(&path)) {
            Ok(text) => Some(text),
            Err(_) => {
                self.missing.push(path);
                None
            }
        }
    }
}

/// `docs/index.md`: the provider, its arguments, credentials, endpoints, emulator and limits.
pub fn render_index() -> String {
    let block = config::schema().block;
    let mut out = front_matter(
        &format!("{PROVIDER_NAME} Provider"),
        first_sentence(block.description),
    );
    let _ = write!(
        out,
        "# {PROVIDER_NAME} Provider\n\n{}\n\n## Example Usage\n\n{}\n{}\n",
        block.description,
        code("terraform", PROVIDER_EXAMPLE),
        PROVIDER_GUIDE.trim_end()
    );
    out.push('\n');
    out.push_str(&schema_section(&block));
    finish(out)
}

fn render_resource(
    name: &str,
    block: &Block,
    timeouts: &[TimeoutSpec],
    import_doc: &str,
    sources: &mut Sources<'_>,
) -> String {
    let dir = PathBuf::from("examples/resources").join(name);
    let mut out = front_matter(
        &format!("{name} Resource - {PROVIDER_NAME}"),
        block.description,
    );
    let _ = write!(out, "# {name} (Resource)\n\n{}\n\n", block.description);
    if let Some(example) = sources.read(dir.join("resource.tf")) {
        let _ = write!(out, "## Example Usage\n\n{}\n", code("terraform", &example));
    }
    out.push_str(&schema_section(block));
    if let Some(t) = block.blocks.iter().find(|b| b.name == "timeouts") {
        let _ = write!(out, "\n## Timeouts\n\n{}\n\n", t.block.description);
        for a in &t.block.attributes {
            let _ = writeln!(out, "- `{}`: {}", a.name, a.description);
        }
        let _ = write!(
            out,
            "\n{}",
            code("terraform", &timeouts_example(name, timeouts))
        );
    }
    let _ = write!(out, "\n## Import\n\n{}\n\n", import_doc.trim_end());
    if let Some(block) = sources.read(dir.join("import-by-string-id.tf")) {
        let _ = write!(
            out,
            "In Terraform 1.5 and later, use an `import` block:\n\n{}\n",
            code("terraform", &block)
        );
    }
    if let Some(command) = sources.read(dir.join("import.sh")) {
        let _ = write!(
            out,
            "The `terraform import` command can also be used:\n\n{}",
            code("shell", &command)
        );
    }
    finish(out)
}

/// A `timeouts` block setting each of the type's operations to twice its default, aligned as
/// `terraform fmt` aligns it.
fn timeouts_example(name: &str, specs: &[TimeoutSpec]) -> String {
    let width = specs
        .iter()
        .map(|s| s.operation.name().len())
        .max()
        .unwrap_or(0);
    let mut body = String::new();
    for s in specs {
        let _ = writeln!(
            body,
            "    {:<width$} = \"{}\"",
            s.operation.name(),
            human(s.default * 2)
        );
    }
    format!("resource \"{name}\" \"this\" {{\n  timeouts {{\n{body}  }}\n}}\n")
}

fn render_data_source(name: &str, block: &Block, sources: &mut Sources<'_>) -> String {
    let mut out = front_matter(
        &format!("{name} Data Source - {PROVIDER_NAME}"),
        block.description,
    );
    let _ = write!(out, "# {name} (Data Source)\n\n{}\n\n", block.description);
    let example = PathBuf::from("examples/data-sources")
        .join(name)
        .join("data-source.tf");
    if let Some(example) = sources.read(example) {
        let _ = write!(out, "## Example Usage\n\n{}\n", code("terraform", &example));
    }
    out.push_str(&schema_section(block));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::data_sources::public_ip_address_pool_service::ServiceDataSource;
    use crate::provider::dispatch::Typed;
    use crate::provider::resources::public_ip_address_pool_service::ServiceResource;

    fn page(docs: &Docs, path: &str) -> String {
        docs.pages
            .iter()
            .find(|(p, _)| p == Path::new(path))
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| panic!("no page {path}"))
    }

    #[test]
    fn resource_page_has_the_registry_sections() {
        let docs = render_all();
        assert!(docs.missing.is_empty(), "{:?}", docs.missing);
        let page = page(&docs, "docs/resources/public_ip_address_pool_service.md");
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
            "    create = \"10m\"\n    read   = \"2m\"\n",
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

    #[test]
    fn timeouts_example_lists_the_types_own_operations() {
        use crate::provider::timeouts::Operation;
        let spec = |operation, secs| TimeoutSpec {
            operation,
            default: std::time::Duration::from_secs(secs),
            description: "",
        };
        let t = timeouts_example(
            "x",
            &[
                spec(Operation::Create, 300),
                spec(Operation::Read, 60),
                spec(Operation::Delete, 30),
            ],
        );
        assert_eq!(
            t,
            "resource \"x\" \"this\" {\n  timeouts {\n    create = \"10m\"\n    read   = \"2m\"\n    delete = \"1m\"\n  }\n}\n"
        );
    }

    #[test]
    fn guides_are_copied_as_they_are_in_name_order() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join(GUIDES);
        std::fs::create_dir_all(&dir).expect("guides dir");
        let guide = "---\npage_title: \"Migrating\"\n---\n\n# Migrating\n";
        std::fs::write(dir.join("migrating.md"), guide).expect("write");
        std::fs::write(dir.join("a-first.md"), "A\n").expect("write");
        std::fs::write(dir.join("notes.txt"), "not a guide").expect("write");
        let docs = render_from(root.path(), &Registry::standard());
        let guides: Vec<_> = docs
            .pages
            .iter()
            .filter(|(p, _)| p.starts_with("docs/guides"))
            .map(|(p, c)| (p.display().to_string(), c.as_str()))
            .collect();
        assert_eq!(
            guides,
            [
                ("docs/guides/a-first.md".to_string(), "A\n"),
                ("docs/guides/migrating.md".to_string(), guide),
            ]
        );
    }

    #[test]
    fn a_registered_type_without_examples_names_the_missing_files() {
        let empty = tempfile::tempdir().expect("temp dir");
        // The service types only, so that types other branches add do not change the list.
        let registry = Registry {
            resources: vec![Typed::resource(ServiceResource::default())],
            data_sources: vec![Typed::data_source(ServiceDataSource)],
        };
        let docs = render_from(empty.path(), &registry);
        let missing: Vec<_> = docs
            .missing
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        assert_eq!(
            missing,
            [
                "examples/resources/alicloudvpc_public_ip_address_pool_service/resource.tf",
                "examples/resources/alicloudvpc_public_ip_address_pool_service/import-by-string-id.tf",
                "examples/resources/alicloudvpc_public_ip_address_pool_service/import.sh",
                "examples/data-sources/alicloudvpc_public_ip_address_pool_service/data-source.tf",
            ]
        );
        // The pages still render, without the sections those files make.
        let page = page(&docs, "docs/resources/public_ip_address_pool_service.md");
        assert!(page.contains("## Schema") && !page.contains("## Example Usage"));
    }
}
