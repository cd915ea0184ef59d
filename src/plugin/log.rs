//! Logs as JSON lines on stderr in hclog's format, which Terraform parses and re-emits under
//! `TF_LOG`. Level from `TF_LOG_PROVIDER`, else `TF_LOG`; nothing is ever written to stdout.

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

impl Log for JsonLogger {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        m.level() <= log::max_level()
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
/// digits, as Terraform's parser demands) and the record's key-values.
pub fn format_record(record: &Record<'_>, now: time::OffsetDateTime) -> String {
    let mut obj = serde_json::Map::new();
    let level = match record.level() {
        Level::Error => "error",
        Level::Warn => "warn",
        Level::Info => "info",
        Level::Debug => "debug",
        Level::Trace => "trace",
    };
    obj.insert("@level".into(), level.into());
    obj.insert("@message".into(), record.args().to_string().into());
    obj.insert("@module".into(), "alicloudvpc".into());
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
    obj.insert("@timestamp".into(), ts.into());
    let mut visitor = KvCollector(&mut obj);
    let _ = record.key_values().visit(&mut visitor);
    let mut line = serde_json::Value::Object(obj).to_string();
    line.push('\n');
    line
}

struct KvCollector<'a>(&'a mut serde_json::Map<String, serde_json::Value>);

impl<'kvs> log::kv::VisitSource<'kvs> for KvCollector<'_> {
    fn visit_pair(
        &mut self,
        key: log::kv::Key<'kvs>,
        value: log::kv::Value<'kvs>,
    ) -> Result<(), log::kv::Error> {
        self.0.insert(key.to_string(), value.to_string().into());
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
}
