//! The host's end of modules' metrics: each update becomes an update of the host's own
//! `metrics` recorder (whatever exporter the host installed), labelled with the module.

use crate::abi::{MetricEvent, MetricOp, MetricsSink};
use metrics::{Key, Label, Level, Metadata, describe_counter, describe_gauge, describe_histogram};

extern "C" fn emit(event: MetricEvent<'_>) {
    let name = event.name.as_str().to_owned();
    let text = event.text.as_str().to_owned();
    match event.op {
        MetricOp::DescribeCounter => return describe_counter!(name, text),
        MetricOp::DescribeGauge => return describe_gauge!(name, text),
        MetricOp::DescribeHistogram => return describe_histogram!(name, text),
        _ => {}
    }
    let labels: Vec<Label> =
        std::iter::once(Label::new("module", event.module.as_str().to_owned()))
            .chain(event.labels.iter().map(|label| {
                Label::new(
                    label.key.as_str().to_owned(),
                    label.value.as_str().to_owned(),
                )
            }))
            .collect();
    let key = Key::from_parts(name, labels);
    let metadata = Metadata::new(module_path!(), Level::INFO, None);
    metrics::with_recorder(|recorder| match event.op {
        MetricOp::CounterIncrement => recorder
            .register_counter(&key, &metadata)
            .increment(event.value as u64),
        MetricOp::CounterAbsolute => recorder
            .register_counter(&key, &metadata)
            .absolute(event.value as u64),
        MetricOp::GaugeSet => recorder.register_gauge(&key, &metadata).set(event.value),
        MetricOp::GaugeIncrement => recorder
            .register_gauge(&key, &metadata)
            .increment(event.value),
        MetricOp::GaugeDecrement => recorder
            .register_gauge(&key, &metadata)
            .decrement(event.value),
        MetricOp::HistogramRecord => recorder
            .register_histogram(&key, &metadata)
            .record(event.value),
        MetricOp::DescribeCounter | MetricOp::DescribeGauge | MetricOp::DescribeHistogram => {}
    });
}

/// The callback a host passes in [`InitContext`](crate::abi::InitContext): a module's
/// metric updates land in the host's recorder with a `module` label naming their source.
pub fn metrics_sink() -> MetricsSink {
    MetricsSink { emit }
}
