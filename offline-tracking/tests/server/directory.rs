//! The host's directory behind the admin answers: employees by name, and no act about
//! someone who is not an employee of the administrator's organisation.

use crate::support::{OtSuite, Recording, now_ms};
use offline_tracking_protocol::RecordKind::{CheckIn, CheckOut};
use serde_json::json;

#[tokio::test]
async fn admin_answers_name_employees_and_acts_need_a_real_employee() {
    let (ot, orgs) = OtSuite::start(&["acme", "other"], 2).await;
    let (acme, other) = (&orgs[0], &orgs[1]);
    let mut phone = ot.device(acme, 1).await;
    let at = now_ms() - 60_000;
    phone
        .push_new(
            &ot.suite,
            vec![
                Recording::at(CheckIn, at),
                Recording::at(CheckOut, at + 1_000),
            ],
        )
        .await;

    let status = ot.admin_get(acme, "/sync/status").await.body;
    assert_eq!(
        status["devices"][0]["employee_name"], "Worker 1",
        "{status}"
    );
    assert_eq!(
        status["employees"][0]["employee_name"], "Worker 1",
        "{status}"
    );
    let devices = ot.admin_get(acme, "/devices").await.body;
    assert_eq!(
        devices["devices"][0]["employee_name"], "Worker 1",
        "{devices}"
    );
    let records = ot.admin_get(acme, "/records").await.body;
    assert!(
        records["records"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["employee_name"] == "Worker 1"),
        "{records}"
    );

    let enrol = |employee: i64| {
        let ot = &ot;
        async move {
            ot.suite
                .put(
                    &format!(
                        "/admin/modules/offline-tracking/employees/{employee}/face-enrollment"
                    ),
                    &acme.admin,
                    &json!({"enrolled": true}),
                )
                .await
        }
    };
    let someone_elses = enrol(other.employees[0].0).await;
    assert_eq!(someone_elses.status, 404, "{:?}", someone_elses.body);
    assert_eq!(someone_elses.code(), "unknown_employee");
    let nobody = enrol(987_654).await;
    assert_eq!(nobody.status, 404);
    let sites_for_nobody = ot
        .suite
        .put(
            "/admin/modules/offline-tracking/employees/987654/sites",
            &acme.admin,
            &json!({"site_ids": []}),
        )
        .await;
    assert_eq!(sites_for_nobody.status, 404);
    let audit = ot.audit_of(acme, "employee", "987654").await;
    assert!(audit.is_empty(), "a refused act leaves no trace: {audit:?}");
    let entry_for_someone_else = ot
        .admin_post(
            acme,
            "/attendance/entries",
            &json!({"employee_id": other.employees[0].0, "started_at": at - 7_200_000, "ended_at": at - 3_600_000, "note": "paper sheet"}),
        )
        .await;
    assert_eq!(
        entry_for_someone_else.status, 404,
        "{:?}",
        entry_for_someone_else.body
    );
    // An employee with no device yet: the directory knows them, so HR can enter a shift.
    let entry = ot
        .admin_post(
            acme,
            "/attendance/entries",
            &json!({"employee_id": acme.employees[0].0, "started_at": at - 7_200_000, "ended_at": at - 3_600_000, "note": "paper sheet"}),
        )
        .await;
    assert_eq!(entry.status, 201, "{:?}", entry.body);
    let own = enrol(acme.employees[0].0).await;
    assert_eq!(own.status, 200, "{:?}", own.body);
    assert_eq!(own.body["employee_name"], "Worker 0");
}
