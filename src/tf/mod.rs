//! Terraform's data model as plain Rust: values that may be null or unknown, schemas and
//! diagnostics. Nothing here knows about gRPC or msgpack; `crate::plugin` converts at the edge.

mod diag;
mod dynamic;
mod schema;
mod value;

pub use diag::{AttrPath, Diagnostic, Diagnostics, PathStep, Severity};
pub use dynamic::Dynamic;
pub use schema::{Attribute, Block, NestedBlock, Nesting, Schema, Type};
pub use value::{List, Map, Number, Value};
