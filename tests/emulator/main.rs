//! End-to-end tests of `alicloudvpc-emulator` over real HTTP on 127.0.0.1:0, one module per
//! API family plus the gateway, the control API and the binary.
#![allow(clippy::unwrap_used)]

mod binary;
mod cidr_blocks;
mod client;
mod control;
mod eips;
mod eips_more;
mod gateway;
mod malformed;
mod paging;
mod pool_api;
mod pool_refusals;
mod pools;
mod pools_client;
mod pools_client_states;
mod service;
mod sts;
mod tags;
mod transitions;

use std::time::Duration;

use client::control as control_call;
use terraform_provider_alicloudvpc::emulator::{self, Config, Running};

async fn start() -> Running {
    emulator::start(Config::default()).await.unwrap()
}

async fn start_with_delay(ms: u64) -> Running {
    emulator::start(Config {
        activation_delay: Duration::from_millis(ms),
        ..Config::default()
    })
    .await
    .unwrap()
}

/// The account the demo access key belongs to.
const DEMO_ACCOUNT: &str = "1234567890123456";

/// `PUT /_emulator/accounts/{account}/regions/{region}` with `body`; returns the HTTP status.
async fn put_region(url: &str, account: &str, region: &str, body: serde_json::Value) -> u16 {
    let path = format!("/_emulator/accounts/{account}/regions/{region}");
    control_call(url, "PUT", &path, Some(body)).await.0
}
