//! Elastic IP addresses (EIPs): allocate (also from a public IP address pool), modify, release,
//! describe, and deletion protection.
//!
//! Unlike the pool calls, `DescribeEipAddresses` pages by number (`PageNumber`/`PageSize`) and
//! wraps its lists (`EipAddresses.EipAddress[]`, `Tags.Tag[]`,
//! `SecurityProtectionTypes.SecurityProtectionType[]`), and `Bandwidth` travels as a string.

use serde::{Deserialize, Serialize};

use super::{Acknowledged, Tag};
use crate::alicloud::client::{CallOptions, Client};
use crate::alicloud::credentials::Credentials;
use crate::alicloud::error::Error;
use crate::alicloud::query::is_false;
use crate::alicloud::wire::{lenient_bool, lenient_string, lenient_u64, wrapped_vec};

/// The line types (`ISP`) an EIP may have: a pool's, and `BGP_International` (EIPs only).
pub const EIP_ISPS: &[&str] = &[
    "BGP",
    "BGP_PRO",
    "ChinaTelecom",
    "ChinaUnicom",
    "ChinaMobile",
    "ChinaTelecom_L2",
    "ChinaUnicom_L2",
    "ChinaMobile_L2",
    "BGP_FinanceCloud",
    "BGP_International",
];

/// `ResourceType` of an EIP in `TagResources`, `UnTagResources`, `ListTagResources` and
/// `MoveResourceGroup`, and `Type` in `DeletionProtection`.
pub const EIP_RESOURCE_TYPE: &str = "EIP";
/// Most IDs one `DescribeEipAddresses` takes in `AllocationId` (comma-separated).
pub const MAX_IDS_PER_DESCRIBE: usize = 50;
/// Largest `PageSize` of `DescribeEipAddresses` (the default is 10).
pub const MAX_EIP_PAGE_SIZE: u32 = 100;
/// Most pages one listing reads (100 a page: 100,000 EIPs), bounding a broken server's calls.
const MAX_EIP_PAGES: u32 = 1000;

/// `AllocateEipAddress`. Unset fields are left to Alibaba's defaults (`Bandwidth` 5,
/// `ISP` `BGP`, `InternetChargeType` `PayByBandwidth`, `InstanceChargeType` `PostPaid`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AllocateEipAddressRequest {
    /// Allocate from this pool (its line type and protection types must match).
    pub public_ip_address_pool_id: Option<String>,
    /// A specific address (of the pool's CIDR blocks when a pool is given).
    pub ip_address: Option<String>,
    /// Mbit/s, as a string on the wire.
    pub bandwidth: Option<String>,
    #[serde(rename = "ISP")]
    pub isp: Option<String>,
    /// `PayByBandwidth` or `PayByTraffic`.
    pub internet_charge_type: Option<String>,
    /// `PostPaid` (pay-as-you-go) or `PrePaid` (subscription).
    pub instance_charge_type: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub resource_group_id: Option<String>,
    pub security_protection_types: Vec<String>,
    pub zone: Option<String>,
    /// Sent as `Tag.N.Key`/`Tag.N.Value`.
    #[serde(rename = "Tag")]
    pub tags: Vec<Tag>,
}

/// Answer of `AllocateEipAddress`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AllocateEipAddressResponse {
    #[serde(deserialize_with = "lenient_string")]
    pub request_id: String,
    /// `eip-…`.
    #[serde(deserialize_with = "lenient_string")]
    pub allocation_id: String,
    /// The address.
    #[serde(deserialize_with = "lenient_string")]
    pub eip_address: String,
    #[serde(deserialize_with = "lenient_string")]
    pub resource_group_id: String,
    #[serde(deserialize_with = "lenient_string")]
    pub order_id: String,
}

/// `ModifyEipAddressAttribute`: `None` leaves a field unchanged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ModifyEipAddressAttributeRequest {
    pub allocation_id: String,
    pub bandwidth: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
}

/// `ReleaseEipAddress`. Refused while deletion protection is on or the EIP is associated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReleaseEipAddressRequest {
    pub allocation_id: String,
}

/// `DeletionProtection`: turns release protection of one instance on or off.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeletionProtectionRequest {
    pub instance_id: String,
    /// [`EIP_RESOURCE_TYPE`] for an EIP.
    #[serde(rename = "Type")]
    pub instance_type: String,
    pub protection_enable: bool,
}

/// `DescribeEipAddresses`: every set filter must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeEipAddressesRequest {
    /// At most [`MAX_IDS_PER_DESCRIBE`], sent comma-separated in `AllocationId`;
    /// [`Client::describe_all_eip_addresses`] splits longer lists.
    #[serde(rename = "AllocationId", serialize_with = "comma_separated")]
    pub allocation_ids: Vec<String>,
    /// Addresses, comma-separated in `EipAddress` (at most 50).
    #[serde(rename = "EipAddress", serialize_with = "comma_separated")]
    pub eip_addresses: Vec<String>,
    pub eip_name: Option<String>,
    /// `Associating`, `Unassociating`, `InUse`, `Available` or `Releasing`.
    pub status: Option<String>,
    #[serde(rename = "ISP")]
    pub isp: Option<String>,
    pub public_ip_address_pool_id: Option<String>,
    pub resource_group_id: Option<String>,
    /// Sent as `Tag.N.Key`/`Tag.N.Value`.
    #[serde(rename = "Tag")]
    pub tags: Vec<Tag>,
    /// From 1.
    pub page_number: Option<u32>,
    /// Up to [`MAX_EIP_PAGE_SIZE`]; Alibaba's default is 10.
    pub page_size: Option<u32>,
    #[serde(skip_serializing_if = "is_false")]
    pub dry_run: bool,
}

fn comma_separated<S: serde::Serializer>(items: &[String], s: S) -> Result<S::Ok, S::Error> {
    if items.is_empty() {
        s.serialize_none()
    } else {
        s.serialize_str(&items.join(","))
    }
}

/// One page of `DescribeEipAddresses`, unwrapped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeEipAddressesResponse {
    #[serde(deserialize_with = "lenient_string")]
    pub request_id: String,
    #[serde(deserialize_with = "lenient_u64")]
    pub total_count: u64,
    #[serde(deserialize_with = "lenient_u64")]
    pub page_number: u64,
    #[serde(deserialize_with = "lenient_u64")]
    pub page_size: u64,
    #[serde(deserialize_with = "wrapped_vec")]
    pub eip_addresses: Vec<EipAddress>,
}

/// An EIP as `DescribeEipAddresses` reports it (the fields this provider uses).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EipAddress {
    #[serde(deserialize_with = "lenient_string")]
    pub allocation_id: String,
    #[serde(deserialize_with = "lenient_string")]
    pub ip_address: String,
    #[serde(deserialize_with = "lenient_string")]
    pub region_id: String,
    /// `Associating`, `Unassociating`, `InUse`, `Available` or `Releasing`.
    #[serde(deserialize_with = "lenient_string")]
    pub status: String,
    #[serde(deserialize_with = "lenient_string")]
    pub name: String,
    #[serde(deserialize_with = "lenient_string")]
    pub description: String,
    /// Mbit/s, a string on the wire. In an Internet Shared Bandwidth package this is the
    /// package's; the EIP's own is then [`Self::eip_bandwidth`].
    #[serde(deserialize_with = "lenient_string")]
    pub bandwidth: String,
    /// The EIP's own bandwidth, set while it is in a shared bandwidth package.
    #[serde(deserialize_with = "lenient_string")]
    pub eip_bandwidth: String,
    #[serde(rename = "ISP", deserialize_with = "lenient_string")]
    pub isp: String,
    #[serde(deserialize_with = "lenient_string")]
    pub internet_charge_type: String,
    /// `PostPaid` or `PrePaid`.
    #[serde(deserialize_with = "lenient_string")]
    pub charge_type: String,
    /// e.g. `2023-01-05T06:41:25Z`.
    #[serde(deserialize_with = "lenient_string")]
    pub allocation_time: String,
    #[serde(deserialize_with = "lenient_string")]
    pub resource_group_id: String,
    #[serde(deserialize_with = "lenient_string")]
    pub public_ip_address_pool_id: String,
    #[serde(deserialize_with = "lenient_bool")]
    pub deletion_protection: bool,
    #[serde(deserialize_with = "lenient_string")]
    pub zone: String,
    #[serde(deserialize_with = "lenient_string")]
    pub instance_id: String,
    #[serde(deserialize_with = "wrapped_vec")]
    pub security_protection_types: Vec<String>,
    #[serde(deserialize_with = "wrapped_vec")]
    pub tags: Vec<Tag>,
}

impl EipAddress {
    /// The EIP's own bandwidth in Mbit/s: `EipBandwidth` when Alibaba reports one (the EIP is
    /// in a shared bandwidth package, whose bandwidth `Bandwidth` then is), else `Bandwidth`.
    pub fn own_bandwidth(&self) -> Option<i64> {
        [&self.eip_bandwidth, &self.bandwidth]
            .into_iter()
            .map(|b| b.trim())
            .find(|b| !b.is_empty())
            .and_then(|b| b.parse().ok())
    }
}

impl Client {
    /// `AllocateEipAddress` in `region`. Pass one `client_token` per logical allocation and the
    /// same one to any later call that repeats it: Alibaba answers a repeated token with the
    /// first EIP instead of allocating another.
    pub async fn allocate_eip_address(
        &self,
        creds: &Credentials,
        region: &str,
        client_token: &str,
        request: &AllocateEipAddressRequest,
        opts: &CallOptions,
    ) -> Result<AllocateEipAddressResponse, Error> {
        let action = "AllocateEipAddress";
        self.vpc_rpc(creds, action, region, Some(client_token), request, opts)
            .await
    }

    /// `ModifyEipAddressAttribute` in `region` (name, description, bandwidth).
    pub async fn modify_eip_address_attribute(
        &self,
        creds: &Credentials,
        region: &str,
        request: &ModifyEipAddressAttributeRequest,
        opts: &CallOptions,
    ) -> Result<Acknowledged, Error> {
        let action = "ModifyEipAddressAttribute";
        self.vpc_rpc(creds, action, region, None, request, opts)
            .await
    }

    /// `ReleaseEipAddress` in `region`.
    pub async fn release_eip_address(
        &self,
        creds: &Credentials,
        region: &str,
        request: &ReleaseEipAddressRequest,
        opts: &CallOptions,
    ) -> Result<Acknowledged, Error> {
        self.vpc_rpc(creds, "ReleaseEipAddress", region, None, request, opts)
            .await
    }

    /// `DeletionProtection` in `region`.
    pub async fn deletion_protection(
        &self,
        creds: &Credentials,
        region: &str,
        client_token: &str,
        request: &DeletionProtectionRequest,
        opts: &CallOptions,
    ) -> Result<Acknowledged, Error> {
        let action = "DeletionProtection";
        self.vpc_rpc(creds, action, region, Some(client_token), request, opts)
            .await
    }

    /// One page of `DescribeEipAddresses` in `region`, as `request` asks for it.
    pub async fn describe_eip_addresses(
        &self,
        creds: &Credentials,
        region: &str,
        request: &DescribeEipAddressesRequest,
        opts: &CallOptions,
    ) -> Result<DescribeEipAddressesResponse, Error> {
        self.vpc_rpc(creds, "DescribeEipAddresses", region, None, request, opts)
            .await
    }

    /// Every EIP in `region` that matches `filter`, reading all pages with the fewest calls:
    /// `PageSize` 100 unless `filter` sets it, and the IDs in batches of
    /// [`MAX_IDS_PER_DESCRIBE`]. `filter.page_number` is ignored. `opts` bounds all the calls.
    pub async fn describe_all_eip_addresses(
        &self,
        creds: &Credentials,
        region: &str,
        filter: &DescribeEipAddressesRequest,
        opts: &CallOptions,
    ) -> Result<Vec<EipAddress>, Error> {
        let page_size = filter.page_size.unwrap_or(MAX_EIP_PAGE_SIZE).max(1);
        let batches: Vec<Vec<String>> = if filter.allocation_ids.is_empty() {
            vec![vec![]]
        } else {
            filter
                .allocation_ids
                .chunks(MAX_IDS_PER_DESCRIBE)
                .map(<[String]>::to_vec)
                .collect()
        };
        let mut eips = Vec::new();
        for ids in batches {
            let mut page_number = 1;
            let mut seen: u64 = 0;
            loop {
                let request = DescribeEipAddressesRequest {
                    allocation_ids: ids.clone(),
                    page_number: Some(page_number),
                    page_size: Some(page_size),
                    ..filter.clone()
                };
                let page = self
                    .describe_eip_addresses(creds, region, &request, opts)
                    .await?;
                let got = page.eip_addresses.len() as u64;
                seen += got;
                eips.extend(page.eip_addresses);
                // A page may hold fewer items than asked for without being the last: the
                // total decides, and an empty page ends a listing whose total was wrong.
                if got == 0 || seen >= page.total_count {
                    break;
                }
                if page_number >= MAX_EIP_PAGES {
                    return Err(Error::Decode {
                        status: 200,
                        reason: format!(
                            "DescribeEipAddresses paging stopped: still more pages after {MAX_EIP_PAGES}"
                        ),
                        excerpt: String::new(),
                    });
                }
                page_number += 1;
            }
        }
        Ok(eips)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alicloud::query::to_params;

    #[test]
    fn describe_unwraps_lists_and_reads_loose_types() {
        let page: DescribeEipAddressesResponse = serde_json::from_str(
            r#"{"RequestId":"R","TotalCount":1,"PageNumber":1,"PageSize":"100",
                "EipAddresses":{"EipAddress":[{"AllocationId":"eip-1","IpAddress":"47.0.0.1",
                "Bandwidth":"5","ISP":"BGP","DeletionProtection":"true",
                "SecurityProtectionTypes":{"SecurityProtectionType":["AntiDDoS_Enhanced"]},
                "Tags":{"Tag":[{"Key":"env","Value":"prod"}]}}]}}"#,
        )
        .expect("page");
        assert_eq!((page.total_count, page.page_size), (1, 100));
        let eip = &page.eip_addresses[0];
        assert_eq!(eip.allocation_id, "eip-1");
        assert_eq!(eip.bandwidth, "5");
        assert_eq!(eip.isp, "BGP");
        assert!(eip.deletion_protection);
        assert_eq!(eip.own_bandwidth(), Some(5));
        let shared = EipAddress {
            bandwidth: "200".into(),
            eip_bandwidth: "10".into(),
            ..Default::default()
        };
        assert_eq!(shared.own_bandwidth(), Some(10), "not the package's");
        assert_eq!(eip.security_protection_types, vec!["AntiDDoS_Enhanced"]);
        assert_eq!(eip.tags, vec![Tag::new("env", "prod")]);
        for empty in [
            r#"{"RequestId":"R"}"#,
            r#"{"EipAddresses":null}"#,
            r#"{"EipAddresses":{}}"#,
            r#"{"EipAddresses":{"EipAddress":null}}"#,
        ] {
            let page: DescribeEipAddressesResponse = serde_json::from_str(empty).expect(empty);
            assert!(page.eip_addresses.is_empty());
        }
        let eip: EipAddress =
            serde_json::from_str(r#"{"Tags":{},"SecurityProtectionTypes":null}"#).expect("bare");
        assert!(eip.tags.is_empty() && eip.security_protection_types.is_empty());
    }

    #[test]
    fn eips_take_every_line_type_of_a_pool() {
        for isp in crate::alicloud::vpc::pools::ISPS {
            assert!(EIP_ISPS.contains(isp), "{isp}");
        }
    }

    #[test]
    fn ids_are_comma_separated_and_isp_upper_case() {
        let mut p = to_params(&DescribeEipAddressesRequest {
            allocation_ids: vec!["eip-1".into(), "eip-2".into()],
            isp: Some("BGP".into()),
            tags: vec![Tag::new("env", "prod")],
            page_size: Some(100),
            ..Default::default()
        })
        .expect("params");
        p.sort();
        let p: Vec<(&str, &str)> = p.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            p,
            [
                ("AllocationId", "eip-1,eip-2"),
                ("ISP", "BGP"),
                ("PageSize", "100"),
                ("Tag.1.Key", "env"),
                ("Tag.1.Value", "prod"),
            ]
        );
        let p = to_params(&DescribeEipAddressesRequest::default()).expect("empty");
        assert!(p.is_empty(), "{p:?}");
        let p = to_params(&DeletionProtectionRequest {
            instance_id: "eip-1".into(),
            instance_type: EIP_RESOURCE_TYPE.into(),
            protection_enable: true,
        })
        .expect("protection");
        assert!(p.contains(&("Type".into(), "EIP".into())), "{p:?}");
        assert!(
            p.contains(&("ProtectionEnable".into(), "true".into())),
            "{p:?}"
        );
    }
}
