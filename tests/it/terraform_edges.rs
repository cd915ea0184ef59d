//! What a demanding Terraform user hits at the edges (issue 14): provider values not known
//! until apply, import and refresh returning only known values, a resource's own region being
//! enough, plan-time region checks, the import hint for `import {}` blocks and the destroy
//! warning in `plan -destroy`. Real terraform against the emulator.

use serde_json::json;

use super::common::Tf;
use super::common::emulator::Emulator;
use super::lifecycle::{ADDR, DEMO_ACCOUNT, STATUS, provider, setup};
use super::terraform_cli::HEADER;

/// A provider block whose `endpoints.vpc` comes from a resource, unknown until it is applied.
fn unknown_endpoint_config(emu: &Emulator, body: &str) -> String {
    format!(
        "{HEADER}\nresource \"terraform_data\" \"ep\" {{\n  input = \"{url}\"\n}}\n\nprovider \"alicloudvpc\" {{\n  region     = \"cn-hangzhou\"\n  access_key = \"emulator-access-key\"\n  secret_key = \"emulator-secret-key\"\n  endpoints {{\n    vpc = terraform_data.ep.output\n    sts = \"{url}\"\n  }}\n}}\n\n{body}",
        url = emu.url
    )
}

#[test]
fn an_unknown_endpoint_is_never_replaced_by_the_public_one() {
    let emu = Emulator::start();
    let tf = Tf::new(&unknown_endpoint_config(
        &emu,
        "data \"alicloudvpc_public_ip_address_pool_service\" \"s\" {}\n",
    ));
    tf.init();
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(
        out.contains("Provider configuration not known until apply"),
        "{out}"
    );
    assert!(out.contains("`endpoints.vpc`"), "names the setting: {out}");
    assert!(out.contains("-target"), "says the ways out: {out}");
    assert!(
        emu.requests().is_empty(),
        "no call was made: {:?}",
        emu.requests()
    );
}

#[test]
fn a_create_plans_with_an_unknown_endpoint_and_applies_once_it_is_known() {
    let emu = Emulator::start();
    let tf = Tf::new(&unknown_endpoint_config(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {}\n",
    ));
    tf.init();
    let (c, out) = tf.code(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(c, 2, "{out}");
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("2 added"), "{out}");
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-hangzhou"));
}

#[test]
fn an_unknown_region_plans_unknown_instead_of_no_region() {
    let emu = Emulator::start();
    let config = format!(
        "{HEADER}\nresource \"terraform_data\" \"r\" {{\n  input = \"cn-hangzhou\"\n}}\n\nprovider \"alicloudvpc\" {{\n  region     = terraform_data.r.output\n  access_key = \"emulator-access-key\"\n  secret_key = \"emulator-secret-key\"\n  endpoints {{\n    vpc = \"{url}\"\n    sts = \"{url}\"\n  }}\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{}}\n",
        url = emu.url
    );
    let tf = Tf::new(&config);
    tf.init();
    let out = tf.ok(&["plan", "-no-color"]);
    assert!(!out.contains("No region configured"), "{out}");
    assert!(out.contains("region_id = (known after apply)"), "{out}");
}

#[test]
fn a_resources_own_region_is_enough_without_a_provider_region() {
    let emu = Emulator::start();
    let provider_block = provider(&emu, "").replace("  region     = \"cn-hangzhou\"\n", "");
    let tf = Tf::new(&format!(
        "{HEADER}\n{provider_block}\nresource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{\n  region_id = \"cn-beijing\"\n}}\n"
    ));
    tf.init();
    let plan = tf.ok(&["plan", "-no-color"]);
    assert!(
        plan.contains("+ id = \"cn-beijing\""),
        "id known at plan: {plan}"
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(emu.enabled(DEMO_ACCOUNT, "cn-beijing"));

    // Without any region, the error is on the resource's region_id line.
    let tf = Tf::new(&format!(
        "{HEADER}\n{provider_block}\nresource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{}}\n"
    ));
    tf.init();
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(out.contains("No region configured"), "{out}");
    assert!(out.contains("Set region_id on this resource"), "{out}");
}

#[test]
fn a_region_outside_the_list_fails_at_plan_on_its_line() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {\n  region_id = \"cn-nowhere\"\n}\n",
    );
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(out.contains("Unknown region ID"), "{out}");
    assert!(out.contains("region_id = \"cn-nowhere\""), "{out}");
    assert!(out.contains("skip_region_validation"), "{out}");
    assert_eq!(emu.count(STATUS), 0, "checked before any call");
}

#[test]
fn a_failing_refresh_after_an_import_block_is_the_error_not_drift() {
    let emu = Emulator::start();
    emu.set_enabled(DEMO_ACCOUNT, "cn-hangzhou", true);
    let tf = setup(
        &emu,
        &format!(
            "import {{\n  to = {ADDR}\n  id = \"cn-hangzhou\"\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{}}\n"
        ),
    );
    emu.fault(json!({"action": STATUS, "code": "Forbidden.RAM", "http_status": 403, "message": "User not authorized to operate on the specified resource."}));
    let out = tf.fails(&["plan", "-json", "-no-color"]);
    assert!(!out.contains("value is not known"), "{out}");
    assert!(!out.contains("Drift detected"), "{out}");
    assert!(out.contains("Forbidden.RAM"), "{out}");
}

#[test]
fn an_import_block_of_an_inactive_region_gets_the_hint() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        &format!(
            "import {{\n  to = {ADDR}\n  id = \"cn-qingdao\"\n}}\n\nresource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {{\n  region_id = \"cn-qingdao\"\n}}\n"
        ),
    );
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(
        out.contains("Cannot import non-existent remote object"),
        "{out}"
    );
    assert!(out.contains("not active in cn-qingdao"), "{out}");
}

#[test]
fn plan_destroy_warns_before_approval_once_per_region() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"a\" {}\nresource \"alicloudvpc_public_ip_address_pool_service\" \"b\" {}\n",
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let out = tf.ok(&["plan", "-destroy", "-no-color"]);
    assert_eq!(
        out.matches("The IP address pool feature stays active in cn-hangzhou")
            .count(),
        1,
        "{out}"
    );
}

/// `terraform destroy` over two regions with two resources each: the warning once per region
/// (from the destroy plan), not again for each resource when the deletes run.
#[test]
fn destroy_warns_once_per_region() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        "resource \"alicloudvpc_public_ip_address_pool_service\" \"a\" {}\nresource \"alicloudvpc_public_ip_address_pool_service\" \"b\" {}\nresource \"alicloudvpc_public_ip_address_pool_service\" \"c\" {\n  region_id = \"cn-beijing\"\n}\nresource \"alicloudvpc_public_ip_address_pool_service\" \"d\" {\n  region_id = \"cn-beijing\"\n}\n",
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let out = tf.ok(&["destroy", "-auto-approve", "-no-color"]);
    for region in ["cn-hangzhou", "cn-beijing"] {
        let warning = format!("Warning: The IP address pool feature stays active in {region}");
        assert_eq!(out.matches(&warning).count(), 1, "{region}: {out}");
    }
    assert!(out.contains("Resources: 4 destroyed"), "{out}");
}
