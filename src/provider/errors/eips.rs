//! What to do about the refusals of the EIP operations. Codes Alibaba documents for
//! `AllocateEipAddress` and `ReleaseEipAddress` are matched exactly; the ones the emulator had
//! to choose (docs/emulator.md) loosely, where Alibaba's real code may differ. Only the EIP
//! operations consult this module: a pool code such as `ResourceNotEnough.PublicIpAddressPool`
//! means something else to a CIDR block.

use super::Operation;

/// The advice for an EIP operation's error code, or `None` to fall back to the pool family's.
pub fn advice(code: &str, op: Operation, region: &str) -> Option<(String, String)> {
    if !matches!(
        op,
        Operation::AllocateEip | Operation::ReadEips | Operation::UpdateEip | Operation::ReleaseEip
    ) {
        return None;
    }
    let s = |a: &str, b: String| Some((a.to_string(), b));
    match code {
        "ResourceNotEnough.PublicIpAddressPool" => s(
            "No free address in the pool",
            "Every address of the pool's CIDR blocks is allocated, or the pool has no block yet. If its alicloudvpc_public_ip_address_pool_cidr_block resources are in this configuration, make the EIP depend on them (depends_on = [alicloudvpc_public_ip_address_pool_cidr_block.<name>]) so that Terraform adds the blocks first; otherwise add a block to the pool, release EIPs it no longer needs, or allocate from another pool.".to_string(),
        ),
        c if c.starts_with("Mismatch.IpAndPublicIpAddressPool") => s(
            "ip_address is not in the pool",
            "ip_address must be a free address inside one of the pool's CIDR blocks (data source alicloudvpc_public_ip_address_pool_cidr_blocks lists them). Choose such an address, or remove ip_address and let Alibaba Cloud pick one.".to_string(),
        ),
        c if c.starts_with("Ip.Allocated") => s(
            "ip_address is already allocated",
            "Another EIP already holds this address. Choose another free address of the pool, or remove ip_address and let Alibaba Cloud pick one.".to_string(),
        ),
        c if c.contains("Mismatch") => s(
            "The EIP does not match its pool",
            "An EIP allocated from a pool must have the pool's line type and security protection types. Remove isp and security_protection_types (the provider then takes the pool's), or set them to the pool's values.".to_string(),
        ),
        "ExclusiveParam.ZoneAndPublicIpAddressPoolId" => s(
            "zone and public_ip_address_pool_id together",
            "Alibaba Cloud does not take a zone for an EIP allocated from a pool. Remove one of zone and public_ip_address_pool_id.".to_string(),
        ),
        c if c.starts_with("QuotaExceeded.Eip") => s(
            "EIP quota reached",
            format!("The account already has the most EIPs Alibaba Cloud allows in {region}. Release EIPs it no longer needs, or request a higher quota in the Quota Center (https://quotas.console.aliyun.com)."),
        ),
        c if c.contains("DeletionProtection") => s(
            "Deletion protection is on",
            "The EIP has deletion protection, so Alibaba Cloud refused to release it. Set deletion_protection = false, run terraform apply, then destroy or replace it.".to_string(),
        ),
        c if c.starts_with("InvalidAllocationId.NotFound") => s(
            "EIP not found",
            format!("Alibaba Cloud has no such EIP in {region}. Check the ID and region_id (an EIP belongs to one region); an EIP released outside Terraform is planned for creation at the next plan."),
        ),
        c if c.starts_with("IncorrectEipStatus") || c.starts_with("IncorrectStatus.Eip") => s(
            "The EIP is busy",
            format!("Alibaba Cloud refused to {} in the EIP's current state (an EIP associated with an instance cannot be released; one being associated or released cannot be changed). Disassociate it or wait, then run terraform again.", op.doing()),
        ),
        c if c.starts_with("ResourceNotFound.PublicIpAddressPool") => s(
            "IP address pool not found",
            format!("There is no pool public_ip_address_pool_id names in {region}. Check the ID and region_id: the EIP must be in the pool's region."),
        ),
        c if c.starts_with("IncorrectStatus.PublicIpAddressPool") => s(
            "The pool is busy",
            "The pool is still changing (a CIDR block being added or deleted) and Alibaba Cloud kept refusing the allocation until the time ran out. Wait for the change to finish and try again, or raise timeouts.create.".to_string(),
        ),
        c if c.starts_with("InvalidParameter.Bandwidth") || c.starts_with("InvalidBandwidth") => s(
            "Invalid bandwidth",
            "Alibaba Cloud refused the bandwidth: pay-as-you-go EIPs take 1 to 500 Mbit/s when charged by bandwidth (PayByBandwidth) and 1 to 200 when charged by traffic (PayByTraffic).".to_string(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_of_the_eip_family_has_its_own_advice() {
        let mut summaries = std::collections::BTreeSet::new();
        for code in [
            "ResourceNotEnough.PublicIpAddressPool",
            "Mismatch.IpAndPublicIpAddressPool",
            "Ip.Allocated",
            "Mismatch.IspAndPublicIpAddressPool",
            "ExclusiveParam.ZoneAndPublicIpAddressPoolId",
            "QuotaExceeded.Eip",
            "InvalidOperation.DeletionProtection",
            "InvalidAllocationId.NotFound",
            "IncorrectEipStatus",
            "ResourceNotFound.PublicIpAddressPool",
            "IncorrectStatus.PublicIpAddressPool",
            "InvalidParameter.Bandwidth",
        ] {
            let (summary, _) = advice(code, Operation::AllocateEip, "cn-hangzhou").expect(code);
            assert!(summaries.insert(summary.clone()), "{code}: {summary} twice");
        }
    }

    #[test]
    fn the_emulators_mismatch_codes_get_alibabas_advice() {
        let summary = |code| advice(code, Operation::AllocateEip, "r").map(|(s, _)| s);
        assert_eq!(
            summary("Mismatch.IspAndPublicIpAddressPool"),
            summary("OperationDenied.PublicIpAddressPoolIspMismatch")
        );
    }

    #[test]
    fn pool_operations_keep_their_own_advice() {
        assert!(
            advice(
                "ResourceNotEnough.PublicIpAddressPool",
                Operation::AddCidrBlock,
                "cn-hangzhou"
            )
            .is_none()
        );
    }
}
