//! A conflict: both sides, the policy's decision, the decisions taken, and the forms to
//! decide, correct the times or reverse, each with a note.

use super::bridge::{PAGES, as_api, read, render};
use super::views::{ConflictDetail, ServerSide};
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
    conflict: ConflictDetail,
    /// The decision in force (not reversed), if any.
    in_force: Option<usize>,
}

/// `GET /modules/offline-tracking/conflicts/{conflict_id}`
pub async fn show(ot: &OfflineTracking, request: &ModuleRequest) -> ModuleResponse {
    let api = as_api(request, "", None);
    let conflict: ConflictDetail =
        match read(ot, request, conflicts::routes::show(&ot.db, &api).await).await {
            Ok(conflict) => conflict,
            Err(refusal) => return refusal,
        };
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
            in_force,
            conflict,
        },
    )
}
