//! terraform-provider-alicloudvpc: started by Terraform (go-plugin), or by hand with --debug.

use std::process::ExitCode;
use std::sync::Arc;

use terraform_provider_alicloudvpc::plugin::{handshake, log, serve};
use terraform_provider_alicloudvpc::provider::Provider;

fn main() -> ExitCode {
    let debug = std::env::args()
        .skip(1)
        .any(|a| a == "--debug" || a == "-debug");
    if !debug
        && !handshake::launched_by_terraform(
            std::env::var(handshake::MAGIC_COOKIE_KEY).ok().as_deref(),
        )
    {
        eprintln!("{}", handshake::NOT_LAUNCHED_BY_TERRAFORM);
        return ExitCode::from(1);
    }
    if !debug
        && !handshake::protocol_5_offered(std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok().as_deref())
    {
        eprintln!(
            "This provider speaks Terraform plugin protocol 5, which this Terraform does not offer; use Terraform 0.12 or newer."
        );
        return ExitCode::from(1);
    }
    log::install_panic_hook();
    log::init();

    // One thread: every call is short and waits on I/O, and on the 2 cores Terraform shares with
    // its providers, worker threads only added wake-ups. Measured on an attached server over
    // 100-resource plans: 40% less CPU and 2.4x fewer context switches (benches/ANALYSIS.md).
    // Blocking work (DNS lookups) still goes to tokio's blocking pool.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("terraform-provider-alicloudvpc: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let mode = if debug {
        serve::Mode::Debug
    } else {
        serve::Mode::Terraform {
            client_cert_pem: std::env::var("PLUGIN_CLIENT_CERT").ok(),
        }
    };
    let provider = Arc::new(Provider::new());
    let result = runtime.block_on(serve::run(provider, mode));
    // Dropping the runtime would wait for the broker's endless stream; the work is done.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("terraform-provider-alicloudvpc: {e}");
            ExitCode::from(1)
        }
    }
}
