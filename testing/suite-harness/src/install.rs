use super::{RunningSuite, TestDatabase};
use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

/// The module libraries the workspace builds.
#[derive(Clone, Copy, Debug)]
pub enum Module {
    OfflineTracking,
    Hello,
    Probe,
}

impl Module {
    /// The module's name, also its folder.
    pub fn name(self) -> &'static str {
        match self {
            Module::OfflineTracking => "OfflineTracking",
            Module::Hello => "HelloModule",
            Module::Probe => "Probe",
        }
    }

    fn library(self) -> &'static str {
        match self {
            Module::OfflineTracking => "liboffline_tracking.so",
            Module::Hello => "libhello_module.so",
            Module::Probe => "libprobe_module.so",
        }
    }

    fn crate_dir(self) -> PathBuf {
        let root = workspace_root();
        match self {
            Module::OfflineTracking => root.join("offline-tracking"),
            Module::Hello => root.join("examples/hello-module"),
            Module::Probe => root.join("fixtures/probe-module"),
        }
    }

    /// The library as cargo built it.
    pub fn built_library(self) -> PathBuf {
        let path = build_dir().join(self.library());
        assert!(
            path.is_file(),
            "{} is not built: run `cargo build --workspace` before the tests (the README's test command does)",
            path.display()
        );
        path
    }
}

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The folder of this build's binaries and libraries (`target/<profile>`): a test binary
/// sits in its `deps` folder, a workspace binary (the benchmarks) in the folder itself.
pub fn build_dir() -> PathBuf {
    let running = std::env::current_exe().expect("the running binary's path");
    let folder = running.parent().expect("target/<profile>/…");
    let folder = if folder.file_name().is_some_and(|name| name == "deps") {
        folder.parent().expect("target/<profile>/deps")
    } else {
        folder
    };
    folder.to_path_buf()
}

/// The `suite` binary of this build.
fn suite_binary() -> PathBuf {
    let path = build_dir().join("suite");
    assert!(
        path.is_file(),
        "{} is not built: run `cargo build --workspace` before the tests (the README's test command does)",
        path.display()
    );
    path
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// The `error: …` lines a command printed.
pub fn error_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| line.starts_with("error: "))
        .map(str::to_owned)
        .collect()
}

/// A suite installation: a folder with `modules/`, `data/` and a database of its own.
pub struct SuiteHome {
    // Declared before `folder` so the database is dropped while its files still exist.
    pub database: TestDatabase,
    folder: tempfile::TempDir,
    extra_env: Vec<(String, String)>,
}

impl SuiteHome {
    /// An empty installation whose suite tables are migrated.
    pub async fn new() -> Self {
        let home = Self::unmigrated().await;
        home.run_ok(&["migrate"]);
        home
    }

    /// A migrated installation on embedded SQLite, whatever `TEST_DATABASE_URL` says.
    pub async fn new_on_sqlite() -> Self {
        let home = Self::unmigrated_on(true).await;
        home.run_ok(&["migrate"]);
        home
    }

    /// A migrated installation on a fresh database on the server named by `server_url`
    /// (dropped afterwards), or on embedded SQLite with `None`, whatever
    /// `TEST_DATABASE_URL` says.
    pub async fn new_on_server(server_url: Option<String>) -> Self {
        let folder = tempfile::tempdir().expect("temporary folder");
        let database = TestDatabase::create_on(folder.path(), server_url).await;
        let home = Self::in_folder(folder, database);
        home.run_ok(&["migrate"]);
        home
    }

    /// An empty installation on an empty database.
    pub async fn unmigrated() -> Self {
        Self::unmigrated_on(false).await
    }

    async fn unmigrated_on(sqlite: bool) -> Self {
        let folder = tempfile::tempdir().expect("temporary folder");
        let database = if sqlite {
            TestDatabase::create_sqlite(folder.path()).await
        } else {
            TestDatabase::create(folder.path()).await
        };
        Self::in_folder(folder, database)
    }

    fn in_folder(folder: tempfile::TempDir, database: TestDatabase) -> Self {
        std::fs::create_dir_all(folder.path().join("modules")).expect("modules folder");
        Self {
            database,
            folder,
            extra_env: Vec::new(),
        }
    }

    /// Sets a configuration variable for every later command.
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.extra_env.push((key.to_owned(), value.to_owned()));
    }

    /// Forgets a variable set with [`SuiteHome::set_env`] for later commands.
    pub fn remove_env(&mut self, key: &str) {
        self.extra_env.retain(|(name, _)| name != key);
    }

    /// The value of a configuration variable set with [`SuiteHome::set_env`].
    pub fn env(&self, key: &str) -> Option<&str> {
        self.extra_env
            .iter()
            .rev()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    }

    /// The installation's folder.
    pub fn path(&self) -> &Path {
        self.folder.path()
    }

    /// The folder a module is installed in.
    pub fn module_dir(&self, name: &str) -> PathBuf {
        self.path().join("modules").join(name)
    }

    /// Installs a built module as an operator would: `modules/<Name>/{module.toml, lib…}`.
    pub fn install(&self, module: Module) -> PathBuf {
        let folder = self.module_dir(module.name());
        std::fs::create_dir_all(&folder).expect("module folder");
        std::fs::copy(
            module.crate_dir().join("module.toml"),
            folder.join("module.toml"),
        )
        .expect("copy module.toml");
        std::fs::copy(module.built_library(), folder.join(module.library())).expect("copy library");
        folder
    }

    /// Installs, enables and migrates modules.
    pub fn install_enabled(&self, modules: &[Module]) {
        for module in modules {
            self.install(*module);
        }
        let names: Vec<&str> = modules.iter().map(|m| m.name()).collect();
        let mut args = vec!["module:enable"];
        args.extend(names);
        self.run_ok(&args);
        self.run_ok(&["migrate"]);
    }

    /// A suite command, configured for this installation, to run as the caller needs.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(suite_binary());
        command
            .args(args)
            .current_dir(self.path())
            .env_remove("RUST_LOG")
            .env("DATABASE_URL", &self.database.url)
            .env("SUITE__MODULES__PATH", self.path().join("modules"))
            .env("SUITE__DATA_DIR", self.path().join("data"))
            .env("SUITE__LOG__LEVEL", "warn");
        for (key, value) in &self.extra_env {
            command.env(key, value);
        }
        command
    }

    /// Runs a suite command.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run the suite binary")
    }

    /// Runs a suite command that must succeed, and answers its standard output.
    pub fn run_ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "suite {} failed:\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Creates the demo organisation and answers (admin token, employee token).
    pub fn demo_tokens(&self) -> (String, String) {
        let demo = self.demo();
        (demo.admin_token, demo.employee_token)
    }

    /// Creates the demo organisation and answers what `suite demo` printed for its people.
    pub fn demo(&self) -> DemoPeople {
        let output = self.run_ok(&["demo"]);
        let value = |key: &str| {
            output
                .lines()
                .find_map(|line| line.trim_start().strip_prefix(key))
                .unwrap_or_else(|| panic!("no {key} in:\n{output}"))
                .to_owned()
        };
        let admin_line = value("admin:");
        let employee_line = value("employee:");
        let first_word = |line: &str| {
            line.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        DemoPeople {
            employee_email: first_word(&employee_line),
            admin_token: value("ADMIN_TOKEN="),
            employee_token: value("EMPLOYEE_TOKEN="),
            admin_password: value("ADMIN_PASSWORD="),
            employee_password: value("EMPLOYEE_PASSWORD="),
            admin_email: first_word(&admin_line),
        }
    }

    /// Runs `user:create --password-stdin` in organisation `org` with `password` typed on
    /// standard input, as an operator would, and answers the command's output.
    pub fn create_user_with_password(
        &self,
        org: &str,
        (email, name): (&str, &str),
        role: &str,
        employee: bool,
        password: &str,
    ) -> std::process::Output {
        use std::io::Write;
        let mut args = vec![
            "user:create",
            "--org",
            org,
            "--email",
            email,
            "--name",
            name,
            "--role",
            role,
            "--password-stdin",
        ];
        if employee {
            args.push("--employee");
        }
        let mut child = self
            .command(&args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run user:create");
        if let Some(mut stdin) = child.stdin.take() {
            writeln!(stdin, "{password}").expect("type the password");
        }
        child.wait_with_output().expect("user:create finishes")
    }

    /// Creates organisation `acme` with an administrator, alex@acme.test ("Alex Admin"), and
    /// an employee with an employee record, sam@acme.test ("Sam Field"), both signing in
    /// with `password`.
    pub fn create_acme_with_people(&self, password: &str) {
        self.run_ok(&["org:create", "Acme", "--slug", "acme"]);
        for (person, role, employee) in [
            (("alex@acme.test", "Alex Admin"), "admin", false),
            (("sam@acme.test", "Sam Field"), "employee", true),
        ] {
            let output = self.create_user_with_password("acme", person, role, employee, password);
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }

    /// Starts `suite serve` on a free port.
    pub fn serve(&self) -> RunningSuite {
        RunningSuite::start(self, 0)
    }

    /// Starts `suite serve` on `port`, so it can be stopped and started again at the same
    /// address (see [`free_port`]).
    pub fn serve_on(&self, port: u16) -> RunningSuite {
        RunningSuite::start(self, port)
    }

    /// Names and statuses recorded in `installed_modules`.
    pub async fn recorded_modules(&self) -> Vec<(String, String)> {
        self.database
            .rows("SELECT name, status FROM installed_modules ORDER BY name")
            .await
            .into_iter()
            .map(|row| (row[0].clone(), row[1].clone()))
            .collect()
    }
}

/// The demo organisation's people, as `suite demo` printed them.
#[derive(Clone, Debug)]
pub struct DemoPeople {
    /// The administrator's bearer token.
    pub admin_token: String,
    /// The employee's bearer token.
    pub employee_token: String,
    /// The administrator's sign-in e-mail.
    pub admin_email: String,
    /// The employee's sign-in e-mail.
    pub employee_email: String,
    /// The administrator's password.
    pub admin_password: String,
    /// The employee's password.
    pub employee_password: String,
}
