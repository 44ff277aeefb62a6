//! The network between phone and suite: forwards HTTP/1.1 requests, and on demand drops or
//! holds the answers to pushes (after the suite committed them), or refuses pushes with
//! 503.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    Forward,
    /// The suite gets the push and commits it; the phone never hears back.
    DropPushAnswers,
    /// The suite's answer to a push reaches the phone this late.
    HoldPushAnswers(Duration),
    /// Pushes are answered 503 with Retry-After, without reaching the suite.
    RefusePushes {
        retry_after_seconds: u64,
    },
}

pub struct Proxy {
    pub port: u16,
    mode: Arc<Mutex<Mode>>,
    pushes: Arc<Mutex<Vec<Instant>>>,
}

struct Message {
    head: String,
    bytes: Vec<u8>,
}

/// Reads one HTTP/1.1 message (head and Content-Length body); None at end of stream.
async fn read_message(stream: &mut TcpStream) -> Option<Message> {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        bytes.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while bytes.len() < head_end + length {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        bytes.extend_from_slice(&buffer[..read]);
    }
    Some(Message { head, bytes })
}

impl Proxy {
    /// Starts the proxy on a thread and runtime of its own, so it keeps serving while a
    /// test waits on a phone process.
    pub async fn start(upstream_port: u16) -> Self {
        let mode = Arc::new(Mutex::new(Mode::Forward));
        let pushes = Arc::new(Mutex::new(Vec::new()));
        let (mode_task, pushes_task) = (mode.clone(), pushes.clone());
        let (port_sender, port_receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                port_sender
                    .send(listener.local_addr().unwrap().port())
                    .unwrap();
                while let Ok((client, _)) = listener.accept().await {
                    tokio::spawn(serve(
                        client,
                        upstream_port,
                        mode_task.clone(),
                        pushes_task.clone(),
                    ));
                }
            });
        });
        let port = port_receiver.recv().unwrap();
        Self { port, mode, pushes }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    /// When each push reached the proxy.
    pub fn pushes(&self) -> Vec<Instant> {
        self.pushes.lock().unwrap().clone()
    }
}

async fn serve(
    mut client: TcpStream,
    upstream_port: u16,
    mode: Arc<Mutex<Mode>>,
    pushes: Arc<Mutex<Vec<Instant>>>,
) {
    while let Some(request) = read_message(&mut client).await {
        let is_push = request.head.starts_with("POST /api/v1/sync/push");
        if is_push {
            pushes.lock().unwrap().push(Instant::now());
        }
        let current = mode.lock().unwrap().clone();
        if let (
            Mode::RefusePushes {
                retry_after_seconds,
            },
            true,
        ) = (&current, is_push)
        {
            let body = r#"{"code":"server_busy","message":"try again later"}"#;
            let answer = format!(
                "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: {retry_after_seconds}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = client.write_all(answer.as_bytes()).await;
            return;
        }
        let Ok(mut upstream) = TcpStream::connect(("127.0.0.1", upstream_port)).await else {
            return;
        };
        if upstream.write_all(&request.bytes).await.is_err() {
            return;
        }
        let Some(answer) = read_message(&mut upstream).await else {
            return;
        };
        match (&current, is_push) {
            (Mode::DropPushAnswers, true) => return,
            (Mode::HoldPushAnswers(delay), true) => tokio::time::sleep(*delay).await,
            _ => {}
        }
        if client.write_all(&answer.bytes).await.is_err() {
            return;
        }
    }
}
