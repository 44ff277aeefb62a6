//! The property behind `rederive::window`: deriving only what lies after a clean cut, with
//! the leave requests new ones may repeat, gives the full derivation's answer for
//! everything after the cut. The cut is chosen here as the push's `window::choose` chooses
//! it from the stored state, with the previous derivation standing for what is stored.
//! An accepted check-out is always the end of a derived session: checked here too.

use super::derive::*;
use super::derive_tests::{HOUR, arbitrary_entries, arbitrary_events, arbitrary_policy, rules};
use offline_tracking_protocol::RecordKind;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// The cut `window::choose` would take when the records from `new` on are this push's.
fn clean_cut(
    old: &[Event],
    all: &[Event],
    entries: &[ManualEntry],
    new_from_ms: i64,
    rules: Rules,
) -> Option<i64> {
    let stored = derive(old, entries, &BTreeMap::new(), rules);
    let quiet = rules
        .duplicate_window_ms
        .max(rules.order_tolerance_ms)
        .saturating_add(1);
    let earliest_new = all
        .iter()
        .filter(|event| event.time_ms >= new_from_ms && event.kind != RecordKind::LeaveRequest)
        .filter(|event| !old.contains(event))
        .map(|event| event.time_ms)
        .min();
    let before = earliest_new.map_or(i64::MAX, |at| at - quiet);
    // The latest check-out the stored derivation accepted, before the new records.
    let accepted = |event: &Event| match stored.verdicts.get(&event.record_id) {
        Some(Verdict::Accepted) => true,
        Some(Verdict::Conflict { applied, .. }) => *applied,
        _ => false,
    };
    let closing = old
        .iter()
        .filter(|event| event.kind == RecordKind::CheckOut && event.time_ms < before)
        .filter(|event| accepted(event))
        .max_by_key(|event| event.time_ms)?;
    let cut = closing.time_ms;
    assert!(
        stored.sessions.iter().any(|session| {
            session.end_record.as_ref() == Some(&closing.record_id)
                && session.ended_at_ms == Some(cut)
        }),
        "an accepted check-out ends a session"
    );
    let at_cut = all.iter().filter(|event| event.time_ms == cut).count();
    let next = all
        .iter()
        .filter(|event| event.time_ms > cut)
        .map(|e| e.time_ms)
        .min();
    if at_cut != 1 || next.is_some_and(|next| next <= cut + quiet) {
        return None;
    }
    let spanning = entries
        .iter()
        .any(|entry| entry.started_at_ms <= cut && entry.ended_at_ms.is_none_or(|end| end > cut));
    if spanning {
        return None;
    }
    let mut firsts: BTreeMap<&str, i64> = BTreeMap::new();
    for event in all.iter().filter(|event| event.time_ms > cut) {
        let first = firsts.entry(&event.device_id).or_insert(event.sequence);
        *first = (*first).min(event.sequence);
    }
    let behind = all.iter().any(|event| {
        event.time_ms <= cut
            && firsts
                .get(event.device_id.as_str())
                .is_some_and(|first| event.sequence > *first)
    });
    (!behind).then_some(cut)
}

/// What the push derives from a cut: the records after it, the push's own records of any
/// time (a leave request may be older than the cut), and every leave request with the
/// keys of those.
fn window(all: &[Event], old: &[Event], cut: i64) -> Vec<Event> {
    let read = |event: &Event| event.time_ms > cut || !old.contains(event);
    let keys: BTreeSet<&String> = all
        .iter()
        .filter(|event| read(event) && event.kind == RecordKind::LeaveRequest)
        .filter_map(|event| event.leave_key.as_ref())
        .collect();
    all.iter()
        .filter(|event| {
            read(event)
                || (event.kind == RecordKind::LeaveRequest
                    && event
                        .leave_key
                        .as_ref()
                        .is_some_and(|key| keys.contains(key)))
        })
        .cloned()
        .collect()
}

/// A session the push derives again: `sessions.rs` selects these from storage.
fn after_cut(session: &DerivedSession, cut: i64) -> bool {
    match session.started_at_ms {
        Some(started) => started > cut,
        None => session.ended_at_ms.is_none_or(|ended| ended > cut),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn deriving_after_a_clean_cut_gives_the_full_answer_after_it(
        events in arbitrary_events(),
        entries in arbitrary_entries(),
        policy in arbitrary_policy(),
        new_from in 0..48i64,
        pushed in any::<u32>(),
    ) {
        let rules = rules(policy);
        let new_from_ms = new_from * HOUR / 2;
        // The records from `new_from` on that this push stored (the others were there).
        let old: Vec<Event> = events
            .iter()
            .enumerate()
            .filter(|(index, event)| event.time_ms < new_from_ms || pushed & (1 << (index % 32)) == 0)
            .map(|(_, event)| event.clone())
            .collect();
        let Some(cut) = clean_cut(&old, &events, &entries, new_from_ms, rules) else {
            return Ok(());
        };
        let part = window(&events, &old, cut);
        let part_entries: Vec<ManualEntry> = entries
            .iter()
            .filter(|entry| entry.started_at_ms > cut)
            .cloned()
            .collect();
        let full = derive(&events, &entries, &BTreeMap::new(), rules);
        let windowed = derive(&part, &part_entries, &BTreeMap::new(), rules);
        for event in &part {
            prop_assert_eq!(windowed.verdicts.get(&event.record_id), full.verdicts.get(&event.record_id), "verdict of {}", event.record_id);
        }
        let in_window: BTreeSet<&String> = part.iter().map(|event| &event.record_id).collect();
        let conflicts = |derived: &Derivation| -> Vec<DerivedConflict> {
            derived.conflicts.values().filter(|c| in_window.contains(&c.record_id)).cloned().collect()
        };
        prop_assert_eq!(conflicts(&windowed), conflicts(&full));
        let sessions_after: Vec<&DerivedSession> = full.sessions.iter().filter(|s| after_cut(s, cut)).collect();
        let windowed_sessions: Vec<&DerivedSession> = windowed.sessions.iter().collect();
        prop_assert_eq!(windowed_sessions, sessions_after);
        let superseded = |derived: &Derivation| -> BTreeSet<String> {
            derived.superseded_entries.iter().filter(|id| part_entries.iter().any(|e| &e.id == *id)).cloned().collect()
        };
        prop_assert_eq!(superseded(&windowed), superseded(&full));
    }
}
