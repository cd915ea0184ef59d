//! What to do about an API refusal, per error code; the pool family's codes are in `pools`.

use super::{Ctx, Limit, Operation, Service, ids, sentence, steps};
use crate::alicloud::ApiError;
use crate::tf::Diagnostic;

/// The advice for one API error code: (summary, what to do).
fn advice(
    code: &str,
    op: Operation,
    region: &str,
    limit: Limit,
    service: Service,
) -> Option<(String, String)> {
    let s = |a: &str, b: String| Some((a.to_string(), b));
    match code {
        "OperationFailed.ExceedPurchaseLimit" => s(
            "IP address pool feature: purchase limit reached",
            format!("Alibaba Cloud says the account reached the purchase limit for this feature, yet the status in {region} does not report it enabled. Check the feature's quota for the account in the Quota Center (https://quotas.console.aliyun.com), or ask Alibaba Cloud support with the RequestId below."),
        ),
        "Forbidden.RAM" => s(
            "Not authorized by RAM",
            format!("The RAM identity in use may not {}. Grant it the actions {} (e.g. a custom policy, or the system policy AliyunVPCFullAccess), then run terraform again.", op.doing(), op.ram_actions()),
        ),
        "OperationFailed.QuotaNotEnough" => s(
            "Insufficient quota for the IP address pool feature",
            "The account's quota is insufficient. Ask your Alibaba Cloud channel partner or account manager to increase it, or request it in the Quota Center (https://quotas.console.aliyun.com).".to_string(),
        ),
        "Order.NoRealNameAuthentication" => s(
            "Real-name verification required",
            "The Alibaba Cloud account has not completed real-name verification, which activation requires. Complete it in the account center (https://account.console.aliyun.com), then run terraform apply again.".to_string(),
        ),
        "OperationFailed.BasicInfoUncompleted" => s(
            "Account basic information incomplete",
            "The Alibaba Cloud account's basic information is incomplete. Complete it in the account center (https://account.console.aliyun.com), then run terraform apply again.".to_string(),
        ),
        "Forbidden.OpenPublicIpAddressPool" => s(
            "Not permitted to activate the IP address pool feature",
            "The account has no permission to activate the IP address pool feature yet. Apply for it in the Quota Center (https://quotas.console.aliyun.com, privilege quotas of VPC), then run terraform apply again.".to_string(),
        ),
        "InvalidAccessKeyId.NotFound" | "InvalidAccessKeyId" => s(
            "Unknown AccessKey ID",
            "Alibaba Cloud does not know this AccessKey ID. Check access_key (or ALIBABA_CLOUD_ACCESS_KEY_ID / ALICLOUD_ACCESS_KEY, or the selected profile); the key may have been deleted or disabled in the RAM console.".to_string(),
        ),
        "InvalidAccessKeyId.Inactive" => s(
            "AccessKey disabled",
            "This AccessKey is disabled. Enable it in the RAM console or use another key.".to_string(),
        ),
        "InvalidTimeStamp.Expired" | "InvalidTimeStamp.Format" => s(
            "Request timestamp rejected",
            "Alibaba Cloud rejected the request's timestamp: this machine's clock is more than 15 minutes off. Synchronise it (e.g. with NTP) and try again.".to_string(),
        ),
        "InvalidSecurityToken.Expired" => s(
            "Security token expired",
            "The STS security token has expired. Obtain fresh temporary credentials (security_token, ALIBABA_CLOUD_SECURITY_TOKEN or the profile), or use assume_role, which the provider renews by itself.".to_string(),
        ),
        c if c.starts_with("InvalidSecurityToken") => s(
            "Security token rejected",
            "The STS security token does not belong to this AccessKey ID or is malformed. Set the AccessKey ID, secret and security token of the same STS credentials.".to_string(),
        ),
        "InvalidRegionId.NotFound" | "InvalidRegionId" | "InvalidRegionId.Malformed" => s(
            "Region not available",
            format!("Alibaba Cloud does not offer the VPC API in region {region:?}. Check region_id (or the provider's region) against the console's region list."),
        ),
        "OperationConflict" | "TaskConflict" | "LastTokenProcessing" => s(
            "Another activation is in progress",
            "Alibaba Cloud refuses concurrent activations within one account, and another one did not finish in time. Wait for it to finish, or raise timeouts.create, then apply again.".to_string(),
        ),
        c if c.contains("Throttling") => s(
            "Throttled by Alibaba Cloud",
            match limit.setting {
                Some(setting) => format!("Alibaba Cloud kept throttling the requests. Run with fewer parallel operations (-parallelism), raise max_retries, or raise {setting}, then try again."),
                None => "Alibaba Cloud kept throttling the requests. Run with fewer parallel operations (-parallelism) or raise max_retries, then try again.".to_string(),
            },
        ),
        "MissingParameter" | "InvalidAction.NotFound" | "InvalidVersion" | "InvalidParameter" => s(
            "Request refused as malformed",
            format!("The endpoint refused the request as malformed. If {} points somewhere other than Alibaba Cloud or the emulator, correct it; otherwise this is a provider bug, please report it with the RequestId.", service.setting()),
        ),
        "EntityNotExist.Role" | "NoPermission" => s(
            "Cannot assume the RAM role",
            "STS could not assume the role: check assume_role.role_arn (or the profile's ram_role_arn), that the role exists, and that its trust policy allows the calling identity.".to_string(),
        ),
        _ => super::eips::advice(code, op, region).or_else(|| super::pools::advice(code, op, region)),
    }
}

impl Ctx<'_> {
    pub(super) fn api(&self, api: &ApiError) -> Diagnostic {
        if let Some(d) = self
            .step
            .and_then(|s| steps::refusal(s, self.endpoint, api))
        {
            return d;
        }
        if api.code == "SignatureDoesNotMatch" {
            let detail = match api.secret_is_wrong() {
                Some(true) => {
                    "Alibaba Cloud computed the same string to sign, so the AccessKey secret is wrong: check secret_key (or ALIBABA_CLOUD_ACCESS_KEY_SECRET / ALICLOUD_SECRET_KEY, or the profile) for this AccessKey ID."
                }
                Some(false) => {
                    "Alibaba Cloud signed a different request than the provider sent: a proxy may have altered it, or this is a provider bug (please report it with the RequestId)."
                }
                None => "Check that secret_key belongs to the AccessKey ID in use.",
            };
            return Diagnostic::error(
                "Request signature rejected",
                format!("{detail}{}", ids(api)),
            );
        }
        let (summary, detail) = advice(&api.code, self.op, self.region, self.limit, self.service)
            .unwrap_or_else(|| {
                (
                    format!("Alibaba Cloud refused to {}", self.op.doing()),
                    format!(
                        "Alibaba Cloud answered {}: {}",
                        api.code,
                        sentence(&api.message)
                    ),
                )
            });
        Diagnostic::error(summary, format!("{detail}{}", ids(api)))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::diagnostic;
    use super::super::tests::api;
    use super::*;

    #[test]
    fn every_documented_open_code_has_its_own_advice() {
        let mut summaries = std::collections::HashSet::new();
        for code in [
            "OperationFailed.ExceedPurchaseLimit",
            "Forbidden.RAM",
            "OperationFailed.QuotaNotEnough",
            "Order.NoRealNameAuthentication",
            "OperationFailed.BasicInfoUncompleted",
            "Forbidden.OpenPublicIpAddressPool",
        ] {
            let d = diagnostic(
                Operation::Activate,
                "cn-hangzhou",
                "vpc",
                Duration::from_secs(300),
                &api(code),
            );
            assert!(
                d.detail.contains(code) && d.detail.contains("REQ-1"),
                "{d:?}"
            );
            assert!(d.detail.contains("Diagnosis: https://"), "{d:?}");
            assert!(
                summaries.insert(d.summary.clone()),
                "{code} shares its summary"
            );
        }
    }
}
