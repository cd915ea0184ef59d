//! Hostile and malformed parameters on every pool operation: each gets an Alibaba-shaped 4xx,
//! never a panic, a hang or a 5xx, and the emulator keeps answering. (A case that happens to be
//! valid for an operation, say a delete with an ignored extra parameter, may succeed.)

use crate::client::{Mode, PARAM_MODES};
use crate::pool_api::Api;
use crate::start;

const OPS: &[&str] = &[
    "CreatePublicIpAddressPool",
    "DeletePublicIpAddressPool",
    "UpdatePublicIpAddressPoolAttribute",
    "ListPublicIpAddressPools",
    "AddPublicIpAddressPoolCidrBlock",
    "DeletePublicIpAddressPoolCidrBlock",
    "ListPublicIpAddressPoolCidrBlocks",
    "TagResources",
    "UnTagResources",
    "ListTagResources",
    "MoveResourceGroup",
];

#[tokio::test]
async fn malformed_parameters_get_alibaba_errors_on_every_operation() {
    let emu = start().await;
    let id = Api::new(&emu.url(), Mode::V1Query)
        .await
        .create("target")
        .await;
    let long = "x".repeat(5000);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("Zones.99999999999", "a"), ("PublicIpAddressPoolId", &id)],
        vec![
            ("Tag.0.Key", "k"),
            ("ResourceId.1", &id),
            ("ResourceType", "PUBLICIPADDRESSPOOL"),
        ],
        vec![("Tag.4294967296.Key", "k"), ("PublicIpAddressPoolId", &id)],
        vec![
            ("MaxResults", "18446744073709551616"),
            ("PublicIpAddressPoolId", &id),
        ],
        vec![
            ("NextToken", "ééééééééééééééééééééééééééééééé"),
            ("PublicIpAddressPoolId", &id),
        ],
        vec![
            ("NextToken", "ffffffffffffffffffffffffffffffff"),
            ("PublicIpAddressPoolId", &id),
        ],
        vec![("CidrBlock", "47.0.0.0/99"), ("PublicIpAddressPoolId", &id)],
        vec![
            ("CidrBlock", "999.0.0.0/24"),
            ("PublicIpAddressPoolId", &id),
        ],
        vec![("CidrMask", "-24"), ("PublicIpAddressPoolId", &id)],
        vec![("DryRun", "yes"), ("PublicIpAddressPoolId", &id)],
        vec![("Name", &long), ("PublicIpAddressPoolId", &id)],
        vec![
            ("PublicIpAddressPoolId", &long),
            ("CidrBlock", "47.0.0.0/24"),
        ],
        vec![
            ("ResourceType", "PUBLICIPADDRESSPOOL"),
            ("ResourceId", &long),
            ("ResourceId.1", &long),
        ],
        vec![
            ("NewResourceGroupId", "rg-"),
            ("ResourceId", &id),
            ("ResourceType", "x"),
        ],
        vec![
            ("SecurityProtectionEnabled", "2"),
            ("All", "nope"),
            ("ResourceType", "PUBLICIPADDRESSPOOL"),
        ],
    ];
    for mode in PARAM_MODES {
        let api = Api::new(&emu.url(), mode).await;
        for op in OPS {
            for case in &cases {
                let r = api.call(op, case).await;
                if r.status == 200 {
                    // A few cases are valid for some operations (a filter that matches nothing).
                    continue;
                }
                assert!(
                    (400..500).contains(&r.status) && !r.code().is_empty(),
                    "{mode:?} {op} {case:?}: {} {}",
                    r.status,
                    r.body
                );
            }
        }
        // Still answering (some cases were valid deletes; the pool may be gone).
        api.ok("ListPublicIpAddressPools", &[]).await;
    }
}
