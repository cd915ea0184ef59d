//! The `alicloudvpc-emulator` binary: its stdout contract, refusals and help.

use crate::client::control;
use terraform_provider_alicloudvpc::alicloud::sign;

#[test]
fn binary_prints_exactly_the_listening_line() {
    use std::io::{BufRead, BufReader, Read};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_alicloudvpc-emulator"))
        .args(["--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .strip_prefix("listening on http://")
        .and_then(|l| l.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let port: u16 = addr.strip_prefix("127.0.0.1:").unwrap().parse().unwrap();
    assert_ne!(port, 0);
    // It answers, then is killed; nothing else was printed on stdout.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (s, _) = rt.block_on(control(
        &format!("http://{addr}"),
        "GET",
        "/_emulator/state",
        None,
    ));
    assert_eq!(s, 200);
    child.kill().unwrap();
    child.wait().unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "");
}

#[test]
fn binary_refuses_non_loopback_without_flag_and_shows_help() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_alicloudvpc-emulator"))
        .args(["--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-non-loopback"));
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_alicloudvpc-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--activation-delay"));
}

#[test]
fn signer_helper_matches_published_v1_vector() {
    // Guards the test helper itself: it signs through the crate's signer.
    let params = [("test", "ok")];
    assert_eq!(sign::v1_string_to_sign("", &params), "&%2F&test%3Dok");
}
