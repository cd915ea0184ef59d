//! Go-style duration strings (`30s`, `5m`, `1h30m`, `1.5h`, `500ms`), the format Terraform
//! users write in `timeouts` blocks.

use std::time::Duration;

/// Parses a Go duration. Negative values and a bare number without unit are refused, as a
/// timeout needs both a sign and a unit to be unambiguous.
pub fn parse(s: &str) -> Result<Duration, String> {
    let text = s.trim();
    if text.is_empty() {
        return Err("an empty string is not a duration".into());
    }
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let mut rest = text;
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| {
                format!("{s:?} has a number without a unit (use e.g. \"30s\" or \"5m\")")
            })?;
        if num_len == 0 {
            return Err(format!(
                "{s:?} is not a duration (expected e.g. \"30s\", \"5m\" or \"1h30m\")"
            ));
        }
        let value: f64 = rest[..num_len]
            .parse()
            .map_err(|_| format!("{s:?} has an invalid number"))?;
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
                    "{s:?} has an unknown unit {other:?} (use ms, s, m or h)"
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
        for bad in ["", "5", "-5m", "5 m", "m", "5d", "1.2.3s"] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
