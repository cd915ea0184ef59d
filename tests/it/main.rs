//! End-to-end tests in one binary: the provider binary, its gRPC services in-process, and the
//! real `terraform` CLI against the emulator.

mod cidr_blocks;
mod cli;
mod common;
mod credentials;
mod data_sources;
mod diagnostics;
mod docs;
mod eips;
mod faults;
mod hostile;
mod lifecycle;
mod logs;
mod moves;
mod moves_e2e;
mod moves_eip;
mod moves_grpc;
mod moves_guide;
mod packaging;
mod partial_unknowns;
mod plugin_binary;
mod plugin_grpc;
mod pools;
mod registry;
mod reliability;
mod security;
mod sockets;
mod terraform_cli;
mod terraform_edges;
mod transport;
mod validation;
mod workflow;
