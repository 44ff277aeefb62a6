//! The suite's configuration: defaults < `suite.toml` < `DATABASE_URL` < `SUITE__…`
//! environment variables (for example `SUITE__SERVER__PORT=9090`).

use anyhow::Context;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Everything the suite can be told.
#[derive(Debug, Clone, Deserialize)]
pub struct SuiteConfig {
    /// The HTTP server.
    pub server: ServerConfig,
    /// The shared database.
    pub database: DatabaseConfig,
    /// Installed modules and what each gets at start.
    pub modules: ModulesConfig,
    /// Sync hub limits.
    pub sync: SyncConfig,
    /// Log verbosity.
    pub log: LogConfig,
    /// Folder for the embedded database and module files.
    pub data_dir: PathBuf,
}

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
pub struct ServerConfig {
    /// Interface to listen on.
    pub host: String,
    /// Port; 0 picks a free one (the chosen address is printed).
    pub port: u16,
    /// actix-web worker threads.
    pub workers: usize,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// `[server.tls]`: serve HTTPS with this certificate and key (browsers run the
    /// employee's web app only in a secure context: HTTPS, or 127.0.0.1).
    #[serde(default)]
    pub tls: Option<TlsConfig>,
}

/// `[server.tls]`
#[derive(Debug, Clone, Deserialize)]
pub struct TlsConfig {
    /// PEM file with the certificate chain, the server's certificate first.
    pub certificate: PathBuf,
    /// PEM file with the certificate's private key (PKCS#8, PKCS#1 or SEC1).
    pub private_key: PathBuf,
}

/// `[database]`
#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseConfig {
    /// `sqlite://…`, `postgres://…` or `mysql://…`.
    pub url: String,
    /// The host's own pool size.
    pub max_connections: u32,
}

/// `[modules]`
#[derive(Debug, Clone, Deserialize)]
pub struct ModulesConfig {
    /// The folder holding `<Name>/module.toml` and the library.
    pub path: PathBuf,
    /// Threads of each module's runtime.
    pub worker_threads: u32,
    /// Each module's pool size.
    pub max_db_connections: u32,
}

/// `[sync]`
#[derive(Debug, Clone, Deserialize)]
pub struct SyncConfig {
    /// Pull page size when the client names none.
    pub default_pull_limit: u32,
    /// Largest pull page a client may ask for.
    pub max_pull_limit: u32,
}

/// `[log]`
#[derive(Debug, Clone, Deserialize)]
pub struct LogConfig {
    /// `error`, `warn`, `info`, `debug` or `trace`, or a tracing filter directive.
    pub level: String,
    /// `text` for people at a terminal, `json` (one object per line) for a log collector.
    pub format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines, coloured on a terminal.
    Text,
    /// One JSON object per line.
    Json,
}

const DEFAULT_CONFIG_FILE: &str = "suite.toml";

impl SuiteConfig {
    /// Loads the configuration. `file` must exist when given; otherwise `./suite.toml` is
    /// read if present.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut builder = config::Config::builder()
            .set_default("server.host", "127.0.0.1")?
            .set_default("server.port", 8080)?
            .set_default("server.workers", 2)?
            .set_default("server.max_body_bytes", 8 * 1024 * 1024)?
            .set_default("database.url", "sqlite://./data/suite.db?mode=rwc")?
            .set_default("database.max_connections", 5)?
            .set_default("modules.path", "./modules")?
            .set_default("modules.worker_threads", 2)?
            .set_default("modules.max_db_connections", 4)?
            .set_default("sync.default_pull_limit", 200)?
            .set_default("sync.max_pull_limit", 1000)?
            .set_default("log.level", "info")?
            .set_default("log.format", "text")?
            .set_default("data_dir", "./data")?;
        builder = match file {
            Some(path) => builder.add_source(config::File::from(path).required(true)),
            None => builder
                .add_source(config::File::from(Path::new(DEFAULT_CONFIG_FILE)).required(false)),
        };
        if let Ok(url) = std::env::var("DATABASE_URL") {
            builder = builder.set_override("database.url", url)?;
        }
        if let Ok(url) = std::env::var("SUITE__DATABASE__URL") {
            builder = builder.set_override("database.url", url)?;
        }
        let settings = builder
            .add_source(
                config::Environment::with_prefix("SUITE")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true),
            )
            .build()
            .context("cannot read the configuration")?;
        settings
            .try_deserialize()
            .context("invalid configuration (check suite.toml and SUITE__… variables)")
    }
}
