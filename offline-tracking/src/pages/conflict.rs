//! A conflict: both sides, the policy's decision, the decisions taken, and the forms to
//! decide, correct the times or reverse, each with a note.

use super::bridge::{PAGES, as_api, read, render};
use super::views::ConflictRow;
use crate::OfflineTracking;
use crate::conflicts;
use askama::Template;
use host_sdk::abi::{ModuleRequest, ModuleResponse};

#[derive(Template)]
#[template(path = "conflict.html")]
struct ConflictPage<'a> {
    pages: &'a str,
    zone: chrono_tz::Tz,
    csrf: &'a str,
    conflict: ConflictRow,
    server_side: String,
    /// The decision in force (not reversed), if any.
    in_force: Option<usize>,
}

/// `GET /modules/offline-tracking/conflicts/{conflict_id}`
pub async fn show(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let api = as_api(request, "", None);
    let conflict: ConflictRow =
        match read(ot, request, conflicts::routes::show(&ot.db, &api).await).await {
            Ok(conflict) => conflict,
            Err(refusal) => return refusal,
        };
    let server_side = conflict
        .server_side
        .as_ref()
        .filter(|side| !side.is_null())
        .map(|side| serde_json::to_string_pretty(side).unwrap_or_default())
        .unwrap_or_else(|| "Nothing on the server's side (the record stands alone).".to_owned());
    let in_force = conflict
        .decisions
        .iter()
        .rposition(|decision| decision.reversed_at.is_none());
    render(
        "Conflict",
        &ConflictPage {
            pages: PAGES,
            zone: super::bridge::zone(request),
            csrf: request.csrf_token(),
            server_side,
            in_force,
            conflict,
        },
    )
}
