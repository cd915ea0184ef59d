//! Running out of time: a deadline reached inside an API call's retries, an answer that did
//! not come, a wait of the provider's own that would pass the limit; and durations written the
//! way users write them in HCL.

use std::time::Duration;

use super::{Limit, Operation, ids, sentence};
use crate::alicloud::Error;
use crate::tf::Diagnostic;

fn plural(n: u32, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// An operation that ran out of time in a wait of its own (for its turn, or between status
/// polls) rather than inside an API call. `used` is how long it had run; it may stop before
/// the limit when the next wait would pass it.
pub fn out_of_time(
    op: Operation,
    region: &str,
    limit: impl Into<Limit>,
    used: Duration,
    what: &str,
) -> Diagnostic {
    let mut limit = limit.into();
    if limit.setting.is_none() && op == Operation::Activate {
        limit.setting = Some("timeouts.create");
    }
    let by = limit
        .setting
        .map(|s| format!(" by {s}"))
        .unwrap_or_default();
    let early = if used < limit.duration {
        ": the next wait would have passed the limit"
    } else {
        ""
    };
    let after = match (op, limit.example()) {
        (Operation::Activate, Some(example)) => format!(
            " Activation may still complete on Alibaba Cloud's side: raise the limit, e.g. {example}, and run terraform apply again, which adopts an activation that has finished."
        ),
        (_, Some(example)) => format!(" Raise the limit, e.g. {example}, and try again."),
        (_, None) => " Try again later.".to_string(),
    };
    Diagnostic::error(
        format!("Timed out trying to {}", op.doing()),
        format!(
            "Gave up after {} of the {} allowed{by} while {what} in {region}{early}.{after}",
            human(used),
            human(limit.duration)
        ),
    )
}

/// An API call whose retries reached the operation's deadline: how much of the limit it used,
/// how many attempts it made, why it stopped early, and the last answer it got.
pub(super) fn deadline(
    op: Operation,
    limit: Limit,
    attempts: u32,
    elapsed: Duration,
    left: Duration,
    last: Option<&Error>,
) -> Diagnostic {
    // The deadline is the operation's start plus its limit, so what it had used is
    // the limit minus what was left (at least this call's own time).
    let used = limit.duration.saturating_sub(left).max(elapsed);
    let by = limit
        .setting
        .map(|s| format!(" by {s}"))
        .unwrap_or_default();
    let why = if left.is_zero() {
        String::new()
    } else {
        format!(
            ", {} before the limit, too little for the next retry",
            human(left)
        )
    };
    let raise = match limit.example() {
        Some(example) => {
            format!(" If Alibaba Cloud is slow or busy, raise the limit, e.g. {example}.")
        }
        None => " Try again later.".to_string(),
    };
    let last_text = match last {
        Some(e) => match e.api() {
            Some(api) => format!(
                " The last answer was {}: {}{}",
                api.code,
                sentence(&api.message),
                ids(api)
            ),
            None => format!(" The last error was: {}", sentence(&last_error(e))),
        },
        None => String::new(),
    };
    Diagnostic::error(
        format!("Timed out trying to {}", op.doing()),
        format!(
            "Gave up after {} of the {} allowed{by}, after {}{why}.{raise}{last_text}",
            human(used),
            human(limit.duration),
            plural(attempts, "attempt"),
        ),
    )
}

/// A request that got no answer within the client's read timeout.
pub(super) fn no_answer(op: Operation, endpoint: &str, limit: Limit, d: Duration) -> Diagnostic {
    Diagnostic::error(
        format!(
            "Alibaba Cloud did not answer in time while trying to {}",
            op.doing()
        ),
        format!(
            "A request to {endpoint} got no answer within {}. Check the network path, or raise client_read_timeout (milliseconds){}.",
            human(d),
            limit
                .setting
                .map(|s| format!(" and {s}"))
                .unwrap_or_default()
        ),
    )
}

/// What a diagnostic adds when every retry `max_retries` allows has failed: how often and how
/// long the provider tried, so that nobody retries by hand what it already retried.
pub(super) fn retries_exhausted(attempts: u32, elapsed: Duration) -> String {
    let retries = attempts.saturating_sub(1);
    format!(
        "\n\nThe provider gave up after {} in {} (max_retries = {retries}). If the cause is temporary, raise max_retries in the provider block or try again later.",
        plural(attempts, "attempt"),
        human(elapsed),
    )
}

/// The last error behind a deadline, in words: the transport cause, not its debug form.
fn last_error(e: &Error) -> String {
    match e {
        Error::Transport(t) => t.cause.clone(),
        Error::Timeout(d) => format!("no answer within {}", human(*d)),
        other => other.to_string(),
    }
}

/// `5m`, `1m30s`, `800ms`: durations the way users write them in HCL.
pub fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let s = d.as_secs();
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::api;
    use super::super::{Limit, diagnostic};
    use super::*;

    fn throttled_until_the_deadline() -> Error {
        let mut last = api("Throttling.User");
        if let Error::Api(a) = &mut last {
            a.message = "Request was denied due to user flow control.".into();
        }
        Error::DeadlineExceeded {
            attempts: 4,
            elapsed: Duration::from_millis(6_200),
            left: Duration::from_millis(3_800),
            last: Some(Box::new(last)),
        }
    }

    #[test]
    fn a_deadline_reports_the_time_used_the_attempts_and_the_setting_that_applies() {
        let e = throttled_until_the_deadline();
        let d = diagnostic(
            Operation::ReadStatus,
            "cn-hangzhou",
            "vpc",
            Limit::create(Duration::from_secs(10)),
            &e,
        );
        assert!(
            d.detail.starts_with("Gave up after 6s of the 10s allowed by timeouts.create, after 4 attempts, 3s before the limit, too little for the next retry."),
            "{}",
            d.detail
        );
        assert!(
            d.detail.contains("timeouts { create = \"1m\" }"),
            "{}",
            d.detail
        );
        assert!(!d.detail.contains("timeouts.read"), "{}", d.detail);
        assert!(d.detail.contains("user flow control.\n"), "{}", d.detail);
        assert!(!d.detail.contains(".."), "no doubled period: {}", d.detail);

        // A bare duration names no setting it cannot know applies (a data source has none)...
        let d = diagnostic(
            Operation::ReadStatus,
            "cn-hangzhou",
            "vpc",
            Duration::from_secs(10),
            &e,
        );
        assert!(!d.detail.contains("timeouts"), "{}", d.detail);
        assert!(
            d.detail
                .starts_with("Gave up after 6s of the 10s allowed, after 4 attempts"),
            "{}",
            d.detail
        );
        // ...but activation only ever runs in a create.
        let d = diagnostic(
            Operation::Activate,
            "cn-hangzhou",
            "vpc",
            Duration::from_secs(10),
            &e,
        );
        assert!(
            d.detail.contains("allowed by timeouts.create"),
            "{}",
            d.detail
        );
        let d = diagnostic(
            Operation::ReadStatus,
            "r",
            "vpc",
            Limit::read(Duration::from_secs(60)),
            &e,
        );
        assert!(
            d.detail.contains("timeouts { read = \"3m\" }"),
            "{}",
            d.detail
        );
    }

    #[test]
    fn out_of_time_in_a_wait_says_how_long_and_why_early() {
        let d = out_of_time(
            Operation::Activate,
            "cn-hangzhou",
            Limit::create(Duration::from_secs(10)),
            Duration::from_secs(7),
            "waiting for the status to report enabled",
        );
        assert_eq!(
            d.summary,
            "Timed out trying to activate the IP address pool feature"
        );
        assert!(
            d.detail.starts_with("Gave up after 7s of the 10s allowed by timeouts.create while waiting for the status to report enabled in cn-hangzhou: the next wait would have passed the limit. Activation may still complete"),
            "{}",
            d.detail
        );
        let d = out_of_time(
            Operation::ReadStatus,
            "r",
            Duration::from_secs(60),
            Duration::from_secs(60),
            "waiting",
        );
        assert!(
            !d.detail.contains("timeouts") && !d.detail.contains("next wait"),
            "{}",
            d.detail
        );
    }

    #[test]
    fn exhausted_retries_name_attempts_and_time() {
        let t = retries_exhausted(4, Duration::from_millis(2500));
        assert!(t.contains("4 attempts in 2s (max_retries = 3)"), "{t}");
        let t = retries_exhausted(1, Duration::from_millis(40));
        assert!(t.contains("1 attempt in 40ms (max_retries = 0)"), "{t}");
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_secs(300)), "5m");
        assert_eq!(human(Duration::from_secs(90)), "1m30s");
        assert_eq!(human(Duration::from_millis(800)), "800ms");
    }
}
