//! Credential sources and their precedence with the real terraform binary; the emulator's
//! request log shows which AccessKeyId signed each call.

use serde_json::json;

use super::common::Tf;
use super::common::emulator::{Emulator, OTHER_ACCOUNT, OTHER_KEY, OTHER_SECRET};
use super::lifecycle::{DEMO_ACCOUNT, OPEN};
use super::terraform_cli::HEADER;

const DEMO_KEY: &str = "emulator-access-key";
const DEMO_SECRET: &str = "emulator-secret-key";
const RESOURCE: &str = "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {}\n";

/// A configuration whose provider block holds only `provider_body` plus the emulator endpoints.
fn tf_with(emu: &Emulator, provider_body: &str) -> Tf {
    let tf = Tf::new(&format!(
        "{HEADER}\nprovider \"alicloudvpc\" {{\n{provider_body}\n  endpoints {{\n    vpc          = \"{u}\"\n    sts          = \"{u}\"\n    ecs_metadata = \"{u}\"\n  }}\n}}\n\n{RESOURCE}",
        u = emu.url
    ));
    tf.init();
    tf
}

/// The AccessKeyId that signed the Open.
fn open_signer(emu: &Emulator) -> String {
    let opens: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r["action"] == OPEN)
        .collect();
    assert_eq!(opens.len(), 1, "{opens:?}");
    opens[0]["access_key_id"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn write_profiles(tf: &Tf, current: &str, profiles: serde_json::Value) -> std::path::PathBuf {
    let path = tf.root.path().join("aliyun-config.json");
    std::fs::write(
        &path,
        json!({"current": current, "profiles": profiles}).to_string(),
    )
    .expect("write profiles");
    path
}

fn ak_profile(name: &str, key: &str, secret: &str, region: &str) -> serde_json::Value {
    json!({"name": name, "mode": "AK", "access_key_id": key, "access_key_secret": secret, "region_id": region})
}

#[test]
fn environment_variables_in_both_forms() {
    for (id_var, secret_var, region_var) in [
        (
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            "ALIBABA_CLOUD_REGION",
        ),
        (
            "ALICLOUD_ACCESS_KEY",
            "ALICLOUD_SECRET_KEY",
            "ALICLOUD_REGION",
        ),
    ] {
        let emu = Emulator::start();
        let mut tf = tf_with(&emu, "");
        tf.env(id_var, OTHER_KEY)
            .env(secret_var, OTHER_SECRET)
            .env(region_var, "cn-shenzhen");
        tf.ok(&["apply", "-auto-approve", "-no-color"]);
        assert_eq!(open_signer(&emu), OTHER_KEY, "{id_var}");
        assert!(
            emu.enabled(OTHER_ACCOUNT, "cn-shenzhen"),
            "{region_var} sets the region"
        );
    }
}

#[test]
fn provider_arguments_beat_environment_which_beats_profiles() {
    let emu = Emulator::start();
    let mut tf = tf_with(
        &emu,
        &format!(
            "  region     = \"cn-hangzhou\"\n  access_key = \"{DEMO_KEY}\"\n  secret_key = \"{DEMO_SECRET}\""
        ),
    );
    tf.env("ALIBABA_CLOUD_ACCESS_KEY_ID", OTHER_KEY)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", OTHER_SECRET);
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(
        open_signer(&emu),
        DEMO_KEY,
        "the provider block wins over the environment"
    );

    let emu = Emulator::start();
    let mut tf = tf_with(&emu, "  region = \"cn-hangzhou\"");
    let file = write_profiles(
        &tf,
        "default",
        json!([ak_profile("default", DEMO_KEY, DEMO_SECRET, "cn-hangzhou")]),
    );
    tf.env(
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        file.to_str().expect("path"),
    )
    .env("ALIBABA_CLOUD_ACCESS_KEY_ID", OTHER_KEY)
    .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", OTHER_SECRET);
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(
        open_signer(&emu),
        OTHER_KEY,
        "environment keys win over the CLI file"
    );
}

#[test]
fn named_profile_its_region_and_the_current_profile() {
    let emu = Emulator::start();
    let mut tf = tf_with(&emu, "  profile = \"ops\"");
    let file = write_profiles(
        &tf,
        "default",
        json!([
            ak_profile("default", DEMO_KEY, DEMO_SECRET, "cn-hangzhou"),
            ak_profile("ops", OTHER_KEY, OTHER_SECRET, "cn-qingdao")
        ]),
    );
    tf.env(
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        file.to_str().expect("path"),
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(open_signer(&emu), OTHER_KEY);
    assert!(
        emu.enabled(OTHER_ACCOUNT, "cn-qingdao"),
        "region from the profile"
    );

    // No profile named anywhere: the file's current profile, as the aliyun CLI does.
    let emu = Emulator::start();
    let mut tf = tf_with(&emu, "");
    let file = write_profiles(
        &tf,
        "default",
        json!([ak_profile("default", DEMO_KEY, DEMO_SECRET, "cn-beijing")]),
    );
    tf.env(
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        file.to_str().expect("path"),
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(open_signer(&emu), DEMO_KEY);
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-beijing"));
}

#[test]
fn profile_modes_sts_token_ram_role_arn_and_ecs_ram_role() {
    // StsToken: temporary keys obtained from the emulator's STS with the demo key.
    let emu = Emulator::start();
    let temp = temporary_credentials(&emu);
    let mut tf = tf_with(&emu, "  region  = \"cn-hangzhou\"\n  profile = \"sts\"");
    let file = write_profiles(
        &tf,
        "sts",
        json!([{
            "name": "sts", "mode": "StsToken", "access_key_id": temp.0, "access_key_secret": temp.1, "sts_token": temp.2,
        }]),
    );
    tf.env(
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        file.to_str().expect("path"),
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(open_signer(&emu), temp.0);

    // RamRoleArn: AK plus AssumeRole; the Open is signed with the role's temporary key.
    let emu = Emulator::start();
    let mut tf = tf_with(&emu, "  region  = \"cn-hangzhou\"\n  profile = \"role\"");
    let file = write_profiles(
        &tf,
        "x",
        json!([{
            "name": "role", "mode": "RamRoleArn", "access_key_id": DEMO_KEY, "access_key_secret": DEMO_SECRET,
            "ram_role_arn": "acs:ram::1234567890123456:role/terraform-demo", "ram_session_name": "ci", "expired_seconds": 900,
        }]),
    );
    tf.env(
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        file.to_str().expect("path"),
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(open_signer(&emu).starts_with("STS."));
    let assume: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r["action"] == "AssumeRole")
        .collect();
    assert!(
        !assume.is_empty() && assume.iter().all(|r| r["access_key_id"] == DEMO_KEY),
        "{assume:?}"
    );

    // EcsRamRole: credentials from the metadata endpoint.
    let emu = Emulator::start();
    let mut tf = tf_with(&emu, "  region  = \"cn-hangzhou\"\n  profile = \"ecs\"");
    let file = write_profiles(
        &tf,
        "x",
        json!([{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "terraform-demo"}]),
    );
    tf.env(
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        file.to_str().expect("path"),
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(open_signer(&emu).starts_with("STS."));
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-hangzhou"));
}

#[test]
fn assume_role_block_on_top_of_static_keys_and_ecs_role_name() {
    let emu = Emulator::start();
    let tf = tf_with(
        &emu,
        &format!(
            "  region     = \"cn-hangzhou\"\n  access_key = \"{OTHER_KEY}\"\n  secret_key = \"{OTHER_SECRET}\"\n  assume_role {{\n    role_arn           = \"acs:ram::{OTHER_ACCOUNT}:role/deployer\"\n    session_name       = \"tf-test\"\n    session_expiration = 1200\n  }}"
        ),
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(open_signer(&emu).starts_with("STS."));
    assert!(emu.enabled(OTHER_ACCOUNT, "cn-hangzhou"));

    let emu = Emulator::start();
    let mut tf = tf_with(&emu, "  region = \"cn-hangzhou\"");
    tf.env("ALIBABA_CLOUD_ECS_METADATA", "terraform-demo");
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(open_signer(&emu).starts_with("STS."));
    assert!(
        emu.requests().iter().any(|r| r["action"] != OPEN
            && r["path"]
                .as_str()
                .is_some_and(|p| p.contains("security-credentials"))),
        "{:?}",
        emu.requests()
    );
}

#[test]
fn missing_credentials_and_bad_profiles_explain_themselves() {
    let emu = Emulator::start();
    let mut tf = tf_with(&emu, "  region = \"cn-hangzhou\"");
    let home = tf.root.path().to_str().expect("home").to_string();
    tf.env("HOME", &home);
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(out.contains("No Alibaba Cloud credentials found"), "{out}");
    for way in [
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "profile",
        "ecs_role_name",
        "aliyun configure",
        "assume_role",
    ] {
        assert!(out.contains(way), "lists {way}: {out}");
    }

    let mut tf = tf_with(&emu, "  region  = \"cn-hangzhou\"\n  profile = \"nope\"");
    let file = write_profiles(
        &tf,
        "default",
        json!([ak_profile("default", DEMO_KEY, DEMO_SECRET, "")]),
    );
    tf.env(
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        file.to_str().expect("path"),
    );
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(
        out.contains("Profile not found")
            && out.contains("\"nope\"")
            && out.contains(file.to_str().expect("p")),
        "{out}"
    );
    assert!(
        out.contains("profile = \"nope\""),
        "points at the line: {out}"
    );

    std::fs::write(
        &file,
        r#"{"current": "x", "profiles": [{"name": "nope", "mode": "ChainableRamRoleArn"}]}"#,
    )
    .expect("write");
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(out.contains("Unsupported aliyun CLI profile mode"), "{out}");
    std::fs::write(&file, "{not json").expect("write");
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(
        out.contains("Malformed aliyun CLI configuration file")
            && out.contains(file.to_str().expect("p")),
        "{out}"
    );
}

#[test]
fn sign_version_v3_end_to_end() {
    let emu = Emulator::start();
    let tf = tf_with(
        &emu,
        &format!(
            "  region       = \"cn-hangzhou\"\n  access_key   = \"{DEMO_KEY}\"\n  secret_key   = \"{DEMO_SECRET}\"\n  sign_version = \"v3\""
        ),
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let reqs = emu.requests();
    assert!(
        !reqs.is_empty()
            && reqs
                .iter()
                .all(|r| r["signature_method"] == "ACS3-HMAC-SHA256"),
        "{reqs:?}"
    );
}

#[test]
fn no_secret_reaches_output_logs_plan_or_state() {
    let emu = Emulator::start();
    let temp = temporary_credentials(&emu);
    // Static keys with a security token, and an assume_role on top: every secret-bearing source.
    let mut tf = tf_with(
        &emu,
        "  region = \"cn-hangzhou\"\n  assume_role {\n    role_arn = \"acs:ram::1234567890123456:role/terraform-demo\"\n  }",
    );
    tf.env("ALIBABA_CLOUD_ACCESS_KEY_ID", &temp.0)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", &temp.1)
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", &temp.2);
    let log = tf.root.path().join("trace.log");
    let mut outputs = String::new();
    for args in [
        &["plan", "-no-color", "-out=tfplan"][..],
        &["apply", "-no-color", "tfplan"],
        &["show", "-no-color", "-json"],
    ] {
        let mut cmd = tf.command(args);
        cmd.env("TF_LOG", "TRACE").env("TF_LOG_PATH", &log);
        let out = cmd.output().expect("terraform");
        assert!(
            out.status.success(),
            "{}",
            super::common::terraform::text(&out)
        );
        outputs.push_str(&String::from_utf8_lossy(&out.stdout));
        outputs.push_str(&String::from_utf8_lossy(&out.stderr));
        outputs.push_str(&std::fs::read_to_string(&log).unwrap_or_default());
    }
    let state = std::fs::read_to_string(tf.path("terraform.tfstate")).expect("state");
    let plan = std::fs::read(tf.path("tfplan")).expect("plan file");
    assert!(
        outputs.contains("alicloudvpc"),
        "the trace log was captured"
    );
    for secret in [&temp.1, &temp.2] {
        assert!(
            !outputs.contains(secret.as_str()),
            "a secret reached terraform's output or logs"
        );
        assert!(
            !state.contains(secret.as_str()),
            "a secret reached the state"
        );
        assert!(
            !String::from_utf8_lossy(&plan).contains(secret.as_str()),
            "a secret reached the plan file"
        );
    }
    assert!(open_signer(&emu).starts_with("STS."));
}

/// Temporary credentials (id, secret, token) from the emulator's STS, via the provider's client.
fn temporary_credentials(emu: &Emulator) -> (String, String, String) {
    use terraform_provider_alicloudvpc::alicloud::{
        AssumeRoleRequest, CallOptions, Client, ClientConfig, Credentials,
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let client = Client::new(ClientConfig {
        sts_endpoint: Some(emu.url.clone()),
        ..ClientConfig::default()
    })
    .expect("client");
    let r = rt
        .block_on(client.assume_role(
            &Credentials::access_key(DEMO_KEY, DEMO_SECRET),
            &AssumeRoleRequest {
                role_arn: "acs:ram::1234567890123456:role/terraform-demo".into(),
                role_session_name: "test".into(),
                duration_seconds: Some(3600),
                policy: None,
                external_id: None,
            },
            &CallOptions::timeout(std::time::Duration::from_secs(10)),
        ))
        .expect("assume role");
    let c = r.credentials.credentials;
    (
        c.access_key_id.clone(),
        c.access_key_secret.expose().to_string(),
        c.token().unwrap_or_default().to_string(),
    )
}
