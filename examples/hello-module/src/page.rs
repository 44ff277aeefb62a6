//! Reports > Greetings: a page inside the suite's shell. The host checks the session, the
//! permission and the form's CSRF token before these run; the module only renders its
//! part of the page (askama escapes what it shows) and answers a post with a redirect.

use crate::greeting;
use askama::Template;
use host_sdk::abi::{ModuleRequest, ModuleResponse};
use host_sdk::page::CSRF_FIELD;
use sea_orm::DatabaseConnection;

/// Where the page lives, below `/modules/hello`.
pub const PATH: &str = "/greetings";

/// How many names the page lists.
const LISTED: u64 = 50;

#[derive(Template)]
#[template(path = "greetings.html")]
struct GreetingsPage<'a> {
    csrf_field: &'a str,
    csrf: &'a str,
    greeted: Option<String>,
    names: Vec<(String, i64)>,
}

/// `GET /modules/hello/greetings[?greeted=…]`
pub async fn show(db: &DatabaseConnection, request: &ModuleRequest) -> ModuleResponse {
    let names = match greeting::most_greeted(db, request.principal.organisation_id, LISTED).await {
        Ok(names) => names,
        Err(refusal) => return refusal,
    };
    let page = GreetingsPage {
        csrf_field: CSRF_FIELD,
        csrf: request.csrf_token(),
        greeted: request.query_param("greeted"),
        names,
    };
    match page.render() {
        Ok(html) => ModuleResponse::page(200, "Greetings", html),
        Err(error) => ModuleResponse::error(500, "page_failed", error.to_string()),
    }
}

/// `POST /modules/hello/greetings` with `name`: greets and goes back to the list.
pub async fn submit(db: &DatabaseConnection, request: &ModuleRequest) -> ModuleResponse {
    let name = request.form_value("name").unwrap_or_default();
    match greeting::record(db, request, &name).await {
        Ok(greeting) => {
            let query: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("greeted", &greeting.message)
                .finish();
            ModuleResponse::see_other(&format!("/modules/hello{PATH}?{query}"))
        }
        Err(refusal) => refusal,
    }
}
