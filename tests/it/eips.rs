//! `alicloudvpc_eip_address` and `alicloudvpc_eip_addresses` end to end: real terraform against
//! the emulator, a fresh work dir per test.

use serde_json::{Value as J, json};

use super::common::emulator::Emulator;
use super::common::pool_api::DEMO_ACCOUNT;
use super::lifecycle::setup;

const EIP: &str = "alicloudvpc_eip_address.this";
const ALLOCATE: &str = "AllocateEipAddress";
const DESCRIBE: &str = "DescribeEipAddresses";

/// The demo account's EIPs in `region`, as `GET /_emulator/state` shows them.
fn eips(emu: &Emulator, region: &str) -> Vec<J> {
    emu.state()["accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["account_id"] == DEMO_ACCOUNT)
        .flat_map(|a| a["eips"].as_array().cloned().unwrap_or_default())
        .filter(|e| e["region_id"] == region)
        .collect()
}

/// The feature, a pool of `isp` with the block 47.0.0.0/28, and `eip` (the body of
/// `alicloudvpc_eip_address.this`, which depends on the block).
fn pool_and_eip(isp: &str, eip: &str) -> String {
    format!(
        r#"resource "alicloudvpc_public_ip_address_pool_service" "this" {{}}

resource "alicloudvpc_public_ip_address_pool" "this" {{
  public_ip_address_pool_name = "eips"
  isp                         = "{isp}"
  depends_on                  = [alicloudvpc_public_ip_address_pool_service.this]
}}

resource "alicloudvpc_public_ip_address_pool_cidr_block" "this" {{
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this.id
  cidr_block                = "47.0.0.0/28"
}}

resource "alicloudvpc_eip_address" "this" {{
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this.id
{eip}
  depends_on = [alicloudvpc_public_ip_address_pool_cidr_block.this]
}}
"#
    )
}

fn in_block(ip: &J) -> bool {
    let net: ipnet::Ipv4Net = "47.0.0.0/28".parse().expect("net");
    ip.as_str()
        .and_then(|s| s.parse::<std::net::Ipv4Addr>().ok())
        .is_some_and(|a| net.contains(&a))
}

#[test]
fn allocate_from_a_pool_change_in_place_protect_and_release() {
    let emu = Emulator::start();
    let first = "  address_name = \"web\"\n  bandwidth    = 10\n  tags         = { env = \"prod\", team = \"net\" }";
    let tf = setup(&emu, &pool_and_eip("BGP_PRO", first));
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("4 added"), "{out}");
    let v = tf.values(EIP);
    let id = v["id"].as_str().expect("id").to_string();
    assert!(id.starts_with("eip-"), "{v}");
    assert_eq!(v["allocation_id"], id.as_str());
    assert!(
        in_block(&v["ip_address"]),
        "an address of the pool's block: {v}"
    );
    // Not configured: taken from the pool, which Alibaba requires to match.
    assert_eq!(v["isp"], "BGP_PRO", "{v}");
    assert_eq!(v["bandwidth"], 10);
    assert_eq!(v["payment_type"], "PayAsYouGo");
    assert_eq!(v["internet_charge_type"], "PayByBandwidth");
    assert_eq!(v["status"], "Available");
    assert_eq!(v["deletion_protection"], false);
    assert_eq!(emu.count(ALLOCATE), 1);
    tf.plan_is_empty();
    // The pool's used count follows the EIP at the next refresh.
    tf.ok(&["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    let pool = tf.values("alicloudvpc_public_ip_address_pool.this");
    assert_eq!(pool["used_ip_num"], 1, "{pool}");

    let second = "  address_name      = \"web-2\"\n  description       = \"front\"\n  bandwidth         = 20\n  resource_group_id = \"rg-acfm2example\"\n  deletion_protection = true\n  tags              = { env = \"staging\", owner = \"ops\" }";
    tf.write(
        "main.tf",
        &std::fs::read_to_string(tf.path("main.tf"))
            .expect("config")
            .replace(first, second),
    );
    let (c, plan) = tf.code(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(c, 2, "{plan}");
    assert!(
        plan.contains("1 to change, 0 to destroy"),
        "in place: {plan}"
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let v = tf.values(EIP);
    assert_eq!(v["id"], id.as_str(), "the same EIP");
    assert_eq!(v["address_name"], "web-2");
    assert_eq!(v["bandwidth"], 20);
    assert_eq!(v["tags"], json!({"env": "staging", "owner": "ops"}));
    assert_eq!(v["resource_group_id"], "rg-acfm2example");
    assert_eq!(v["deletion_protection"], true);
    assert_eq!(
        emu.count("ModifyEipAddressAttribute"),
        1,
        "one call for name, description and bandwidth"
    );
    assert_eq!(emu.count("UnTagResources"), 1, "team removed");
    assert_eq!(emu.count("MoveResourceGroup"), 1);
    assert_eq!(emu.count("DeletionProtection"), 1);
    let held = &eips(&emu, "cn-hangzhou")[0];
    assert_eq!(held["deletion_protection"], true, "{held}");
    assert_eq!(held["name"], "web-2", "{held}");
    tf.plan_is_empty();

    // Protected: a change that replaces the EIP is refused at plan time, on its line.
    let body = std::fs::read_to_string(tf.path("main.tf")).expect("config");
    tf.write(
        "main.tf",
        &body.replace(
            "  deletion_protection = true",
            "  deletion_protection = true\n  ip_address = \"47.0.0.15\"",
        ),
    );
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(
        out.contains("Changing ip_address replaces the EIP"),
        "{out}"
    );
    assert!(
        out.contains(r#"ip_address = "47.0.0.15""#),
        "on its line: {out}"
    );
    tf.write("main.tf", &body);

    // Protected: the destroy is refused at plan time, before anything is deleted.
    let out = tf.fails(&["destroy", "-auto-approve", "-no-color"]);
    assert!(out.contains("Deletion protection is on"), "{out}");
    assert!(out.contains("deletion_protection = false"), "{out}");
    assert_eq!(emu.count("ReleaseEipAddress"), 0);
    assert_eq!(eips(&emu, "cn-hangzhou").len(), 1);

    tf.write(
        "main.tf",
        &std::fs::read_to_string(tf.path("main.tf"))
            .expect("config")
            .replace("deletion_protection = true", "deletion_protection = false"),
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let out = tf.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(out.contains("4 destroyed"), "{out}");
    assert!(eips(&emu, "cn-hangzhou").is_empty(), "{:?}", emu.state());
    assert!(emu.pools("cn-hangzhou").is_empty(), "{:?}", emu.state());
}

#[test]
fn a_chosen_address_of_the_pool_and_the_refusals_that_explain_themselves() {
    let emu = Emulator::start();
    let tf = setup(&emu, &pool_and_eip("BGP", "  ip_address = \"47.0.0.9\""));
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(tf.values(EIP)["ip_address"], "47.0.0.9");
    tf.plan_is_empty();

    // An address outside the pool: Alibaba's refusal, explained, with its RequestId; nothing
    // in state for the EIP.
    let body = std::fs::read_to_string(tf.path("main.tf")).expect("config");
    tf.write("main.tf", &body.replace("47.0.0.9", "47.1.0.9"));
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.contains("ip_address is not in the pool"), "{out}");
    assert!(out.contains("RequestId"), "{out}");
    assert_eq!(tf.values(EIP), J::Null, "nothing half-made in state");

    // Refused at plan, on their attributes, before any call.
    for (eip, summary) in [
        (
            "  payment_type = \"Subscription\"",
            "Subscription EIPs are not supported",
        ),
        ("  bandwidth = 600", "Invalid bandwidth"),
        ("  ip_address = \"47.0.0\"", "Invalid ip_address"),
    ] {
        let tf = setup(&emu, &pool_and_eip("BGP", eip));
        let out = tf.fails(&["plan", "-no-color"]);
        assert!(out.contains(summary), "{eip}: {out}");
        assert!(
            out.contains("alicloudvpc_eip_address.this"),
            "points at the resource: {out}"
        );
    }
    // Known only once the pool exists: refused by the plan Terraform makes during apply,
    // before the EIP is allocated (a fresh account: the block above is taken).
    let emu = Emulator::start();
    let tf = setup(&emu, &pool_and_eip("BGP", "  zone = \"cn-hangzhou-a\""));
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    assert!(
        out.contains("zone and public_ip_address_pool_id together"),
        "{out}"
    );
    assert_eq!(emu.count(ALLOCATE), 0, "refused before any allocation");
}

#[test]
fn a_full_pool_says_so_and_a_block_with_eips_names_them() {
    let emu = Emulator::start();
    let eip = "  count = 17";
    let body = pool_and_eip("BGP", "").replace(
        "resource \"alicloudvpc_eip_address\" \"this\" {\n",
        &format!("resource \"alicloudvpc_eip_address\" \"this\" {{\n{eip}\n"),
    );
    let tf = setup(&emu, &body);
    let out = tf.fails(&["apply", "-auto-approve", "-no-color", "-parallelism=4"]);
    assert!(out.contains("No free address in the pool"), "{out}");
    assert!(
        out.contains("alicloudvpc_public_ip_address_pool_cidr_block"),
        "the fix: {out}"
    );
    assert_eq!(
        eips(&emu, "cn-hangzhou").len(),
        16,
        "the block's 16 addresses"
    );

    // The block cannot go while they exist: the error names them.
    let only_pool = "resource \"alicloudvpc_public_ip_address_pool_service\" \"this\" {}\n\nresource \"alicloudvpc_public_ip_address_pool\" \"this\" {\n  public_ip_address_pool_name = \"eips\"\n  isp                         = \"BGP\"\n  depends_on                  = [alicloudvpc_public_ip_address_pool_service.this]\n}\n";
    tf.write(
        "main.tf",
        &std::fs::read_to_string(tf.path("main.tf"))
            .expect("config")
            .replace(&body, only_pool),
    );
    tf.ok(&["state", "rm", "alicloudvpc_eip_address.this"]);
    let out = tf.fails(&["apply", "-auto-approve", "-no-color"]);
    assert!(
        out.contains("EIPs allocated from the CIDR block 47.0.0.0/28"),
        "{out}"
    );
    let held = eips(&emu, "cn-hangzhou");
    let named = held
        .iter()
        .filter(|e| e["id"].as_str().is_some_and(|id| out.contains(id)))
        .count();
    assert_eq!(named, 10, "the first ten by ID: {out}");
    assert!(out.contains("and 6 more"), "{out}");
}

#[test]
fn import_in_both_forms_then_nothing_to_do() {
    let emu = Emulator::start();
    let pool = emu.create_pool("cn-shanghai", "p", &[]);
    emu.add_block("cn-shanghai", &pool, Some("47.0.0.0/28"), None);
    emu.allocate("cn-shanghai", &pool, None, 1);
    let id = eips(&emu, "cn-shanghai")[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let body = format!(
        "resource \"alicloudvpc_eip_address\" \"this\" {{\n  region_id                 = \"cn-shanghai\"\n  public_ip_address_pool_id = \"{pool}\"\n}}\n"
    );
    let tf = setup(&emu, &body);
    let out = tf.ok(&["import", "-no-color", EIP, &format!("cn-shanghai:{id}")]);
    assert!(out.contains("Import successful"), "{out}");
    tf.plan_is_empty();

    // An import block, by the bare ID, for an EIP of the provider's region.
    let here = emu.create_pool("cn-hangzhou", "h", &[]);
    emu.add_block("cn-hangzhou", &here, Some("47.0.1.0/28"), None);
    emu.allocate("cn-hangzhou", &here, None, 1);
    let id = eips(&emu, "cn-hangzhou")[0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let tf = setup(
        &emu,
        &format!(
            "import {{\n  to = {EIP}\n  id = \"{id}\"\n}}\n\nresource \"alicloudvpc_eip_address\" \"this\" {{}}\n"
        ),
    );
    let out = tf.ok(&["apply", "-auto-approve", "-no-color"]);
    assert!(
        out.contains("1 imported, 0 added, 0 changed, 0 destroyed"),
        "{out}"
    );
    tf.plan_is_empty();

    let tf = setup(&emu, "resource \"alicloudvpc_eip_address\" \"this\" {}\n");
    let out = tf.fails(&["import", "-no-color", EIP, "eip-doesnotexist"]);
    assert!(
        out.contains("non-existent") || out.contains("There is no EIP"),
        "{out}"
    );
    let out = tf.fails(&["import", "-no-color", EIP, "pippool-x"]);
    assert!(out.contains("Invalid import ID"), "{out}");
}

/// Alibaba allocates, but the answer is lost on the way back, twice: the retries carry the
/// same ClientToken, so Alibaba answers them with the first EIP instead of allocating again
/// (the official provider's new token per retry would have made three EIPs).
#[test]
fn lost_answers_are_retried_with_one_client_token_and_allocate_once() {
    let emu = Emulator::start();
    let tf = setup(&emu, &pool_and_eip("BGP", ""));
    emu.fault(json!({"action": ALLOCATE, "drop_answer": true, "times": 2}));
    emu.fault(json!({"action": ALLOCATE, "code": "Throttling.User", "http_status": 400, "message": "Request was denied due to user flow control.", "times": 1}));
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let allocations: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r["action"] == ALLOCATE)
        .collect();
    assert_eq!(allocations.len(), 4, "{allocations:?}");
    assert_eq!(
        allocations
            .iter()
            .filter(|r| r["code"] == "DroppedAnswer")
            .count(),
        2,
        "{allocations:?}"
    );
    assert!(
        allocations
            .iter()
            .all(|r| r["client_token"] == allocations[0]["client_token"]),
        "one ClientToken across the retries: {allocations:?}"
    );
    let held = eips(&emu, "cn-hangzhou");
    assert_eq!(held.len(), 1, "one EIP, not three: {held:?}");
    assert_eq!(tf.values(EIP)["id"], held[0]["id"], "the one in state");
    tf.plan_is_empty();
}

#[test]
fn a_refresh_of_many_eips_reads_one_page_per_region_and_sees_changes() {
    let emu = Emulator::start();
    let body = pool_and_eip(
        "BGP",
        "  count        = 12\n  address_name = \"e${count.index}\"",
    )
    .replace(
        "alicloudvpc_eip_address.this",
        "alicloudvpc_eip_address.this[0]",
    );
    let tf = setup(&emu, &body);
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    tf.plan_is_empty();
    emu.clear_requests();
    tf.ok(&["plan", "-no-color"]);
    assert_eq!(
        emu.count(DESCRIBE),
        1,
        "one page for 12 EIPs: {:?}",
        emu.requests()
    );

    // Released behind Terraform's back: planned for creation again, as one EIP.
    let gone = eips(&emu, "cn-hangzhou")[3]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let c = super::common::pool_api::client(&emu);
    super::common::pool_api::block_on(c.release_eip_address(
        &super::common::pool_api::creds(),
        "cn-hangzhou",
        &terraform_provider_alicloudvpc::alicloud::vpc::ReleaseEipAddressRequest {
            allocation_id: gone,
        },
        &super::common::pool_api::opts(),
    ))
    .expect("release");
    let (c, plan) = tf.code(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(c, 2, "{plan}");
    assert!(
        plan.contains("1 to add, 0 to change, 0 to destroy"),
        "{plan}"
    );
}

#[test]
fn the_data_source_finds_eips_by_pool_tags_and_address_every_page() {
    let emu = Emulator::start_with(&["--page-size-limit", "10"]);
    let body = format!(
        "{}\ndata \"alicloudvpc_eip_addresses\" \"pool\" {{\n  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this.id\n  depends_on                = [alicloudvpc_eip_address.this]\n}}\n\ndata \"alicloudvpc_eip_addresses\" \"tagged\" {{\n  tags       = {{ tier = \"odd\" }}\n  name_regex = \"^e1\"\n  depends_on = [alicloudvpc_eip_address.this]\n}}\n\ndata \"alicloudvpc_eip_addresses\" \"by_address\" {{\n  ip_addresses = [alicloudvpc_eip_address.this[2].ip_address]\n}}\n\noutput \"pool\" {{\n  value = data.alicloudvpc_eip_addresses.pool.ids\n}}\n\noutput \"tagged\" {{\n  value = data.alicloudvpc_eip_addresses.tagged.names\n}}\n\noutput \"by_address\" {{\n  value = data.alicloudvpc_eip_addresses.by_address.addresses[0].id\n}}\n",
        pool_and_eip(
            "BGP",
            "  count        = 12\n  address_name = \"e${count.index}\"\n  tags         = { tier = count.index % 2 == 0 ? \"even\" : \"odd\" }"
        )
    );
    let tf = setup(&emu, &body);
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let output = |name: &str| -> J {
        serde_json::from_str(&tf.ok(&["output", "-json", name])).expect("json")
    };
    assert_eq!(
        output("pool").as_array().map(Vec::len),
        Some(12),
        "all pages read"
    );
    let mut tagged: Vec<String> = serde_json::from_value(output("tagged")).expect("names");
    tagged.sort();
    assert_eq!(tagged, ["e1", "e11"]);
    assert_eq!(
        output("by_address"),
        tf.values("alicloudvpc_eip_address.this[2]")["id"]
    );
    tf.plan_is_empty();
}

/// A region with more EIPs than one page holds: the EIPs not on the first page are looked up
/// by ID, the concurrent reads of a refresh sharing calls, and every one of them is found.
#[test]
fn a_refresh_in_a_region_of_more_than_a_page_looks_eips_up_in_batches() {
    use super::common::pool_api::{block_on, client, creds, opts};
    use terraform_provider_alicloudvpc::alicloud::vpc::AllocateEipAddressRequest;
    let emu = Emulator::start();
    // 100 EIPs outside Terraform, allocated first: they fill the first page.
    let c = client(&emu);
    block_on(async {
        for i in 0..100 {
            c.allocate_eip_address(
                &creds(),
                "cn-hangzhou",
                &format!("seed-{i}"),
                &AllocateEipAddressRequest::default(),
                &opts(),
            )
            .await
            .expect("seed EIP");
        }
    });
    let tf = setup(
        &emu,
        "resource \"alicloudvpc_eip_address\" \"this\" {\n  count        = 12\n  address_name = \"managed-${count.index}\"\n}\n",
    );
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    emu.clear_requests();
    tf.plan_is_empty();
    let lookups = emu
        .requests()
        .into_iter()
        .filter(|r| r["action"] == DESCRIBE)
        .count();
    // One first page, then lookups by ID shared by the reads that overlap (Terraform runs up
    // to 10 at once): fewer calls than one a read, whatever the machine's timing.
    assert!(
        (2..=7).contains(&lookups),
        "{lookups} DescribeEipAddresses calls for 12 EIPs beyond the first page: {:?}",
        emu.requests()
    );
}

/// Each EIP from a pool needs the pool's line type; the pool's kind never changes, so the
/// allocations of one apply list the pools once between them, although each allocation
/// changes the pool's used count (and drops the listing that holds it).
#[test]
fn allocations_from_one_pool_list_the_pools_once() {
    let emu = Emulator::start();
    let tf = setup(&emu, &pool_and_eip("BGP", "  count = 0"));
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let body = std::fs::read_to_string(tf.path("main.tf")).expect("config");
    tf.write("main.tf", &body.replace("count = 0", "count = 6"));
    emu.clear_requests();
    // One at a time: concurrent allocations would share one listing anyway.
    let out = tf.ok(&["apply", "-auto-approve", "-no-color", "-parallelism=1"]);
    assert!(out.contains("6 added"), "{out}");
    // One listing for the plan's refresh of the pool, one for the apply's allocations.
    let listings = emu.count("ListPublicIpAddressPools");
    assert!(listings <= 2, "{listings} pool listings for 6 EIPs");
    assert_eq!(emu.count(ALLOCATE), 6);
}
