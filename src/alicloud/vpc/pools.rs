//! Public IP address pools: create, update, delete and list.

use serde::{Deserialize, Serialize};

use super::{Acknowledged, Tag};
use crate::alicloud::client::{CallOptions, Client};
use crate::alicloud::credentials::Credentials;
use crate::alicloud::error::Error;
use crate::alicloud::paging::{MAX_PAGES, Page, collect_pages};
use crate::alicloud::query::is_false;
use crate::alicloud::wire::{lenient_bool, lenient_string, lenient_u64, lenient_vec};

/// The line types (`Isp`) a pool may have (Alibaba's API reference for CreatePublicIpAddressPool).
pub const ISPS: &[&str] = &[
    "BGP",
    "BGP_PRO",
    "ChinaTelecom",
    "ChinaUnicom",
    "ChinaMobile",
    "ChinaTelecom_L2",
    "ChinaUnicom_L2",
    "ChinaMobile_L2",
    "BGP_FinanceCloud",
];

/// A pool's business types (`BizType`).
pub const BIZ_TYPES: &[&str] = &["Default", "CloudBox"];

/// Most IDs one `ListPublicIpAddressPools` accepts in `PublicIpAddressPoolIds.N`.
pub const MAX_IDS_PER_LIST: usize = 100;
/// Largest `MaxResults` of `ListPublicIpAddressPools` (the default is 10).
pub const MAX_POOL_PAGE_SIZE: u32 = 100;

/// `CreatePublicIpAddressPool`. Unset fields are left to Alibaba's defaults (`Isp` `BGP`,
/// `BizType` `Default`, the account's default resource group).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreatePublicIpAddressPoolRequest {
    pub isp: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub resource_group_id: Option<String>,
    /// `Default` or `CloudBox`; `CloudBox` needs [`Self::zones`].
    pub biz_type: Option<String>,
    pub zones: Vec<String>,
    pub security_protection_types: Vec<String>,
    /// Sent as `Tag.N.Key`/`Tag.N.Value` (at most 20).
    #[serde(rename = "Tag")]
    pub tags: Vec<Tag>,
    /// Check the request without creating anything: success is the error `DryRunOperation`.
    #[serde(skip_serializing_if = "is_false")]
    pub dry_run: bool,
}

/// Answer of `CreatePublicIpAddressPool`, with the new pool's ID from whichever spelling the
/// API version sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawCreateResponse")]
pub struct CreatePublicIpAddressPoolResponse {
    pub request_id: String,
    pub public_ip_address_pool_id: String,
    pub resource_group_id: String,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct RawCreateResponse {
    #[serde(deserialize_with = "lenient_string")]
    request_id: String,
    #[serde(deserialize_with = "lenient_string")]
    public_ip_address_pool_id: String,
    /// Sic: older API versions (and the official provider, which reads this one) misspell it.
    #[serde(deserialize_with = "lenient_string")]
    pulbic_ip_address_pool_id: String,
    #[serde(deserialize_with = "lenient_string")]
    resource_group_id: String,
}

impl TryFrom<RawCreateResponse> for CreatePublicIpAddressPoolResponse {
    type Error = String;

    fn try_from(raw: RawCreateResponse) -> Result<Self, String> {
        let id = [raw.public_ip_address_pool_id, raw.pulbic_ip_address_pool_id]
            .into_iter()
            .find(|id| !id.is_empty())
            // Without an ID the pool, if created, could not be tracked: fail loudly.
            .ok_or("the answer has neither PublicIpAddressPoolId nor PulbicIpAddressPoolId")?;
        Ok(CreatePublicIpAddressPoolResponse {
            request_id: raw.request_id,
            public_ip_address_pool_id: id,
            resource_group_id: raw.resource_group_id,
        })
    }
}

/// `UpdatePublicIpAddressPoolAttribute`: `None` leaves a field unchanged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdatePublicIpAddressPoolAttributeRequest {
    pub public_ip_address_pool_id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub dry_run: bool,
}

/// `DeletePublicIpAddressPool`. Asynchronous: the pool is `Deleting`, then gone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeletePublicIpAddressPoolRequest {
    pub public_ip_address_pool_id: String,
    #[serde(skip_serializing_if = "is_false")]
    pub dry_run: bool,
}

/// `ListPublicIpAddressPools`: every set filter must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPublicIpAddressPoolsRequest {
    /// At most [`MAX_IDS_PER_LIST`] per request; [`Client::list_all_public_ip_address_pools`]
    /// splits longer lists.
    pub public_ip_address_pool_ids: Vec<String>,
    pub name: Option<String>,
    pub isp: Option<String>,
    pub status: Option<String>,
    pub resource_group_id: Option<String>,
    pub security_protection_enabled: Option<bool>,
    /// Sent as `Tags.N.Key`/`Tags.N.Value`: this filter is plural, unlike Create's `Tag.N`.
    pub tags: Vec<Tag>,
    /// 10 to 100; Alibaba's default is 10.
    pub max_results: Option<u32>,
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub dry_run: bool,
}

/// One page of `ListPublicIpAddressPools`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListPublicIpAddressPoolsResponse {
    #[serde(deserialize_with = "lenient_string")]
    pub request_id: String,
    /// Empty on the last page.
    #[serde(deserialize_with = "lenient_string")]
    pub next_token: String,
    #[serde(deserialize_with = "lenient_u64")]
    pub total_count: u64,
    #[serde(deserialize_with = "lenient_vec")]
    pub public_ip_address_pool_list: Vec<PublicIpAddressPool>,
}

impl Page for ListPublicIpAddressPoolsResponse {
    type Item = PublicIpAddressPool;
    fn into_parts(self) -> (Vec<PublicIpAddressPool>, String) {
        (self.public_ip_address_pool_list, self.next_token)
    }
}

/// A pool as `ListPublicIpAddressPools` reports it (every field of the SDK model).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PublicIpAddressPool {
    #[serde(deserialize_with = "lenient_string")]
    pub public_ip_address_pool_id: String,
    #[serde(deserialize_with = "lenient_string")]
    pub name: String,
    #[serde(deserialize_with = "lenient_string")]
    pub description: String,
    #[serde(deserialize_with = "lenient_string")]
    pub isp: String,
    /// `Created`, `Modifying` or `Deleting`.
    #[serde(deserialize_with = "lenient_string")]
    pub status: String,
    /// `Normal` or `FinancialLocked`.
    #[serde(deserialize_with = "lenient_string")]
    pub business_status: String,
    /// e.g. `2022-05-10T01:37:38Z`.
    #[serde(deserialize_with = "lenient_string")]
    pub creation_time: String,
    #[serde(deserialize_with = "lenient_u64")]
    pub total_ip_num: u64,
    #[serde(deserialize_with = "lenient_u64")]
    pub used_ip_num: u64,
    #[serde(deserialize_with = "lenient_bool")]
    pub ip_address_remaining: bool,
    #[serde(deserialize_with = "lenient_string")]
    pub region_id: String,
    #[serde(deserialize_with = "lenient_u64")]
    pub owner_id: u64,
    #[serde(deserialize_with = "lenient_string")]
    pub resource_group_id: String,
    /// `admin` or `user`.
    #[serde(deserialize_with = "lenient_string")]
    pub user_type: String,
    /// `Shared`, or empty.
    #[serde(deserialize_with = "lenient_string")]
    pub share_type: String,
    #[serde(deserialize_with = "lenient_string")]
    pub biz_type: String,
    #[serde(deserialize_with = "lenient_vec")]
    pub zones: Vec<String>,
    #[serde(deserialize_with = "lenient_vec")]
    pub security_protection_types: Vec<String>,
    #[serde(deserialize_with = "lenient_vec")]
    pub tags: Vec<Tag>,
}

impl Client {
    /// `CreatePublicIpAddressPool` in `region`. Pass one `client_token` per logical create and
    /// the same one to any later call that repeats it: Alibaba answers a repeated token with
    /// the first pool instead of creating another.
    pub async fn create_public_ip_address_pool(
        &self,
        creds: &Credentials,
        region: &str,
        client_token: &str,
        request: &CreatePublicIpAddressPoolRequest,
        opts: &CallOptions,
    ) -> Result<CreatePublicIpAddressPoolResponse, Error> {
        let action = "CreatePublicIpAddressPool";
        self.vpc_rpc(creds, action, region, Some(client_token), request, opts)
            .await
    }

    /// `UpdatePublicIpAddressPoolAttribute` in `region` (name and description).
    pub async fn update_public_ip_address_pool_attribute(
        &self,
        creds: &Credentials,
        region: &str,
        client_token: &str,
        request: &UpdatePublicIpAddressPoolAttributeRequest,
        opts: &CallOptions,
    ) -> Result<Acknowledged, Error> {
        let action = "UpdatePublicIpAddressPoolAttribute";
        self.vpc_rpc(creds, action, region, Some(client_token), request, opts)
            .await
    }

    /// `DeletePublicIpAddressPool` in `region`. Refused while addresses of the pool are in use.
    pub async fn delete_public_ip_address_pool(
        &self,
        creds: &Credentials,
        region: &str,
        client_token: &str,
        request: &DeletePublicIpAddressPoolRequest,
        opts: &CallOptions,
    ) -> Result<Acknowledged, Error> {
        let action = "DeletePublicIpAddressPool";
        self.vpc_rpc(creds, action, region, Some(client_token), request, opts)
            .await
    }

    /// One page of `ListPublicIpAddressPools` in `region`, as `request` asks for it.
    pub async fn list_public_ip_address_pools(
        &self,
        creds: &Credentials,
        region: &str,
        request: &ListPublicIpAddressPoolsRequest,
        opts: &CallOptions,
    ) -> Result<ListPublicIpAddressPoolsResponse, Error> {
        self.vpc_rpc(
            creds,
            "ListPublicIpAddressPools",
            region,
            None,
            request,
            opts,
        )
        .await
    }

    /// Every pool in `region` that matches `filter`, reading all pages with the fewest calls:
    /// `MaxResults` 100 unless `filter` sets it, and the IDs in batches of
    /// [`MAX_IDS_PER_LIST`] (an ID filter of 250 pools is 3 listings). `filter.next_token` is
    /// ignored. `opts` bounds all the calls together.
    pub async fn list_all_public_ip_address_pools(
        &self,
        creds: &Credentials,
        region: &str,
        filter: &ListPublicIpAddressPoolsRequest,
        opts: &CallOptions,
    ) -> Result<Vec<PublicIpAddressPool>, Error> {
        let mut base = filter.clone();
        base.max_results = Some(filter.max_results.unwrap_or(MAX_POOL_PAGE_SIZE));
        let batches: Vec<Vec<String>> = if filter.public_ip_address_pool_ids.is_empty() {
            vec![vec![]]
        } else {
            filter
                .public_ip_address_pool_ids
                .chunks(MAX_IDS_PER_LIST)
                .map(<[String]>::to_vec)
                .collect()
        };
        let mut pools = Vec::new();
        for ids in batches {
            let request = ListPublicIpAddressPoolsRequest {
                public_ip_address_pool_ids: ids,
                ..base.clone()
            };
            let mut batch = collect_pages("ListPublicIpAddressPools", MAX_PAGES, |next_token| {
                let request = ListPublicIpAddressPoolsRequest {
                    next_token,
                    ..request.clone()
                };
                async move {
                    self.list_public_ip_address_pools(creds, region, &request, opts)
                        .await
                }
            })
            .await?;
            pools.append(&mut batch);
        }
        Ok(pools)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_id_from_either_spelling() {
        let r: CreatePublicIpAddressPoolResponse = serde_json::from_str(
            r#"{"RequestId":"R","PulbicIpAddressPoolId":"pippool-old","ResourceGroupId":"rg-1"}"#,
        )
        .expect("misspelled only");
        assert_eq!(r.public_ip_address_pool_id, "pippool-old");
        assert_eq!(r.resource_group_id, "rg-1");
        let r: CreatePublicIpAddressPoolResponse = serde_json::from_str(
            r#"{"RequestId":"R","PulbicIpAddressPoolId":"","PublicIpAddressPoolId":"pippool-new"}"#,
        )
        .expect("correct spelling");
        assert_eq!(r.public_ip_address_pool_id, "pippool-new");
        let e = serde_json::from_str::<CreatePublicIpAddressPoolResponse>(r#"{"RequestId":"R"}"#)
            .expect_err("no ID");
        assert!(e.to_string().contains("PulbicIpAddressPoolId"), "{e}");
    }

    #[test]
    fn pool_decodes_loose_types_and_missing_fields() {
        let p: PublicIpAddressPool = serde_json::from_str(
            r#"{"PublicIpAddressPoolId":"pippool-1","TotalIpNum":"256","UsedIpNum":3,
                "IpAddressRemaining":"true","OwnerId":"1234567890123456","Zones":null,
                "Tags":[{"Key":"env","Value":"prod"}]}"#,
        )
        .expect("pool");
        assert_eq!(p.total_ip_num, 256);
        assert_eq!(p.used_ip_num, 3);
        assert!(p.ip_address_remaining);
        assert_eq!(p.owner_id, 1_234_567_890_123_456);
        assert!(p.zones.is_empty());
        assert_eq!(p.tags, vec![Tag::new("env", "prod")]);
        assert_eq!(p.status, "");
    }
}
