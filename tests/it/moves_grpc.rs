//! MoveResourceState through the gRPC server in-process: the capability, and the shared
//! plumbing for any type (matching the source, schema versions, malformed input, the schema fit,
//! wholly known answers), with a throwaway type whose conversion the test controls.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{Value as J, json};
use terraform_provider_alicloudvpc::plugin::proto::tfplugin5 as pb;
use terraform_provider_alicloudvpc::provider::Provider;
use terraform_provider_alicloudvpc::provider::dispatch::Typed;
use terraform_provider_alicloudvpc::provider::interface::{Ctx, Failure, MoveFrom, Resource};
use terraform_provider_alicloudvpc::provider::registry::Registry;
use terraform_provider_alicloudvpc::provider::timeouts::{self, Operation, TimeoutSpec, Timeouts};
use terraform_provider_alicloudvpc::tf::{
    Attribute, Block, Diagnostic, Diagnostics, Dynamic, Schema, Type, Value,
};

use super::plugin_grpc::{RESOURCE, errors, start, start_with, tree};

const TARGET: &str = "test_target";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Target {
    id: Value<String>,
    name: Value<String>,
    count: Value<i64>,
    timeouts: Value<Timeouts>,
}

const TIMEOUTS: &[TimeoutSpec] = &[TimeoutSpec {
    operation: Operation::Create,
    default: std::time::Duration::from_secs(60),
    description: "create",
}];

/// The source's `name` becomes ours; `"unknown"` makes the conversion return an unknown
/// value, `"refuse"` its own diagnostic, `"extra"` an attribute our schema lacks.
fn convert(state: &J) -> Result<J, Diagnostics> {
    match state["name"].as_str() {
        Some("refuse") => Err(Diagnostic::error("Refused by the conversion", "because").into()),
        Some("unknown") => Ok(json!({"id": "x", "name": Dynamic::unknown().0})),
        Some("extra") => Ok(json!({"id": "x", "nope": 1})),
        _ => Ok(json!({"id": state["id"], "name": state["name"], "timeouts": state["timeouts"]})),
    }
}

const SOURCES: &[MoveFrom] = &[MoveFrom {
    providers: &["example/source", "legacy/source"],
    type_name: "source_thing",
    max_schema_version: 1,
    convert,
}];

struct TargetResource;

#[async_trait]
impl Resource for TargetResource {
    type State = Target;

    fn type_name(&self) -> &'static str {
        TARGET
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 3,
            block: Block {
                description: "A target.",
                attributes: vec![
                    Attribute::computed("id", Type::String, "ID."),
                    Attribute::optional("name", Type::String, "Name."),
                    Attribute::computed("count", Type::Number, "Count."),
                ],
                blocks: vec![timeouts::block("Timeouts.", TIMEOUTS)],
            },
        }
    }

    fn timeouts(&self) -> &'static [TimeoutSpec] {
        TIMEOUTS
    }

    fn moves_from(&self) -> &'static [MoveFrom] {
        SOURCES
    }

    async fn create(&self, _: &Ctx, p: Target) -> Result<Target, Failure<Target>> {
        Ok(p)
    }

    async fn read(&self, _: &Ctx, c: Target) -> Result<Option<Target>, Diagnostics> {
        Ok(Some(c))
    }

    async fn update(&self, _: &Ctx, _: Target, p: Target) -> Result<Target, Failure<Target>> {
        Ok(p)
    }

    async fn delete(&self, _: &Ctx, _: Target) -> Result<Diagnostics, Diagnostics> {
        Ok(Diagnostics::default())
    }

    async fn import(&self, _: &Ctx, _: &str) -> Result<(Target, Diagnostics), Diagnostics> {
        Err(Diagnostic::error("No import", "none").into())
    }
}

fn request(
    provider: &str,
    ty: &str,
    version: i64,
    json: &[u8],
) -> pb::move_resource_state::Request {
    pb::move_resource_state::Request {
        source_provider_address: provider.into(),
        source_type_name: ty.into(),
        source_schema_version: version,
        source_state: Some(pb::RawState {
            json: json.to_vec(),
            flatmap: Default::default(),
        }),
        target_type_name: TARGET.into(),
        source_private: b"{\"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0\":{}}".to_vec(),
    }
}

async fn call(
    c: &mut pb::provider_client::ProviderClient<tonic::transport::Channel>,
    r: pb::move_resource_state::Request,
) -> pb::move_resource_state::Response {
    c.move_resource_state(r).await.expect("rpc").into_inner()
}

#[tokio::test]
async fn the_capability_is_announced_in_schema_and_metadata() {
    let (mut c, _) = start().await;
    let s = c
        .get_schema(pb::get_provider_schema::Request {})
        .await
        .expect("schema")
        .into_inner();
    assert!(s.server_capabilities.expect("caps").move_resource_state);
    let m = c
        .get_metadata(pb::get_metadata::Request {})
        .await
        .expect("metadata")
        .into_inner();
    assert!(m.server_capabilities.expect("caps").move_resource_state);
}

#[tokio::test]
async fn moves_into_unknown_or_unwilling_types_are_errors() {
    let (mut c, _) = start().await;
    let mut r = request("registry.terraform.io/aliyun/alicloud", "x", 0, b"{}");
    r.target_type_name = "alicloudvpc_nope".into();
    let e = errors(&call(&mut c, r.clone()).await.diagnostics);
    assert!(e[0].starts_with("Unknown resource type"), "{e:?}");
    r.target_type_name = RESOURCE.into();
    let out = call(&mut c, r).await;
    assert!(out.target_state.is_none());
    let e = errors(&out.diagnostics);
    assert!(
        e[0].contains("accepts moved blocks from no other resource type"),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_matching_source_converts_into_exactly_the_schema() {
    let (mut c, _) = start_with(Provider::with_registry(Registry {
        resources: vec![Typed::resource(TargetResource)],
        data_sources: vec![],
    }))
    .await;
    let src = br#"{"id": "s-1", "name": "n", "other": true, "timeouts": {"create": "2m", "update": "3m"}}"#;
    for provider in [
        "registry.terraform.io/example/source",
        "mirror.example.com/legacy/source",
    ] {
        let out = call(&mut c, request(provider, "source_thing", 1, src)).await;
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(
            tree(out.target_state),
            json!({"id": "s-1", "name": "n", "count": null, "timeouts": {"create": "2m"}})
        );
        assert!(
            out.target_private.is_empty(),
            "the source's private data is not kept"
        );
    }
}

#[tokio::test]
async fn refusals_each_say_why() {
    let (mut c, _) = start_with(Provider::with_registry(Registry {
        resources: vec![Typed::resource(TargetResource)],
        data_sources: vec![],
    }))
    .await;
    let ok_json = br#"{"id": "s-1"}"#;
    let cases: Vec<(pb::move_resource_state::Request, &str)> = vec![
        (
            request(
                "registry.terraform.io/other/source",
                "source_thing",
                0,
                ok_json,
            ),
            "accepts moved blocks only from source_thing of example/source (or legacy/source)",
        ),
        (
            request(
                "registry.terraform.io/example/source",
                "source_other",
                0,
                ok_json,
            ),
            "Cannot move source_other into test_target",
        ),
        (
            request(
                "registry.terraform.io/example/source",
                "source_thing",
                2,
                ok_json,
            ),
            "schema version 2, and this provider understands versions 0 to 1",
        ),
        (
            request(
                "registry.terraform.io/example/source",
                "source_thing",
                0,
                b"[1]",
            ),
            "not an object of attributes (Terraform sent a list)",
        ),
        (
            request(
                "registry.terraform.io/example/source",
                "source_thing",
                0,
                b"",
            ),
            "(Terraform sent no state)",
        ),
        (
            request(
                "registry.terraform.io/example/source",
                "source_thing",
                0,
                b"{\"id\":",
            ),
            "Unreadable source state",
        ),
        (
            request(
                "registry.terraform.io/example/source",
                "source_thing",
                0,
                br#"{"name": "refuse"}"#,
            ),
            "Refused by the conversion: because",
        ),
        (
            request(
                "registry.terraform.io/example/source",
                "source_thing",
                0,
                br#"{"name": "unknown"}"#,
            ),
            "contains unknown values",
        ),
        (
            request(
                "registry.terraform.io/example/source",
                "source_thing",
                0,
                br#"{"id": 7}"#,
            ),
            "Unreadable moved state",
        ),
    ];
    for (r, expected) in cases {
        let out = call(&mut c, r.clone()).await;
        let e = errors(&out.diagnostics);
        assert!(out.target_state.is_none(), "{r:?}");
        assert!(e.len() == 1 && e[0].contains(expected), "{r:?}: {e:?}");
    }
    // Keys a conversion adds that the schema lacks are dropped, not an error.
    let out = call(
        &mut c,
        request(
            "registry.terraform.io/example/source",
            "source_thing",
            0,
            br#"{"name": "extra"}"#,
        ),
    )
    .await;
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(tree(out.target_state)["id"], "x");
}
