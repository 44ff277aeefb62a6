//! Attendance derived from evidence: a pure function of an employee's offline events,
//! the server-side entries, the administrators' decisions and the organisation's rules.
//!
//! Nothing here depends on the order events arrived in: inputs are sorted by trusted time
//! (then record id), so the same events always give the same sessions, conflicts and
//! verdicts. The persistence layer stores whatever this returns.
//!
//! The rules, in the order they are applied:
//!
//! 1. Integrity holds: a stale record, one whose time could not be trusted, one inside a
//!    locked period, or one outside the geofence (where the organisation holds those) is
//!    held for review under every policy.
//! 2. Out of order: a record whose time is earlier than an earlier-sequence record of the
//!    same device (beyond the clock tolerance).
//! 3. Duplicates: the same kind as the employee's previous event, with no change of state
//!    between them, within the duplicate window; the first stands (merged under every
//!    policy). A check-in soon after a check-out is a new check-in, not a duplicate.
//! 4. Overlap with an attendance entered on the server.
//! 5. The walk through time that builds sessions and breaks, where a second check-in is
//!    an overlap and a check-out or break with nothing open is an orphan.
//!
//! Conflicts of rules 2, 4 and 5 follow the organisation's policy: `server_wins` keeps
//! the server's side, `client_wins` applies the offline record, `latest_wins` lets the
//! side recorded later win (an orphan has no other side, so the server's view stands), and
//! `manual` holds the record for an administrator. An administrator's decision overrides
//! the policy for that record.

use offline_tracking_protocol::{ConflictType, RecordKind, Resolution};
use offline_tracking_settings::ConflictPolicy;
use std::collections::{BTreeMap, BTreeSet};

/// One offline record, as derivation sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The record's id.
    pub record_id: String,
    /// The device that recorded it.
    pub device_id: String,
    /// Its sequence number on that device.
    pub sequence: i64,
    /// What it says happened.
    pub kind: RecordKind,
    /// When it happened, as the server reconstructed it.
    pub time_ms: i64,
    /// It arrived later than the organisation's max offline days.
    pub stale: bool,
    /// Its time could not be trusted.
    pub suspect_clock: bool,
    /// Its GPS fix failed the geofence, under an organisation that holds such records.
    pub outside_geofence: bool,
    /// For leave requests: type and dates.
    pub leave_key: Option<String>,
}

/// Attendance an administrator entered on the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManualEntry {
    /// The entry's id.
    pub id: String,
    /// Start of the attendance.
    pub started_at_ms: i64,
    /// End, or open.
    pub ended_at_ms: Option<i64>,
    /// When the administrator entered it (what `latest_wins` compares).
    pub recorded_at_ms: i64,
}

/// An administrator's decision about one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Override {
    /// Count the record, at its own time or a corrected one.
    Apply {
        /// The corrected time, when the decision corrected it.
        time_ms: Option<i64>,
    },
    /// Keep the server's side: the record does not count.
    Exclude,
}

/// The organisation's rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// How conflicts are settled.
    pub policy: ConflictPolicy,
    /// Same-kind events this close are one event.
    pub duplicate_window_ms: i64,
    /// How far a device's times may run against its sequence.
    pub order_tolerance_ms: i64,
    /// Attendance before this instant is locked.
    pub locked_until_ms: Option<i64>,
}

/// What derivation says about one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// It counts.
    Accepted,
    /// It repeats `original`.
    Duplicate {
        /// The record that counts.
        original: String,
    },
    /// It is part of a conflict.
    Conflict {
        /// The conflict's key.
        key: String,
        /// Whether it counts.
        applied: bool,
    },
}

/// The server's side of a conflict.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServerRef {
    /// An entry an administrator made.
    Entry(String),
    /// Another offline record.
    Record(String),
}

/// A conflict as derived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedConflict {
    /// Stable identity: the type and the offline record.
    pub key: String,
    /// Why.
    pub conflict_type: ConflictType,
    /// The offline record.
    pub record_id: String,
    /// What it disagrees with.
    pub server: Option<ServerRef>,
    /// How it stands.
    pub resolution: Resolution,
    /// The policy that settles it (a pinned one, else the organisation's now); none for
    /// the types no policy settles.
    pub policy: Option<ConflictPolicy>,
}

/// A break inside a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedBreak {
    /// Start, unknown for an orphan break end applied under `client_wins`.
    pub started_at_ms: Option<i64>,
    /// End, or still open.
    pub ended_at_ms: Option<i64>,
}

/// Where a session comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Offline records.
    Offline,
    /// An administrator's entry.
    Manual,
}

/// An attendance session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedSession {
    /// Stable id: the record or entry it starts with.
    pub id: String,
    /// Where it comes from.
    pub source: Source,
    /// Start, unknown when only its end was recorded.
    pub started_at_ms: Option<i64>,
    /// End, or still open.
    pub ended_at_ms: Option<i64>,
    /// The check-in record.
    pub start_record: Option<String>,
    /// The check-out record.
    pub end_record: Option<String>,
    /// The manual entry.
    pub entry_id: Option<String>,
    /// Breaks, in time order.
    pub breaks: Vec<DerivedBreak>,
    /// Remarks such as `ended_by_next_check_in`.
    pub flags: Vec<String>,
}

/// Everything derived for one employee.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Derivation {
    /// One verdict per event.
    pub verdicts: BTreeMap<String, Verdict>,
    /// Conflicts by key.
    pub conflicts: BTreeMap<String, DerivedConflict>,
    /// Sessions in time order (unknown starts first).
    pub sessions: Vec<DerivedSession>,
    /// Manual entries an offline record won against.
    pub superseded_entries: BTreeSet<String>,
}

/// Whether the organisation's policy settles conflicts of this type (the others are
/// merged, or held for an administrator, whatever the policy).
fn policy_settles(conflict_type: ConflictType) -> bool {
    matches!(
        conflict_type,
        ConflictType::Overlap | ConflictType::Orphan | ConflictType::OutOfOrder
    )
}

/// The key of a conflict: one per type and offline record.
pub fn conflict_key(conflict_type: ConflictType, record_id: &str) -> String {
    format!("{}:{record_id}", conflict_type.as_str())
}

struct Deriver<'a> {
    rules: Rules,
    overrides: &'a BTreeMap<String, Override>,
    pins: &'a BTreeMap<String, ConflictPolicy>,
    out: Derivation,
}

/// What the policy does with a conflict that has a server side to weigh against.
enum Settlement {
    ServerKept,
    OfflineApplied,
    Held,
}

impl Deriver<'_> {
    fn conflict(
        &mut self,
        conflict_type: ConflictType,
        record_id: &str,
        server: Option<ServerRef>,
        resolution: Resolution,
        applied: bool,
    ) {
        let key = conflict_key(conflict_type, record_id);
        let policy =
            policy_settles(conflict_type).then(|| self.policy_for(conflict_type, record_id));
        self.out.conflicts.insert(
            key.clone(),
            DerivedConflict {
                key: key.clone(),
                conflict_type,
                record_id: record_id.to_owned(),
                server,
                resolution,
                policy,
            },
        );
        self.out
            .verdicts
            .insert(record_id.to_owned(), Verdict::Conflict { key, applied });
    }

    /// Settles a conflict by decision if there is one, else by `policy_says`.
    fn settle(&self, record_id: &str, policy_says: Settlement) -> Settlement {
        match self.overrides.get(record_id) {
            Some(Override::Apply { .. }) => Settlement::OfflineApplied,
            Some(Override::Exclude) => Settlement::ServerKept,
            None => policy_says,
        }
    }

    /// Records the settlement of a conflict; answers whether the record counts.
    fn record_settlement(
        &mut self,
        conflict_type: ConflictType,
        record_id: &str,
        server: Option<ServerRef>,
        settlement: Settlement,
    ) -> bool {
        let (resolution, applied) = match settlement {
            Settlement::ServerKept => (Resolution::ServerKept, false),
            Settlement::OfflineApplied => (Resolution::OfflineApplied, true),
            Settlement::Held => (Resolution::PendingReview, false),
        };
        self.conflict(conflict_type, record_id, server, resolution, applied);
        applied
    }

    /// The policy for one conflict: the one it was first settled by, if pinned, so a
    /// change of the organisation's policy never re-settles history.
    fn policy_for(&self, conflict_type: ConflictType, record_id: &str) -> ConflictPolicy {
        self.pins
            .get(&conflict_key(conflict_type, record_id))
            .copied()
            .unwrap_or(self.rules.policy)
    }

    fn policy_with_other_side(&self, conflict_type: ConflictType, record_id: &str) -> Settlement {
        match self.policy_for(conflict_type, record_id) {
            ConflictPolicy::ServerWins => Settlement::ServerKept,
            ConflictPolicy::ClientWins | ConflictPolicy::LatestWins => Settlement::OfflineApplied,
            ConflictPolicy::Manual => Settlement::Held,
        }
    }

    fn policy_without_other_side(
        &self,
        conflict_type: ConflictType,
        record_id: &str,
    ) -> Settlement {
        match self.policy_for(conflict_type, record_id) {
            ConflictPolicy::ServerWins | ConflictPolicy::LatestWins => Settlement::ServerKept,
            ConflictPolicy::ClientWins => Settlement::OfflineApplied,
            ConflictPolicy::Manual => Settlement::Held,
        }
    }
}

/// Derives an employee's attendance. `overrides` are administrators' decisions by record.
pub fn derive(
    events: &[Event],
    entries: &[ManualEntry],
    overrides: &BTreeMap<String, Override>,
    rules: Rules,
) -> Derivation {
    derive_pinned(events, entries, overrides, &BTreeMap::new(), rules)
}

/// [`derive`], with the policy each known conflict was first settled by (`pins`, by
/// conflict key): those keep their policy; conflicts not pinned follow `rules.policy`.
pub fn derive_pinned(
    events: &[Event],
    entries: &[ManualEntry],
    overrides: &BTreeMap<String, Override>,
    pins: &BTreeMap<String, ConflictPolicy>,
    rules: Rules,
) -> Derivation {
    let mut deriver = Deriver {
        rules,
        overrides,
        pins,
        out: Derivation::default(),
    };
    let (leave, attendance): (Vec<&Event>, Vec<&Event>) = events
        .iter()
        .partition(|event| event.kind == RecordKind::LeaveRequest);
    derive_leave(&mut deriver, leave);

    // Every later step works on events in time order, each at its effective time.
    let mut timeline: Vec<(i64, &Event)> = attendance
        .into_iter()
        .map(|event| {
            let time = match overrides.get(&event.record_id) {
                Some(Override::Apply {
                    time_ms: Some(corrected),
                }) => *corrected,
                _ => event.time_ms,
            };
            (time, event)
        })
        .collect();
    timeline.sort_by(|a, b| (a.0, &a.1.record_id).cmp(&(b.0, &b.1.record_id)));

    let timeline = hold_for_integrity(&mut deriver, timeline);
    let timeline = settle_out_of_order(&mut deriver, timeline);
    let timeline = merge_duplicates(&mut deriver, timeline);
    let (timeline, surviving_entries) = settle_entry_overlaps(&mut deriver, timeline, entries);
    walk(&mut deriver, &timeline);

    for entry in surviving_entries {
        deriver.out.sessions.push(DerivedSession {
            id: entry.id.clone(),
            source: Source::Manual,
            started_at_ms: Some(entry.started_at_ms),
            ended_at_ms: entry.ended_at_ms,
            start_record: None,
            end_record: None,
            entry_id: Some(entry.id.clone()),
            breaks: Vec::new(),
            flags: Vec::new(),
        });
    }
    // An open session sorts after a closed one that starts at the same instant: it is the
    // later of the two (check-in, check-out and check-in again in one millisecond).
    let order = |s: &DerivedSession| (s.started_at_ms, s.ended_at_ms.unwrap_or(i64::MAX));
    deriver
        .out
        .sessions
        .sort_by(|a, b| (order(a), &a.id).cmp(&(order(b), &b.id)));
    deriver.out
}

fn is_forced(deriver: &Deriver<'_>, event: &Event) -> bool {
    matches!(
        deriver.overrides.get(&event.record_id),
        Some(Override::Apply { .. })
    )
}

/// Leave requests: the first request with the same type and dates stands.
fn derive_leave(deriver: &mut Deriver<'_>, mut leave: Vec<&Event>) {
    leave.sort_by(|a, b| (a.time_ms, &a.record_id).cmp(&(b.time_ms, &b.record_id)));
    let mut first_by_key: BTreeMap<&str, &str> = BTreeMap::new();
    for event in leave {
        let key = event.leave_key.as_deref().unwrap_or(&event.record_id);
        match first_by_key.get(key) {
            Some(original) => {
                let original = (*original).to_owned();
                deriver.conflict(
                    ConflictType::Duplicate,
                    &event.record_id,
                    Some(ServerRef::Record(original.clone())),
                    Resolution::Merged,
                    false,
                );
                deriver
                    .out
                    .verdicts
                    .insert(event.record_id.clone(), Verdict::Duplicate { original });
            }
            None => {
                first_by_key.insert(key, &event.record_id);
                deriver
                    .out
                    .verdicts
                    .insert(event.record_id.clone(), Verdict::Accepted);
            }
        }
    }
}

fn hold_for_integrity<'e>(
    deriver: &mut Deriver<'_>,
    timeline: Vec<(i64, &'e Event)>,
) -> Vec<(i64, &'e Event)> {
    let mut kept = Vec::with_capacity(timeline.len());
    for (time, event) in timeline {
        let hold = if event.stale {
            Some(ConflictType::Stale)
        } else if event.suspect_clock {
            Some(ConflictType::SuspectClock)
        } else if event.outside_geofence {
            Some(ConflictType::OutsideGeofence)
        } else if deriver
            .rules
            .locked_until_ms
            .is_some_and(|locked| time < locked)
        {
            Some(ConflictType::LockedPeriod)
        } else {
            None
        };
        let Some(conflict_type) = hold else {
            kept.push((time, event));
            continue;
        };
        // No policy can place these: only an administrator can.
        let settlement = deriver.settle(&event.record_id, Settlement::Held);
        if deriver.record_settlement(conflict_type, &event.record_id, None, settlement) {
            kept.push((time, event));
        }
    }
    kept
}

fn settle_out_of_order<'e>(
    deriver: &mut Deriver<'_>,
    timeline: Vec<(i64, &'e Event)>,
) -> Vec<(i64, &'e Event)> {
    let mut by_device: BTreeMap<&str, Vec<(i64, &Event)>> = BTreeMap::new();
    for (time, event) in &timeline {
        by_device
            .entry(&event.device_id)
            .or_default()
            .push((*time, event));
    }
    let mut excluded = BTreeSet::new();
    for (_, mut events) in by_device {
        events.sort_by(|a, b| (a.1.sequence, &a.1.record_id).cmp(&(b.1.sequence, &b.1.record_id)));
        let mut latest: Option<(i64, &str)> = None;
        for (time, event) in events {
            match latest {
                Some((latest_time, latest_record))
                    if time < latest_time - deriver.rules.order_tolerance_ms
                        && !is_forced(deriver, event) =>
                {
                    let server = Some(ServerRef::Record(latest_record.to_owned()));
                    let policy = deriver
                        .policy_without_other_side(ConflictType::OutOfOrder, &event.record_id);
                    let settlement = deriver.settle(&event.record_id, policy);
                    if !deriver.record_settlement(
                        ConflictType::OutOfOrder,
                        &event.record_id,
                        server,
                        settlement,
                    ) {
                        excluded.insert(event.record_id.clone());
                    }
                }
                Some((latest_time, _)) if latest_time >= time => {}
                _ => latest = Some((time, &event.record_id)),
            }
        }
    }
    timeline
        .into_iter()
        .filter(|(_, event)| !excluded.contains(&event.record_id))
        .collect()
}

/// A duplicate is the same event seen twice: the same kind as the last event kept, with no
/// change of state between them, within the window. A check-in after a check-out is a new
/// check-in however soon it comes, so only the previous kept event is compared.
fn merge_duplicates<'e>(
    deriver: &mut Deriver<'_>,
    timeline: Vec<(i64, &'e Event)>,
) -> Vec<(i64, &'e Event)> {
    let mut kept: Vec<(i64, &Event)> = Vec::with_capacity(timeline.len());
    for (time, event) in timeline {
        let repeats = kept
            .last()
            .filter(|(last_time, last)| {
                last.kind == event.kind && time - last_time <= deriver.rules.duplicate_window_ms
            })
            .map(|(_, original)| original.record_id.clone());
        match repeats {
            Some(original) if !is_forced(deriver, event) => {
                deriver.conflict(
                    ConflictType::Duplicate,
                    &event.record_id,
                    Some(ServerRef::Record(original.clone())),
                    Resolution::Merged,
                    false,
                );
                deriver
                    .out
                    .verdicts
                    .insert(event.record_id.clone(), Verdict::Duplicate { original });
            }
            _ => kept.push((time, event)),
        }
    }
    kept
}

fn inside(entry: &ManualEntry, time: i64) -> bool {
    time >= entry.started_at_ms && entry.ended_at_ms.is_none_or(|end| time < end)
}

/// Events inside an administrator's entry: the entry either stands (and the events do not
/// count) or is superseded (and they all do), as a whole.
fn settle_entry_overlaps<'e, 'm>(
    deriver: &mut Deriver<'_>,
    timeline: Vec<(i64, &'e Event)>,
    entries: &'m [ManualEntry],
) -> (Vec<(i64, &'e Event)>, Vec<&'m ManualEntry>) {
    let mut entries: Vec<&ManualEntry> = entries.iter().collect();
    entries.sort_by(|a, b| (a.started_at_ms, &a.id).cmp(&(b.started_at_ms, &b.id)));
    let mut excluded = BTreeSet::new();
    let mut surviving = Vec::new();
    for entry in entries {
        let inside_events: Vec<&(i64, &Event)> = timeline
            .iter()
            .filter(|(time, event)| inside(entry, *time) && !excluded.contains(&event.record_id))
            .collect();
        if inside_events.is_empty() {
            surviving.push(entry);
            continue;
        }
        let decided = |event: &Event| deriver.overrides.get(&event.record_id).copied();
        let wins = |time: i64, event: &Event| match decided(event) {
            Some(Override::Apply { .. }) => true,
            Some(Override::Exclude) => false,
            None => match deriver.policy_for(ConflictType::Overlap, &event.record_id) {
                ConflictPolicy::ClientWins => true,
                ConflictPolicy::LatestWins => time > entry.recorded_at_ms,
                ConflictPolicy::ServerWins | ConflictPolicy::Manual => false,
            },
        };
        let superseded = inside_events.iter().any(|(time, event)| wins(*time, event));
        let server = ServerRef::Entry(entry.id.clone());
        for (_, event) in inside_events {
            let settlement = match (superseded, decided(event)) {
                (_, Some(Override::Exclude)) => Settlement::ServerKept,
                (true, _) => Settlement::OfflineApplied,
                (false, _)
                    if deriver.policy_for(ConflictType::Overlap, &event.record_id)
                        == ConflictPolicy::Manual =>
                {
                    Settlement::Held
                }
                (false, _) => Settlement::ServerKept,
            };
            if !deriver.record_settlement(
                ConflictType::Overlap,
                &event.record_id,
                Some(server.clone()),
                settlement,
            ) {
                excluded.insert(event.record_id.clone());
            }
        }
        if superseded {
            deriver.out.superseded_entries.insert(entry.id.clone());
        } else {
            surviving.push(entry);
        }
    }
    let kept = timeline
        .into_iter()
        .filter(|(_, event)| !excluded.contains(&event.record_id))
        .collect();
    (kept, surviving)
}

struct OpenSession {
    session: DerivedSession,
    open_break: Option<(i64, String)>,
}

impl OpenSession {
    fn new(id: &str, started_at_ms: Option<i64>, start_record: Option<String>) -> Self {
        Self {
            session: DerivedSession {
                id: id.to_owned(),
                source: Source::Offline,
                started_at_ms,
                ended_at_ms: None,
                start_record,
                end_record: None,
                entry_id: None,
                breaks: Vec::new(),
                flags: Vec::new(),
            },
            open_break: None,
        }
    }

    fn close_break(&mut self, at: i64) {
        if let Some((started, _)) = self.open_break.take() {
            self.session.breaks.push(DerivedBreak {
                started_at_ms: Some(started),
                ended_at_ms: Some(at),
            });
        }
    }

    fn close(mut self, at: i64, end_record: Option<String>, flag: Option<&str>) -> DerivedSession {
        if self.open_break.is_some() {
            self.close_break(at);
            self.session
                .flags
                .push("break_ended_by_check_out".to_owned());
        }
        self.session.ended_at_ms = Some(at);
        self.session.end_record = end_record;
        if let Some(flag) = flag {
            self.session.flags.push(flag.to_owned());
        }
        self.session
    }

    fn finish(mut self) -> DerivedSession {
        if let Some((started, _)) = self.open_break.take() {
            self.session.breaks.push(DerivedBreak {
                started_at_ms: Some(started),
                ended_at_ms: None,
            });
        }
        self.session
    }
}

/// Builds sessions and breaks from the events that survived the earlier rules.
fn walk(deriver: &mut Deriver<'_>, timeline: &[(i64, &Event)]) {
    let mut open: Option<OpenSession> = None;
    for (time, event) in timeline {
        let time = *time;
        let id = event.record_id.as_str();
        let accept = |deriver: &mut Deriver<'_>| {
            deriver
                .out
                .verdicts
                .entry(id.to_owned())
                .or_insert(Verdict::Accepted);
        };
        match event.kind {
            RecordKind::CheckIn => match open.take() {
                None => {
                    open = Some(OpenSession::new(id, Some(time), Some(id.to_owned())));
                    accept(deriver);
                }
                Some(current) => {
                    let server = current.session.start_record.clone().map(ServerRef::Record);
                    let policy = deriver.policy_with_other_side(ConflictType::Overlap, id);
                    let settlement = deriver.settle(id, policy);
                    if deriver.record_settlement(ConflictType::Overlap, id, server, settlement) {
                        deriver.out.sessions.push(current.close(
                            time,
                            None,
                            Some("ended_by_next_check_in"),
                        ));
                        open = Some(OpenSession::new(id, Some(time), Some(id.to_owned())));
                    } else {
                        open = Some(current);
                    }
                }
            },
            RecordKind::CheckOut => match open.take() {
                Some(current) => {
                    deriver
                        .out
                        .sessions
                        .push(current.close(time, Some(id.to_owned()), None));
                    accept(deriver);
                }
                None => {
                    let policy = deriver.policy_without_other_side(ConflictType::Orphan, id);
                    let settlement = deriver.settle(id, policy);
                    if deriver.record_settlement(ConflictType::Orphan, id, None, settlement) {
                        let mut session = OpenSession::new(id, None, None);
                        session.session.flags.push("start_unknown".to_owned());
                        deriver
                            .out
                            .sessions
                            .push(session.close(time, Some(id.to_owned()), None));
                    }
                }
            },
            RecordKind::BreakStart => {
                let has_open_break = open.as_ref().is_some_and(|s| s.open_break.is_some());
                if open.is_some() && !has_open_break {
                    if let Some(current) = open.as_mut() {
                        current.open_break = Some((time, id.to_owned()));
                    }
                    accept(deriver);
                    continue;
                }
                let (conflict_type, server, policy) = if has_open_break {
                    let server = open
                        .as_ref()
                        .and_then(|s| s.open_break.as_ref())
                        .map(|(_, record)| ServerRef::Record(record.clone()));
                    (
                        ConflictType::Overlap,
                        server,
                        deriver.policy_with_other_side(ConflictType::Overlap, id),
                    )
                } else {
                    (
                        ConflictType::Orphan,
                        None,
                        deriver.policy_without_other_side(ConflictType::Orphan, id),
                    )
                };
                let settlement = deriver.settle(id, policy);
                if deriver.record_settlement(conflict_type, id, server, settlement) {
                    let current = open.get_or_insert_with(|| {
                        let mut session = OpenSession::new(id, None, None);
                        session.session.flags.push("start_unknown".to_owned());
                        session
                    });
                    current.close_break(time);
                    current.open_break = Some((time, id.to_owned()));
                }
            }
            RecordKind::BreakEnd => {
                if let Some(current) = open.as_mut().filter(|s| s.open_break.is_some()) {
                    current.close_break(time);
                    accept(deriver);
                    continue;
                }
                let policy = deriver.policy_without_other_side(ConflictType::Orphan, id);
                let settlement = deriver.settle(id, policy);
                if deriver.record_settlement(ConflictType::Orphan, id, None, settlement) {
                    let current = open.get_or_insert_with(|| {
                        let mut session = OpenSession::new(id, None, None);
                        session.session.flags.push("start_unknown".to_owned());
                        session
                    });
                    current.session.breaks.push(DerivedBreak {
                        started_at_ms: None,
                        ended_at_ms: Some(time),
                    });
                }
            }
            RecordKind::LeaveRequest => {}
        }
    }
    if let Some(current) = open {
        deriver.out.sessions.push(current.finish());
    }
}
