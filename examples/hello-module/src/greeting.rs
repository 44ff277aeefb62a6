//! Greetings: `GET /api/modules/hello/greet?name=Ada`, and what the page shows and records.

use host_sdk::abi::{ModuleRequest, ModuleResponse};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, entity::prelude::*,
};
use serde::{Deserialize, Serialize};

/// One greeting given.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hello_greetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: i64,
    pub name: String,
    pub greeted_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[derive(Deserialize)]
struct Settings {
    greeting: String,
}

const MAX_NAME_CHARS: usize = 80;

/// The query `GET /greet` reads.
#[derive(schemars::JsonSchema)]
pub struct GreetQuery {
    /// Who to greet: 1 to 80 characters, without control characters.
    #[allow(dead_code)] // Read by name from the query string; here for the API description.
    name: String,
}

/// The answer of `GET /greet`.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Greeting {
    /// The organisation's greeting and the name.
    pub message: String,
    /// How often this organisation greeted this name, this time included.
    pub times_greeted: u64,
}

/// Greets `?name=` with the organisation's greeting and counts the greetings.
pub async fn greet(db: &DatabaseConnection, request: &ModuleRequest) -> ModuleResponse {
    let name = request.query_param("name").unwrap_or_default();
    match record(db, request, &name).await {
        Ok(greeting) => ModuleResponse::json(200, &greeting),
        Err(refusal) => refusal,
    }
}

/// Checks `name`, records one greeting of it and says how it is greeted.
pub async fn record(
    db: &DatabaseConnection,
    request: &ModuleRequest,
    name: &str,
) -> Result<Greeting, ModuleResponse> {
    let name = name.trim();
    // Control characters are refused, not stored: PostgreSQL cannot store NUL at all, and
    // the same input must get the same answer on every database.
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(ModuleResponse::error(
            422,
            "invalid_name",
            format!("a name has 1 to {MAX_NAME_CHARS} characters, without control characters"),
        ));
    }
    let settings: Settings = request
        .settings
        .parse()
        .map_err(|error| ModuleResponse::error(500, "invalid_settings", error.to_string()))?;
    let organisation_id = request.principal.organisation_id;
    let stored = ActiveModel {
        organisation_id: Set(organisation_id),
        name: Set(name.to_owned()),
        greeted_at_ms: Set(now_ms()),
        ..Default::default()
    }
    .insert(db)
    .await;
    if let Err(error) = stored {
        tracing::error!("cannot record a greeting: {error}");
        return Err(unavailable());
    }
    let times = Entity::find()
        .filter(Column::OrganisationId.eq(organisation_id))
        .filter(Column::Name.eq(name))
        .count(db)
        .await
        .unwrap_or(1);
    tracing::info!(name, times, "greeted");
    Ok(Greeting {
        message: format!("{}, {name}!", settings.greeting),
        times_greeted: times,
    })
}

/// The organisation's most greeted names with their counts, most first (at most `limit`).
pub async fn most_greeted(
    db: &DatabaseConnection,
    organisation_id: i64,
    limit: u64,
) -> Result<Vec<(String, i64)>, ModuleResponse> {
    Entity::find()
        .select_only()
        .column(Column::Name)
        .column_as(Column::Id.count(), "times")
        .filter(Column::OrganisationId.eq(organisation_id))
        .group_by(Column::Name)
        .order_by_desc(Column::Id.count())
        .order_by_asc(Column::Name)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
        .map_err(|error| {
            tracing::error!("cannot read greetings: {error}");
            unavailable()
        })
}

fn unavailable() -> ModuleResponse {
    ModuleResponse::error(
        503,
        "database_unavailable",
        "the greetings could not be read or recorded",
    )
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or_default()
}
