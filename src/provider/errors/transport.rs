//! Errors below the API: a host name that does not resolve, plain HTTP where HTTPS was
//! expected, a failed TLS handshake, a refused connection, an answer that is not Alibaba's.

use super::{Ctx, steps};
use crate::alicloud::TransportKind;
use crate::tf::Diagnostic;

impl Ctx<'_> {
    pub(super) fn transport(&self, kind: TransportKind, cause: &str) -> Diagnostic {
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

    /// An answer whose body is not Alibaba Cloud's JSON.
    pub(super) fn decode(&self, status: u16, reason: &str, excerpt: &str) -> Diagnostic {
        let endpoint = self.endpoint;
        if let Some(d) = self
            .step
            .and_then(|s| steps::unknown_ecs_role(s, endpoint, status))
        {
            return d;
        }
        Diagnostic::error(
            "Unexpected answer from the Alibaba Cloud endpoint",
            format!(
                "{endpoint} answered HTTP {status} with a body that is not Alibaba Cloud's JSON ({reason}); it starts with {excerpt:?}. A proxy or a wrong {} may be in the way.",
                self.service.setting()
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::{Operation, diagnostic};
    use super::*;
    use crate::alicloud::Error;

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
}
