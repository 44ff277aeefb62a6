use super::device::TestDevice;
use serde_json::{Value, json};
use suite_harness::{Module, Reply, RunningSuite, SuiteHome};

/// A suite with OfflineTracking enabled and migrated, serving.
pub struct OtSuite {
    pub suite: RunningSuite,
    // Dropped after the server (fields drop in order).
    pub home: SuiteHome,
}

/// An organisation with an administrator and employees.
pub struct Org {
    pub slug: String,
    pub admin: String,
    /// (employee id, token) per employee.
    pub employees: Vec<(i64, String)>,
}

fn token_in(output: &str) -> String {
    output
        .lines()
        .find_map(|line| line.strip_prefix("Token (shown once): "))
        .unwrap_or_else(|| panic!("no token in:\n{output}"))
        .to_owned()
}

fn employee_id_in(output: &str) -> i64 {
    output
        .lines()
        .find_map(|line| line.strip_prefix("Employee record: id "))
        .and_then(|id| id.trim().parse().ok())
        .unwrap_or_else(|| panic!("no employee id in:\n{output}"))
}

impl OtSuite {
    /// Installs and serves the suite; `orgs` organisations are created first, each with
    /// `employees` employees.
    pub async fn start(orgs: &[&str], employees: usize) -> (Self, Vec<Org>) {
        Self::start_in(SuiteHome::new().await, orgs, employees).await
    }

    /// [`OtSuite::start`] on embedded SQLite, whatever `TEST_DATABASE_URL` says.
    pub async fn start_on_sqlite(orgs: &[&str], employees: usize) -> (Self, Vec<Org>) {
        Self::start_in(SuiteHome::new_on_sqlite().await, orgs, employees).await
    }

    async fn start_in(home: SuiteHome, orgs: &[&str], employees: usize) -> (Self, Vec<Org>) {
        home.install_enabled(&[Module::OfflineTracking]);
        let mut created = Vec::new();
        for slug in orgs {
            home.run_ok(&["org:create", &format!("Org {slug}"), "--slug", slug]);
            let admin = token_in(&home.run_ok(&[
                "user:create",
                "--org",
                slug,
                "--email",
                &format!("admin@{slug}.test"),
                "--name",
                "Admin",
                "--role",
                "admin",
            ]));
            let mut people = Vec::new();
            for n in 0..employees {
                let output = home.run_ok(&[
                    "user:create",
                    "--org",
                    slug,
                    "--email",
                    &format!("worker{n}@{slug}.test"),
                    "--name",
                    &format!("Worker {n}"),
                    "--role",
                    "employee",
                    "--employee",
                ]);
                people.push((employee_id_in(&output), token_in(&output)));
            }
            created.push(Org {
                slug: (*slug).to_owned(),
                admin,
                employees: people,
            });
        }
        let suite = home.serve();
        (Self { suite, home }, created)
    }

    /// `GET /admin/modules/offline-tracking{path}` as `org`'s administrator.
    pub async fn admin_get(&self, org: &Org, path: &str) -> Reply {
        self.suite
            .get(
                &format!("/admin/modules/offline-tracking{path}"),
                &org.admin,
            )
            .await
    }

    /// `POST /admin/modules/offline-tracking{path}` as `org`'s administrator.
    pub async fn admin_post(&self, org: &Org, path: &str, body: &Value) -> Reply {
        self.suite
            .post(
                &format!("/admin/modules/offline-tracking{path}"),
                &org.admin,
                body,
            )
            .await
    }

    /// Replaces some of `org`'s OfflineTracking settings.
    pub async fn configure(&self, org: &Org, settings: Value) -> Reply {
        let reply = self
            .suite
            .put(
                "/api/settings/modules/offline-tracking",
                &org.admin,
                &settings,
            )
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        reply
    }

    /// Registers a device for employee `n` of `org`.
    pub async fn device(&self, org: &Org, n: usize) -> TestDevice {
        TestDevice::register(&self.suite, &org.employees[n].1).await
    }

    /// Rows of a table for checks the API does not show.
    pub async fn count(&self, sql: &str) -> i64 {
        self.home.database.rows(sql).await[0][0].parse().unwrap()
    }

    /// An organisation's conflicts of one type, with their resolution.
    pub async fn conflicts(&self, org: &Org, conflict_type: &str) -> Vec<Value> {
        let reply = self
            .admin_get(org, &format!("/conflicts?status=all&type={conflict_type}"))
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        reply.body["conflicts"].as_array().unwrap().clone()
    }

    /// The audit entries about a subject.
    pub async fn audit_of(&self, org: &Org, subject_kind: &str, subject_id: &str) -> Vec<Value> {
        let reply = self
            .admin_get(
                org,
                &format!("/audit?subject_kind={subject_kind}&subject_id={subject_id}"),
            )
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        reply.body["entries"].as_array().unwrap().clone()
    }
}

/// `{"conflict_resolution": policy}` and friends for tests.
pub fn policy(name: &str) -> Value {
    json!({"conflict_resolution": name})
}
