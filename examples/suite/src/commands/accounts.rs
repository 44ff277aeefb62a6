//! `suite org:create`, `user:create`, `token:create` and `demo`.

use super::{Failure, connect_migrated};
use crate::{accounts, auth::password, config::SuiteConfig};
use anyhow::anyhow;

/// Creates an organisation and prints its id.
pub async fn org_create(
    config: &SuiteConfig,
    name: &str,
    slug: Option<String>,
) -> Result<(), Failure> {
    let db = connect_migrated(config).await?;
    let slug = slug.unwrap_or_else(|| accounts::slugify(name));
    let created = accounts::create_organisation(&db, name, &slug).await?;
    println!(
        "Organisation {:?} created: id {}, slug {}",
        created.name, created.id, created.slug
    );
    Ok(())
}

/// What `user:create` was asked for.
pub struct NewUser<'a> {
    /// The organisation's slug.
    pub org: &'a str,
    /// Sign-in e-mail.
    pub email: &'a str,
    /// Full name.
    pub name: &'a str,
    /// Roles.
    pub roles: &'a [String],
    /// Whether to create the employee record too.
    pub employee: bool,
    /// Whether to read a password from standard input.
    pub password_stdin: bool,
}

/// Creates a user (and employee), with a password when asked, and prints a token.
pub async fn user_create(config: &SuiteConfig, new: &NewUser<'_>) -> Result<(), Failure> {
    // Read and checked before anything is written: a bad password creates no user.
    let password_hash = if new.password_stdin {
        Some(password_from_stdin()?)
    } else {
        None
    };
    let db = connect_migrated(config).await?;
    let org = new.org;
    let organisation = accounts::find_organisation(&db, org)
        .await?
        .ok_or_else(|| anyhow!("no organisation has the slug {org:?} (see `suite org:create`)"))?;
    let user = accounts::create_user(
        &db,
        &organisation,
        new.email,
        new.name,
        new.roles,
        new.employee,
    )
    .await?;
    if let Some(hash) = password_hash {
        accounts::set_password(&db, user.id, &hash).await?;
    }
    let token = accounts::issue_token(&db, user.id, "cli").await?;
    println!(
        "User {} created: id {}, roles {}",
        user.email, user.id, user.roles
    );
    if let Some(employee_id) = user.employee_id {
        println!("Employee record: id {employee_id}");
    }
    println!("Token (shown once): {token}");
    Ok(())
}

/// Sets a user's password from standard input and ends their browser sessions.
pub async fn user_set_password(config: &SuiteConfig, email: &str) -> Result<(), Failure> {
    let hash = password_from_stdin()?;
    let db = connect_migrated(config).await?;
    let user = accounts::find_user(&db, email)
        .await?
        .ok_or_else(|| anyhow!("no user signs in with {email}"))?;
    let ended = accounts::set_password(&db, user.id, &hash).await?;
    println!(
        "Password set for {}; {ended} browser session(s) signed out",
        user.email
    );
    Ok(())
}

/// Reads the first line of standard input as a new password and hashes it.
fn password_from_stdin() -> Result<String, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|error| anyhow!("cannot read the password from standard input: {error}"))?;
    let password = line.trim_end_matches(['\n', '\r']);
    password::check_new(password).map_err(|weak| anyhow!("{weak}"))?;
    Ok(password::hash(password).map_err(|error| anyhow!("cannot hash the password: {error}"))?)
}

/// Issues another token for an existing user.
pub async fn token_create(config: &SuiteConfig, email: &str, label: &str) -> Result<(), Failure> {
    let db = connect_migrated(config).await?;
    let user = accounts::find_user(&db, email)
        .await?
        .ok_or_else(|| anyhow!("no user signs in with {email}"))?;
    let token = accounts::issue_token(&db, user.id, label).await?;
    println!("Token for {} (shown once): {token}", user.email);
    Ok(())
}

/// A password a person can type from the terminal: 16 letters and digits.
fn demo_password() -> String {
    host_sdk::tokens::generate("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect()
}

const DEMO_SLUG: &str = "demo";
const DEMO_ADMIN: &str = "admin@demo.test";
const DEMO_EMPLOYEE: &str = "sam.field@demo.test";

/// Creates (once) a demo organisation with an admin and an employee, and prints fresh
/// tokens for both.
pub async fn demo(config: &SuiteConfig) -> Result<(), Failure> {
    let db = connect_migrated(config).await?;
    let organisation = match accounts::find_organisation(&db, DEMO_SLUG).await? {
        Some(existing) => existing,
        None => accounts::create_organisation(&db, "Demo Organisation", DEMO_SLUG).await?,
    };
    let admin = match accounts::find_user(&db, DEMO_ADMIN).await? {
        Some(existing) => existing,
        None => {
            accounts::create_user(
                &db,
                &organisation,
                DEMO_ADMIN,
                "Alex Admin",
                &["admin".into()],
                false,
            )
            .await?
        }
    };
    let employee = match accounts::find_user(&db, DEMO_EMPLOYEE).await? {
        Some(existing) => existing,
        None => {
            accounts::create_user(
                &db,
                &organisation,
                DEMO_EMPLOYEE,
                "Sam Field",
                &["employee".into()],
                true,
            )
            .await?
        }
    };
    let admin_token = accounts::issue_token(&db, admin.id, "demo").await?;
    let employee_token = accounts::issue_token(&db, employee.id, "demo").await?;
    // Fresh passwords each time, like the tokens: the demo hands out what it prints.
    let admin_password = demo_password();
    let employee_password = demo_password();
    for (user, secret) in [(&admin, &admin_password), (&employee, &employee_password)] {
        let hash =
            password::hash(secret).map_err(|error| anyhow!("cannot hash a password: {error}"))?;
        accounts::set_password(&db, user.id, &hash).await?;
    }
    println!(
        "Demo organisation {:?} (slug {}, id {})",
        organisation.name, organisation.slug, organisation.id
    );
    println!("ADMIN_TOKEN={admin_token}");
    println!("EMPLOYEE_TOKEN={employee_token}");
    println!("ADMIN_PASSWORD={admin_password}");
    println!("EMPLOYEE_PASSWORD={employee_password}");
    println!("  admin:    {} (roles {})", admin.email, admin.roles);
    println!(
        "  employee: {} (roles {}, employee id {})",
        employee.email,
        employee.roles,
        employee
            .employee_id
            .map(|id| id.to_string())
            .unwrap_or_default()
    );
    Ok(())
}
