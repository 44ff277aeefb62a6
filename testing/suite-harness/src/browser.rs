//! A real headless Chromium (Debian's `chromium` and `chromium-driver`, which
//! `scripts/prerequisites --install` installs), driven over WebDriver, for tests of what a
//! person sees in a browser. Each browser has a fresh profile and its own driver process.

use crate::{free_port, workspace_root};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where Debian installs the driver and the browser.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A headless Chromium session.
pub struct Browser {
    client: Client,
    driver: Child,
    profile: Arc<tempfile::TempDir>,
}

/// A DevTools protocol command, sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct DevTools {
    command: String,
    params: serde_json::Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({"cmd": self.command, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}

impl Browser {
    /// Starts the driver and a browser with a fresh profile.
    pub async fn start() -> Self {
        let profile = tempfile::tempdir().expect("a browser profile folder");
        Self::start_with_profile(Arc::new(profile)).await
    }

    /// Starts the driver and a browser on `profile`: what an earlier browser on it stored
    /// (IndexedDB, service workers, caches) is there, as after closing and reopening a
    /// browser on a phone.
    pub async fn start_with_profile(profile: Arc<tempfile::TempDir>) -> Self {
        Self::launch(profile, &[]).await
    }

    /// Starts a browser that accepts a self-signed certificate, for a suite serving HTTPS
    /// with a test certificate (the page still counts as a secure context).
    pub async fn start_trusting_test_certificates() -> Self {
        let profile = tempfile::tempdir().expect("a browser profile folder");
        Self::launch(Arc::new(profile), &["--ignore-certificate-errors"]).await
    }

    async fn launch(profile: Arc<tempfile::TempDir>, extra_args: &[&str]) -> Self {
        let port = free_port();
        let mut driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot start {CHROMEDRIVER} ({error}): run scripts/prerequisites --install")
            });
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                let _ = driver.kill();
                panic!("chromedriver did not listen on port {port} within 20 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--window-size=1280,900",
        ]
        .into_iter()
        .chain(extra_args.iter().copied())
        .map(str::to_owned)
        .collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_owned(),
            serde_json::json!({"binary": CHROMIUM, "args": args}),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|error| {
                let _ = driver.kill();
                panic!("cannot start Chromium through chromedriver: {error}")
            });
        Self {
            client,
            driver,
            profile,
        }
    }

    /// This browser's profile, to open another browser on it later.
    pub fn profile(&self) -> Arc<tempfile::TempDir> {
        Arc::clone(&self.profile)
    }

    /// Sends a DevTools protocol command (such as `Emulation.setGeolocationOverride`) to
    /// the page, and answers its result.
    pub async fn devtools(&self, command: &str, params: serde_json::Value) -> serde_json::Value {
        self.client
            .issue_cmd(DevTools {
                command: command.to_owned(),
                params,
            })
            .await
            .unwrap_or_else(|error| panic!("DevTools {command}: {error}"))
    }

    /// The WebDriver session.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Opens `url` and waits for the page.
    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("open the page");
    }

    /// Types `text` into the field with this id.
    pub async fn fill(&self, id: &str, text: &str) {
        let field = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|error| panic!("no field #{id}: {error}"));
        field.clear().await.expect("clear the field");
        field.send_keys(text).await.expect("type into the field");
    }

    /// Clicks the button with this text and waits (at most 5 s) for the page it leads to;
    /// when the browser keeps the page (its own form checks refused), it returns after
    /// that wait.
    pub async fn press(&self, label: &str) {
        let xpath = format!("//button[normalize-space()='{label}']");
        let before = self
            .client
            .find(Locator::Css("html"))
            .await
            .expect("a page");
        self.client
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|error| panic!("no button {label:?}: {error}"))
            .click()
            .await
            .expect("click the button");
        // The old document goes stale once the answer replaced it.
        for _ in 0..100 {
            if before.tag_name().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of the first element matching `css`.
    pub async fn text_of(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("no {css}: {error}"))
            .text()
            .await
            .unwrap_or_else(|error| panic!("no text in {css}: {error}"))
    }

    /// Clicks the element `locator` finds (without waiting for a page it may lead to).
    pub async fn click(&self, locator: Locator<'_>) {
        self.client
            .find(locator)
            .await
            .unwrap_or_else(|error| panic!("nothing to click at {locator:?}: {error}"))
            .click()
            .await
            .unwrap_or_else(|error| panic!("cannot click {locator:?}: {error}"));
    }

    /// Waits (at most 20 s) until `script` returns `true` in the page, such as a form the
    /// page's own script reveals; panics naming `what` otherwise.
    pub async fn wait_until(&self, script: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.client.execute(script, vec![]).await.ok() != Some(serde_json::json!(true)) {
            assert!(Instant::now() < deadline, "after 20 s, still not: {what}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text a person sees on the page.
    pub async fn text(&self) -> String {
        // Right after a click the old page may still be going away: read again until a
        // page answers (bounded).
        let mut last_error = None;
        for _ in 0..50 {
            let read = match self.client.find(Locator::Css("body")).await {
                Ok(body) => body.text().await,
                Err(error) => Err(error),
            };
            match read {
                Ok(text) => return text,
                Err(error) => last_error = Some(error),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no page text after 2.5 s: {last_error:?}")
    }

    /// The path of the page shown now.
    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("the current address")
            .path()
            .to_owned()
    }

    /// Saves a screenshot as `target/screenshots/{name}.png` and answers its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let folder = workspace_root().join("target/screenshots");
        std::fs::create_dir_all(&folder).expect("the screenshots folder");
        let path = folder.join(format!("{name}.png"));
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(&path, png).expect("write the screenshot");
        path
    }

    /// Kills the browser as a phone's system would (SIGKILL, no chance to clean up), and
    /// its driver; what it stored on its profile stays.
    pub fn kill(mut self) {
        let profile = self.profile.path().display().to_string();
        let _ = Command::new("pkill")
            .args(["-KILL", "-f", &format!("user-data-dir={profile}")])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
