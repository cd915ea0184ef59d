//! Runs the real `terraform` binary against the provider under test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Environment variables that would make a test depend on the machine it runs on.
pub const SCRUBBED: &[&str] = &[
    "TF_LOG",
    "TF_LOG_PROVIDER",
    "TF_LOG_PATH",
    "TF_LOG_CORE",
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

/// Finds `terraform`, or fails the test with instructions: these tests never skip silently.
pub fn terraform_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("TERRAFORM") {
        return p.into();
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let candidate = dir.join("terraform");
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!(
        "terraform is not installed, and the end-to-end tests need it. Install Terraform 1.11 \
         (e.g. `apt-get install terraform` from HashiCorp's apt repository, or unzip the release \
         from https://developer.hashicorp.com/terraform/install into a directory on PATH), or set \
         TERRAFORM=/path/to/terraform."
    )
}

/// One isolated Terraform working directory with the provider installed from a local mirror.
pub struct Tf {
    pub root: tempfile::TempDir,
    pub work: PathBuf,
    cli_config: PathBuf,
    env: Vec<(String, String)>,
}

impl Tf {
    /// A new setup whose working directory holds `main.tf` with `config`, and whose mirror
    /// holds the provider under test (a symlink to the binary cargo built).
    pub fn new(config: &str) -> Tf {
        Self::with_providers(config, &[])
    }

    /// Like [`Tf::new`], with more providers in the mirror, each as (`host/namespace/type`,
    /// version, binary): e.g. a stand-in of another provider that a state refers to.
    pub fn with_providers(config: &str, extra: &[(&str, &str, &Path)]) -> Tf {
        let root = tempfile::tempdir().expect("temp dir");
        let mirror = root.path().join("mirror");
        let ours: &[(&str, &str, &Path)] = &[(
            "registry.terraform.io/local/alicloudvpc",
            "0.1.0",
            &super::provider_bin(),
        )];
        let mut include = vec!["registry.terraform.io/local/*".to_string()];
        for (addr, version, bin) in ours.iter().chain(extra) {
            let pkg = mirror.join(format!("{addr}/{version}/linux_amd64"));
            std::fs::create_dir_all(&pkg).expect("mirror dir");
            let name = addr.rsplit('/').next().expect("provider type");
            std::os::unix::fs::symlink(bin, pkg.join(format!("terraform-provider-{name}")))
                .expect("link provider");
            if !addr.starts_with("registry.terraform.io/local/") {
                include.push(addr.to_string());
            }
        }
        Self::in_root(root, config, &mirror, &include)
    }

    /// A new setup whose working directory holds `main.tf` with `config`, installing providers
    /// from the filesystem mirror at `mirror` (packed or unpacked layout).
    pub fn with_mirror(config: &str, mirror: &Path) -> Tf {
        let include = ["registry.terraform.io/local/*".to_string()];
        Self::in_root(
            tempfile::tempdir().expect("temp dir"),
            config,
            mirror,
            &include,
        )
    }

    fn in_root(root: tempfile::TempDir, config: &str, mirror: &Path, include: &[String]) -> Tf {
        let cli_config = root.path().join("terraform.tfrc");
        // A filesystem mirror and no direct {} block: Terraform can never reach a registry.
        std::fs::write(
            &cli_config,
            format!(
                "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = {}\n  }}\n}}\n",
                mirror.display(),
                serde_json::to_string(include).expect("include list")
            ),
        )
        .expect("cli config");
        let work = root.path().join("work");
        std::fs::create_dir_all(&work).expect("work dir");
        std::fs::write(work.join("main.tf"), config).expect("main.tf");
        Tf {
            root,
            work,
            cli_config,
            env: Vec::new(),
        }
    }

    /// Sets an environment variable for every later terraform run.
    pub fn env(&mut self, k: &str, v: &str) -> &mut Self {
        self.env.push((k.to_string(), v.to_string()));
        self
    }

    pub fn write(&self, name: &str, content: &str) {
        std::fs::write(self.work.join(name), content).expect("write file");
    }

    /// Copies the file at `from` into the working directory under its own name.
    pub fn copy_in(&self, from: &Path) {
        let name = from.file_name().expect("file name");
        std::fs::copy(from, self.work.join(name))
            .unwrap_or_else(|e| panic!("copy {} into the work dir: {e}", from.display()));
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.work.join(name)
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(terraform_bin());
        cmd.current_dir(&self.work).args(args);
        for k in SCRUBBED {
            cmd.env_remove(k);
        }
        cmd.env("CHECKPOINT_DISABLE", "1")
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs terraform and returns the output whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run terraform")
    }

    /// Runs terraform, fails the test on a non-zero exit, and returns stdout + stderr.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let text = text(&out);
        assert!(out.status.success(), "terraform {args:?} failed:\n{text}");
        text
    }

    /// Runs terraform expecting failure; returns stdout + stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let text = text(&out);
        assert!(
            !out.status.success(),
            "terraform {args:?} should have failed:\n{text}"
        );
        text
    }

    /// Starts terraform in the background, stdout and stderr going to a file in the setup's
    /// root (no pipe that could fill up while nobody reads it). Read it with [`read`].
    pub fn spawn(&self, args: &[&str], output: &str) -> (std::process::Child, PathBuf) {
        let path = self.root.path().join(output);
        let out = std::fs::File::create(&path).expect("output file");
        let err = out.try_clone().expect("output file");
        let child = self
            .command(args)
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("start terraform");
        (child, path)
    }

    pub fn init(&self) {
        self.ok(&["init", "-no-color", "-input=false"]);
    }

    /// `terraform show -json` of the state, parsed.
    pub fn state_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["show", "-json", "-no-color"])).expect("state json")
    }

    /// The exit code of a terraform command and its output, folded as [`text`] folds it.
    pub fn code(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        (out.status.code().unwrap_or(-1), text(&out))
    }

    /// Asserts that a plan (with refresh) has nothing to do.
    pub fn plan_is_empty(&self) {
        let (c, out) = self.code(&["plan", "-detailed-exitcode", "-no-color"]);
        assert_eq!(c, 0, "the plan should be empty: {out}");
    }

    /// The state's `values` of the root module's resource at `addr` (null when absent).
    pub fn values(&self, addr: &str) -> serde_json::Value {
        self.state_json()["values"]["root_module"]["resources"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["address"] == addr))
            .map(|r| r["values"].clone())
            .unwrap_or(serde_json::Value::Null)
    }
}

/// stdout + stderr with every run of whitespace folded into one space: Terraform wraps
/// diagnostics at 78 columns, and tests look for phrases, not line breaks.
pub fn text(out: &Output) -> String {
    let raw = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}
