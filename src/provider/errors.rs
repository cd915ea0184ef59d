//! Alibaba Cloud errors as diagnostics: a specific summary, what to do about it, and the
//! Code, Message and RequestId that Alibaba support asks for.

use std::time::Duration;

use super::credentials::{ChainError, Origin, Step};
use crate::alicloud::{ApiError, Error, TransportKind};
use crate::tf::Diagnostic;

/// What was being done when the error happened, for the summary and the advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Activate,
    ReadStatus,
    Credentials,
    CreatePool,
    ReadPools,
    UpdatePool,
    DeletePool,
    AddCidrBlock,
    ReadCidrBlocks,
    DeleteCidrBlock,
}

impl Operation {
    pub(super) fn doing(self) -> &'static str {
        match self {
            Operation::Activate => "activate the IP address pool feature",
            Operation::ReadStatus => "read the IP address pool feature's status",
            Operation::Credentials => "obtain credentials",
            Operation::CreatePool => "create the IP address pool",
            Operation::ReadPools => "list the IP address pools",
            Operation::UpdatePool => "update the IP address pool",
            Operation::DeletePool => "delete the IP address pool",
            Operation::AddCidrBlock => "add the CIDR block to the IP address pool",
            Operation::ReadCidrBlocks => "list the CIDR blocks of the IP address pool",
            Operation::DeleteCidrBlock => "delete the CIDR block from the IP address pool",
        }
    }

    /// The RAM actions the operation needs, for a `Forbidden.RAM` answer.
    fn ram_actions(self) -> &'static str {
        match self {
            Operation::Activate | Operation::ReadStatus | Operation::Credentials => {
                "vpc:OpenPublicIpAddressPoolService and vpc:GetPublicIpAddressPoolServiceStatus"
            }
            Operation::CreatePool => {
                "vpc:CreatePublicIpAddressPool and vpc:ListPublicIpAddressPools (and vpc:TagResources for tags)"
            }
            Operation::ReadPools => "vpc:ListPublicIpAddressPools",
            Operation::UpdatePool => {
                "vpc:UpdatePublicIpAddressPoolAttribute, vpc:TagResources, vpc:UnTagResources and vpc:MoveResourceGroup"
            }
            Operation::DeletePool => {
                "vpc:DeletePublicIpAddressPool and vpc:ListPublicIpAddressPools"
            }
            Operation::AddCidrBlock => {
                "vpc:AddPublicIpAddressPoolCidrBlock and vpc:ListPublicIpAddressPoolCidrBlocks"
            }
            Operation::ReadCidrBlocks => "vpc:ListPublicIpAddressPoolCidrBlocks",
            Operation::DeleteCidrBlock => {
                "vpc:DeletePublicIpAddressPoolCidrBlock and vpc:ListPublicIpAddressPoolCidrBlocks"
            }
        }
    }
}

/// The time an operation may take, and the setting that sets it: `timeouts.create` for a
/// resource's create, `timeouts.read` for its read, none where the user cannot change it (a
/// data source, an import). Messages name only the setting that applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub duration: Duration,
    pub setting: Option<&'static str>,
}

impl Limit {
    pub fn create(duration: Duration) -> Self {
        Limit {
            duration,
            setting: Some("timeouts.create"),
        }
    }

    pub fn read(duration: Duration) -> Self {
        Limit {
            duration,
            setting: Some("timeouts.read"),
        }
    }

    /// A limit no setting changes.
    pub fn fixed(duration: Duration) -> Self {
        Limit {
            duration,
            setting: None,
        }
    }

    /// `timeouts { create = "15m" }` for the setting, to show how to raise it.
    fn example(self) -> Option<String> {
        let name = self.setting?.strip_prefix("timeouts.")?;
        let more = (self.duration * 3).max(Duration::from_secs(60));
        Some(format!("timeouts {{ {name} = \"{}\" }}", human(more)))
    }
}

/// A bare duration names no setting: a caller that knows which `timeouts` attribute applies
/// passes [`Limit::create`] or [`Limit::read`].
impl From<Duration> for Limit {
    fn from(d: Duration) -> Self {
        Limit::fixed(d)
    }
}

/// An error to explain, possibly with the credential step it happened in.
pub trait Failure {
    fn error(&self) -> &Error;
    fn step(&self) -> Option<(&Step, &str)> {
        None
    }
}

impl Failure for Error {
    fn error(&self) -> &Error {
        self
    }
}

impl Failure for ChainError {
    fn error(&self) -> &Error {
        &self.error
    }
    fn step(&self) -> Option<(&Step, &str)> {
        Some((&self.step, &self.endpoint))
    }
}

/// `text` as a sentence: one final period, not two ("flow control.." came from adding one to
/// a message that had its own).
pub fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

fn plural(n: u32, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The service an error came from, for its endpoint setting.
#[derive(Clone, Copy)]
enum Service {
    Vpc,
    Sts,
    EcsMetadata,
}

impl Service {
    fn setting(self) -> &'static str {
        match self {
            Service::Vpc => "endpoints.vpc (or ALIBABA_CLOUD_ENDPOINT_VPC)",
            Service::Sts => "endpoints.sts (or ALIBABA_CLOUD_ENDPOINT_STS)",
            Service::EcsMetadata => "endpoints.ecs_metadata",
        }
    }
}

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
        _ => super::pool_errors::advice(code, op, region),
    }
}

fn ids(api: &ApiError) -> String {
    let mut s = format!(
        "\n\nAlibaba Cloud error: Code {}, HTTP {}, Message {:?}",
        api.code, api.http_status, api.message
    );
    if !api.request_id.is_empty() {
        s.push_str(&format!(", RequestId {}", api.request_id));
    }
    if let Some(r) = &api.recommend {
        s.push_str(&format!("\nDiagnosis: {r}"));
    }
    s
}

/// The diagnostic for an error of `op` in `region`. `limit` is the operation's time budget: a
/// [`Limit`] names the `timeouts` attribute that sets it; a bare `Duration` names none, except
/// for [`Operation::Activate`], which only a create runs. `err` is an [`Error`], or a
/// [`ChainError`] that also says which credential step failed.
pub fn diagnostic(
    op: Operation,
    region: &str,
    endpoint_hint: &str,
    limit: impl Into<Limit>,
    err: &impl Failure,
) -> Diagnostic {
    let mut limit = limit.into();
    if limit.setting.is_none() && op == Operation::Activate {
        limit.setting = Some("timeouts.create");
    }
    let (service, endpoint, step) = match err.step() {
        Some((step @ Step::EcsRole { .. }, endpoint)) => {
            (Service::EcsMetadata, endpoint.to_string(), Some(step))
        }
        Some((step @ Step::AssumeRole { .. }, endpoint)) => {
            (Service::Sts, endpoint.to_string(), Some(step))
        }
        None => (Service::Vpc, endpoint_hint.to_string(), None),
    };
    let e = err.error();
    let ctx = Ctx {
        op,
        region,
        endpoint: &endpoint,
        service,
        limit,
        step,
    };
    let d = ctx.explain(e);
    match step {
        Some(step) if !matches!(e, Error::Cancelled) => {
            let mut d = d;
            d.detail.push_str(&format!("\n\n{}", step_note(step)));
            d
        }
        _ => d,
    }
}

/// An operation that ran out of time in a wait of its own (for its turn, or between status
/// polls) rather than inside an API call. `used` is how long it had run; it may stop before
/// the limit when the next wait would pass it.
pub fn out_of_time(
    op: Operation,
    region: &str,
    limit: impl Into<Limit>,
    used: Duration,
    what: &str,
) -> Diagnostic {
    let mut limit = limit.into();
    if limit.setting.is_none() && op == Operation::Activate {
        limit.setting = Some("timeouts.create");
    }
    let by = limit
        .setting
        .map(|s| format!(" by {s}"))
        .unwrap_or_default();
    let early = if used < limit.duration {
        ": the next wait would have passed the limit"
    } else {
        ""
    };
    let after = match (op, limit.example()) {
        (Operation::Activate, Some(example)) => format!(
            " Activation may still complete on Alibaba Cloud's side: raise the limit, e.g. {example}, and run terraform apply again, which adopts an activation that has finished."
        ),
        (_, Some(example)) => format!(" Raise the limit, e.g. {example}, and try again."),
        (_, None) => " Try again later.".to_string(),
    };
    Diagnostic::error(
        format!("Timed out trying to {}", op.doing()),
        format!(
            "Gave up after {} of the {} allowed{by} while {what} in {region}{early}.{after}",
            human(used),
            human(limit.duration)
        ),
    )
}

/// Which credential step ran, where it was configured.
fn step_note(step: &Step) -> String {
    match step {
        Step::EcsRole { role, origin } => {
            format!(
                "This happened fetching the credentials of the ECS RAM role {role:?} (set by {origin})."
            )
        }
        Step::AssumeRole { role_arn, origin } => {
            format!("This happened assuming the RAM role {role_arn} (set by {origin}).")
        }
    }
}

struct Ctx<'a> {
    op: Operation,
    region: &'a str,
    endpoint: &'a str,
    service: Service,
    limit: Limit,
    step: Option<&'a Step>,
}

impl Ctx<'_> {
    fn explain(&self, err: &Error) -> Diagnostic {
        let (op, endpoint, limit) = (self.op, self.endpoint, self.limit);
        match err {
            Error::Api(api) => self.api(api),
            Error::DeadlineExceeded {
                attempts,
                elapsed,
                left,
                last,
            } => {
                // The deadline is the operation's start plus its limit, so what it had used is
                // the limit minus what was left (at least this call's own time).
                let used = limit.duration.saturating_sub(*left).max(*elapsed);
                let by = limit
                    .setting
                    .map(|s| format!(" by {s}"))
                    .unwrap_or_default();
                let why = if left.is_zero() {
                    String::new()
                } else {
                    format!(
                        ", {} before the limit, too little for the next retry",
                        human(*left)
                    )
                };
                let raise = match limit.example() {
                    Some(example) => format!(
                        " If Alibaba Cloud is slow or busy, raise the limit, e.g. {example}."
                    ),
                    None => " Try again later.".to_string(),
                };
                let last_text = match last.as_deref() {
                    Some(e) => match e.api() {
                        Some(api) => format!(
                            " The last answer was {}: {}{}",
                            api.code,
                            sentence(&api.message),
                            ids(api)
                        ),
                        None => format!(" The last error was: {}", sentence(&last_error(e))),
                    },
                    None => String::new(),
                };
                Diagnostic::error(
                    format!("Timed out trying to {}", op.doing()),
                    format!(
                        "Gave up after {} of the {} allowed{by}, after {}{why}.{raise}{last_text}",
                        human(used),
                        human(limit.duration),
                        plural(*attempts, "attempt"),
                    ),
                )
            }
            Error::Timeout(d) => Diagnostic::error(
                format!(
                    "Alibaba Cloud did not answer in time while trying to {}",
                    op.doing()
                ),
                format!(
                    "A request to {endpoint} got no answer within {}. Check the network path, or raise client_read_timeout (milliseconds){}.",
                    human(*d),
                    limit
                        .setting
                        .map(|s| format!(" and {s}"))
                        .unwrap_or_default()
                ),
            ),
            Error::Transport(t) => self.transport(t.kind, &t.cause),
            Error::Decode {
                status,
                reason,
                excerpt,
            } => {
                if let (Some(Step::EcsRole { role, origin }), 404) = (self.step, *status) {
                    return Diagnostic::error(
                        "Unknown ECS RAM role",
                        format!(
                            "The ECS instance metadata service at {endpoint} does not know the RAM role {role:?} (HTTP 404). Set {} to the role attached to this instance (GET {}/latest/meta-data/ram/security-credentials/ lists it), or correct endpoints.ecs_metadata if it points elsewhere.",
                            match origin {
                                Origin::Provider(_) => "ecs_role_name".to_string(),
                                Origin::Env(var) =>
                                    format!("ecs_role_name (or {var}, which set it here)"),
                                Origin::Profile { name, path } =>
                                    format!("ram_role_name of profile {name:?} in {path}"),
                            },
                            endpoint.trim_end_matches('/'),
                        ),
                    );
                }
                Diagnostic::error(
                    "Unexpected answer from the Alibaba Cloud endpoint",
                    format!(
                        "{endpoint} answered HTTP {status} with a body that is not Alibaba Cloud's JSON ({reason}); it starts with {excerpt:?}. A proxy or a wrong {} may be in the way.",
                        self.service.setting()
                    ),
                )
            }
            Error::Cancelled => Diagnostic::error(
                "Interrupted",
                format!(
                    "Terraform was interrupted while the provider tried to {}. Run terraform again to finish; the operation is safe to repeat.",
                    op.doing()
                ),
            ),
            Error::Config(e) => Diagnostic::error("Invalid provider configuration", sentence(e)),
        }
    }

    fn transport(&self, kind: TransportKind, cause: &str) -> Diagnostic {
        let endpoint = self.endpoint;
        let setting = self.service.setting();
        let doing = self.op.doing();
        let (summary, detail) = match kind {
            TransportKind::DnsNotFound => (
                format!("Cannot resolve the endpoint's host name to {doing}"),
                format!(
                    "The host name of {endpoint} does not resolve ({cause}). Check its spelling in {setting} if set, and this machine's DNS configuration. The provider did not retry: a name that does not exist fails the same way every time."
                ),
            ),
            TransportKind::NotTls => (
                format!(
                    "The endpoint speaks plain HTTP, not HTTPS, so the provider cannot {doing}"
                ),
                format!(
                    "{endpoint} answered the HTTPS request in plain HTTP ({cause}). {} The provider did not retry.",
                    if endpoint.starts_with("https://") {
                        format!("Write the endpoint with http:// in {setting}.")
                    } else {
                        format!(
                            "Write the endpoint as http://{} in {setting}, or set protocol = \"HTTP\".",
                            endpoint.trim_end_matches('/')
                        )
                    }
                ),
            ),
            TransportKind::Tls => (
                format!("TLS handshake failed while trying to {doing}"),
                format!(
                    "The TLS handshake with {endpoint} failed: {cause}. If the endpoint uses a certificate of a private CA, add that CA to this machine's trust store; check {setting} if set. The provider did not retry: the same handshake fails every time."
                ),
            ),
            TransportKind::Connect => (
                format!("Cannot connect to the endpoint to {doing}"),
                format!(
                    "Nothing accepted the connection to {endpoint} ({cause}). Check {setting} if set, and that the endpoint is reachable from this machine (firewall, proxy settings such as HTTPS_PROXY)."
                ),
            ),
            TransportKind::ConnectTimeout => (
                format!("Cannot connect to the endpoint to {doing}"),
                format!(
                    "No connection to {endpoint} could be made within client_connect_timeout ({cause}). Check the network path and proxies (HTTPS_PROXY), or raise client_connect_timeout (milliseconds)."
                ),
            ),
            _ => (
                format!("Cannot reach Alibaba Cloud to {doing}"),
                format!(
                    "The request to {endpoint} failed: {}. Check network access and proxies (HTTPS_PROXY), and {setting} if set.",
                    cause.trim_end_matches('.')
                ),
            ),
        };
        Diagnostic::error(summary, detail)
    }

    fn api(&self, api: &ApiError) -> Diagnostic {
        if let Some(Step::AssumeRole { role_arn, origin }) = self.step {
            let what = match api.code.as_str() {
                "EntityNotExist.Role" => format!(
                    "STS says the role {role_arn} does not exist. Check the role ARN in {origin}."
                ),
                c if c == "NoPermission"
                    || c.starts_with("AccessDenied")
                    || c.starts_with("Forbidden") =>
                {
                    format!(
                        "STS refused to let the calling identity assume {role_arn}. Check the role ARN in {origin}, and that the role's trust policy allows the identity the provider signs with."
                    )
                }
                c if c.starts_with("InvalidParameter") || c.starts_with("MissingParameter") => {
                    format!(
                        "STS refused a parameter of the request: {} Correct it in {origin}.",
                        sentence(&api.message)
                    )
                }
                _ => String::new(),
            };
            if !what.is_empty() {
                return Diagnostic::error(
                    format!("Cannot assume the RAM role requested by {origin}"),
                    format!("{what}{}", ids(api)),
                );
            }
        }
        if let Some(Step::EcsRole { role, origin }) = self.step
            && api.request_id.is_empty()
        {
            return Diagnostic::error(
                "No credentials from the ECS instance metadata service",
                format!(
                    "The metadata service at {} answered for the RAM role {role:?} without credentials (Code {}). Check the role name (set by {origin}) and endpoints.ecs_metadata.",
                    self.endpoint, api.code
                ),
            );
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

/// The last error behind a deadline, in words: the transport cause, not its debug form.
fn last_error(e: &Error) -> String {
    match e {
        Error::Transport(t) => t.cause.clone(),
        Error::Timeout(d) => format!("no answer within {}", human(*d)),
        other => other.to_string(),
    }
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

    fn throttled_until_the_deadline() -> Error {
        let mut last = api("Throttling.User");
        if let Error::Api(a) = &mut last {
            a.message = "Request was denied due to user flow control.".into();
        }
        Error::DeadlineExceeded {
            attempts: 4,
            elapsed: Duration::from_millis(6_200),
            left: Duration::from_millis(3_800),
            last: Some(Box::new(last)),
        }
    }

    #[test]
    fn a_deadline_reports_the_time_used_the_attempts_and_the_setting_that_applies() {
        let e = throttled_until_the_deadline();
        let d = diagnostic(
            Operation::ReadStatus,
            "cn-hangzhou",
            "vpc",
            Limit::create(Duration::from_secs(10)),
            &e,
        );
        assert!(
            d.detail.starts_with("Gave up after 6s of the 10s allowed by timeouts.create, after 4 attempts, 3s before the limit, too little for the next retry."),
            "{}",
            d.detail
        );
        assert!(
            d.detail.contains("timeouts { create = \"1m\" }"),
            "{}",
            d.detail
        );
        assert!(!d.detail.contains("timeouts.read"), "{}", d.detail);
        assert!(d.detail.contains("user flow control.\n"), "{}", d.detail);
        assert!(!d.detail.contains(".."), "no doubled period: {}", d.detail);

        // A bare duration names no setting it cannot know applies (a data source has none)...
        let d = diagnostic(
            Operation::ReadStatus,
            "cn-hangzhou",
            "vpc",
            Duration::from_secs(10),
            &e,
        );
        assert!(!d.detail.contains("timeouts"), "{}", d.detail);
        assert!(
            d.detail
                .starts_with("Gave up after 6s of the 10s allowed, after 4 attempts"),
            "{}",
            d.detail
        );
        // ...but activation only ever runs in a create.
        let d = diagnostic(
            Operation::Activate,
            "cn-hangzhou",
            "vpc",
            Duration::from_secs(10),
            &e,
        );
        assert!(
            d.detail.contains("allowed by timeouts.create"),
            "{}",
            d.detail
        );
        let d = diagnostic(
            Operation::ReadStatus,
            "r",
            "vpc",
            Limit::read(Duration::from_secs(60)),
            &e,
        );
        assert!(
            d.detail.contains("timeouts { read = \"3m\" }"),
            "{}",
            d.detail
        );
    }

    #[test]
    fn out_of_time_in_a_wait_says_how_long_and_why_early() {
        let d = out_of_time(
            Operation::Activate,
            "cn-hangzhou",
            Limit::create(Duration::from_secs(10)),
            Duration::from_secs(7),
            "waiting for the status to report enabled",
        );
        assert_eq!(
            d.summary,
            "Timed out trying to activate the IP address pool feature"
        );
        assert!(
            d.detail.starts_with("Gave up after 7s of the 10s allowed by timeouts.create while waiting for the status to report enabled in cn-hangzhou: the next wait would have passed the limit. Activation may still complete"),
            "{}",
            d.detail
        );
        let d = out_of_time(
            Operation::ReadStatus,
            "r",
            Duration::from_secs(60),
            Duration::from_secs(60),
            "waiting",
        );
        assert!(
            !d.detail.contains("timeouts") && !d.detail.contains("next wait"),
            "{}",
            d.detail
        );
    }

    #[test]
    fn messages_end_in_one_period() {
        assert_eq!(sentence("flow control."), "flow control.");
        assert_eq!(sentence("flow control"), "flow control.");
        let mut e = api("SomethingNew");
        if let Error::Api(a) = &mut e {
            a.message = "Request was denied due to user flow control.".into();
        }
        let d = diagnostic(Operation::Activate, "r", "vpc", Duration::from_secs(1), &e);
        assert!(!d.detail.contains(".."), "{}", d.detail);
        let d = diagnostic(
            Operation::Activate,
            "r",
            "vpc",
            Duration::from_secs(1),
            &Error::Config("bad.".into()),
        );
        assert_eq!(d.detail, "bad.");
    }

    #[test]
    fn transport_causes_say_what_happened_and_name_the_right_endpoint() {
        use crate::alicloud::Transport;
        let t = |kind, cause: &str| Error::Transport(Transport::new(kind, cause));
        let d = diagnostic(
            Operation::ReadStatus,
            "r",
            "https://10.0.0.1:8443",
            Duration::from_secs(1),
            &t(
                TransportKind::NotTls,
                "received corrupt message of type InvalidContentType",
            ),
        );
        assert!(
            d.detail
                .contains("Write the endpoint with http:// in endpoints.vpc"),
            "{}",
            d.detail
        );
        let d = diagnostic(
            Operation::ReadStatus,
            "r",
            "vpc.example.com",
            Duration::from_secs(1),
            &t(TransportKind::NotTls, "x"),
        );
        assert!(
            d.detail.contains("http://vpc.example.com") && d.detail.contains("protocol = \"HTTP\""),
            "{}",
            d.detail
        );
        let d = diagnostic(
            Operation::ReadStatus,
            "r",
            "vpc.exmaple.com",
            Duration::from_secs(1),
            &t(
                TransportKind::DnsNotFound,
                "dns error: failed to lookup address information: Name or service not known",
            ),
        );
        assert!(
            d.detail.contains("does not resolve (dns error") && d.detail.contains("did not retry"),
            "{}",
            d.detail
        );
        let d = diagnostic(
            Operation::ReadStatus,
            "r",
            "https://x",
            Duration::from_secs(1),
            &t(
                TransportKind::Tls,
                "invalid peer certificate: UnknownIssuer",
            ),
        );
        assert!(
            d.detail.contains("UnknownIssuer") && d.detail.contains("trust store"),
            "{}",
            d.detail
        );
        let d = diagnostic(
            Operation::ReadStatus,
            "r",
            "http://x",
            Duration::from_secs(1),
            &t(
                TransportKind::Connect,
                "tcp connect error: Connection refused (os error 111)",
            ),
        );
        assert!(d.detail.contains("Connection refused"), "{}", d.detail);
    }

    fn chain_error(step: Step, endpoint: &str, error: Error) -> ChainError {
        ChainError {
            step,
            endpoint: endpoint.into(),
            error,
        }
    }

    #[test]
    fn an_unknown_ecs_role_names_ecs_role_name_and_the_metadata_endpoint() {
        let e = chain_error(
            Step::EcsRole {
                role: "nope".into(),
                origin: Origin::Provider("ecs_role_name"),
            },
            "http://100.100.100.200",
            Error::Decode {
                status: 404,
                reason: "error body is not JSON".into(),
                excerpt: "Not Found".into(),
            },
        );
        let d = diagnostic(
            Operation::Credentials,
            "r",
            "the STS or ECS metadata endpoint",
            Duration::from_secs(60),
            &e,
        );
        assert_eq!(d.summary, "Unknown ECS RAM role");
        assert!(
            d.detail.contains("Set ecs_role_name to the role attached to this instance (GET http://100.100.100.200/latest/meta-data/ram/security-credentials/ lists it)"),
            "{}",
            d.detail
        );
        assert!(
            d.detail.contains("ecs_role_name") && d.detail.contains("endpoints.ecs_metadata"),
            "{}",
            d.detail
        );
        assert!(
            d.detail.contains("\"nope\"") && d.detail.contains("http://100.100.100.200"),
            "{}",
            d.detail
        );
        assert!(!d.detail.contains("endpoints.vpc"), "{}", d.detail);
        let e = chain_error(
            Step::EcsRole {
                role: "r".into(),
                origin: Origin::Provider("ecs_role_name"),
            },
            "http://127.0.0.1:1",
            Error::Transport(crate::alicloud::Transport::new(
                TransportKind::Connect,
                "refused",
            )),
        );
        let d = diagnostic(
            Operation::Credentials,
            "r",
            "x",
            Duration::from_secs(60),
            &e,
        );
        assert!(
            d.detail.contains("endpoints.ecs_metadata") && !d.detail.contains("endpoints.vpc"),
            "{}",
            d.detail
        );
    }

    #[test]
    fn a_refused_assume_role_names_where_it_was_requested() {
        let step = Step::AssumeRole {
            role_arn: "acs:ram::1:role/x".into(),
            origin: Origin::Provider("assume_role"),
        };
        for code in ["EntityNotExist.Role", "NoPermission", "AccessDenied"] {
            let e = chain_error(step.clone(), "sts.aliyuncs.com", api(code));
            let d = diagnostic(
                Operation::Credentials,
                "r",
                "x",
                Duration::from_secs(60),
                &e,
            );
            assert_eq!(
                d.summary,
                "Cannot assume the RAM role requested by the provider's assume_role block",
                "{code}"
            );
            assert!(
                d.detail.contains("acs:ram::1:role/x") && d.detail.contains("REQ-1"),
                "{}",
                d.detail
            );
        }
        let e = chain_error(
            Step::AssumeRole {
                role_arn: "acs:ram::1:role/x".into(),
                origin: Origin::Profile {
                    name: "p".into(),
                    path: "/f".into(),
                },
            },
            "sts.aliyuncs.com",
            api("EntityNotExist.Role"),
        );
        let d = diagnostic(
            Operation::Credentials,
            "r",
            "x",
            Duration::from_secs(60),
            &e,
        );
        assert!(
            d.summary.contains("profile \"p\" of /f") && !d.detail.contains("assume_role block"),
            "{d:?}"
        );
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_secs(300)), "5m");
        assert_eq!(human(Duration::from_secs(90)), "1m30s");
        assert_eq!(human(Duration::from_millis(800)), "800ms");
    }
}
