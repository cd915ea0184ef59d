//! Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
//! Jitter"): spreading retries uniformly keeps many clients from hammering a throttled API in
//! lock-step.

use std::time::Duration;

use rand::Rng;

/// Upper bound of the delay before retry number `retry` (0 for the first retry):
/// `min(max, base * 2^retry)`, saturating.
pub fn backoff_ceiling(retry: u32, base: Duration, max: Duration) -> Duration {
    let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
    base.checked_mul(factor).unwrap_or(max).min(max)
}

/// Delay before retry number `retry`: uniform in `0..=backoff_ceiling(retry, base, max)`.
pub fn backoff_delay(retry: u32, base: Duration, max: Duration, rng: &mut impl Rng) -> Duration {
    let ceiling = backoff_ceiling(retry, base, max);
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(rng.random_range(0..=nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_grows_and_caps() {
        let base = Duration::from_millis(500);
        let max = Duration::from_secs(10);
        assert_eq!(backoff_ceiling(0, base, max), Duration::from_millis(500));
        assert_eq!(backoff_ceiling(1, base, max), Duration::from_secs(1));
        assert_eq!(backoff_ceiling(4, base, max), Duration::from_secs(8));
        assert_eq!(backoff_ceiling(5, base, max), max);
        assert_eq!(backoff_ceiling(u32::MAX, base, max), max);
    }

    #[test]
    fn jittered_delays_stay_within_bounds() {
        let mut rng = rand::rng();
        let base = Duration::from_millis(10);
        let max = Duration::from_millis(300);
        for retry in 0..40 {
            let ceiling = backoff_ceiling(retry, base, max);
            for _ in 0..200 {
                let d = backoff_delay(retry, base, max, &mut rng);
                assert!(
                    d <= ceiling && d <= max,
                    "retry {retry}: {d:?} > {ceiling:?}"
                );
            }
        }
    }

    #[test]
    fn zero_base_means_no_wait() {
        let mut rng = rand::rng();
        assert_eq!(
            backoff_delay(3, Duration::ZERO, Duration::from_secs(1), &mut rng),
            Duration::ZERO
        );
    }
}
