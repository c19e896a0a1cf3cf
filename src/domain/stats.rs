//! Statistics maths for the public pages: rates per 100,000 subscribers with their Wilson
//! interval, shares hidden below a minimum volume, medians of day histograms.

/// Rates and percentages are shown only at or above this many complaints in the selection.
pub const MIN_VOLUME: i64 = 10;

/// The split by kind, claim states and outcomes, and amounts claimed and refunded are shown
/// only at or above this many complaints in the selection: below it they could describe one
/// person's complaint. The number of complaints is always shown.
pub const MIN_BREAKDOWN: i64 = 5;

/// Whether a selection of `complaints` complaints may show its breakdown.
pub fn breakdown_shown(complaints: i64) -> bool {
    complaints >= MIN_BREAKDOWN
}

/// The confidence level of the rates' intervals, in percent.
pub const CONFIDENCE: i64 = 95;

/// The normal quantile for a two-sided interval at CONFIDENCE (95 %).
pub const Z_95: f64 = 1.959964;

/// Rates are complaints per this many subscribers.
pub const PER: i64 = 100_000;

/// Complaints per 100,000 subscribers with its 95 % Wilson score interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_100k: f64,
    pub low: f64,
    pub high: f64,
}

/// Complaints per 100,000 subscribers with its 95 % Wilson score interval (z = 1.959964),
/// treating complaints as successes among `subscribers` trials. None when subscribers <= 0,
/// complaints < 0, complaints > subscribers, or complaints < MIN_VOLUME (the rate is hidden
/// below the minimum volume).
pub fn per_100k(complaints: i64, subscribers: Option<i64>) -> Option<Rate> {
    let n = subscribers?;
    if complaints < MIN_VOLUME {
        return None;
    }
    let (low, high) = wilson(complaints, n)?;
    Some(Rate {
        per_100k: complaints as f64 / n as f64 * PER as f64,
        low: low * PER as f64,
        high: high * PER as f64,
    })
}

/// The 95 % Wilson score interval of k successes in n trials, as proportions in [0, 1].
/// None when n <= 0 or k outside 0..=n.
pub fn wilson(k: i64, n: i64) -> Option<(f64, f64)> {
    if n <= 0 || k < 0 || k > n {
        return None;
    }
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z_95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    // The interval always holds p; clamping keeps rounding from pushing it past p or [0, 1].
    let low = (centre - half).clamp(0.0, 1.0).min(p);
    let high = (centre + half).clamp(0.0, 1.0).max(p);
    Some((low, high))
}

/// A share in whole percent (rounded half up), hidden (None) when its base `whole` is below
/// MIN_VOLUME: a share of few claims says little, whatever the number of complaints around
/// it ("answered in time 100 %" of one claim).
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    if whole < MIN_VOLUME {
        return None;
    }
    // floor(100 * part / whole + 1/2), exactly, in integers wide enough not to overflow.
    let (part, whole) = (i128::from(part), i128::from(whole));
    let rounded = (200 * part + whole).div_euclid(2 * whole);
    i64::try_from(rounded).ok()
}

/// The median of a histogram of (value, count) pairs in any order (values are days,
/// counts >= 0; a negative count counts as zero). For an even total the median is the mean
/// of the two middle values, rounded half up to a whole day. None for an empty histogram
/// (all counts zero).
pub fn median(histogram: &[(i64, i64)]) -> Option<i64> {
    let mut bins: Vec<(i64, i128)> = histogram
        .iter()
        .filter(|(_, count)| *count > 0)
        .map(|&(value, count)| (value, i128::from(count)))
        .collect();
    bins.sort_unstable_by_key(|&(value, _)| value);
    let total: i128 = bins.iter().map(|&(_, count)| count).sum();
    if total == 0 {
        return None;
    }
    // The value at 0-based position `index` of the sorted observations.
    let at = |index: i128| {
        let mut seen = 0;
        for &(value, count) in &bins {
            seen += count;
            if index < seen {
                return value;
            }
        }
        bins[bins.len() - 1].0
    };
    let (a, b) = if total % 2 == 1 {
        let middle = at(total / 2);
        (middle, middle)
    } else {
        (at(total / 2 - 1), at(total / 2))
    };
    let mean = (i128::from(a) + i128::from(b) + 1).div_euclid(2);
    i64::try_from(mean).ok()
}

/// A rate for display: one decimal under 100 ("12.3"), none from 100 on ("1234"), no
/// thousands separator; the web layer localises the decimal point.
pub fn format_rate(value: f64) -> String {
    let tenths = (value * 10.0).round();
    if tenths.abs() < 1000.0 {
        // `+ 0.0` turns a negative zero into "0.0" rather than "-0.0".
        format!("{:.1}", tenths / 10.0 + 0.0)
    } else {
        format!("{:.0}", value.round())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn breakdowns_need_five_complaints() {
        assert!(!breakdown_shown(0));
        assert!(!breakdown_shown(4));
        assert!(breakdown_shown(5));
        // A shown rate always has its breakdown.
        const { assert!(MIN_BREAKDOWN < MIN_VOLUME) };
    }

    fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= tolerance
    }

    fn assert_interval(actual: Option<(f64, f64)>, expected: (f64, f64)) {
        let (low, high) = actual.expect("an interval");
        assert!(
            close(low, expected.0, 1e-4) && close(high, expected.1, 1e-4),
            "{actual:?} is not about {expected:?}"
        );
    }

    #[test]
    fn wilson_hand_checked() {
        assert_interval(wilson(10, 100), (0.0552, 0.1744));
        assert_interval(wilson(50, 100), (0.4038, 0.5962));
        assert_interval(wilson(0, 10), (0.0, 0.2775));
        assert_interval(wilson(10, 10), (0.7225, 1.0));
        assert_interval(wilson(1, 1), (0.2065, 1.0));
    }

    #[test]
    fn wilson_edges() {
        assert_eq!(wilson(0, 0), None);
        assert_eq!(wilson(1, 0), None);
        assert_eq!(wilson(0, -5), None);
        assert_eq!(wilson(-1, 10), None);
        assert_eq!(wilson(11, 10), None);
        // Zero successes start at exactly 0; all successes end at exactly 1.
        assert_eq!(wilson(0, 1_000).unwrap().0, 0.0);
        assert_eq!(wilson(1_000, 1_000).unwrap().1, 1.0);
        // Huge counts stay finite and ordered.
        let (low, high) = wilson(i64::MAX / 2, i64::MAX).unwrap();
        assert!(low.is_finite() && high.is_finite() && low <= high);
    }

    #[test]
    fn rate_per_100k_hand_checked() {
        let rate = per_100k(10, Some(100_000)).unwrap();
        assert!(close(rate.per_100k, 10.0, 1e-9));
        assert!(close(rate.low, 5.4321, 1e-3), "{rate:?}");
        assert!(close(rate.high, 18.4085, 1e-3), "{rate:?}");

        let rate = per_100k(10, Some(100)).unwrap();
        assert!(close(rate.per_100k, 10_000.0, 1e-9));
        assert!(close(rate.low, 5_523.0, 10.0), "{rate:?}");
        assert!(close(rate.high, 17_437.0, 10.0), "{rate:?}");

        let rate = per_100k(250, Some(2_000_000)).unwrap();
        assert!(close(rate.per_100k, 12.5, 1e-9));
        assert!(close(rate.low, 11.0437, 1e-3) && close(rate.high, 14.1484, 1e-3));
    }

    #[test]
    fn rate_hidden_or_undefined() {
        assert_eq!(per_100k(9, Some(100_000)), None, "below the minimum volume");
        assert!(per_100k(MIN_VOLUME, Some(100_000)).is_some());
        assert_eq!(per_100k(50, None), None, "no declared subscriber count");
        assert_eq!(per_100k(50, Some(0)), None);
        assert_eq!(per_100k(50, Some(-10)), None);
        assert_eq!(per_100k(-1, Some(100)), None);
        assert_eq!(per_100k(101, Some(100)), None);
        let all = per_100k(100, Some(100)).unwrap();
        assert_eq!((all.per_100k, all.high), (100_000.0, 100_000.0));
    }

    #[test]
    fn percent_rounds_half_up_and_hides_small_bases() {
        assert_eq!(percent(10, 30), Some(33));
        assert_eq!(percent(20, 30), Some(67));
        assert_eq!(percent(10, 80), Some(13), "12.5 rounds up");
        assert_eq!(percent(1, 200), Some(1), "0.5 rounds up");
        assert_eq!(percent(1, 201), Some(0));
        assert_eq!(percent(0, 10), Some(0));
        assert_eq!(percent(12, 12), Some(100));
        assert_eq!(percent(9, 9), None, "a base below the minimum volume");
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(1, -3), None);
        assert_eq!(percent(i64::MAX, i64::MAX), Some(100));
    }

    #[test]
    fn median_hand_checked() {
        assert_eq!(median(&[(3, 1)]), Some(3));
        assert_eq!(median(&[(2, 1), (1, 1), (3, 1)]), Some(2), "any order");
        assert_eq!(median(&[(1, 1), (2, 1)]), Some(2), "1.5 rounds up");
        assert_eq!(median(&[(1, 1), (4, 1)]), Some(3), "2.5 rounds up");
        assert_eq!(median(&[(1, 1), (5, 1)]), Some(3));
        assert_eq!(median(&[(10, 1), (5, 2), (1, 1)]), Some(5));
        assert_eq!(median(&[(7, 3), (30, 1)]), Some(7));
        assert_eq!(median(&[(0, 5), (100, 5)]), Some(50));
        assert_eq!(
            median(&[(0, 5), (99, 0), (100, 5)]),
            Some(50),
            "zero bins ignored"
        );
        assert_eq!(median(&[(4, 2), (4, 3)]), Some(4), "repeated values add up");
        assert_eq!(median(&[(-3, 1), (0, 1)]), Some(-1), "-1.5 rounds up to -1");
        assert_eq!(median(&[(1, 1_000_000), (9, 1_000_001)]), Some(9));
        assert_eq!(median(&[(i64::MAX, 2)]), Some(i64::MAX));
    }

    #[test]
    fn median_of_nothing() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(3, 0), (8, 0)]), None);
        assert_eq!(median(&[(3, -2)]), None);
    }

    #[test]
    fn rates_for_display() {
        assert_eq!(format_rate(12.34), "12.3");
        assert_eq!(format_rate(12.35001), "12.4");
        assert_eq!(format_rate(5.0), "5.0");
        assert_eq!(format_rate(0.0), "0.0");
        assert_eq!(format_rate(-0.01), "0.0");
        assert_eq!(format_rate(99.94), "99.9");
        assert_eq!(
            format_rate(99.96),
            "100",
            "rounds into the no-decimal range"
        );
        assert_eq!(format_rate(100.0), "100");
        assert_eq!(format_rate(1234.4), "1234");
        assert_eq!(format_rate(1234.6), "1235");
        assert_eq!(format_rate(123_456.0), "123456", "no thousands separator");
    }

    proptest! {
        #[test]
        fn wilson_brackets_the_proportion(n in 1i64..10_000_000, k_share in 0.0f64..=1.0) {
            let k = ((n as f64) * k_share).floor() as i64;
            let (low, high) = wilson(k, n).unwrap();
            let p = k as f64 / n as f64;
            prop_assert!(0.0 <= low && low <= p && p <= high && high <= 1.0, "{low} {p} {high}");
        }

        #[test]
        fn rate_brackets_its_value(subscribers in 10i64..100_000_000, share in 0.0f64..=1.0) {
            let complaints = MIN_VOLUME + ((subscribers - MIN_VOLUME) as f64 * share) as i64;
            let rate = per_100k(complaints, Some(subscribers)).unwrap();
            prop_assert!(0.0 <= rate.low && rate.low <= rate.per_100k);
            prop_assert!(rate.per_100k <= rate.high && rate.high <= 100_000.0);
        }

        #[test]
        fn median_lies_between_min_and_max(
            histogram in proptest::collection::vec((-1_000i64..1_000, 0i64..50), 0..20),
        ) {
            let present: Vec<i64> =
                histogram.iter().filter(|(_, c)| *c > 0).map(|(v, _)| *v).collect();
            match median(&histogram) {
                None => prop_assert!(present.is_empty()),
                Some(m) => {
                    prop_assert!(*present.iter().min().unwrap() <= m);
                    prop_assert!(m <= *present.iter().max().unwrap());
                }
            }
        }

        #[test]
        fn median_ignores_order(
            mut histogram in proptest::collection::vec((0i64..400, 0i64..20), 0..20),
        ) {
            let before = median(&histogram);
            histogram.reverse();
            prop_assert_eq!(median(&histogram), before);
        }

        #[test]
        fn percent_is_a_share(whole in MIN_VOLUME..1_000_000, share in 0.0f64..=1.0) {
            let part = (whole as f64 * share) as i64;
            let pct = percent(part, whole).unwrap();
            prop_assert!((0..=100).contains(&pct));
            // Within half a point of the exact share.
            prop_assert!((pct as f64 - 100.0 * part as f64 / whole as f64).abs() <= 0.5 + 1e-9);
        }

        #[test]
        fn percent_hidden_below_its_base(part in 0i64..100, whole in i64::MIN..MIN_VOLUME) {
            prop_assert_eq!(percent(part, whole), None);
        }

        #[test]
        fn formatted_rates_parse_back_close(value in 0.0f64..1e7) {
            let text = format_rate(value);
            let parsed: f64 = text.parse().unwrap();
            prop_assert!(!text.contains(','));
            if value < 99.9 {
                prop_assert_eq!(text.split('.').nth(1).map(str::len), Some(1));
                prop_assert!((parsed - value).abs() <= 0.05 + 1e-9);
            } else if value >= 100.0 {
                prop_assert!(!text.contains('.'));
                prop_assert!((parsed - value).abs() <= 0.5 + 1e-9);
            }
        }
    }
}
