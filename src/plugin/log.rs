//! Logs as JSON lines on stderr in hclog's format, which Terraform parses and re-emits under
//! `TF_LOG`. Level from `TF_LOG_PROVIDER`, else `TF_LOG`; nothing is ever written to stdout.
//!
//! The provider's own records (module `alicloudvpc`) follow that level. Libraries' records
//! (rustls' handshake steps, reqwest's connections) appear only at TRACE, under module
//! `alicloudvpc.<library>`, so that DEBUG shows what the provider did: its calls, retries with
//! their cause, and RequestIds. Every line has its fields in one order: `@level`, `@message`,
//! `@module`, `@timestamp`, then the record's fields in the order the code wrote them.

use std::io::Write;

use log::{Level, LevelFilter, Log, Metadata, Record};

/// Reads the level the way Terraform does; `JSON` means trace, unknown words mean off.
pub fn level_from_env(provider: Option<&str>, general: Option<&str>) -> LevelFilter {
    let raw = provider.filter(|s| !s.is_empty()).or(general).unwrap_or("");
    match raw.trim().to_ascii_uppercase().as_str() {
        "TRACE" | "JSON" => LevelFilter::Trace,
        "DEBUG" => LevelFilter::Debug,
        "INFO" => LevelFilter::Info,
        "WARN" => LevelFilter::Warn,
        "ERROR" => LevelFilter::Error,
        _ => LevelFilter::Off,
    }
}

/// Installs the JSON logger for the provider process.
pub fn init() {
    let level = level_from_env(
        std::env::var("TF_LOG_PROVIDER").ok().as_deref(),
        std::env::var("TF_LOG").ok().as_deref(),
    );
    if log::set_boxed_logger(Box::new(JsonLogger)).is_ok() {
        log::set_max_level(level);
    }
}

struct JsonLogger;

/// The module path prefix of this crate's records (library and binary share the name).
const OWN_TARGET: &str = "terraform_provider_alicloudvpc";

fn is_own(target: &str) -> bool {
    target == OWN_TARGET || target.starts_with("terraform_provider_alicloudvpc::")
}

/// Whether a record of `level` from `target` is shown when the configured level is `max`.
pub fn shown(target: &str, level: Level, max: LevelFilter) -> bool {
    if is_own(target) {
        level <= max
    } else {
        max == LevelFilter::Trace
    }
}

impl Log for JsonLogger {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        shown(m.target(), m.level(), log::max_level())
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let line = format_record(record, time::OffsetDateTime::now_utc());
        // One write per line so concurrent records never interleave.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }

    fn flush(&self) {}
}

/// One hclog JSON line: `@level`, `@message`, `@module`, `@timestamp` (exactly 6 fractional
/// digits, as Terraform's parser demands), then the record's key-values in the order written
/// (numbers and booleans as JSON numbers and booleans; a key given twice, or one that would
/// shadow an `@` field, is dropped).
pub fn format_record(record: &Record<'_>, now: time::OffsetDateTime) -> String {
    let level = match record.level() {
        Level::Error => "error",
        Level::Warn => "warn",
        Level::Info => "info",
        Level::Debug => "debug",
        Level::Trace => "trace",
    };
    let module = if is_own(record.target()) {
        "alicloudvpc".to_string()
    } else {
        let library = record.target().split("::").next().unwrap_or_default();
        format!("alicloudvpc.{library}")
    };
    let ts = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.microsecond()
    );
    let mut fields: Vec<(String, serde_json::Value)> = vec![
        ("@level".into(), level.into()),
        ("@message".into(), record.args().to_string().into()),
        ("@module".into(), module.into()),
        ("@timestamp".into(), ts.into()),
    ];
    let mut visitor = KvCollector(&mut fields);
    let _ = record.key_values().visit(&mut visitor);
    let mut line = String::from("{");
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&serde_json::Value::String(k.clone()).to_string());
        line.push(':');
        line.push_str(&v.to_string());
    }
    line.push_str("}\n");
    line
}

struct KvCollector<'a>(&'a mut Vec<(String, serde_json::Value)>);

impl<'kvs> log::kv::VisitSource<'kvs> for KvCollector<'_> {
    fn visit_pair(
        &mut self,
        key: log::kv::Key<'kvs>,
        value: log::kv::Value<'kvs>,
    ) -> Result<(), log::kv::Error> {
        let key = key.as_str();
        if key.starts_with('@') || self.0.iter().any(|(k, _)| k == key) {
            return Ok(());
        }
        let v = if let Some(b) = value.to_bool() {
            b.into()
        } else if let Some(i) = value.to_i64() {
            i.into()
        } else if let Some(u) = value.to_u64() {
            u.into()
        } else {
            value.to_string().into()
        };
        self.0.push((key.to_string(), v));
        Ok(())
    }
}

/// A panic must reach Terraform as a crash: it looks for a stderr line starting `panic: `.
/// The process then exits, as a Go provider would, instead of limping on without a task.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::force_capture();
        let _ = writeln!(
            std::io::stderr().lock(),
            "panic: {msg}\n\nat {location}\n\n{backtrace}"
        );
        // exit() runs no destructors: remove the socket directory here.
        super::serve::remove_socket_dir();
        std::process::exit(2);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_terraform() {
        assert_eq!(
            level_from_env(Some("debug"), Some("TRACE")),
            LevelFilter::Debug
        );
        assert_eq!(level_from_env(None, Some("JSON")), LevelFilter::Trace);
        assert_eq!(level_from_env(Some(""), Some("WARN")), LevelFilter::Warn);
        assert_eq!(level_from_env(None, None), LevelFilter::Off);
    }

    #[test]
    fn json_line_shape() {
        let now = time::macros::datetime!(2026-11-28 12:00:01.5 UTC);
        let line = format_record(
            &Record::builder()
                .level(Level::Info)
                .args(format_args!("waiting"))
                .key_values(&[("region", "cn-hangzhou")])
                .build(),
            now,
        );
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(v["@level"], "info");
        assert_eq!(v["@message"], "waiting");
        assert_eq!(v["@timestamp"], "2026-11-28T12:00:01.500000Z");
        assert_eq!(v["region"], "cn-hangzhou");
        assert!(line.ends_with('\n'));
    }

    #[test]
    fn fields_keep_one_order_and_their_types() {
        let now = time::macros::datetime!(2026-11-28 12:00:01.5 UTC);
        let line = format_record(
            &Record::builder()
                .level(Level::Debug)
                .target("terraform_provider_alicloudvpc::alicloud::client")
                .args(format_args!("retrying after backoff"))
                .key_values(&[
                    ("region", log::kv::Value::from("cn-hangzhou")),
                    ("attempt", log::kv::Value::from(2u32)),
                    ("action", log::kv::Value::from("Open")),
                    ("retryable", log::kv::Value::from(true)),
                    ("@message", log::kv::Value::from("shadow")),
                    ("region", log::kv::Value::from("again")),
                ])
                .build(),
            now,
        );
        assert_eq!(
            line,
            "{\"@level\":\"debug\",\"@message\":\"retrying after backoff\",\"@module\":\"alicloudvpc\",\"@timestamp\":\"2026-11-28T12:00:01.500000Z\",\"region\":\"cn-hangzhou\",\"attempt\":2,\"action\":\"Open\",\"retryable\":true}\n"
        );
    }

    #[test]
    fn library_chatter_only_at_trace() {
        let own = "terraform_provider_alicloudvpc::alicloud::rpc";
        assert!(shown(own, Level::Debug, LevelFilter::Debug));
        assert!(!shown(own, Level::Trace, LevelFilter::Debug));
        for library in [
            "rustls::client::hs",
            "reqwest::connect",
            "hyper_util::client",
            "h2::codec",
            "tonic::transport",
        ] {
            assert!(
                !shown(library, Level::Debug, LevelFilter::Debug),
                "{library}"
            );
            assert!(!shown(library, Level::Warn, LevelFilter::Info), "{library}");
            assert!(
                shown(library, Level::Debug, LevelFilter::Trace),
                "{library}"
            );
        }
        let line = format_record(
            &Record::builder()
                .level(Level::Debug)
                .target("rustls::client::hs")
                .args(format_args!("No cached session"))
                .build(),
            time::macros::datetime!(2026-11-28 12:00:01 UTC),
        );
        assert!(
            line.contains("\"@module\":\"alicloudvpc.rustls\""),
            "{line}"
        );
    }
}
