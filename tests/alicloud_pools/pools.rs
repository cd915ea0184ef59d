//! Pool writes: create, update and delete.

use std::collections::HashSet;

use serde_json::json;
use terraform_provider_alicloudvpc::alicloud::vpc::{
    CreatePublicIpAddressPoolRequest, DeletePublicIpAddressPoolRequest,
    UpdatePublicIpAddressPoolAttributeRequest,
};
use terraform_provider_alicloudvpc::alicloud::{Error, SignVersion, Tag};

use crate::harness::*;

fn create_request() -> CreatePublicIpAddressPoolRequest {
    CreatePublicIpAddressPoolRequest {
        isp: Some("BGP".into()),
        name: Some("pool one".into()),
        description: Some("for tests".into()),
        resource_group_id: Some("rg-acfm".into()),
        biz_type: Some("CloudBox".into()),
        zones: vec!["cn-hangzhou-a".into(), "cn-hangzhou-b".into()],
        security_protection_types: vec!["AntiDDoS_Enhanced".into()],
        tags: vec![Tag::new("env", "prod"), Tag::new("team", "net/ops")],
        dry_run: false,
    }
}

fn create_params() -> Vec<(&'static str, &'static str)> {
    vec![
        ("RegionId", REGION),
        ("ClientToken", "tok-create-1"),
        ("Isp", "BGP"),
        ("Name", "pool one"),
        ("Description", "for tests"),
        ("ResourceGroupId", "rg-acfm"),
        ("BizType", "CloudBox"),
        ("Zones.1", "cn-hangzhou-a"),
        ("Zones.2", "cn-hangzhou-b"),
        ("SecurityProtectionTypes.1", "AntiDDoS_Enhanced"),
        ("Tag.1.Key", "env"),
        ("Tag.1.Value", "prod"),
        ("Tag.2.Key", "team"),
        ("Tag.2.Value", "net/ops"),
    ]
}

#[tokio::test]
async fn create_sends_flattened_lists_and_keeps_its_client_token_across_retries() {
    for version in [SignVersion::V1, SignVersion::V3] {
        let server = Server::start(vec![
            api_error(400, "Throttling.User"),
            Step::Drop,
            api_error(400, "OperationFailed.LastTokenProcessing"),
            api_error(400, "IncorrectStatus.PublicIpAddressPool"),
            ok(
                json!({"RequestId": "RID-C", "PulbicIpAddressPoolId": "pippool-sic",
                "PublicIpAddressPoolId": "pippool-sic", "ResourceGroupId": "rg-acfm"}),
            ),
        ])
        .await;
        let r = server
            .client(version)
            .create_public_ip_address_pool(
                &creds(),
                REGION,
                "tok-create-1",
                &create_request(),
                &opts(),
            )
            .await
            .expect("created after retries");
        assert_eq!(r.public_ip_address_pool_id, "pippool-sic");
        assert_eq!(r.resource_group_id, "rg-acfm");
        assert_eq!(r.request_id, "RID-C");
        let seen = server.seen();
        assert_eq!(seen.len(), 5, "{version:?}");
        assert_all(&seen, "CreatePublicIpAddressPool");
        for s in &seen {
            assert_eq!(s.op_params(), params(&create_params()), "{version:?}");
        }
        let nonces: HashSet<_> = seen
            .iter()
            .filter_map(|s| s.params.get("SignatureNonce"))
            .collect();
        if version == SignVersion::V1 {
            assert_eq!(nonces.len(), 5, "a fresh nonce per attempt");
        }
    }
}

#[tokio::test]
async fn create_reads_the_id_from_either_spelling_and_sends_dry_run() {
    let server = Server::start(vec![
        ok(json!({"RequestId": "R1", "PulbicIpAddressPoolId": "pippool-old"})),
        ok(json!({"RequestId": "R2", "PublicIpAddressPoolId": "pippool-new"})),
        api_error(400, "DryRunOperation"),
        ok(json!({"RequestId": "R4"})),
    ])
    .await;
    let c = server.client(SignVersion::V1);
    let minimal = CreatePublicIpAddressPoolRequest::default();
    let r = c
        .create_public_ip_address_pool(&creds(), REGION, "t1", &minimal, &opts())
        .await
        .expect("old spelling");
    assert_eq!(r.public_ip_address_pool_id, "pippool-old");
    let r = c
        .create_public_ip_address_pool(&creds(), REGION, "t2", &minimal, &opts())
        .await
        .expect("new spelling");
    assert_eq!(r.public_ip_address_pool_id, "pippool-new");
    let dry = CreatePublicIpAddressPoolRequest {
        dry_run: true,
        ..Default::default()
    };
    let err = c
        .create_public_ip_address_pool(&creds(), REGION, "t3", &dry, &opts())
        .await
        .expect_err("a dry run answers DryRunOperation");
    assert_api_error(&err, 400, "DryRunOperation");
    let err = c
        .create_public_ip_address_pool(&creds(), REGION, "t4", &minimal, &opts())
        .await
        .expect_err("no ID at all");
    assert!(
        matches!(&err, Error::Decode { reason, .. } if reason.contains("PublicIpAddressPoolId")),
        "{err:?}"
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 4, "a missing ID is not retried");
    assert_eq!(
        seen[0].op_params(),
        params(&[("RegionId", REGION), ("ClientToken", "t1")])
    );
    assert_eq!(
        seen[2].op_params(),
        params(&[
            ("RegionId", REGION),
            ("ClientToken", "t3"),
            ("DryRun", "true")
        ])
    );
}

#[tokio::test]
async fn update_and_delete_parameters() {
    let server = Server::start(vec![
        ack("RID-U"),
        api_error(503, "ServiceUnavailable"),
        ack("RID-D"),
    ])
    .await;
    let c = server.client(SignVersion::V3);
    let update = UpdatePublicIpAddressPoolAttributeRequest {
        public_ip_address_pool_id: "pippool-1".into(),
        name: Some("renamed".into()),
        description: Some(String::new()),
        dry_run: true,
    };
    let r = c
        .update_public_ip_address_pool_attribute(&creds(), REGION, "tok-u", &update, &opts())
        .await
        .expect("updated");
    assert_eq!(r.request_id, "RID-U");
    let delete = DeletePublicIpAddressPoolRequest {
        public_ip_address_pool_id: "pippool-1".into(),
        dry_run: false,
    };
    let r = c
        .delete_public_ip_address_pool(&creds(), REGION, "tok-d", &delete, &opts())
        .await
        .expect("deleted after a 503");
    assert_eq!(r.request_id, "RID-D");
    let seen = server.seen();
    assert_all(&seen[..1], "UpdatePublicIpAddressPoolAttribute");
    assert_all(&seen[1..], "DeletePublicIpAddressPool");
    assert_eq!(
        seen[0].op_params(),
        params(&[
            ("RegionId", REGION),
            ("ClientToken", "tok-u"),
            ("PublicIpAddressPoolId", "pippool-1"),
            ("Name", "renamed"),
            ("Description", ""),
            ("DryRun", "true"),
        ])
    );
    let delete_params = params(&[
        ("RegionId", REGION),
        ("ClientToken", "tok-d"),
        ("PublicIpAddressPoolId", "pippool-1"),
    ]);
    assert_eq!(seen[1].op_params(), delete_params);
    assert_eq!(
        seen[2].op_params(),
        delete_params,
        "same token on the retry"
    );
}

#[tokio::test]
async fn final_errors_carry_code_and_request_id_and_are_not_retried() {
    let server = Server::start(vec![api_error(400, "ResourceNotFound.PublicIpAddressPool")]).await;
    let delete = DeletePublicIpAddressPoolRequest {
        public_ip_address_pool_id: "pippool-gone".into(),
        dry_run: false,
    };
    let err = server
        .client(SignVersion::V1)
        .delete_public_ip_address_pool(&creds(), REGION, "tok", &delete, &opts())
        .await
        .expect_err("not found");
    assert_api_error(&err, 400, "ResourceNotFound.PublicIpAddressPool");
    assert!(
        err.to_string()
            .contains("RID-ResourceNotFound.PublicIpAddressPool")
    );
    assert_eq!(server.seen().len(), 1);
}
