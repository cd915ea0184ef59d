//! Region ID checks shared by the provider block, the resource and the data source.

use crate::tf::Diagnostic;

/// Public Alibaba Cloud regions; a region outside this list needs `skip_region_validation`.
pub const PUBLIC_REGIONS: &[&str] = &[
    "cn-qingdao",
    "cn-beijing",
    "cn-zhangjiakou",
    "cn-huhehaote",
    "cn-wulanchabu",
    "cn-hangzhou",
    "cn-shanghai",
    "cn-nanjing",
    "cn-fuzhou",
    "cn-shenzhen",
    "cn-heyuan",
    "cn-guangzhou",
    "cn-chengdu",
    "cn-hongkong",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-3",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "us-east-1",
    "us-west-1",
    "eu-west-1",
    "eu-central-1",
    "me-east-1",
    "me-central-1",
    "na-south-1",
];

/// Checks a region ID's form, and membership in [`PUBLIC_REGIONS`] unless skipped.
pub fn check(region: &str, skip_list: bool) -> Result<(), Diagnostic> {
    if !super::config::region_format_ok(region) {
        return Err(Diagnostic::error(
            "Invalid region ID",
            format!(
                "{region:?} is not an Alibaba Cloud region ID; region IDs look like \"cn-hangzhou\" or \"ap-southeast-1\"."
            ),
        ));
    }
    if !skip_list && !PUBLIC_REGIONS.contains(&region) {
        return Err(Diagnostic::error(
            "Unknown region ID",
            format!(
                "{region:?} is not a known public Alibaba Cloud region ({}). Check the spelling, or set skip_region_validation = true in the provider block for a region this provider does not list yet.",
                PUBLIC_REGIONS.join(", ")
            ),
        ));
    }
    Ok(())
}
