use super::SuiteHome;
use serde_json::Value;
use std::{
    io::{BufRead, BufReader},
    process::{Child, Stdio},
    sync::mpsc,
    time::Duration,
};

/// A `suite serve` process, stopped (SIGTERM) when dropped.
pub struct RunningSuite {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    client: reqwest::Client,
    log: std::path::PathBuf,
}

/// An HTTP answer: status, JSON body (Null when not JSON) and headers.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    /// The body as text, for answers that are not JSON.
    pub text: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    /// The `code` of an error body.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }
}

const START_TIMEOUT: Duration = Duration::from_secs(60);

impl RunningSuite {
    pub(crate) fn start(home: &SuiteHome, port: u16) -> Self {
        let log = home
            .path()
            .join(format!("serve-{}.log", uuid::Uuid::new_v4().simple()));
        let log_file = std::fs::File::create(&log).expect("log file");
        let mut child = home
            .command(&["serve"])
            .env("SUITE__SERVER__PORT", port.to_string())
            .env(
                "SUITE__LOG__LEVEL",
                home.env("SUITE__LOG__LEVEL").unwrap_or("info"),
            )
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .expect("start suite serve");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Suite listening on ") {
                    let _ = sender.send(url.trim().to_owned());
                }
            }
        });
        let base_url = match receiver.recv_timeout(START_TIMEOUT) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "suite serve did not start:\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
        };
        Self {
            child,
            base_url,
            client: reqwest::Client::new(),
            log,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends a request; `token` becomes the bearer token.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base_url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.expect("send the request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("read the body");
        Reply {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text: String::from_utf8_lossy(&bytes).into_owned(),
            headers,
        }
    }

    /// `GET path` with a bearer token.
    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send(reqwest::Method::GET, path, Some(token), None, &[])
            .await
    }

    /// `GET path` without credentials.
    pub async fn get_anonymous(&self, path: &str) -> Reply {
        self.send(reqwest::Method::GET, path, None, None, &[]).await
    }

    /// `POST path` with a JSON body.
    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Reply {
        self.send(
            reqwest::Method::POST,
            path,
            Some(token),
            Some(body.to_string().into_bytes()),
            &[],
        )
        .await
    }

    /// `POST path` with a JSON body and no credentials.
    pub async fn post_anonymous(&self, path: &str, body: &Value) -> Reply {
        self.send(
            reqwest::Method::POST,
            path,
            None,
            Some(body.to_string().into_bytes()),
            &[],
        )
        .await
    }

    /// `PUT path` with a JSON body.
    pub async fn put(&self, path: &str, token: &str, body: &Value) -> Reply {
        self.send(
            reqwest::Method::PUT,
            path,
            Some(token),
            Some(body.to_string().into_bytes()),
            &[],
        )
        .await
    }

    /// Stops the server with SIGTERM and answers whether it exited cleanly.
    pub fn stop(mut self) -> bool {
        self.terminate()
    }

    fn terminate(&mut self) -> bool {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..200 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        false
    }
}

impl Drop for RunningSuite {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.terminate();
        }
    }
}
