//! A small typed helper over the signed test client for the pool families: one region, one
//! signing mode, assertions that name the call on failure.

use serde_json::Value;

use crate::client::{Call, Client, Mode, Reply};
use crate::{DEMO_ACCOUNT, put_region};

pub const REGION: &str = "cn-hangzhou";

pub struct Api {
    pub url: String,
    pub c: Client,
    pub mode: Mode,
    pub region: String,
}

impl Api {
    /// The demo account in `mode`, with the feature active in [`REGION`].
    pub async fn new(url: &str, mode: Mode) -> Api {
        assert_eq!(
            put_region(
                url,
                DEMO_ACCOUNT,
                REGION,
                serde_json::json!({"enabled": true})
            )
            .await,
            200
        );
        Api {
            url: url.to_string(),
            c: Client::demo(url),
            mode,
            region: REGION.to_string(),
        }
    }

    pub async fn call(&self, action: &str, params: &[(&str, &str)]) -> Reply {
        let mut call = Call::vpc(self.mode, action, &self.region);
        for (k, v) in params {
            call = call.param(k, v);
        }
        self.c.call(&call).await
    }

    /// A call that must succeed; its body.
    pub async fn ok(&self, action: &str, params: &[(&str, &str)]) -> Value {
        let r = self.call(action, params).await;
        assert_eq!(
            r.status, 200,
            "{:?} {action} {params:?}: {}",
            self.mode, r.body
        );
        r.body
    }

    /// A call that must fail; its HTTP status and code.
    pub async fn fails(&self, action: &str, params: &[(&str, &str)]) -> (u16, String) {
        let r = self.call(action, params).await;
        assert_ne!(
            r.status, 200,
            "{:?} {action} {params:?} should fail: {}",
            self.mode, r.body
        );
        for field in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
            assert!(r.body[field].is_string(), "{field} missing: {}", r.body);
        }
        (r.status, r.code().to_string())
    }

    /// Asserts a refusal with `code` (HTTP 400) and returns its message.
    pub async fn refused(&self, code: &str, action: &str, params: &[(&str, &str)]) -> String {
        let r = self.call(action, params).await;
        assert_eq!(
            r.status_code(),
            (400, code),
            "{:?} {action} {params:?}: {}",
            self.mode,
            r.body
        );
        r.message().to_string()
    }

    pub async fn create(&self, name: &str) -> String {
        let body = self
            .ok("CreatePublicIpAddressPool", &[("Name", name)])
            .await;
        body["PublicIpAddressPoolId"].as_str().unwrap().to_string()
    }

    /// The pool as `ListPublicIpAddressPools` shows it, or `None` when it is gone.
    pub async fn pool(&self, id: &str) -> Option<Value> {
        let body = self
            .ok(
                "ListPublicIpAddressPools",
                &[("PublicIpAddressPoolIds.1", id)],
            )
            .await;
        body["PublicIpAddressPoolList"]
            .as_array()
            .unwrap()
            .first()
            .cloned()
    }

    pub async fn blocks(&self, id: &str) -> Vec<Value> {
        let body = self
            .ok(
                "ListPublicIpAddressPoolCidrBlocks",
                &[("PublicIpAddressPoolId", id), ("MaxResults", "100")],
            )
            .await;
        body["PublicIpPoolCidrBlockList"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// `AllocateEipAddress` from `pool` (at `ip` when given); the answer.
    pub async fn allocate(&self, pool: &str, ip: Option<&str>) -> Value {
        let mut params = vec![("PublicIpAddressPoolId", pool)];
        params.extend(ip.map(|ip| ("IpAddress", ip)));
        self.ok("AllocateEipAddress", &params).await
    }

    /// `ReleaseEipAddress` of the EIP `AllocationId` `id`.
    pub async fn release(&self, id: &str) {
        self.ok("ReleaseEipAddress", &[("AllocationId", id)]).await;
    }
}
