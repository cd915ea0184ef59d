//! The real terraform CLI: init, validate, schema, and a clean exit of every provider process.

use super::common::Tf;

pub const HEADER: &str = r#"terraform {
  required_providers {
    alicloudvpc = {
      source = "local/alicloudvpc"
    }
  }
}
"#;

fn config_with_resource_and_data_source() -> String {
    format!(
        r#"{HEADER}
provider "alicloudvpc" {{
  region = "cn-hangzhou"
}}

resource "alicloudvpc_public_ip_address_pool_service" "this" {{
  timeouts {{
    create = "10m"
  }}
}}

data "alicloudvpc_public_ip_address_pool_service" "this" {{
  region_id = "cn-beijing"
}}
"#
    )
}

#[test]
fn init_validate_and_schema_match_the_contract() {
    let tf = Tf::new(&config_with_resource_and_data_source());
    tf.init();
    let out = tf.ok(&["validate", "-no-color"]);
    assert!(out.contains("The configuration is valid"), "{out}");

    let schema: serde_json::Value =
        serde_json::from_str(&tf.ok(&["providers", "schema", "-json"])).expect("schema json");
    let p = &schema["provider_schemas"]["registry.terraform.io/local/alicloudvpc"];
    let provider = &p["provider"]["block"];
    for attr in [
        "region",
        "access_key",
        "secret_key",
        "security_token",
        "profile",
        "shared_credentials_file",
        "ecs_role_name",
        "protocol",
        "sign_version",
        "max_retries",
        "client_connect_timeout",
        "client_read_timeout",
        "skip_region_validation",
    ] {
        let a = &provider["attributes"][attr];
        assert_eq!(a["optional"], true, "provider.{attr} optional");
        assert!(
            a["description"].as_str().is_some_and(|d| !d.is_empty()),
            "provider.{attr} described"
        );
    }
    assert_eq!(provider["attributes"]["secret_key"]["sensitive"], true);
    assert_eq!(provider["attributes"]["security_token"]["sensitive"], true);
    assert_eq!(provider["attributes"]["max_retries"]["type"], "number");
    assert_eq!(
        provider["attributes"]["skip_region_validation"]["type"],
        "bool"
    );
    let assume = &provider["block_types"]["assume_role"];
    assert_eq!(assume["nesting_mode"], "single");
    assert_eq!(assume["block"]["attributes"]["role_arn"]["required"], true);
    for a in [
        "session_name",
        "session_expiration",
        "policy",
        "external_id",
    ] {
        assert_eq!(
            assume["block"]["attributes"][a]["optional"], true,
            "assume_role.{a}"
        );
    }
    for a in ["vpc", "sts", "ecs_metadata"] {
        assert_eq!(
            provider["block_types"]["endpoints"]["block"]["attributes"][a]["optional"],
            true
        );
    }

    let res = &p["resource_schemas"]["alicloudvpc_public_ip_address_pool_service"]["block"];
    assert_eq!(res["attributes"]["region_id"]["optional"], true);
    assert_eq!(res["attributes"]["region_id"]["computed"], true);
    assert_eq!(res["attributes"]["enabled"]["computed"], true);
    assert_eq!(res["attributes"]["enabled"]["type"], "bool");
    assert_eq!(res["attributes"]["id"]["computed"], true);
    let timeouts = &res["block_types"]["timeouts"]["block"]["attributes"];
    assert_eq!(timeouts["create"]["optional"], true);
    assert_eq!(timeouts["read"]["optional"], true);

    let ds = &p["data_source_schemas"]["alicloudvpc_public_ip_address_pool_service"]["block"];
    assert_eq!(ds["attributes"]["region_id"]["optional"], true);
    assert_eq!(ds["attributes"]["enabled"]["computed"], true);
    assert_eq!(ds["attributes"]["id"]["computed"], true);
}

#[test]
fn validate_points_at_the_bad_line() {
    let tf = Tf::new(&format!(
        r#"{HEADER}
provider "alicloudvpc" {{
  region   = "cn-hangzhou"
  protocol = "FTP"
}}

resource "alicloudvpc_public_ip_address_pool_service" "this" {{
  timeouts {{
    create = "5 minutes"
  }}
}}
"#
    ));
    tf.init();
    let out = tf.fails(&["validate", "-no-color"]);
    assert!(out.contains("Invalid protocol"), "{out}");
    assert!(
        out.contains(r#"protocol = "FTP""#),
        "points at the line: {out}"
    );

    let fixed = std::fs::read_to_string(tf.path("main.tf"))
        .expect("main.tf")
        .replace(r#"  protocol = "FTP""#, "");
    tf.write("main.tf", &fixed);
    let out = tf.fails(&["validate", "-no-color"]);
    assert!(out.contains("Invalid timeouts.create"), "{out}");
    assert!(
        out.contains(r#"create = "5 minutes""#),
        "points at the line: {out}"
    );
}

/// Terraform calls Shutdown at the end of each phase and kills a provider that has not exited
/// two seconds later, logging that it "failed to exit gracefully". Every provider process of a
/// validate and a plan must instead exit by itself.
#[test]
fn every_provider_process_exits_on_shutdown() {
    let tf = Tf::new(&format!(
        "{HEADER}\nprovider \"alicloudvpc\" {{\n  region     = \"cn-hangzhou\"\n  access_key = \"emulator-access-key\"\n  secret_key = \"emulator-secret-key\"\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{}}\n"
    ));
    tf.init();
    let log = tf.root.path().join("tf.log");
    let mut cmd = tf.command(&["plan", "-no-color", "-refresh=false"]);
    cmd.env("TF_LOG", "DEBUG").env("TF_LOG_PATH", &log);
    let out = cmd.output().expect("plan");
    assert!(
        out.status.success(),
        "{}",
        super::common::terraform::text(&out)
    );
    let log = std::fs::read_to_string(&log).expect("log");
    let started = log.matches("plugin started").count();
    let exited = log.matches("plugin exited").count();
    assert!(started >= 2, "expected several provider processes:\n{log}");
    assert_eq!(started, exited, "every provider process must exit:\n{log}");
    assert!(
        !log.contains("failed to exit gracefully"),
        "a provider had to be killed:\n{log}"
    );
}
