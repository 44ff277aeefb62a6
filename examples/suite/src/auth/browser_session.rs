//! Browser sessions: a random secret in an `HttpOnly` cookie, its SHA-256 in the
//! `browser_sessions` table (so every suite process knows it and an administrator can be
//! signed out everywhere), and a CSRF token per session that every form carries.

use crate::db::now_ms;
use crate::entities::{browser_session, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
    sea_query::Expr,
};

/// The cookie that carries the session's secret.
pub const SESSION_COOKIE: &str = "suite_session";
/// How long a session lasts after sign-in, whatever happens in between.
pub const LIFETIME_MS: i64 = 12 * 3_600_000;

/// A signed-in user, as a page sees them.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// The user.
    pub user: user::Model,
    /// The token every form of this session carries.
    pub csrf_token: String,
    /// The stored session's key.
    id_hash: String,
}

/// Starts a session for `user_id` and answers the secret for the cookie.
pub async fn start(db: &impl ConnectionTrait, user_id: i64) -> Result<String, DbErr> {
    let secret = host_sdk::tokens::generate("ss_");
    let now = now_ms();
    browser_session::ActiveModel {
        id_hash: Set(host_sdk::tokens::hash(&secret)),
        user_id: Set(user_id),
        csrf_token: Set(host_sdk::tokens::generate("csrf_")),
        created_at_ms: Set(now),
        last_seen_at_ms: Set(now),
        expires_at_ms: Set(now.saturating_add(LIFETIME_MS)),
        signed_out_at_ms: Set(None),
    }
    .insert(db)
    .await?;
    Ok(secret)
}

/// The user a cookie's secret signs in, if the session is live.
pub async fn find(db: &impl ConnectionTrait, secret: &str) -> Result<Option<SignedIn>, DbErr> {
    // Anything longer than a generated secret is not one: no hashing of client junk.
    if secret.len() > 128 {
        return Ok(None);
    }
    let now = now_ms();
    let Some(session) = browser_session::Entity::find_by_id(host_sdk::tokens::hash(secret))
        .filter(browser_session::Column::SignedOutAtMs.is_null())
        .filter(browser_session::Column::ExpiresAtMs.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(user) = user::Entity::find_by_id(session.user_id).one(db).await? else {
        return Ok(None);
    };
    Ok(Some(SignedIn {
        user,
        csrf_token: session.csrf_token,
        id_hash: session.id_hash,
    }))
}

/// Ends this session.
pub async fn sign_out(db: &impl ConnectionTrait, signed_in: &SignedIn) -> Result<(), DbErr> {
    browser_session::Entity::update_many()
        .col_expr(
            browser_session::Column::SignedOutAtMs,
            Expr::value(now_ms()),
        )
        .filter(browser_session::Column::IdHash.eq(signed_in.id_hash.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of `user_id` (a new password, or an administrator's decision).
pub async fn sign_out_everywhere(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    let ended = browser_session::Entity::update_many()
        .col_expr(
            browser_session::Column::SignedOutAtMs,
            Expr::value(now_ms()),
        )
        .filter(browser_session::Column::UserId.eq(user_id))
        .filter(browser_session::Column::SignedOutAtMs.is_null())
        .filter(browser_session::Column::ExpiresAtMs.gt(now_ms()))
        .exec(db)
        .await?;
    Ok(ended.rows_affected)
}

/// Whether a form's CSRF token is this session's (compared in constant time).
pub fn csrf_matches(expected: &str, given: &str) -> bool {
    let (expected, given) = (expected.as_bytes(), given.as_bytes());
    expected.len() == given.len()
        && expected
            .iter()
            .zip(given)
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}
