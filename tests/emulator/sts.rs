//! STS `AssumeRole`, temporary keys, ECS metadata credentials and the accounts file.

use crate::client::{self, ALL_MODES, Call, Client, Mode, control};
use crate::start;
use serde_json::json;
use terraform_provider_alicloudvpc::emulator::{self, Config};

async fn assume(c: &Client, mode: Mode, duration: &str) -> client::Reply {
    c.call(&Call::new(
        mode,
        "AssumeRole",
        "2015-04-01",
        &[
            ("RoleArn", emulator::DEMO_ROLE_ARN),
            ("RoleSessionName", "tests"),
            ("DurationSeconds", duration),
        ],
    ))
    .await
}

fn temp_client(url: &str, creds: &serde_json::Value) -> Client {
    Client::new(
        url,
        creds["AccessKeyId"].as_str().unwrap(),
        creds["AccessKeySecret"].as_str().unwrap(),
    )
    .with_token(creds["SecurityToken"].as_str())
}

#[tokio::test]
async fn sts_assume_role_temporary_keys_and_expiry() {
    let emu = start().await;
    let url = emu.url();
    let c = Client::demo(&url);

    let who = c
        .call(&Call::new(Mode::V3, "GetCallerIdentity", "2015-04-01", &[]))
        .await;
    assert_eq!(who.body["IdentityType"], "Account");
    assert_eq!(who.body["AccountId"], "1234567890123456");

    assert_eq!(
        assume(&c, Mode::V1Query, "899").await.code(),
        "InvalidParameter.DurationSeconds"
    );
    assert_eq!(
        assume(&c, Mode::V1Query, "43201").await.code(),
        "InvalidParameter.DurationSeconds"
    );
    let r = c
        .call(&Call::new(
            Mode::V1Query,
            "AssumeRole",
            "2015-04-01",
            &[
                ("RoleArn", "acs:ram::1234567890123456:role/nope"),
                ("RoleSessionName", "s1"),
            ],
        ))
        .await;
    assert_eq!(r.status_code(), (404, "EntityNotExist.Role"));
    let r = c
        .call(&Call::new(
            Mode::V1Query,
            "AssumeRole",
            "2015-04-01",
            &[("RoleArn", emulator::DEMO_ROLE_ARN)],
        ))
        .await;
    assert_eq!(r.status_code(), (400, "MissingParameter"));
    assert!(r.message().contains("RoleSessionName"));

    let r = assume(&c, Mode::V1Form, "900").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let creds = r.body["Credentials"].clone();
    assert!(creds["AccessKeyId"].as_str().unwrap().starts_with("STS."));
    assert!(creds["Expiration"].as_str().unwrap().ends_with('Z'));
    assert!(
        r.body["AssumedRoleUser"]["Arn"]
            .as_str()
            .unwrap()
            .ends_with("role/terraform-demo/tests")
    );

    for mode in ALL_MODES {
        let t = temp_client(&url, &creds);
        let who = t
            .call(&Call::new(mode, "GetCallerIdentity", "2015-04-01", &[]))
            .await;
        assert_eq!(who.status, 200, "{mode:?} {}", who.body);
        assert_eq!(who.body["IdentityType"], "AssumedRoleUser");
        assert_eq!(who.body["AccountId"], "1234567890123456");
        // Missing and wrong tokens.
        let r = t
            .clone()
            .with_token(None)
            .call(&Call::status(mode, "cn-hangzhou"))
            .await;
        assert_eq!(
            r.status_code(),
            (400, "InvalidSecurityToken.Malformed"),
            "{mode:?}"
        );
        let r = t
            .clone()
            .with_token(Some("CAISbogus"))
            .call(&Call::status(mode, "cn-hangzhou"))
            .await;
        assert_eq!(r.code(), "InvalidSecurityToken.Malformed");
    }
    // Temporary keys act as the role's account.
    let t = temp_client(&url, &creds);
    assert_eq!(
        t.call(&Call::open(Mode::V3, "cn-chengdu")).await.status,
        200
    );
    assert_eq!(
        c.call(&Call::status(Mode::V3, "cn-chengdu")).await.body["Enabled"],
        true
    );

    // Another session's token with these keys.
    let other = assume(&c, Mode::V3, "3600").await.body["Credentials"].clone();
    let mixed = t.clone().with_token(other["SecurityToken"].as_str());
    assert_eq!(
        mixed
            .call(&Call::status(Mode::V1Query, "cn-hangzhou"))
            .await
            .code(),
        "InvalidSecurityToken.MismatchWithAccessKey"
    );

    // Expiry (forced through the control API rather than waiting 15 minutes).
    let (s, body) = control(
        &url,
        "POST",
        "/_emulator/credentials/expire",
        Some(json!({"access_key_id": creds["AccessKeyId"]})),
    )
    .await;
    assert_eq!((s, body["expired"].as_u64()), (200, Some(1)));
    let r = t.call(&Call::status(Mode::V3, "cn-hangzhou")).await;
    assert_eq!(r.status_code(), (400, "InvalidSecurityToken.Expired"));
    let o = temp_client(&url, &other);
    assert_eq!(
        o.call(&Call::status(Mode::V3, "cn-hangzhou")).await.status,
        200
    );
}

#[tokio::test]
async fn ecs_metadata_credentials() {
    let emu = start().await;
    let url = emu.url();
    let http = reqwest::Client::new();
    let list = http
        .get(format!("{url}/latest/meta-data/ram/security-credentials/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(list, "terraform-demo");
    let resp = http
        .get(format!(
            "{url}/latest/meta-data/ram/security-credentials/terraform-demo"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let creds: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert_eq!(creds["Code"], "Success");
    for f in [
        "AccessKeyId",
        "AccessKeySecret",
        "SecurityToken",
        "Expiration",
        "LastUpdated",
    ] {
        assert!(creds[f].is_string(), "{f}");
    }
    let t = temp_client(&url, &creds);
    let who = t
        .call(&Call::new(Mode::V3, "GetCallerIdentity", "2015-04-01", &[]))
        .await;
    assert_eq!(who.body["IdentityType"], "AssumedRoleUser");
    assert_eq!(who.body["AccountId"], "1234567890123456");
    let missing = http
        .get(format!(
            "{url}/latest/meta-data/ram/security-credentials/unknown"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
}

#[tokio::test]
async fn accounts_file_adds_keys_and_roles() {
    let file: emulator::accounts::AccountsFile = serde_json::from_value(json!({
        "accounts": [{
            "account_id": "5555000011112222",
            "access_keys": [{"access_key_id": "ak-2", "access_key_secret": "sk-2"}],
            "ram_roles": ["acs:ram::5555000011112222:role/deployer"],
            "ecs_roles": ["web"]
        }]
    }))
    .unwrap();
    let emu = emulator::start(Config {
        accounts: emulator::Accounts::from_file(file).unwrap(),
        ..Config::default()
    })
    .await
    .unwrap();
    let c = Client::new(&emu.url(), "ak-2", "sk-2");
    assert_eq!(
        c.call(&Call::open(Mode::V1Query, "cn-hangzhou"))
            .await
            .status,
        200
    );
    // Activation is per account: the demo account is unaffected.
    let demo = Client::demo(&emu.url());
    assert_eq!(
        demo.call(&Call::status(Mode::V1Query, "cn-hangzhou"))
            .await
            .body["Enabled"],
        false
    );
    // Roles of another account cannot be assumed.
    let r = demo
        .call(&Call::new(
            Mode::V3,
            "AssumeRole",
            "2015-04-01",
            &[
                ("RoleArn", "acs:ram::5555000011112222:role/deployer"),
                ("RoleSessionName", "x1"),
            ],
        ))
        .await;
    assert_eq!(r.code(), "EntityNotExist.Role");
    let r = c
        .call(&Call::new(
            Mode::V3,
            "AssumeRole",
            "2015-04-01",
            &[
                ("RoleArn", "acs:ram::5555000011112222:role/deployer"),
                ("RoleSessionName", "x1"),
            ],
        ))
        .await;
    assert_eq!(r.status, 200);
    // Bad files are refused with a reason.
    let bad: emulator::accounts::AccountsFile = serde_json::from_value(json!({
        "accounts": [{"account_id": "1", "ram_roles": ["acs:ram::2:role/x"]}]
    }))
    .unwrap();
    assert!(emulator::Accounts::from_file(bad).is_err());
}
