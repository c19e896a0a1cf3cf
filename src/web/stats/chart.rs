//! The monthly chart: bars in SVG units, drawn by the templates.

/// A bar of the monthly chart, in SVG units.
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub height: i64,
    pub month: String,
    pub value: i64,
}

pub const CHART_HEIGHT: i64 = 160;
pub const BAR_STEP: i64 = 28;

pub fn bars(months: &[(String, i64)]) -> Vec<Bar> {
    let max = months.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    months
        .iter()
        .enumerate()
        .map(|(i, (month, value))| {
            let height = value * CHART_HEIGHT / max;
            Bar {
                x: i as i64 * BAR_STEP + 4,
                y: CHART_HEIGHT - height + 10,
                height,
                month: month.clone(),
                value: *value,
            }
        })
        .collect()
}
