//! `alicloudvpc-emulator`: command line around `terraform_provider_alicloudvpc::emulator::serve`.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use terraform_provider_alicloudvpc::emulator::{self, Accounts, Config};

const USAGE: &str = "\
Usage: alicloudvpc-emulator [OPTIONS]

A local emulator of the Alibaba Cloud APIs used by terraform-provider-alicloudvpc
(VPC IP address pool activation, pools and CIDR blocks, EIPs, STS, ECS metadata).
See docs/emulator.md.

Options:
  --listen ADDR            address to listen on (default 127.0.0.1:8765; port 0 picks a free one)
  --state FILE             persist activations, pools, CIDR blocks and EIPs in FILE (created if
                           missing)
  --accounts FILE          JSON file with more accounts, keys and roles
  --activation-delay MS    milliseconds an activation stays pending (default 0)
  --operation-delay MS     milliseconds a CIDR block stays Modifying after it is added, a
                           block or pool Deleting after it is deleted, and an EIP Releasing
                           after it is released (default 0)
  --page-size-limit N      answer pool, CIDR block and EIP listings with at most N items a
                           page, whatever MaxResults or PageSize asks (default: as asked), to
                           exercise paging
  --allow-non-loopback     allow listening on a non-loopback address
  -h, --help               print this help

Environment: ALICLOUDVPC_EMULATOR_LOG=error|warn|info|debug|trace (default info), logs on stderr.
Demo account 1234567890123456: AccessKeyId emulator-access-key, secret emulator-secret-key.
";

struct Args {
    listen: String,
    state: Option<PathBuf>,
    accounts: Option<PathBuf>,
    activation_delay_ms: u64,
    operation_delay_ms: u64,
    page_size_limit: Option<usize>,
    allow_non_loopback: bool,
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut args = Args {
        listen: "127.0.0.1:8765".to_string(),
        state: None,
        accounts: None,
        activation_delay_ms: 0,
        operation_delay_ms: 0,
        page_size_limit: None,
        allow_non_loopback: false,
    };
    while let Some(arg) = it.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--listen" => args.listen = value("--listen")?,
            "--state" => args.state = Some(PathBuf::from(value("--state")?)),
            "--accounts" => args.accounts = Some(PathBuf::from(value("--accounts")?)),
            "--activation-delay" => {
                let v = value("--activation-delay")?;
                args.activation_delay_ms = v.parse().map_err(|_| {
                    format!("--activation-delay {v:?} is not a number of milliseconds")
                })?;
            }
            "--operation-delay" => {
                let v = value("--operation-delay")?;
                args.operation_delay_ms = v.parse().map_err(|_| {
                    format!("--operation-delay {v:?} is not a number of milliseconds")
                })?;
            }
            "--page-size-limit" => {
                let v = value("--page-size-limit")?;
                args.page_size_limit =
                    Some(v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        format!("--page-size-limit {v:?} is not a positive number")
                    })?);
            }
            "--allow-non-loopback" => args.allow_non_loopback = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(args))
}

/// Minimal stderr logger: `LEVEL message`, level from `ALICLOUDVPC_EMULATOR_LOG`.
struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.level() <= log::max_level()
    }
    fn log(&self, r: &log::Record<'_>) {
        if self.enabled(r.metadata()) {
            let _ = writeln!(std::io::stderr(), "{:<5} {}", r.level(), r.args());
        }
    }
    fn flush(&self) {}
}

static LOGGER: StderrLogger = StderrLogger;

fn init_logging() {
    let level = std::env::var("ALICLOUDVPC_EMULATOR_LOG")
        .ok()
        .and_then(|v| v.parse::<log::LevelFilter>().ok())
        .unwrap_or(log::LevelFilter::Info);
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(level);
    }
}

fn main() -> ExitCode {
    init_logging();
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("alicloudvpc-emulator: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("alicloudvpc-emulator: cannot start runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("alicloudvpc-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let accounts = match &args.accounts {
        Some(path) => Accounts::load(path)?,
        None => Accounts::default(),
    };
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host(&args.listen)
        .await
        .map_err(|e| format!("cannot resolve --listen {}: {e}", args.listen))?
        .collect();
    if addrs.is_empty() {
        return Err(format!("--listen {} resolves to no address", args.listen));
    }
    // The emulator accepts the demo keys and an unsigned control API: exposing it beyond this
    // machine must be a deliberate choice.
    if !args.allow_non_loopback && addrs.iter().any(|a| !a.ip().is_loopback()) {
        return Err(format!(
            "refusing to listen on non-loopback address {}; pass --allow-non-loopback to do it anyway",
            args.listen
        ));
    }
    let listener = tokio::net::TcpListener::bind(addrs.as_slice())
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let cfg = Config {
        accounts,
        state_file: args.state,
        activation_delay: Duration::from_millis(args.activation_delay_ms),
        operation_delay: Duration::from_millis(args.operation_delay_ms),
        page_size_limit: args.page_size_limit,
    };
    let shutdown = async {
        wait_for_signal().await;
        log::info!("shutting down");
    };
    let ready = || {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{local}");
        let _ = out.flush();
    };
    emulator::serve_with_ready(listener, cfg, ready, shutdown)
        .await
        .map_err(|e| e.to_string())
}

/// SIGINT or SIGTERM (only SIGINT where SIGTERM does not exist).
async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
