//! Generated protocol types. Only `crate::plugin` uses them; the layers below see plain Rust types.
#![allow(clippy::all, missing_docs)]

pub mod tfplugin5 {
    tonic::include_proto!("tfplugin5");
}

pub mod go_plugin {
    tonic::include_proto!("plugin");
}
