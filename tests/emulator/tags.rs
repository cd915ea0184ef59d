//! Tags and resource groups of pools, and the request log and faults on the new operations.

use serde_json::json;

use crate::client::{Mode, PARAM_MODES, control};
use crate::pool_api::Api;
use crate::start;

const TYPE: (&str, &str) = ("ResourceType", "PUBLICIPADDRESSPOOL");

#[tokio::test]
async fn tag_untag_list_and_move_resource_group() {
    let emu = start().await;
    for mode in PARAM_MODES {
        control(&emu.url(), "POST", "/_emulator/reset", None).await;
        let api = Api::new(&emu.url(), mode).await;
        let a = api.create("a").await;
        let b = api.create("b").await;
        // ResourceType in any case.
        for t in [
            "PUBLICIPADDRESSPOOL",
            "PublicIpAddressPool",
            "publicipaddresspool",
        ] {
            api.ok(
                "TagResources",
                &[
                    ("ResourceType", t),
                    ("ResourceId.1", a.as_str()),
                    ("ResourceId.2", b.as_str()),
                    ("Tag.1.Key", "env"),
                    ("Tag.1.Value", "prod"),
                    ("Tag.2.Key", t),
                ],
            )
            .await;
        }
        api.refused(
            "InvalidParameter.ResourceType",
            "TagResources",
            &[
                ("ResourceType", "VPC"),
                ("ResourceId.1", a.as_str()),
                ("Tag.1.Key", "k"),
            ],
        )
        .await;
        let listed = api
            .ok("ListTagResources", &[TYPE, ("ResourceId.1", a.as_str())])
            .await;
        let items = listed["TagResources"]["TagResource"].as_array().unwrap();
        assert_eq!(items.len(), 4, "{listed}");
        assert_eq!(
            items[0],
            json!({"ResourceId": a, "ResourceType": "PUBLICIPADDRESSPOOL", "TagKey": "PUBLICIPADDRESSPOOL", "TagValue": ""})
        );
        assert_eq!(listed["NextToken"], "");
        // By tag, across pools; paged one at a time.
        let by_tag = api
            .ok(
                "ListTagResources",
                &[
                    TYPE,
                    ("Tag.1.Key", "env"),
                    ("Tag.1.Value", "prod"),
                    ("MaxResults", "1"),
                ],
            )
            .await;
        assert_eq!(
            by_tag["TagResources"]["TagResource"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let mut token = by_tag["NextToken"].as_str().unwrap().to_string();
        let mut seen = 1;
        while !token.is_empty() {
            let page = api
                .ok(
                    "ListTagResources",
                    &[
                        TYPE,
                        ("Tag.1.Key", "env"),
                        ("Tag.1.Value", "prod"),
                        ("MaxResults", "1"),
                        ("NextToken", token.as_str()),
                    ],
                )
                .await;
            seen += page["TagResources"]["TagResource"]
                .as_array()
                .unwrap()
                .len();
            token = page["NextToken"].as_str().unwrap().to_string();
        }
        assert_eq!(seen, 8, "4 tags on each of 2 pools");
        api.refused("MissingParameter", "ListTagResources", &[TYPE])
            .await;

        api.ok(
            "UnTagResources",
            &[
                TYPE,
                ("ResourceId.1", a.as_str()),
                ("TagKey.1", "env"),
                ("TagKey.2", "nope"),
            ],
        )
        .await;
        assert_eq!(
            api.pool(&a).await.unwrap()["Tags"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        api.ok(
            "UnTagResources",
            &[TYPE, ("ResourceId.1", a.as_str()), ("All", "true")],
        )
        .await;
        assert_eq!(api.pool(&a).await.unwrap()["Tags"], json!([]));
        api.refused(
            "MissingParameter",
            "UnTagResources",
            &[TYPE, ("ResourceId.1", a.as_str())],
        )
        .await;
        api.refused(
            "MissingParameter",
            "TagResources",
            &[TYPE, ("Tag.1.Key", "k")],
        )
        .await;
        api.refused(
            "ResourceNotFound.PublicIpAddressPool",
            "TagResources",
            &[
                TYPE,
                ("ResourceId.1", a.as_str()),
                ("ResourceId.2", "pippool-none"),
                ("Tag.1.Key", "k"),
            ],
        )
        .await;
        assert_eq!(
            api.pool(&a).await.unwrap()["Tags"],
            json!([]),
            "all or nothing"
        );

        // 20 tags at most per pool, counted after the merge.
        let many: Vec<(String, String)> = (1..=17)
            .map(|n| (format!("Tag.{n}.Key"), format!("k{n}")))
            .collect();
        let mut p: Vec<(&str, &str)> = vec![TYPE, ("ResourceId.1", b.as_str())];
        p.extend(many.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        api.refused("QuotaExceeded.TagNum", "TagResources", &p)
            .await;

        api.ok(
            "MoveResourceGroup",
            &[
                TYPE,
                ("ResourceId", a.as_str()),
                ("NewResourceGroupId", "rg-acfmtarget"),
            ],
        )
        .await;
        assert_eq!(
            api.pool(&a).await.unwrap()["ResourceGroupId"],
            "rg-acfmtarget"
        );
        let by_group = api
            .ok(
                "ListPublicIpAddressPools",
                &[("ResourceGroupId", "rg-acfmtarget")],
            )
            .await;
        assert_eq!(by_group["TotalCount"], 1);
        api.refused(
            "InvalidParameter.NewResourceGroupId",
            "MoveResourceGroup",
            &[
                TYPE,
                ("ResourceId", a.as_str()),
                ("NewResourceGroupId", "Group One"),
            ],
        )
        .await;
        api.refused(
            "ResourceNotFound.PublicIpAddressPool",
            "MoveResourceGroup",
            &[
                TYPE,
                ("ResourceId", "pippool-none"),
                ("NewResourceGroupId", "rg-x1"),
            ],
        )
        .await;
        api.refused(
            "MissingParameter",
            "MoveResourceGroup",
            &[TYPE, ("ResourceId", a.as_str())],
        )
        .await;
    }
}

#[tokio::test]
async fn faults_and_the_request_log_cover_the_pool_operations() {
    let emu = start().await;
    let url = emu.url();
    let api = Api::new(&url, Mode::V3).await;
    let (s, _) = control(
        &url,
        "POST",
        "/_emulator/faults",
        Some(json!({"action": "CreatePublicIpAddressPool", "code": "Throttling.User", "times": 1})),
    )
    .await;
    assert_eq!(s, 200);
    let (status, code) = api
        .fails("CreatePublicIpAddressPool", &[("ClientToken", "t-1")])
        .await;
    assert_eq!((status, code.as_str()), (400, "Throttling.User"));
    // The retry with the same token now succeeds: failures are not replayed.
    let id = api
        .ok("CreatePublicIpAddressPool", &[("ClientToken", "t-1")])
        .await["PublicIpAddressPoolId"]
        .as_str()
        .unwrap()
        .to_string();
    control(
        &url,
        "POST",
        "/_emulator/faults",
        Some(json!({"action": "ListPublicIpAddressPoolCidrBlocks", "code": "ServiceUnavailable", "http_status": 503, "times": 1})),
    )
    .await;
    let (status, _) = api
        .fails(
            "ListPublicIpAddressPoolCidrBlocks",
            &[("PublicIpAddressPoolId", id.as_str())],
        )
        .await;
    assert_eq!(status, 503);
    let (_, log) = control(&url, "GET", "/_emulator/requests", None).await;
    let log = log.as_array().unwrap();
    let creates: Vec<_> = log
        .iter()
        .filter(|r| r["action"] == "CreatePublicIpAddressPool")
        .collect();
    assert_eq!(creates.len(), 2);
    assert_eq!(creates[0]["code"], "Throttling.User");
    assert_eq!(creates[1]["client_token"], "t-1");
    assert!(creates[1]["code"].is_null());
    assert_eq!(creates[1]["region"], "cn-hangzhou");
}
