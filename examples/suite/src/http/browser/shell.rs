//! The shell every signed-in page shares: the suite's navigation (its own links and the
//! pages modules list), who is signed in, and sign-out. Suite pages and modules' pages
//! are drawn inside the same one.

use super::{AppState, html};
use crate::auth::browser_session::{self, SignedIn};
use crate::auth::services::{SuiteServices, principal_of};
use crate::http::settings::SETTINGS_PERMISSION;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use host_sdk::NavSection;
use host_sdk::abi::Principal;
use host_sdk::host::http::{
    ApiError, BrowserCaller, HostServices, NavLink, PageServices, ShellPage, navigation,
};

/// A link as the layout draws it.
pub struct NavItem {
    pub title: String,
    pub href: String,
    /// Whether it leads to the page being shown (`aria-current`).
    pub current: bool,
}

/// One section of the navigation with its links.
pub struct NavGroup {
    pub label: &'static str,
    pub links: Vec<NavItem>,
}

/// What the layout needs to draw the shell.
pub struct ShellView {
    pub name: String,
    pub csrf: String,
    pub sections: Vec<NavGroup>,
}

/// The suite's own pages in the navigation, with the permission each needs.
const SUITE_LINKS: [(NavSection, &str, &str, &str); 1] = [(
    NavSection::Settings,
    "Modules",
    "/settings/modules",
    SETTINGS_PERMISSION,
)];

/// The shell for `caller` on `path`, given the modules' links they may open.
pub async fn view(
    services: &SuiteServices,
    caller: &BrowserCaller,
    path: &str,
    module_links: Vec<NavLink>,
) -> ShellView {
    let mut links = module_links;
    for (section, title, href, permission) in SUITE_LINKS {
        if services
            .is_permitted(&caller.principal, permission)
            .await
            .unwrap_or(false)
        {
            links.push(NavLink {
                section,
                title: title.to_owned(),
                href: href.to_owned(),
            });
        }
    }
    let sections = NavSection::ALL
        .into_iter()
        .filter_map(|section| {
            let links: Vec<NavItem> = links
                .iter()
                .filter(|link| link.section == section)
                .map(|link| NavItem {
                    title: link.title.clone(),
                    current: path == link.href || path.starts_with(&format!("{}/", link.href)),
                    href: link.href.clone(),
                })
                .collect();
            (!links.is_empty()).then_some(NavGroup {
                label: section.label(),
                links,
            })
        })
        .collect();
    ShellView {
        name: caller.display_name.clone(),
        csrf: caller.csrf_token.clone(),
        sections,
    }
}

/// The browser caller of a signed-in session.
pub fn caller_of(session: &SignedIn) -> BrowserCaller {
    BrowserCaller {
        principal: principal_of(&session.user),
        display_name: session.user.full_name.clone(),
        csrf_token: session.csrf_token.clone(),
    }
}

/// The shell of a suite page for `session` on `path`.
pub async fn for_session(state: &AppState, session: &SignedIn, path: &str) -> ShellView {
    let caller = caller_of(session);
    let modules = navigation(&state.registry, state.services.as_ref(), &caller.principal).await;
    view(&state.services, &caller, path, modules).await
}

/// Whether `principal` may manage settings (for what the home page shows).
pub async fn may_manage_settings(services: &SuiteServices, principal: &Principal) -> bool {
    services
        .is_permitted(principal, SETTINGS_PERMISSION)
        .await
        .unwrap_or(false)
}

#[derive(Template)]
#[template(path = "module_page.html")]
struct ModulePage {
    shell: ShellView,
    title: String,
    message: Option<String>,
    content: Option<String>,
}

/// A module's page (or a message about it) inside the shell.
pub async fn module_page(
    services: &SuiteServices,
    page: ShellPage<'_>,
    links: Vec<NavLink>,
) -> HttpResponse {
    let shell = view(services, page.caller, &page.path, links).await;
    let rendered = ModulePage {
        shell,
        title: page.title,
        message: page.message,
        content: page.html,
    }
    .render();
    match rendered {
        Ok(body) => html(page.status, body),
        Err(problem) => {
            tracing::error!("rendering a module's page: {problem}");
            HttpResponse::build(StatusCode::INTERNAL_SERVER_ERROR).finish()
        }
    }
}

impl PageServices for SuiteServices {
    async fn signed_in(&self, request: &HttpRequest) -> Result<Option<BrowserCaller>, ApiError> {
        let Some(cookie) = request.cookie(browser_session::SESSION_COOKIE) else {
            return Ok(None);
        };
        let session = browser_session::find(self.db(), cookie.value())
            .await
            .map_err(|error| ApiError::internal("reading a browser session", error))?;
        Ok(session.as_ref().map(caller_of))
    }

    async fn shell(&self, page: ShellPage<'_>, navigation: Vec<NavLink>) -> HttpResponse {
        module_page(self, page, navigation).await
    }
}
