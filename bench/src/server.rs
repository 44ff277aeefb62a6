//! The suite under measurement: the release `suite` binary beside this one, with the
//! OfflineTracking library of the same build installed, enabled and migrated, on a
//! database of its own, serving on a free port; one organisation with its people.

use anyhow::{Context, anyhow, bail};
use sea_orm::DatabaseConnection;
use serde_json::Value;
use suite::entities::organisation;
use suite_harness::{Module, Reply, RunningSuite, SuiteHome};

/// The organisation every scenario works in.
const ORG: &str = "bench";

/// An employee the benchmark created: their bearer token.
#[derive(Clone)]
pub struct Employee {
    pub token: String,
}

/// A served suite with the benchmark's organisation.
pub struct BenchSuite {
    // Fields drop in order: the server stops before its folder and database go.
    pub suite: RunningSuite,
    pub db: DatabaseConnection,
    pub admin_token: String,
    organisation: organisation::Model,
    created: usize,
    pub home: SuiteHome,
}

impl BenchSuite {
    /// Installs the suite with `modules` on a fresh database (SQLite with `None`) and
    /// serves it.
    pub async fn start(database_url: Option<String>, modules: &[Module]) -> anyhow::Result<Self> {
        let mut home = SuiteHome::new_on_server(database_url).await;
        // A log line per request would be measured along with the request.
        home.set_env("SUITE__LOG__LEVEL", "warn");
        home.install_enabled(modules);
        home.run_ok(&["org:create", "Bench", "--slug", ORG]);
        let db = host_sdk::db::connect(&home.database.url, 4)
            .await
            .context("cannot open the benchmark's database")?;
        let organisation = suite::accounts::find_organisation(&db, ORG)
            .await?
            .ok_or_else(|| anyhow!("organisation {ORG} was not created"))?;
        let admin = suite::accounts::create_user(
            &db,
            &organisation,
            "admin@bench.test",
            "Bench Admin",
            &["admin".to_owned()],
            false,
        )
        .await?;
        let admin_token = suite::accounts::issue_token(&db, admin.id, "bench").await?;
        let suite = home.serve();
        Ok(Self {
            suite,
            db,
            admin_token,
            organisation,
            created: 0,
            home,
        })
    }

    /// The suite with OfflineTracking.
    pub async fn offline_tracking(database_url: Option<String>) -> anyhow::Result<Self> {
        Self::start(database_url, &[Module::OfflineTracking]).await
    }

    /// Serves again, with the server's clock moved by [`ServerClock`] when `clock` is
    /// given, on the real clock otherwise. The data stays; the old server stops.
    pub fn serve_again(&mut self, clock: Option<&ServerClock>) -> anyhow::Result<()> {
        for key in ServerClock::VARIABLES {
            self.home.remove_env(key);
        }
        if let Some(clock) = clock {
            for (key, value) in clock.variables()? {
                self.home.set_env(key, &value);
            }
        }
        let old = std::mem::replace(&mut self.suite, self.home.serve());
        old.stop();
        Ok(())
    }

    /// The organisation's id.
    pub fn organisation_id(&self) -> i64 {
        self.organisation.id
    }

    /// Creates `count` employees, each with a bearer token, straight through the suite's
    /// account functions (setting up is not what is measured).
    pub async fn employees(&mut self, count: usize) -> anyhow::Result<Vec<Employee>> {
        let mut people = Vec::with_capacity(count);
        for _ in 0..count {
            self.created += 1;
            let n = self.created;
            let user = suite::accounts::create_user(
                &self.db,
                &self.organisation,
                &format!("worker{n}@bench.test"),
                &format!("Worker {n}"),
                &["employee".to_owned()],
                true,
            )
            .await?;
            if user.employee_id.is_none() {
                bail!("worker {n} has no employee record");
            }
            let token = suite::accounts::issue_token(&self.db, user.id, "bench").await?;
            people.push(Employee { token });
        }
        Ok(people)
    }

    /// Replaces some of the organisation's OfflineTracking settings.
    pub async fn configure(&self, settings: Value) -> anyhow::Result<()> {
        let reply = self
            .suite
            .put(
                "/api/settings/modules/offline-tracking",
                &self.admin_token,
                &settings,
            )
            .await;
        expect_status(&reply, 200, "saving the settings")
    }

    /// The server's peak resident memory so far, in MiB (Linux's `VmHWM`).
    pub fn peak_rss_mib(&self) -> anyhow::Result<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.suite.pid()))
            .context("reading the server's memory")?;
        let kib: f64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or_else(|| anyhow!("no VmHWM in /proc/…/status"))?;
        Ok(kib / 1024.0)
    }

    /// Context switches of every thread of the server so far (voluntary and not).
    pub fn context_switches(&self) -> anyhow::Result<u64> {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", self.suite.pid()))
            .context("reading the server's threads")?;
        let mut total = 0;
        for task in tasks.filter_map(Result::ok) {
            let Ok(status) = std::fs::read_to_string(task.path().join("status")) else {
                continue; // the thread ended meanwhile
            };
            total += status
                .lines()
                .filter(|line| line.contains("ctxt_switches:"))
                .filter_map(|line| line.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum::<u64>();
        }
        Ok(total)
    }

    /// The number a `SELECT COUNT(*) …` answers.
    pub async fn count(&self, sql: &str) -> anyhow::Result<i64> {
        let rows = self.home.database.rows(sql).await;
        rows.first()
            .and_then(|row| row.first())
            .and_then(|value| value.parse().ok())
            .ok_or_else(|| anyhow!("no count from {sql}"))
    }

    /// The last lines the server logged, for an error message.
    pub fn log_tail(&self) -> String {
        let log = self.suite.log();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(8)..].join("\n")
    }

    /// Which database the suite runs on.
    pub fn backend(&self) -> sea_orm::DbBackend {
        self.db.get_database_backend()
    }

    /// `sqlite`, `postgres` or `mysql`, for the report.
    pub fn backend_name(&self) -> &'static str {
        match self.backend() {
            sea_orm::DbBackend::Sqlite => "sqlite",
            sea_orm::DbBackend::Postgres => "postgres",
            _ => "mysql",
        }
    }
}

/// Fails with what the server said unless it answered `status`.
pub fn expect_status(reply: &Reply, status: u16, doing: &str) -> anyhow::Result<()> {
    if reply.status != status {
        bail!(
            "{doing}: the server answered {} {}",
            reply.status,
            reply.text.chars().take(400).collect::<String>()
        );
    }
    Ok(())
}

/// A server clock the benchmark moves: libfaketime reads the offset from a file at every
/// clock reading, so records from years ago can be pushed when they would have been,
/// within the organisation's max offline days, as a phone syncing every day did.
pub struct ServerClock {
    file: tempfile::NamedTempFile,
}

impl ServerClock {
    const VARIABLES: [&str; 4] = [
        "LD_PRELOAD",
        "FAKETIME_TIMESTAMP_FILE",
        "FAKETIME_NO_CACHE",
        "FAKETIME_DONT_FAKE_MONOTONIC",
    ];

    pub fn new() -> anyhow::Result<Self> {
        let clock = Self {
            file: tempfile::NamedTempFile::new()?,
        };
        clock.set(crate::phone::now_ms())?;
        Ok(clock)
    }

    /// Moves the server's clock to `at_ms`.
    pub fn set(&self, at_ms: i64) -> anyhow::Result<()> {
        let offset_s = (at_ms - crate::phone::now_ms()).div_euclid(1000);
        std::fs::write(self.file.path(), format!("{offset_s:+}\n"))?;
        Ok(())
    }

    fn variables(&self) -> anyhow::Result<Vec<(&'static str, String)>> {
        let library = [
            "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
            "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
            "/usr/lib/faketime/libfaketime.so.1",
        ]
        .into_iter()
        .find(|path| std::path::Path::new(path).exists())
        .ok_or_else(|| anyhow!("missing libfaketime (scripts/prerequisites --install)"))?;
        Ok(vec![
            ("LD_PRELOAD", library.to_owned()),
            (
                "FAKETIME_TIMESTAMP_FILE",
                self.file.path().display().to_string(),
            ),
            ("FAKETIME_NO_CACHE", "1".to_owned()),
            // Only the calendar moves: timeouts and pools keep the real monotonic clock.
            ("FAKETIME_DONT_FAKE_MONOTONIC", "1".to_owned()),
        ])
    }
}
