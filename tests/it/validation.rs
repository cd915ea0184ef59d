//! Provider-block checks at `terraform validate`: each problem is an error on its own line of
//! the configuration, found before any credentials are read or any call is made.

use super::common::Tf;
use super::terraform_cli::HEADER;

/// Terraform validates a provider block only when something uses the provider.
const RESOURCE: &str = "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {}\n";

/// Runs `terraform validate` on a provider block with `body` and returns its output.
fn validate_fails(body: &str) -> String {
    let tf = Tf::new(&format!(
        "{HEADER}\nprovider \"alicloudvpc\" {{\n  region = \"cn-hangzhou\"\n{body}\n}}\n\n{RESOURCE}"
    ));
    tf.init();
    tf.fails(&["validate", "-no-color"])
}

#[test]
fn a_fraction_is_an_error_on_its_attribute_not_an_unreadable_configuration() {
    let out = validate_fails("  max_retries = 1.5\n  client_read_timeout = 2.5");
    assert!(!out.contains("Unreadable"), "{out}");
    assert!(out.contains("Invalid max_retries"), "{out}");
    assert!(
        out.contains("max_retries = 1.5"),
        "points at the line: {out}"
    );
    assert!(
        out.contains("max_retries is 1.5; use a whole number from 0 to 100"),
        "{out}"
    );
    assert!(
        out.contains("client_read_timeout = 2.5"),
        "points at the line: {out}"
    );
}

#[test]
fn endpoint_urls_are_checked_completely() {
    let out = validate_fails(
        "  endpoints {\n    vpc          = \"http://127.0.0.1:70000\"\n    sts          = \"http://::1:8765\"\n    ecs_metadata = \"http://\"\n  }",
    );
    for (line, says) in [
        (
            r#"vpc = "http://127.0.0.1:70000""#,
            "has port 70000; a port is 1 to 65535",
        ),
        (
            r#"sts = "http://::1:8765""#,
            "IPv6 address without brackets",
        ),
        (r#"ecs_metadata = "http://""#, "has no host"),
    ] {
        assert!(out.contains(line), "points at {line}: {out}");
        assert!(out.contains(says), "{says}: {out}");
    }
}

#[test]
fn assume_role_fields_are_checked() {
    let out = validate_fails(
        "  assume_role {\n    role_arn     = \"acs:ram::12345:user/x\"\n    session_name = \"a b\"\n    policy       = \"{not json\"\n    external_id  = \"has spaces\"\n  }",
    );
    for (line, says) in [
        (
            r#"role_arn = "acs:ram::12345:user/x""#,
            "acs:ram::<account ID>:role/<role name>",
        ),
        (r#"session_name = "a b""#, "2 to 64 characters"),
        (r#"policy = "{not json""#, "is not valid JSON"),
        (
            r#"external_id = "has spaces""#,
            "Invalid assume_role.external_id",
        ),
    ] {
        assert!(out.contains(line), "points at {line}: {out}");
        assert!(out.contains(says), "{says}: {out}");
    }
}

#[test]
fn a_negative_timeout_says_so() {
    let tf = Tf::new(&format!(
        "{HEADER}\nprovider \"alicloudvpc\" {{\n  region = \"cn-hangzhou\"\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{\n  timeouts {{\n    create = \"-5s\"\n  }}\n}}\n"
    ));
    tf.init();
    let out = tf.fails(&["validate", "-no-color"]);
    assert!(out.contains(r#""-5s" must not be negative"#), "{out}");
    assert!(
        out.contains(r#"create = "-5s""#),
        "points at the line: {out}"
    );
    assert!(!out.contains("expected e.g."), "no advice twice: {out}");
    // One sentence: what is wrong, then how to write a duration.
    assert!(
        out.contains(r#""-5s" must not be negative: write a Go duration such as "30s""#),
        "{out}"
    );
}
