//! Organisations, users, employees and their tokens.

use crate::{
    auth::token,
    db::now_ms,
    entities::{api_token, employee, organisation, user},
};
use anyhow::{Context, bail};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};

/// A slug from a display name: lower-case letters, digits and dashes.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

fn check_slug(slug: &str) -> anyhow::Result<()> {
    let valid = !slug.is_empty()
        && slug.len() <= 100
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        bail!("the slug {slug:?} must be 1-100 lower-case letters, digits or dashes");
    }
    Ok(())
}

fn check_roles(roles: &[String]) -> anyhow::Result<()> {
    for role in roles {
        let valid = !role.is_empty()
            && role.len() <= 50
            && role.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        if !valid {
            bail!("the role {role:?} must be lower-case letters or underscores");
        }
    }
    Ok(())
}

/// The organisation with `slug`.
pub async fn find_organisation(
    db: &impl ConnectionTrait,
    slug: &str,
) -> anyhow::Result<Option<organisation::Model>> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(slug))
        .one(db)
        .await?)
}

/// Creates an organisation; the slug must be free.
pub async fn create_organisation(
    db: &impl ConnectionTrait,
    name: &str,
    slug: &str,
) -> anyhow::Result<organisation::Model> {
    check_slug(slug)?;
    if name.trim().is_empty() {
        bail!("an organisation needs a name");
    }
    if find_organisation(db, slug).await?.is_some() {
        bail!("an organisation with the slug {slug:?} already exists");
    }
    Ok(organisation::ActiveModel {
        name: Set(name.trim().to_owned()),
        slug: Set(slug.to_owned()),
        created_at_ms: Set(now_ms()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The user signing in with `email`.
pub async fn find_user(
    db: &impl ConnectionTrait,
    email: &str,
) -> anyhow::Result<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?)
}

/// Creates a user in `organisation`, with an employee record when `as_employee`.
pub async fn create_user(
    db: &(impl ConnectionTrait + TransactionTrait),
    organisation: &organisation::Model,
    email: &str,
    full_name: &str,
    roles: &[String],
    as_employee: bool,
) -> anyhow::Result<user::Model> {
    let email = email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 200 {
        bail!("{email:?} is not an e-mail address");
    }
    if full_name.trim().is_empty() {
        bail!("a user needs a name");
    }
    check_roles(roles)?;
    if find_user(db, &email).await?.is_some() {
        bail!("a user with the e-mail {email} already exists");
    }
    let transaction = db.begin().await?;
    let employee_id = if as_employee {
        let record = employee::ActiveModel {
            organisation_id: Set(organisation.id),
            full_name: Set(full_name.trim().to_owned()),
            employee_number: Set(None),
            created_at_ms: Set(now_ms()),
            ..Default::default()
        }
        .insert(&transaction)
        .await?;
        Some(record.id)
    } else {
        None
    };
    let created = user::ActiveModel {
        organisation_id: Set(organisation.id),
        email: Set(email),
        full_name: Set(full_name.trim().to_owned()),
        roles: Set(roles.join(",")),
        employee_id: Set(employee_id),
        created_at_ms: Set(now_ms()),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    transaction.commit().await?;
    Ok(created)
}

/// Issues a bearer token for `user_id` and answers its text (shown once, stored hashed).
pub async fn issue_token(
    db: &impl ConnectionTrait,
    user_id: i64,
    label: &str,
) -> anyhow::Result<String> {
    let text = token::generate();
    api_token::ActiveModel {
        user_id: Set(user_id),
        name: Set(label.chars().take(100).collect()),
        token_hash: Set(token::hash(&text)),
        created_at_ms: Set(now_ms()),
        revoked_at_ms: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .context("cannot store the token")?;
    Ok(text)
}

/// Stores a new password hash for `user_id` and signs the user out of every browser, so
/// an old password's sessions end with it. Answers how many sessions ended.
pub async fn set_password(
    db: &impl ConnectionTrait,
    user_id: i64,
    password_hash: &str,
) -> anyhow::Result<u64> {
    user::Entity::update_many()
        .col_expr(
            user::Column::PasswordHash,
            sea_orm::sea_query::Expr::value(password_hash.to_owned()),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(crate::auth::browser_session::sign_out_everywhere(db, user_id).await?)
}
