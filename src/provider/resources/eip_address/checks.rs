//! Plan-time checks of `alicloudvpc_eip_address` arguments, each error on its attribute, and
//! the mapping between the API's values and the state's.

use std::net::Ipv4Addr;

use crate::alicloud::vpc::EipAddress;
use crate::alicloud::vpc::eips::EIP_ISPS;
use crate::provider::pool_rules;
use crate::provider::region;
use crate::tf::{AttrPath, Diagnostic, Diagnostics, List, Map, Number, Value};

use super::EipState;

pub const INTERNET_CHARGE_TYPES: &[&str] = &["PayByBandwidth", "PayByTraffic"];

/// The only payment type the resource supports: a subscription EIP has a term, an order and
/// auto-renewal that Terraform cannot manage, and Alibaba refuses to release it by API.
pub const PAY_AS_YOU_GO: &str = "PayAsYouGo";

pub fn validate(c: &EipState) -> Diagnostics {
    let mut d = region::validate_attr(&c.region_id);
    d.extend(pool_rules::text("address_name", &c.address_name, 128));
    d.extend(pool_rules::text("description", &c.description, 256));
    d.extend(pool_rules::one_of("isp", &c.isp, EIP_ISPS));
    d.extend(pool_rules::one_of(
        "internet_charge_type",
        &c.internet_charge_type,
        INTERNET_CHARGE_TYPES,
    ));
    d.extend(pool_rules::tags(&c.tags));
    d.extend(payment_type(&c.payment_type));
    d.extend(bandwidth(&c.bandwidth, &c.internet_charge_type));
    if let Value::Known(ip) = &c.ip_address
        && ip.parse::<Ipv4Addr>().is_err()
    {
        d.push(
            Diagnostic::error(
                "Invalid ip_address",
                format!("{ip:?} is not an IPv4 address such as \"47.0.0.10\"."),
            )
            .at(AttrPath::attr("ip_address")),
        );
    }
    if let Value::Known(p) = &c.public_ip_address_pool_id
        && (!p.starts_with("pippool-") || p.len() <= "pippool-".len())
    {
        d.push(
            Diagnostic::error(
                "Invalid public_ip_address_pool_id",
                format!("{p:?} is not a pool ID; pool IDs look like \"pippool-6wetvn6fumkgycssx\" (alicloudvpc_public_ip_address_pool.<name>.id)."),
            )
            .at(AttrPath::attr("public_ip_address_pool_id")),
        );
    }
    d.extend(conflicts(c));
    d
}

/// `zone` with `public_ip_address_pool_id`, which Alibaba refuses. A value unknown at
/// validation may still turn out null (a module's variable), so this is checked again at
/// plan, where the configuration's values are known.
pub fn conflicts(c: &EipState) -> Diagnostics {
    if matches!(c.zone, Value::Known(_)) && matches!(c.public_ip_address_pool_id, Value::Known(_)) {
        return Diagnostic::error(
            "zone and public_ip_address_pool_id together",
            "Alibaba Cloud does not take a zone for an EIP allocated from a pool (ExclusiveParam.ZoneAndPublicIpAddressPoolId). Remove zone, or allocate outside the pool.",
        )
        .at(AttrPath::attr("zone"))
        .into();
    }
    Diagnostics::default()
}

/// A replacement of a protected EIP: Alibaba would refuse to release the old one halfway
/// through the apply (or, with `create_before_destroy`, leave it deposed for good), so the
/// plan says so on the attribute that forces it.
pub fn protected_replacement(prior: &EipState, planned: &EipState) -> Diagnostics {
    if prior.deletion_protection != Value::Known(true) {
        return Diagnostics::default();
    }
    let strings = [
        ("region_id", &prior.region_id, &planned.region_id),
        (
            "public_ip_address_pool_id",
            &prior.public_ip_address_pool_id,
            &planned.public_ip_address_pool_id,
        ),
        ("ip_address", &prior.ip_address, &planned.ip_address),
        ("isp", &prior.isp, &planned.isp),
        (
            "internet_charge_type",
            &prior.internet_charge_type,
            &planned.internet_charge_type,
        ),
        ("payment_type", &prior.payment_type, &planned.payment_type),
        ("zone", &prior.zone, &planned.zone),
    ];
    // A value the prior state lacks (a moved state before its first refresh) is filled in,
    // not changed, as the shared plan rules count it.
    let changed = strings
        .into_iter()
        .find(|(_, a, b)| !a.is_null() && a != b)
        .map(|(name, _, _)| name)
        .or_else(|| {
            let (a, b) = (
                &prior.security_protection_types,
                &planned.security_protection_types,
            );
            (!a.is_null() && a != b).then_some("security_protection_types")
        });
    match changed {
        None => Diagnostics::default(),
        Some(attr) => Diagnostic::error(
            "Deletion protection is on",
            format!("Changing {attr} replaces the EIP, but it has deletion_protection = true, so Alibaba Cloud would refuse to release the old one. Set deletion_protection = false and run terraform apply first, then change {attr}."),
        )
        .at(AttrPath::attr(attr))
        .into(),
    }
}

fn payment_type(v: &Value<String>) -> Diagnostics {
    match v.as_known().map(String::as_str) {
        None | Some(PAY_AS_YOU_GO) => Diagnostics::default(),
        Some(s @ ("Subscription" | "PrePaid")) => Diagnostic::error(
            "Subscription EIPs are not supported",
            format!("payment_type = {s:?} is not supported: a subscription EIP has a term and an order that Terraform cannot manage, and Alibaba Cloud does not release it before its term ends. Use payment_type = \"PayAsYouGo\" (the default), or manage subscription EIPs outside Terraform."),
        )
        .at(AttrPath::attr("payment_type"))
        .into(),
        Some(s) => Diagnostic::error(
            "Invalid payment_type",
            format!("{s:?} is not a payment type this resource supports; use \"PayAsYouGo\" (the default)."),
        )
        .at(AttrPath::attr("payment_type"))
        .into(),
    }
}

/// 1 to 500 Mbit/s charged by bandwidth (Alibaba's default), 1 to 200 charged by traffic.
fn bandwidth(v: &Value<Number>, charge: &Value<String>) -> Diagnostics {
    let Value::Known(Number(n)) = v else {
        return Diagnostics::default();
    };
    let by_traffic = charge.as_known().is_some_and(|c| c == "PayByTraffic");
    let max = if by_traffic { 200 } else { 500 };
    if (1..=max).contains(n) {
        return Diagnostics::default();
    }
    let charged = if by_traffic {
        "charged by traffic (PayByTraffic)"
    } else {
        "charged by bandwidth (PayByBandwidth)"
    };
    Diagnostic::error(
        "Invalid bandwidth",
        format!("bandwidth is {n}; a pay-as-you-go EIP {charged} takes 1 to {max} Mbit/s."),
    )
    .at(AttrPath::attr("bandwidth"))
    .into()
}

/// `""` from the API is null in state unless the state already holds `""`, so that an unset
/// value and an explicitly empty one both plan empty.
fn text(api: &str, current: &Value<String>) -> Value<String> {
    match (api.is_empty(), current) {
        (true, Value::Known(s)) if s.is_empty() => Value::Known(String::new()),
        (true, _) => Value::Null,
        (false, _) => Value::Known(api.to_string()),
    }
}

/// Alibaba's `ChargeType` as the payment type users write.
pub fn payment_of(charge_type: &str) -> &'static str {
    match charge_type {
        "PrePaid" => "Subscription",
        _ => PAY_AS_YOU_GO,
    }
}

/// The state of `eip` as Alibaba reports it, keeping `current`'s form where it is a choice.
pub fn state_of(eip: &EipAddress, region: &str, current: &EipState) -> EipState {
    let tags = pool_rules::user_tags(&eip.tags);
    let mut protection = eip.security_protection_types.clone();
    protection.sort();
    EipState {
        id: Value::Known(eip.allocation_id.clone()),
        region_id: Value::Known(region.to_string()),
        public_ip_address_pool_id: text(
            &eip.public_ip_address_pool_id,
            &current.public_ip_address_pool_id,
        ),
        ip_address: Value::Known(eip.ip_address.clone()),
        address_name: text(&eip.name, &current.address_name),
        description: text(&eip.description, &current.description),
        bandwidth: Value::from_option(eip.own_bandwidth().map(Number)),
        isp: Value::Known(eip.isp.clone()),
        internet_charge_type: Value::Known(eip.internet_charge_type.clone()),
        payment_type: Value::Known(payment_of(&eip.charge_type).to_string()),
        resource_group_id: Value::Known(eip.resource_group_id.clone()),
        // No tags is null unless the configuration says `tags = {}`.
        tags: if tags.is_empty() && !matches!(current.tags, Value::Known(_)) {
            Value::Null
        } else {
            Map::of(tags)
        },
        deletion_protection: Value::Known(eip.deletion_protection),
        security_protection_types: List::of(protection),
        zone: Value::Known(eip.zone.clone()),
        allocation_id: Value::Known(eip.allocation_id.clone()),
        status: Value::Known(eip.status.clone()),
        create_time: Value::Known(eip.allocation_time.clone()),
        timeouts: current.timeouts.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(d: &Diagnostics) -> Vec<String> {
        d.0.iter()
            .map(|d| format!("{}@{:?}", d.summary, d.attribute))
            .collect()
    }

    fn config() -> EipState {
        EipState::default()
    }

    #[test]
    fn each_bad_argument_is_an_error_on_its_attribute() {
        assert!(validate(&config()).is_empty());
        let c = EipState {
            payment_type: Value::Known("Subscription".into()),
            ..config()
        };
        let d = validate(&c);
        assert_eq!(d.0.len(), 1, "{:?}", at(&d));
        assert_eq!(
            d.0.first().map(|d| d.attribute.clone()),
            Some(Some(AttrPath::attr("payment_type")))
        );
        assert!(d.0.iter().any(|d| d.detail.contains("PayAsYouGo")));

        let c = EipState {
            bandwidth: Value::Known(Number(300)),
            internet_charge_type: Value::Known("PayByTraffic".into()),
            ..config()
        };
        let d = validate(&c);
        assert!(
            d.0.iter().any(|d| d.detail.contains("1 to 200")),
            "{:?}",
            at(&d)
        );
        let c = EipState {
            bandwidth: Value::Known(Number(300)),
            ..config()
        };
        assert!(validate(&c).is_empty(), "300 is fine charged by bandwidth");
        let c = EipState {
            bandwidth: Value::Known(Number(0)),
            ..config()
        };
        assert!(validate(&c).has_errors());

        let c = EipState {
            ip_address: Value::Known("47.0.0.256".into()),
            public_ip_address_pool_id: Value::Known("pool-1".into()),
            zone: Value::Known("cn-hangzhou-a".into()),
            internet_charge_type: Value::Known("PayByHour".into()),
            ..config()
        };
        let d = validate(&c);
        let attrs: Vec<_> = d.0.iter().filter_map(|d| d.attribute.clone()).collect();
        for a in [
            "ip_address",
            "public_ip_address_pool_id",
            "zone",
            "internet_charge_type",
        ] {
            assert!(attrs.contains(&AttrPath::attr(a)), "{a}: {:?}", at(&d));
        }
    }

    #[test]
    fn a_protected_eip_is_not_replaced() {
        let prior = EipState {
            ip_address: Value::Known("47.0.0.1".into()),
            deletion_protection: Value::Known(true),
            ..config()
        };
        assert!(protected_replacement(&prior, &prior.clone()).is_empty());
        let moved = EipState {
            ip_address: Value::Known("47.0.0.2".into()),
            ..prior.clone()
        };
        let d = protected_replacement(&prior, &moved);
        assert_eq!(
            d.0.first().map(|d| d.attribute.clone()),
            Some(Some(AttrPath::attr("ip_address")))
        );
        let unprotected = EipState {
            deletion_protection: Value::Known(false),
            ..prior.clone()
        };
        assert!(protected_replacement(&unprotected, &moved).is_empty());
        let before_refresh = EipState {
            region_id: Value::Null,
            ..prior.clone()
        };
        let filled_in = EipState {
            region_id: Value::Known("cn-hangzhou".into()),
            ..prior.clone()
        };
        assert!(protected_replacement(&before_refresh, &filled_in).is_empty());
    }

    #[test]
    fn unknown_values_are_checked_later() {
        let c = EipState {
            bandwidth: Value::Unknown,
            payment_type: Value::Unknown,
            ip_address: Value::Unknown,
            zone: Value::Unknown,
            public_ip_address_pool_id: Value::Known("pippool-1".into()),
            ..config()
        };
        assert!(validate(&c).is_empty());
    }

    #[test]
    fn api_values_map_to_state() {
        let eip = EipAddress {
            allocation_id: "eip-1".into(),
            ip_address: "47.0.0.1".into(),
            bandwidth: "10".into(),
            charge_type: "PostPaid".into(),
            security_protection_types: vec!["b".into(), "a".into()],
            ..Default::default()
        };
        let s = state_of(&eip, "cn-hangzhou", &config());
        assert_eq!(s.bandwidth, Value::Known(Number(10)));
        assert_eq!(s.payment_type, Value::Known("PayAsYouGo".into()));
        assert_eq!(s.public_ip_address_pool_id, Value::Null);
        assert_eq!(s.address_name, Value::Null);
        assert_eq!(s.tags, Value::Null);
        assert_eq!(
            s.security_protection_types,
            List::of(vec!["a".to_string(), "b".to_string()])
        );
        let current = EipState {
            address_name: Value::Known(String::new()),
            tags: Map::of(Vec::<(String, String)>::new()),
            ..config()
        };
        let s = state_of(&eip, "cn-hangzhou", &current);
        assert_eq!(s.address_name, Value::Known(String::new()));
        assert!(matches!(s.tags, Value::Known(_)));
    }
}
