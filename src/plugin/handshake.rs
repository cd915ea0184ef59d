//! go-plugin's start-up contract: the magic cookie check and the handshake line on stdout.

use base64::Engine;

/// The cookie Terraform sets so that a provider binary knows Terraform launched it.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// What a person sees when running the binary by hand.
pub const NOT_LAUNCHED_BY_TERRAFORM: &str = "This binary is a plugin. These are not meant to be executed directly.\n\
Please execute the program that consumes these plugins, which will load any plugins automatically.\n\
terraform-provider-alicloudvpc is a Terraform provider: declare it in a configuration's required_providers \
block and run terraform; see the README for the two-command quickstart. \
For debugging, run it with --debug and follow the instructions it prints.";

/// The cookie check: true only when the variable holds exactly Terraform's value.
pub fn launched_by_terraform(cookie: Option<&str>) -> bool {
    cookie == Some(MAGIC_COOKIE_VALUE)
}

/// Protocol 5 must be among the versions Terraform offers (`PLUGIN_PROTOCOL_VERSIONS=5,6`).
/// An absent variable means an old Terraform that speaks only 5.
pub fn protocol_5_offered(versions: Option<&str>) -> bool {
    versions.is_none_or(|v| v.split(',').any(|p| p.trim() == "5"))
}

/// Where the gRPC server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listen {
    Unix(std::path::PathBuf),
    Tcp(std::net::SocketAddr),
}

/// `1|5|unix|/path|grpc|CERT`: core protocol 1, app protocol 5, network, address, grpc, and the
/// server certificate's DER in standard base64 *without padding* (padding breaks Terraform).
pub fn line(listen: &Listen, server_cert_der: Option<&[u8]>) -> String {
    let (network, addr) = match listen {
        Listen::Unix(p) => ("unix", p.display().to_string()),
        Listen::Tcp(a) => ("tcp", a.to_string()),
    };
    let cert = server_cert_der
        .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!("1|5|{network}|{addr}|grpc|{cert}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_must_match_exactly() {
        assert!(launched_by_terraform(Some(MAGIC_COOKIE_VALUE)));
        assert!(!launched_by_terraform(None));
        assert!(!launched_by_terraform(Some("")));
        assert!(!launched_by_terraform(Some(&MAGIC_COOKIE_VALUE[1..])));
    }

    #[test]
    fn protocol_versions() {
        assert!(protocol_5_offered(Some("5,6")));
        assert!(protocol_5_offered(None));
        assert!(!protocol_5_offered(Some("6")));
    }

    #[test]
    fn handshake_line_is_unpadded_and_has_six_fields() {
        // 4 bytes encode to 6 characters plus "==" padding in standard base64.
        let l = line(&Listen::Unix("/tmp/x/sock".into()), Some(&[1, 2, 3, 4]));
        assert_eq!(l, "1|5|unix|/tmp/x/sock|grpc|AQIDBA\n");
        assert_eq!(l.trim_end().split('|').count(), 6);
        let tcp = line(&Listen::Tcp("127.0.0.1:10001".parse().expect("addr")), None);
        assert_eq!(tcp, "1|5|tcp|127.0.0.1:10001|grpc|\n");
    }
}
