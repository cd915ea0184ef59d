//! `moved` blocks from the official `alicloud_eip_address` (and its old name `alicloud_eip`)
//! into `alicloudvpc_eip_address`, with real terraform: an EIP allocated from a pool in the
//! emulator, held in state the way the official provider writes it (the stand-in serves that
//! provider's schema), moved, and left untouched.

use serde_json::{Value as J, json};
use terraform_provider_alicloudvpc::alicloud::Tag;
use terraform_provider_alicloudvpc::alicloud::vpc::{
    AllocateEipAddressRequest, CreatePublicIpAddressPoolRequest, EipAddress,
};

use super::common::Tf;
use super::common::emulator::Emulator;
use super::moves::{
    LEGACY, OFFICIAL, REGION, create_official_objects, official, setup, state_file,
};
use super::moves_guide::{GUIDE, guide_resources, guide_snippet};

/// A pool with one block, and an EIP allocated from it as a configuration of the official
/// provider would have: named, described, tagged, 5 Mbit/s charged by bandwidth.
fn official_eip(emu: &Emulator) -> (String, EipAddress) {
    let pool = emu.create_pool_as(
        REGION,
        CreatePublicIpAddressPoolRequest {
            name: Some("tf-pool".into()),
            isp: Some("BGP".into()),
            ..Default::default()
        },
    );
    emu.add_block(REGION, &pool, Some("47.0.7.0/26"), None);
    let eip = emu.allocate_eip(
        REGION,
        AllocateEipAddressRequest {
            public_ip_address_pool_id: Some(pool.clone()),
            bandwidth: Some("5".into()),
            internet_charge_type: Some("PayByBandwidth".into()),
            instance_charge_type: Some("PostPaid".into()),
            name: Some("tf-eip".into()),
            description: Some("managed by terraform".into()),
            tags: vec![Tag::new("Environment", "test")],
            ..Default::default()
        },
    );
    (pool, eip)
}

/// `e` as the official Read (v1.243.0 and later) stores it: `bandwidth` as a string, both
/// names, the payment type in its own terms and `instance_charge_type` in Alibaba's.
fn head_state(e: &EipAddress) -> J {
    let tags: serde_json::Map<String, J> = e
        .tags
        .iter()
        .map(|t| (t.key.clone(), J::from(t.value.clone())))
        .collect();
    json!({
        "activity_id": null,
        "address_name": e.name,
        "allocation_id": e.allocation_id,
        "auto_pay": null,
        "bandwidth": e.bandwidth,
        "create_time": e.allocation_time,
        "deletion_protection": e.deletion_protection,
        "description": e.description,
        "high_definition_monitor_log_status": "OFF",
        "id": e.allocation_id,
        "instance_charge_type": e.charge_type,
        "internet_charge_type": e.internet_charge_type,
        "ip_address": e.ip_address,
        "isp": e.isp,
        "log_project": null,
        "log_store": null,
        "mode": "NAT",
        "name": e.name,
        "netmode": "public",
        "payment_type": if e.charge_type == "PrePaid" { "Subscription" } else { "PayAsYouGo" },
        "period": null,
        "pricing_cycle": null,
        "public_ip_address_pool_id": e.public_ip_address_pool_id,
        "resource_group_id": e.resource_group_id,
        "security_protection_types": e.security_protection_types,
        "status": e.status,
        "tags": tags,
        "timeouts": null,
        "zone": e.zone,
    })
}

/// Our configuration of the same EIP, and the `moved` block from `from`.
fn converted(pool: &str, from: &str) -> String {
    format!(
        r#"
resource "alicloudvpc_eip_address" "eip" {{
  public_ip_address_pool_id = "{pool}"
  address_name              = "tf-eip"
  description               = "managed by terraform"
  bandwidth                 = 5
  internet_charge_type      = "PayByBandwidth"
  tags = {{
    Environment = "test"
  }}
}}

moved {{
  from = {from}.eip
  to   = alicloudvpc_eip_address.eip
}}
"#
    )
}

fn actions(emu: &Emulator) -> Vec<String> {
    emu.requests()
        .iter()
        .map(|r| r["action"].as_str().unwrap_or("?").to_string())
        .collect()
}

fn only_reads(emu: &Emulator) {
    let actions = actions(emu);
    assert!(!actions.is_empty(), "the refresh reads the EIP");
    assert!(
        actions
            .iter()
            .all(|a| a.starts_with("Describe") || a.starts_with("List")),
        "only reads: {actions:?}"
    );
}

/// The moved EIP's values in the state, recorded under our provider.
fn moved_values(tf: &Tf) -> J {
    let state = tf.state_json();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .expect("resources")
        .clone();
    assert_eq!(resources.len(), 1, "{resources:?}");
    let r = &resources[0];
    assert_eq!(r["address"], "alicloudvpc_eip_address.eip");
    assert_eq!(
        r["provider_name"],
        "registry.terraform.io/local/alicloudvpc"
    );
    r["values"].clone()
}

#[test]
fn a_moved_block_takes_over_an_official_eip_from_a_pool_without_a_write() {
    let emu = Emulator::start();
    let (pool, eip) = official_eip(&emu);
    let tf = setup(&emu, &converted(&pool, "alicloud_eip_address"));
    tf.write(
        "terraform.tfstate",
        &state_file(&[official(
            OFFICIAL,
            "alicloud_eip_address",
            "eip",
            head_state(&eip),
            &[],
        )]),
    );
    tf.init();
    emu.clear_requests();

    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 2, "moves count as changes: {out}");
    assert!(
        out.contains("# alicloud_eip_address.eip has moved to alicloudvpc_eip_address.eip"),
        "{out}"
    );
    assert!(
        out.contains("Plan: 0 to add, 0 to change, 0 to destroy."),
        "{out}"
    );
    only_reads(&emu);

    emu.clear_requests();
    let out = tf.ok(&["apply", "-no-color", "-auto-approve"]);
    assert!(
        out.contains("Apply complete! Resources: 0 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    only_reads(&emu);
    let v = moved_values(&tf);
    assert_eq!(
        (
            &v["id"],
            &v["allocation_id"],
            &v["ip_address"],
            &v["region_id"]
        ),
        (
            &J::from(eip.allocation_id.clone()),
            &J::from(eip.allocation_id.clone()),
            &J::from(eip.ip_address.clone()),
            &J::from(REGION)
        )
    );
    assert_eq!(
        (
            &v["bandwidth"],
            &v["address_name"],
            &v["payment_type"],
            &v["public_ip_address_pool_id"]
        ),
        (
            &json!(5),
            &json!("tf-eip"),
            &json!("PayAsYouGo"),
            &J::from(pool.clone())
        )
    );
    assert_eq!(v["tags"], json!({"Environment": "test"}));

    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 0, "{out}");
    let raw = std::fs::read_to_string(tf.path("terraform.tfstate")).expect("state");
    assert!(!raw.contains("aliyun/alicloud"), "{raw}");

    // The EIP itself: the same allocation, address, pool and settings as before the move.
    let after = emu
        .eip(REGION, &eip.allocation_id)
        .expect("the EIP is there");
    assert_eq!(after, eip);
}

#[test]
fn an_old_alicloud_eip_state_with_a_number_bandwidth_moves_too() {
    // `alicloud_eip` as v1.125.x stored it under the legacy address: bandwidth a number,
    // `name` and `instance_charge_type`, no pool ID (the refresh reads it).
    let emu = Emulator::start();
    let (pool, eip) = official_eip(&emu);
    let v125 = json!({
        "bandwidth": 5,
        "deletion_protection": false,
        "description": "managed by terraform",
        "id": eip.allocation_id,
        "instance_charge_type": "PostPaid",
        "internet_charge_type": "PayByBandwidth",
        "ip_address": eip.ip_address,
        "isp": "BGP",
        "name": "tf-eip",
        "period": null,
        "resource_group_id": eip.resource_group_id,
        "status": "Available",
        "tags": {"Environment": "test"}
    });
    let tf = setup(&emu, &converted(&pool, "alicloud_eip"));
    tf.write(
        "terraform.tfstate",
        &state_file(&[official(LEGACY, "alicloud_eip", "eip", v125, &[])]),
    );
    tf.init();
    emu.clear_requests();
    let out = tf.ok(&["apply", "-no-color", "-auto-approve"]);
    assert!(
        out.contains("# alicloud_eip.eip has moved to alicloudvpc_eip_address.eip"),
        "{out}"
    );
    assert!(
        out.contains("Resources: 0 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    only_reads(&emu);
    let v = moved_values(&tf);
    assert_eq!(
        (&v["bandwidth"], &v["public_ip_address_pool_id"]),
        (&json!(5), &J::from(pool))
    );
    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(emu.eip(REGION, &eip.allocation_id), Some(eip));
}

#[test]
fn a_subscription_eip_is_refused_and_nothing_is_called() {
    let emu = Emulator::start();
    let mut state = json!({
        "id": "eip-2zeerraiwb7uj6i0d6fo2",
        "bandwidth": "5",
        "payment_type": "Subscription",
        "instance_charge_type": "PrePaid",
        "status": "Available"
    });
    state["address_name"] = json!("tf-eip");
    let tf = setup(&emu, &converted("pippool-x", "alicloud_eip_address"));
    tf.write(
        "terraform.tfstate",
        &state_file(&[official(
            OFFICIAL,
            "alicloud_eip_address",
            "eip",
            state,
            &[],
        )]),
    );
    tf.init();
    emu.clear_requests();
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(
        out.contains("Error: Cannot move alicloud_eip_address: subscription EIP"),
        "{out}"
    );
    assert!(
        out.contains("Terraform cannot manage") && out.contains("Keep it in the official provider"),
        "{out}"
    );
    assert!(!out.contains("panic") && !out.contains("crash"), "{out}");
    assert!(emu.requests().is_empty(), "{:?}", emu.requests());
}

/// The guide's EIP example: its pool and block (from the guide's pool example) and an EIP
/// allocated from that pool, in official state. Returns the state and the EIP.
fn guide_objects(emu: &Emulator) -> (String, EipAddress) {
    let o = create_official_objects(emu);
    let pool = o.pool["id"].as_str().expect("pool id").to_string();
    let eip = emu.allocate_eip(
        REGION,
        AllocateEipAddressRequest {
            public_ip_address_pool_id: Some(pool),
            bandwidth: Some("5".into()),
            internet_charge_type: Some("PayByBandwidth".into()),
            instance_charge_type: Some("PostPaid".into()),
            name: Some("tf-eip".into()),
            description: Some("managed by terraform".into()),
            tags: vec![Tag::new("Environment", "test")],
            ..Default::default()
        },
    );
    let mut resources = guide_resources(&o);
    resources.push(official(
        OFFICIAL,
        "alicloud_eip_address",
        "eip",
        head_state(&eip),
        &["alicloud_vpc_public_ip_address_pool.pool"],
    ));
    let state = state_file(&resources);
    (state, eip)
}

fn standin_tf(config: &str) -> Tf {
    Tf::with_providers(
        config,
        &[(
            OFFICIAL,
            "1.289.0",
            std::path::Path::new(env!("CARGO_BIN_EXE_official-alicloud-standin")),
        )],
    )
}

/// The guide's example EIP ID.
const GUIDE_EIP: &str = "eip-2zeerraiwb7uj6i0d6fo2";

#[test]
fn the_guide_s_eip_move_works_as_written() {
    let emu = Emulator::start();
    let (state, eip) = guide_objects(&emu);
    // The guide's pool configuration (snippet 1) with its EIP section's (snippet 4).
    let eip_config = guide_snippet(4, &emu);
    assert!(eip_config.contains("moved {"), "{eip_config}");
    let tf = standin_tf(&format!("{}\n{eip_config}", guide_snippet(1, &emu)));
    tf.write("terraform.tfstate", &state);
    tf.init();
    emu.clear_requests();
    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("Plan: 0 to add, 0 to change, 0 to destroy."),
        "{out}"
    );
    only_reads(&emu);
    // The EIP's part of the plan, as the guide shows it (up to the ID).
    let shown = GUIDE
        .split("```text\n")
        .nth(2)
        .and_then(|s| s.split("```").next())
        .and_then(|s| s.split("\n  ...").next())
        .expect("the EIP plan");
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let actual = words(&out.replace(&eip.allocation_id, GUIDE_EIP));
    assert!(
        actual.contains(&words(shown)),
        "the guide's plan:\n{shown}\nterraform's:\n{out}"
    );
    tf.ok(&["apply", "-no-color", "-auto-approve"]);
    only_reads(&emu);
    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(emu.eip(REGION, &eip.allocation_id), Some(eip));
}

#[test]
fn the_guide_s_eip_import_path_works_as_written() {
    let emu = Emulator::start();
    let (_, eip) = guide_objects(&emu);
    // The EIP alone: its pool's ID written out, without the moved block.
    let pool = &eip.public_ip_address_pool_id;
    let eip_config = guide_snippet(4, &emu);
    let eip_config = eip_config
        .split("\nmoved {")
        .next()
        .expect("resource")
        .replace(
            "alicloudvpc_public_ip_address_pool.pool.id",
            &format!("\"{pool}\""),
        );
    // The official provider leaves with the EIP: `terraform import` configures every provider
    // the configuration requires, and the stand-in has no configuration to give.
    let header = format!(
        "{}\n{}",
        super::terraform_cli::HEADER,
        super::lifecycle::provider(&emu, "")
    );
    let eip_state = state_file(&[official(
        OFFICIAL,
        "alicloud_eip_address",
        "eip",
        head_state(&eip),
        &[],
    )]);
    let tf = standin_tf(&format!("{header}\n{eip_config}"));
    tf.write("terraform.tfstate", &eip_state);
    tf.init();
    let commands = GUIDE
        .split("```shell\n")
        .nth(3)
        .and_then(|s| s.split("```").next())
        .expect("the EIP commands")
        .replace(GUIDE_EIP, &eip.allocation_id);
    emu.clear_requests();
    for line in commands.lines() {
        let args: Vec<&str> = line.split_whitespace().skip(1).collect();
        tf.ok(&args);
    }
    only_reads(&emu);
    let (code, out) = tf.code(&["plan", "-no-color", "-detailed-exitcode"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(emu.eip(REGION, &eip.allocation_id), Some(eip));
}
