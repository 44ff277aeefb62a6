//! JSON Schemas of the types that cross HTTP, generated the one way the API description
//! can embed them.

use schemars::{JsonSchema, generate::SchemaSettings};
use serde_json::Value;

/// Where shared definitions live in the API description; every generated `$ref` points
/// there, so a schema can be placed in the document as it is.
pub const DEFINITIONS_PATH: &str = "/components/schemas";

/// The JSON Schema (2020-12) of `T`, with its definitions under
/// `components.schemas` and its references pointing to them.
///
/// ```
/// #[derive(schemars::JsonSchema)]
/// struct Point { x: i32 }
/// let schema = host_sdk::schema::schema_for::<Point>();
/// assert_eq!(schema["properties"]["x"]["type"], "integer");
/// ```
pub fn schema_for<T: JsonSchema>() -> Value {
    SchemaSettings::draft2020_12()
        .with(|settings| {
            settings.definitions_path = DEFINITIONS_PATH.into();
            settings.meta_schema = None;
        })
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}
