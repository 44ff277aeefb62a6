use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 24 * HOUR;

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Polls `check` until it holds or `seconds` pass.
pub async fn wait_for<F, Fut>(seconds: u64, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
    while std::time::Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// A phone: the `field-app` binary with its own data folder, a simulated clock and a
/// network file.
pub struct Phone {
    folder: tempfile::TempDir,
    agents: Vec<Child>,
}

impl Phone {
    pub fn new() -> Self {
        let phone = Self {
            folder: tempfile::tempdir().unwrap(),
            agents: Vec::new(),
        };
        phone.set_clock(0, "boot-1", now_ms() - HOUR, 0);
        phone.set_network("wifi");
        phone
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    /// Moves the phone in time: its now is real time + `shift_ms`, it booted at
    /// `boot_at_ms` (real time), and its wall clock is `skew_ms` off.
    pub fn set_clock(&self, shift_ms: i64, boot_id: &str, boot_at_ms: i64, skew_ms: i64) {
        std::fs::write(
            self.path("clock.json"),
            json!({"shift_ms": shift_ms, "boot_id": boot_id, "boot_at_ms": boot_at_ms, "wall_skew_ms": skew_ms}).to_string(),
        )
        .unwrap();
    }

    pub fn set_network(&self, network: &str) {
        std::fs::write(self.path("network"), network).unwrap();
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_field-app"));
        command
            .arg("--data")
            .arg(self.path("data"))
            .arg("--clock-file")
            .arg(self.path("clock.json"))
            .args(args);
        command
    }

    /// The command for `args`, for tests that manage the process themselves.
    pub fn command_for_test(&self, args: &[&str]) -> Command {
        self.command(args)
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run field-app")
    }

    pub fn run_ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "field-app {} failed:\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Starts `field-app` in the background (killed when the phone is dropped).
    pub fn spawn(&mut self, args: &[&str]) -> &mut Child {
        let log =
            std::fs::File::create(self.path(&format!("agent-{}.log", self.agents.len()))).unwrap();
        let child = self
            .command(args)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .expect("start field-app");
        self.agents.push(child);
        self.agents.last_mut().unwrap()
    }

    /// Starts the agent, reading the network from the phone's network file.
    pub fn start_agent(&mut self) {
        let network = self.path("network").display().to_string();
        self.spawn(&[
            "run",
            "--network-file",
            &network,
            "--poll-seconds",
            "0.2",
            "--base-backoff-seconds",
            "0.2",
        ]);
    }

    /// What the background processes printed.
    pub fn agent_log(&self) -> String {
        (0..self.agents.len())
            .map(|n| {
                std::fs::read_to_string(self.path(&format!("agent-{n}.log"))).unwrap_or_default()
            })
            .collect()
    }

    pub fn stop_agents(&mut self) {
        for mut child in self.agents.drain(..) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn register(&self, url: &str, token: &str) {
        self.run_ok(&["register", "--server", url, "--token", token]);
    }

    /// Records an attendance event now (by the phone's clock) at the depot.
    pub fn record(&self, command: &str) -> String {
        let out = self.run_ok(&[command, "--lat", "52.52", "--lon", "13.405"]);
        out.split_whitespace().nth(2).unwrap().to_owned()
    }

    /// `field-app records` lines as (sequence, kind, state, record id).
    pub fn records(&self) -> Vec<(i64, String, String, String)> {
        self.run_ok(&["records"])
            .lines()
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                let sequence = words.next()?.parse().ok()?;
                let kind = words.next()?.to_owned();
                let state = words.next()?.to_owned();
                let id = line.split_whitespace().find(|w| w.len() == 36)?.to_owned();
                Some((sequence, kind, state, id))
            })
            .collect()
    }
}

impl Drop for Phone {
    fn drop(&mut self) {
        self.stop_agents();
    }
}
