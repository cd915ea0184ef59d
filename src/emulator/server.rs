//! HTTP plumbing: the accept loop, body limits, routing by path and response building.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

use super::error::{ApiError, ErrorBody};
use super::{Emulator, Error, MAX_BODY_BYTES, control, ops};

pub(super) type Resp = Response<Full<Bytes>>;

/// Returned by the service to make hyper close the connection without writing a response:
/// the `drop_connection` fault.
#[derive(Debug)]
pub(super) struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

pub(super) async fn run(
    listener: tokio::net::TcpListener,
    emu: Arc<Emulator>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Error> {
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => return Ok(()),
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Typically out of file descriptors: back off instead of spinning.
                    log::warn!("accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let emu = emu.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req| handle(emu.clone(), peer, req));
            if let Err(e) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await
            {
                log::debug!("connection from {peer} ended: {e}");
            }
        });
    }
}

async fn handle(
    emu: Arc<Emulator>,
    peer: SocketAddr,
    req: Request<Incoming>,
) -> Result<Resp, DropConnection> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e)
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            let err = ApiError::new(
                413,
                "RequestEntityTooLarge",
                format!("The request body exceeds the limit of {MAX_BODY_BYTES} bytes."),
            );
            return Ok(error_response(
                &err,
                &ops::new_request_id(),
                "vpc.aliyuncs.com",
            ));
        }
        // The client went away mid-body: nothing to answer.
        Err(_) => return Err(DropConnection),
    };
    let path = parts.uri.path();
    if path == "/_emulator" || path.starts_with("/_emulator/") {
        return Ok(control::handle(&emu, peer, &parts, &body));
    }
    if path.starts_with(ops::METADATA_PREFIX) {
        return Ok(ops::metadata(&emu, &parts));
    }
    ops::handle(&emu, &parts, &body).await
}

pub(super) fn json_response(status: u16, body: Vec<u8>, request_id: Option<&str>) -> Resp {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json;charset=utf-8"),
    );
    if let Some(id) = request_id
        && let Ok(v) = hyper::header::HeaderValue::from_str(id)
    {
        resp.headers_mut().insert("x-acs-request-id", v);
    }
    resp
}

pub(super) fn text_response(status: u16, body: &str) -> Resp {
    let mut resp = Response::new(Full::new(Bytes::from(body.to_string())));
    *resp.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain"),
    );
    resp
}

pub(super) fn error_response(err: &ApiError, request_id: &str, host_id: &str) -> Resp {
    let body = serde_json::to_vec(&ErrorBody::new(err, request_id, host_id)).unwrap_or_default();
    json_response(err.status, body, Some(request_id))
}

/// Serializes a typed response; serialization of these plain structs cannot fail in practice.
pub(super) fn to_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}
