//! Support for the field app's tests: a phone driven through the real `field-app` binary
//! against a real suite, and a proxy standing for the network between them.

mod phone;
mod proxy;

pub use phone::{DAY, HOUR, Phone, now_ms, wait_for};
pub use proxy::{Mode, Proxy};

use suite_harness::{DemoPeople, Module, RunningSuite, SuiteHome, free_port};

/// A suite with OfflineTracking, served on a port it can come back to.
pub struct Field {
    pub suite: Option<RunningSuite>,
    pub port: u16,
    pub admin: String,
    pub employee: String,
    /// The demo's people, with the passwords they sign in with in a browser.
    pub people: DemoPeople,
    pub home: SuiteHome,
}

impl Field {
    pub async fn start() -> Self {
        let home = SuiteHome::new().await;
        home.install_enabled(&[Module::OfflineTracking]);
        let people = home.demo();
        let port = free_port();
        let suite = Some(home.serve_on(port));
        Self {
            suite,
            port,
            admin: people.admin_token.clone(),
            employee: people.employee_token.clone(),
            people,
            home,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn suite(&self) -> &RunningSuite {
        self.suite.as_ref().expect("the suite is running")
    }

    /// Stops the suite (the phone's network stays up, the server is gone).
    pub fn stop(&mut self) {
        if let Some(suite) = self.suite.take() {
            suite.stop();
        }
    }

    /// Starts it again at the same address.
    pub fn restart(&mut self) {
        self.suite = Some(self.home.serve_on(self.port));
    }

    /// Changes OfflineTracking settings for the demo organisation.
    pub async fn configure(&self, settings: serde_json::Value) {
        let reply = self
            .suite()
            .put(
                "/api/settings/modules/offline-tracking",
                &self.admin,
                &settings,
            )
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
    }

    /// Records the server holds.
    pub async fn server_records(&self) -> i64 {
        self.home
            .database
            .rows("SELECT COUNT(*) FROM ot_records")
            .await[0][0]
            .parse()
            .unwrap()
    }

    /// `GET /admin/modules/offline-tracking{path}`.
    pub async fn admin_get(&self, path: &str) -> serde_json::Value {
        let reply = self
            .suite()
            .get(
                &format!("/admin/modules/offline-tracking{path}"),
                &self.admin,
            )
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        reply.body
    }
}
