//! Import IDs of the form `<object ID>` (in the provider's region) or `<region>:<object ID>`,
//! shared by the types whose objects have one ID (`pippool-…`, `eip-…`).

use crate::provider::interface::Ctx;
use crate::provider::region;
use crate::tf::{Diagnostic, Diagnostics, Value};

/// What one type's import IDs look like.
pub struct RegionalId {
    pub type_name: &'static str,
    /// The object's ID prefix, e.g. `eip-`.
    pub prefix: &'static str,
    /// The object in words, e.g. "an EIP".
    pub what: &'static str,
    /// What the ID is called, e.g. "the allocation ID".
    pub called: &'static str,
    /// An example ID, e.g. `eip-2zeerraiwb7uj6i0d6fo2`.
    pub example: &'static str,
}

impl RegionalId {
    /// The region (the provider's when the ID names none) and the object ID, or why not.
    pub fn parse(&self, ctx: &Ctx, id: &str) -> Result<(String, String), Diagnostics> {
        let bad = |why: &str| -> Diagnostics {
            Diagnostic::error(
                "Invalid import ID",
                format!(
                    "{why} The import ID of {} is {}, `{}…` (in the provider's region) or `<region>:{}…`, e.g. `cn-shanghai:{}`.",
                    self.type_name, self.called, self.prefix, self.prefix, self.example
                ),
            )
            .into()
        };
        let (region, object) = match id.trim().split_once(':') {
            Some((r, o)) => (Value::Known(r.to_string()), o),
            None => (Value::Null, id.trim()),
        };
        if !object.starts_with(self.prefix)
            || object.len() <= self.prefix.len()
            || object.contains(':')
        {
            return Err(bad(&format!("{id:?} does not name {}.", self.what)));
        }
        if let Value::Known(r) = &region
            && let Err(e) = region::check(r, true)
        {
            return Err(bad(&e.detail));
        }
        Ok((ctx.region(&region)?, object.to_string()))
    }

    /// The hint for an import of an object that does not exist.
    pub fn not_found(&self, region: &Value<String>, id: &Value<String>) -> String {
        let region = region
            .as_known()
            .map_or("the provider's region", |r| r.as_str());
        format!(
            "There is no {} {} in {region}. Check the ID, and name the region in the import ID if it is not the provider's (e.g. `cn-shanghai:{}…`).",
            self.what.trim_start_matches("an ").trim_start_matches("a "),
            id.as_known().map_or("", |s| s.as_str()),
            self.prefix
        )
    }
}
