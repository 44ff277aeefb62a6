//! OfflineTracking's own metrics. They are recorded with the `metrics` crate; host-sdk
//! forwards them to the host, which decides how to expose them (the suite: `/metrics`).

use host_sdk::ErrorBody;
use host_sdk::abi::ModuleResponse;
use offline_tracking_protocol::{Outcome, RecordResult};
use std::time::Duration;

const PUSHES: &str = "offline_tracking_pushes_total";
const PUSH_SECONDS: &str = "offline_tracking_push_duration_seconds";
const RECORDS: &str = "offline_tracking_records_total";
const CONFLICTS: &str = "offline_tracking_conflicts_total";
const REFUSALS: &str = "offline_tracking_refusals_total";
const CLOCK_OFFSET: &str = "offline_tracking_device_clock_offset_seconds";

/// Help lines, sent once when the module starts.
pub fn describe() {
    metrics::describe_counter!(PUSHES, "Pushes answered, by HTTP status");
    metrics::describe_histogram!(PUSH_SECONDS, "Time to answer a push");
    metrics::describe_counter!(RECORDS, "Records answered for the first time, by outcome");
    metrics::describe_counter!(
        CONFLICTS,
        "Records answered with a conflict, by conflict type"
    );
    metrics::describe_counter!(REFUSALS, "Pushes refused, by error code");
    metrics::describe_histogram!(
        CLOCK_OFFSET,
        "How far a pushing device's wall clock was from the server's (absolute)"
    );
}

/// A push was answered: its status, its time, and the refusal code when refused.
pub fn push_answered(answer: &ModuleResponse, took: Duration) {
    let status = answer.status.to_string();
    metrics::counter!(PUSHES, "status" => status).increment(1);
    metrics::histogram!(PUSH_SECONDS).record(took.as_secs_f64());
    if answer.status >= 400 {
        let code = serde_json::from_slice::<ErrorBody>(&answer.body)
            .map_or_else(|_| "unknown".to_owned(), |body| body.code);
        metrics::counter!(REFUSALS, "code" => code).increment(1);
    }
}

/// A push was committed: each record answered for the first time by outcome (resent
/// records were counted when first answered), and the device's clock offset.
pub fn push_committed<'a>(
    first_answers: impl Iterator<Item = &'a RecordResult>,
    clock_offset_ms: i64,
) {
    for result in first_answers {
        metrics::counter!(RECORDS, "outcome" => result.outcome.status()).increment(1);
        if let Outcome::Conflict { conflict_type, .. } = &result.outcome {
            metrics::counter!(CONFLICTS, "type" => conflict_type.as_str()).increment(1);
        }
    }
    let offset_seconds = clock_offset_ms.unsigned_abs() as f64 / 1000.0;
    metrics::histogram!(CLOCK_OFFSET).record(offset_seconds);
}
