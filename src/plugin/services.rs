//! go-plugin's side services: Shutdown (exit promptly), stdio (silent), broker (unused).

use futures_util::Stream;
use std::pin::Pin;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

use super::proto::go_plugin::{
    ConnInfo, Empty, StdioData, grpc_broker_server::GrpcBroker,
    grpc_controller_server::GrpcController, grpc_stdio_server::GrpcStdio,
};

/// Terraform calls Shutdown at the end of every command phase and kills the process 2 s later,
/// so Shutdown only signals the server loop, which exits right after answering.
pub struct Controller {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _: Request<Empty>) -> Result<Response<Empty>, Status> {
        log::debug!("shutdown requested by terraform");
        self.shutdown.cancel();
        Ok(Response::new(Empty {}))
    }
}

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// Logs go straight to stderr, which go-plugin reads itself, so there is nothing to stream:
/// the stream ends at once, which go-plugin treats as a normal end.
pub struct Stdio;

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = BoxStream<StdioData>;

    async fn stream_stdio(
        &self,
        _: Request<Empty>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(Box::pin(futures_util::stream::empty())))
    }
}

/// The broker serves plugins that dial back to the host; this provider never does. The stream
/// stays open (ending it would make go-plugin log an error) and yields nothing.
pub struct Broker;

#[tonic::async_trait]
impl GrpcBroker for Broker {
    type StartStreamStream = BoxStream<ConnInfo>;

    async fn start_stream(
        &self,
        _: Request<Streaming<ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        Ok(Response::new(Box::pin(futures_util::stream::pending())))
    }
}
