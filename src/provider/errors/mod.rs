//! Alibaba Cloud errors as diagnostics: a specific summary, what to do about it, and the
//! Code, Message and RequestId that Alibaba support asks for.
//!
//! [`diagnostic`] sorts an error by kind and hands it to the part that knows it: `advice` (API
//! refusals, per code; `pools` for the pool family), `time` (deadlines, slow answers, waits that
//! ran out, and how durations read), `transport` (no answer at the HTTP level) and `steps`
//! (the credential step an error happened in).

use std::time::Duration;

use super::credentials::{ChainError, Step};
use crate::alicloud::{ApiError, Error};
use crate::tf::Diagnostic;

mod advice;
mod eips;
mod pools;
mod steps;
mod time;
mod transport;

pub use time::{human, out_of_time};

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
    AllocateEip,
    ReadEips,
    UpdateEip,
    ReleaseEip,
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
            Operation::AllocateEip => "allocate the EIP",
            Operation::ReadEips => "read the EIPs",
            Operation::UpdateEip => "update the EIP",
            Operation::ReleaseEip => "release the EIP",
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
            Operation::AllocateEip => {
                "vpc:AllocateEipAddress and vpc:DescribeEipAddresses (and vpc:DeletionProtection for deletion_protection, vpc:ListPublicIpAddressPools for a pool)"
            }
            Operation::ReadEips => "vpc:DescribeEipAddresses",
            Operation::UpdateEip => {
                "vpc:ModifyEipAddressAttribute, vpc:DeletionProtection, vpc:TagResources, vpc:UnTagResources, vpc:MoveResourceGroup and vpc:DescribeEipAddresses"
            }
            Operation::ReleaseEip => "vpc:ReleaseEipAddress and vpc:DescribeEipAddresses",
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
            d.detail.push_str(&format!("\n\n{}", steps::note(step)));
            d
        }
        _ => d,
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
        match err {
            Error::Api(api) => self.api(api),
            Error::DeadlineExceeded {
                attempts,
                elapsed,
                left,
                last,
            } => time::deadline(
                self.op,
                self.limit,
                *attempts,
                *elapsed,
                *left,
                last.as_deref(),
            ),
            Error::RetriesExhausted {
                attempts,
                elapsed,
                last,
            } => {
                let mut d = self.explain(last);
                d.detail
                    .push_str(&time::retries_exhausted(*attempts, *elapsed));
                d
            }
            Error::Timeout(d) => time::no_answer(self.op, self.endpoint, self.limit, *d),
            Error::Transport(t) => self.transport(t.kind, &t.cause),
            Error::Decode {
                status,
                reason,
                excerpt,
            } => self.decode(*status, reason, excerpt),
            Error::Cancelled => Diagnostic::error(
                "Interrupted",
                format!(
                    "Terraform was interrupted while the provider tried to {}. Run terraform again to finish; the operation is safe to repeat.",
                    self.op.doing()
                ),
            ),
            Error::Config(e) => Diagnostic::error("Invalid provider configuration", sentence(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An API refusal with every field the diagnostic shows; shared by the submodules' tests.
    pub(super) fn api(code: &str) -> Error {
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
}
