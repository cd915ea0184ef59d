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

/// The check of a resource's or data source's own `region_id`, on that attribute. Its form only:
/// the provider's `skip_region_validation` is not known when Terraform validates a resource.
pub fn validate_attr(region_id: &crate::tf::Value<String>) -> crate::tf::Diagnostics {
    match region_id {
        crate::tf::Value::Known(r) => match check(r, true) {
            Ok(()) => crate::tf::Diagnostics::default(),
            Err(e) => e.at(crate::tf::AttrPath::attr("region_id")).into(),
        },
        _ => crate::tf::Diagnostics::default(),
    }
}
