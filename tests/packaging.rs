//! `scripts/package.sh` produces a release that Terraform installs and runs: the archive, the
//! checksums and the manifest of the Registry layout; the zip installed from a filesystem mirror
//! (packed layout, which Terraform unpacks itself) and its binary from the unpacked layout;
//! `terraform init` and `terraform apply` against the emulator with each.
//!
//! Packs the debug binary cargo built for this test (`PACKAGE_BINARY`) to save a release build.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use sha2::{Digest, Sha256};

const NAME: &str = "terraform-provider-alicloudvpc";
const VERSION: &str = "1.2.3";
const PROVIDER_BIN: &str = env!("CARGO_BIN_EXE_terraform-provider-alicloudvpc");
const EMULATOR_BIN: &str = env!("CARGO_BIN_EXE_alicloudvpc-emulator");

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

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn sha256_hex(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).expect("read file")))
}

/// The emulator binary on a free loopback port; killed on drop.
struct Emulator {
    child: Child,
    url: String,
}

impl Emulator {
    fn start() -> Emulator {
        let mut child = Command::new(EMULATOR_BIN)
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("emulator stdout"))
            .read_line(&mut line)
            .expect("read the emulator's first line");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from the emulator: {line:?}"))
            .to_string();
        Emulator { child, url }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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

const SCRUBBED: &[&str] = &[
    "TF_LOG",
    "TF_LOG_PROVIDER",
    "TF_LOG_PATH",
    "TF_REATTACH_PROVIDERS",
    "TF_CLI_ARGS",
    "TF_DATA_DIR",
    "TF_PLUGIN_CACHE_DIR",
    "TF_WORKSPACE",
    "ALIBABA_CLOUD_REGION",
    "ALICLOUD_REGION",
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALICLOUD_ACCESS_KEY",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALICLOUD_SECRET_KEY",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALICLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_PROFILE",
    "ALICLOUD_PROFILE",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_ECS_METADATA",
    "ALICLOUD_ECS_ROLE_NAME",
    "ALIBABA_CLOUD_ENDPOINT_VPC",
    "ALIBABA_CLOUD_ENDPOINT_STS",
];

/// A Terraform working directory whose CLI configuration only knows the mirror at `mirror`
/// (no `direct {}`: Terraform never reaches a registry).
struct Work {
    dir: PathBuf,
    cli_config: PathBuf,
    home: PathBuf,
}

impl Work {
    fn new(base: &Path, name: &str, mirror: &Path, emulator: &Emulator) -> Work {
        let dir = base.join(name);
        std::fs::create_dir_all(&dir).expect("work dir");
        let home = base.join(format!("{name}-home"));
        std::fs::create_dir_all(&home).expect("home dir");
        let cli_config = base.join(format!("{name}.tfrc"));
        std::fs::write(
            &cli_config,
            format!(
                "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"registry.terraform.io/local/*\"]\n  }}\n}}\n",
                mirror.display()
            ),
        )
        .expect("cli config");
        std::fs::write(
            dir.join("main.tf"),
            format!(
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
        )
        .expect("main.tf");
        Work {
            dir,
            cli_config,
            home,
        }
    }

    fn ok(&self, args: &[&str]) -> String {
        let mut cmd = Command::new(terraform_bin());
        cmd.current_dir(&self.dir).args(args);
        for k in SCRUBBED {
            cmd.env_remove(k);
        }
        let out = cmd
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("HOME", &self.home)
            .output()
            .expect("run terraform");
        let t = text(&out);
        assert!(
            out.status.success(),
            "terraform {args:?} in {} failed:\n{t}",
            self.dir.display()
        );
        t
    }

    /// init, apply, and the `enabled` output.
    fn init_and_apply(&self) {
        self.ok(&["init", "-input=false", "-no-color"]);
        self.ok(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        let out = self.ok(&["output", "-raw", "-no-color", "enabled"]);
        assert_eq!(out.trim(), "true", "output enabled");
    }

    /// Where `terraform init` unpacked the provider.
    fn installed_binary(&self) -> PathBuf {
        self.dir.join(format!(
            ".terraform/providers/registry.terraform.io/local/alicloudvpc/{VERSION}/{}/{NAME}_v{VERSION}",
            platform()
        ))
    }
}

#[test]
fn package_installs_from_a_filesystem_mirror_and_applies() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dist = tmp.path().join("dist");

    let out = Command::new("bash")
        .arg(root().join("scripts/package.sh"))
        .arg(VERSION)
        .env("PACKAGE_BINARY", PROVIDER_BIN)
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
    let w = Work::new(tmp.path(), "from-zip", &packed, &emulator);
    w.init_and_apply();
    let unpacked_bin = w.installed_binary();
    assert_eq!(
        sha256_hex(&unpacked_bin),
        sha256_hex(Path::new(PROVIDER_BIN)),
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
    let w = Work::new(tmp.path(), "from-dir", &unpacked, &emulator);
    w.init_and_apply();
}
