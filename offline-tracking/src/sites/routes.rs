//! Site routes (administrators).

use super::qr;
use crate::api::{ApiResult, Caller, Problem, created, database, error, not_found, ok, path_uuid};
use crate::clock::{iso, now_ms};
use crate::entities::site;
use crate::store::audit_action::AuditAction;
use crate::store::journal::{Actor, Journal};
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewSite {
    name: String,
    #[serde(default)]
    latitude: Option<f64>,
    #[serde(default)]
    longitude: Option<f64>,
    #[serde(default)]
    radius_m: Option<f64>,
}

fn site_json(site: &site::Model) -> Value {
    json!({
        "site_id": site.id,
        "name": site.name,
        "geofence": match (site.latitude, site.longitude, site.radius_m) {
            (Some(latitude), Some(longitude), Some(radius_m)) =>
                json!({"latitude": latitude, "longitude": longitude, "radius_m": radius_m}),
            _ => Value::Null,
        },
        "created_at": iso(site.created_at_ms),
    })
}

/// The site's name, trimmed, once the body's name and geofence are valid.
fn checked(body: &NewSite) -> ApiResult<String> {
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 200 || crate::text::line_has_control(name) {
        return Err(error(
            Problem::Invalid,
            "invalid_site",
            "name must be 1 to 200 characters, without control characters",
        ));
    }
    match (body.latitude, body.longitude, body.radius_m) {
        (None, None, None) => {}
        (Some(latitude), Some(longitude), Some(radius)) => {
            let valid = (-90.0..=90.0).contains(&latitude)
                && (-180.0..=180.0).contains(&longitude)
                && (1.0..=100_000.0).contains(&radius);
            if !valid {
                return Err(error(
                    Problem::Invalid,
                    "invalid_geofence",
                    "latitude -90..90, longitude -180..180 and radius_m 1..100000",
                ));
            }
        }
        _ => {
            return Err(error(
                Problem::Invalid,
                "invalid_geofence",
                "a geofence needs latitude, longitude and radius_m together",
            ));
        }
    }
    Ok(name.to_owned())
}

/// `POST /admin/modules/offline-tracking/sites`
pub async fn create(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let body: NewSite = request.json()?;
    let name = checked(&body)?;
    let id = uuid::Uuid::now_v7().to_string();
    let transaction = host_sdk::db::begin_write(db)
        .await
        .map_err(database("creating the site"))?;
    let stored = site::Model {
        id: id.clone(),
        organisation_id: caller.organisation_id,
        name,
        secret: host_sdk::tokens::generate(""),
        latitude: body.latitude,
        longitude: body.longitude,
        radius_m: body.radius_m,
        created_at_ms: now_ms(),
        created_by: caller.user_id,
    };
    // Not `insert` (which reads the row back through RETURNING): SQLite before 3.41
    // returns a whole-number REAL such as 150.0 as an INTEGER there, which does not decode
    // as f64.
    site::Entity::insert(site::ActiveModel::from(stored.clone()))
        .exec_without_returning(&transaction)
        .await
        .map_err(database("creating the site"))?;
    let mut journal = Journal::new(caller.organisation_id, None);
    journal.audit(
        &Actor::User(caller.user_id),
        AuditAction::SiteCreated,
        "site",
        &id,
        site_json(&stored),
    );
    journal
        .flush(&transaction)
        .await
        .map_err(database("creating the site"))?;
    transaction
        .commit()
        .await
        .map_err(database("creating the site"))?;
    let mut answer = site_json(&stored);
    answer["qr_payload"] = json!(qr::payload(
        &stored.secret,
        caller.organisation_id,
        &stored.id
    ));
    Ok(created(&answer))
}

/// `PUT /admin/modules/offline-tracking/sites/{site_id}`: a new name and geofence (none
/// removes it). The QR code stays the same, so printed codes keep working; records
/// already checked against the old geofence keep their outcome.
pub async fn update(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let site_id = path_uuid(request, "site_id", "site")?;
    let body: NewSite = request.json()?;
    let name = checked(&body)?;
    let fail = || database("updating the site");
    let transaction = host_sdk::db::begin_write(db).await.map_err(fail())?;
    let before = site::Entity::find_by_id(site_id.as_str())
        .filter(site::Column::OrganisationId.eq(caller.organisation_id))
        .one(&transaction)
        .await
        .map_err(fail())?
        .ok_or_else(|| not_found("site", &site_id))?;
    let after = site::Model {
        name,
        latitude: body.latitude,
        longitude: body.longitude,
        radius_m: body.radius_m,
        ..before.clone()
    };
    site::Entity::update_many()
        .col_expr(site::Column::Name, Expr::value(after.name.clone()))
        .col_expr(site::Column::Latitude, Expr::value(after.latitude))
        .col_expr(site::Column::Longitude, Expr::value(after.longitude))
        .col_expr(site::Column::RadiusM, Expr::value(after.radius_m))
        .filter(site::Column::Id.eq(after.id.as_str()))
        .exec(&transaction)
        .await
        .map_err(fail())?;
    let mut journal = Journal::new(caller.organisation_id, None);
    journal.audit(
        &Actor::User(caller.user_id),
        AuditAction::SiteUpdated,
        "site",
        &after.id,
        json!({"before": site_json(&before), "after": site_json(&after)}),
    );
    journal.flush(&transaction).await.map_err(fail())?;
    transaction.commit().await.map_err(fail())?;
    Ok(ok(&site_json(&after)))
}

/// `GET /admin/modules/offline-tracking/sites`
pub async fn list(db: &DatabaseConnection, request: &ModuleRequest) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let sites = site::Entity::find()
        .filter(site::Column::OrganisationId.eq(caller.organisation_id))
        .order_by_asc(site::Column::Name)
        .all(db)
        .await
        .map_err(database("listing sites"))?;
    Ok(ok(
        &json!({"sites": sites.iter().map(site_json).collect::<Vec<_>>()}),
    ))
}

/// `GET /admin/modules/offline-tracking/sites/{site_id}/qr`: the text to print.
pub async fn qr_code(
    db: &DatabaseConnection,
    request: &ModuleRequest,
) -> ApiResult<ModuleResponse> {
    let caller = Caller::new(&request.principal, &request.settings)?;
    let site_id = path_uuid(request, "site_id", "site")?;
    let found = site::Entity::find_by_id(site_id.as_str())
        .filter(site::Column::OrganisationId.eq(caller.organisation_id))
        .one(db)
        .await
        .map_err(database("loading the site"))?
        .ok_or_else(|| not_found("site", &site_id))?;
    Ok(ok(&json!({
        "site_id": found.id,
        "name": found.name,
        "qr_payload": qr::payload(&found.secret, caller.organisation_id, &found.id),
    })))
}
