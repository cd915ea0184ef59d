//! `docs/` is generated from the schemas and `examples/` (`terraform_provider_alicloudvpc::docs`).
//! These tests fail when it is stale (regenerate with `UPDATE_DOCS=1 cargo test --test docs`),
//! and check that every example and every Terraform snippet of the docs is formatted and valid
//! for the real `terraform` with this provider.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use terraform_provider_alicloudvpc::docs;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn docs_match_the_schemas_and_examples() {
    let update = std::env::var("UPDATE_DOCS").is_ok_and(|v| v == "1");
    let rendered = docs::render_all();
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
    assert!(
        stale.is_empty(),
        "docs/ is out of date with the schema descriptions or examples/: {}.\nRegenerate with `{}` and commit the result.",
        stale.join(", "),
        docs::REGENERATE
    );
}

// ---- the real terraform ----

const SCRUBBED: &[&str] = &[
    "TF_LOG",
    "TF_LOG_PROVIDER",
    "TF_LOG_PATH",
    "TF_REATTACH_PROVIDERS",
    "TF_CLI_ARGS",
    "TF_DATA_DIR",
    "TF_PLUGIN_CACHE_DIR",
    "TF_WORKSPACE",
];

fn terraform_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("TERRAFORM") {
        return p.into();
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("terraform"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "terraform is not installed, and this test needs it. Install Terraform 1.11 \
                 (https://developer.hashicorp.com/terraform/install) or set TERRAFORM=/path/to/terraform."
            )
        })
}

/// A CLI configuration with a filesystem mirror holding the provider under test, and no
/// `direct {}`: Terraform never reaches a registry.
struct Mirror {
    dir: tempfile::TempDir,
}

impl Mirror {
    fn new() -> Mirror {
        let dir = tempfile::tempdir().expect("temp dir");
        let pkg = dir
            .path()
            .join("mirror/registry.terraform.io/local/alicloudvpc/0.1.0/linux_amd64");
        std::fs::create_dir_all(&pkg).expect("mirror dir");
        std::os::unix::fs::symlink(
            env!("CARGO_BIN_EXE_terraform-provider-alicloudvpc"),
            pkg.join("terraform-provider-alicloudvpc"),
        )
        .expect("link provider");
        std::fs::write(
            dir.path().join("terraform.tfrc"),
            format!(
                "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"registry.terraform.io/local/*\"]\n  }}\n}}\n",
                dir.path().join("mirror").display()
            ),
        )
        .expect("cli config");
        Mirror { dir }
    }

    fn terraform(&self, cwd: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(terraform_bin());
        cmd.current_dir(cwd).args(args);
        for k in SCRUBBED {
            cmd.env_remove(k);
        }
        cmd.env("CHECKPOINT_DISABLE", "1")
            .env("TF_CLI_CONFIG_FILE", self.dir.path().join("terraform.tfrc"))
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0");
        cmd
    }

    fn ok(&self, cwd: &Path, args: &[&str]) -> String {
        let out = self.terraform(cwd, args).output().expect("run terraform");
        let text = text(&out);
        assert!(
            out.status.success(),
            "terraform {args:?} in {} failed:\n{text}",
            cwd.display()
        );
        text
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn examples_are_formatted_and_valid() {
    let m = Mirror::new();
    let examples = root().join("examples");
    m.ok(
        &root(),
        &["fmt", "-check", "-recursive", "-no-color", "examples"],
    );

    let provider_tf = examples.join("provider/provider.tf");
    let dirs = [
        ("provider", false),
        ("resources/alicloudvpc_public_ip_address_pool_service", true),
        (
            "data-sources/alicloudvpc_public_ip_address_pool_service",
            true,
        ),
        ("quickstart", false),
    ];
    for (dir, needs_provider_block) in dirs {
        let work = tempfile::tempdir().expect("work dir");
        let mut copied = 0;
        for entry in std::fs::read_dir(examples.join(dir)).expect("example dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "tf") {
                std::fs::copy(&path, work.path().join(path.file_name().expect("name")))
                    .expect("copy example");
                copied += 1;
            }
        }
        assert!(copied > 0, "no .tf files in examples/{dir}");
        if needs_provider_block {
            std::fs::copy(&provider_tf, work.path().join("provider.tf")).expect("copy provider");
        }
        m.ok(work.path(), &["init", "-input=false", "-no-color"]);
        m.ok(work.path(), &["validate", "-no-color"]);
    }
}

/// Every ```terraform snippet of the generated docs is what `terraform fmt` would write.
#[test]
fn doc_snippets_are_formatted() {
    let m = Mirror::new();
    for (path, content) in docs::render_all() {
        let mut rest = content.as_str();
        while let Some(start) = rest.find("```terraform\n") {
            let body_start = start + "```terraform\n".len();
            let end = rest[body_start..]
                .find("```")
                .map(|e| body_start + e)
                .expect("closed code block");
            let snippet = &rest[body_start..end];
            let mut child = m
                .terraform(&root(), &["fmt", "-no-color", "-"])
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
                "a snippet of {} is not formatted (source: examples/ or src/docs/provider_guide.md)",
                path.display()
            );
            rest = &rest[end + 3..];
        }
    }
}
