//! Metrics across the boundary. A module records with the `metrics` crate's macros as
//! usual; the SDK forwards each update here, and the host feeds its own recorder, which
//! decides how they are exposed. The module never learns the exposition format.

use abi_stable::{
    StableAbi,
    std_types::{RSlice, RStr},
};

/// What a [`MetricEvent`] does.
#[repr(u8)]
#[derive(StableAbi, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricOp {
    /// Add `value` to a counter.
    CounterIncrement,
    /// Set a counter to `value` if that is higher.
    CounterAbsolute,
    /// Set a gauge to `value`.
    GaugeSet,
    /// Add `value` to a gauge.
    GaugeIncrement,
    /// Subtract `value` from a gauge.
    GaugeDecrement,
    /// Record `value` in a histogram.
    HistogramRecord,
    /// Describe a counter: `text` is its help line.
    DescribeCounter,
    /// Describe a gauge: `text` is its help line.
    DescribeGauge,
    /// Describe a histogram: `text` is its help line.
    DescribeHistogram,
}

/// One label of a metric.
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug)]
pub struct MetricLabel<'a> {
    /// The label's name.
    pub key: RStr<'a>,
    /// Its value.
    pub value: RStr<'a>,
}

/// One update of one metric.
#[repr(C)]
#[derive(StableAbi, Clone, Copy, Debug)]
pub struct MetricEvent<'a> {
    /// What to do.
    pub op: MetricOp,
    /// The metric's name.
    pub name: RStr<'a>,
    /// Its labels (empty for a description).
    pub labels: RSlice<'a, MetricLabel<'a>>,
    /// The amount; 0 for a description.
    pub value: f64,
    /// The help line of a description; empty otherwise.
    pub text: RStr<'a>,
    /// The module that sent it.
    pub module: RStr<'a>,
}

/// The host's callback for a module's metric updates.
#[repr(C)]
#[derive(StableAbi, Clone, Copy)]
pub struct MetricsSink {
    /// Applies one update; called on the module's threads, so it must be cheap and not
    /// block.
    pub emit: extern "C" fn(MetricEvent<'_>),
}

impl std::fmt::Debug for MetricsSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsSink")
    }
}
