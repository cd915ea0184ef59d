//! `MaxResults`/`NextToken` paging of the pool lists and `ListTagResources`, and the refusal of
//! bad paging parameters.

use crate::client::Mode;
use crate::pool_api::Api;
use crate::start;

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
