use sea_orm::entity::prelude::*;

/// An offline record: the signed event exactly as received, what the server made of its time, and its outcome.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ot_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: i64,
    pub employee_id: i64,
    pub device_id: String,
    pub sequence: i64,
    pub kind: offline_tracking_protocol::RecordKind,
    /// The signed JSON text, kept verbatim as evidence.
    pub payload: String,
    pub signature: String,
    pub device_wall_ms: i64,
    pub monotonic_ms: i64,
    pub boot_id: String,
    pub trusted_time_ms: i64,
    pub time_source: super::states::TimeSource,
    pub clock_offset_ms: Option<i64>,
    pub stale: bool,
    pub suspect_clock: bool,
    /// JSON array of remarks.
    pub flags: host_sdk::db::StoredJson<Vec<String>>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub site_id: Option<String>,
    /// For leave requests: type and dates, to spot the same request sent twice.
    pub leave_key: Option<String>,
    pub received_at_ms: i64,
    pub sync_session_id: String,
    /// accepted, duplicate, overruled, held, rejected or withdrawn.
    pub status: super::states::RecordStatus,
    pub status_code: Option<String>,
    pub status_message: Option<String>,
    pub conflict_id: Option<String>,
    /// The result the first push got, answered again to every resend.
    /// The answer the record first got; `None` only inside the push that stores it.
    pub first_result: host_sdk::db::StoredJson<Option<offline_tracking_protocol::Outcome>>,
    pub employee_note: Option<String>,
    pub updated_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
