//! The tfplugin5 service in-process over gRPC, the way Terraform calls it.

use std::sync::Arc;

use serde_json::Value as J;
use terraform_provider_alicloudvpc::plugin::dynamic;
use terraform_provider_alicloudvpc::plugin::proto::tfplugin5 as pb;
use terraform_provider_alicloudvpc::plugin::proto::tfplugin5::provider_client::ProviderClient;
use terraform_provider_alicloudvpc::provider::Provider;
use terraform_provider_alicloudvpc::tf::Dynamic;
use tokio_util::sync::CancellationToken;
use tonic::transport::Channel;

pub const RESOURCE: &str = "alicloudvpc_public_ip_address_pool_service";

/// A provider server on 127.0.0.1: its URL, and the token the Shutdown RPC cancels.
async fn serve_local(provider: Provider) -> (String, CancellationToken) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let shutdown = CancellationToken::new();
    let router =
        terraform_provider_alicloudvpc::plugin::serve::router(Arc::new(provider), shutdown.clone())
            .await;
    let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
    tokio::spawn(router.serve_with_incoming(incoming));
    (format!("http://{addr}"), shutdown)
}

/// A provider server on 127.0.0.1 and a client for it; the token is the Shutdown signal.
pub async fn start() -> (ProviderClient<Channel>, CancellationToken) {
    start_with(Provider::new()).await
}

/// A server for the given provider (e.g. one with a test registry) and a client for it.
pub async fn start_with(provider: Provider) -> (ProviderClient<Channel>, CancellationToken) {
    let (url, shutdown) = serve_local(provider).await;
    let client = ProviderClient::connect(url).await.expect("connect");
    (client, shutdown)
}

/// PlanResourceChange of the resource, with the configuration as the proposed new state (as
/// Terraform sends it when nothing is computed by Terraform itself).
fn plan_request(prior: J, config: &J) -> pb::plan_resource_change::Request {
    pb::plan_resource_change::Request {
        type_name: RESOURCE.into(),
        prior_state: dv(prior),
        proposed_new_state: dv(config.clone()),
        config: dv(config.clone()),
        ..Default::default()
    }
}

/// ApplyResourceChange of the resource.
fn apply_request(
    prior: J,
    planned: Option<pb::DynamicValue>,
    config: J,
) -> pb::apply_resource_change::Request {
    pb::apply_resource_change::Request {
        type_name: RESOURCE.into(),
        prior_state: dv(prior),
        planned_state: planned,
        config: dv(config),
        ..Default::default()
    }
}

/// A msgpack DynamicValue from a JSON tree (the crate's codec is pinned byte-for-byte in its
/// own unit tests); `"<unknown>"` strings become unknown values.
pub fn dv(v: serde_json::Value) -> Option<pb::DynamicValue> {
    fn fix(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::String(s) if s == "<unknown>" => Dynamic::unknown().0,
            serde_json::Value::Object(m) => m.into_iter().map(|(k, v)| (k, fix(v))).collect(),
            other => other,
        }
    }
    Some(pb::DynamicValue {
        msgpack: dynamic::to_msgpack(&Dynamic(fix(v))),
        json: vec![],
    })
}

pub fn tree(v: Option<pb::DynamicValue>) -> serde_json::Value {
    dynamic::from_msgpack(&v.expect("value").msgpack)
        .expect("decode")
        .0
}

pub fn provider_config(region: &str, vpc_endpoint: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "region": region, "access_key": "emulator-access-key", "secret_key": "emulator-secret-key",
        "security_token": null, "profile": null, "shared_credentials_file": null, "ecs_role_name": null,
        "protocol": null, "sign_version": null, "max_retries": null, "client_connect_timeout": null,
        "client_read_timeout": null, "skip_region_validation": null, "assume_role": null,
        "endpoints": vpc_endpoint.map(|e| serde_json::json!({"vpc": e, "sts": e, "ecs_metadata": e})),
    })
}

/// Configures the provider for the demo account in cn-hangzhou, failing on any error.
pub async fn configure(c: &mut ProviderClient<Channel>, endpoint: Option<&str>) {
    let r = c
        .configure(pb::configure::Request {
            terraform_version: "1.11.4".into(),
            config: dv(provider_config("cn-hangzhou", endpoint)),
            client_capabilities: None,
        })
        .await
        .expect("configure")
        .into_inner();
    assert!(errors(&r.diagnostics).is_empty(), "{:?}", r.diagnostics);
}

pub fn errors(d: &[pb::Diagnostic]) -> Vec<String> {
    d.iter()
        .filter(|d| d.severity == pb::diagnostic::Severity::Error as i32)
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect()
}

#[tokio::test]
async fn schema_capabilities_and_metadata() {
    let (mut c, _) = start().await;
    let s = c
        .get_schema(pb::get_provider_schema::Request {})
        .await
        .expect("schema")
        .into_inner();
    assert!(
        s.server_capabilities
            .expect("caps")
            .get_provider_schema_optional
    );
    let block = s.resource_schemas[RESOURCE].block.clone().expect("block");
    let names: Vec<_> = block.attributes.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["id", "region_id", "enabled"]);
    assert!(block.attributes.iter().all(|a| !a.description.is_empty()));
    assert_eq!(block.block_types[0].type_name, "timeouts");
    let types: Vec<_> = block
        .attributes
        .iter()
        .map(|a| String::from_utf8_lossy(&a.r#type).to_string())
        .collect();
    assert_eq!(types, ["\"string\"", "\"string\"", "\"bool\""]);
    let m = c
        .get_metadata(pb::get_metadata::Request {})
        .await
        .expect("metadata")
        .into_inner();
    assert_eq!(m.resources[0].type_name, RESOURCE);
    assert_eq!(m.data_sources[0].type_name, RESOURCE);
}

#[tokio::test]
async fn invalid_provider_config_is_a_diagnostic_on_the_attribute() {
    let (mut c, _) = start().await;
    let mut cfg = provider_config("cn-hangzhou", None);
    cfg["sign_version"] = "v9".into();
    let r = c
        .prepare_provider_config(pb::prepare_provider_config::Request { config: dv(cfg) })
        .await
        .expect("rpc")
        .into_inner();
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let path = r.diagnostics[0].attribute.clone().expect("path");
    assert_eq!(
        path.steps[0].selector,
        Some(pb::attribute_path::step::Selector::AttributeName(
            "sign_version".into()
        ))
    );
}

#[tokio::test]
async fn garbage_values_become_diagnostics_and_the_server_lives_on() {
    let (mut c, _) = start().await;
    for bytes in [
        vec![0x82, 0xa2],
        vec![0xc1],
        vec![0x92, 0x01],
        b"\xa5hello".to_vec(),
    ] {
        let r = c
            .validate_resource_type_config(pb::validate_resource_type_config::Request {
                type_name: RESOURCE.into(),
                config: Some(pb::DynamicValue {
                    msgpack: bytes.clone(),
                    json: vec![],
                }),
            })
            .await
            .expect("rpc answered")
            .into_inner();
        assert!(
            !errors(&r.diagnostics).is_empty(),
            "{bytes:?} must be refused"
        );
    }
    let r = c
        .validate_resource_type_config(pb::validate_resource_type_config::Request {
            type_name: "alicloudvpc_nope".into(),
            config: dv(serde_json::json!({})),
        })
        .await
        .expect("rpc")
        .into_inner();
    assert!(errors(&r.diagnostics)[0].contains("Unknown resource type"));
}

#[tokio::test]
async fn plan_update_delete_and_import_without_api_calls() {
    let (mut c, _) = start().await;
    configure(&mut c, None).await;

    let empty =
        serde_json::json!({"id": null, "region_id": null, "enabled": null, "timeouts": null});
    let plan = c
        .plan_resource_change(plan_request(J::Null, &empty))
        .await
        .expect("plan")
        .into_inner();
    let planned = tree(plan.planned_state);
    assert_eq!(
        planned["region_id"], "cn-hangzhou",
        "defaults to the provider region"
    );
    assert!(Dynamic(planned["enabled"].clone()).is_unknown());
    assert_eq!(
        planned["id"], "cn-hangzhou",
        "the ID is the region, known at plan"
    );

    let prior = serde_json::json!({"id": "cn-hangzhou", "region_id": "cn-hangzhou", "enabled": true, "timeouts": null});
    let with_timeouts = serde_json::json!({"id": "cn-hangzhou", "region_id": "cn-hangzhou", "enabled": true, "timeouts": {"create": "9m", "read": null}});
    let update = c
        .apply_resource_change(apply_request(
            prior.clone(),
            dv(with_timeouts.clone()),
            with_timeouts.clone(),
        ))
        .await
        .expect("update")
        .into_inner();
    assert_eq!(tree(update.new_state), with_timeouts);

    let delete = c
        .apply_resource_change(apply_request(prior, dv(J::Null), J::Null))
        .await
        .expect("delete")
        .into_inner();
    assert!(tree(delete.new_state).is_null());
    assert_eq!(delete.diagnostics.len(), 1);
    assert_eq!(
        delete.diagnostics[0].severity,
        pb::diagnostic::Severity::Warning as i32
    );
    assert!(
        delete.diagnostics[0]
            .detail
            .contains("no operation to deactivate")
    );

    // A good import ID reads the region's status before answering (tests/it/lifecycle.rs,
    // against the emulator); a malformed one is refused before any call.
    let bad = c
        .import_resource_state(pb::import_resource_state::Request {
            type_name: RESOURCE.into(),
            id: "Hangzhou".into(),
            client_capabilities: None,
        })
        .await
        .expect("import")
        .into_inner();
    assert!(bad.imported_resources.is_empty());
    assert!(errors(&bad.diagnostics)[0].contains("import ID"));
}

#[tokio::test]
async fn unsupported_rpcs_say_so() {
    let (mut c, _) = start().await;
    let r = c
        .open_ephemeral_resource(pb::open_ephemeral_resource::Request::default())
        .await
        .expect("rpc")
        .into_inner();
    assert!(errors(&r.diagnostics)[0].contains("not supported"));
    let f = c
        .get_functions(pb::get_functions::Request {})
        .await
        .expect("rpc")
        .into_inner();
    assert!(f.functions.is_empty() && f.diagnostics.is_empty());
}

#[tokio::test]
async fn shutdown_rpc_signals_the_server_loop() {
    use terraform_provider_alicloudvpc::plugin::proto::go_plugin::{
        Empty, grpc_controller_client::GrpcControllerClient,
    };
    let (url, shutdown) = serve_local(Provider::new()).await;
    let mut ctl = GrpcControllerClient::connect(url).await.expect("connect");
    assert!(!shutdown.is_cancelled());
    ctl.shutdown(Empty {}).await.expect("shutdown");
    assert!(shutdown.is_cancelled());
}

#[tokio::test]
async fn walk_schema_configure_plan_apply_read_against_the_emulator() {
    let emu = terraform_provider_alicloudvpc::emulator::start(Default::default())
        .await
        .expect("emulator");
    let (mut c, _) = start().await;
    c.get_schema(pb::get_provider_schema::Request {})
        .await
        .expect("schema");
    configure(&mut c, Some(&emu.url())).await;

    let config = serde_json::json!({"id": null, "region_id": "cn-beijing", "enabled": null, "timeouts": null});
    let plan = c
        .plan_resource_change(plan_request(J::Null, &config))
        .await
        .expect("plan")
        .into_inner();
    let applied = c
        .apply_resource_change(apply_request(J::Null, plan.planned_state, config))
        .await
        .expect("apply")
        .into_inner();
    assert!(
        errors(&applied.diagnostics).is_empty(),
        "{:?}",
        applied.diagnostics
    );
    let state = tree(applied.new_state.clone());
    assert_eq!(state["id"], "cn-beijing");
    assert_eq!(state["enabled"], true);

    let read = c
        .read_resource(pb::read_resource::Request {
            type_name: RESOURCE.into(),
            current_state: applied.new_state,
            ..Default::default()
        })
        .await
        .expect("read")
        .into_inner();
    assert_eq!(tree(read.new_state), state);
    emu.stop().await.expect("stop emulator");
}

#[tokio::test]
async fn stop_cancels_a_waiting_create_and_the_next_configure_resets_it() {
    let emu = terraform_provider_alicloudvpc::emulator::start(
        terraform_provider_alicloudvpc::emulator::Config {
            activation_delay: std::time::Duration::from_secs(60),
            ..Default::default()
        },
    )
    .await
    .expect("emulator");
    let (mut c, _) = start().await;
    configure(&mut c, Some(&emu.url())).await;
    let planned = serde_json::json!({"id": "<unknown>", "region_id": "cn-hangzhou", "enabled": "<unknown>", "timeouts": null});
    let mut applier = c.clone();
    let apply = tokio::spawn(async move {
        applier
            .apply_resource_change(apply_request(J::Null, dv(planned), serde_json::json!({"id": null, "region_id": "cn-hangzhou", "enabled": null, "timeouts": null})))
            .await
    });
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert!(
        !apply.is_finished(),
        "the create waits for the 60 s activation"
    );
    let stopped = c
        .stop(pb::stop::Request {})
        .await
        .expect("stop")
        .into_inner();
    assert_eq!(stopped.error, "");
    let r = tokio::time::timeout(std::time::Duration::from_secs(10), apply)
        .await
        .expect("the create returns promptly after Stop")
        .expect("task")
        .expect("rpc")
        .into_inner();
    assert!(
        errors(&r.diagnostics)
            .iter()
            .any(|e| e.contains("Interrupted")),
        "{:?}",
        r.diagnostics
    );

    // A later command's Configure starts afresh (debug-mode servers outlive a Stop).
    configure(&mut c, Some(&emu.url())).await;
    let ds = c
        .read_data_source(pb::read_data_source::Request {
            type_name: RESOURCE.into(),
            config: dv(serde_json::json!({"id": null, "region_id": "cn-beijing", "enabled": null})),
            ..Default::default()
        })
        .await
        .expect("read data source")
        .into_inner();
    assert!(errors(&ds.diagnostics).is_empty(), "{:?}", ds.diagnostics);
    assert_eq!(tree(ds.state)["enabled"], false);
}
