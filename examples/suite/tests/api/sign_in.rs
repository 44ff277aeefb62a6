//! Signing in with a password: the browser form with its CSRF token and session cookie,
//! signing out (here and everywhere), and the token an app gets with a login.

use crate::helpers::{Module, SuiteHome, error_lines};
use std::io::Write;
use std::process::Stdio;

const PASSWORD: &str = "correct horse battery";

/// A browser that keeps cookies by hand, so the test sees every attribute.
struct Browser {
    client: reqwest::Client,
    base: String,
    cookies: Vec<(String, String)>,
}

struct Page {
    status: u16,
    location: Option<String>,
    set_cookies: Vec<String>,
    body: String,
}

impl Browser {
    fn new(base: &str) -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_owned(),
            cookies: Vec::new(),
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie_header: Vec<String> = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        let response = request
            .header("cookie", cookie_header.join("; "))
            .send()
            .await
            .unwrap();
        let set_cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect();
        for line in &set_cookies {
            let pair = line.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(known, _)| known != name);
            if !value.is_empty() && !line.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|value| value.to_str().unwrap().to_owned()),
            set_cookies,
            body: response.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let request = self.client.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .form(fields);
        self.send(request).await
    }

    /// Opens the sign-in page and posts it.
    async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/sign-in").await;
        assert_eq!(form.status, 200);
        let csrf = hidden_csrf(&form.body);
        self.post_form(
            "/sign-in",
            &[("email", email), ("password", password), ("csrf", &csrf)],
        )
        .await
    }
}

fn hidden_csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn a_browser_signs_in_with_a_password_and_signs_out() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello]);
    // Enabled but never migrated: the admin's module list says so.
    home.install(Module::OfflineTracking);
    home.run_ok(&["module:enable", "OfflineTracking"]);
    home.run_ok(&["org:create", "Acme", "--slug", "acme"]);
    let created = home.create_user_with_password(
        "acme",
        ("alex@acme.test", "Alex Admin"),
        "admin",
        false,
        PASSWORD,
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let suite = home.serve();
    let mut browser = Browser::new(&suite.base_url);

    // Not signed in: home sends the browser to the form.
    assert_eq!(browser.get("/").await.location.as_deref(), Some("/sign-in"));
    let form = browser.get("/sign-in").await;
    let csrf_cookie = form.set_cookies.join("\n");
    assert!(
        csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Strict"),
        "{csrf_cookie}"
    );
    assert!(
        form.body.contains("<label for=\"password\">"),
        "{}",
        form.body
    );

    // A post without the form's token, as another site's form would make, is refused.
    let mut stranger = Browser::new(&suite.base_url);
    let forged = stranger
        .post_form(
            "/sign-in",
            &[
                ("email", "alex@acme.test"),
                ("password", PASSWORD),
                ("csrf", "csrf_guess"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(
        forged
            .set_cookies
            .iter()
            .all(|c| !c.starts_with("suite_session="))
    );

    let wrong = browser.sign_in("alex@acme.test", "not the password").await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("role=\"alert\""), "{}", wrong.body);

    let signed_in = browser.sign_in("Alex@Acme.test", PASSWORD).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    assert_eq!(signed_in.location.as_deref(), Some("/"));
    let session_cookie = signed_in
        .set_cookies
        .iter()
        .find(|c| c.starts_with("suite_session="))
        .expect("a session cookie")
        .clone();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(session_cookie.contains(attribute), "{session_cookie}");
    }
    assert!(
        !session_cookie.contains("Secure"),
        "plain HTTP: {session_cookie}"
    );
    let page = browser.get("/").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Signed in as Alex Admin"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("HelloModule"),
        "the admin sees the modules: {}",
        page.body
    );
    assert!(page.body.contains("up to date"), "{}", page.body);
    assert!(
        page.body
            .contains("OfflineTracking has 6 pending migration(s): run `suite migrate`"),
        "{}",
        page.body
    );

    // Signing out needs the session's own token.
    let refused = browser
        .post_form("/sign-out", &[("csrf", "csrf_guess")])
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(browser.get("/").await.status, 200, "still signed in");
    let csrf = hidden_csrf(&page.body);
    let kept = browser.cookies.clone();
    let out = browser.post_form("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.location.as_deref(), Some("/sign-in"));
    // The old cookie, replayed, opens nothing: the session ended in the database.
    browser.cookies = kept;
    assert_eq!(browser.get("/").await.location.as_deref(), Some("/sign-in"));

    // An expired session opens nothing either.
    assert_eq!(
        browser.sign_in("alex@acme.test", PASSWORD).await.status,
        303
    );
    assert_eq!(browser.get("/").await.status, 200);
    home.database
        .execute("UPDATE browser_sessions SET expires_at_ms = 0")
        .await;
    assert_eq!(browser.get("/").await.location.as_deref(), Some("/sign-in"));

    // A new password signs the user out of every browser.
    assert_eq!(
        browser.sign_in("alex@acme.test", PASSWORD).await.status,
        303
    );
    let mut reset = home
        .command(&["user:set-password", "--email", "alex@acme.test"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(reset.stdin.take().unwrap(), "a brand new password").unwrap();
    let reset = reset.wait_with_output().unwrap();
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    assert!(String::from_utf8_lossy(&reset.stdout).contains("1 browser session(s) signed out"));
    assert_eq!(browser.get("/").await.location.as_deref(), Some("/sign-in"));
    assert_eq!(
        browser.sign_in("alex@acme.test", PASSWORD).await.status,
        401
    );
    assert_eq!(
        browser
            .sign_in("alex@acme.test", "a brand new password")
            .await
            .status,
        303
    );

    let log = suite.log();
    assert!(log.contains("sign-in refused"), "{log}");
    assert!(!log.contains(PASSWORD), "passwords never reach the log");
}

#[tokio::test]
async fn an_employee_signing_in_sees_no_administrator_page() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello]);
    home.create_acme_with_people(PASSWORD);
    let suite = home.serve();
    let mut browser = Browser::new(&suite.base_url);
    assert_eq!(browser.sign_in("sam@acme.test", PASSWORD).await.status, 303);
    let page = browser.get("/").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("no administrator pages"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("HelloModule"), "{}", page.body);
}

#[tokio::test]
async fn an_app_gets_a_token_with_a_login_and_guessing_is_throttled() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello]);
    home.run_ok(&["org:create", "Acme", "--slug", "acme"]);
    // A weak password is refused in one line and creates no user.
    let weak = home.create_user_with_password(
        "acme",
        ("weak@acme.test", "Wen Weak"),
        "employee",
        false,
        "short",
    );
    assert!(!weak.status.success());
    assert_eq!(
        error_lines(&weak),
        ["error: a password has at least 10 characters"]
    );
    let created = home.create_user_with_password(
        "acme",
        ("sam@acme.test", "Sam Field"),
        "employee",
        false,
        PASSWORD,
    );
    assert!(created.status.success());
    let suite = home.serve();

    let issued = suite
        .post_anonymous(
            "/api/auth/token",
            &serde_json::json!({"login": "sam@acme.test", "password": PASSWORD, "label": "phone"}),
        )
        .await;
    assert_eq!(issued.status, 201, "{:?}", issued.body);
    let token = issued.body["token"].as_str().unwrap();
    assert_eq!(issued.body["roles"], serde_json::json!(["employee"]));
    let greeted = suite.get("/api/modules/hello/greet?name=Sam", token).await;
    assert_eq!(greeted.status, 200, "{:?}", greeted.body);

    let mut codes = Vec::new();
    for attempt in 0..7 {
        let login = if attempt % 2 == 0 {
            "sam@acme.test"
        } else {
            "nobody@acme.test"
        };
        let guessed = suite
            .post_anonymous(
                "/api/auth/token",
                &serde_json::json!({"login": login, "password": "guess guess guess"}),
            )
            .await;
        codes.push((guessed.status, guessed.code().to_owned()));
    }
    assert_eq!(codes[0], (401, "invalid_credentials".to_owned()));
    assert_eq!(
        codes[1],
        (401, "invalid_credentials".to_owned()),
        "an unknown login reads the same"
    );
    let throttled = codes.last().unwrap();
    assert_eq!(
        throttled,
        &(429, "too_many_attempts".to_owned()),
        "{codes:?}"
    );
}
