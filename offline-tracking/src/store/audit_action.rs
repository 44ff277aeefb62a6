//! Every action the audit trail records, named once. The stored text is the name below
//! (it is part of each entry's hash, so a name never changes once released).

/// Declares the actions and their stored names.
macro_rules! audit_actions {
    ($($variant:ident => $name:literal,)+) => {
        /// An action in the audit trail.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum AuditAction {
            $(
                #[doc = $name]
                $variant,
            )+
        }

        impl AuditAction {
            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $name,)+
                }
            }
        }
    };
}

audit_actions! {
    ConflictDecided => "conflict.decided",
    ConflictDecisionReversed => "conflict.decision_reversed",
    ConflictDetected => "conflict.detected",
    ConflictDissolved => "conflict.dissolved",
    ConflictResettled => "conflict.resettled",
    ConflictUpdated => "conflict.updated",
    DeviceApproved => "device.approved",
    DeviceRegistered => "device.registered",
    DeviceReinstated => "device.reinstated",
    DeviceRevoked => "device.revoked",
    EmployeeSitesAssigned => "employee.sites_assigned",
    FaceEnrollmentSet => "face_enrollment.set",
    LeaveApproved => "leave.approved",
    LeaveRejected => "leave.rejected",
    LeaveRequested => "leave.requested",
    ManualEntryCorrected => "manual_entry.corrected",
    ManualEntryCreated => "manual_entry.created",
    ManualEntryRestored => "manual_entry.restored",
    ManualEntrySuperseded => "manual_entry.superseded",
    RecordAnnotated => "record.annotated",
    RecordReceived => "record.received",
    RecordRefused => "record.refused",
    RecordRejected => "record.rejected",
    RecordStatusChanged => "record.status_changed",
    RecordWithdrawn => "record.withdrawn",
    SequenceGapDetected => "sequence.gap_detected",
    SettingsChanged => "settings.changed",
    SiteCreated => "site.created",
    SiteUpdated => "site.updated",
    SyncPush => "sync.push",
    SyncRefusalsCoalesced => "sync.refusals_coalesced",
    SyncRefused => "sync.refused",
}
