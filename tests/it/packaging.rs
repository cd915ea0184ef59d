//! `scripts/package.sh` produces a release that Terraform installs and runs: the archive, the
//! checksums and the manifest of the Registry layout; the zip installed from a filesystem mirror
//! (packed layout, which Terraform unpacks itself) and its binary from the unpacked layout;
//! `terraform init` and `terraform apply` against the emulator with each.
//!
//! Packs the debug binary cargo built for this test (`PACKAGE_BINARY`) to save a release build.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use super::common::emulator::Emulator;
use super::common::terraform::text;
use super::common::{Tf, provider_bin};

const NAME: &str = "terraform-provider-alicloudvpc";
const VERSION: &str = "1.2.3";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn platform() -> String {
    let os = std::env::consts::OS;
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{os}_{arch}")
}

fn sha256_hex(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).expect("read file")))
}

/// A Terraform setup whose CLI configuration only knows the mirror at `mirror` (no `direct {}`:
/// Terraform never reaches a registry), with a `HOME` of its own, applying the resource against
/// `emulator`.
fn work(mirror: &Path, emulator: &Emulator) -> Tf {
    let mut tf = Tf::with_mirror(
        &format!(
            r#"terraform {{
  required_providers {{
    alicloudvpc = {{
      source  = "local/alicloudvpc"
      version = "{VERSION}"
    }}
  }}
}}

provider "alicloudvpc" {{
  region     = "cn-hangzhou"
  access_key = "emulator-access-key"
  secret_key = "emulator-secret-key"

  endpoints {{
    vpc = "{url}"
    sts = "{url}"
  }}
}}

resource "alicloudvpc_public_ip_address_pool_service" "this" {{}}

output "enabled" {{
  value = alicloudvpc_public_ip_address_pool_service.this.enabled
}}
"#,
            url = emulator.url
        ),
        mirror,
    );
    let home = tf.root.path().join("home");
    std::fs::create_dir_all(&home).expect("home dir");
    tf.env("HOME", &home.display().to_string());
    tf
}

/// init, apply, and the `enabled` output.
fn init_and_apply(tf: &Tf) {
    tf.ok(&["init", "-input=false", "-no-color"]);
    tf.ok(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let out = tf.ok(&["output", "-raw", "-no-color", "enabled"]);
    assert_eq!(out.trim(), "true", "output enabled");
}

/// Where `terraform init` unpacked the provider.
fn installed_binary(tf: &Tf) -> PathBuf {
    tf.path(&format!(
        ".terraform/providers/registry.terraform.io/local/alicloudvpc/{VERSION}/{}/{NAME}_v{VERSION}",
        platform()
    ))
}

#[test]
fn package_installs_from_a_filesystem_mirror_and_applies() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dist = tmp.path().join("dist");

    let out = Command::new("bash")
        .arg(root().join("scripts/package.sh"))
        .arg(VERSION)
        .env("PACKAGE_BINARY", provider_bin())
        .env("DIST_DIR", &dist)
        .output()
        .expect("run scripts/package.sh");
    assert!(
        out.status.success(),
        "scripts/package.sh failed:\n{}",
        text(&out)
    );

    // The three files of the Registry layout.
    let zip_name = format!("{NAME}_{VERSION}_{}.zip", platform());
    let sums_name = format!("{NAME}_{VERSION}_SHA256SUMS");
    let manifest_name = format!("{NAME}_{VERSION}_manifest.json");
    let mut names: Vec<_> = std::fs::read_dir(&dist)
        .expect("dist")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected = vec![zip_name.clone(), sums_name.clone(), manifest_name.clone()];
    expected.sort();
    assert_eq!(names, expected);

    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dist.join(&manifest_name)).expect("manifest"),
    )
    .expect("manifest is JSON");
    assert_eq!(
        manifest,
        serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["5.0"]}})
    );

    let sums = std::fs::read_to_string(dist.join(&sums_name)).expect("SHA256SUMS");
    let mut lines: Vec<_> = sums.lines().collect();
    lines.sort();
    let mut want = vec![
        format!("{}  {zip_name}", sha256_hex(&dist.join(&zip_name))),
        format!(
            "{}  {manifest_name}",
            sha256_hex(&dist.join(&manifest_name))
        ),
    ];
    want.sort();
    assert_eq!(lines, want, "SHA256SUMS");

    let emulator = Emulator::start();

    // Packed layout: the zip itself in the mirror; Terraform checks and unpacks it.
    let packed = tmp.path().join("packed");
    let pkg = packed.join("registry.terraform.io/local/alicloudvpc");
    std::fs::create_dir_all(&pkg).expect("packed mirror");
    std::fs::copy(dist.join(&zip_name), pkg.join(&zip_name)).expect("copy zip");
    let w = work(&packed, &emulator);
    init_and_apply(&w);
    let unpacked_bin = installed_binary(&w);
    assert_eq!(
        sha256_hex(&unpacked_bin),
        sha256_hex(&provider_bin()),
        "the zip holds {NAME}_v{VERSION}, byte for byte the packed binary"
    );

    // Unpacked layout: <host>/<namespace>/<type>/<version>/<os_arch>/terraform-provider-..._v<version>.
    let unpacked = tmp.path().join("unpacked");
    let dir = unpacked.join(format!(
        "registry.terraform.io/local/alicloudvpc/{VERSION}/{}",
        platform()
    ));
    std::fs::create_dir_all(&dir).expect("unpacked mirror");
    std::fs::copy(&unpacked_bin, dir.join(format!("{NAME}_v{VERSION}"))).expect("copy binary");
    init_and_apply(&work(&unpacked, &emulator));
}
