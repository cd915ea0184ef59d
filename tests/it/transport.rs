//! Transport failures keep their cause, and the ones retrying cannot fix (a name that does not
//! resolve, a TLS handshake that fails, HTTPS to a plain-HTTP endpoint) fail at the first
//! attempt. In-process against local sockets, plus Terraform's view of one.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use terraform_provider_alicloudvpc::alicloud::{
    CallOptions, Client, ClientConfig, Credentials, Error, Secret, TransportKind,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::common::Tf;
use super::common::emulator::Emulator;
use super::terraform_cli::HEADER;

fn client(sts: &str) -> Client {
    Client::new(ClientConfig {
        sts_endpoint: Some(sts.to_string()),
        max_retries: 8,
        backoff_base: Duration::from_millis(200),
        backoff_max: Duration::from_millis(400),
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(5),
        ..ClientConfig::default()
    })
    .expect("client")
}

/// One GetCallerIdentity call; the error and how long it took.
fn call(sts: &str) -> (Error, Duration) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let err = rt
        .block_on(client(sts).get_caller_identity(
            &Credentials::access_key("id", Secret::new("secret")),
            &CallOptions::timeout(Duration::from_secs(30)),
        ))
        .expect_err("the call fails");
    (err, started.elapsed())
}

fn kind(err: &Error) -> TransportKind {
    match err {
        Error::Transport(t) => t.kind,
        // A retryable cause that outlived every retry comes wrapped with the attempt count.
        Error::RetriesExhausted { last, .. } => kind(last),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// A TCP server on 127.0.0.1 that counts connections and answers each with `answer`.
fn counting_server(answer: &'static [u8]) -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = std::io::Read::read(&mut stream, &mut buf);
            let _ = std::io::Write::write_all(&mut stream, answer);
        }
    });
    (addr, count)
}

#[test]
fn a_name_that_does_not_resolve_fails_at_once_with_the_dns_cause() {
    let (err, took) = call("https://nonexistent-host.invalid");
    assert!(err.to_string().contains("dns error"), "{err}");
    if kind(&err) == TransportKind::DnsTemporary {
        // No resolver answered at all (a machine without DNS): that may pass, so it is retried.
        assert!(err.is_retryable(), "{err:?}");
        eprintln!("no DNS resolver answered; checked the temporary-failure path instead");
        return;
    }
    assert_eq!(kind(&err), TransportKind::DnsNotFound, "{err:?}");
    assert!(!err.is_retryable());
    assert!(took < Duration::from_secs(3), "not retried: {took:?}");
}

#[test]
fn https_against_plain_http_fails_at_once() {
    let (addr, connections) = counting_server(
        b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    let (err, _) = call(&format!("https://{addr}"));
    assert_eq!(kind(&err), TransportKind::NotTls, "{err:?}");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "one attempt, no retries"
    );
}

#[test]
fn an_untrusted_certificate_fails_at_once_and_names_the_cause() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = rcgen::CertificateParams::new(vec!["localhost".into()])
        .expect("params")
        .self_signed(&key)
        .expect("cert");
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = connections.clone();
    rt.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(stream).await {
                    let mut buf = [0u8; 1024];
                    let _ = tls.read(&mut buf).await;
                    let _ = tls
                        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
                        .await;
                }
            });
        }
    });
    let (err, _) = call(&format!("https://localhost:{port}"));
    assert_eq!(kind(&err), TransportKind::Tls, "{err:?}");
    assert!(
        err.to_string().contains("certificate"),
        "names the cause: {err}"
    );
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "one attempt, no retries"
    );
    drop(rt);
}

#[test]
fn a_refused_connection_is_retried_and_says_refused() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let (err, took) = call(&format!("http://127.0.0.1:{port}"));
    assert_eq!(kind(&err), TransportKind::Connect, "{err:?}");
    assert!(
        matches!(err, Error::RetriesExhausted { attempts, .. } if attempts > 1),
        "retried until max_retries ran out: {err:?}"
    );
    assert!(err.is_retryable());
    assert!(err.to_string().contains("Connection refused"), "{err}");
    assert!(took > Duration::from_millis(200), "retried: {took:?}");
}

#[test]
fn terraform_shows_the_cause_of_https_against_the_plain_http_emulator() {
    let emu = Emulator::start();
    let https = emu.url.replace("http://", "https://");
    let tf = Tf::new(&format!(
        "{HEADER}\nprovider \"alicloudvpc\" {{\n  region     = \"cn-hangzhou\"\n  access_key = \"emulator-access-key\"\n  secret_key = \"emulator-secret-key\"\n  endpoints {{\n    vpc = \"{https}\"\n  }}\n}}\n\ndata \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{}}\n"
    ));
    tf.init();
    let started = Instant::now();
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(out.contains("speaks plain HTTP, not HTTPS"), "{out}");
    assert!(
        out.contains("Write the endpoint with http:// in endpoints.vpc"),
        "{out}"
    );
    assert!(out.contains("did not retry"), "{out}");
    let diagnostic = out.split("Error:").nth(1).unwrap_or_default();
    assert!(!diagnostic.contains(".."), "no doubled periods: {out}");
    assert!(
        diagnostic.contains("InvalidContentType"),
        "the cause: {out}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "failed at once, not after 8 retries: {:?}",
        started.elapsed()
    );
}
