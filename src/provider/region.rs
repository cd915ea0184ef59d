//! Region ID checks shared by the provider block, the resource and the data source.

use crate::tf::Diagnostic;

use crate::alicloud::regions::PUBLIC_REGIONS;

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
