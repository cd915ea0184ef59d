//! `DescribeEipAddresses`: filters, `PageNumber`/`PageSize` paging (unlike the pool lists'
//! tokens) and the wrapped lists of the SDK model (`EipAddresses.EipAddress[]`, `Tags.Tag[]`,
//! `SecurityProtectionTypes.SecurityProtectionType[]`, `OperationLocks.LockReason[]`).

use serde::Serialize;

use super::params::{Params, TagParam, has_tags};
use super::{Answer, Ctx, dry_run_passed};
use crate::emulator::eips::Eip;
use crate::emulator::error::ApiError;
use crate::emulator::resources::TAGS_PER_RESOURCE;
use crate::emulator::server::to_json;

/// Most values in the comma-separated `AllocationId` and `EipAddress` filters, as documented.
const IDS_PER_CALL: usize = 50;
/// `PageSize`: 1 to 100, default 10.
const MAX_PAGE_SIZE: u64 = 100;
const DEFAULT_PAGE_SIZE: u64 = 10;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeResponse<'a> {
    request_id: &'a str,
    total_count: usize,
    page_number: u64,
    page_size: u64,
    eip_addresses: EipAddresses<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EipAddresses<'a> {
    eip_address: Vec<EipView<'a>>,
}

/// One item of `EipAddresses.EipAddress`, fields and JSON types as the SDK model has them.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EipView<'a> {
    allocation_id: &'a str,
    ip_address: String,
    region_id: &'a str,
    status: &'static str,
    name: &'a str,
    description: &'a str,
    bandwidth: String,
    #[serde(rename = "ISP")]
    isp: &'a str,
    internet_charge_type: &'a str,
    charge_type: &'static str,
    allocation_time: &'a str,
    resource_group_id: &'a str,
    public_ip_address_pool_id: &'a str,
    deletion_protection: bool,
    zone: &'a str,
    // Associations with instances are not emulated: an EIP is never bound.
    instance_id: &'static str,
    instance_type: &'static str,
    instance_region_id: &'static str,
    private_ip_address: &'static str,
    netmode: &'static str,
    biz_type: &'static str,
    business_status: &'static str,
    mode: &'static str,
    second_limited: bool,
    service_managed: u8,
    has_reservation_data: &'static str,
    security_protection_types: ProtectionTypes<'a>,
    tags: Tags<'a>,
    operation_locks: OperationLocks,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ProtectionTypes<'a> {
    security_protection_type: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Tags<'a> {
    tag: Vec<TagView<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TagView<'a> {
    key: &'a str,
    value: &'a str,
}

/// Financial or security locks; the emulator never sets one.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct OperationLocks {
    lock_reason: [(); 0],
}

fn view(eip: &Eip) -> EipView<'_> {
    EipView {
        allocation_id: &eip.id,
        ip_address: eip.ip_address.to_string(),
        region_id: &eip.region_id,
        status: eip.status(),
        name: &eip.name,
        description: &eip.description,
        bandwidth: eip.bandwidth.to_string(),
        isp: &eip.isp,
        internet_charge_type: &eip.internet_charge_type,
        charge_type: "PostPaid",
        allocation_time: &eip.allocation_time,
        resource_group_id: &eip.resource_group_id,
        public_ip_address_pool_id: eip.pool_id.as_deref().unwrap_or_default(),
        deletion_protection: eip.deletion_protection,
        zone: &eip.zone,
        instance_id: "",
        instance_type: "",
        instance_region_id: "",
        private_ip_address: "",
        netmode: "public",
        biz_type: "Default",
        business_status: "Normal",
        mode: "NAT",
        second_limited: false,
        service_managed: 0,
        has_reservation_data: "false",
        security_protection_types: ProtectionTypes {
            security_protection_type: &eip.security_protection_types,
        },
        tags: Tags {
            tag: eip
                .tags
                .iter()
                .map(|(key, value)| TagView { key, value })
                .collect(),
        },
        operation_locks: OperationLocks { lock_reason: [] },
    }
}

/// The filters of `DescribeEipAddresses`, all optional and all required to match.
struct Filter<'a> {
    ids: Vec<&'a str>,
    addresses: Vec<&'a str>,
    name: Option<&'a str>,
    status: Option<&'a str>,
    isp: Option<&'a str>,
    pool: Option<&'a str>,
    resource_group_id: Option<&'a str>,
    tags: Vec<TagParam<'a>>,
}

impl Filter<'_> {
    fn matches(&self, e: &Eip) -> bool {
        (self.ids.is_empty() || self.ids.contains(&e.id.as_str()))
            && (self.addresses.is_empty()
                || self.addresses.contains(&e.ip_address.to_string().as_str()))
            && self.name.is_none_or(|n| n == e.name)
            && self.status.is_none_or(|s| s == e.status())
            && self.isp.is_none_or(|i| i == e.isp)
            && self.pool.is_none_or(|p| Some(p) == e.pool_id.as_deref())
            && self
                .resource_group_id
                .is_none_or(|r| r == e.resource_group_id)
            && has_tags(&e.tags, &self.tags)
    }
}

/// A comma-separated list parameter (`AllocationId`, `EipAddress`) of at most 50 values.
fn comma_list<'a>(params: &Params<'a>, name: &str) -> Result<Vec<&'a str>, ApiError> {
    let items: Vec<&'a str> = params
        .opt(name)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if items.len() > IDS_PER_CALL {
        return Err(ApiError::invalid(
            name,
            format!("The parameter {name} accepts at most {IDS_PER_CALL} comma-separated values."),
        ));
    }
    Ok(items)
}

pub(super) fn describe(ctx: &Ctx<'_>) -> Result<Answer, ApiError> {
    let region = ctx.region()?;
    let params = ctx.params();
    let filter = Filter {
        ids: comma_list(&params, "AllocationId")?,
        addresses: comma_list(&params, "EipAddress")?,
        name: params.opt("EipName"),
        status: params.opt("Status"),
        isp: params.opt("ISP"),
        pool: params.opt("PublicIpAddressPoolId"),
        resource_group_id: params.opt("ResourceGroupId"),
        tags: params.tags("Tag", TAGS_PER_RESOURCE)?,
    };
    let page_number = params
        .number("PageNumber", 1..=u64::from(u32::MAX))?
        .unwrap_or(1);
    let mut page_size = params
        .number("PageSize", 1..=MAX_PAGE_SIZE)?
        .unwrap_or(DEFAULT_PAGE_SIZE);
    // `--page-size-limit`: the answer's `PageSize` says how many a page really holds, and
    // `PageNumber` counts pages of that size.
    if let Some(limit) = ctx.page_size_limit() {
        page_size = page_size
            .min(u64::try_from(limit).unwrap_or(u64::MAX))
            .max(1);
    }
    if params.dry_run()? {
        return Err(dry_run_passed());
    }
    let account = ctx.account();
    ctx.read(|inner| {
        let matching: Vec<&Eip> = inner
            .state
            .eips(account)
            .iter()
            .filter(|e| e.region_id == region && filter.matches(e))
            .collect();
        let total_count = matching.len();
        let size = usize::try_from(page_size).unwrap_or(usize::MAX);
        let skip = usize::try_from(page_number - 1)
            .unwrap_or(usize::MAX)
            .saturating_mul(size);
        let page = matching
            .into_iter()
            .skip(skip)
            .take(size)
            .map(view)
            .collect();
        Ok(to_json(&DescribeResponse {
            request_id: ctx.request_id,
            total_count,
            page_number,
            page_size,
            eip_addresses: EipAddresses { eip_address: page },
        }))
    })
}
