//! A column that holds JSON as text, read and written as its Rust type.

use sea_orm::sea_query::{ArrayType, ColumnType, Value, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable};
use serde::{Serialize, de::DeserializeOwned};
use std::ops::{Deref, DerefMut};

/// JSON stored in a text column, typed on both sides: writing serialises `T`, reading
/// parses it, and a stored text that is not a `T` is a read error naming the column and
/// the type, never a silent default.
///
/// ```
/// use host_sdk::db::StoredJson;
/// let flags = StoredJson(vec!["late".to_owned()]);
/// let value: sea_orm::Value = flags.clone().into();
/// assert_eq!(value, sea_orm::Value::String(Some("[\"late\"]".to_owned())));
/// assert_eq!(flags.len(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct StoredJson<T>(pub T);

impl<T> Deref for StoredJson<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for StoredJson<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: Serialize> From<StoredJson<T>> for Value {
    fn from(stored: StoredJson<T>) -> Self {
        // Serialising plain data (maps with string keys, numbers, strings) cannot fail; a
        // type for which it could would not be stored this way.
        Value::String(Some(
            serde_json::to_string(&stored.0).unwrap_or_else(|_| "null".to_owned()),
        ))
    }
}

impl<T: DeserializeOwned> TryGetable for StoredJson<T> {
    fn try_get_by<I: ColIdx>(result: &QueryResult, index: I) -> Result<Self, TryGetError> {
        let text = String::try_get_by(result, index)?;
        serde_json::from_str(&text)
            .map(StoredJson)
            .map_err(|error| {
                TryGetError::DbErr(DbErr::Type(format!(
                    "column {index:?} holds JSON that is not a {}: {error}",
                    std::any::type_name::<T>()
                )))
            })
    }
}

impl<T: DeserializeOwned> ValueType for StoredJson<T> {
    fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
        match value {
            Value::String(Some(text)) => serde_json::from_str(&text)
                .map(StoredJson)
                .map_err(|_| ValueTypeErr),
            _ => Err(ValueTypeErr),
        }
    }

    fn type_name() -> String {
        format!("StoredJson<{}>", std::any::type_name::<T>())
    }

    fn array_type() -> ArrayType {
        ArrayType::String
    }

    fn column_type() -> ColumnType {
        ColumnType::Text
    }
}
