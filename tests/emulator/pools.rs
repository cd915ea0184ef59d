//! The IP address pool operations: the whole workflow in every signing mode, and the response
//! shapes.

use serde_json::{Value, json};

use crate::client::{PARAM_MODES, control};
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
    for mode in PARAM_MODES {
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
