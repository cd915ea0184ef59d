//! Alibaba Cloud errors as diagnostics: a specific summary, what to do about it, and the
//! Code, Message and RequestId that Alibaba support asks for.

use std::time::Duration;

use crate::alicloud::{ApiError, Error};
use crate::tf::Diagnostic;

/// What was being done when the error happened, for the summary and the advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Activate,
    ReadStatus,
    Credentials,
}

impl Operation {
    fn doing(self) -> &'static str {
        match self {
            Operation::Activate => "activate the IP address pool feature",
            Operation::ReadStatus => "read the IP address pool feature's status",
            Operation::Credentials => "obtain credentials",
        }
    }

    fn timeout_attr(self) -> &'static str {
        match self {
            Operation::Activate => "timeouts.create",
            Operation::ReadStatus => "timeouts.read",
            Operation::Credentials => "the operation's timeout",
        }
    }
}

/// The advice for one API error code: (summary, what to do).
fn advice(code: &str, op: Operation, region: &str) -> Option<(String, String)> {
    let s = |a: &str, b: String| Some((a.to_string(), b));
    match code {
        "OperationFailed.ExceedPurchaseLimit" => s(
            "IP address pool feature: purchase limit reached",
            format!("Alibaba Cloud says the account reached the purchase limit for this feature, yet the status in {region} does not report it enabled. Check the feature's quota for the account in the Quota Center (https://quotas.console.aliyun.com), or ask Alibaba Cloud support with the RequestId below."),
        ),
        "Forbidden.RAM" => s(
            "Not authorized by RAM",
            format!("The RAM identity in use may not {}. Grant it the actions vpc:OpenPublicIpAddressPoolService and vpc:GetPublicIpAddressPoolServiceStatus (e.g. a custom policy, or the system policy AliyunVPCFullAccess), then run terraform again.", op.doing()),
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
            format!("Alibaba Cloud kept throttling the requests. Run with fewer parallel operations (-parallelism), raise max_retries, or raise {}, then try again.", op.timeout_attr()),
        ),
        "MissingParameter" | "InvalidAction.NotFound" | "InvalidVersion" | "InvalidParameter" => s(
            "Request refused as malformed",
            "The endpoint refused the request as malformed. If endpoints.vpc points somewhere other than Alibaba Cloud or the emulator, correct it; otherwise this is a provider bug, please report it with the RequestId.".to_string(),
        ),
        "EntityNotExist.Role" | "NoPermission" => s(
            "Cannot assume the RAM role",
            "STS could not assume the role: check assume_role.role_arn (or the profile's ram_role_arn), that the role exists, and that its trust policy allows the calling identity.".to_string(),
        ),
        _ => None,
    }
}

fn ids(api: &ApiError) -> String {
    let mut s = format!(
        "\n\nAlibaba Cloud error: Code {}, HTTP {}, Message {:?}, RequestId {}",
        api.code, api.http_status, api.message, api.request_id
    );
    if let Some(r) = &api.recommend {
        s.push_str(&format!("\nDiagnosis: {r}"));
    }
    s
}

/// The diagnostic for an error of `op` in `region`. `timeout` is the operation's budget.
pub fn diagnostic(
    op: Operation,
    region: &str,
    endpoint_hint: &str,
    timeout: Duration,
    err: &Error,
) -> Diagnostic {
    match err {
        Error::Api(api) => api_diagnostic(op, region, api),
        Error::DeadlineExceeded { attempts, last } => {
            let last_text = last.as_ref().map(|e| match e.api() {
                Some(api) => format!(
                    " The last answer was {}: {}.{}",
                    api.code,
                    api.message,
                    ids(api)
                ),
                None => format!(" The last error was: {e}."),
            });
            Diagnostic::error(
                format!("Timed out trying to {}", op.doing()),
                format!(
                    "Gave up after {} ({attempts} attempt(s)), the limit set by {} (now {}). Raise it if Alibaba Cloud is slow or busy, e.g. timeouts {{ create = \"15m\" }}.{}",
                    human(timeout),
                    op.timeout_attr(),
                    human(timeout),
                    last_text.unwrap_or_default()
                ),
            )
        }
        Error::Timeout(d) => Diagnostic::error(
            format!(
                "Alibaba Cloud did not answer in time while trying to {}",
                op.doing()
            ),
            format!(
                "A request to {endpoint_hint} got no answer within {}. Check the network path, or raise client_read_timeout (milliseconds) and {}.",
                human(*d),
                op.timeout_attr()
            ),
        ),
        Error::Transport(e) => Diagnostic::error(
            format!("Cannot reach Alibaba Cloud to {}", op.doing()),
            format!(
                "The request to {endpoint_hint} failed: {e}. Check network access and proxies (HTTPS_PROXY), and endpoints.vpc / ALIBABA_CLOUD_ENDPOINT_VPC if set."
            ),
        ),
        Error::Decode {
            status,
            reason,
            excerpt,
        } => Diagnostic::error(
            "Unexpected answer from the Alibaba Cloud endpoint",
            format!(
                "{endpoint_hint} answered HTTP {status} with a body that is not Alibaba Cloud's JSON ({reason}); it starts with {excerpt:?}. A proxy or a wrong endpoints.vpc may be in the way."
            ),
        ),
        Error::Cancelled => Diagnostic::error(
            "Interrupted",
            format!(
                "Terraform was interrupted while the provider tried to {}. Run terraform again to finish; the operation is safe to repeat.",
                op.doing()
            ),
        ),
        Error::Config(e) => Diagnostic::error("Invalid provider configuration", format!("{e}.")),
    }
}

fn api_diagnostic(op: Operation, region: &str, api: &ApiError) -> Diagnostic {
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
    let (summary, detail) = advice(&api.code, op, region).unwrap_or_else(|| {
        (
            format!("Alibaba Cloud refused to {}", op.doing()),
            format!("Alibaba Cloud answered {}: {}.", api.code, api.message),
        )
    });
    Diagnostic::error(summary, format!("{detail}{}", ids(api)))
}

/// `5m`, `1m30s`, `800ms`: durations the way users write them in HCL.
pub fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let s = d.as_secs();
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: &str) -> Error {
        Error::Api(Box::new(ApiError {
            http_status: 400,
            code: code.into(),
            message: "msg".into(),
            request_id: "REQ-1".into(),
            host_id: None,
            recommend: Some("https://api.aliyun.com/troubleshoot?q=x".into()),
            signature_check: None,
        }))
    }

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

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_secs(300)), "5m");
        assert_eq!(human(Duration::from_secs(90)), "1m30s");
        assert_eq!(human(Duration::from_millis(800)), "800ms");
    }
}
