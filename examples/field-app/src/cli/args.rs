use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "field-app",
    version,
    about = "The employee's phone, offline first: record attendance, then sync with the suite"
)]
pub struct Cli {
    /// Where the device keeps its data.
    #[arg(
        long,
        global = true,
        default_value = "./field-app-data",
        value_name = "FOLDER"
    )]
    pub data: PathBuf,
    /// Simulate the phone's clocks (for demos and tests) from a JSON file read at every
    /// use: {"shift_ms": -3600000, "boot_id": "boot-1", "boot_at_ms": 1795000000000,
    /// "wall_skew_ms": 0}.
    #[arg(long, global = true, value_name = "FILE")]
    pub clock_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Register this device with the suite (once, online).
    Register {
        /// The suite, such as http://127.0.0.1:8080.
        #[arg(long)]
        server: String,
        /// The employee's bearer token (or set FIELD_APP_TOKEN, which keeps it out of the
        /// shell history and the process list).
        #[arg(long, env = "FIELD_APP_TOKEN", hide_env_values = true)]
        token: String,
        /// What kind of device this is.
        #[arg(long, default_value = "cli")]
        platform: String,
        /// Register this phone anew after an administrator revoked it (a new key; refused
        /// while records signed with the revoked key wait).
        #[arg(long)]
        again: bool,
    },
    /// Record a check-in (works with no network).
    CheckIn(Evidence),
    /// Record a check-out.
    CheckOut(Evidence),
    /// Record the start of a break.
    BreakStart(Evidence),
    /// Record the end of a break.
    BreakEnd(Evidence),
    /// Request leave (queued until the next sync).
    Leave {
        /// Such as annual, sick, unpaid.
        #[arg(long = "type")]
        leave_type: String,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        to: String,
        /// Why.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Attendance > Offline Records: what waits, what came back, storage and time left.
    Records,
    /// Sync Now: push, pull, apply the configuration, and print the confirmation.
    Sync {
        /// The network the phone is on: wifi, cellular or none.
        #[arg(long, default_value = "wifi")]
        network: String,
    },
    /// Conflicts about your records, and what you did about them.
    Conflicts,
    /// Your leave requests: sent or not, approved, rejected, with the administrator's note.
    #[command(name = "leave-requests")]
    LeaveRequests,
    /// Take one of your records back (sent with the next sync).
    Withdraw {
        /// The record's id.
        record_id: String,
        /// Why.
        #[arg(long)]
        note: Option<String>,
    },
    /// Add a note to one of your records for the administrator.
    Annotate {
        /// The record's id.
        record_id: String,
        /// The note.
        #[arg(long)]
        note: String,
    },
    /// The device: registration, configuration, time anchor, last sync.
    Status,
    /// Automatic mode: sync by itself whenever the suite is reachable.
    Run {
        /// The network the phone is on, when no --network-file says it.
        #[arg(long, default_value = "wifi")]
        network: String,
        /// A file holding wifi, cellular or none, read at each turn.
        #[arg(long)]
        network_file: Option<PathBuf>,
        /// Seconds between looks around.
        #[arg(long, default_value_t = 2.0)]
        poll_seconds: f64,
        /// Seconds before the first retry after a failure (doubling, with jitter).
        #[arg(long, default_value_t = 2.0)]
        base_backoff_seconds: f64,
    },
}

/// What the phone captured with an attendance record.
#[derive(Args)]
pub struct Evidence {
    /// GPS latitude.
    #[arg(long, allow_hyphen_values = true)]
    pub lat: Option<f64>,
    /// GPS longitude.
    #[arg(long, allow_hyphen_values = true)]
    pub lon: Option<f64>,
    /// GPS accuracy in metres.
    #[arg(long, default_value_t = 10.0)]
    pub accuracy: f64,
    /// GPS provider.
    #[arg(long, default_value = "gps")]
    pub provider: String,
    /// The OS reported a mock location.
    #[arg(long)]
    pub mock_location: bool,
    /// Face match score (the face check ran).
    #[arg(long)]
    pub face_score: Option<f64>,
    /// Score needed to match.
    #[arg(long, default_value_t = 0.8)]
    pub face_threshold: f64,
    /// The face model.
    #[arg(long, default_value = "on-device-v1")]
    pub face_model: String,
    /// The scanned site QR code's text.
    #[arg(long)]
    pub qr: Option<String>,
    /// A note.
    #[arg(long)]
    pub note: Option<String>,
}
