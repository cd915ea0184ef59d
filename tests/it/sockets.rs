//! Socket directories (`plugin-alicloudvpc-*` in the temporary directory) go away on every exit
//! the process controls, and the ones of killed processes are swept at the next start. Each
//! test gives the provider a temporary directory of its own (TMPDIR).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::common::process::{signal, wait_at_most};
use super::common::{Tf, provider_bin};
use super::plugin_binary::terraform_like_cert;
use super::terraform_cli::HEADER;

const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

fn provider(tmp: &Path) -> Command {
    let (_, _, pem) = terraform_like_cert();
    let mut cmd = Command::new(provider_bin());
    cmd.env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", pem)
        .env("TMPDIR", tmp)
        .stderr(Stdio::null());
    cmd
}

/// Starts the provider and returns it with its socket directory, read from the handshake.
fn start(tmp: &Path) -> (Child, PathBuf) {
    let mut child = provider(tmp)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn provider");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("handshake line");
    let socket = line.split('|').nth(3).expect("address field");
    let dir = Path::new(socket)
        .parent()
        .expect("socket dir")
        .to_path_buf();
    assert!(dir.starts_with(tmp), "{} is under TMPDIR", dir.display());
    (child, dir)
}

fn socket_dirs(tmp: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(tmp)
        .expect("read tmp")
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with("plugin-alicloudvpc-"))
        .collect();
    names.sort();
    names
}

/// A PID that no process has: one of a child that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("spawn true");
    let pid = child.id();
    child.wait().expect("wait");
    pid
}

#[test]
fn sigterm_removes_the_socket_directory() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut child, dir) = start(tmp.path());
    assert!(dir.exists());
    signal(child.id(), "TERM");
    let status = wait_at_most(&mut child, Duration::from_secs(10)).expect("exits on SIGTERM");
    assert!(status.success(), "{status:?}");
    assert!(!dir.exists(), "{} removed", dir.display());
    assert!(socket_dirs(tmp.path()).is_empty());
}

#[test]
fn a_failed_start_removes_the_socket_directory() {
    let tmp = tempfile::tempdir().expect("tmp");
    // Nobody reads the handshake: the pipe's read end is closed before the provider starts, so
    // writing it fails (EPIPE) however fast the provider is, and the provider exits 1.
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut child = provider(tmp.path())
        .stdout(writer)
        .spawn()
        .expect("spawn provider");
    let status = wait_at_most(&mut child, Duration::from_secs(10)).expect("exits");
    assert_eq!(status.code(), Some(1));
    assert!(
        socket_dirs(tmp.path()).is_empty(),
        "{:?}",
        socket_dirs(tmp.path())
    );
}

#[test]
fn directories_of_dead_processes_are_swept_at_start() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dead = tmp
        .path()
        .join(format!("plugin-alicloudvpc-{}-deadbeef", dead_pid()));
    std::fs::create_dir(&dead).expect("dead dir");
    std::fs::write(dead.join("plugin.sock"), "").expect("stale socket file");
    let live = tmp.path().join(format!(
        "plugin-alicloudvpc-{}-cafebabe",
        std::process::id()
    ));
    std::fs::create_dir(&live).expect("live dir");
    let other = tmp.path().join("plugin-something-else-1");
    std::fs::create_dir(&other).expect("other dir");

    let (mut child, dir) = start(tmp.path());
    assert!(!dead.exists(), "the dead process's directory is swept");
    assert!(live.exists(), "a running process's directory stays");
    assert!(other.exists(), "other programs' directories stay");
    signal(child.id(), "KILL");
    let _ = wait_at_most(&mut child, Duration::from_secs(10));
    assert!(dir.exists(), "SIGKILL leaves it behind");
    let (mut next, next_dir) = start(tmp.path());
    assert!(
        !dir.exists(),
        "the next start sweeps the killed one's directory"
    );
    signal(next.id(), "TERM");
    let _ = wait_at_most(&mut next, Duration::from_secs(10));
    assert!(!next_dir.exists());
}

#[test]
fn terraform_commands_leave_no_socket_directory() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut tf = Tf::new(&format!(
        "{HEADER}\nprovider \"alicloudvpc\" {{\n  region = \"cn-hangzhou\"\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{}}\n"
    ));
    tf.env("TMPDIR", tmp.path().to_str().expect("utf-8 path"));
    tf.init();
    tf.ok(&["validate", "-no-color"]);
    assert!(
        socket_dirs(tmp.path()).is_empty(),
        "{:?}",
        socket_dirs(tmp.path())
    );
}
