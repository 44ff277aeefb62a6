//! The `suite` command line: an artisan-style set of commands over one binary.

use crate::config::{LogFormat, SuiteConfig};
use crate::{commands, telemetry};
use clap::{Parser, Subcommand};
use std::{path::PathBuf, process::ExitCode};

#[derive(Parser)]
#[command(
    name = "suite",
    version,
    about = "Reference business suite: installs, migrates and serves modules loaded as dynamic libraries"
)]
struct Cli {
    /// Configuration file (default: ./suite.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Log lines as `text` or `json` (overrides log.format).
    #[arg(long, global = true, value_enum)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List every module in the modules folder: version, enabled/disabled/failed, and why.
    #[command(name = "module:list")]
    ModuleList,
    /// Check a module (manifest, ABI, version, requirements) and record it enabled.
    #[command(name = "module:enable")]
    ModuleEnable {
        /// Module names, as their folders are named.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Record a module disabled; its data and schema stay.
    #[command(name = "module:disable")]
    ModuleDisable {
        /// Module names.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Migrate the suite's tables, then every enabled module in dependency order.
    Migrate,
    /// Show applied and pending migrations of the suite and each enabled module.
    #[command(name = "migrate:status")]
    MigrateStatus,
    /// Roll back a module's last migrations.
    #[command(name = "module:migrate-rollback")]
    ModuleMigrateRollback {
        /// Module name.
        name: String,
        /// How many migrations to roll back.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        steps: u32,
        /// Do not ask for confirmation (for scripts). A rollback may drop tables with data.
        #[arg(long)]
        force: bool,
    },
    /// Serve the suite over HTTP with every enabled module mounted.
    Serve,
    /// Create an organisation.
    #[command(name = "org:create")]
    OrgCreate {
        /// Display name.
        name: String,
        /// URL-safe identifier (default: derived from the name).
        #[arg(long)]
        slug: Option<String>,
    },
    /// Create a user (and an employee record with --employee) and print a token.
    #[command(name = "user:create")]
    UserCreate {
        /// The organisation's slug.
        #[arg(long)]
        org: String,
        /// Sign-in e-mail, unique across the suite.
        #[arg(long)]
        email: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// A role, such as admin or employee (repeatable).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Also create the employee record the user records attendance as.
        #[arg(long)]
        employee: bool,
        /// Read the user's password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's password (read from the first line of standard input) and sign them
    /// out of every browser.
    #[command(name = "user:set-password")]
    UserSetPassword {
        /// The user's e-mail.
        #[arg(long)]
        email: String,
    },
    /// Issue a new bearer token for a user.
    #[command(name = "token:create")]
    TokenCreate {
        /// The user's e-mail.
        #[arg(long)]
        email: String,
        /// A label for the token.
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// Create a demo organisation with an admin and an employee, and print their tokens.
    Demo,
}

/// Parses the command line, runs the command and reports failures, one line each.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let config = match SuiteConfig::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(
        &config.log.level,
        cli.log_format.unwrap_or(config.log.format),
    );
    let result = match cli.command {
        Command::Serve => commands::serve::run(config),
        command => block_on(dispatch(command, config)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            for line in failure.lines() {
                eprintln!("error: {line}");
            }
            ExitCode::FAILURE
        }
    }
}

fn block_on(
    future: impl std::future::Future<Output = Result<(), commands::Failure>>,
) -> Result<(), commands::Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            commands::Failure::from(anyhow::anyhow!("cannot start the runtime: {error}"))
        })?
        .block_on(future)
}

async fn dispatch(command: Command, config: SuiteConfig) -> Result<(), commands::Failure> {
    match command {
        Command::ModuleList => commands::module_list::run(&config).await,
        Command::ModuleEnable { names } => commands::module_enable::run(&config, &names).await,
        Command::ModuleDisable { names } => commands::module_disable::run(&config, &names).await,
        Command::Migrate => commands::migrate::run(&config).await,
        Command::MigrateStatus => commands::migrate_status::run(&config).await,
        Command::ModuleMigrateRollback { name, steps, force } => {
            commands::migrate_rollback::run(&config, &name, steps, force).await
        }
        Command::OrgCreate { name, slug } => {
            commands::accounts::org_create(&config, &name, slug).await
        }
        Command::UserCreate {
            org,
            email,
            name,
            roles,
            employee,
            password_stdin,
        } => {
            let user = commands::accounts::NewUser {
                org: &org,
                email: &email,
                name: &name,
                roles: &roles,
                employee,
                password_stdin,
            };
            commands::accounts::user_create(&config, &user).await
        }
        Command::UserSetPassword { email } => {
            commands::accounts::user_set_password(&config, &email).await
        }
        Command::TokenCreate { email, name } => {
            commands::accounts::token_create(&config, &email, &name).await
        }
        Command::Demo => commands::accounts::demo(&config).await,
        Command::Serve => unreachable!("serve runs on actix's own runtime"),
    }
}
