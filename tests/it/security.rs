//! Security gaps not covered elsewhere: plaintext only in debug mode, refusal to start without
//! Terraform's certificate, and no secret in a TRACE log of a failed apply.
//! (Pinned mTLS and the private socket directory are in plugin_binary.rs; the emulator's
//! loopback-only default is in tests/emulator.)

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::common::emulator::Emulator;
use super::common::process::wait_at_most;
use super::common::provider_bin;
use super::common::terraform::text;
use super::lifecycle::setup;

const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

#[test]
fn without_debug_and_without_a_client_certificate_it_refuses_to_start() {
    let mut child = Command::new(provider_bin())
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env_remove("PLUGIN_CLIENT_CERT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn provider");
    let status = wait_at_most(&mut child, Duration::from_secs(10)).expect("exits promptly");
    let out = child.wait_with_output().expect("output");
    assert_eq!(status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "no handshake line, so no plaintext server: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("PLUGIN_CLIENT_CERT is not set"), "{err}");
    assert!(
        err.contains("--debug"),
        "the error names the way out: {err}"
    );
}

#[test]
fn debug_mode_serves_plaintext_and_prints_the_reattach_value() {
    let mut child = Command::new(provider_bin())
        .arg("--debug")
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .env_remove("PLUGIN_CLIENT_CERT")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn provider");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut value = None;
    for _ in 0..20 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if let Some(v) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS='") {
            value = Some(v.trim_end_matches('\'').to_string());
            break;
        }
    }
    let value = value.expect("a TF_REATTACH_PROVIDERS line");
    let v: serde_json::Value = serde_json::from_str(&value).expect("JSON");
    let p = &v["registry.terraform.io/local/alicloudvpc"];
    assert_eq!(p["Protocol"], "grpc");
    assert_eq!(p["ProtocolVersion"], 5);
    assert_eq!(p["Pid"], child.id());
    assert_eq!(p["Addr"]["Network"], "unix");
    let socket = p["Addr"]["String"]
        .as_str()
        .expect("socket path")
        .to_string();

    // Plaintext HTTP/2 answers on the socket (the only path without TLS): the client preface
    // and an empty SETTINGS frame get the server's SETTINGS frame (type 4) back.
    let answer = plaintext_h2_answer(&socket);
    let _ = child.kill();
    let _ = child.wait();
    let answer = answer.expect("the debug server answers plaintext HTTP/2");
    assert!(
        answer.len() >= 9 && answer[3] == 4,
        "SETTINGS frame: {answer:?}"
    );
}

fn plaintext_h2_answer(socket: &str) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Write};
    let mut s = std::os::unix::net::UnixStream::connect(socket)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut hello = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
    hello.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 0, 0]);
    s.write_all(&hello)?;
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf)?;
    Ok(buf[..n].to_vec())
}

#[test]
fn a_failed_apply_with_a_wrong_secret_logs_no_secret_at_trace() {
    const WRONG: &str = "wrong-secret-Zq81xPz0";
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {}\n",
    );
    // The setup's provider block carries the demo secret; replace it with a wrong one.
    let main = std::fs::read_to_string(tf.path("main.tf")).expect("main.tf");
    tf.write("main.tf", &main.replace("emulator-secret-key", WRONG));
    let log = tf.root.path().join("trace.log");
    let mut cmd = tf.command(&["apply", "-auto-approve", "-no-color"]);
    cmd.env("TF_LOG", "TRACE").env("TF_LOG_PATH", &log);
    let out = cmd.output().expect("terraform");
    let shown = text(&out);
    assert!(!out.status.success(), "a wrong secret fails: {shown}");
    assert!(shown.contains("SignatureDoesNotMatch"), "{shown}");
    let trace = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        trace.contains("terraform-provider-alicloudvpc") && trace.contains("@module"),
        "the provider's own TRACE lines were captured"
    );
    let requests = emu.requests();
    let state = std::fs::read_to_string(tf.path("terraform.tfstate")).unwrap_or_default();
    let everything = [
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        trace,
        state,
    ]
    .join("\n");
    // The configured (wrong) secret, the account's real secret, and the HMAC keys built from
    // them (V1 signs with `secret&`), in clear or percent-encoded.
    for needle in [
        WRONG.to_string(),
        format!("{WRONG}&"),
        format!("{WRONG}%26"),
        "emulator-secret-key".to_string(),
    ] {
        // The provider block in main.tf holds the wrong secret; terraform echoes config lines
        // only in diagnostics that point at them, which must not happen here.
        assert!(
            !everything.contains(&needle),
            "{needle:?} appeared in output, TRACE log or state"
        );
    }
    // The gateway's string to sign (which the emulator returns in its message) may be shown,
    // but never with a secret mixed into it.
    for line in everything.lines().filter(|l| l.contains("string to sign")) {
        assert!(
            !line.contains(WRONG) && !line.contains("emulator-secret-key"),
            "{line}"
        );
    }
    assert!(
        requests
            .iter()
            .any(|r| r["code"] == "SignatureDoesNotMatch"),
        "{requests:?}"
    );
}
