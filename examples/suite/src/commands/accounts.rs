//! `suite org:create`, `user:create`, `token:create` and `demo`.

use super::{Failure, connect_migrated};
use crate::{accounts, config::SuiteConfig};
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

/// Creates a user (and employee) and prints a token.
pub async fn user_create(
    config: &SuiteConfig,
    org: &str,
    email: &str,
    name: &str,
    roles: &[String],
    employee: bool,
) -> Result<(), Failure> {
    let db = connect_migrated(config).await?;
    let organisation = accounts::find_organisation(&db, org)
        .await?
        .ok_or_else(|| anyhow!("no organisation has the slug {org:?} (see `suite org:create`)"))?;
    let user = accounts::create_user(&db, &organisation, email, name, roles, employee).await?;
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
    println!(
        "Demo organisation {:?} (slug {}, id {})",
        organisation.name, organisation.slug, organisation.id
    );
    println!("ADMIN_TOKEN={admin_token}");
    println!("EMPLOYEE_TOKEN={employee_token}");
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
