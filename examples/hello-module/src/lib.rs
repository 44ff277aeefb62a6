//! HelloModule: the smallest useful suite module. One migration (a table of greetings),
//! one setting (the greeting word, per organisation), one route (`GET /greet`) and one
//! page in the suite's navigation (Reports > Greetings).

mod greeting;
mod migrations;
mod page;

use host_sdk::{
    Method, NavSection,
    abi::{MigrationInfo, ModuleError},
    module::{Manifest, Module, ModuleContext, Route},
};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use std::sync::Arc;

/// The module: it keeps only its database pool.
pub struct HelloModule {
    db: DatabaseConnection,
}

impl Module for HelloModule {
    fn manifest() -> Manifest {
        Manifest::new("HelloModule", "hello", env!("CARGO_PKG_VERSION"))
            .description("Greets people by name: the smallest useful module.")
            .priority(50)
            .permission("hello.greet", "Be greeted", &["admin", "employee"])
    }

    async fn init(context: ModuleContext) -> Result<Self, ModuleError> {
        Ok(Self {
            db: context.connect_database().await?,
        })
    }

    async fn shutdown(&self) {
        let _ = self.db.close_by_ref().await;
    }

    async fn migration_status(&self) -> Result<Vec<MigrationInfo>, ModuleError> {
        host_sdk::db::migration_status::<migrations::Migrator>(&self.db).await
    }

    async fn migrate_up(&self) -> Result<Vec<String>, ModuleError> {
        host_sdk::db::migrate_up::<migrations::Migrator>(&self.db).await
    }

    async fn migrate_down(&self, steps: u32) -> Result<Vec<String>, ModuleError> {
        host_sdk::db::migrate_down::<migrations::Migrator>(&self.db, steps).await
    }

    fn settings_schema() -> Value {
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "HelloModule settings",
            "type": "object",
            "properties": {
                "greeting": {
                    "description": "The word people are greeted with.",
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 40
                }
            },
            "additionalProperties": false
        })
    }

    fn settings_defaults() -> Value {
        json!({"greeting": "Hello"})
    }

    /// Each route names its handler; the SDK serves what is declared here.
    fn routes() -> Vec<Route<Self>> {
        vec![
            Route::api(Method::Get, "/greet", |hello: Arc<Self>, request| async move {
                greeting::greet(&hello.db, &request).await
            })
            .permission("hello.greet")
            .describe("Greets ?name= and says how often that name was greeted")
            .query::<greeting::GreetQuery>()
            .response::<greeting::Greeting>(),
            Route::page(Method::Get, page::PATH, |hello: Arc<Self>, request| async move {
                page::show(&hello.db, &request).await
            })
            .permission("hello.greet")
            .in_navigation(NavSection::Reports, "Greetings")
            .describe("Reports > Greetings: the most greeted names, and a form to greet"),
            Route::page(Method::Post, page::PATH, |hello: Arc<Self>, request| async move {
                page::submit(&hello.db, &request).await
            })
            .permission("hello.greet")
            .describe("Greet the name the form posts"),
        ]
    }
}

host_sdk::export_module!(HelloModule);
