//! What to do about the refusals of the IP address pool operations: a summary and an
//! actionable detail per error code, next to the generic advice in `advice.rs`. The codes
//! Alibaba documents are in `shared/notes/alibaba-api.md`; the undocumented ones are those the
//! emulator chose (docs/emulator.md), matched loosely where Alibaba's real code may differ.

use super::Operation;

/// The advice for a pool-family error code, or `None` for codes this module does not know.
pub fn advice(code: &str, op: Operation, region: &str) -> Option<(String, String)> {
    let s = |a: &str, b: String| Some((a.to_string(), b));
    match code {
        c if c.contains("ServiceNotOpened") || c.contains("ServiceNotEnabled") => s(
            "IP address pool feature not active",
            format!("The IP address pool feature is not active in {region}, so Alibaba Cloud refused to {}. Add a resource alicloudvpc_public_ip_address_pool_service with region_id = \"{region}\" and make this resource depend on it (depends_on = [alicloudvpc_public_ip_address_pool_service.<name>], or a reference to its id), so that Terraform activates the feature first.", op.doing()),
        ),
        "QuotaExceeded.PublicIpAddressPool" => s(
            "IP address pool quota reached",
            format!("The account already has the most IP address pools Alibaba Cloud allows in {region} (16 by default). Delete pools it no longer needs, or request a higher quota in the Quota Center (https://quotas.console.aliyun.com)."),
        ),
        "QuotaExceeded.PublicIpAddressPoolCidrBlock" => s(
            "CIDR block quota of the pool reached",
            "The pool already holds the most CIDR blocks Alibaba Cloud allows. Add the block to another pool, or remove blocks the pool no longer needs.".to_string(),
        ),
        "QuotaExceeded.TagNum" => s(
            "Too many tags",
            "A pool can carry at most 20 tags. Remove some from tags.".to_string(),
        ),
        c if c.starts_with("InvalidCidrBlock.Overlap") => s(
            "CIDR block overlaps another block",
            "The block overlaps a CIDR block the account already has (the message below names it). Choose a block that does not overlap, or use cidr_mask and let Alibaba Cloud allocate one.".to_string(),
        ),
        c if c.starts_with("ResourceNotEnough") => s(
            "No free addresses",
            format!("Alibaba Cloud has no free block of the requested size left in {region}. Ask for a smaller block (a larger cidr_mask), or try again later."),
        ),
        c if c.ends_with("InUse") => s(
            "Addresses are still allocated",
            format!("Alibaba Cloud refused to {} while addresses from it are allocated (the message below gives the count). Release the EIPs allocated from it first (the alicloudvpc_eip_address resources whose public_ip_address_pool_id names this pool, or EIPs allocated outside this configuration), then run terraform again.", op.doing()),
        ),
        c if c.starts_with("IncorrectStatus") => s(
            "The pool is busy",
            "The pool or block is still changing (Modifying or Deleting) and Alibaba Cloud kept refusing the request until the time ran out. Wait for the change to finish and try again, or raise the operation's timeout.".to_string(),
        ),
        c if c.starts_with("ResourceNotFound") => s(
            "IP address pool or CIDR block not found",
            format!("Alibaba Cloud has no such pool or block in {region}. Check public_ip_address_pool_id and region_id (a pool belongs to one region)."),
        ),
        "InvalidParameter.CidrBlockAndCidrMask" => s(
            "Both cidr_block and cidr_mask sent",
            "Set exactly one of cidr_block and cidr_mask.".to_string(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_of_the_pool_family_has_its_own_advice() {
        for code in [
            "OperationDenied.PublicIpAddressPoolServiceNotOpened",
            "QuotaExceeded.PublicIpAddressPool",
            "QuotaExceeded.PublicIpAddressPoolCidrBlock",
            "QuotaExceeded.TagNum",
            "InvalidCidrBlock.Overlapped",
            "ResourceNotEnough.CidrBlock",
            "ResourceNotEnough.PublicIpAddressPool",
            "OperationDenied.CidrBlockInUse",
            "OperationDenied.PublicIpAddressPoolInUse",
            "IncorrectStatus.PublicIpAddressPool",
            "ResourceNotFound.PublicIpAddressPool",
            "InvalidParameter.CidrBlockAndCidrMask",
        ] {
            assert!(
                advice(code, Operation::CreatePool, "cn-hangzhou").is_some(),
                "{code}"
            );
        }
        let (_, detail) = advice(
            "OperationDenied.PublicIpAddressPoolServiceNotOpened",
            Operation::CreatePool,
            "cn-beijing",
        )
        .expect("advice");
        assert!(detail.contains("alicloudvpc_public_ip_address_pool_service"));
        assert!(detail.contains("depends_on"));
        assert!(detail.contains("region_id = \"cn-beijing\""));
    }
}
