//! The emulator binary as a child process, and a small blocking client for its control API.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct Emulator {
    child: Child,
    pub url: String,
    addr: String,
    dir: tempfile::TempDir,
    /// Arguments after `--listen` and `--accounts`, kept for [`Emulator::restart`].
    args: Vec<String>,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A second account for multi-account tests.
pub const OTHER_ACCOUNT: &str = "2222222222222222";
pub const OTHER_KEY: &str = "other-access-key";
pub const OTHER_SECRET: &str = "other-secret-key";

/// Starts the binary on `listen`; returns the child and its URL once it printed its line.
fn spawn(listen: &str, accounts: &Path, args: &[String]) -> Result<(Child, String), String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_alicloudvpc-emulator"))
        .args(["--listen", listen, "--accounts"])
        .arg(accounts)
        .args(args)
        .env("ALICLOUDVPC_EMULATOR_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("start emulator: {e}"))?;
    let mut line = String::new();
    let read = child
        .stdout
        .take()
        .map(|o| BufReader::new(o).read_line(&mut line));
    match (read, line.trim().strip_prefix("listening on ")) {
        (Some(Ok(_)), Some(url)) => Ok((child, url.to_string())),
        _ => {
            let _ = child.kill();
            let status = child.wait().ok();
            Err(format!(
                "emulator did not start (first line {line:?}, exit {status:?})"
            ))
        }
    }
}

impl Emulator {
    pub fn start() -> Emulator {
        Self::start_with(&[])
    }

    /// Starts `alicloudvpc-emulator --listen 127.0.0.1:0` with a second account and `args`.
    pub fn start_with(args: &[&str]) -> Emulator {
        let dir = tempfile::tempdir().expect("temp dir");
        let accounts = dir.path().join("accounts.json");
        std::fs::write(
            &accounts,
            serde_json::json!({"accounts": [{
                "account_id": OTHER_ACCOUNT,
                "access_keys": [{"access_key_id": OTHER_KEY, "access_key_secret": OTHER_SECRET}],
                "ram_roles": [format!("acs:ram::{OTHER_ACCOUNT}:role/deployer")],
                "ecs_roles": ["other-ecs"],
            }]})
            .to_string(),
        )
        .expect("accounts file");
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let (child, url) = spawn("127.0.0.1:0", &accounts, &args).unwrap_or_else(|e| panic!("{e}"));
        let addr = url.trim_start_matches("http://").to_string();
        Emulator {
            child,
            url,
            addr,
            dir,
            args,
        }
    }

    /// Like [`Emulator::start_with`], persisting activations in a state file of its own
    /// (`--state`), so that [`Emulator::restart`] keeps them.
    pub fn start_persistent(args: &[&str]) -> Emulator {
        let mut emu = Self::start_with(args);
        let state = emu.state_file();
        emu.kill();
        emu.args.push("--state".into());
        emu.args.push(state.display().to_string());
        emu.restart();
        emu
    }

    /// The `--state` file of [`Emulator::start_persistent`].
    pub fn state_file(&self) -> PathBuf {
        self.dir.path().join("state.json")
    }

    /// Process ID of the emulator.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no shutdown path runs, as in a crash.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the binary again on the same port with the same arguments (and state file).
    /// Binding may briefly fail while the kernel releases the port: bounded retries.
    pub fn restart(&mut self) {
        let accounts = self.dir.path().join("accounts.json");
        let mut last = String::new();
        for _ in 0..50 {
            match spawn(&self.addr, &accounts, &self.args) {
                Ok((child, url)) => {
                    assert_eq!(url, self.url, "restarted on the same address");
                    self.child = child;
                    return;
                }
                Err(e) => last = e,
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("emulator did not restart on {}: {last}", self.addr);
    }

    /// `host:port`, for raw TCP clients.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// One control-API call; returns (status, parsed JSON body or Null).
    pub fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut s = TcpStream::connect(&self.addr).expect("connect emulator");
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .expect("send");
        let mut raw = String::new();
        s.read_to_string(&mut raw).expect("read");
        let status = raw
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let payload = raw.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        (
            status,
            serde_json::from_str(payload).unwrap_or(serde_json::Value::Null),
        )
    }

    fn ok(&self, method: &str, path: &str, body: Option<serde_json::Value>) -> serde_json::Value {
        let (status, v) = self.call(method, path, body);
        assert!(
            (200..300).contains(&status),
            "{method} {path}: HTTP {status} {v}"
        );
        v
    }

    pub fn set_enabled(&self, account: &str, region: &str, enabled: bool) {
        self.ok(
            "PUT",
            &format!("/_emulator/accounts/{account}/regions/{region}"),
            Some(serde_json::json!({"enabled": enabled})),
        );
    }

    pub fn fault(&self, fault: serde_json::Value) {
        self.ok("POST", "/_emulator/faults", Some(fault));
    }

    pub fn clear_faults(&self) {
        self.ok("DELETE", "/_emulator/faults", None);
    }

    pub fn requests(&self) -> Vec<serde_json::Value> {
        match self.ok("GET", "/_emulator/requests", None) {
            serde_json::Value::Array(a) => a,
            other => other["requests"].as_array().cloned().unwrap_or_default(),
        }
    }

    pub fn clear_requests(&self) {
        self.ok("DELETE", "/_emulator/requests", None);
    }

    pub fn state(&self) -> serde_json::Value {
        self.ok("GET", "/_emulator/state", None)
    }

    /// How many requests of `action` the emulator has seen (optionally only successful ones).
    pub fn count(&self, action: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r["action"] == action)
            .count()
    }

    /// Whether the account's region reports enabled, per the control API's state.
    pub fn enabled(&self, account: &str, region: &str) -> bool {
        let state = self.state();
        state["accounts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| a["account_id"] == account)
            .any(|a| {
                a["enabled_regions"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|x| x == region))
            })
    }

    /// Successful Opens per region (`code` is null on success), from the request log.
    pub fn successful_opens(&self) -> std::collections::BTreeMap<String, usize> {
        let mut m = std::collections::BTreeMap::new();
        for r in self.requests() {
            if r["action"] == "OpenPublicIpAddressPoolService"
                && r["code"].is_null()
                && r["http_status"] == 200
            {
                *m.entry(r["region"].as_str().unwrap_or("?").to_string())
                    .or_insert(0) += 1;
            }
        }
        m
    }
}
