//! What the employee reads.

use field_app::FieldError;
use field_app::agent::Event;
use field_app::leave_view::{LeaveLine, LeaveStatus};
use field_app::recorder::storage_used_text;
use field_app::store::Store;
use field_app::sync::Report;
use field_app::views::{ConflictLine, Overview};

fn age(ms: i64) -> String {
    duration(ms / 60_000)
}

/// Time left, to the minute rounded up (a record made a moment ago has all 7 days left,
/// not 6), with the hours once it is days.
fn time_left(ms: i64) -> String {
    let minutes = ms.max(0).saturating_add(59_999) / 60_000;
    let (days, hours) = (minutes / (24 * 60), minutes % (24 * 60) / 60);
    if minutes >= 48 * 60 && minutes % (24 * 60) != 0 {
        format!("{days} days {hours} h")
    } else {
        duration(minutes)
    }
}

/// How long ago, or a plain word when the device clock was moved back since.
fn ago(ms: i64) -> String {
    if ms < 0 {
        "clock moved back".to_owned()
    } else {
        format!("{} ago", age(ms))
    }
}

fn duration(minutes: i64) -> String {
    match minutes {
        m if m < 60 => format!("{m} min"),
        m if m < 48 * 60 => format!("{} h", m / 60),
        m => format!("{} days", m / (24 * 60)),
    }
}

fn time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_default()
}

/// Attendance > Offline Records.
pub fn overview(view: &Overview) {
    println!(
        "Storage: {}. Max offline days: {}.{}",
        storage_used_text(
            view.storage_used_bytes,
            u32::try_from(view.storage_limit_bytes / 1024 / 1024).unwrap_or(u32::MAX)
        ),
        view.max_offline_days,
        view.time_left_ms
            .map(|left| format!(
                " Time left before the oldest waiting record is too old: {}.",
                time_left(left)
            ))
            .unwrap_or_default()
    );
    if view.records.is_empty() {
        println!("No records yet.");
    }
    for line in &view.records {
        println!(
            "{:>4}  {:<13} {:<10} {:>16}  {}  {}",
            line.sequence,
            line.kind,
            line.state,
            ago(line.age_ms),
            line.record_id,
            line.detail
        );
    }
    for warning in &view.warnings {
        println!("warning: {warning}");
    }
}

/// The sync confirmation.
pub fn confirmation(report: &Report) {
    let pushed = &report.pushed;
    println!(
        "Synced: {} accepted, {} duplicate(s), {} conflict(s), {} rejected, {} to retry later; {} change(s) pulled.",
        pushed.accepted,
        pushed.duplicates,
        pushed.conflicts.len(),
        pushed.rejected.len(),
        pushed.retry_later,
        report.changes_pulled
    );
    for (record, conflict_type, resolution) in &pushed.conflicts {
        println!("  conflict {conflict_type} ({resolution}): record {record}");
    }
    for (record, code, message) in &pushed.rejected {
        println!("  rejected {code}: {message} (record {record})");
    }
    if pushed.actions_applied > 0 || !pushed.actions_rejected.is_empty() {
        println!(
            "  your actions: {} applied, {} refused",
            pushed.actions_applied,
            pushed.actions_rejected.len(),
        );
    }
    for (record, code) in &pushed.actions_rejected {
        println!("  action refused {code} (record {record})");
    }
    if let Some(version) = report.config_applied {
        println!("  new configuration applied (version {version})");
    }
}

/// The conflicts view.
pub fn conflicts(lines: &[ConflictLine]) {
    if lines.is_empty() {
        println!("No conflicts.");
    }
    for line in lines {
        let c = &line.conflict;
        println!(
            "{}  {} ({}{}{})  record {}",
            c.conflict_id,
            c.conflict_type,
            c.resolution,
            c.decision
                .as_ref()
                .map(|d| format!(", decided: {d}"))
                .unwrap_or_default(),
            if c.dissolved {
                ", no longer applies"
            } else {
                ""
            },
            c.record_id
        );
        if let Some(note) = &c.note {
            println!("      administrator: {note}");
        }
        for action in &line.actions {
            println!(
                "      you: {} {}{}",
                action.action,
                action.status,
                action
                    .note
                    .as_ref()
                    .map(|n| format!(" \"{n}\""))
                    .unwrap_or_default()
            );
        }
    }
}

/// My leave requests.
pub fn leave_requests(lines: &[LeaveLine]) {
    if lines.is_empty() {
        println!("No leave requests.");
    }
    for line in lines {
        let days = line
            .days
            .as_ref()
            .map(|(from, to)| format!("{from} to {to}"))
            .unwrap_or_else(|| "dates not known yet".to_owned());
        let why = match &line.status {
            LeaveStatus::Refused(code) => format!("  ({code})"),
            _ => String::new(),
        };
        println!(
            "{}  {}{}  {}{}",
            line.request_id,
            line.leave_type
                .as_ref()
                .map(|t| format!("{t}, "))
                .unwrap_or_default(),
            days,
            line.status.word(),
            why
        );
        if let Some(note) = &line.note {
            println!("      administrator: {note}");
        }
    }
}

/// The device's status.
pub async fn status(store: &Store, view: &Overview) -> Result<(), FieldError> {
    let device = store.registered().await?;
    let state = store.state().await?;
    println!(
        "Device {} ({}) for employee {} at {}",
        device.device_id, device.status, device.employee_id, device.server_url
    );
    println!("Configuration version {}", view.config_version);
    match state.anchor_server_ms {
        Some(anchor) => println!(
            "Time anchor: server time {} (boot {})",
            time(anchor),
            state.anchor_boot_id.unwrap_or_default()
        ),
        None => println!("No time anchor yet"),
    }
    match view.last_success_at_ms {
        Some(at) => println!("Last successful sync: {}", time(at)),
        None => println!("Never synced"),
    }
    if view.failed_attempts > 0 {
        println!(
            "Failed attempts since: {} ({})",
            view.failed_attempts,
            view.last_error.clone().unwrap_or_default()
        );
    }
    println!(
        "Waiting: {} record(s)",
        view.records
            .iter()
            .filter(|r| r.state == "pending" || r.state == "sent")
            .count()
    );
    Ok(())
}

/// One agent event, as a line.
pub fn event(event: Event) {
    match event {
        Event::Waiting(why) => println!("waiting: {why}"),
        Event::Synced(report) => confirmation(&report),
        Event::Failed {
            error,
            retry_in: Some(delay),
        } => {
            println!(
                "sync failed: {error}; retrying in {:.1} s",
                delay.as_secs_f64()
            )
        }
        Event::Failed {
            error,
            retry_in: None,
        } => println!("sync failed: {error}"),
    }
    // An agent's output is read by people and scripts as it happens.
    use std::io::Write;
    let _ = std::io::stdout().flush();
}
