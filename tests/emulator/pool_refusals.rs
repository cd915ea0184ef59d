//! The refusals of pool creation: quota, feature not active, DryRun, ClientToken mismatch,
//! parameter checks, and pools belonging to their region.

use serde_json::json;

use crate::client::{Call, Client, Mode};
use crate::pool_api::Api;
use crate::start;

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
