//! The reference business suite: an artisan-style CLI and an actix-web server that load
//! modules as dynamic libraries through host-sdk.

pub mod accounts;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod config;
pub mod db;
pub mod directory;
pub mod entities;
pub mod host_migrations;
pub mod http;
pub mod modules;
pub mod settings_store;
pub mod telemetry;
pub mod tls;
