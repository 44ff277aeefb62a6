use super::derive::*;
use offline_tracking_protocol::{ConflictType, RecordKind, Resolution};
use offline_tracking_settings::ConflictPolicy;
use proptest::prelude::*;
use std::collections::BTreeMap;

pub(super) const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

pub(super) fn rules(policy: ConflictPolicy) -> Rules {
    Rules {
        policy,
        duplicate_window_ms: 120_000,
        order_tolerance_ms: 300_000,
        locked_until_ms: None,
    }
}

fn event(id: &str, device: &str, sequence: i64, kind: RecordKind, time_ms: i64) -> Event {
    Event {
        record_id: id.into(),
        device_id: device.into(),
        sequence,
        kind,
        time_ms,
        stale: false,
        suspect_clock: false,
        outside_geofence: false,
        leave_key: None,
    }
}

fn day(id_prefix: &str, start_sequence: i64, day_start: i64) -> Vec<Event> {
    vec![
        event(
            &format!("{id_prefix}-in"),
            "d1",
            start_sequence,
            RecordKind::CheckIn,
            day_start + 8 * HOUR,
        ),
        event(
            &format!("{id_prefix}-bs"),
            "d1",
            start_sequence + 1,
            RecordKind::BreakStart,
            day_start + 12 * HOUR,
        ),
        event(
            &format!("{id_prefix}-be"),
            "d1",
            start_sequence + 2,
            RecordKind::BreakEnd,
            day_start + 12 * HOUR + HOUR / 2,
        ),
        event(
            &format!("{id_prefix}-out"),
            "d1",
            start_sequence + 3,
            RecordKind::CheckOut,
            day_start + 17 * HOUR,
        ),
    ]
}

fn no_overrides() -> BTreeMap<String, Override> {
    BTreeMap::new()
}

#[test]
fn a_working_week_becomes_five_sessions_with_their_breaks() {
    let events: Vec<Event> = (0..5)
        .flat_map(|d| day(&format!("day{d}"), d * 4 + 1, d * DAY))
        .collect();
    let derived = derive(
        &events,
        &[],
        &no_overrides(),
        rules(ConflictPolicy::ServerWins),
    );
    assert_eq!(derived.sessions.len(), 5);
    assert!(derived.conflicts.is_empty());
    assert!(derived.verdicts.values().all(|v| *v == Verdict::Accepted));
    let monday = &derived.sessions[0];
    assert_eq!(monday.started_at_ms, Some(8 * HOUR));
    assert_eq!(monday.ended_at_ms, Some(17 * HOUR));
    assert_eq!(
        monday.breaks,
        [DerivedBreak {
            started_at_ms: Some(12 * HOUR),
            ended_at_ms: Some(12 * HOUR + HOUR / 2)
        }]
    );
}

#[test]
fn the_same_check_in_from_two_devices_is_one_event() {
    let events = [
        event("a", "d1", 1, RecordKind::CheckIn, 8 * HOUR),
        event("b", "d2", 1, RecordKind::CheckIn, 8 * HOUR + 30_000),
    ];
    for policy in [
        ConflictPolicy::ServerWins,
        ConflictPolicy::ClientWins,
        ConflictPolicy::Manual,
    ] {
        let derived = derive(&events, &[], &no_overrides(), rules(policy));
        assert_eq!(
            derived.verdicts["b"],
            Verdict::Duplicate {
                original: "a".into()
            }
        );
        assert_eq!(
            derived.conflicts["duplicate:b"].resolution,
            Resolution::Merged
        );
        assert_eq!(derived.sessions.len(), 1);
    }
}

#[test]
fn a_check_in_soon_after_a_check_out_is_a_new_check_in() {
    let events = [
        event("in", "d1", 1, RecordKind::CheckIn, 8 * HOUR),
        event("out", "d1", 2, RecordKind::CheckOut, 8 * HOUR + 30_000),
        event("in-again", "d1", 3, RecordKind::CheckIn, 8 * HOUR + 60_000),
    ];
    for policy in [ConflictPolicy::ServerWins, ConflictPolicy::Manual] {
        let derived = derive(&events, &[], &no_overrides(), rules(policy));
        assert!(derived.verdicts.values().all(|v| *v == Verdict::Accepted));
        assert!(derived.conflicts.is_empty());
        assert_eq!(derived.sessions.len(), 2);
        let last = derived.sessions.last().unwrap();
        assert_eq!(last.start_record.as_deref(), Some("in-again"));
        assert_eq!(last.ended_at_ms, None, "the employee is checked in again");
    }
}

#[test]
fn a_second_check_in_while_checked_in_follows_the_policy() {
    let events = [
        event("first", "d1", 1, RecordKind::CheckIn, 8 * HOUR),
        event("second", "d2", 1, RecordKind::CheckIn, 10 * HOUR),
    ];
    let server = derive(
        &events,
        &[],
        &no_overrides(),
        rules(ConflictPolicy::ServerWins),
    );
    assert_eq!(
        server.conflicts["overlap:second"].resolution,
        Resolution::ServerKept
    );
    assert_eq!(
        server.conflicts["overlap:second"].server,
        Some(ServerRef::Record("first".into()))
    );
    assert_eq!(server.sessions.len(), 1);
    assert_eq!(server.sessions[0].started_at_ms, Some(8 * HOUR));

    let client = derive(
        &events,
        &[],
        &no_overrides(),
        rules(ConflictPolicy::ClientWins),
    );
    assert_eq!(
        client.conflicts["overlap:second"].resolution,
        Resolution::OfflineApplied
    );
    assert_eq!(client.sessions.len(), 2);
    assert_eq!(client.sessions[0].ended_at_ms, Some(10 * HOUR));
    assert_eq!(client.sessions[0].flags, ["ended_by_next_check_in"]);

    let manual = derive(&events, &[], &no_overrides(), rules(ConflictPolicy::Manual));
    assert_eq!(
        manual.conflicts["overlap:second"].resolution,
        Resolution::PendingReview
    );
    assert_eq!(
        manual.verdicts["second"],
        Verdict::Conflict {
            key: "overlap:second".into(),
            applied: false
        }
    );
}

#[test]
fn a_check_out_with_nothing_open_is_an_orphan() {
    let events = [event("out", "d1", 1, RecordKind::CheckOut, 17 * HOUR)];
    let server = derive(
        &events,
        &[],
        &no_overrides(),
        rules(ConflictPolicy::ServerWins),
    );
    assert_eq!(
        server.conflicts["orphan:out"].resolution,
        Resolution::ServerKept
    );
    assert!(server.sessions.is_empty());
    let latest = derive(
        &events,
        &[],
        &no_overrides(),
        rules(ConflictPolicy::LatestWins),
    );
    assert_eq!(
        latest.conflicts["orphan:out"].resolution,
        Resolution::ServerKept
    );
    let client = derive(
        &events,
        &[],
        &no_overrides(),
        rules(ConflictPolicy::ClientWins),
    );
    assert_eq!(client.sessions.len(), 1);
    assert_eq!(client.sessions[0].started_at_ms, None);
    assert_eq!(client.sessions[0].ended_at_ms, Some(17 * HOUR));
    let manual = derive(&events, &[], &no_overrides(), rules(ConflictPolicy::Manual));
    assert_eq!(
        manual.conflicts["orphan:out"].resolution,
        Resolution::PendingReview
    );
}

#[test]
fn the_orphan_heals_when_its_check_in_arrives() {
    let out = event("out", "d1", 2, RecordKind::CheckOut, 17 * HOUR);
    let alone = derive(
        std::slice::from_ref(&out),
        &[],
        &no_overrides(),
        rules(ConflictPolicy::ServerWins),
    );
    assert!(alone.conflicts.contains_key("orphan:out"));
    let both = [event("in", "d1", 1, RecordKind::CheckIn, 8 * HOUR), out];
    let healed = derive(
        &both,
        &[],
        &no_overrides(),
        rules(ConflictPolicy::ServerWins),
    );
    assert!(healed.conflicts.is_empty());
    assert_eq!(healed.verdicts["out"], Verdict::Accepted);
}

#[test]
fn an_entry_made_on_the_server_is_weighed_by_the_policy() {
    let entry = ManualEntry {
        id: "entry".into(),
        started_at_ms: 9 * HOUR,
        ended_at_ms: Some(17 * HOUR),
        recorded_at_ms: 18 * HOUR,
    };
    let events = [event("in", "d1", 1, RecordKind::CheckIn, 10 * HOUR)];
    let server = derive(
        &events,
        std::slice::from_ref(&entry),
        &no_overrides(),
        rules(ConflictPolicy::ServerWins),
    );
    assert_eq!(
        server.conflicts["overlap:in"].resolution,
        Resolution::ServerKept
    );
    assert_eq!(
        server.conflicts["overlap:in"].server,
        Some(ServerRef::Entry("entry".into()))
    );
    assert_eq!(server.sessions.len(), 1);
    assert_eq!(server.sessions[0].source, Source::Manual);

    let client = derive(
        &events,
        std::slice::from_ref(&entry),
        &no_overrides(),
        rules(ConflictPolicy::ClientWins),
    );
    assert!(client.superseded_entries.contains("entry"));
    assert_eq!(client.sessions[0].source, Source::Offline);

    // The entry was made at 18:00, after the 10:00 check-in: it is the later side.
    let latest = derive(
        &events,
        std::slice::from_ref(&entry),
        &no_overrides(),
        rules(ConflictPolicy::LatestWins),
    );
    assert_eq!(
        latest.conflicts["overlap:in"].resolution,
        Resolution::ServerKept
    );
    let early_entry = ManualEntry {
        recorded_at_ms: 7 * HOUR,
        ..entry.clone()
    };
    let latest = derive(
        &events,
        &[early_entry],
        &no_overrides(),
        rules(ConflictPolicy::LatestWins),
    );
    assert_eq!(
        latest.conflicts["overlap:in"].resolution,
        Resolution::OfflineApplied
    );

    let manual = derive(
        &events,
        &[entry],
        &no_overrides(),
        rules(ConflictPolicy::Manual),
    );
    assert_eq!(
        manual.conflicts["overlap:in"].resolution,
        Resolution::PendingReview
    );
}

#[test]
fn stale_suspect_and_locked_records_wait_for_an_administrator() {
    let mut stale = event("stale", "d1", 1, RecordKind::CheckIn, 8 * HOUR);
    stale.stale = true;
    let mut suspect = event("suspect", "d1", 2, RecordKind::CheckOut, 17 * HOUR);
    suspect.suspect_clock = true;
    let locked = event("locked", "d2", 1, RecordKind::CheckIn, DAY + 8 * HOUR);
    let mut locked_rules = rules(ConflictPolicy::ClientWins);
    locked_rules.locked_until_ms = Some(2 * DAY);
    let derived = derive(
        &[stale, suspect, locked],
        &[],
        &no_overrides(),
        locked_rules,
    );
    assert_eq!(
        derived.conflicts["stale:stale"].resolution,
        Resolution::PendingReview
    );
    assert_eq!(
        derived.conflicts["suspect_clock:suspect"].resolution,
        Resolution::PendingReview
    );
    assert_eq!(
        derived.conflicts["locked_period:locked"].resolution,
        Resolution::PendingReview
    );
    assert!(derived.sessions.is_empty());
}

#[test]
fn a_decision_overrides_the_policy_and_a_corrected_time_moves_the_record() {
    let mut stale = event("stale", "d1", 1, RecordKind::CheckIn, 8 * HOUR);
    stale.stale = true;
    let mut overrides = BTreeMap::new();
    overrides.insert(
        "stale".to_owned(),
        Override::Apply {
            time_ms: Some(9 * HOUR),
        },
    );
    let derived = derive(&[stale], &[], &overrides, rules(ConflictPolicy::ServerWins));
    assert_eq!(
        derived.conflicts["stale:stale"].resolution,
        Resolution::OfflineApplied
    );
    assert_eq!(derived.sessions[0].started_at_ms, Some(9 * HOUR));
}

#[test]
fn a_device_whose_times_run_against_its_sequence_is_out_of_order() {
    let events = [
        event("noon", "d1", 1, RecordKind::CheckIn, 12 * HOUR),
        event("nine", "d1", 2, RecordKind::CheckOut, 9 * HOUR),
    ];
    let derived = derive(
        &events,
        &[],
        &no_overrides(),
        rules(ConflictPolicy::ServerWins),
    );
    let conflict = &derived.conflicts["out_of_order:nine"];
    assert_eq!(conflict.server, Some(ServerRef::Record("noon".into())));
    assert_eq!(conflict.resolution, Resolution::ServerKept);
    let client = derive(
        &events,
        &[],
        &no_overrides(),
        rules(ConflictPolicy::ClientWins),
    );
    assert_eq!(
        client.conflicts["out_of_order:nine"].resolution,
        Resolution::OfflineApplied
    );
}

#[test]
fn the_same_leave_request_twice_is_one_request() {
    let mut first = event("l1", "d1", 1, RecordKind::LeaveRequest, HOUR);
    first.leave_key = Some("annual:2026-12-01:2026-12-03".into());
    let mut again = event("l2", "d2", 1, RecordKind::LeaveRequest, 2 * HOUR);
    again.leave_key = first.leave_key.clone();
    let derived = derive(
        &[again, first],
        &[],
        &no_overrides(),
        rules(ConflictPolicy::ServerWins),
    );
    assert_eq!(derived.verdicts["l1"], Verdict::Accepted);
    assert_eq!(
        derived.verdicts["l2"],
        Verdict::Duplicate {
            original: "l1".into()
        }
    );
}

fn arbitrary_kind() -> impl Strategy<Value = RecordKind> {
    prop_oneof![
        4 => Just(RecordKind::CheckIn),
        4 => Just(RecordKind::CheckOut),
        2 => Just(RecordKind::BreakStart),
        2 => Just(RecordKind::BreakEnd),
        1 => Just(RecordKind::LeaveRequest),
    ]
}

pub(super) fn arbitrary_policy() -> impl Strategy<Value = ConflictPolicy> {
    prop_oneof![
        Just(ConflictPolicy::ServerWins),
        Just(ConflictPolicy::ClientWins),
        Just(ConflictPolicy::LatestWins),
        Just(ConflictPolicy::Manual),
    ]
}

/// Events from up to three devices; times on a coarse grid so duplicates, overlaps and
/// ties happen often.
pub(super) fn arbitrary_events() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec(
        (0..3u8, arbitrary_kind(), 0..48i64, any::<bool>(), 0..20u8),
        0..30,
    )
    .prop_map(|specs| {
        let mut next_sequence = [0i64; 3];
        specs
            .into_iter()
            .enumerate()
            .map(|(index, (device, kind, half_hour, stale, leave))| {
                next_sequence[device as usize] += 1;
                Event {
                    record_id: format!("r{index:02}"),
                    device_id: format!("d{device}"),
                    sequence: next_sequence[device as usize],
                    kind,
                    time_ms: half_hour * HOUR / 2,
                    stale: stale && index % 7 == 0,
                    suspect_clock: index % 11 == 5,
                    outside_geofence: index % 13 == 7,
                    leave_key: (kind == RecordKind::LeaveRequest)
                        .then(|| format!("k{}", leave % 3)),
                }
            })
            .collect()
    })
}

pub(super) fn arbitrary_entries() -> impl Strategy<Value = Vec<ManualEntry>> {
    prop::collection::vec((0..40i64, 1..8i64, 0..48i64, any::<bool>()), 0..3).prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(index, (start, length, recorded, open))| ManualEntry {
                id: format!("e{index}"),
                started_at_ms: start * HOUR / 2,
                ended_at_ms: (!open).then_some((start + length) * HOUR / 2),
                recorded_at_ms: recorded * HOUR / 2,
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Whatever order the same events arrive in, the derived attendance is the same.
    #[test]
    fn arrival_order_never_changes_the_result(
        events in arbitrary_events(),
        entries in arbitrary_entries(),
        policy in arbitrary_policy(),
        seed in any::<u64>(),
    ) {
        let expected = derive(&events, &entries, &no_overrides(), rules(policy));
        let mut shuffled = events.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let mut reversed_entries = entries.clone();
        reversed_entries.reverse();
        prop_assert_eq!(derive(&shuffled, &reversed_entries, &no_overrides(), rules(policy)), expected);
    }

    /// Every record gets exactly one verdict, sessions never run backwards or into each
    /// other, and every conflict names a record that was derived.
    #[test]
    fn derivations_are_well_formed(
        events in arbitrary_events(),
        entries in arbitrary_entries(),
        policy in arbitrary_policy(),
    ) {
        let derived = derive(&events, &entries, &no_overrides(), rules(policy));
        prop_assert_eq!(derived.verdicts.len(), events.len());
        for conflict in derived.conflicts.values() {
            prop_assert!(derived.verdicts.contains_key(&conflict.record_id));
        }
        let offline: Vec<&DerivedSession> = derived
            .sessions
            .iter()
            .filter(|s| s.source == Source::Offline && s.started_at_ms.is_some())
            .collect();
        for session in &offline {
            if let (Some(start), Some(end)) = (session.started_at_ms, session.ended_at_ms) {
                prop_assert!(start <= end, "{:?}", session);
            }
        }
        for pair in offline.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let a_end = a.ended_at_ms.unwrap_or(i64::MAX);
            prop_assert!(a_end <= b.started_at_ms.unwrap_or(i64::MAX), "{:?} overlaps {:?}", a, b);
        }
        // An accepted check-in always starts a session of its own.
        for (record, verdict) in &derived.verdicts {
            let is_check_in = events.iter().any(|e| &e.record_id == record && e.kind == RecordKind::CheckIn);
            if is_check_in && *verdict == Verdict::Accepted {
                prop_assert!(derived.sessions.iter().any(|s| s.start_record.as_deref() == Some(record.as_str())));
            }
        }
    }
}

/// Events a minute or two apart, so the duplicate window (two minutes) decides often.
fn close_events() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec((0..2u8, arbitrary_kind(), 0..12i64), 0..16).prop_map(|specs| {
        let mut next_sequence = [0i64; 2];
        specs
            .into_iter()
            .enumerate()
            .filter(|(_, (_, kind, _))| *kind != RecordKind::LeaveRequest)
            .map(|(index, (device, kind, half_minute))| {
                next_sequence[device as usize] += 1;
                event(
                    &format!("r{index:02}"),
                    &format!("d{device}"),
                    next_sequence[device as usize],
                    kind,
                    8 * HOUR + half_minute * 30_000,
                )
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// A duplicate is the same event seen twice: it has its original's kind, lies within
    /// the window after it, and no counted event of another kind (a change of state)
    /// comes between them.
    #[test]
    fn a_duplicate_never_swallows_a_change_of_state(
        events in close_events(),
        policy in arbitrary_policy(),
    ) {
        let derived = derive(&events, &[], &no_overrides(), rules(policy));
        let by_id: BTreeMap<&str, &Event> =
            events.iter().map(|e| (e.record_id.as_str(), e)).collect();
        let order = |e: &Event| (e.time_ms, e.record_id.clone());
        for (record, verdict) in &derived.verdicts {
            let Verdict::Duplicate { original } = verdict else { continue };
            let (copy, first) = (by_id[record.as_str()], by_id[original.as_str()]);
            prop_assert_eq!(copy.kind, first.kind);
            prop_assert!(copy.time_ms - first.time_ms <= 120_000);
            for between in events.iter().filter(|e| order(e) > order(first) && order(e) < order(copy)) {
                let counted = derived.verdicts[&between.record_id] == Verdict::Accepted;
                prop_assert!(
                    !(counted && between.kind != copy.kind),
                    "{} merged into {} across {:?} {}", record, original, between.kind, between.record_id
                );
            }
        }
    }
}

#[test]
fn conflict_keys_name_type_and_record() {
    assert_eq!(
        conflict_key(ConflictType::OutOfOrder, "r1"),
        "out_of_order:r1"
    );
}
