//! Micro-benchmarks of the per-call and per-process hot paths: the DynamicValue codec with the
//! typed state, request signing, TLS identity, and exec of the release binary up to the
//! go-plugin handshake line. `scripts/bench.sh` runs these and copies the figures into
//! `benches/RESULTS.md`; see docs/benchmarks.md.

use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use terraform_provider_alicloudvpc::alicloud::sign;
use terraform_provider_alicloudvpc::plugin::{dynamic, tls};
use terraform_provider_alicloudvpc::provider::resources::public_ip_address_pool_service::ServiceState as ResourceState;
use terraform_provider_alicloudvpc::provider::timeouts::Timeouts;
use terraform_provider_alicloudvpc::tf::{Dynamic, Value};

fn state() -> ResourceState {
    ResourceState {
        id: Value::Known("cn-hangzhou".into()),
        region_id: Value::Known("cn-hangzhou".into()),
        enabled: Value::Known(true),
        timeouts: Value::Known(Timeouts::from_pairs(&[
            ("create", Value::Known("10m".into())),
            ("read", Value::Null),
        ])),
    }
}

fn codec(c: &mut Criterion) {
    let s = state();
    let bytes = dynamic::to_msgpack(&Dynamic::encode(&s).expect("encode"));
    c.bench_function("dynamic/decode_state", |b| {
        b.iter(|| {
            let d = dynamic::from_msgpack(black_box(&bytes)).expect("msgpack");
            d.decode::<ResourceState>().expect("typed")
        })
    });
    c.bench_function("dynamic/encode_state", |b| {
        b.iter(|| dynamic::to_msgpack(&Dynamic::encode(black_box(&s)).expect("encode")))
    });
}

fn signing(c: &mut Criterion) {
    let params = vec![
        ("RegionId".to_string(), "cn-hangzhou".to_string()),
        (
            "ClientToken".to_string(),
            "tf-0b6f2a1c-1d2e-4f3a-8b9c-0d1e2f3a4b5c".to_string(),
        ),
    ];
    c.bench_function("sign/v1_open", |b| {
        b.iter(|| {
            sign::v1_sign_request(black_box(&sign::V1Input {
                method: "POST",
                action: "OpenPublicIpAddressPoolService",
                version: "2016-04-28",
                params: &params,
                access_key_id: "emulator-access-key",
                access_key_secret: "emulator-secret-key",
                security_token: None,
                timestamp: "2026-11-28T12:00:00Z",
                nonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            }))
        })
    });
    let payload = sign::hex_sha256(b"");
    let headers = vec![
        (
            "host".to_string(),
            "vpc.cn-hangzhou.aliyuncs.com".to_string(),
        ),
        (
            "x-acs-action".to_string(),
            "OpenPublicIpAddressPoolService".to_string(),
        ),
        ("x-acs-version".to_string(), "2016-04-28".to_string()),
        ("x-acs-date".to_string(), "2026-11-28T12:00:00Z".to_string()),
        (
            "x-acs-signature-nonce".to_string(),
            "3156853299f313e23d1673dc12e1703d".to_string(),
        ),
        ("x-acs-content-sha256".to_string(), payload.clone()),
    ];
    c.bench_function("sign/v3_open", |b| {
        b.iter(|| {
            sign::v3_sign(
                "emulator-secret-key",
                black_box(&sign::V3Request {
                    method: "POST",
                    path: "/",
                    query: &params,
                    headers: &headers,
                    hashed_payload: &payload,
                }),
            )
        })
    });
}

/// A certificate shaped like Terraform's: ECDSA P-521 with SHA-512, marked as a CA.
fn terraform_client_cert_pem() -> String {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("P-521 key");
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.self_signed(&key).expect("cert").pem()
}

fn startup(c: &mut Criterion) {
    c.bench_function("startup/server_identity", |b| b.iter(tls::server_identity));
    let client = tls::parse_client_cert(&terraform_client_cert_pem()).expect("client cert");
    let id = tls::server_identity().expect("identity");
    c.bench_function("startup/server_config", |b| {
        b.iter(|| tls::server_config(&id, client.clone()).expect("config"))
    });

    // The release binary (cargo bench builds it with the release settings), or PROVIDER_BIN.
    let bin = std::env::var("PROVIDER_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_terraform-provider-alicloudvpc").to_string());
    let pem = terraform_client_cert_pem();
    let mut g = c.benchmark_group("startup");
    g.sample_size(30).measurement_time(Duration::from_secs(4));
    g.bench_function("exec_to_handshake_line", |b| {
        b.iter(|| {
            let mut child = Command::new(&bin)
                .env_clear()
                .env(
                    "TF_PLUGIN_MAGIC_COOKIE",
                    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
                )
                .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
                .env("PLUGIN_MIN_PORT", "10000")
                .env("PLUGIN_MAX_PORT", "25000")
                .env("PLUGIN_CLIENT_CERT", &pem)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn provider");
            let mut line = String::new();
            BufReader::new(child.stdout.take().expect("stdout"))
                .read_line(&mut line)
                .expect("handshake line");
            assert!(line.starts_with("1|5|unix|"), "handshake: {line:?}");
            let _ = child.kill();
            let _ = child.wait();
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = codec, signing, startup
}
criterion_main!(benches);
