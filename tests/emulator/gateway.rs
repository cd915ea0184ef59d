//! The gateway checks: signatures in every mode, timestamps, nonces, routing, body limits.

use crate::client::{ALL_MODES, Call, Client, Mode, PARAM_MODES, control, now_timestamp};
use crate::start;

#[tokio::test]
async fn signatures_accepted_in_every_mode() {
    let emu = start().await;
    let c = Client::demo(&emu.url());
    for mode in ALL_MODES {
        let r = c.call(&Call::status(mode, "cn-hangzhou")).await;
        assert_eq!(r.status, 200, "{mode:?}: {}", r.body);
        assert_eq!(r.body["Enabled"], false);
        assert!(r.body["RequestId"].as_str().is_some());
    }
    let (_, log) = control(&emu.url(), "GET", "/_emulator/requests", None).await;
    let methods: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["signature_method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["HMAC-SHA1", "HMAC-SHA1", "ACS3-HMAC-SHA256"]);
}

#[tokio::test]
async fn wrong_secret_gets_signature_does_not_match_with_server_string_to_sign() {
    let emu = start().await;
    let c = Client::new(&emu.url(), "emulator-access-key", "not-the-secret");
    for mode in ALL_MODES {
        let r = c.call(&Call::status(mode, "cn-hangzhou")).await;
        assert_eq!(r.status, 400, "{mode:?}");
        assert_eq!(r.code(), "SignatureDoesNotMatch");
        assert!(
            r.message().contains("server string to sign is:"),
            "{}",
            r.message()
        );
        for field in ["RequestId", "HostId", "Recommend"] {
            assert!(r.body[field].is_string(), "{field} missing: {}", r.body);
        }
        let sts = r
            .message()
            .split("server string to sign is:")
            .nth(1)
            .unwrap();
        match mode {
            Mode::V1Query => assert!(sts.starts_with("GET&%2F&AccessKeyId%3Demulator-access-key")),
            Mode::V1Form => assert!(sts.starts_with("POST&%2F&")),
            Mode::V3 | Mode::V3Form => assert!(sts.starts_with("ACS3-HMAC-SHA256\n")),
        }
    }
}

#[tokio::test]
async fn tampered_parameter_is_rejected() {
    let emu = start().await;
    let c = Client::demo(&emu.url());
    for mode in PARAM_MODES {
        let mut call = Call::status(mode, "cn-hangzhou");
        call.tamper = Some(("RegionId".into(), "cn-beijing".into()));
        let r = c.call(&call).await;
        assert_eq!(r.status_code(), (400, "SignatureDoesNotMatch"), "{mode:?}");
    }
}

#[tokio::test]
async fn timestamps_outside_fifteen_minutes_or_malformed_are_rejected() {
    let emu = start().await;
    let c = Client::demo(&emu.url());
    for mode in ALL_MODES {
        let mut call = Call::status(mode, "cn-hangzhou");
        call.timestamp = Some(now_timestamp(time::Duration::minutes(-16)));
        let r = c.call(&call).await;
        assert_eq!(
            r.status_code(),
            (400, "InvalidTimeStamp.Expired"),
            "{mode:?}"
        );
        call.timestamp = Some(now_timestamp(time::Duration::minutes(16)));
        assert_eq!(c.call(&call).await.code(), "InvalidTimeStamp.Expired");
        call.timestamp = Some(now_timestamp(time::Duration::minutes(-14)));
        assert_eq!(c.call(&call).await.status, 200, "{mode:?} within skew");
        call.timestamp = Some("yesterday".into());
        call.nonce = None;
        let r = c.call(&call).await;
        assert_eq!(
            r.status_code(),
            (400, "InvalidTimeStamp.Format"),
            "{mode:?}"
        );
    }
}

#[tokio::test]
async fn reused_nonce_is_rejected() {
    let emu = start().await;
    let c = Client::demo(&emu.url());
    for mode in ALL_MODES {
        let mut call = Call::status(mode, "cn-hangzhou");
        call.nonce = Some(format!("fixed-nonce-{mode:?}"));
        assert_eq!(c.call(&call).await.status, 200);
        let r = c.call(&call).await;
        assert_eq!(r.status_code(), (400, "SignatureNonceUsed"), "{mode:?}");
    }
    // A bad signature does not burn its nonce.
    let bad = Client::new(&emu.url(), "emulator-access-key", "wrong");
    let mut call = Call::status(Mode::V1Query, "cn-hangzhou");
    call.nonce = Some("kept".into());
    assert_eq!(bad.call(&call).await.code(), "SignatureDoesNotMatch");
    assert_eq!(c.call(&call).await.status, 200);
}

#[tokio::test]
async fn gateway_errors_for_key_parameters_action_version_region() {
    let emu = start().await;
    let c = Client::demo(&emu.url());
    let unknown = Client::new(&emu.url(), "nobody", "x");
    for mode in ALL_MODES {
        let r = unknown.call(&Call::status(mode, "cn-hangzhou")).await;
        assert_eq!(r.status_code(), (404, "InvalidAccessKeyId.NotFound"));
        let r = c
            .call(&Call::new(
                mode,
                "GetPublicIpAddressPoolServiceStatus",
                "2016-04-28",
                &[],
            ))
            .await;
        assert_eq!(r.status_code(), (400, "MissingParameter"));
        assert!(r.message().contains("RegionId"), "{}", r.message());
        let r = c
            .call(&Call::vpc(mode, "DescribeNothing", "cn-hangzhou"))
            .await;
        assert_eq!(r.status_code(), (404, "InvalidAction.NotFound"));
        let mut call = Call::status(mode, "cn-hangzhou");
        call.version = "2099-01-01".into();
        let r = c.call(&call).await;
        assert_eq!(r.status_code(), (400, "InvalidVersion"));
        let r = c.call(&Call::status(mode, "mars-north-1")).await;
        assert_eq!(r.status_code(), (404, "InvalidRegionId.NotFound"));
    }
}

#[tokio::test]
async fn oversized_body_gets_413() {
    let emu = start().await;
    let resp = reqwest::Client::new()
        .post(format!("{}/", emu.url()))
        .body(vec![b'a'; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 413);
}

#[tokio::test]
async fn a_parameter_in_query_and_form_body_is_signed_once_with_the_body_value() {
    // The legacy Python SDK (aliyun-python-sdk-core) puts RegionId in the query itself, and a
    // CommonRequest POST may carry it in the body too: the official signers sign one merged map.
    let emu = start().await;
    let c = Client::demo(&emu.url());
    let mut call = Call::status(Mode::V1Form, "cn-hangzhou");
    call.also_in_query = vec![("RegionId".into(), "cn-hangzhou".into())];
    let r = c.call(&call).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Different values: the body's wins, for the signature and for the operation.
    control(
        &emu.url(),
        "PUT",
        "/_emulator/accounts/1234567890123456/regions/cn-beijing",
        Some(serde_json::json!({"enabled": true})),
    )
    .await;
    let mut call = Call::status(Mode::V1Form, "cn-beijing");
    call.also_in_query = vec![("RegionId".into(), "cn-shanghai".into())];
    let r = c.call(&call).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["Enabled"], true, "the body's RegionId was used");
    // The server's string to sign (shown on a mismatch) holds the parameter once.
    let mut call = Call::status(Mode::V1Form, "cn-hangzhou");
    call.also_in_query = vec![("RegionId".into(), "cn-hangzhou".into())];
    let bad = Client::new(&emu.url(), "emulator-access-key", "wrong");
    let r = bad.call(&call).await;
    assert_eq!(r.code(), "SignatureDoesNotMatch");
    let sts = r
        .message()
        .split("server string to sign is:")
        .nth(1)
        .unwrap();
    assert_eq!(sts.matches("RegionId").count(), 1, "{sts}");
}
