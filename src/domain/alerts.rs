//! Seeing an incident early: a day whose complaints are far above the provider's recent
//! baseline.
//!
//! The test: the day's count `k` is at least `MIN_COUNT`, and under a Poisson law whose
//! mean is the provider's average over the previous `BASELINE_DAYS` days (days without a
//! complaint count as 0), the chance of `k` or more is below `MAX_TAIL`. A steady provider
//! of any size stays under it; fifty thousand people cut at once do not.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

pub const BASELINE_DAYS: i64 = 28;
pub const MIN_COUNT: i64 = 20;
pub const MAX_TAIL: f64 = 1e-4;

/// One day far above its baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Spike {
    pub day: NaiveDate,
    pub count: i64,
    /// The previous days' mean.
    pub baseline: f64,
    /// P(X >= count) for X ~ Poisson(baseline).
    pub tail: f64,
}

/// P(X >= k) for X ~ Poisson(mean). Exact enough for the decision when k > mean; for
/// k <= mean it answers 1 (the tail is then at least about one half: never a spike).
pub fn poisson_upper_tail(k: i64, mean: f64) -> f64 {
    if k <= 0 {
        return 1.0;
    }
    if mean <= 0.0 {
        return 0.0;
    }
    if (k as f64) <= mean {
        return 1.0;
    }
    // log P(X = k) = -mean + k ln(mean) - ln(k!), then each next term is the previous
    // times mean / (i + 1): decreasing, since i >= k > mean.
    let ln_fact: f64 = (2..=k).map(|i| (i as f64).ln()).sum();
    let mut term = (-mean + k as f64 * mean.ln() - ln_fact).exp();
    let mut sum = 0.0;
    let mut i = k;
    while term > sum * 1e-15 && term > 0.0 {
        sum += term;
        i += 1;
        term *= mean / i as f64;
    }
    sum.min(1.0)
}

/// Whether `count` complaints in a day is a spike over `baseline`.
pub fn spike(day: NaiveDate, count: i64, baseline: f64) -> Option<Spike> {
    if count < MIN_COUNT {
        return None;
    }
    let tail = poisson_upper_tail(count, baseline);
    (tail < MAX_TAIL).then_some(Spike {
        day,
        count,
        baseline,
        tail,
    })
}

/// The spikes among days `from..=to` of one provider's daily counts (missing days are 0).
pub fn spikes(daily: &BTreeMap<NaiveDate, i64>, from: NaiveDate, to: NaiveDate) -> Vec<Spike> {
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        let count = daily.get(&day).copied().unwrap_or(0);
        if count >= MIN_COUNT {
            let start = day - Duration::days(BASELINE_DAYS);
            let before: i64 = daily.range(start..day).map(|(_, n)| *n).sum();
            if let Some(s) = spike(day, count, before as f64 / BASELINE_DAYS as f64) {
                out.push(s);
            }
        }
        day += Duration::days(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2009, 6, 1).unwrap() + Duration::days(n)
    }

    #[test]
    fn the_tail_matches_known_values() {
        // P(X >= 3 | 2) = 1 - e^-2 (1 + 2 + 2).
        assert!((poisson_upper_tail(3, 2.0) - (1.0 - 5.0 * (-2.0f64).exp())).abs() < 1e-9);
        // At or below the mean it only says "not small".
        assert_eq!(poisson_upper_tail(1, 2.0), 1.0);
        // P(X >= 3 | 1) = 1 - e^-1 (1 + 1 + 1/2) = 0.0803013971
        assert!((poisson_upper_tail(3, 1.0) - 0.080_301_397_1).abs() < 1e-9);
        // Large means do not underflow.
        let t = poisson_upper_tail(1200, 1000.0);
        assert!(t > 1e-12 && t < 1e-8, "{t}");
        assert_eq!(poisson_upper_tail(5, 0.0), 0.0);
    }

    #[test]
    fn twenty_is_the_least_that_alerts() {
        assert!(spike(d(0), 19, 0.0).is_none());
        assert!(spike(d(0), 20, 0.0).is_some());
        // 20 where 10 a day is usual: P ~ 0.0035, not a spike.
        assert!(spike(d(0), 20, 10.0).is_none());
        assert!(spike(d(0), 40, 10.0).is_some());
    }

    /// Counts that stay within two standard deviations of a steady mean.
    fn steady(mean: u32, wobble: Vec<i8>) -> BTreeMap<NaiveDate, i64> {
        let sd = f64::from(mean).sqrt();
        wobble
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let n = f64::from(mean) + sd * 2.0 * f64::from(*w) / 128.0;
                (d(i as i64), n.round().max(0.0) as i64)
            })
            .collect()
    }

    proptest! {
        #[test]
        fn a_steady_provider_raises_no_alert(mean in 0u32..2000, wobble in prop::collection::vec(any::<i8>(), 90)) {
            let daily = steady(mean, wobble);
            prop_assert!(spikes(&daily, d(BASELINE_DAYS), d(89)).is_empty());
        }

        #[test]
        fn a_planted_spike_is_found_the_day_it_starts(
            mean in 0u32..500,
            wobble in prop::collection::vec(any::<i8>(), 90),
            start in 40i64..80,
            extra in 0i64..5000,
        ) {
            let mut daily = steady(mean, wobble);
            // An outage: at least 20 and six standard deviations above the mean, for days.
            let jump = (i64::from(mean) + 6 * (f64::from(mean).sqrt().ceil() as i64) + 20).max(20) + extra;
            for day in start..90 {
                *daily.entry(d(day)).or_default() += jump;
            }
            let found = spikes(&daily, d(BASELINE_DAYS), d(89));
            prop_assert_eq!(found.first().map(|s| s.day), Some(d(start)));
        }
    }
}
