//! Tags and resource groups: `ResourceId.N`, `Tag.N`, `TagKey.N`, and the wrapped tag list.

use serde_json::json;
use terraform_provider_alicloudvpc::alicloud::vpc::{
    ListTagResourcesRequest, MoveResourceGroupRequest, POOL_RESOURCE_TYPE, TagResourcesRequest,
    UnTagResourcesRequest,
};
use terraform_provider_alicloudvpc::alicloud::{SignVersion, Tag};

use crate::harness::*;

#[tokio::test]
async fn tag_untag_and_move_parameters() {
    let server = Server::start(vec![
        api_error(400, "Throttling.User"),
        ack("RID-T"),
        ack("RID-U"),
        ack("RID-UA"),
        ack("RID-M"),
    ])
    .await;
    let c = server.client(SignVersion::V1);
    let tag = TagResourcesRequest {
        resource_type: POOL_RESOURCE_TYPE.into(),
        resource_ids: vec!["pippool-1".into(), "pippool-2".into()],
        tags: vec![Tag::new("env", "prod"), Tag::new("owner", "")],
    };
    let r = c
        .tag_resources(&creds(), REGION, &tag, &opts())
        .await
        .expect("tagged");
    assert_eq!(r.request_id, "RID-T");
    let untag = UnTagResourcesRequest {
        resource_type: POOL_RESOURCE_TYPE.into(),
        resource_ids: vec!["pippool-1".into()],
        tag_keys: vec!["env".into(), "owner".into()],
        all: None,
    };
    c.untag_resources(&creds(), REGION, &untag, &opts())
        .await
        .expect("untagged");
    let untag_all = UnTagResourcesRequest {
        tag_keys: vec![],
        all: Some(true),
        ..untag
    };
    c.untag_resources(&creds(), REGION, &untag_all, &opts())
        .await
        .expect("all untagged");
    let mv = MoveResourceGroupRequest {
        resource_type: POOL_RESOURCE_TYPE.into(),
        resource_id: "pippool-1".into(),
        new_resource_group_id: "rg-new".into(),
    };
    let r = c
        .move_resource_group(&creds(), REGION, &mv, &opts())
        .await
        .expect("moved");
    assert_eq!(r.request_id, "RID-M");

    let seen = server.seen();
    assert_eq!(seen.len(), 5);
    assert_all(&seen[..2], "TagResources");
    assert_all(&seen[2..4], "UnTagResources");
    assert_all(&seen[4..], "MoveResourceGroup");
    let tag_params = params(&[
        ("RegionId", REGION),
        ("ResourceType", "PUBLICIPADDRESSPOOL"),
        ("ResourceId.1", "pippool-1"),
        ("ResourceId.2", "pippool-2"),
        ("Tag.1.Key", "env"),
        ("Tag.1.Value", "prod"),
        ("Tag.2.Key", "owner"),
        ("Tag.2.Value", ""),
    ]);
    assert_eq!(seen[0].op_params(), tag_params);
    assert_eq!(seen[1].op_params(), tag_params);
    assert_eq!(
        seen[2].op_params(),
        params(&[
            ("RegionId", REGION),
            ("ResourceType", "PUBLICIPADDRESSPOOL"),
            ("ResourceId.1", "pippool-1"),
            ("TagKey.1", "env"),
            ("TagKey.2", "owner"),
        ])
    );
    assert_eq!(
        seen[3].op_params(),
        params(&[
            ("RegionId", REGION),
            ("ResourceType", "PUBLICIPADDRESSPOOL"),
            ("ResourceId.1", "pippool-1"),
            ("All", "true"),
        ])
    );
    assert_eq!(
        seen[4].op_params(),
        params(&[
            ("RegionId", REGION),
            ("ResourceType", "PUBLICIPADDRESSPOOL"),
            ("ResourceId", "pippool-1"),
            ("NewResourceGroupId", "rg-new"),
        ])
    );
}

fn tag_page(pairs: &[(&str, &str)], next: &str) -> Step {
    let list: Vec<_> = pairs
        .iter()
        .map(|(k, v)| {
            json!({"ResourceId": "pippool-1", "ResourceType": "PUBLICIPADDRESSPOOL",
                "TagKey": k, "TagValue": v})
        })
        .collect();
    ok(json!({"RequestId": "RID-LT", "NextToken": next, "TagResources": {"TagResource": list}}))
}

#[tokio::test]
async fn list_all_tag_resources_reads_three_wrapped_pages() {
    let server = Server::start(vec![
        tag_page(&[("a", "1"), ("b", "2")], "n2"),
        tag_page(&[("c", "3")], "n3"),
        tag_page(&[], ""),
    ])
    .await;
    let filter = ListTagResourcesRequest {
        resource_type: POOL_RESOURCE_TYPE.into(),
        resource_ids: vec!["pippool-1".into()],
        tags: vec![Tag::new("env", "prod")],
        ..Default::default()
    };
    let tags = server
        .client(SignVersion::V3)
        .list_all_tag_resources(&creds(), REGION, &filter, &opts())
        .await
        .expect("all pages");
    let kv: Vec<_> = tags
        .iter()
        .map(|t| (t.tag_key.as_str(), t.tag_value.as_str()))
        .collect();
    assert_eq!(kv, [("a", "1"), ("b", "2"), ("c", "3")]);
    assert!(
        tags.iter()
            .all(|t| t.resource_id == "pippool-1" && t.resource_type == POOL_RESOURCE_TYPE)
    );
    let seen = server.seen();
    assert_all(&seen, "ListTagResources");
    let mut expected = params(&[
        ("RegionId", REGION),
        ("ResourceType", "PUBLICIPADDRESSPOOL"),
        ("ResourceId.1", "pippool-1"),
        ("Tag.1.Key", "env"),
        ("Tag.1.Value", "prod"),
        ("MaxResults", "50"),
    ]);
    assert_eq!(seen[0].op_params(), expected);
    expected.insert("NextToken".into(), "n3".into());
    assert_eq!(seen[2].op_params(), expected);
}

#[tokio::test]
async fn list_tag_resources_error_surfaces_code_and_request_id() {
    let server = Server::start(vec![api_error(404, "InvalidResourceType.NotFound")]).await;
    let filter = ListTagResourcesRequest {
        resource_type: "NOSUCHTYPE".into(),
        ..Default::default()
    };
    let err = server
        .client(SignVersion::V1)
        .list_all_tag_resources(&creds(), REGION, &filter, &opts())
        .await
        .expect_err("refused");
    assert_api_error(&err, 404, "InvalidResourceType.NotFound");
    assert_eq!(server.seen().len(), 1);
}
