//! Role grants: which roles hold which permissions.

use crate::entities::role_permission::{self, EVERY_PERMISSION};
use host_sdk::abi::PermissionSpec;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set, sea_query::OnConflict,
};

/// Whether any of `roles` holds `permission` (directly or through `*`).
pub async fn any_role_holds(
    db: &impl ConnectionTrait,
    roles: &[String],
    permission: &str,
) -> Result<bool, DbErr> {
    if roles.is_empty() {
        return Ok(false);
    }
    let found = role_permission::Entity::find()
        .filter(role_permission::Column::Role.is_in(roles.iter().cloned()))
        .filter(role_permission::Column::Permission.is_in([permission, EVERY_PERMISSION]))
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// Grants a module's declared permissions to their default roles, leaving existing
/// grants alone.
pub async fn grant_defaults(
    db: &impl ConnectionTrait,
    permissions: &[PermissionSpec],
) -> Result<usize, DbErr> {
    let mut granted = 0;
    for permission in permissions {
        for role in permission.default_roles.iter() {
            let result = role_permission::Entity::insert(role_permission::ActiveModel {
                role: Set(role.to_string()),
                permission: Set(permission.name.to_string()),
            })
            .on_conflict(
                OnConflict::columns([
                    role_permission::Column::Role,
                    role_permission::Column::Permission,
                ])
                .do_nothing_on([
                    role_permission::Column::Role,
                    role_permission::Column::Permission,
                ])
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
            granted += result as usize;
        }
    }
    Ok(granted)
}
