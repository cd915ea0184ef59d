//! Hostile input: garbage DynamicValues to every RPC that decodes one (property tests over the
//! in-process gRPC server), and garbage HTTP to the emulator. The rule in both cases: an error
//! the caller can read, never a panic, and the server answers normally afterwards.
//!
//! `ALICLOUDVPC_SOAK=N` multiplies the number of generated cases by N.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value as J, json};
use terraform_provider_alicloudvpc::plugin::dynamic;
use terraform_provider_alicloudvpc::plugin::proto::tfplugin5 as pb;
use terraform_provider_alicloudvpc::plugin::proto::tfplugin5::provider_client::ProviderClient;
use terraform_provider_alicloudvpc::tf::Dynamic;
use tonic::transport::Channel;

use super::common::emulator::Emulator;
use super::plugin_grpc::{RESOURCE, dv, errors, provider_config, start};
use super::reliability::soak_rounds;

/// Far above any answer here (the emulator answers in milliseconds and hostile input fails fast).
const CALL_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: cases * soak_rounds() as u32,
        failure_persistence: None,
        ..Config::default()
    })
}

fn raw(bytes: Vec<u8>) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: bytes,
        json: vec![],
    })
}

fn msgpack(v: &J) -> Vec<u8> {
    dynamic::to_msgpack(&Dynamic(v.clone()))
}

/// A resource object with every attribute, as Terraform sends it.
fn resource_object(region: &str) -> J {
    json!({"id": region, "region_id": region, "enabled": true, "timeouts": {"create": "1s", "read": "1s"}})
}

/// Calls every RPC that takes a DynamicValue with `value` in each of its DynamicValue fields
/// (the other fields well-formed), asserting each answers at the gRPC level. Returns the
/// calls (of 12) that answered without an error diagnostic.
async fn every_rpc(
    c: &mut ProviderClient<Channel>,
    url: &str,
    value: Option<pb::DynamicValue>,
) -> Vec<String> {
    let good_resource = dv(resource_object("cn-hangzhou"));
    let null = dv(J::Null);
    let mut accepted = Vec::new();
    let mut step = 0;
    let mut count = |d: &[pb::Diagnostic]| {
        step += 1;
        if errors(d).is_empty() {
            accepted.push(format!("call #{step}"));
        }
    };
    // A bound on every call turns a hang into a failure that proptest reports with its input
    // (the soak once stalled here with every runtime thread idle and no timer pending).
    macro_rules! call {
        ($method:ident, $req:expr) => {
            match tokio::time::timeout(CALL_LIMIT, c.$method($req)).await {
                Ok(Ok(r)) => r.into_inner(),
                Ok(Err(status)) => panic!(
                    "{} failed at the gRPC level (a panic in the handler?): {status}",
                    stringify!($method)
                ),
                Err(_) => panic!(
                    "{} did not answer within {CALL_LIMIT:?} (a hang)",
                    stringify!($method)
                ),
            }
        };
    }
    let r = call!(
        prepare_provider_config,
        pb::prepare_provider_config::Request {
            config: value.clone()
        }
    );
    count(&r.diagnostics);
    let r = call!(
        validate_resource_type_config,
        pb::validate_resource_type_config::Request {
            type_name: RESOURCE.into(),
            config: value.clone(),
        }
    );
    count(&r.diagnostics);
    let r = call!(
        validate_data_source_config,
        pb::validate_data_source_config::Request {
            type_name: RESOURCE.into(),
            config: value.clone(),
        }
    );
    count(&r.diagnostics);
    let r = call!(
        read_resource,
        pb::read_resource::Request {
            type_name: RESOURCE.into(),
            current_state: value.clone(),
            ..Default::default()
        }
    );
    count(&r.diagnostics);
    let r = call!(
        read_data_source,
        pb::read_data_source::Request {
            type_name: RESOURCE.into(),
            config: value.clone(),
            ..Default::default()
        }
    );
    count(&r.diagnostics);
    // Each of plan's and apply's three values in turn.
    for slot in 0..3 {
        let pick = |i| {
            if i == slot {
                value.clone()
            } else if i == 0 {
                null.clone()
            } else {
                good_resource.clone()
            }
        };
        let r = call!(
            plan_resource_change,
            pb::plan_resource_change::Request {
                type_name: RESOURCE.into(),
                prior_state: pick(0),
                proposed_new_state: pick(1),
                config: pick(2),
                ..Default::default()
            }
        );
        count(&r.diagnostics);
        let r = call!(
            apply_resource_change,
            pb::apply_resource_change::Request {
                type_name: RESOURCE.into(),
                prior_state: pick(0),
                planned_state: pick(1),
                config: pick(2),
                ..Default::default()
            }
        );
        count(&r.diagnostics);
    }
    // Configure last, then the good configuration again: whatever a hostile configuration
    // set up (e.g. default Alibaba endpoints) must never be used by the next case.
    let r = call!(
        configure,
        pb::configure::Request {
            terraform_version: "1.11.4".into(),
            config: value,
            client_capabilities: None,
        }
    );
    count(&r.diagnostics);
    configure(c, url).await;
    accepted
}

/// The server, configured against an in-process emulator (all traffic stays on loopback, and
/// an apply that gets that far finishes quickly).
async fn configured_server() -> (
    ProviderClient<Channel>,
    terraform_provider_alicloudvpc::emulator::Running,
) {
    let emu = terraform_provider_alicloudvpc::emulator::start(Default::default())
        .await
        .expect("emulator");
    let (mut c, _) = start().await;
    configure(&mut c, &emu.url()).await;
    (c, emu)
}

fn good_provider_config(url: &str) -> J {
    let mut cfg = provider_config("cn-hangzhou", Some(url));
    cfg["max_retries"] = json!(0);
    cfg
}

async fn configure(c: &mut ProviderClient<Channel>, url: &str) {
    let r = c
        .configure(pb::configure::Request {
            terraform_version: "1.11.4".into(),
            config: dv(good_provider_config(url)),
            client_capabilities: None,
        })
        .await
        .expect("configure")
        .into_inner();
    assert!(errors(&r.diagnostics).is_empty(), "{:?}", r.diagnostics);
}

/// The server still does real work: a read of an active region through the emulator.
async fn still_answers(c: &mut ProviderClient<Channel>, url: &str) {
    configure(c, url).await;
    let r = c
        .read_data_source(pb::read_data_source::Request {
            type_name: RESOURCE.into(),
            config: dv(json!({"id": null, "region_id": "cn-qingdao", "enabled": null})),
            ..Default::default()
        })
        .await
        .expect("read data source after the storm")
        .into_inner();
    assert!(errors(&r.diagnostics).is_empty(), "{:?}", r.diagnostics);
    let state = dynamic::from_msgpack(&r.state.expect("state").msgpack).expect("decode");
    assert_eq!(state.0["region_id"], "cn-qingdao");
}

#[test]
fn random_and_truncated_bytes_to_every_rpc() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (mut c, emu) = rt.block_on(configured_server());
    let url = emu.url();
    let valid = msgpack(&resource_object("cn-hangzhou"));
    let strategy = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        // A valid object cut anywhere: every prefix shorter than the whole is invalid.
        (1..valid.len()).prop_map(move |n| valid[..n].to_vec()),
        // Valid msgpack followed by junk.
        proptest::collection::vec(any::<u8>(), 1..8).prop_map(|tail| {
            let mut v = msgpack(&resource_object("cn-beijing"));
            v.extend(tail);
            v
        }),
    ];
    runner(48)
        .run(&strategy, |bytes| {
            rt.block_on(every_rpc(&mut c.clone(), &url, raw(bytes)));
            Ok(())
        })
        .expect("no case failed");
    // Truncations are always refused, by every RPC.
    let whole = msgpack(&resource_object("cn-hangzhou"));
    for n in [1, whole.len() / 2, whole.len() - 1] {
        let accepted = rt.block_on(every_rpc(&mut c, &url, raw(whole[..n].to_vec())));
        assert!(
            accepted.is_empty(),
            "a value cut at {n} bytes is an error everywhere: {accepted:?}"
        );
    }
    rt.block_on(still_answers(&mut c, &url));
}

/// Values of every shape Terraform might never send for an attribute.
fn hostile_value() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::from),
        any::<i64>().prop_map(J::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(J::from),
        ".{0,40}".prop_map(J::from),
        Just(Dynamic::unknown().0),
        prop_oneof![
            Just("0s"),
            Just("-5m"),
            Just("5 minutes"),
            Just("99999999999999999999h"),
            Just("1.5.5s"),
            Just("cn-hangzhou\u{0}"),
            Just("CN-HANGZHOU"),
            Just("../../etc/passwd"),
        ]
        .prop_map(J::from),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(J::Array),
            proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| J::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn wrong_types_unknown_attributes_and_odd_strings_in_every_attribute() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (mut c, emu) = rt.block_on(configured_server());
    let url = emu.url();
    let provider_attrs: Vec<String> = good_provider_config(&url)
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let resource_attrs = ["id", "region_id", "enabled", "timeouts"];
    let strategy = (
        any::<bool>(),
        0..provider_attrs.len().max(resource_attrs.len()) + 1,
        hostile_value(),
    );
    runner(64)
        .run(&strategy, |(provider_shape, idx, value)| {
            // Either a provider configuration or a resource object with one attribute replaced;
            // the index one past the end adds an attribute the schema does not have.
            let mut obj = if provider_shape {
                good_provider_config(&url)
            } else {
                resource_object("cn-hangzhou")
            };
            let names: Vec<String> = if provider_shape {
                provider_attrs.clone()
            } else {
                resource_attrs.iter().map(|s| s.to_string()).collect()
            };
            let key = names
                .get(idx)
                .cloned()
                .unwrap_or_else(|| "no_such_attribute".into());
            obj[key.as_str()] = value;
            rt.block_on(every_rpc(&mut c.clone(), &url, dv(obj)));
            Ok(())
        })
        .expect("no case failed");
    rt.block_on(still_answers(&mut c, &url));
}

#[test]
fn huge_strings_and_deep_nesting_are_refused_not_fatal() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (mut c, emu) = rt.block_on(configured_server());
    let url = emu.url();
    let huge = "a".repeat(1 << 20);
    let mut huge_region = resource_object("cn-hangzhou");
    huge_region["region_id"] = J::from(huge.clone());
    let mut huge_timeout = resource_object("cn-hangzhou");
    huge_timeout["timeouts"]["create"] = J::from(format!("{huge}s"));
    let mut huge_provider = good_provider_config(&url);
    huge_provider["region"] = J::from(huge.clone());
    for v in [huge_region, huge_timeout, huge_provider] {
        let accepted = rt.block_on(every_rpc(&mut c, &url, dv(v)));
        assert!(accepted.len() < 12, "a 1 MiB value is refused somewhere");
    }
    // Nesting deeper than the decoder allows, as arrays and as maps, and just within it.
    for depth in [100usize, 1000, 5000, 100_000] {
        let mut arrays = vec![0x91u8; depth];
        arrays.push(0xc0);
        let mut maps = Vec::with_capacity(depth * 3 + 1);
        for _ in 0..depth {
            maps.extend_from_slice(&[0x81, 0xa1, b'a']);
        }
        maps.push(0xc0);
        for bytes in [arrays, maps] {
            let accepted = rt.block_on(every_rpc(&mut c, &url, raw(bytes)));
            assert!(
                accepted.is_empty(),
                "depth {depth}: not an object of the schema: {accepted:?}"
            );
        }
    }
    // A declared length far beyond the bytes sent (array32 and str32 of 4 Gi).
    for bytes in [
        vec![0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0],
        vec![0xdb, 0xff, 0xff, 0xff, 0xff, b'a'],
    ] {
        let accepted = rt.block_on(every_rpc(&mut c, &url, raw(bytes)));
        assert!(accepted.is_empty(), "{accepted:?}");
    }
    rt.block_on(still_answers(&mut c, &url));
}

#[test]
fn upgrade_resource_state_with_garbage_json_and_flatmap() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (mut c, emu) = rt.block_on(configured_server());
    let url = emu.url();
    let upgrade = |c: &mut ProviderClient<Channel>, version: i64, raw: pb::RawState| {
        rt.block_on(
            c.upgrade_resource_state(pb::upgrade_resource_state::Request {
                type_name: RESOURCE.into(),
                version,
                raw_state: Some(raw),
            }),
        )
        .expect("UpgradeResourceState answers at the gRPC level")
        .into_inner()
    };
    let json_strategy = prop_oneof![
        proptest::collection::vec(any::<u8>(), 1..80),
        hostile_value().prop_map(|v| v.to_string().into_bytes()),
        hostile_value().prop_map(
            |v| json!({"id": v.clone(), "region_id": v, "enabled": "yes"})
                .to_string()
                .into_bytes()
        ),
    ];
    runner(64)
        .run(&(json_strategy, -2i64..3), |(bytes, version)| {
            let r = upgrade(
                &mut c.clone(),
                version,
                pb::RawState {
                    json: bytes,
                    flatmap: Default::default(),
                },
            );
            // Either a clean upgrade or a diagnostic, never both missing.
            prop_assert!(r.upgraded_state.is_some() || !errors(&r.diagnostics).is_empty());
            Ok(())
        })
        .expect("no case failed");
    let flat_strategy = proptest::collection::btree_map(
        prop_oneof![
            Just("id".to_string()),
            Just("region_id".to_string()),
            Just("enabled".to_string()),
            Just("timeouts.create".to_string()),
            Just("timeouts.#".to_string()),
            ".{0,12}"
        ],
        ".{0,20}",
        0..6,
    );
    runner(64)
        .run(&flat_strategy, |m| {
            let r = upgrade(
                &mut c.clone(),
                0,
                pb::RawState {
                    json: vec![],
                    flatmap: m.into_iter().collect(),
                },
            );
            prop_assert!(r.upgraded_state.is_some() || !errors(&r.diagnostics).is_empty());
            Ok(())
        })
        .expect("no case failed");
    // Deep JSON beyond serde_json's recursion limit.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let r = upgrade(
        &mut c,
        0,
        pb::RawState {
            json: deep.into_bytes(),
            flatmap: Default::default(),
        },
    );
    assert!(!errors(&r.diagnostics).is_empty());
    rt.block_on(still_answers(&mut c, &url));
}

// ---- the emulator over raw TCP ----

/// Sends `request` bytes and reads the answer until the emulator closes the connection or
/// 3 s pass. With `half_close`, the write side is shut after sending (hyper then may close
/// without answering: only for garbage that has no complete request in it).
fn raw_http_with(emu: &Emulator, request: &[u8], half_close: bool) -> String {
    let mut s = TcpStream::connect(emu.addr()).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(3)))
        .expect("timeout");
    // The emulator may close early (e.g. 413 before the whole body): a failed write is fine.
    let _ = s.write_all(request);
    if half_close {
        let _ = s.shutdown(std::net::Shutdown::Write);
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn raw_http(emu: &Emulator, request: &[u8]) -> String {
    raw_http_with(emu, request, false)
}

fn status_of(resp: &str) -> u16 {
    resp.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn json_body(resp: &str) -> J {
    resp.split_once("\r\n\r\n")
        .and_then(|(_, b)| serde_json::from_str(b).ok())
        .unwrap_or(J::Null)
}

fn get(emu: &Emulator, path_and_query: &str) -> String {
    raw_http(
        emu,
        format!(
            "GET {path_and_query} HTTP/1.1\r\nHost: vpc.aliyuncs.com\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
}

/// An Alibaba-shaped error: the five fields, and a code.
fn assert_alibaba_error(resp: &str, want_status: u16, code_prefix: &str) {
    assert_eq!(status_of(resp), want_status, "{resp}");
    let b = json_body(resp);
    for k in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(b.get(k).is_some(), "{k} missing in {resp}");
    }
    assert!(
        b["Code"]
            .as_str()
            .is_some_and(|c| c.starts_with(code_prefix)),
        "want {code_prefix}: {resp}"
    );
}

fn emulator_alive(emu: &Emulator) {
    let (status, state) = emu.call("GET", "/_emulator/state", None);
    assert_eq!(status, 200, "the emulator still answers");
    assert!(state["accounts"].is_array());
}

#[test]
fn malformed_http_gets_an_error_or_a_close_never_a_crash() {
    let emu = Emulator::start();
    let cases: Vec<Vec<u8>> = vec![
        b"\x00\x01\x02\xff\xfe garbage\r\n\r\n".to_vec(),
        b"GET\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcde"
            .to_vec(),
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nshort".to_vec(),
        format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000)).into_bytes(),
        format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "b".repeat(200_000)).into_bytes(),
        b"GET / HTTP/1.1\r\nBad Header Without Colon\r\n\r\n".to_vec(),
        vec![b'A'; 10_000],
        Vec::new(),
    ];
    for (i, case) in cases.iter().enumerate() {
        let resp = raw_http(&emu, case);
        let status = status_of(&resp);
        assert!(
            resp.is_empty() || (400..500).contains(&status),
            "case {i}: a client error or a closed connection, got {resp:?}"
        );
        emulator_alive(&emu);
    }
    // Random bytes, bounded in count.
    let mut runner = runner(64);
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..512), |bytes| {
            let resp = raw_http_with(&emu, &bytes, true);
            prop_assert!(resp.is_empty() || resp.starts_with("HTTP/1.1 "));
            prop_assert!(!resp.starts_with("HTTP/1.1 5"), "{}", resp);
            Ok(())
        })
        .expect("no case failed");
    emulator_alive(&emu);
}

#[test]
fn oversized_body_gets_413_in_alibaba_shape_and_the_emulator_lives_on() {
    let emu = Emulator::start();
    let body =
        "a=".to_string() + &"b".repeat(terraform_provider_alicloudvpc::emulator::MAX_BODY_BYTES);
    let req = format!(
        "POST / HTTP/1.1\r\nHost: vpc.aliyuncs.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let resp = raw_http(&emu, req.as_bytes());
    assert_alibaba_error(&resp, 413, "RequestEntityTooLarge");
    // Chunked, with no declared length, over the limit as well.
    let mut chunked =
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
    for _ in 0..20 {
        chunked.extend_from_slice(format!("{:x}\r\n", 64 * 1024).as_bytes());
        chunked.extend(std::iter::repeat_n(b'c', 64 * 1024));
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_alibaba_error(&raw_http(&emu, &chunked), 413, "RequestEntityTooLarge");
    emulator_alive(&emu);
}

#[test]
fn bad_encodings_and_signature_edge_cases_get_alibaba_errors() {
    let emu = Emulator::start();
    let common = "Version=2016-04-28&Action=GetPublicIpAddressPoolServiceStatus&RegionId=cn-hangzhou&Format=JSON&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=n1&Timestamp=2020-01-01T00%3A00%3A00Z";
    let cases: Vec<(String, u16, &str)> = vec![
        // Invalid UTF-8 and bad percent-encoding in the query.
        (
            format!("/?{common}&AccessKeyId=%FF%FE&Signature=x"),
            404,
            "InvalidAccessKeyId",
        ),
        (
            format!("/?{common}&AccessKeyId=%zz%&Signature=%"),
            404,
            "InvalidAccessKeyId",
        ),
        ("/?Action=%C3%28&Version=2016-04-28".to_string(), 400, ""),
        // Missing signature, empty key ID, duplicated parameters.
        (
            format!("/?{common}&AccessKeyId=emulator-access-key"),
            400,
            "",
        ),
        (format!("/?{common}&AccessKeyId=&Signature=abc"), 400, ""),
        (
            format!(
                "/?{common}&AccessKeyId=emulator-access-key&AccessKeyId=other&Signature=a&Signature=b"
            ),
            400,
            "",
        ),
        ("/?".to_string(), 400, ""),
        ("/?&&&==&=&".to_string(), 400, ""),
    ];
    for (path, status, code) in &cases {
        let resp = get(&emu, path);
        let got = status_of(&resp);
        assert!(
            (400..500).contains(&got),
            "{path}: a client error, got {resp}"
        );
        let want_status = if code.is_empty() { got } else { *status };
        assert_alibaba_error(&resp, want_status, code);
    }
    // The same in a form body, with invalid UTF-8 bytes.
    let mut body = format!("{common}&AccessKeyId=").into_bytes();
    body.extend_from_slice(&[0xff, 0xfe, b'&']);
    body.extend_from_slice(b"Signature=%G0");
    let mut req = format!(
        "POST / HTTP/1.1\r\nHost: vpc.aliyuncs.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend(body);
    let resp = raw_http(&emu, &req);
    assert!((400..500).contains(&status_of(&resp)), "{resp}");
    assert_alibaba_error(&resp, status_of(&resp), "");
    // A V3 Authorization header that does not parse.
    let resp = raw_http(
        &emu,
        b"POST / HTTP/1.1\r\nHost: vpc.aliyuncs.com\r\nAuthorization: ACS3-HMAC-SHA256 Credential\r\nx-acs-action: OpenPublicIpAddressPoolService\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_alibaba_error(&resp, 400, "IncompleteSignature");
    // Nothing above was recorded as a success, and the emulator still works.
    assert!(
        emu.requests().iter().all(|r| !r["code"].is_null()),
        "{:?}",
        emu.requests()
    );
    emulator_alive(&emu);
}
