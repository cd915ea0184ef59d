//! The IP address pool operations: the whole workflow in every signing mode, response shapes,
//! paging, and the refusals of pool creation.

use serde_json::{Value, json};

use crate::client::{ALL_MODES, Call, Client, Mode, control};
use crate::pool_api::{Api, REGION};
use crate::start;

/// A JSON type check, e.g. `Value::is_string`.
type IsType = fn(&Value) -> bool;

/// The fields of one `PublicIpAddressPoolList` item and their JSON types, as the SDK model has
/// them: nothing missing, nothing extra.
fn assert_pool_shape(pool: &Value) {
    let expected: &[(&str, IsType)] = &[
        ("PublicIpAddressPoolId", Value::is_string),
        ("RegionId", Value::is_string),
        ("Name", Value::is_string),
        ("Description", Value::is_string),
        ("Isp", Value::is_string),
        ("Status", Value::is_string),
        ("BusinessStatus", Value::is_string),
        ("CreationTime", Value::is_string),
        ("TotalIpNum", Value::is_u64),
        ("UsedIpNum", Value::is_u64),
        ("IpAddressRemaining", Value::is_boolean),
        ("OwnerId", Value::is_i64),
        ("ResourceGroupId", Value::is_string),
        ("UserType", Value::is_string),
        ("ShareType", Value::is_string),
        ("BizType", Value::is_string),
        ("Zones", Value::is_array),
        ("SecurityProtectionTypes", Value::is_array),
        ("Tags", Value::is_array),
    ];
    let obj = pool.as_object().unwrap();
    assert_eq!(obj.len(), expected.len(), "{pool}");
    for (name, is_type) in expected {
        assert!(is_type(&pool[*name]), "{name} in {pool}");
    }
}

#[tokio::test]
async fn pool_workflow_in_every_mode() {
    let emu = start().await;
    for mode in ALL_MODES {
        control(&emu.url(), "POST", "/_emulator/reset", None).await;
        let api = Api::new(&emu.url(), mode).await;
        let created = api
            .ok(
                "CreatePublicIpAddressPool",
                &[
                    ("Name", "web"),
                    ("Description", "for the web tier"),
                    ("Isp", "BGP"),
                    ("SecurityProtectionTypes.1", "AntiDDoS_Enhanced"),
                    ("Tag.1.Key", "env"),
                    ("Tag.1.Value", "prod"),
                    ("Tag.2.Key", "team"),
                    ("Tag.2.Value", "net"),
                ],
            )
            .await;
        let id = created["PublicIpAddressPoolId"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(id.starts_with("pippool-"), "{created}");
        assert_eq!(created["PulbicIpAddressPoolId"], id.as_str());
        assert!(
            created["ResourceGroupId"]
                .as_str()
                .unwrap()
                .starts_with("rg-")
        );
        assert!(created["RequestId"].is_string());

        let pool = api.pool(&id).await.expect("listed by ID");
        assert_pool_shape(&pool);
        assert_eq!(pool["Name"], "web");
        assert_eq!(pool["Status"], "Created");
        assert_eq!(pool["RegionId"], REGION);
        assert_eq!(pool["OwnerId"], 1234567890123456_i64);
        assert_eq!(
            pool["SecurityProtectionTypes"],
            json!(["AntiDDoS_Enhanced"])
        );
        assert_eq!(
            pool["Tags"],
            json!([{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "net"}])
        );
        assert_eq!(
            (
                pool["TotalIpNum"].as_u64(),
                pool["IpAddressRemaining"].as_bool()
            ),
            (Some(0), Some(false))
        );

        let other = api.create("other").await;
        let by_name = api.ok("ListPublicIpAddressPools", &[("Name", "web")]).await;
        assert_eq!(by_name["TotalCount"], 1);
        assert_eq!(by_name["NextToken"], "");
        assert_eq!(
            by_name["PublicIpAddressPoolList"][0]["PublicIpAddressPoolId"],
            id.as_str()
        );
        let by_tag = api
            .ok(
                "ListPublicIpAddressPools",
                &[("Tags.1.Key", "env"), ("Tags.1.Value", "prod")],
            )
            .await;
        assert_eq!(by_tag["TotalCount"], 1);
        let protected = api
            .ok(
                "ListPublicIpAddressPools",
                &[("SecurityProtectionEnabled", "false")],
            )
            .await;
        assert_eq!(
            protected["PublicIpAddressPoolList"][0]["PublicIpAddressPoolId"],
            other.as_str()
        );

        api.ok(
            "UpdatePublicIpAddressPoolAttribute",
            &[
                ("PublicIpAddressPoolId", id.as_str()),
                ("Name", "web2"),
                ("Description", ""),
            ],
        )
        .await;
        let pool = api.pool(&id).await.unwrap();
        assert_eq!(
            (pool["Name"].as_str(), pool["Description"].as_str()),
            (Some("web2"), Some(""))
        );

        let added = api
            .ok(
                "AddPublicIpAddressPoolCidrBlock",
                &[("PublicIpAddressPoolId", id.as_str()), ("CidrMask", "24")],
            )
            .await;
        assert_eq!(
            added["CidrBlock"], "47.105.0.0/24",
            "cn-hangzhou's address space"
        );
        let added = api
            .ok(
                "AddPublicIpAddressPoolCidrBlock",
                &[
                    ("PublicIpAddressPoolId", id.as_str()),
                    ("CidrBlock", "47.0.0.0/28"),
                ],
            )
            .await;
        assert_eq!(added["CidrBlock"], "47.0.0.0/28");
        let blocks = api.blocks(&id).await;
        assert_eq!(blocks.len(), 2);
        for b in &blocks {
            let obj = b.as_object().unwrap();
            assert_eq!(obj.len(), 6, "{b}");
            for f in [
                "CidrBlock",
                "CreationTime",
                "PublicIpAddressPoolId",
                "Status",
            ] {
                assert!(b[f].is_string(), "{f} in {b}");
            }
            assert!(b["TotalIpNum"].is_u64() && b["UsedIpNum"].is_u64(), "{b}");
        }
        assert_eq!(blocks[0]["TotalIpNum"], 256);
        let one = api
            .ok(
                "ListPublicIpAddressPoolCidrBlocks",
                &[
                    ("PublicIpAddressPoolId", id.as_str()),
                    ("CidrBlock", "47.0.0.0/28"),
                ],
            )
            .await;
        assert_eq!(
            (one["TotalCount"].as_u64(), one["NextToken"].as_str()),
            (Some(1), Some(""))
        );
        let pool = api.pool(&id).await.unwrap();
        assert_eq!(
            (pool["TotalIpNum"].as_u64(), pool["UsedIpNum"].as_u64()),
            (Some(272), Some(0))
        );
        assert_eq!(pool["IpAddressRemaining"], true);

        api.ok(
            "TagResources",
            &[
                ("ResourceType", "PUBLICIPADDRESSPOOL"),
                ("ResourceId.1", id.as_str()),
                ("Tag.1.Key", "owner"),
                ("Tag.1.Value", "me"),
            ],
        )
        .await;
        api.ok(
            "UnTagResources",
            &[
                ("ResourceType", "PUBLICIPADDRESSPOOL"),
                ("ResourceId.1", id.as_str()),
                ("TagKey.1", "team"),
            ],
        )
        .await;
        let tags = api
            .ok(
                "ListTagResources",
                &[
                    ("ResourceType", "PUBLICIPADDRESSPOOL"),
                    ("ResourceId.1", id.as_str()),
                ],
            )
            .await;
        let keys: Vec<&str> = tags["TagResources"]["TagResource"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["TagKey"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["env", "owner"]);
        api.ok(
            "MoveResourceGroup",
            &[
                ("ResourceType", "PUBLICIPADDRESSPOOL"),
                ("ResourceId", id.as_str()),
                ("NewResourceGroupId", "rg-aek2demo"),
            ],
        )
        .await;
        assert_eq!(
            api.pool(&id).await.unwrap()["ResourceGroupId"],
            "rg-aek2demo"
        );

        api.ok(
            "DeletePublicIpAddressPoolCidrBlock",
            &[
                ("PublicIpAddressPoolId", id.as_str()),
                ("CidrBlock", "47.0.0.0/28"),
            ],
        )
        .await;
        assert_eq!(api.blocks(&id).await.len(), 1);
        api.ok(
            "DeletePublicIpAddressPool",
            &[("PublicIpAddressPoolId", id.as_str())],
        )
        .await;
        assert!(api.pool(&id).await.is_none(), "{mode:?}: gone");
        api.refused(
            "ResourceNotFound.PublicIpAddressPool",
            "DeletePublicIpAddressPool",
            &[("PublicIpAddressPoolId", id.as_str())],
        )
        .await;
    }
}

#[tokio::test]
async fn paging_twelve_pools_ten_at_a_time_and_bad_paging_refused() {
    let emu = start().await;
    let api = Api::new(&emu.url(), Mode::V3).await;
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(api.create(&format!("p{i}")).await);
    }
    let first = api
        .ok("ListPublicIpAddressPools", &[("MaxResults", "10")])
        .await;
    assert_eq!(first["TotalCount"], 12);
    assert_eq!(
        first["PublicIpAddressPoolList"].as_array().unwrap().len(),
        10
    );
    let token = first["NextToken"].as_str().unwrap().to_string();
    assert!(!token.is_empty());
    let second = api
        .ok(
            "ListPublicIpAddressPools",
            &[("MaxResults", "10"), ("NextToken", token.as_str())],
        )
        .await;
    let rest: Vec<&str> = second["PublicIpAddressPoolList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["PublicIpAddressPoolId"].as_str().unwrap())
        .collect();
    assert_eq!(rest, &ids[10..]);
    assert_eq!(second["NextToken"], "");
    // Default page size 10.
    let default = api.ok("ListPublicIpAddressPools", &[]).await;
    assert_eq!(
        default["PublicIpAddressPoolList"].as_array().unwrap().len(),
        10
    );
    // Bad tokens: altered, foreign (another list's), garbage.
    let mut altered = token.clone();
    altered.replace_range(0..1, if token.starts_with('0') { "1" } else { "0" });
    for bad in [
        altered.as_str(),
        "not-a-token",
        "00000000aaaaaaaaaaaaaaaaaaaaaaaa",
    ] {
        api.refused(
            "InvalidParameter.NextToken",
            "ListPublicIpAddressPools",
            &[("NextToken", bad)],
        )
        .await;
    }
    let blocks_token = {
        for _ in 0..11 {
            api.ok(
                "AddPublicIpAddressPoolCidrBlock",
                &[
                    ("PublicIpAddressPoolId", ids[0].as_str()),
                    ("CidrMask", "28"),
                ],
            )
            .await;
        }
        let page = api
            .ok(
                "ListPublicIpAddressPoolCidrBlocks",
                &[("PublicIpAddressPoolId", ids[0].as_str())],
            )
            .await;
        assert_eq!(
            (
                page["TotalCount"].as_u64(),
                page["PublicIpPoolCidrBlockList"].as_array().unwrap().len()
            ),
            (Some(11), 10)
        );
        page["NextToken"].as_str().unwrap().to_string()
    };
    api.refused(
        "InvalidParameter.NextToken",
        "ListPublicIpAddressPools",
        &[("NextToken", blocks_token.as_str())],
    )
    .await;
    for bad in ["9", "101", "ten", "-1"] {
        api.refused(
            "InvalidParameter.MaxResults",
            "ListPublicIpAddressPools",
            &[("MaxResults", bad)],
        )
        .await;
        api.refused(
            "InvalidParameter.MaxResults",
            "ListPublicIpAddressPoolCidrBlocks",
            &[
                ("PublicIpAddressPoolId", ids[0].as_str()),
                ("MaxResults", bad),
            ],
        )
        .await;
    }
    let tags = [
        ("ResourceType", "PUBLICIPADDRESSPOOL"),
        ("ResourceId.1", ids[0].as_str()),
    ];
    for bad in ["0", "51"] {
        let mut p = tags.to_vec();
        p.push(("MaxResults", bad));
        api.refused("InvalidParameter.MaxResults", "ListTagResources", &p)
            .await;
    }
    // More than 100 IDs.
    let many: Vec<(String, String)> = (1..=101)
        .map(|n| {
            (
                format!("PublicIpAddressPoolIds.{n}"),
                format!("pippool-{n}"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    api.refused(
        "InvalidParameter.PublicIpAddressPoolIds",
        "ListPublicIpAddressPools",
        &refs,
    )
    .await;
}

#[tokio::test]
async fn create_refusals_quota_feature_dry_run_and_client_token() {
    let emu = start().await;
    let url = emu.url();
    let api = Api::new(&url, Mode::V1Form).await;
    for i in 0..16 {
        api.create(&format!("q{i}")).await;
    }
    let msg = api
        .refused(
            "QuotaExceeded.PublicIpAddressPool",
            "CreatePublicIpAddressPool",
            &[("Name", "17th")],
        )
        .await;
    assert!(msg.contains("16"), "{msg}");
    // Another region has its own quota, but the feature is not active there.
    let mut beijing = Api::new(&url, Mode::V1Query).await;
    beijing.region = "cn-beijing".into();
    let msg = beijing
        .refused(
            "OperationDenied.PublicIpAddressPoolServiceNotOpened",
            "CreatePublicIpAddressPool",
            &[],
        )
        .await;
    assert!(
        msg.contains("cn-beijing") && msg.contains("OpenPublicIpAddressPoolService"),
        "{msg}"
    );
    let c = Client::demo(&url);
    assert_eq!(
        c.call(&Call::open(Mode::V3, "cn-beijing")).await.status,
        200
    );

    // DryRun: the checks pass, nothing is created.
    beijing
        .refused(
            "DryRunOperation",
            "CreatePublicIpAddressPool",
            &[("DryRun", "true")],
        )
        .await;
    let listed = beijing.ok("ListPublicIpAddressPools", &[]).await;
    assert_eq!(listed["TotalCount"], 0);
    beijing
        .refused(
            "InvalidParameter.DryRun",
            "CreatePublicIpAddressPool",
            &[("DryRun", "maybe")],
        )
        .await;

    // ClientToken: the first answer again, one pool; other parameters are a mismatch.
    let params = [("Name", "once"), ("ClientToken", "create-1")];
    let first = beijing.ok("CreatePublicIpAddressPool", &params).await;
    let again = beijing.ok("CreatePublicIpAddressPool", &params).await;
    assert_eq!(first, again);
    assert_eq!(
        beijing.ok("ListPublicIpAddressPools", &[]).await["TotalCount"],
        1
    );
    beijing
        .refused(
            "IdempotentParameterMismatch",
            "CreatePublicIpAddressPool",
            &[("Name", "twice"), ("ClientToken", "create-1")],
        )
        .await;

    // Parameter checks.
    let checks: &[(&str, &[(&str, &str)])] = &[
        ("InvalidParameter.Name", &[("Name", "http://x")]),
        (
            "InvalidParameter.Description",
            &[("Description", "https://x")],
        ),
        ("InvalidParameter.Isp", &[("Isp", "Starlink")]),
        ("InvalidParameter.BizType", &[("BizType", "Other")]),
        ("MissingParameter", &[("BizType", "CloudBox")]),
        ("InvalidParameter.Zones", &[("Zones.1", "cn-hangzhou-a")]),
        (
            "InvalidParameter.SecurityProtectionTypes",
            &[("SecurityProtectionTypes.1", "Magic")],
        ),
        (
            "InvalidParameter.SecurityProtectionTypes",
            &[
                ("SecurityProtectionTypes.1", "AntiDDoS_Enhanced"),
                ("Isp", "ChinaMobile"),
            ],
        ),
        (
            "InvalidParameter.ResourceGroupId",
            &[("ResourceGroupId", "group-1")],
        ),
        ("InvalidParameter.TagKey", &[("Tag.1.Key", "aliyun-x")]),
        ("InvalidParameter.TagKey", &[("Tag.1.Key", "acs:x")]),
        ("MissingParameter", &[("Tag.1.Value", "orphan")]),
    ];
    for (code, params) in checks {
        beijing
            .refused(code, "CreatePublicIpAddressPool", params)
            .await;
    }
    let many: Vec<(String, String)> = (1..=21)
        .flat_map(|n| {
            [
                (format!("Tag.{n}.Key"), format!("k{n}")),
                (format!("Tag.{n}.Value"), "v".into()),
            ]
        })
        .collect();
    let refs: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    beijing
        .refused("InvalidParameter.Tag", "CreatePublicIpAddressPool", &refs)
        .await;
    // CloudBox with zones is accepted and answers its zones.
    let cloudbox = beijing
        .ok(
            "CreatePublicIpAddressPool",
            &[("BizType", "CloudBox"), ("Zones.1", "cn-beijing-cb1")],
        )
        .await;
    let pool = beijing
        .pool(cloudbox["PublicIpAddressPoolId"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        (pool["BizType"].as_str(), pool["Zones"].clone()),
        (Some("CloudBox"), json!(["cn-beijing-cb1"]))
    );

    // Pools belong to their account and region.
    assert_eq!(
        api.ok("ListPublicIpAddressPools", &[]).await["TotalCount"],
        16
    );
    let id = api.create_in_other_region_fails().await;
    assert!(id.is_none());
}

impl Api {
    /// A pool of cn-hangzhou is not found through cn-beijing.
    async fn create_in_other_region_fails(&self) -> Option<String> {
        let listed = self.ok("ListPublicIpAddressPools", &[]).await;
        let id = listed["PublicIpAddressPoolList"][0]["PublicIpAddressPoolId"]
            .as_str()
            .unwrap()
            .to_string();
        let mut other = Api::new(&self.url, self.mode).await;
        other.region = "cn-beijing".into();
        other
            .refused(
                "ResourceNotFound.PublicIpAddressPool",
                "UpdatePublicIpAddressPoolAttribute",
                &[("PublicIpAddressPoolId", id.as_str()), ("Name", "x")],
            )
            .await;
        other.pool(&id).await.map(|_| id)
    }
}
