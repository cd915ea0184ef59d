//! Reading a data source: [`AnyDataSource`] for a typed [`DataSource`].

use async_trait::async_trait;

use super::{AnyDataSource, Env, Typed, encode};
use crate::provider::interface::{Ctx, DataSource};
use crate::provider::timeouts::Operation;
use crate::tf::{Diagnostic, Diagnostics, Dynamic, Schema};

#[async_trait]
impl<D: DataSource> AnyDataSource for Typed<D> {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Dynamic) -> Diagnostics {
        match config.decode::<D::State>() {
            Ok(c) => self.inner.validate(&c),
            Err(e) => Diagnostic::error("Unreadable data source configuration", e).into(),
        }
    }

    async fn read(&self, env: &Env, config: Dynamic) -> (Dynamic, Diagnostics) {
        let c: D::State = match config.decode() {
            Ok(c) => c,
            Err(e) => {
                return (
                    Dynamic::null(),
                    Diagnostic::error("Unreadable data source configuration", e).into(),
                );
            }
        };
        let ctx = Ctx {
            configured: env.configured.clone(),
            deferred: env.deferred.clone(),
            stop: env.stop.clone(),
            timeout: crate::provider::DEFAULT_READ_TIMEOUT,
            operation: Operation::Read,
            configurable: false,
            started: tokio::time::Instant::now(),
            destroy_planned: false,
        };
        match self.inner.read(&ctx, c).await.and_then(|s| encode(&s)) {
            Ok(v) => (v, Diagnostics::default()),
            Err(d) => (Dynamic::null(), d),
        }
    }
}
