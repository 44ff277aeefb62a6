use sea_orm::entity::prelude::*;

/// Someone who signs in: an administrator, an employee, or both.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: i64,
    pub email: String,
    pub full_name: String,
    /// Comma-separated role names.
    pub roles: String,
    pub employee_id: Option<i64>,
    /// Argon2id PHC string; `None` until a password is set (the user cannot sign in).
    pub password_hash: Option<String>,
    pub created_at_ms: i64,
}

impl Model {
    /// The user's roles as a list.
    pub fn role_list(&self) -> Vec<String> {
        self.roles
            .split(',')
            .map(str::trim)
            .filter(|role| !role.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
