//! HelloModule's migrations, tracked in their own table `hello_migrations`.

mod m20261101_000001_create_greetings;

use sea_orm_migration::{
    MigrationTrait, MigratorTrait,
    sea_orm::DynIden,
    sea_query::{Alias, IntoIden},
};

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20261101_000001_create_greetings::Migration)]
    }

    fn migration_table_name() -> DynIden {
        Alias::new("hello_migrations").into_iden()
    }
}
