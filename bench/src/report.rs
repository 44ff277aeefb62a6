//! The one line a scenario prints, and the statistics it is made of.

use std::fmt;
use std::time::Duration;

/// `RESULT <scenario> key=value …`, in the order the figures were added.
pub struct Report {
    scenario: &'static str,
    figures: Vec<(String, String)>,
}

impl Report {
    pub fn new(scenario: &'static str) -> Self {
        Self {
            scenario,
            figures: Vec::new(),
        }
    }

    /// Adds a figure.
    pub fn add(mut self, key: impl Into<String>, value: impl fmt::Display) -> Self {
        self.figures.push((key.into(), value.to_string()));
        self
    }

    /// Adds a duration in milliseconds with two decimals.
    pub fn ms(self, key: impl Into<String>, value: Duration) -> Self {
        self.add(key, format!("{:.2}", value.as_secs_f64() * 1000.0))
    }

    /// Adds a ratio with two decimals.
    pub fn ratio(self, key: impl Into<String>, value: f64) -> Self {
        self.add(key, format!("{value:.2}"))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(out, "RESULT {}", self.scenario)?;
        for (key, value) in &self.figures {
            write!(out, " {key}={value}")?;
        }
        Ok(())
    }
}

/// Latencies, sorted once for their percentiles.
pub struct Latencies(Vec<Duration>);

impl Latencies {
    pub fn new(mut samples: Vec<Duration>) -> Self {
        samples.sort_unstable();
        Self(samples)
    }

    /// The `p`th percentile (nearest rank); zero with no samples.
    pub fn percentile(&self, p: f64) -> Duration {
        if self.0.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    /// The median.
    pub fn median(&self) -> Duration {
        self.percentile(50.0)
    }
}

/// How many times the last of `medians` the first is (0 with none): how a latency grew
/// from the smallest size measured to the largest.
pub fn growth(medians: &[Duration]) -> f64 {
    match (medians.first(), medians.last()) {
        (Some(first), Some(last)) => last.as_secs_f64() / first.as_secs_f64().max(f64::EPSILON),
        _ => 0.0,
    }
}

/// Per second, for a count done in `elapsed`.
pub fn per_second(count: usize, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64().max(f64::EPSILON)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let samples = Latencies::new((1..=100).rev().map(Duration::from_millis).collect());
        assert_eq!(samples.median(), Duration::from_millis(50));
        assert_eq!(samples.percentile(99.0), Duration::from_millis(99));
        assert_eq!(samples.percentile(100.0), Duration::from_millis(100));
        assert_eq!(Latencies::new(Vec::new()).median(), Duration::ZERO);
    }

    #[test]
    fn growth_is_the_last_over_the_first() {
        let medians = [2, 3, 5].map(Duration::from_millis);
        assert_eq!(growth(&medians), 2.5);
        assert_eq!(growth(&[]), 0.0);
    }

    #[test]
    fn a_report_is_one_line_in_order() {
        let line = Report::new("pull")
            .add("rows", 10)
            .ms("p50_ms", Duration::from_micros(1500))
            .ratio("ratio", 1.234)
            .to_string();
        assert_eq!(line, "RESULT pull rows=10 p50_ms=1.50 ratio=1.23");
    }
}
