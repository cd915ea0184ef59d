//! Walks `tests/fixtures/signature/<case>/`: `inputs.json` describes a request, and each other
//! file holds the expected output of one signing step. Expected values were computed
//! independently (Python's hmac/hashlib/urllib) and include every vector of
//! `shared/notes/alibaba-api.md`. A failure names the case and the step.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use terraform_provider_alicloudvpc::alicloud::sign;

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Inputs {
    V1 {
        method: String,
        secret: String,
        params: Vec<(String, String)>,
    },
    V1Request {
        method: String,
        action: String,
        version: String,
        params: Vec<(String, String)>,
        access_key_id: String,
        secret: String,
        security_token: Option<String>,
        timestamp: String,
        nonce: String,
    },
    V3 {
        method: String,
        path: String,
        query: Vec<(String, String)>,
        headers: Vec<(String, String)>,
        body: String,
        access_key_id: String,
        secret: String,
    },
}

/// Compares `actual` with the step file `<dir>/<step>` when the case has one; returns whether
/// it had.
fn check(dir: &Path, step: &str, actual: &str) -> bool {
    let file = dir.join(step);
    let Ok(expected) = fs::read_to_string(&file) else {
        return false;
    };
    // Step files end with one newline for the editor's sake; values never do.
    let expected = expected.strip_suffix('\n').unwrap_or(&expected);
    let case = dir
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    assert_eq!(
        actual, expected,
        "signature case `{case}`, step `{step}` differs"
    );
    true
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signature");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("fixtures directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn signature_vectors() {
    let dirs = cases();
    assert!(
        dirs.len() >= 13,
        "expected at least 13 cases, found {}",
        dirs.len()
    );
    for dir in dirs {
        let case = dir.display().to_string();
        let text = fs::read_to_string(dir.join("inputs.json"))
            .unwrap_or_else(|e| panic!("case {case}: inputs.json: {e}"));
        let inputs: Inputs =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("case {case}: inputs.json: {e}"));
        match inputs {
            Inputs::V1 {
                method,
                secret,
                params,
            } => {
                check(
                    &dir,
                    "canonicalized_query.txt",
                    &sign::canonicalized_query(&params),
                );
                let sts = sign::v1_string_to_sign(&method, &params);
                check(&dir, "string_to_sign.txt", &sts);
                assert!(
                    check(&dir, "signature.txt", &sign::v1_signature(&secret, &sts)),
                    "case {case}: no signature.txt"
                );
            }
            Inputs::V1Request {
                method,
                action,
                version,
                params,
                access_key_id,
                secret,
                security_token,
                timestamp,
                nonce,
            } => {
                let signed = sign::v1_sign_request(&sign::V1Input {
                    method: &method,
                    action: &action,
                    version: &version,
                    params: &params,
                    access_key_id: &access_key_id,
                    access_key_secret: &secret,
                    security_token: security_token.as_deref(),
                    timestamp: &timestamp,
                    nonce: &nonce,
                });
                let unsigned: Vec<_> = signed
                    .params
                    .iter()
                    .filter(|(k, _)| k != "Signature")
                    .cloned()
                    .collect();
                check(
                    &dir,
                    "canonicalized_query.txt",
                    &sign::canonicalized_query(&unsigned),
                );
                check(&dir, "string_to_sign.txt", &signed.string_to_sign);
                assert!(
                    check(&dir, "signature.txt", &signed.signature),
                    "case {case}: no signature.txt"
                );
                check(
                    &dir,
                    "form_body.txt",
                    &sign::canonicalized_query(&signed.params),
                );
            }
            Inputs::V3 {
                method,
                path,
                query,
                headers,
                body,
                access_key_id,
                secret,
            } => {
                let hashed_payload = sign::hex_sha256(body.as_bytes());
                check(&dir, "hashed_payload.txt", &hashed_payload);
                let signed = sign::v3_sign(
                    &secret,
                    &sign::V3Request {
                        method: &method,
                        path: &path,
                        query: &query,
                        headers: &headers,
                        hashed_payload: &hashed_payload,
                    },
                );
                check(&dir, "canonical_request.txt", &signed.canonical_request);
                check(
                    &dir,
                    "hashed_canonical_request.txt",
                    &sign::hex_sha256(signed.canonical_request.as_bytes()),
                );
                check(&dir, "string_to_sign.txt", &signed.string_to_sign);
                check(&dir, "signed_headers.txt", &signed.signed_headers);
                assert!(
                    check(&dir, "signature.txt", &signed.signature),
                    "case {case}: no signature.txt"
                );
                check(
                    &dir,
                    "authorization.txt",
                    &sign::v3_authorization(&access_key_id, &signed),
                );
            }
        }
    }
}
