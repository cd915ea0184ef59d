//! The provider binary run by hand: `--version` and `--help` answer without the plugin cookie.

use std::process::Command;

use super::common::provider_bin;

fn run(arg: &str) -> (Option<i32>, String, String) {
    let out = Command::new(provider_bin())
        .arg(arg)
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("run provider");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn version_prints_the_version_and_exits_0() {
    let (code, out, err) = run("--version");
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(
        out.trim(),
        format!(
            "terraform-provider-alicloudvpc {}",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn help_prints_usage_and_exits_0() {
    let (code, out, err) = run("--help");
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.starts_with("Usage: terraform-provider-alicloudvpc"),
        "{out}"
    );
    for option in ["--debug", "--version", "--help", "TF_LOG_PROVIDER"] {
        assert!(out.contains(option), "usage mentions {option}: {out}");
    }
}

#[test]
fn an_unknown_argument_is_refused_with_the_usage() {
    let (code, out, err) = run("--frobnicate");
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(out.is_empty(), "nothing on stdout: {out}");
    assert!(
        err.contains("\"--frobnicate\"") && err.contains("Usage:"),
        "{err}"
    );
}
