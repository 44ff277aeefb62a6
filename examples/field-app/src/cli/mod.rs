//! `field-app`: plays the employee's phone against a running suite.

mod args;
mod print;

use args::{Cli, Command, Evidence};
use clap::Parser;
use field_app::agent::{self, NetworkSource, Options};
use field_app::clock::{Clock, FileClock, SystemClock};
use field_app::recorder::{self, Entry};
use field_app::store::Store;
use field_app::sync::{Network, sync_once};
use field_app::{FieldError, actions, leave_view, registration, views};
use offline_tracking_protocol::{FaceMatch, GpsFix, LeaveDetails, RecordKind};
use std::process::ExitCode;
use std::time::Duration;

/// Parses the command line and runs the command; a failure is one line and exit code 1.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn entry(kind: RecordKind, evidence: &Evidence, clock: &dyn Clock) -> Result<Entry, FieldError> {
    let now = clock.now()?.wall_clock_ms;
    let gps = match (evidence.lat, evidence.lon) {
        (Some(latitude), Some(longitude)) => Some(GpsFix {
            latitude,
            longitude,
            accuracy_m: evidence.accuracy,
            provider: evidence.provider.clone(),
            mock_location: evidence.mock_location,
            captured_at_ms: now,
        }),
        (None, None) => None,
        _ => return Err(FieldError::Invalid("give both --lat and --lon".into())),
    };
    let face = evidence.face_score.map(|score| FaceMatch {
        matched: score >= evidence.face_threshold,
        score,
        threshold: evidence.face_threshold,
        model: evidence.face_model.clone(),
    });
    Ok(Entry {
        kind: Some(kind),
        gps,
        face,
        qr: evidence.qr.clone(),
        leave: None,
        note: evidence.note.clone(),
    })
}

async fn execute(cli: Cli) -> Result<(), FieldError> {
    let clock: Box<dyn Clock> = match &cli.clock_file {
        Some(path) => Box::new(FileClock::new(path.clone())),
        None => Box::new(SystemClock),
    };
    let store = Store::open(&cli.data).await?;
    match cli.command {
        Command::Register {
            server,
            token,
            platform,
            again,
        } => {
            let registered = if again {
                registration::register_again(&store, clock.as_ref(), &server, &token, &platform)
                    .await?
            } else {
                registration::register(&store, clock.as_ref(), &server, &token, &platform).await?
            };
            println!(
                "Registered device {} for employee {} ({}). Records can now be made offline.",
                registered.device_id, registered.employee_id, registered.status
            );
        }
        Command::CheckIn(evidence) => {
            store_entry(
                &store,
                clock.as_ref(),
                entry(RecordKind::CheckIn, &evidence, clock.as_ref())?,
            )
            .await?
        }
        Command::CheckOut(evidence) => {
            store_entry(
                &store,
                clock.as_ref(),
                entry(RecordKind::CheckOut, &evidence, clock.as_ref())?,
            )
            .await?
        }
        Command::BreakStart(evidence) => {
            store_entry(
                &store,
                clock.as_ref(),
                entry(RecordKind::BreakStart, &evidence, clock.as_ref())?,
            )
            .await?
        }
        Command::BreakEnd(evidence) => {
            store_entry(
                &store,
                clock.as_ref(),
                entry(RecordKind::BreakEnd, &evidence, clock.as_ref())?,
            )
            .await?
        }
        Command::Leave {
            leave_type,
            from,
            to,
            reason,
        } => {
            let leave = Entry {
                kind: Some(RecordKind::LeaveRequest),
                leave: Some(LeaveDetails {
                    leave_type,
                    starts_on: from,
                    ends_on: to,
                    reason,
                }),
                ..Default::default()
            };
            store_entry(&store, clock.as_ref(), leave).await?;
        }
        Command::Records => print::overview(&views::overview(&store, clock.as_ref()).await?),
        Command::Sync { network } => {
            let report = sync_once(&store, clock.as_ref(), Network::parse(&network)?).await?;
            print::confirmation(&report);
        }
        Command::Conflicts => print::conflicts(&views::conflicts(&store).await?),
        Command::LeaveRequests => print::leave_requests(&leave_view::leave_requests(&store).await?),
        Command::Withdraw { record_id, note } => {
            actions::queue(&store, clock.as_ref(), &record_id, "withdraw", note).await?;
            println!("Withdrawal of {record_id} queued; it is sent with the next sync.");
        }
        Command::Annotate { record_id, note } => {
            actions::queue(&store, clock.as_ref(), &record_id, "annotate", Some(note)).await?;
            println!("Note on {record_id} queued; it is sent with the next sync.");
        }
        Command::Status => {
            print::status(&store, &views::overview(&store, clock.as_ref()).await?).await?
        }
        Command::Run {
            network,
            network_file,
            poll_seconds,
            base_backoff_seconds,
        } => {
            let source = match network_file {
                Some(path) => NetworkSource::File(path),
                None => NetworkSource::Fixed(Network::parse(&network)?),
            };
            let options = Options {
                network: source,
                poll: Duration::from_millis((poll_seconds * 1000.0) as u64),
                base_backoff: Duration::from_millis((base_backoff_seconds * 1000.0) as u64),
                ..Options::default()
            };
            println!("Agent running; stop it with Ctrl-C.");
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            agent::run(&store, clock.as_ref(), &options, print::event, stop).await?;
        }
    }
    Ok(())
}

async fn store_entry(store: &Store, clock: &dyn Clock, entry: Entry) -> Result<(), FieldError> {
    let kind = entry.kind.map(|k| k.as_str()).unwrap_or_default();
    let stored = recorder::record(store, clock, entry).await?;
    println!(
        "Stored {kind} {} (sequence {}); it syncs when the network returns.",
        stored.record_id, stored.sequence
    );
    for warning in stored.warnings {
        println!("warning: {warning}");
    }
    Ok(())
}
