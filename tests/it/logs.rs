//! `TF_LOG_PROVIDER=DEBUG` shows the provider's own events (calls, retries with their cause,
//! RequestIds); TLS and HTTP library chatter appears only at TRACE.

use serde_json::json;

use super::common::Tf;
use super::common::emulator::Emulator;
use super::lifecycle::OPEN;
use super::terraform_cli::HEADER;

fn setup(emu: &Emulator, vpc: &str, level: &str) -> Tf {
    let mut tf = Tf::new(&format!(
        "{HEADER}\nprovider \"alicloudvpc\" {{\n  region     = \"cn-hangzhou\"\n  access_key = \"emulator-access-key\"\n  secret_key = \"emulator-secret-key\"\n  endpoints {{\n    vpc = \"{vpc}\"\n  }}\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{}}\n",
    ));
    tf.init();
    let _ = emu;
    tf.env("TF_LOG_PROVIDER", level);
    tf
}

/// The provider's lines of Terraform's log.
fn provider_lines(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.contains("provider.terraform-provider-alicloudvpc"))
        .collect()
}

#[test]
fn debug_shows_calls_retries_with_their_cause_and_request_ids() {
    let emu = Emulator::start();
    let tf = setup(&emu, &emu.url, "DEBUG");
    emu.fault(json!({"action": OPEN, "code": "Throttling.User", "http_status": 400, "message": "slow down", "times": 1}));
    let out = tf.run(&["apply", "-auto-approve", "-no-color"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines = provider_lines(&stderr);
    let has = |message: &str, field: &str| {
        lines
            .iter()
            .any(|l| l.contains(message) && l.contains(field))
    };
    assert!(
        has("sending request", &format!("action={OPEN}")),
        "{stderr}"
    );
    assert!(
        has(
            "retrying after backoff",
            "cause=\"Throttling.User (HTTP 400)\""
        ),
        "{stderr}"
    );
    assert!(has("request succeeded", "request_id="), "{stderr}");
    assert!(
        has("Alibaba Cloud API returned an error", "request_id="),
        "{stderr}"
    );
}

#[test]
fn tls_library_chatter_only_at_trace() {
    let emu = Emulator::start();
    // HTTPS to the plain-HTTP emulator: rustls starts a handshake, and logs every step of it.
    let https = emu.url.replace("http://", "https://");
    let tf = setup(&emu, &https, "DEBUG");
    let out = tf.run(&["apply", "-auto-approve", "-no-color"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines = provider_lines(&stderr);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("request failed below HTTP") && l.contains("kind=not_tls")),
        "the provider's own event, with its cause: {stderr}"
    );
    let chatter: Vec<_> = lines
        .iter()
        .filter(|l| {
            // rustls' DEBUG lines of the plugin's own TLS server and of the HTTPS client.
            [
                "@module=alicloudvpc.",
                "decided upon suite",
                "Chosen ALPN",
                "No cached session",
            ]
            .iter()
            .any(|c| l.contains(c))
        })
        .collect();
    assert!(
        chatter.is_empty(),
        "no library lines at DEBUG: {chatter:#?}"
    );

    let tf = setup(&emu, &https, "TRACE");
    let out = tf.run(&["apply", "-auto-approve", "-no-color"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        provider_lines(&stderr)
            .iter()
            .any(|l| l.contains("@module=alicloudvpc.rustls")),
        "TRACE shows them: {stderr}"
    );
}
