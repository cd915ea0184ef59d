//! `docs/` is generated from the schemas and `examples/` (`terraform_provider_alicloudvpc::docs`).
//! These tests fail when it is stale (regenerate with
//! `UPDATE_DOCS=1 cargo test --test it docs::`), and check that every example and every Terraform
//! snippet of the docs is formatted and valid for the real `terraform` with this provider.

use std::path::{Path, PathBuf};

use terraform_provider_alicloudvpc::docs;

use super::common::Tf;
use super::common::terraform::text;

fn root() -> PathBuf {
    docs::root()
}

#[test]
fn docs_match_the_schemas_and_examples() {
    let update = std::env::var("UPDATE_DOCS").is_ok_and(|v| v == "1");
    let docs::Docs {
        pages: rendered,
        missing,
    } = docs::render_all();
    let mut stale = vec![];
    for (path, content) in &rendered {
        let full = root().join(path);
        let current = std::fs::read_to_string(&full).ok();
        if current.as_deref() == Some(content.as_str()) {
            continue;
        }
        if update {
            std::fs::create_dir_all(full.parent().expect("docs path has a parent"))
                .expect("create docs dir");
            std::fs::write(&full, content).expect("write doc");
            eprintln!("wrote {}", path.display());
        } else {
            stale.push(path.display().to_string());
        }
    }
    // Pages for resources or data sources that no longer exist.
    for dir in ["docs/resources", "docs/data-sources"] {
        for entry in std::fs::read_dir(root().join(dir)).into_iter().flatten() {
            let path = Path::new(dir).join(entry.expect("dir entry").file_name());
            if !rendered.iter().any(|(p, _)| *p == path) {
                if update {
                    std::fs::remove_file(root().join(&path)).expect("remove stale doc");
                    eprintln!("removed {}", path.display());
                } else {
                    stale.push(format!("{} (not generated)", path.display()));
                }
            }
        }
    }
    // A guide written straight into docs/guides/ would be lost by the next regeneration if
    // it were removed like a stale page: it is only reported.
    let mut strays = vec![];
    for entry in std::fs::read_dir(root().join("docs/guides"))
        .into_iter()
        .flatten()
    {
        let name = entry.expect("dir entry").file_name();
        let path = Path::new("docs/guides").join(&name);
        if !rendered.iter().any(|(p, _)| *p == path) {
            strays.push(format!(
                "{} has no source: move it to {}/{}",
                path.display(),
                docs::GUIDES,
                name.to_string_lossy()
            ));
        }
    }
    assert!(
        missing.is_empty() && strays.is_empty(),
        "{}{}",
        missing
            .iter()
            .map(|p| format!(
                "{} is missing: every registered type needs its examples (see docs/architecture.md, \"Adding a resource type\"); add it, then run `{}`.\n",
                p.display(),
                docs::REGENERATE
            ))
            .collect::<String>(),
        strays.join("\n")
    );
    assert!(
        stale.is_empty(),
        "docs/ is out of date with the schema descriptions or examples/: {}.\nRegenerate with `{}` and commit the result.",
        stale.join(", "),
        docs::REGENERATE
    );
}

// ---- the real terraform ----

#[test]
fn examples_are_formatted_and_valid() {
    let examples = root().join("examples");
    let fmt = ["fmt", "-check", "-recursive", "-no-color", "examples"];
    let out = Tf::new("")
        .command(&fmt)
        .current_dir(root())
        .output()
        .expect("run terraform");
    assert!(
        out.status.success(),
        "terraform {fmt:?} in {} failed:\n{}",
        root().display(),
        text(&out)
    );

    let provider_tf = examples.join("provider/provider.tf");
    let mut dirs = vec![
        ("provider".to_string(), false),
        ("quickstart".to_string(), false),
        ("workflow".to_string(), false),
    ];
    // Every type's examples, which need the provider block of examples/provider.
    for kind in ["resources", "data-sources"] {
        let mut types: Vec<_> = std::fs::read_dir(examples.join(kind))
            .expect("examples dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        types.sort();
        dirs.extend(types.into_iter().map(|t| (format!("{kind}/{t}"), true)));
    }
    for (dir, needs_provider_block) in dirs {
        // Only the example's own files: no main.tf of the harness's.
        let tf = Tf::new("");
        std::fs::remove_file(tf.path("main.tf")).expect("remove main.tf");
        let mut copied = 0;
        for entry in std::fs::read_dir(examples.join(&dir)).expect("example dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "tf") {
                tf.copy_in(&path);
                copied += 1;
            }
        }
        assert!(copied > 0, "no .tf files in examples/{dir}");
        if needs_provider_block {
            tf.copy_in(&provider_tf);
        }
        tf.ok(&["init", "-input=false", "-no-color"]);
        tf.ok(&["validate", "-no-color"]);
    }
}

/// Every ```terraform snippet of the generated docs is what `terraform fmt` would write.
#[test]
fn doc_snippets_are_formatted() {
    let tf = Tf::new("");
    for (path, content) in docs::render_all().pages {
        let mut rest = content.as_str();
        while let Some(start) = rest.find("```terraform\n") {
            let body_start = start + "```terraform\n".len();
            let end = rest[body_start..]
                .find("```")
                .map(|e| body_start + e)
                .expect("closed code block");
            let snippet = &rest[body_start..end];
            let mut child = tf
                .command(&["fmt", "-no-color", "-"])
                .current_dir(root())
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("run terraform fmt");
            {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .expect("stdin")
                    .write_all(snippet.as_bytes())
                    .expect("write snippet");
            }
            let out = child.wait_with_output().expect("terraform fmt");
            assert!(
                out.status.success(),
                "terraform fmt failed on a snippet of {}:\n{snippet}\n{}",
                path.display(),
                text(&out)
            );
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                snippet,
                "a snippet of {} is not formatted (source: examples/, src/docs/provider_guide.md or src/docs/guides/)",
                path.display()
            );
            rest = &rest[end + 3..];
        }
    }
}
