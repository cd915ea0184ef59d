//! Which Alibaba error codes are worth retrying (the classification the official Terraform
//! provider uses).

/// Codes worth retrying, as in `shared/notes/alibaba-api.md` ("Errors and retries").
pub fn is_retryable_code(code: &str) -> bool {
    const EXACT_OR_PREFIX: [&str; 9] = [
        "ServiceUnavailable",
        "OperationConflict",
        "IncorrectStatus",
        // An EIP briefly associating, disassociating or releasing; and too many EIP
        // allocations at once (both retried by the official provider's EIP resource).
        "IncorrectEipStatus",
        "FrequentPurchase.EIP",
        "SystemBusy",
        "LastTokenProcessing",
        "TaskConflict",
        "UnknownError",
    ];
    // `OperationFailed.LastTokenProcessing`: the pool API's spelling (shared/spec/pools.md).
    code.contains("Throttling")
        || code.ends_with("LastTokenProcessing")
        || EXACT_OR_PREFIX.iter().any(|p| code.starts_with(p))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::{Error, Transport, TransportKind};
    use super::*;

    #[test]
    fn retry_classification() {
        for code in [
            "Throttling",
            "Throttling.User",
            "Throttling.Api",
            "ServiceUnavailable",
            "OperationConflict",
            "IncorrectStatus.Vpc",
            "IncorrectStatus",
            "SystemBusy",
            "LastTokenProcessing",
            "OperationFailed.LastTokenProcessing",
            "IncorrectEipStatus",
            "FrequentPurchase.EIP",
            "IncorrectStatus.PublicIpAddressPool",
            "TaskConflict",
            "UnknownError",
        ] {
            assert!(is_retryable_code(code), "{code} should be retryable");
        }
        for code in [
            "Forbidden.RAM",
            "InvalidAccessKeyId.NotFound",
            "SignatureDoesNotMatch",
            "OperationFailed.QuotaNotEnough",
            "OperationFailed.ExceedPurchaseLimit",
            "MissingParameter",
            "InvalidParameter",
            "InvalidSecurityToken.Expired",
            "Order.NoRealNameAuthentication",
            "ResourceNotFound.PublicIpAddressPool",
            "ResourceNotEnough.PublicIpAddressPool",
            "DryRunOperation",
        ] {
            assert!(!is_retryable_code(code), "{code} should be final");
        }
        assert!(Error::Transport("reset".into()).is_retryable());
        assert!(!Error::Transport(Transport::new(TransportKind::DnsNotFound, "x")).is_retryable());
        assert!(!Error::Transport(Transport::new(TransportKind::Tls, "x")).is_retryable());
        assert!(!Error::Transport(Transport::new(TransportKind::NotTls, "x")).is_retryable());
        assert!(Error::Transport(Transport::new(TransportKind::Connect, "x")).is_retryable());
        assert!(Error::Timeout(Duration::from_secs(1)).is_retryable());
        assert!(!Error::Cancelled.is_retryable());
        assert!(!Error::Config("x".into()).is_retryable());
        assert!(
            !Error::DeadlineExceeded {
                attempts: 3,
                elapsed: Duration::from_secs(3),
                left: Duration::ZERO,
                last: Some(Box::new(Error::Timeout(Duration::from_secs(1))))
            }
            .is_retryable()
        );
    }
}
