//! `ListPublicIpAddressPools`: filters, decoding of every pool field, and the paging helper.

use serde_json::json;
use terraform_provider_alicloudvpc::alicloud::vpc::ListPublicIpAddressPoolsRequest;
use terraform_provider_alicloudvpc::alicloud::{Error, SignVersion, Tag};

use crate::harness::*;

fn pool(id: &str) -> serde_json::Value {
    json!({"PublicIpAddressPoolId": id, "Name": format!("name-{id}"), "Status": "Created",
        "Isp": "BGP", "TotalIpNum": 256, "UsedIpNum": 0, "IpAddressRemaining": true,
        "RegionId": REGION, "OwnerId": 1_234_567_890_123_456_u64, "Tags": []})
}

fn pool_page(ids: &[&str], next: &str) -> Step {
    let list: Vec<_> = ids.iter().map(|id| pool(id)).collect();
    ok(
        json!({"RequestId": "RID-L", "NextToken": next, "TotalCount": 5,
        "PublicIpAddressPoolList": list}),
    )
}

#[tokio::test]
async fn list_sends_every_filter_and_decodes_a_full_pool() {
    let full = json!({"RequestId": "RID-L", "NextToken": "", "TotalCount": "1",
        "PublicIpAddressPoolList": [{
            "PublicIpAddressPoolId": "pippool-1", "Name": "n", "Description": "d",
            "Isp": "BGP_PRO", "Status": "Modifying", "BusinessStatus": "Normal",
            "CreationTime": "2022-05-10T01:37:38Z", "TotalIpNum": "512", "UsedIpNum": "7",
            "IpAddressRemaining": "false", "RegionId": REGION, "OwnerId": "1234567890123456",
            "ResourceGroupId": "rg-1", "UserType": "admin", "ShareType": "Shared",
            "BizType": "Default", "Zones": ["cn-hangzhou-a"],
            "SecurityProtectionTypes": ["AntiDDoS_Enhanced"],
            "Tags": [{"Key": "env", "Value": "prod"}]}]});
    let server = Server::start(vec![ok(full)]).await;
    let request = ListPublicIpAddressPoolsRequest {
        public_ip_address_pool_ids: vec!["pippool-1".into(), "pippool-2".into()],
        name: Some("n".into()),
        isp: Some("BGP_PRO".into()),
        status: Some("Modifying".into()),
        resource_group_id: Some("rg-1".into()),
        security_protection_enabled: Some(true),
        tags: vec![Tag::new("env", "prod")],
        max_results: Some(10),
        next_token: Some("tok-page".into()),
        dry_run: false,
    };
    let page = server
        .client(SignVersion::V3)
        .list_public_ip_address_pools(&creds(), REGION, &request, &opts())
        .await
        .expect("page");
    let seen = server.seen();
    assert_all(&seen, "ListPublicIpAddressPools");
    assert_eq!(
        seen[0].op_params(),
        params(&[
            ("RegionId", REGION),
            ("PublicIpAddressPoolIds.1", "pippool-1"),
            ("PublicIpAddressPoolIds.2", "pippool-2"),
            ("Name", "n"),
            ("Isp", "BGP_PRO"),
            ("Status", "Modifying"),
            ("ResourceGroupId", "rg-1"),
            ("SecurityProtectionEnabled", "true"),
            ("Tags.1.Key", "env"),
            ("Tags.1.Value", "prod"),
            ("MaxResults", "10"),
            ("NextToken", "tok-page"),
        ])
    );
    assert_eq!((page.total_count, page.next_token.as_str()), (1, ""));
    let p = &page.public_ip_address_pool_list[0];
    assert_eq!(
        (
            p.total_ip_num,
            p.used_ip_num,
            p.ip_address_remaining,
            p.owner_id
        ),
        (512, 7, false, 1_234_567_890_123_456)
    );
    assert_eq!(
        (
            p.status.as_str(),
            p.business_status.as_str(),
            p.creation_time.as_str()
        ),
        ("Modifying", "Normal", "2022-05-10T01:37:38Z")
    );
    assert_eq!(
        (
            p.user_type.as_str(),
            p.share_type.as_str(),
            p.biz_type.as_str()
        ),
        ("admin", "Shared", "Default")
    );
    assert_eq!(
        (p.name.as_str(), p.description.as_str(), p.isp.as_str()),
        ("n", "d", "BGP_PRO")
    );
    assert_eq!(
        (p.region_id.as_str(), p.resource_group_id.as_str()),
        (REGION, "rg-1")
    );
    assert_eq!(p.zones, vec!["cn-hangzhou-a"]);
    assert_eq!(p.security_protection_types, vec!["AntiDDoS_Enhanced"]);
    assert_eq!(p.tags, vec![Tag::new("env", "prod")]);
}

#[tokio::test]
async fn list_all_reads_three_pages_with_max_results_100() {
    let server = Server::start(vec![
        pool_page(&["pippool-1", "pippool-2"], "t2"),
        api_error(400, "Throttling.Api"),
        pool_page(&["pippool-3", "pippool-4"], "t3"),
        pool_page(&["pippool-5"], ""),
    ])
    .await;
    let filter = ListPublicIpAddressPoolsRequest {
        status: Some("Created".into()),
        next_token: Some("ignored".into()),
        ..Default::default()
    };
    let pools = server
        .client(SignVersion::V1)
        .list_all_public_ip_address_pools(&creds(), REGION, &filter, &opts())
        .await
        .expect("all pages");
    let ids: Vec<_> = pools
        .iter()
        .map(|p| p.public_ip_address_pool_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "pippool-1",
            "pippool-2",
            "pippool-3",
            "pippool-4",
            "pippool-5"
        ]
    );
    let seen = server.seen();
    assert_all(&seen, "ListPublicIpAddressPools");
    let base = [
        ("RegionId", REGION),
        ("Status", "Created"),
        ("MaxResults", "100"),
    ];
    let with = |token: &str| {
        let mut p = params(&base);
        p.insert("NextToken".into(), token.into());
        p
    };
    let sent: Vec<_> = seen.iter().map(|s| s.op_params()).collect();
    assert_eq!(
        sent,
        vec![params(&base), with("t2"), with("t2"), with("t3")]
    );
}

#[tokio::test]
async fn list_all_sends_at_most_100_ids_per_listing() {
    let ids: Vec<String> = (0..250).map(|i| format!("pippool-{i:03}")).collect();
    let server = Server::start(vec![
        pool_page(&["pippool-000"], ""),
        pool_page(&["pippool-100"], "more"),
        pool_page(&["pippool-150"], ""),
        pool_page(&["pippool-249"], ""),
    ])
    .await;
    let filter = ListPublicIpAddressPoolsRequest {
        public_ip_address_pool_ids: ids.clone(),
        max_results: Some(50),
        ..Default::default()
    };
    let pools = server
        .client(SignVersion::V1)
        .list_all_public_ip_address_pools(&creds(), REGION, &filter, &opts())
        .await
        .expect("three batches");
    assert_eq!(pools.len(), 4);
    let seen = server.seen();
    assert_eq!(seen.len(), 4, "batches of 100, 100 (two pages) and 50");
    let id_count = |s: &Seen| {
        s.params
            .keys()
            .filter(|k| k.starts_with("PublicIpAddressPoolIds."))
            .count()
    };
    assert_eq!(
        seen.iter().map(id_count).collect::<Vec<_>>(),
        [100, 100, 100, 50]
    );
    assert_eq!(seen[1].params["PublicIpAddressPoolIds.1"], "pippool-100");
    assert_eq!(seen[2].params["NextToken"], "more");
    assert_eq!(seen[3].params["PublicIpAddressPoolIds.50"], "pippool-249");
    assert!(seen.iter().all(|s| s.params["MaxResults"] == "50"));
}

#[tokio::test]
async fn list_all_refuses_a_repeated_next_token() {
    let server = Server::start(vec![
        pool_page(&["pippool-1"], "same"),
        pool_page(&["pippool-2"], "same"),
    ])
    .await;
    let err = server
        .client(SignVersion::V1)
        .list_all_public_ip_address_pools(&creds(), REGION, &Default::default(), &opts())
        .await
        .expect_err("loop guard");
    assert!(
        matches!(&err, Error::Decode { reason, .. } if reason.contains("NextToken \"same\" again")),
        "{err:?}"
    );
    assert_eq!(server.seen().len(), 2);
}
