//! Using a resolved [`Chain`]: credentials for the next request, with temporary ones cached
//! and renewed before they expire.

use std::time::Duration;

use super::{Base, Chain, ChainError, Origin, Step};
use crate::alicloud::{CallOptions, Client, Credentials, TemporaryCredentials};

/// Renew temporary credentials this long before they expire.
const RENEW_BEFORE: Duration = Duration::from_secs(180);

fn endpoint_of(configured: &Option<String>, default: &str) -> String {
    configured
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .unwrap_or(default)
        .to_string()
}

fn fresh(t: &Option<TemporaryCredentials>) -> Option<Credentials> {
    let t = t.as_ref()?;
    let left = t.expiration - time::OffsetDateTime::now_utc();
    (left > time::Duration::try_from(RENEW_BEFORE).unwrap_or(time::Duration::minutes(3)))
        .then(|| t.credentials.clone())
}

impl Chain {
    /// A stable name for the identity, keying per-account state (never a secret).
    pub fn identity(&self) -> String {
        match (self.roles.last(), &self.base) {
            (Some(r), _) => r.role_arn.clone(),
            (None, Base::Static(c)) => c.access_key_id.clone(),
            (None, Base::EcsRole(r)) => format!("ecs-role:{r}"),
        }
    }

    /// Credentials to sign the next request with, renewing temporary ones before they expire.
    pub async fn get(
        &self,
        client: &Client,
        opts: &CallOptions,
    ) -> Result<Credentials, ChainError> {
        let mut creds = match &self.base {
            Base::Static(c) => c.clone(),
            Base::EcsRole(role) => {
                let mut slot = self.caches[self.roles.len()].lock().await;
                match fresh(&slot) {
                    Some(c) => c,
                    None => {
                        let t = client
                            .ecs_role_credentials(role, opts)
                            .await
                            .map_err(|error| ChainError {
                                step: Step::EcsRole {
                                    role: role.clone(),
                                    origin: self.base_origin.clone(),
                                },
                                endpoint: endpoint_of(
                                    &client.config().ecs_metadata_endpoint,
                                    "http://100.100.100.200",
                                ),
                                error,
                            })?;
                        log::debug!(role = role.as_str(); "obtained ECS role credentials");
                        let c = t.credentials.clone();
                        *slot = Some(t);
                        c
                    }
                }
            }
        };
        for (i, role) in self.roles.iter().enumerate() {
            let mut slot = self.caches[i].lock().await;
            creds = match fresh(&slot) {
                Some(c) => c,
                None => {
                    let r = client
                        .assume_role(&creds, role, opts)
                        .await
                        .map_err(|error| ChainError {
                            step: Step::AssumeRole {
                                role_arn: role.role_arn.clone(),
                                origin: self
                                    .role_origins
                                    .get(i)
                                    .cloned()
                                    .unwrap_or(Origin::Provider("assume_role")),
                            },
                            endpoint: endpoint_of(
                                &client.config().sts_endpoint,
                                "sts.aliyuncs.com",
                            ),
                            error,
                        })?;
                    log::debug!(role_arn = role.role_arn.as_str(); "assumed RAM role");
                    let c = r.credentials.credentials.clone();
                    *slot = Some(r.credentials);
                    c
                }
            };
        }
        Ok(creds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alicloud::Secret;

    fn temp(expires_in: time::Duration) -> Option<TemporaryCredentials> {
        Some(TemporaryCredentials {
            credentials: Credentials::access_key("STS.x", Secret::new("s")),
            expiration: time::OffsetDateTime::now_utc() + expires_in,
        })
    }

    #[test]
    fn temporary_credentials_are_renewed_before_they_expire() {
        assert!(fresh(&temp(time::Duration::minutes(30))).is_some());
        assert!(
            fresh(&temp(time::Duration::minutes(2))).is_none(),
            "renewed 3 minutes early"
        );
        assert!(fresh(&temp(time::Duration::minutes(-1))).is_none());
        assert!(fresh(&None).is_none());
    }
}
