//! CIDR blocks: add by mask and by block, delete, and paged listing.

use serde_json::json;
use terraform_provider_alicloudvpc::alicloud::SignVersion;
use terraform_provider_alicloudvpc::alicloud::vpc::{
    AddPublicIpAddressPoolCidrBlockRequest, DeletePublicIpAddressPoolCidrBlockRequest,
    ListPublicIpAddressPoolCidrBlocksRequest,
};

use crate::harness::*;

#[tokio::test]
async fn add_by_mask_and_by_block_keeps_the_token_across_retries() {
    let server = Server::start(vec![
        api_error(400, "OperationConflict"),
        ok(json!({"RequestId": "RID-A1", "CidrBlock": "47.0.0.0/26"})),
        ok(json!({"RequestId": "RID-A2", "CidrBlock": "47.1.0.0/24"})),
        api_error(400, "DryRunOperation"),
    ])
    .await;
    let c = server.client(SignVersion::V1);
    let by_mask = AddPublicIpAddressPoolCidrBlockRequest {
        public_ip_address_pool_id: "pippool-1".into(),
        cidr_mask: Some(26),
        ..Default::default()
    };
    let r = c
        .add_public_ip_address_pool_cidr_block(&creds(), REGION, "tok-mask", &by_mask, &opts())
        .await
        .expect("allocated");
    assert_eq!(
        (r.cidr_block.as_str(), r.request_id.as_str()),
        ("47.0.0.0/26", "RID-A1")
    );
    let by_block = AddPublicIpAddressPoolCidrBlockRequest {
        public_ip_address_pool_id: "pippool-1".into(),
        cidr_block: Some("47.1.0.0/24".into()),
        ..Default::default()
    };
    let r = c
        .add_public_ip_address_pool_cidr_block(&creds(), REGION, "tok-block", &by_block, &opts())
        .await
        .expect("added");
    assert_eq!(r.cidr_block, "47.1.0.0/24");
    let dry = AddPublicIpAddressPoolCidrBlockRequest {
        dry_run: true,
        ..by_block
    };
    let err = c
        .add_public_ip_address_pool_cidr_block(&creds(), REGION, "tok-dry", &dry, &opts())
        .await
        .expect_err("dry run");
    assert_api_error(&err, 400, "DryRunOperation");

    let seen = server.seen();
    assert_all(&seen, "AddPublicIpAddressPoolCidrBlock");
    let mask = params(&[
        ("RegionId", REGION),
        ("ClientToken", "tok-mask"),
        ("PublicIpAddressPoolId", "pippool-1"),
        ("CidrMask", "26"),
    ]);
    assert_eq!(seen[0].op_params(), mask);
    assert_eq!(seen[1].op_params(), mask, "the retry reuses the token");
    assert_eq!(
        seen[2].op_params(),
        params(&[
            ("RegionId", REGION),
            ("ClientToken", "tok-block"),
            ("PublicIpAddressPoolId", "pippool-1"),
            ("CidrBlock", "47.1.0.0/24"),
        ])
    );
    assert_eq!(seen[3].params["DryRun"], "true");
}

#[tokio::test]
async fn delete_parameters_and_final_error() {
    let server = Server::start(vec![
        ack("RID-D"),
        api_error(400, "OperationFailed.CidrBlockInUse"),
    ])
    .await;
    let c = server.client(SignVersion::V3);
    let request = DeletePublicIpAddressPoolCidrBlockRequest {
        public_ip_address_pool_id: "pippool-1".into(),
        cidr_block: "47.1.0.0/24".into(),
        dry_run: false,
    };
    let r = c
        .delete_public_ip_address_pool_cidr_block(&creds(), REGION, "tok-del", &request, &opts())
        .await
        .expect("deleted");
    assert_eq!(r.request_id, "RID-D");
    let err = c
        .delete_public_ip_address_pool_cidr_block(&creds(), REGION, "tok-del2", &request, &opts())
        .await
        .expect_err("in use");
    assert_api_error(&err, 400, "OperationFailed.CidrBlockInUse");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_all(&seen, "DeletePublicIpAddressPoolCidrBlock");
    assert_eq!(
        seen[0].op_params(),
        params(&[
            ("RegionId", REGION),
            ("ClientToken", "tok-del"),
            ("PublicIpAddressPoolId", "pippool-1"),
            ("CidrBlock", "47.1.0.0/24"),
        ])
    );
}

fn block_page(blocks: &[&str], next: &str) -> Step {
    let list: Vec<_> = blocks
        .iter()
        .map(|b| {
            json!({"CidrBlock": b, "CreationTime": "2022-05-10T01:37:38Z",
                "PublicIpAddressPoolId": "pippool-1", "Status": "Created",
                "TotalIpNum": "256", "UsedIpNum": 1})
        })
        .collect();
    ok(
        json!({"RequestId": "RID-LB", "NextToken": next, "TotalCount": 4,
        "PublicIpPoolCidrBlockList": list}),
    )
}

#[tokio::test]
async fn list_all_reads_three_pages() {
    let server = Server::start(vec![
        block_page(&["47.0.0.0/24", "47.0.1.0/24"], "p2"),
        block_page(&["47.0.2.0/24"], "p3"),
        Step::Drop,
        block_page(&["47.0.3.0/24"], ""),
    ])
    .await;
    let filter = ListPublicIpAddressPoolCidrBlocksRequest {
        public_ip_address_pool_id: "pippool-1".into(),
        ..Default::default()
    };
    let blocks = server
        .client(SignVersion::V1)
        .list_all_public_ip_address_pool_cidr_blocks(&creds(), REGION, &filter, &opts())
        .await
        .expect("all pages");
    let cidrs: Vec<_> = blocks.iter().map(|b| b.cidr_block.as_str()).collect();
    assert_eq!(
        cidrs,
        ["47.0.0.0/24", "47.0.1.0/24", "47.0.2.0/24", "47.0.3.0/24"]
    );
    let b = &blocks[3];
    assert_eq!((b.total_ip_num, b.used_ip_num), (256, 1));
    assert_eq!(
        (
            b.status.as_str(),
            b.public_ip_address_pool_id.as_str(),
            b.creation_time.as_str()
        ),
        ("Created", "pippool-1", "2022-05-10T01:37:38Z")
    );
    let seen = server.seen();
    assert_all(&seen, "ListPublicIpAddressPoolCidrBlocks");
    let first = params(&[
        ("RegionId", REGION),
        ("PublicIpAddressPoolId", "pippool-1"),
        ("MaxResults", "100"),
    ]);
    assert_eq!(seen[0].op_params(), first);
    let tokens: Vec<_> = seen
        .iter()
        .map(|s| s.params.get("NextToken").cloned())
        .collect();
    assert_eq!(
        tokens,
        [
            None,
            Some("p2".into()),
            Some("p3".into()),
            Some("p3".into())
        ]
    );
}

#[tokio::test]
async fn one_page_with_a_block_filter_and_the_repeated_token_guard() {
    let server = Server::start(vec![
        block_page(&["47.0.0.0/24"], "again"),
        block_page(&["47.0.0.0/24"], "again"),
        block_page(&["47.0.0.0/24"], ""),
    ])
    .await;
    let c = server.client(SignVersion::V3);
    let filter = ListPublicIpAddressPoolCidrBlocksRequest {
        public_ip_address_pool_id: "pippool-1".into(),
        cidr_block: Some("47.0.0.0/24".into()),
        max_results: Some(10),
        next_token: None,
        dry_run: false,
    };
    let err = c
        .list_all_public_ip_address_pool_cidr_blocks(&creds(), REGION, &filter, &opts())
        .await
        .expect_err("a repeated token stops the listing");
    assert!(!err.is_retryable());
    assert!(
        err.to_string()
            .contains("ListPublicIpAddressPoolCidrBlocks"),
        "{err}"
    );
    let page = c
        .list_public_ip_address_pool_cidr_blocks(&creds(), REGION, &filter, &opts())
        .await
        .expect("one page");
    assert_eq!(page.total_count, 4);
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(
        seen[2].op_params(),
        params(&[
            ("RegionId", REGION),
            ("PublicIpAddressPoolId", "pippool-1"),
            ("CidrBlock", "47.0.0.0/24"),
            ("MaxResults", "10"),
        ])
    );
}
