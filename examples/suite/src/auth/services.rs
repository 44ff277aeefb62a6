//! The suite's answers to the module layer: who a token belongs to, what they may do,
//! and an organisation's settings for a module.

use super::{grants, token};
use crate::{
    entities::{api_token, module_setting, user},
    settings_store,
};
use host_sdk::abi::{ROption, RString};
use host_sdk::{
    abi::{ModuleSettings, Principal},
    host::{
        RunningModule,
        http::{ApiError, HostServices},
    },
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// [`HostServices`] backed by the suite's tables. Holds no state beyond the pool, so any
/// number of suite processes can serve the same database.
pub struct SuiteServices {
    db: DatabaseConnection,
}

impl SuiteServices {
    /// Wraps the host's pool.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// The host's pool.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }
}

/// Who `user` is to the module layer (and to the pages' permission checks).
pub fn principal_of(user: &user::Model) -> Principal {
    Principal {
        organisation_id: user.organisation_id,
        user_id: user.id,
        employee_id: user.employee_id.into(),
        roles: user.role_list().into_iter().map(RString::from).collect(),
        device_id: ROption::RNone,
    }
}

fn database_error(error: sea_orm::DbErr) -> ApiError {
    ApiError::internal("the suite's database failed", error)
}

impl HostServices for SuiteServices {
    async fn authenticate(&self, bearer: &str) -> Result<Principal, ApiError> {
        let invalid = || {
            ApiError::new(
                401,
                "invalid_token",
                "the bearer token is unknown or revoked",
            )
        };
        let found = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(token::hash(bearer)))
            .filter(api_token::Column::RevokedAtMs.is_null())
            .one(&self.db)
            .await
            .map_err(database_error)?
            .ok_or_else(invalid)?;
        let owner = user::Entity::find_by_id(found.user_id)
            .one(&self.db)
            .await
            .map_err(database_error)?
            .ok_or_else(invalid)?;
        Ok(principal_of(&owner))
    }

    async fn is_permitted(
        &self,
        principal: &Principal,
        permission: &str,
    ) -> Result<bool, ApiError> {
        let roles: Vec<String> = principal.roles.iter().map(|r| r.to_string()).collect();
        grants::any_role_holds(&self.db, &roles, permission)
            .await
            .map_err(database_error)
    }

    async fn module_settings(
        &self,
        organisation_id: i64,
        module: &RunningModule,
    ) -> Result<ModuleSettings, ApiError> {
        let saved =
            module_setting::Entity::find_by_id((organisation_id, module.alias().to_owned()))
                .one(&self.db)
                .await
                .map_err(database_error)?;
        Ok(settings_store::effective(module, saved.as_ref()))
    }
}
