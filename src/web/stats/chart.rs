//! The monthly chart in SVG units, drawn by the templates: bars, a y-axis with round values,
//! and month labels spaced so that they stay legible once a phone scales the chart down.

/// A bar of the monthly chart, in SVG units.
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    pub month: String,
    pub value: i64,
    /// The current month: not finished, so its bar is not comparable to the others.
    pub in_progress: bool,
    /// Where its month label is centred, for the bars that carry one.
    pub label_x: Option<i64>,
}

/// A value on the y-axis and its height.
pub struct Tick {
    pub y: i64,
    pub value: i64,
}

pub struct Chart {
    pub width: i64,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
    /// The month in progress, when the chart shows it.
    pub in_progress: Option<String>,
}

/// The chart's drawing box is as wide as a phone's screen in CSS pixels, so that its text
/// is drawn near its nominal size there (a wider box is scaled down with its text).
const MIN_WIDTH: i64 = 360;
/// Room for the y-axis values on the left.
pub const PLOT_LEFT: i64 = 52;
const PLOT_RIGHT_MARGIN: i64 = 8;
pub const PLOT_TOP: i64 = 12;
pub const BASELINE: i64 = 170;
const WIDEST_STEP: i64 = 28;
const NARROWEST_STEP: i64 = 6;
/// A month label ("2026-09" at 11 units) is about 45 units wide: labels are at least this
/// far apart.
const LABEL_SPACING: i64 = 56;

/// The round step between y-axis values (1, 2 or 5 times a power of ten) that draws at
/// most four lines above zero for values up to `max`.
fn tick_step(max: i64) -> i64 {
    let mut unit = 1i64;
    loop {
        for factor in [1, 2, 5] {
            let step = unit.saturating_mul(factor);
            if step.saturating_mul(4) >= max {
                return step;
            }
        }
        unit = unit.saturating_mul(10);
    }
}

/// The chart of `months` (`YYYY-MM`, complaints), oldest first; `this_month` is marked as
/// unfinished.
pub fn chart(months: &[(String, i64)], this_month: &str) -> Chart {
    let n = months.len() as i64;
    let max = months.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let step = tick_step(max);
    let top = (max + step - 1) / step * step;
    let plot_height = BASELINE - PLOT_TOP;
    let available = MIN_WIDTH - PLOT_LEFT - PLOT_RIGHT_MARGIN;
    let bar_step = (available / n.max(1)).clamp(NARROWEST_STEP, WIDEST_STEP);
    let every = (LABEL_SPACING + bar_step - 1) / bar_step;
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, (month, value))| {
            let i = i as i64;
            let height = value * plot_height / top;
            let x = PLOT_LEFT + i * bar_step + bar_step / 8;
            let width = (bar_step * 3 / 4).max(2);
            Bar {
                x,
                y: BASELINE - height,
                width,
                height,
                month: month.clone(),
                value: *value,
                in_progress: month == this_month,
                // Counted from the newest month, which is always labelled.
                label_x: ((n - 1 - i) % every == 0).then_some(x + width / 2),
            }
        })
        .collect();
    Chart {
        width: (PLOT_LEFT + n * bar_step + PLOT_RIGHT_MARGIN).max(MIN_WIDTH),
        bars,
        ticks: (0..=top / step)
            .map(|k| Tick {
                y: BASELINE - k * step * plot_height / top,
                value: k * step,
            })
            .collect(),
        in_progress: months
            .iter()
            .any(|(m, _)| m == this_month)
            .then(|| this_month.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(values: &[i64]) -> Vec<(String, i64)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("2025-{:02}", i % 12 + 1), *v))
            .collect()
    }

    #[test]
    fn ticks_are_round_and_cover_the_tallest_bar() {
        assert_eq!(tick_step(1), 1);
        assert_eq!(tick_step(4), 1);
        assert_eq!(tick_step(5), 2);
        assert_eq!(tick_step(37), 10);
        assert_eq!(tick_step(1_234), 500);
        let c = chart(&months(&[3, 37, 12]), "2026-01");
        let values: Vec<i64> = c.ticks.iter().map(|t| t.value).collect();
        assert_eq!(values, vec![0, 10, 20, 30, 40]);
        assert_eq!(c.ticks[0].y, BASELINE);
        assert_eq!(c.ticks[4].y, PLOT_TOP);
        // The tallest bar reaches 37/40 of the plot.
        assert_eq!(c.bars[1].height, 37 * (BASELINE - PLOT_TOP) / 40);
        assert!(c.in_progress.is_none());
    }

    #[test]
    fn labels_stay_apart_and_the_newest_month_has_one() {
        for n in [1, 2, 5, 12, 24, 36, 120] {
            let c = chart(&months(&vec![5; n]), "none");
            let xs: Vec<i64> = c.bars.iter().filter_map(|b| b.label_x).collect();
            assert!(c.bars.last().unwrap().label_x.is_some(), "{n} months");
            assert!(
                xs.windows(2).all(|w| w[1] - w[0] >= LABEL_SPACING),
                "{n} months: {xs:?}"
            );
            assert!(c.width >= MIN_WIDTH);
            let last = c.bars.last().unwrap();
            assert!(last.x + last.width <= c.width);
        }
        // Two years fit a phone's width.
        assert_eq!(chart(&months(&[1; 24]), "none").width, MIN_WIDTH);
    }

    #[test]
    fn the_current_month_is_marked() {
        let c = chart(&[("2026-11".into(), 4), ("2026-12".into(), 1)], "2026-12");
        assert!(!c.bars[0].in_progress && c.bars[1].in_progress);
        assert_eq!(c.in_progress.as_deref(), Some("2026-12"));
    }
}
