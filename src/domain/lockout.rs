//! Login throttling: how long a key (an account or an address) stays locked.

use chrono::{Duration, NaiveDateTime};

/// The limits: at most `max_failures` failed logins within `window`.
#[derive(Debug, Clone, Copy)]
pub struct LockoutRule {
    pub max_failures: usize,
    pub window: Duration,
}

impl LockoutRule {
    /// `recent` holds failure times, newest first (at least the `max_failures` newest).
    /// Returns how long the key stays locked, or `None` when another attempt is allowed.
    /// The lock ends when the `max_failures`-th newest failure leaves the window.
    pub fn locked_for(&self, recent: &[NaiveDateTime], now: NaiveDateTime) -> Option<Duration> {
        if self.max_failures == 0 {
            return None;
        }
        let oldest_counted = recent.get(self.max_failures - 1)?;
        let ends = *oldest_counted + self.window;
        (ends > now).then(|| ends - now)
    }
}

/// Seconds for a `Retry-After` header: rounded up, at least one.
pub fn retry_after_secs(d: Duration) -> i64 {
    let ms = d.num_milliseconds().max(1);
    (ms + 999) / 1000
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(minute: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + minute * 60, 0)
            .unwrap()
            .naive_utc()
    }

    const RULE: LockoutRule = LockoutRule {
        max_failures: 5,
        window: Duration::minutes(15),
    };

    #[test]
    fn four_failures_do_not_lock() {
        let recent = [t(4), t(3), t(2), t(1)];
        assert_eq!(RULE.locked_for(&recent, t(5)), None);
    }

    #[test]
    fn five_failures_lock_until_the_fifth_newest_leaves_the_window() {
        let recent = [t(5), t(4), t(3), t(2), t(1)];
        assert_eq!(RULE.locked_for(&recent, t(6)), Some(Duration::minutes(10)));
        assert_eq!(RULE.locked_for(&recent, t(15)), Some(Duration::minutes(1)));
        assert_eq!(RULE.locked_for(&recent, t(16)), None);
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_secs(Duration::milliseconds(1)), 1);
        assert_eq!(retry_after_secs(Duration::milliseconds(1001)), 2);
        assert_eq!(retry_after_secs(Duration::minutes(15)), 900);
    }

    proptest! {
        #[test]
        fn locked_exactly_when_the_window_holds_enough_failures(
            mut minutes in proptest::collection::vec(0i64..60, 0..12),
            now in 0i64..80,
        ) {
            minutes.retain(|m| *m <= now);
            minutes.sort_unstable_by(|a, b| b.cmp(a));
            let recent: Vec<_> = minutes.iter().map(|m| t(*m)).collect();
            let in_window = minutes.iter().filter(|m| t(**m) + RULE.window > t(now)).count();
            let locked = RULE.locked_for(&recent, t(now));
            prop_assert_eq!(locked.is_some(), in_window >= RULE.max_failures);
            if let Some(d) = locked {
                prop_assert!(d > Duration::zero() && d <= RULE.window);
            }
        }
    }
}
