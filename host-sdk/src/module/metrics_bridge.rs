//! Forwards the module's `metrics` updates to the host.
//!
//! A library has its own copy of the `metrics` crate and therefore its own global
//! recorder; without this bridge a module's counters would count into nothing. The
//! module writes `metrics::counter!("pushes_total").increment(1)` as anywhere else.

use crate::abi::{MetricEvent, MetricLabel, MetricOp, MetricsSink};
use abi_stable::std_types::{RSlice, RStr};
use metrics::{
    Counter, CounterFn, Gauge, GaugeFn, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder,
    SharedString, Unit,
};
use std::sync::Arc;

/// One metric of the module, bound to the sink with its name and labels.
struct Forwarded {
    sink: MetricsSink,
    module: Arc<str>,
    key: Key,
}

impl Forwarded {
    fn send(&self, op: MetricOp, value: f64) {
        let labels: Vec<MetricLabel<'_>> = self
            .key
            .labels()
            .map(|label| MetricLabel {
                key: RStr::from_str(label.key()),
                value: RStr::from_str(label.value()),
            })
            .collect();
        (self.sink.emit)(MetricEvent {
            op,
            name: RStr::from_str(self.key.name()),
            labels: RSlice::from_slice(&labels),
            value,
            text: RStr::from_str(""),
            module: RStr::from_str(&self.module),
        });
    }
}

impl CounterFn for Forwarded {
    fn increment(&self, value: u64) {
        self.send(MetricOp::CounterIncrement, value as f64);
    }

    fn absolute(&self, value: u64) {
        self.send(MetricOp::CounterAbsolute, value as f64);
    }
}

impl GaugeFn for Forwarded {
    fn increment(&self, value: f64) {
        self.send(MetricOp::GaugeIncrement, value);
    }

    fn decrement(&self, value: f64) {
        self.send(MetricOp::GaugeDecrement, value);
    }

    fn set(&self, value: f64) {
        self.send(MetricOp::GaugeSet, value);
    }
}

impl HistogramFn for Forwarded {
    fn record(&self, value: f64) {
        self.send(MetricOp::HistogramRecord, value);
    }
}

struct HostRecorder {
    sink: MetricsSink,
    module: Arc<str>,
}

impl HostRecorder {
    fn forwarded(&self, key: &Key) -> Arc<Forwarded> {
        Arc::new(Forwarded {
            sink: self.sink,
            module: Arc::clone(&self.module),
            key: key.clone(),
        })
    }

    fn describe(&self, op: MetricOp, name: KeyName, text: SharedString) {
        (self.sink.emit)(MetricEvent {
            op,
            name: RStr::from_str(name.as_str()),
            labels: RSlice::from_slice(&[]),
            value: 0.0,
            text: RStr::from_str(&text),
            module: RStr::from_str(&self.module),
        });
    }
}

impl Recorder for HostRecorder {
    fn describe_counter(&self, name: KeyName, _unit: Option<Unit>, text: SharedString) {
        self.describe(MetricOp::DescribeCounter, name, text);
    }

    fn describe_gauge(&self, name: KeyName, _unit: Option<Unit>, text: SharedString) {
        self.describe(MetricOp::DescribeGauge, name, text);
    }

    fn describe_histogram(&self, name: KeyName, _unit: Option<Unit>, text: SharedString) {
        self.describe(MetricOp::DescribeHistogram, name, text);
    }

    fn register_counter(&self, key: &Key, _metadata: &Metadata<'_>) -> Counter {
        Counter::from_arc(self.forwarded(key))
    }

    fn register_gauge(&self, key: &Key, _metadata: &Metadata<'_>) -> Gauge {
        Gauge::from_arc(self.forwarded(key))
    }

    fn register_histogram(&self, key: &Key, _metadata: &Metadata<'_>) -> Histogram {
        Histogram::from_arc(self.forwarded(key))
    }
}

/// Installs the bridge as this library's global recorder. A second install in the same
/// process keeps the first, which forwards to the same host.
pub(crate) fn install(sink: MetricsSink, module: &str) {
    let _ = metrics::set_global_recorder(HostRecorder {
        sink,
        module: Arc::from(module),
    });
}
