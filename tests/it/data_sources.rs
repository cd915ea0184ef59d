//! The pool and CIDR block data sources end to end: real terraform against the emulator, the
//! pools and blocks made beforehand through the client (`common::pool_api`).

use serde_json::Value as J;

use super::common::Tf;
use super::common::emulator::Emulator;
use super::lifecycle::{DEMO_ACCOUNT, setup};
use terraform_provider_alicloudvpc::alicloud::Tag;
use terraform_provider_alicloudvpc::alicloud::vpc::CreatePublicIpAddressPoolRequest;

const REGION: &str = "cn-hangzhou";

/// A pool made through the client, with its line type and tags; returns its ID.
fn new_pool(emu: &Emulator, name: &str, isp: &str, tags: &[(&str, &str)]) -> String {
    emu.create_pool_as(
        REGION,
        CreatePublicIpAddressPoolRequest {
            name: Some(name.into()),
            isp: Some(isp.into()),
            tags: tags.iter().map(|(k, v)| Tag::new(*k, *v)).collect(),
            ..Default::default()
        },
    )
}

const LIST_POOLS: &str = "ListPublicIpAddressPools";
const LIST_BLOCKS: &str = "ListPublicIpAddressPoolCidrBlocks";

/// `terraform output -json` as name => value.
fn outputs(tf: &Tf) -> J {
    let raw: J = serde_json::from_str(&tf.ok(&["output", "-json", "-no-color"])).expect("json");
    let mut m = serde_json::Map::new();
    for (k, v) in raw.as_object().into_iter().flatten() {
        m.insert(k.clone(), v["value"].clone());
    }
    J::Object(m)
}

fn strings(v: &J) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

/// Data sources `name` with `body`, and an output of the whole object.
fn lookup(ty: &str, name: &str, body: &str) -> String {
    format!(
        "data \"{ty}\" \"{name}\" {{\n{body}\n}}\n\noutput \"{name}\" {{\n  value = data.{ty}.{name}\n}}\n\n"
    )
}

const POOLS: &str = "alicloudvpc_public_ip_address_pools";
const BLOCKS: &str = "alicloudvpc_public_ip_address_pool_cidr_blocks";

#[test]
fn pools_by_regex_isp_tags_and_ids_over_many_pools() {
    // Pages of at most 10 items, whatever MaxResults asks: the 12 pools take two pages.
    let emu = Emulator::start_with(&["--page-size-limit", "10"]);
    emu.set_enabled(DEMO_ACCOUNT, REGION, true);
    // 12 pools: more than Alibaba's default page of 10. web-* are even, BGP_PRO the first 3,
    // env=prod every third.
    let ids: Vec<String> = (0..12)
        .map(|i| {
            let name = format!("{}-{i}", if i % 2 == 0 { "web" } else { "db" });
            let isp = if i < 3 { "BGP_PRO" } else { "BGP" };
            let env = if i % 3 == 0 { "prod" } else { "dev" };
            new_pool(&emu, &name, isp, &[("env", env), ("team", "core")])
        })
        .collect();
    let pick = |f: &dyn Fn(usize) -> bool| -> Vec<String> {
        (0..12).filter(|i| f(*i)).map(|i| ids[i].clone()).collect()
    };

    let config = [
        lookup(POOLS, "all", ""),
        lookup(POOLS, "web", "  name_regex = \"^web-\""),
        lookup(POOLS, "pro", "  isp = \"BGP_PRO\""),
        lookup(
            POOLS,
            "prod",
            "  tags = {\n    env  = \"prod\"\n    team = \"core\"\n  }",
        ),
        lookup(
            POOLS,
            "two",
            &format!("  ids = [\"{}\", \"{}\"]", ids[7], ids[2]),
        ),
        lookup(POOLS, "none", "  name_regex = \"^nothing\""),
        lookup(
            POOLS,
            "none_api",
            "  public_ip_address_pool_name = \"missing\"",
        ),
    ]
    .concat();
    let tf = setup(&emu, &config);
    emu.clear_requests();
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    // One apply is one provider process: the 3 data sources without API filters share one
    // listing (of two pages), each of the 4 with filters makes its own (one page each).
    // (5 listings without the page limit: the sixth call is the second page.)
    assert_eq!(emu.count(LIST_POOLS), 6, "{:?}", emu.requests());

    let out = outputs(&tf);
    assert_eq!(
        strings(&out["all"]["ids"]),
        ids,
        "all 12, in creation order"
    );
    let names = strings(&out["all"]["names"]);
    assert_eq!(names[0], "web-0");
    assert_eq!(names[11], "db-11");
    assert_eq!(strings(&out["web"]["ids"]), pick(&|i| i % 2 == 0));
    assert_eq!(strings(&out["pro"]["ids"]), pick(&|i| i < 3));
    assert_eq!(strings(&out["prod"]["ids"]), pick(&|i| i % 3 == 0));
    // The API's order (creation), not the order asked for.
    assert_eq!(
        strings(&out["two"]["ids"]),
        vec![ids[2].clone(), ids[7].clone()]
    );
    for empty in ["none", "none_api"] {
        assert_eq!(out[empty]["ids"], serde_json::json!([]), "{empty}");
        assert_eq!(out[empty]["names"], serde_json::json!([]), "{empty}");
        assert_eq!(out[empty]["pools"], serde_json::json!([]), "{empty}");
        assert!(out[empty]["id"].as_str().is_some_and(|s| !s.is_empty()));
    }
    let p = &out["pro"]["pools"][1];
    assert_eq!(p["id"], ids[1]);
    assert_eq!(p["public_ip_address_pool_id"], ids[1]);
    assert_eq!(p["public_ip_address_pool_name"], "db-1");
    assert_eq!(p["isp"], "BGP_PRO");
    assert_eq!(p["region_id"], REGION);
    assert_eq!(p["status"], "Created");
    assert_eq!(p["tags"], serde_json::json!({"env": "dev", "team": "core"}));
    assert_eq!(p["total_ip_num"], 0);
    assert_eq!(p["ip_address_remaining"], false);
    assert!(
        p["resource_group_id"]
            .as_str()
            .is_some_and(|r| r.starts_with("rg-"))
    );
    assert!(p["create_time"].as_str().is_some_and(|t| !t.is_empty()));
    assert_ne!(out["all"]["id"], out["web"]["id"]);

    // Deleted out of band: gone from the next read.
    emu.delete_pool(REGION, &ids[0]);
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let out = outputs(&tf);
    assert_eq!(strings(&out["all"]["ids"]), ids[1..].to_vec());
    assert_eq!(strings(&out["prod"]["ids"]), pick(&|i| i % 3 == 0 && i > 0));
}

#[test]
fn a_bad_regex_fails_at_plan_on_its_line() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        "data \"alicloudvpc_public_ip_address_pools\" \"bad\" {\n  isp        = \"BGP\"\n  name_regex = \"web-(\"\n}\n",
    );
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(out.contains("Invalid name_regex"), "{out}");
    assert!(
        out.contains("name_regex = \"web-(\""),
        "points at the line: {out}"
    );
    assert!(out.contains("unclosed group"), "says why: {out}");
    assert_eq!(emu.count(LIST_POOLS), 0, "refused before any call");
}

/// Marks `cidr` of the account's pools as being added (`Modifying`) for ten minutes, in the
/// emulator's state file, as a slow Alibaba add would leave it.
fn mark_modifying(emu: &mut Emulator, cidr: &str) {
    emu.kill();
    let path = emu.state_file();
    let mut state: J =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("state file")).expect("json");
    let until = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64
        + 600_000;
    let mut marked = 0;
    for pool in state["accounts"][DEMO_ACCOUNT]["pools"]
        .as_array_mut()
        .expect("pools")
    {
        // get_mut, not indexing: indexing would add `"blocks": null` to a pool without any.
        let blocks = pool.get_mut("blocks").and_then(J::as_array_mut);
        for block in blocks.into_iter().flatten() {
            if block["cidr_block"] == cidr {
                block["pending"] = serde_json::json!({"change": "modifying", "until_ms": until});
                marked += 1;
            }
        }
    }
    assert_eq!(marked, 1, "{state}");
    std::fs::write(&path, state.to_string()).expect("write state");
    emu.restart();
}

#[test]
fn blocks_by_pool_cidr_status_and_ids() {
    let mut emu = Emulator::start_persistent(&[]);
    emu.set_enabled(DEMO_ACCOUNT, REGION, true);
    let pool = new_pool(&emu, "blocks", "BGP", &[]);
    let empty = new_pool(&emu, "empty", "BGP", &[]);
    emu.add_block(REGION, &pool, Some("47.0.0.0/24"), None);
    emu.add_block(REGION, &pool, Some("47.0.1.0/24"), None);
    let allocated = emu.add_block(REGION, &pool, None, Some(26));
    mark_modifying(&mut emu, &allocated);

    let with = |name: &str, extra: &str| {
        lookup(
            BLOCKS,
            name,
            &format!("  public_ip_address_pool_id = \"{pool}\"\n{extra}"),
        )
    };
    let config = [
        with("all", ""),
        with("one", "  cidr_block = \"47.0.1.0/24\""),
        with("created", "  status = \"Created\""),
        with("modifying", "  status = \"Modifying\""),
        with("by_ids", &format!("  ids = [\"{pool}:47.0.0.0/24\"]")),
        with("none", "  cidr_block = \"47.9.9.0/24\""),
        lookup(
            BLOCKS,
            "empty",
            &format!("  public_ip_address_pool_id = \"{empty}\""),
        ),
    ]
    .concat();
    let tf = setup(&emu, &config);
    emu.clear_requests();
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    // Each pool's blocks are listed once per provider process, whatever the filters.
    assert_eq!(emu.count(LIST_BLOCKS), 2, "{:?}", emu.requests());

    let out = outputs(&tf);
    let id = |cidr: &str| format!("{pool}:{cidr}");
    let all = vec![id("47.0.0.0/24"), id("47.0.1.0/24"), id(&allocated)];
    assert_eq!(strings(&out["all"]["ids"]), all);
    assert_eq!(strings(&out["one"]["ids"]), vec![id("47.0.1.0/24")]);
    assert_eq!(strings(&out["created"]["ids"]), all[..2].to_vec());
    assert_eq!(strings(&out["modifying"]["ids"]), vec![id(&allocated)]);
    assert_eq!(strings(&out["by_ids"]["ids"]), vec![id("47.0.0.0/24")]);
    for e in ["none", "empty"] {
        assert_eq!(out[e]["ids"], serde_json::json!([]), "{e}");
        assert_eq!(out[e]["blocks"], serde_json::json!([]), "{e}");
    }
    let b = &out["one"]["blocks"][0];
    assert_eq!(b["id"], id("47.0.1.0/24"));
    assert_eq!(b["public_ip_address_pool_id"], pool.as_str());
    assert_eq!(b["cidr_block"], "47.0.1.0/24");
    assert_eq!(b["cidr_mask"], 24);
    assert_eq!(b["status"], "Created");
    assert_eq!(b["total_ip_num"], 256);
    assert_eq!(b["used_ip_num"], 0);
    assert!(b["create_time"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(out["modifying"]["blocks"][0]["cidr_mask"], 26);
    assert_eq!(out["all"]["region_id"], REGION);
}

/// `examples/workflow/` as a user runs it: two regions activated, a pool in each, three blocks,
/// three EIPs from the pools, the data sources' view in the outputs, and a second plan that is
/// empty.
#[test]
fn the_workflow_example_applies_and_converges() {
    let emu = Emulator::start();
    let mut tf = Tf::new("");
    std::fs::remove_file(tf.path("main.tf")).expect("remove main.tf");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/workflow");
    for entry in std::fs::read_dir(&dir).expect("examples/workflow") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "tf") {
            tf.copy_in(&path);
        }
    }
    tf.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "emulator-access-key")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "emulator-secret-key")
        .env("ALIBABA_CLOUD_ENDPOINT_VPC", &emu.url)
        .env("ALIBABA_CLOUD_ENDPOINT_STS", &emu.url);
    tf.init();
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let out = outputs(&tf);
    let pools = out["pool_ids"].as_object().expect("pool_ids");
    assert_eq!(pools.len(), 2, "{out}");
    assert_eq!(
        out["allocated_blocks"].as_object().map(|m| m.len()),
        Some(3)
    );
    assert_eq!(
        out["ready_blocks"]["cn-hangzhou"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(out["addresses"]["cn-hangzhou"]["total"], 256 + 64);
    assert_eq!(out["addresses"]["cn-shanghai"]["total"], 128);
    // The EIPs: 2 in Hangzhou (the default), 1 in Shanghai, each counted in its pool, and the
    // data source finds exactly the resources' addresses in each pool.
    let eips = out["eip_addresses"].as_object().expect("eip_addresses");
    let mut keys: Vec<_> = eips.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "cn-hangzhou/eip-0",
            "cn-hangzhou/eip-1",
            "cn-shanghai/eip-0"
        ],
        "{out}"
    );
    assert_eq!(out["addresses"]["cn-hangzhou"]["used"], 2, "{out}");
    assert_eq!(out["addresses"]["cn-shanghai"]["used"], 1, "{out}");
    for region in ["cn-hangzhou", "cn-shanghai"] {
        let mut from_resources: Vec<_> = eips
            .iter()
            .filter(|(k, _)| k.starts_with(&format!("{region}/")))
            .map(|(_, ip)| ip.as_str().expect("an address").to_string())
            .collect();
        from_resources.sort();
        let mut found = strings(&out["pool_eips"][region]);
        found.sort();
        assert_eq!(found, from_resources, "{region}: {out}");
    }
    let plan = tf.run(&["plan", "-detailed-exitcode", "-no-color"]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}",
        super::common::terraform::text(&plan)
    );
}

#[test]
fn blocks_of_a_pool_that_does_not_exist_is_an_error_naming_it() {
    let emu = Emulator::start();
    let tf = setup(
        &emu,
        &lookup(
            BLOCKS,
            "gone",
            "  public_ip_address_pool_id = \"pippool-doesnotexist\"",
        ),
    );
    let out = tf.fails(&["plan", "-no-color"]);
    assert!(out.contains("pippool-doesnotexist"), "{out}");
    assert!(
        out.contains("ResourceNotFound.PublicIpAddressPool"),
        "{out}"
    );
}

/// A refresh reads the pools once and the pool's blocks once for the resources and the data
/// sources together (one provider process, one shared listing each).
#[test]
fn data_sources_share_the_listings_of_the_resources() {
    let emu = Emulator::start();
    let config = r#"
resource "alicloudvpc_public_ip_address_pool_service" "s" {}

resource "alicloudvpc_public_ip_address_pool" "p" {
  region_id                   = alicloudvpc_public_ip_address_pool_service.s.region_id
  public_ip_address_pool_name = "shared"
}

resource "alicloudvpc_public_ip_address_pool_cidr_block" "b" {
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.p.id
  cidr_mask                 = 27
}

data "alicloudvpc_public_ip_address_pools" "all" {
  name_regex = "^sha"
  depends_on = [alicloudvpc_public_ip_address_pool_cidr_block.b]
}

data "alicloudvpc_public_ip_address_pool_cidr_blocks" "all" {
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool_cidr_block.b.public_ip_address_pool_id
}

output "pools" {
  value = data.alicloudvpc_public_ip_address_pools.all.pools
}

output "blocks" {
  value = data.alicloudvpc_public_ip_address_pool_cidr_blocks.all.ids
}
"#;
    let tf = setup(&emu, config);
    tf.ok(&["apply", "-auto-approve", "-no-color"]);
    let out = outputs(&tf);
    // Read after the block was added (a write drops the shared listing): its addresses count.
    assert_eq!(out["pools"][0]["total_ip_num"], 32, "{out}");
    assert_eq!(out["blocks"].as_array().map(Vec::len), Some(1), "{out}");

    emu.clear_requests();
    let plan = tf.run(&["plan", "-detailed-exitcode", "-no-color"]);
    let text = super::common::terraform::text(&plan);
    assert_eq!(plan.status.code(), Some(0), "{text}");
    assert_eq!(emu.count(LIST_POOLS), 1, "{:?}", emu.requests());
    assert_eq!(emu.count(LIST_BLOCKS), 1, "{:?}", emu.requests());
}
