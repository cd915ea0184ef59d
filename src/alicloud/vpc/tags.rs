//! Calls that address any VPC resource by `ResourceType` and ID: tags and resource groups.
//!
//! None of them takes a `ClientToken` (the SDK models have none), and none needs one: each sets
//! a state rather than adding something, so a retry after a lost answer converges on the same
//! result (tagging a key again, removing a key already gone, moving to the group it is in).

use serde::{Deserialize, Serialize};

use super::{Acknowledged, Tag};
use crate::alicloud::client::{CallOptions, Client};
use crate::alicloud::credentials::Credentials;
use crate::alicloud::error::Error;
use crate::alicloud::paging::{MAX_PAGES, Page, collect_pages};
use crate::alicloud::wire::{lenient_string, lenient_vec};

/// `ResourceType` of a public IP address pool, as the official provider sends it (the API
/// matches it case-insensitively; the docs write `PublicIpAddressPool`).
pub const POOL_RESOURCE_TYPE: &str = "PUBLICIPADDRESSPOOL";

/// Largest `MaxResults` of `ListTagResources`.
pub const MAX_TAG_PAGE_SIZE: u32 = 50;

/// `TagResources`: adds or overwrites `tags` (`Tag.N.Key`/`Value`, at most 20) on every
/// resource in `resource_ids` (`ResourceId.N`, at most 50).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagResourcesRequest {
    pub resource_type: String,
    #[serde(rename = "ResourceId")]
    pub resource_ids: Vec<String>,
    #[serde(rename = "Tag")]
    pub tags: Vec<Tag>,
}

/// `UnTagResources`: removes `tag_keys` (`TagKey.N`), or every tag with `all`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UnTagResourcesRequest {
    pub resource_type: String,
    #[serde(rename = "ResourceId")]
    pub resource_ids: Vec<String>,
    #[serde(rename = "TagKey")]
    pub tag_keys: Vec<String>,
    pub all: Option<bool>,
}

/// `ListTagResources`: the tags of `resource_ids`, or the resources carrying `tags`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagResourcesRequest {
    pub resource_type: String,
    #[serde(rename = "ResourceId")]
    pub resource_ids: Vec<String>,
    #[serde(rename = "Tag")]
    pub tags: Vec<Tag>,
    /// 1 to 50.
    pub max_results: Option<u32>,
    pub next_token: Option<String>,
}

/// One page of `ListTagResources`, unwrapped: the API nests the list as
/// `TagResources.TagResource[]`, unlike the flat pool lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListTagResourcesResponse {
    #[serde(deserialize_with = "lenient_string")]
    pub request_id: String,
    /// Empty on the last page.
    #[serde(deserialize_with = "lenient_string")]
    pub next_token: String,
    #[serde(deserialize_with = "unwrap_tag_resources")]
    pub tag_resources: Vec<TagResource>,
}

impl Page for ListTagResourcesResponse {
    type Item = TagResource;
    fn into_parts(self) -> (Vec<TagResource>, String) {
        (self.tag_resources, self.next_token)
    }
}

/// One tag of one resource.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TagResource {
    #[serde(deserialize_with = "lenient_string")]
    pub resource_id: String,
    #[serde(deserialize_with = "lenient_string")]
    pub resource_type: String,
    #[serde(deserialize_with = "lenient_string")]
    pub tag_key: String,
    #[serde(deserialize_with = "lenient_string")]
    pub tag_value: String,
}

fn unwrap_tag_resources<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<TagResource>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapper {
        #[serde(rename = "TagResource", default, deserialize_with = "lenient_vec")]
        tag_resource: Vec<TagResource>,
    }
    Option::<Wrapper>::deserialize(d).map(|w| w.map(|w| w.tag_resource).unwrap_or_default())
}

/// `MoveResourceGroup`: moves one resource to `new_resource_group_id`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MoveResourceGroupRequest {
    pub resource_type: String,
    pub resource_id: String,
    pub new_resource_group_id: String,
}

impl Client {
    /// `TagResources` in `region`.
    pub async fn tag_resources(
        &self,
        creds: &Credentials,
        region: &str,
        request: &TagResourcesRequest,
        opts: &CallOptions,
    ) -> Result<Acknowledged, Error> {
        self.vpc_rpc(creds, "TagResources", region, None, request, opts)
            .await
    }

    /// `UnTagResources` in `region`.
    pub async fn untag_resources(
        &self,
        creds: &Credentials,
        region: &str,
        request: &UnTagResourcesRequest,
        opts: &CallOptions,
    ) -> Result<Acknowledged, Error> {
        self.vpc_rpc(creds, "UnTagResources", region, None, request, opts)
            .await
    }

    /// One page of `ListTagResources` in `region`.
    pub async fn list_tag_resources(
        &self,
        creds: &Credentials,
        region: &str,
        request: &ListTagResourcesRequest,
        opts: &CallOptions,
    ) -> Result<ListTagResourcesResponse, Error> {
        self.vpc_rpc(creds, "ListTagResources", region, None, request, opts)
            .await
    }

    /// Every tag that matches `filter`, all pages read (`MaxResults` 50 unless set;
    /// `filter.next_token` is ignored). `opts` bounds all calls.
    pub async fn list_all_tag_resources(
        &self,
        creds: &Credentials,
        region: &str,
        filter: &ListTagResourcesRequest,
        opts: &CallOptions,
    ) -> Result<Vec<TagResource>, Error> {
        let base = ListTagResourcesRequest {
            max_results: Some(filter.max_results.unwrap_or(MAX_TAG_PAGE_SIZE)),
            ..filter.clone()
        };
        collect_pages("ListTagResources", MAX_PAGES, |next_token| {
            let request = ListTagResourcesRequest {
                next_token,
                ..base.clone()
            };
            async move { self.list_tag_resources(creds, region, &request, opts).await }
        })
        .await
    }

    /// `MoveResourceGroup` in `region`.
    pub async fn move_resource_group(
        &self,
        creds: &Credentials,
        region: &str,
        request: &MoveResourceGroupRequest,
        opts: &CallOptions,
    ) -> Result<Acknowledged, Error> {
        self.vpc_rpc(creds, "MoveResourceGroup", region, None, request, opts)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_resources_are_unwrapped() {
        let page: ListTagResourcesResponse = serde_json::from_str(
            r#"{"RequestId":"R","NextToken":"n","TagResources":{"TagResource":[
                {"ResourceId":"pippool-1","ResourceType":"PUBLICIPADDRESSPOOL","TagKey":"env","TagValue":"prod"}]}}"#,
        )
        .expect("page");
        assert_eq!(page.next_token, "n");
        assert_eq!(page.tag_resources.len(), 1);
        assert_eq!(page.tag_resources[0].tag_value, "prod");
        for empty in [
            r#"{"RequestId":"R"}"#,
            r#"{"TagResources":null}"#,
            r#"{"TagResources":{}}"#,
        ] {
            let page: ListTagResourcesResponse = serde_json::from_str(empty).expect(empty);
            assert!(page.tag_resources.is_empty());
        }
    }
}
