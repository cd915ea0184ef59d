//! The wire layer: go-plugin handshake, TLS, gRPC services and the DynamicValue codec.
//! Only this module touches generated protocol types.

pub mod convert;
pub mod dynamic;
pub mod grpc;
pub mod handshake;
pub mod log;
pub mod proto;
pub mod serve;
pub mod services;
pub mod tls;
