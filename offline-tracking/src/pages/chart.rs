//! The sync rate chart: one stacked bar per day (succeeded below, failed above), drawn as
//! SVG on the server. Only geometry is computed here; the template draws it, escaped.

use super::views::DayRates;

/// Chart size in SVG units (it scales to the page's width).
pub const WIDTH: u32 = 600;
/// Chart height in SVG units, the axis labels included.
pub const HEIGHT: u32 = 180;
const PLOT_HEIGHT: u32 = 140;

/// One day's bar.
pub struct Bar {
    pub day: String,
    pub x: u32,
    pub width: u32,
    /// Top of the succeeded part and its height.
    pub ok_y: u32,
    pub ok_height: u32,
    /// Top of the failed part and its height.
    pub failed_y: u32,
    pub failed_height: u32,
    pub succeeded: u64,
    pub failed: u64,
    /// Where the day's label goes.
    pub label_y: u32,
}

/// The bars for `days`, scaled to the busiest day.
pub fn bars(days: &[DayRates]) -> Vec<Bar> {
    let busiest = days
        .iter()
        .map(|d| d.succeeded.saturating_add(d.failed))
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = WIDTH / u32::try_from(days.len().max(1)).unwrap_or(u32::MAX).max(1);
    let scale = |count: u64| -> u32 {
        u32::try_from(count.saturating_mul(u64::from(PLOT_HEIGHT)) / busiest).unwrap_or(PLOT_HEIGHT)
    };
    days.iter()
        .zip(0u32..)
        .map(|(day, index)| {
            let ok_height = scale(day.succeeded);
            let failed_height = scale(day.failed);
            let ok_y = PLOT_HEIGHT - ok_height;
            Bar {
                // Only the month and day fit under a bar.
                day: day.day.get(5..).unwrap_or(&day.day).to_owned(),
                x: index * slot + slot / 6,
                width: (slot * 2 / 3).max(1),
                ok_y,
                ok_height,
                failed_y: ok_y.saturating_sub(failed_height),
                failed_height,
                succeeded: day.succeeded,
                failed: day.failed,
                label_y: PLOT_HEIGHT + 16,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(name: &str, succeeded: u64, failed: u64) -> DayRates {
        DayRates {
            day: name.to_owned(),
            succeeded,
            failed,
        }
    }

    #[test]
    fn the_busiest_day_fills_the_plot_and_parts_stack() {
        let bars = bars(&[day("2026-12-01", 3, 1), day("2026-12-02", 1, 0)]);
        assert_eq!(bars[0].ok_height + bars[0].failed_height, PLOT_HEIGHT);
        assert_eq!(bars[0].failed_y + bars[0].failed_height, bars[0].ok_y);
        assert_eq!(bars[1].ok_height, PLOT_HEIGHT / 4);
        assert_eq!(bars[1].day, "12-02");
        assert!(bars[1].x > bars[0].x);
    }

    #[test]
    fn no_syncs_draw_no_bars_and_huge_counts_do_not_overflow() {
        assert!(bars(&[]).is_empty());
        let bars = bars(&[day("2026-12-01", u64::MAX, u64::MAX)]);
        assert!(bars[0].ok_height <= PLOT_HEIGHT);
    }
}
