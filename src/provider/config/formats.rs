//! The formats of identifiers the provider block names: region IDs, RAM role ARNs and STS
//! role session names.

/// Whether `s` looks like an Alibaba region ID (`cn-hangzhou`, `ap-southeast-1`).
pub fn region_format_ok(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    !first.is_empty()
        && first.chars().all(|c| c.is_ascii_lowercase())
        && s.contains('-')
        && parts.all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// STS `AssumeRole`'s documented constraints on RoleSessionName: 2 to 64 characters of
/// letters, digits and `_+=,.@-` (the SDKs' `[\w+=,.@-]{2,64}`).
pub(super) fn session_name_ok(s: &str) -> bool {
    (2..=64).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// STS `AssumeRole`'s documented constraints on ExternalId: 2 to 1,224 characters of letters,
/// digits and `_+=,.@:/-` (the API reference's `[\w+=,.@:\/-]*`); STS refuses anything else,
/// a space included, only when the credentials are first needed.
pub(super) fn external_id_ok(s: &str) -> bool {
    (2..=1224).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c))
}

/// `acs:ram::<account ID>:role/<name>`; RAM role names are 1 to 64 letters, digits, `.`, `-`
/// (and `_`, which some older roles carry).
pub(super) fn role_arn_ok(arn: &str) -> bool {
    let mut parts = arn.splitn(5, ':');
    let name_ok = |n: &str| {
        (1..=64).contains(&n.len())
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    };
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("acs"), Some("ram"), Some(""), Some(acct), Some(role))
            if !acct.is_empty()
                && acct.chars().all(|c| c.is_ascii_digit())
                && role.strip_prefix("role/").is_some_and(name_ok)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(region_format_ok("cn-hangzhou"));
        assert!(region_format_ok("ap-southeast-1"));
        assert!(!region_format_ok("cnhangzhou"));
        assert!(!region_format_ok("CN-hangzhou"));
        assert!(!region_format_ok("cn-"));
        assert!(role_arn_ok("acs:ram::1234567890123456:role/terraform"));
        assert!(!role_arn_ok("acs:ram::abc:role/x"));
        assert!(!role_arn_ok("arn:aws:iam::1:role/x"));
        assert!(!role_arn_ok("acs:ram::1234567890123456:role/"));
        assert!(!role_arn_ok("acs:ram::1234567890123456:role/a b"));
        assert!(!role_arn_ok("acs:ram::1234567890123456:user/x"));
        assert!(session_name_ok("tf-test_1+=,.@"));
        assert!(!session_name_ok("a"));
        assert!(!session_name_ok("has space"));
        assert!(!session_name_ok(&"x".repeat(65)));
        assert!(!session_name_ok("ünïcode"));
        assert!(external_id_ok("abcd-1234:x/y=z,.@_+"));
        assert!(!external_id_ok("has space"));
        assert!(!external_id_ok("x"));
        assert!(!external_id_ok(&"x".repeat(1225)));
        assert!(!external_id_ok("semi;colon"));
    }
}
