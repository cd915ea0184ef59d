//! Go-style duration strings (`30s`, `5m`, `1h30m`, `1.5h`, `500ms`), the format Terraform
//! users write in `timeouts` blocks.

use std::time::Duration;

/// Parses a Go duration. Negative values and a bare number without unit are refused, as a
/// timeout needs both a sign and a unit to be unambiguous. The error is a clause about the
/// value alone (`"-5s" must not be negative`), with no advice: callers add how to write one.
pub fn parse(s: &str) -> Result<Duration, String> {
    let text = s.trim();
    if text.is_empty() {
        return Err("an empty string is not a duration".into());
    }
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    if let Some(rest) = text.strip_prefix('-') {
        return Err(match parse(rest) {
            Ok(_) => format!("{s:?} must not be negative"),
            Err(_) => format!("{s:?} is not a duration"),
        });
    }
    let mut rest = text.strip_prefix('+').unwrap_or(text);
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("{s:?} has a number without a unit"))?;
        if num_len == 0 {
            return Err(format!("{s:?} is not a duration"));
        }
        let number = &rest[..num_len];
        let value: f64 = number
            .parse()
            .map_err(|_| format!("{s:?} has the invalid number {number:?}"))?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            other => {
                return Err(format!(
                    "{s:?} has the unknown unit {other:?} (units are ms, s, m and h)"
                ));
            }
        };
        total += value * seconds;
        rest = &rest[unit_len..];
    }
    if !total.is_finite() || total > 1.0e9 {
        return Err(format!("{s:?} is too long"));
    }
    Ok(Duration::from_secs_f64(total))
}

/// What is wrong with `s` as a timeout, in one sentence with the fix; `None` when it is usable.
/// For a `timeouts` attribute's diagnostic detail.
pub fn timeout_problem(s: &str) -> Option<String> {
    match parse(s) {
        Err(e) => Some(format!(
            "{e}: write a Go duration such as \"30s\", \"5m\" or \"1h30m\"."
        )),
        Ok(d) if d.is_zero() => Some(format!(
            "{s:?} leaves no time for the operation: remove it to use the default, or write e.g. \"5m\"."
        )),
        Ok(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("0"), Ok(Duration::ZERO));
        for bad in ["", "5", "-5m", "5 m", "m", "5d", "1.2.3s", "-x"] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn errors_are_one_clause_and_say_what_is_wrong() {
        assert_eq!(
            parse("-5s"),
            Err("\"-5s\" must not be negative".to_string())
        );
        assert_eq!(parse("-x"), Err("\"-x\" is not a duration".to_string()));
        assert_eq!(
            parse("5"),
            Err("\"5\" has a number without a unit".to_string())
        );
        for bad in ["", "5", "-5m", "5 m", "m", "5d", "1.2.3s"] {
            let e = parse(bad).expect_err("refused");
            assert!(!e.contains(". ") && !e.ends_with('.'), "one clause: {e}");
        }
        let p = timeout_problem("-5s").expect("refused");
        assert_eq!(
            p,
            "\"-5s\" must not be negative: write a Go duration such as \"30s\", \"5m\" or \"1h30m\"."
        );
        assert_eq!(p.matches(". ").count(), 0, "one sentence: {p}");
        assert!(timeout_problem("0").is_some_and(|p| p.contains("no time")));
        assert_eq!(timeout_problem("1m30s"), None);
    }
}
