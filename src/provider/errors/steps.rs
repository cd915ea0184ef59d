//! Errors of a credential step (fetching an ECS role's credentials, assuming a RAM role): the
//! step and where it was configured, since that is where the fix goes.

use super::{ids, sentence};
use crate::alicloud::ApiError;
use crate::provider::credentials::{Origin, Step};
use crate::tf::Diagnostic;

/// Which credential step ran, where it was configured.
pub(super) fn note(step: &Step) -> String {
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

/// A refusal whose meaning depends on the credential step that got it, or `None` for the
/// generic advice.
pub(super) fn refusal(step: &Step, endpoint: &str, api: &ApiError) -> Option<Diagnostic> {
    match step {
        Step::AssumeRole { role_arn, origin } => {
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
            (!what.is_empty()).then(|| {
                Diagnostic::error(
                    format!("Cannot assume the RAM role requested by {origin}"),
                    format!("{what}{}", ids(api)),
                )
            })
        }
        // The metadata service answers without a RequestId; Alibaba's APIs always send one.
        Step::EcsRole { role, origin } if api.request_id.is_empty() => Some(Diagnostic::error(
            "No credentials from the ECS instance metadata service",
            format!(
                "The metadata service at {endpoint} answered for the RAM role {role:?} without credentials (Code {}). Check the role name (set by {origin}) and endpoints.ecs_metadata.",
                api.code
            ),
        )),
        Step::EcsRole { .. } => None,
    }
}

/// The metadata service's 404 for a role name it does not know.
pub(super) fn unknown_ecs_role(step: &Step, endpoint: &str, status: u16) -> Option<Diagnostic> {
    let Step::EcsRole { role, origin } = step else {
        return None;
    };
    if status != 404 {
        return None;
    }
    Some(Diagnostic::error(
        "Unknown ECS RAM role",
        format!(
            "The ECS instance metadata service at {endpoint} does not know the RAM role {role:?} (HTTP 404). Set {} to the role attached to this instance (GET {}/latest/meta-data/ram/security-credentials/ lists it), or correct endpoints.ecs_metadata if it points elsewhere.",
            match origin {
                Origin::Provider(_) => "ecs_role_name".to_string(),
                Origin::Env(var) => format!("ecs_role_name (or {var}, which set it here)"),
                Origin::Profile { name, path } =>
                    format!("ram_role_name of profile {name:?} in {path}"),
            },
            endpoint.trim_end_matches('/'),
        ),
    ))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::tests::api;
    use super::super::{Operation, diagnostic};
    use super::*;
    use crate::alicloud::{Error, TransportKind};
    use crate::provider::credentials::ChainError;

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
}
