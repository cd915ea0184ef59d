//! The plan-time rules of `alicloudvpc_public_ip_address_pool_cidr_block` and its import ID,
//! as pure functions: no API call, no panic on any input.

use ipnet::Ipv4Net;

use crate::tf::{AttrPath, Diagnostic, Diagnostics, Number, Value};

/// Sizes Alibaba Cloud accepts for a pool's block: `/24` (256 addresses) to `/28` (16).
pub const MASKS: std::ops::RangeInclusive<i64> = 24..=28;

/// The two forms an import ID may take, for error messages.
pub const IMPORT_FORMS: &str = "`<public_ip_address_pool_id>:<cidr_block>` (the provider's region), e.g. `pippool-xxxx:47.0.0.0/24`, or `<region_id>:<public_ip_address_pool_id>:<cidr_block>`, e.g. `cn-shanghai:pippool-xxxx:47.0.0.0/24`";

/// A block as Alibaba Cloud accepts it: an IPv4 network in canonical CIDR form (so that the
/// text in state is exactly the configured text), host bits zero, prefix 24 to 28.
pub fn cidr(text: &str) -> Result<Ipv4Net, String> {
    let net: Ipv4Net = text.parse().map_err(|_| {
        format!("{text:?} is not an IPv4 network in CIDR notation, such as \"47.0.0.0/24\".")
    })?;
    if net.addr() != net.network() {
        return Err(format!(
            "{text:?} has host bits set: the network of that size is \"{}\".",
            net.trunc()
        ));
    }
    if net.to_string() != text {
        return Err(format!(
            "{text:?} is not in canonical form; write \"{net}\" (Alibaba Cloud reports the block that way)."
        ));
    }
    if !MASKS.contains(&i64::from(net.prefix_len())) {
        return Err(format!(
            "{text:?} is a /{} block; Alibaba Cloud accepts blocks of /24 (256 addresses) to /28 (16 addresses).",
            net.prefix_len()
        ));
    }
    Ok(net)
}

/// A pool ID of the form Alibaba Cloud gives: `pippool-` and letters or digits.
pub fn pool_id(id: &str) -> Result<(), String> {
    match id.strip_prefix("pippool-") {
        Some(tail) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_alphanumeric()) => Ok(()),
        _ => Err(format!(
            "{id:?} is not an IP address pool ID; pool IDs look like \"pippool-uf6n1rx8gqo5v8xhn1x2c\" (the id of an alicloudvpc_public_ip_address_pool)."
        )),
    }
}

/// The configuration's `cidr_block`, `cidr_mask` and `public_ip_address_pool_id`, each error
/// on its attribute. An unknown value (known only at apply) counts as set.
pub fn validate(pool: &Value<String>, block: &Value<String>, mask: &Value<Number>) -> Diagnostics {
    let mut d = Diagnostics::default();
    let invalid = |attr: &str, detail: String| {
        Diagnostic::error(format!("Invalid {attr}"), detail).at(AttrPath::attr(attr))
    };
    d.extend(exactly_one(block, mask));
    if let Value::Known(text) = block
        && let Err(e) = cidr(text)
    {
        d.push(invalid("cidr_block", e));
    }
    if let Value::Known(Number(m)) = mask
        && !MASKS.contains(m)
    {
        d.push(invalid(
            "cidr_mask",
            format!("{m} is not a block size Alibaba Cloud allocates: set 24 (256 addresses) to 28 (16 addresses)."),
        ));
    }
    if let Value::Known(id) = pool
        && let Err(e) = pool_id(id)
    {
        d.push(invalid("public_ip_address_pool_id", e));
    }
    d
}

/// Exactly one of `cidr_block` and `cidr_mask`. A value known only later counts as set for
/// "neither" (it names one) but not for "both": a module's `cidr_mask = var.mask` may turn out
/// null, so the conflict is reported once both are known (validation, or the plan that
/// Terraform makes again with the values known at apply), as Terraform's own SDK does.
pub fn exactly_one(block: &Value<String>, mask: &Value<Number>) -> Diagnostics {
    match (block, mask) {
        (Value::Known(_), Value::Known(_)) => Diagnostic::error(
            "Conflicting cidr_block and cidr_mask",
            "Set either cidr_block (a block of your own, e.g. \"47.0.0.0/24\") or cidr_mask (24 to 28: Alibaba Cloud allocates a free block of that size), not both. After an allocation by cidr_mask you may replace cidr_mask with the allocated cidr_block without a change.",
        )
        .at(AttrPath::attr("cidr_mask"))
        .into(),
        (Value::Null, Value::Null) => Diagnostic::error(
            "Missing cidr_block or cidr_mask",
            "Set exactly one of cidr_block (a block of your own, e.g. \"47.0.0.0/24\") and cidr_mask (24 to 28: Alibaba Cloud allocates a free block of that size).",
        )
        .at(AttrPath::attr("cidr_block"))
        .into(),
        _ => Diagnostics::default(),
    }
}

/// An import ID: (region if named, pool ID, block).
pub fn import_id(id: &str) -> Result<(Option<&str>, &str, Ipv4Net), Diagnostic> {
    let bad = |why: String| {
        Diagnostic::error(
            "Invalid import ID",
            format!("{why} The import ID of a CIDR block is {IMPORT_FORMS}."),
        )
    };
    let parts: Vec<&str> = id.trim().split(':').collect();
    let (region, pool, block) = match parts.as_slice() {
        [pool, block] => (None, *pool, *block),
        [region, pool, block] => (Some(*region), *pool, *block),
        _ => {
            return Err(bad(format!(
                "{id:?} does not have the form of a CIDR block ID."
            )));
        }
    };
    if let Some(r) = region {
        crate::provider::region::check(r, true).map_err(|e| bad(e.detail))?;
    }
    pool_id(pool).map_err(bad)?;
    let net = cidr(block).map_err(bad)?;
    Ok((region, pool, net))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_must_be_canonical_networks_of_24_to_28() {
        assert!(cidr("47.0.0.0/24").is_ok());
        assert!(cidr("47.0.0.16/28").is_ok());
        for bad in [
            "",
            "47.0.0.0",
            "47.0.0.1/24",
            "47.0.0.0/23",
            "47.0.0.0/29",
            "047.0.0.0/24",
            "47.0.0.0/024",
            "::/24",
            "47.0.0.0/24 ",
            "x",
        ] {
            assert!(cidr(bad).is_err(), "{bad:?}");
        }
        assert!(
            cidr("47.0.0.1/24")
                .expect_err("host bits")
                .contains("47.0.0.0/24")
        );
    }

    #[test]
    fn exactly_one_of_block_and_mask_each_error_on_its_attribute() {
        let pool = Value::Known("pippool-abc123".to_string());
        let block = Value::Known("47.0.0.0/24".to_string());
        let mask = Value::Known(Number(28));
        let at = |d: &Diagnostics| d.0.iter().map(|d| d.attribute.clone()).collect::<Vec<_>>();
        assert!(validate(&pool, &block, &Value::Null).is_empty());
        assert!(validate(&pool, &Value::Null, &mask).is_empty());
        assert!(validate(&pool, &Value::Unknown, &Value::Null).is_empty());
        let both = validate(&pool, &block, &mask);
        assert_eq!(at(&both), vec![Some(AttrPath::attr("cidr_mask"))]);
        // Known later: perhaps null then, so no conflict yet; but an unknown names one.
        assert!(validate(&pool, &block, &Value::Unknown).is_empty());
        assert!(validate(&pool, &Value::Unknown, &Value::Unknown).is_empty());
        assert!(validate(&pool, &Value::Null, &Value::Unknown).is_empty());
        let neither = validate(&pool, &Value::Null, &Value::Null);
        assert_eq!(at(&neither), vec![Some(AttrPath::attr("cidr_block"))]);
        let wrong = validate(
            &Value::Known("vpc-1".into()),
            &Value::Null,
            &Value::Known(Number(29)),
        );
        assert_eq!(
            at(&wrong),
            vec![
                Some(AttrPath::attr("cidr_mask")),
                Some(AttrPath::attr("public_ip_address_pool_id"))
            ]
        );
    }

    #[test]
    fn import_ids_in_both_forms_and_malformed_ones_name_the_forms() {
        let (r, p, n) = import_id("pippool-abc:47.0.0.0/24").expect("short form");
        assert_eq!(
            (r, p, n.to_string().as_str()),
            (None, "pippool-abc", "47.0.0.0/24")
        );
        let (r, _, _) = import_id("cn-shanghai:pippool-abc:47.0.0.16/28").expect("long form");
        assert_eq!(r, Some("cn-shanghai"));
        for bad in [
            "",
            ":",
            "pippool-abc",
            "47.0.0.0/24",
            "pippool-abc:47.0.0.1/24",
            "vpc-1:47.0.0.0/24",
            "Not A Region:pippool-abc:47.0.0.0/24",
            "a:b:c:d",
            "cn-shanghai:pippool-é:47.0.0.0/24",
        ] {
            let e = import_id(bad).expect_err(bad);
            assert_eq!(e.summary, "Invalid import ID");
            assert!(
                e.detail.contains("cn-shanghai:pippool-xxxx:47.0.0.0/24"),
                "{bad}: {}",
                e.detail
            );
            assert!(
                e.detail.contains("`pippool-xxxx:47.0.0.0/24`"),
                "{bad}: {}",
                e.detail
            );
        }
    }
}
