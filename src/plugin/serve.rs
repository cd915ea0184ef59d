//! Runs the gRPC server the way go-plugin expects: a private unix socket, TLS pinned to
//! Terraform's client certificate, the handshake line on stdout, and a prompt exit on Shutdown.

use std::io::Write;
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::UnixListener;
use tokio_util::sync::CancellationToken;
use tonic::transport::Server;

use super::handshake::{self, Listen};
use super::proto::go_plugin::{
    grpc_broker_server::GrpcBrokerServer, grpc_controller_server::GrpcControllerServer,
    grpc_stdio_server::GrpcStdioServer,
};
use super::proto::tfplugin5::provider_server::ProviderServer;
use super::services::{Broker, Controller, Stdio};
use super::tls;
use crate::provider::Provider;

/// Terraform's Go server allows 256 MiB messages; tonic's default is 4 MiB.
const MAX_MESSAGE: usize = 256 << 20;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    #[error(
        "PLUGIN_CLIENT_CERT is not set; Terraform always sets it, so run the provider through terraform (or use --debug)"
    )]
    NoClientCert,
    #[error("could not create the plugin socket in {path}: {source}")]
    Socket {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not write the handshake to stdout: {0}")]
    Stdout(std::io::Error),
    #[error("gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),
}

/// How the server is reached.
pub enum Mode {
    /// Launched by Terraform: TLS with the client certificate from `PLUGIN_CLIENT_CERT`.
    Terraform { client_cert_pem: Option<String> },
    /// `--debug`: plaintext, and the process outlives Terraform commands.
    Debug,
}

/// Socket directories are `plugin-alicloudvpc-<pid>-<random>` in the temporary directory.
const SOCKET_DIR_PREFIX: &str = "plugin-alicloudvpc-";

/// The live socket directory, for the panic hook, which exits without running destructors.
static LIVE_SOCKET_DIR: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// A private directory (mode 0700) holding the socket, removed when dropped: after Shutdown,
/// SIGTERM, Ctrl-C in debug mode, and a start that fails once it exists.
struct SocketDir(PathBuf);

impl SocketDir {
    fn create() -> Result<Self, ServeError> {
        let tmp = std::env::temp_dir();
        let dir = tmp.join(format!(
            "{SOCKET_DIR_PREFIX}{}-{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .map_err(|source| ServeError::Socket {
                path: dir.clone(),
                source,
            })?;
        if let Ok(mut live) = LIVE_SOCKET_DIR.lock() {
            *live = Some(dir.clone());
        }
        sweep_stale(&tmp, &dir);
        Ok(SocketDir(dir))
    }
}

impl Drop for SocketDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        if let Ok(mut live) = LIVE_SOCKET_DIR.lock() {
            *live = None;
        }
    }
}

/// Removes the live socket directory; for exits that skip destructors (a panic).
pub fn remove_socket_dir() {
    if let Some(dir) = LIVE_SOCKET_DIR.lock().ok().and_then(|mut d| d.take()) {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Removes socket directories of provider processes that no longer exist (killed with SIGKILL,
/// as Terraform does to a provider that does not exit 2 s after Shutdown). Only directories of
/// the same owner as `own` are touched, and only where /proc tells which processes live.
fn sweep_stale(tmp: &std::path::Path, own: &std::path::Path) {
    use std::os::unix::fs::MetadataExt;
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let Ok(own_meta) = std::fs::symlink_metadata(own) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(SOCKET_DIR_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let path = entry.path();
        // A dead PID alone could be a live process of another PID namespace sharing this temp
        // directory: a socket that still accepts connections means someone serves on it.
        let stale = std::fs::symlink_metadata(&path)
            .is_ok_and(|m| m.is_dir() && m.uid() == own_meta.uid())
            && !std::path::Path::new(&format!("/proc/{pid}")).exists()
            && std::os::unix::net::UnixStream::connect(path.join("plugin.sock")).is_err();
        if stale && path != own {
            match std::fs::remove_dir_all(&path) {
                Ok(()) => {
                    log::debug!(path = path.display().to_string().as_str(), pid = pid; "removed the socket directory of a provider process that no longer runs")
                }
                Err(e) => {
                    log::debug!(path = path.display().to_string().as_str(), error = e.to_string().as_str(); "could not remove a stale socket directory")
                }
            }
        }
    }
}

/// Serves until Terraform calls Shutdown (or, in debug mode, until Ctrl-C).
pub async fn run(provider: Arc<Provider>, mode: Mode) -> Result<(), ServeError> {
    let tls_config = match &mode {
        Mode::Terraform { client_cert_pem } => {
            let pem = client_cert_pem.as_deref().ok_or(ServeError::NoClientCert)?;
            let client_cert = tls::parse_client_cert(pem)?;
            let identity = tls::server_identity()?;
            Some((
                Arc::new(tls::server_config(&identity, client_cert)?),
                identity.cert_der,
            ))
        }
        Mode::Debug => None,
    };

    let dir = SocketDir::create()?;
    let socket = dir.0.join("plugin.sock");
    let listener = UnixListener::bind(&socket).map_err(|source| ServeError::Socket {
        path: socket.clone(),
        source,
    })?;

    let shutdown = CancellationToken::new();
    // A debug server lives across commands: Shutdown from one command must not end it.
    let controller_token = match mode {
        Mode::Debug => CancellationToken::new(),
        Mode::Terraform { .. } => shutdown.clone(),
    };
    let server = router(provider.clone(), controller_token)
        .await
        .serve_with_incoming_shutdown(
            incoming(listener, tls_config.as_ref().map(|(c, _)| c.clone())),
            shutdown.clone().cancelled_owned(),
        );

    // Signal handling is in place before the handshake line: Terraform (or a test) may signal
    // the process as soon as it has read it.
    match &mode {
        Mode::Terraform { .. } => ignore_sigint(),
        Mode::Debug => {
            let s = shutdown.clone();
            tokio::spawn(async move {
                let _ = tokio::signal::ctrl_c().await;
                s.cancel();
            });
        }
    }
    // SIGTERM ends the server like Shutdown, so the socket directory goes with it.
    if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
    {
        let s = shutdown.clone();
        tokio::spawn(async move {
            if term.recv().await.is_some() {
                log::debug!("SIGTERM received: shutting down");
                s.cancel();
            }
        });
    }

    announce(
        &mode,
        &socket,
        tls_config.as_ref().map(|(_, der)| der.as_ref()),
    )?;

    tokio::pin!(server);
    let grace = shutdown.clone();
    tokio::select! {
        r = &mut server => r?,
        // A graceful stop waits for open streams, and the broker's never ends; once Shutdown
        // has been answered there is nothing left worth waiting for.
        _ = async { grace.cancelled().await; tokio::time::sleep(Duration::from_millis(100)).await } => {}
    }
    provider.stop();
    Ok(())
}

/// Every service go-plugin and Terraform call, ready to serve on any incoming connections.
/// `shutdown` is cancelled by the Shutdown RPC.
pub async fn router(
    provider: Arc<Provider>,
    shutdown: CancellationToken,
) -> tonic::transport::server::Router {
    let (health_reporter, health) = tonic_health::server::health_reporter();
    health_reporter
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;
    Server::builder()
        .add_service(health)
        .add_service(
            ProviderServer::new(super::grpc::ProviderService::new(provider))
                .max_decoding_message_size(MAX_MESSAGE)
                .max_encoding_message_size(MAX_MESSAGE),
        )
        .add_service(GrpcControllerServer::new(Controller { shutdown }))
        .add_service(GrpcStdioServer::new(Stdio))
        .add_service(GrpcBrokerServer::new(Broker))
}

fn announce(mode: &Mode, socket: &std::path::Path, cert: Option<&[u8]>) -> Result<(), ServeError> {
    let mut out = std::io::stdout().lock();
    let text = match mode {
        Mode::Terraform { .. } => handshake::line(&Listen::Unix(socket.to_path_buf()), cert),
        Mode::Debug => debug_instructions(socket),
    };
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(ServeError::Stdout)
}

/// The value a user exports so that terraform attaches to this running provider.
pub fn reattach_value(socket: &std::path::Path) -> String {
    serde_json::json!({
        "registry.terraform.io/local/alicloudvpc": {
            "Protocol": "grpc",
            "ProtocolVersion": 5,
            "Pid": std::process::id(),
            "Test": true,
            "Addr": {"Network": "unix", "String": socket.display().to_string()},
        }
    })
    .to_string()
}

fn debug_instructions(socket: &std::path::Path) -> String {
    format!(
        "Provider started in debug mode (plaintext, local socket). To attach Terraform, set the \
         TF_REATTACH_PROVIDERS environment variable in another shell:\n\n\tTF_REATTACH_PROVIDERS='{}'\n\n\
         Press Ctrl-C to stop the provider.\n",
        reattach_value(socket)
    )
}

/// Terraform shares our process group, so Ctrl-C reaches us too; Terraform then sends the
/// Stop RPC and we must keep serving until it is done. Registering a listener replaces the
/// default (terminate) action for the life of the process.
fn ignore_sigint() {
    if let Ok(sig) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()) {
        drop(sig);
    }
}

/// Accepted connections, each after its TLS handshake, which runs in its own task so a slow or
/// hostile client cannot hold up the accept loop. Failed handshakes are logged and dropped.
fn incoming(
    listener: UnixListener,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> tokio_stream::wrappers::ReceiverStream<Result<Conn, std::io::Error>> {
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let stream = match listener.accept().await {
                Ok((s, _)) => s,
                Err(e) => {
                    log::warn!("accept failed: {e}");
                    continue;
                }
            };
            let tx = tx.clone();
            match &tls {
                None => {
                    if tx.send(Ok(Conn(Box::new(stream)))).await.is_err() {
                        return;
                    }
                }
                Some(cfg) => {
                    let acceptor = tokio_rustls::TlsAcceptor::from(cfg.clone());
                    tokio::spawn(async move {
                        match acceptor.accept(stream).await {
                            Ok(tls) => {
                                let _ = tx.send(Ok(Conn(Box::new(tls)))).await;
                            }
                            Err(e) => log::warn!("refused a connection: TLS handshake failed: {e}"),
                        }
                    });
                }
            }
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(rx)
}

trait Io: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Io for T {}

/// One accepted connection, plain or TLS, in the form tonic's server takes.
pub struct Conn(Box<dyn Io>);

impl tonic::transport::server::Connected for Conn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }
}
