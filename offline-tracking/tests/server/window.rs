//! A push derives only what follows a clean cut (`rederive::window`): records of the same
//! push from before the cut, and older records they repeat, still get their answers.

use crate::support::{HOUR, OtSuite, Recording, statuses_and_codes};
use crate::week::midnight_days_ago;
use offline_tracking_protocol::{LeaveDetails, RecordKind};

fn leave_at(at_ms: i64) -> Recording {
    let mut leave = Recording::at(RecordKind::LeaveRequest, at_ms);
    leave.gps = None;
    leave.leave = Some(LeaveDetails {
        leave_type: "annual".into(),
        starts_on: "2027-03-01".into(),
        ends_on: "2027-03-05".into(),
        reason: None,
    });
    leave
}

#[tokio::test]
async fn a_leave_request_older_than_the_cut_is_answered_and_its_repeat_is_a_duplicate() {
    let (ot, orgs) = OtSuite::start(&["acme"], 1).await;
    let mut work_phone = ot.device(&orgs[0], 0).await;
    let mut old_tablet = ot.device(&orgs[0], 0).await;
    // The tablet, offline for days, asked for leave five days ago; the phone synced every
    // working day since, so the push of the last day cuts after day -2.
    let leave = old_tablet.signed(leave_at(midnight_days_ago(5) + 19 * HOUR));
    let repeat = old_tablet.signed(leave_at(midnight_days_ago(4) + 19 * HOUR));
    // Recorded first, as a phone records in the present and syncs later.
    let days: Vec<(i64, Vec<_>)> = (1..=5)
        .rev()
        .map(|day| {
            let shift =
                [(RecordKind::CheckIn, 8), (RecordKind::CheckOut, 17)].map(|(kind, hour)| {
                    work_phone.signed(Recording::at(kind, midnight_days_ago(day) + hour * HOUR))
                });
            (day, shift.to_vec())
        })
        .collect();
    for (day, shift) in days {
        let reply = work_phone.push(&ot.suite, &shift).await;
        assert_eq!(
            statuses_and_codes(&reply),
            vec![("accepted".into(), String::new()); 2],
            "day -{day}: {:?}",
            reply.body
        );
    }
    let reply = old_tablet.push(&ot.suite, &[leave]).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(
        statuses_and_codes(&reply),
        vec![("accepted".into(), String::new())]
    );
    let reply = old_tablet.push(&ot.suite, &[repeat]).await;
    assert_eq!(
        statuses_and_codes(&reply)[0].0,
        "duplicate",
        "{:?}",
        reply.body
    );
    assert_eq!(
        ot.count("SELECT COUNT(*) FROM ot_leave_requests").await,
        1,
        "one leave request"
    );
    // The sessions of the five days stand, one each.
    assert_eq!(ot.count("SELECT COUNT(*) FROM ot_sessions").await, 5);
}
