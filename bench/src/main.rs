//! Benchmarks of the suite with OfflineTracking, measured from outside: the real release
//! `suite` binary with the real module library, over real HTTP, on a database of the
//! benchmark's own (embedded SQLite, or a fresh database on the server `--database-url`
//! names, dropped afterwards).
//!
//! `cargo run --release -p bench -- SCENARIO [--database-url URL] [--quick]`
//!
//! Each scenario prints one line, `RESULT <scenario> key=value …`. Speed is measured here
//! and written down in `docs/BENCHMARKS.md`; nothing here passes or fails on a figure.
//! What a scenario does check is correctness under load: every record stored exactly once.

mod phone;
mod report;
mod scenarios;
mod server;

use clap::{Parser, ValueEnum};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Benchmarks of the suite with OfflineTracking, measured over HTTP")]
struct Args {
    /// What to measure.
    scenario: Scenario,
    /// A PostgreSQL or MySQL/MariaDB server to create the benchmark's database on
    /// (default: embedded SQLite).
    #[arg(long)]
    database_url: Option<String>,
    /// Small sizes, for a run under a minute (CI runs every scenario this way).
    #[arg(long)]
    quick: bool,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Scenario {
    /// Records per second through the sync hub, against multi-row INSERT (and COPY).
    Ingest,
    /// Thousands of phones coming back at once: latency percentiles, errors, memory.
    Herd,
    /// Push latency as one employee's history grows.
    History,
    /// One device's pull latency as the change log grows.
    Pull,
    /// A trivial handler through a loaded module and compiled into the host.
    Boundary,
    /// The field app's durable enqueue, and how many records fit in 100 MB.
    Device,
    /// Every scenario in turn.
    All,
}

/// How big a run is.
#[derive(Clone, Copy)]
pub struct Size {
    pub quick: bool,
}

impl Size {
    /// `full` normally, `quick` with `--quick`.
    pub fn pick<T>(self, full: T, quick: T) -> T {
        if self.quick { quick } else { full }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let size = Size { quick: args.quick };
    let url = args.database_url.filter(|url| !url.is_empty());
    let scenarios = match args.scenario {
        Scenario::All => vec![
            Scenario::Device,
            Scenario::Boundary,
            Scenario::Pull,
            Scenario::History,
            Scenario::Ingest,
            Scenario::Herd,
        ],
        one => vec![one],
    };
    for scenario in scenarios {
        let result = match scenario {
            Scenario::Ingest => scenarios::ingest::run(size, url.clone()).await,
            Scenario::Herd => scenarios::herd::run(size, url.clone()).await,
            Scenario::History => scenarios::history::run(size, url.clone()).await,
            Scenario::Pull => scenarios::pull::run(size, url.clone()).await,
            Scenario::Boundary => scenarios::boundary::run(size, url.clone()).await,
            Scenario::Device => scenarios::device::run(size).await,
            Scenario::All => unreachable!("expanded above"),
        };
        match result {
            Ok(report) => println!("{report}"),
            Err(error) => {
                eprintln!("error: {error:#}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
