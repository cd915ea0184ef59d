//! terraform-provider-alicloudvpc: started by Terraform (go-plugin), or by hand with --debug.

use std::process::ExitCode;
use std::sync::Arc;

use terraform_provider_alicloudvpc::plugin::{handshake, log, serve};
use terraform_provider_alicloudvpc::provider::Provider;

const USAGE: &str = "\
Usage: terraform-provider-alicloudvpc [--debug | --version | --help]

A Terraform provider for Alibaba Cloud's VPC IP address pool feature. Terraform starts it by
itself; declare it in a configuration's required_providers block and run terraform.

Options:
  --debug     serve without TLS and print the TF_REATTACH_PROVIDERS value that lets terraform
              commands attach to this process (stays up until Ctrl-C)
  --version   print the version and exit
  --help      print this help and exit

Logs go to stderr at the level of TF_LOG_PROVIDER (else TF_LOG): TRACE, DEBUG, INFO, WARN, ERROR.
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Serve { debug: bool },
    Version,
    Help,
    Unknown(String),
}

/// Go-style single-dash forms are accepted as well, as Go providers' flag package does.
fn parse_args(args: impl IntoIterator<Item = String>) -> Command {
    let mut debug = false;
    for a in args {
        match a.as_str() {
            "--debug" | "-debug" => debug = true,
            "--version" | "-version" | "-v" | "version" => return Command::Version,
            "--help" | "-help" | "-h" | "help" => return Command::Help,
            _ => return Command::Unknown(a),
        }
    }
    Command::Serve { debug }
}

fn main() -> ExitCode {
    let debug = match parse_args(std::env::args().skip(1)) {
        Command::Serve { debug } => debug,
        Command::Version => {
            println!(
                "terraform-provider-alicloudvpc {}",
                env!("CARGO_PKG_VERSION")
            );
            return ExitCode::SUCCESS;
        }
        Command::Help => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Command::Unknown(a) => {
            eprintln!("terraform-provider-alicloudvpc: unknown argument {a:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Command {
        parse_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn arguments() {
        assert_eq!(parse(&[]), Command::Serve { debug: false });
        assert_eq!(parse(&["--debug"]), Command::Serve { debug: true });
        assert_eq!(parse(&["-debug"]), Command::Serve { debug: true });
        assert_eq!(parse(&["--version"]), Command::Version);
        assert_eq!(parse(&["--debug", "--help"]), Command::Help);
        assert_eq!(parse(&["--nope"]), Command::Unknown("--nope".into()));
    }
}
