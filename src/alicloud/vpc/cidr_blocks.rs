//! CIDR blocks of a public IP address pool: add, delete and list.

use serde::{Deserialize, Serialize};

use super::Acknowledged;
use crate::alicloud::client::{CallOptions, Client};
use crate::alicloud::credentials::Credentials;
use crate::alicloud::error::Error;
use crate::alicloud::paging::{MAX_PAGES, Page, collect_pages};
use crate::alicloud::query::is_false;
use crate::alicloud::wire::{lenient_string, lenient_u64, lenient_vec};

/// Largest `MaxResults` of `ListPublicIpAddressPoolCidrBlocks`.
pub const MAX_CIDR_BLOCK_PAGE_SIZE: u32 = 100;

/// `AddPublicIpAddressPoolCidrBlock`: exactly one of `cidr_block` and `cidr_mask`. Both are
/// plain options, as in the SDK model, so that the API's own refusal of both or neither can be
/// exercised; the provider checks the rule at plan time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddPublicIpAddressPoolCidrBlockRequest {
    pub public_ip_address_pool_id: String,
    /// A block of your own, e.g. `47.0.0.0/24`.
    pub cidr_block: Option<String>,
    /// 24 to 28: Alibaba allocates a free block of that size.
    pub cidr_mask: Option<u8>,
    #[serde(skip_serializing_if = "is_false")]
    pub dry_run: bool,
}

/// Answer of `AddPublicIpAddressPoolCidrBlock`: the block added (the allocated one for a mask).
/// Asynchronous: the block is `Modifying`, then `Created`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AddPublicIpAddressPoolCidrBlockResponse {
    #[serde(deserialize_with = "lenient_string")]
    pub request_id: String,
    #[serde(deserialize_with = "lenient_string")]
    pub cidr_block: String,
}

/// `DeletePublicIpAddressPoolCidrBlock`. Asynchronous: `Deleting`, then gone; refused while
/// addresses of the block are in use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeletePublicIpAddressPoolCidrBlockRequest {
    pub public_ip_address_pool_id: String,
    pub cidr_block: String,
    #[serde(skip_serializing_if = "is_false")]
    pub dry_run: bool,
}

/// `ListPublicIpAddressPoolCidrBlocks` of one pool (the API has no status filter).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPublicIpAddressPoolCidrBlocksRequest {
    pub public_ip_address_pool_id: String,
    pub cidr_block: Option<String>,
    pub max_results: Option<u32>,
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub dry_run: bool,
}

/// One page of `ListPublicIpAddressPoolCidrBlocks`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListPublicIpAddressPoolCidrBlocksResponse {
    #[serde(deserialize_with = "lenient_string")]
    pub request_id: String,
    /// Empty on the last page.
    #[serde(deserialize_with = "lenient_string")]
    pub next_token: String,
    #[serde(deserialize_with = "lenient_u64")]
    pub total_count: u64,
    #[serde(deserialize_with = "lenient_vec")]
    pub public_ip_pool_cidr_block_list: Vec<PublicIpPoolCidrBlock>,
}

impl Page for ListPublicIpAddressPoolCidrBlocksResponse {
    type Item = PublicIpPoolCidrBlock;
    fn into_parts(self) -> (Vec<PublicIpPoolCidrBlock>, String) {
        (self.public_ip_pool_cidr_block_list, self.next_token)
    }
}

/// A CIDR block as `ListPublicIpAddressPoolCidrBlocks` reports it (every field of the SDK
/// model). A missing `Status` reads as empty (the official provider panics on it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PublicIpPoolCidrBlock {
    #[serde(deserialize_with = "lenient_string")]
    pub cidr_block: String,
    #[serde(deserialize_with = "lenient_string")]
    pub creation_time: String,
    #[serde(deserialize_with = "lenient_string")]
    pub public_ip_address_pool_id: String,
    /// `Created`, `Modifying` or `Deleting`.
    #[serde(deserialize_with = "lenient_string")]
    pub status: String,
    #[serde(deserialize_with = "lenient_u64")]
    pub total_ip_num: u64,
    #[serde(deserialize_with = "lenient_u64")]
    pub used_ip_num: u64,
}

impl Client {
    /// `AddPublicIpAddressPoolCidrBlock` in `region`; one `client_token` per logical add, so
    /// that a retried mask allocation cannot add a second block.
    pub async fn add_public_ip_address_pool_cidr_block(
        &self,
        creds: &Credentials,
        region: &str,
        client_token: &str,
        request: &AddPublicIpAddressPoolCidrBlockRequest,
        opts: &CallOptions,
    ) -> Result<AddPublicIpAddressPoolCidrBlockResponse, Error> {
        let action = "AddPublicIpAddressPoolCidrBlock";
        self.vpc_rpc(creds, action, region, Some(client_token), request, opts)
            .await
    }

    /// `DeletePublicIpAddressPoolCidrBlock` in `region`.
    pub async fn delete_public_ip_address_pool_cidr_block(
        &self,
        creds: &Credentials,
        region: &str,
        client_token: &str,
        request: &DeletePublicIpAddressPoolCidrBlockRequest,
        opts: &CallOptions,
    ) -> Result<Acknowledged, Error> {
        let action = "DeletePublicIpAddressPoolCidrBlock";
        self.vpc_rpc(creds, action, region, Some(client_token), request, opts)
            .await
    }

    /// One page of `ListPublicIpAddressPoolCidrBlocks` in `region`.
    pub async fn list_public_ip_address_pool_cidr_blocks(
        &self,
        creds: &Credentials,
        region: &str,
        request: &ListPublicIpAddressPoolCidrBlocksRequest,
        opts: &CallOptions,
    ) -> Result<ListPublicIpAddressPoolCidrBlocksResponse, Error> {
        let action = "ListPublicIpAddressPoolCidrBlocks";
        self.vpc_rpc(creds, action, region, None, request, opts)
            .await
    }

    /// Every block of `filter.public_ip_address_pool_id` that matches `filter`, all pages read
    /// (`MaxResults` 100 unless set; `filter.next_token` is ignored). `opts` bounds all calls.
    pub async fn list_all_public_ip_address_pool_cidr_blocks(
        &self,
        creds: &Credentials,
        region: &str,
        filter: &ListPublicIpAddressPoolCidrBlocksRequest,
        opts: &CallOptions,
    ) -> Result<Vec<PublicIpPoolCidrBlock>, Error> {
        let base = ListPublicIpAddressPoolCidrBlocksRequest {
            max_results: Some(filter.max_results.unwrap_or(MAX_CIDR_BLOCK_PAGE_SIZE)),
            ..filter.clone()
        };
        let action = "ListPublicIpAddressPoolCidrBlocks";
        collect_pages(action, MAX_PAGES, |next_token| {
            let request = ListPublicIpAddressPoolCidrBlocksRequest {
                next_token,
                ..base.clone()
            };
            async move {
                self.list_public_ip_address_pool_cidr_blocks(creds, region, &request, opts)
                    .await
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_without_status_and_with_string_numbers() {
        let page: ListPublicIpAddressPoolCidrBlocksResponse = serde_json::from_str(
            r#"{"RequestId":"R","NextToken":"","TotalCount":"1","PublicIpPoolCidrBlockList":
                [{"CidrBlock":"47.0.0.0/24","TotalIpNum":"256","UsedIpNum":0}]}"#,
        )
        .expect("page");
        assert_eq!(page.total_count, 1);
        let block = &page.public_ip_pool_cidr_block_list[0];
        assert_eq!(block.cidr_block, "47.0.0.0/24");
        assert_eq!(block.total_ip_num, 256);
        assert_eq!(block.status, "");
    }
}
