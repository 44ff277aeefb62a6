//! The OpenAPI 3.1 description of what a suite serves: the host's own routes, the sync
//! hub and every route of every running module, each with the schemas its declaration
//! carries. Built from the same values the routes are mounted from, so it cannot list a
//! route that is not served or miss one that is.

use super::ModuleRegistry;
use crate::{ErrorBody, Method, Scope, schema::schema_for};
use serde_json::{Map, Value, json};

/// Who may call an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without a token.
    Public,
    /// A bearer token: a user's API token or a device credential.
    Bearer,
}

/// One method on one path, as the API description lists it.
#[derive(Clone, Debug)]
pub struct Operation {
    method: Method,
    path: String,
    summary: String,
    tag: String,
    access: Access,
    permission: Option<String>,
    request: Option<Value>,
    query: Option<Value>,
    response: Option<Value>,
    content_type: &'static str,
}

impl Operation {
    /// `method path`, answering JSON, for a bearer token.
    pub fn new(method: Method, path: &str, summary: &str) -> Self {
        Self {
            method,
            path: path.to_owned(),
            summary: summary.to_owned(),
            tag: "Suite".to_owned(),
            access: Access::Bearer,
            permission: None,
            request: None,
            query: None,
            response: None,
            content_type: "application/json",
        }
    }

    /// The group it is listed under (the module's name, or the suite's part).
    pub fn tag(mut self, tag: &str) -> Self {
        self.tag = tag.to_owned();
        self
    }

    /// Who may call it.
    pub fn access(mut self, access: Access) -> Self {
        self.access = access;
        self
    }

    /// The permission the caller must hold.
    pub fn permission(mut self, permission: &str) -> Self {
        if !permission.is_empty() {
            self.permission = Some(permission.to_owned());
        }
        self
    }

    /// The JSON Schema of the request body.
    pub fn request(mut self, schema: Option<Value>) -> Self {
        self.request = schema;
        self
    }

    /// The JSON Schema of an object whose properties are the query parameters.
    pub fn query(mut self, schema: Option<Value>) -> Self {
        self.query = schema;
        self
    }

    /// The JSON Schema of the successful answer.
    pub fn response(mut self, schema: Option<Value>) -> Self {
        self.response = schema;
        self
    }

    /// The media type of the successful answer, when it is not JSON.
    pub fn content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = content_type;
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The full path, with `{name}` segments.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// Every route of every running module, under its module's prefix.
pub fn module_operations(registry: &ModuleRegistry) -> Vec<Operation> {
    registry
        .running()
        .flat_map(|module| {
            // Pages are HTML for browsers, not part of the JSON API.
            module
                .routes
                .iter()
                .filter(|route| route.scope != Scope::Page)
                .map(move |route| {
                    let path = format!("{}{}", route.scope.prefix(module.alias()), route.path);
                    Operation::new(route.method, &path, &route.description)
                        .tag(module.name())
                        .permission(&route.permission)
                        .request(route.request_schema.clone())
                        .query(route.query_schema.clone())
                        .response(route.response_schema.clone())
                })
        })
        .collect()
}

/// The sync hub's push and pull.
pub fn hub_operations() -> Vec<Operation> {
    use crate::hub::{HubAnswer, HubPush, PULL_PATH, PUSH_PATH, PullParameters};
    vec![
        Operation::new(
            Method::Post,
            PUSH_PATH,
            "Push each collection's changes to the module that serves it",
        )
        .tag("Sync hub")
        .request(Some(schema_for::<HubPush<Value>>()))
        .response(Some(schema_for::<HubAnswer<Value>>())),
        Operation::new(
            Method::Get,
            PULL_PATH,
            "Pull each collection's changes after the cursor",
        )
        .tag("Sync hub")
        .query(Some(schema_for::<PullParameters>()))
        .response(Some(schema_for::<HubAnswer<Value>>())),
    ]
}

/// The OpenAPI 3.1 document listing `operations`.
pub fn document(title: &str, version: &str, operations: &[Operation]) -> Value {
    let mut components = Components::default();
    // Every operation shares the error answer: one definition, referenced.
    let error_body = components.place(schema_for::<ErrorBody>());
    components
        .schemas
        .insert("ErrorBody".to_owned(), error_body);
    let error_schema = json!({"$ref": "#/components/schemas/ErrorBody"});
    let mut paths = Map::new();
    for operation in operations {
        let entry = paths
            .entry(operation.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(methods) = entry {
            methods.insert(
                operation.method.as_str().to_ascii_lowercase(),
                operation_json(operation, &error_schema, &mut components),
            );
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": components.schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    })
}

fn operation_json(
    operation: &Operation,
    error_schema: &Value,
    components: &mut Components,
) -> Value {
    let mut parameters: Vec<Value> = path_parameters(&operation.path)
        .map(|name| {
            json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
        })
        .collect();
    if let Some(query) = &operation.query {
        parameters.extend(query_parameters(&components.place(query.clone())));
    }
    let mut success = json!({"description": "Success"});
    if let Some(response) = &operation.response {
        success["content"] =
            json!({operation.content_type: {"schema": components.place(response.clone())}});
    }
    let mut description = operation.summary.clone();
    if let Some(permission) = &operation.permission {
        description.push_str(&format!(" (permission `{permission}`)"));
    }
    let mut answer = json!({
        "operationId": format!("{} {}", operation.method.as_str(), operation.path),
        "summary": operation.summary,
        "description": description,
        "tags": [operation.tag],
        "responses": {
            "2XX": success,
            "default": {
                "description": "An error: `{\"code\", \"message\"}`",
                "content": {"application/json": {"schema": error_schema}},
            },
        },
    });
    if !parameters.is_empty() {
        answer["parameters"] = Value::Array(parameters);
    }
    if let Some(request) = &operation.request {
        answer["requestBody"] = json!({
            "required": true,
            "content": {"application/json": {"schema": components.place(request.clone())}},
        });
    }
    answer["security"] = match operation.access {
        Access::Public => json!([]),
        Access::Bearer => json!([{"bearer": []}]),
    };
    answer
}

/// The `{name}` segments of a path, in order.
fn path_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}

/// One query parameter per property of an object schema.
fn query_parameters(schema: &Value) -> Vec<Value> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = schema["properties"].as_object() else {
        return Vec::new();
    };
    properties
        .iter()
        .map(|(name, property)| {
            let mut parameter = json!({
                "name": name,
                "in": "query",
                "required": required.contains(&name.as_str()),
                "schema": property,
            });
            if let Some(text) = property.get("description") {
                parameter["description"] = text.clone();
            }
            parameter
        })
        .collect()
}

/// The shared definitions every schema's references point into.
#[derive(Default)]
struct Components {
    schemas: Map<String, Value>,
}

impl Components {
    /// Moves a generated schema's definitions into the document's components and returns
    /// the schema to place where it is used.
    fn place(&mut self, mut schema: Value) -> Value {
        if let Some(Value::Object(mut parts)) =
            schema.as_object_mut().and_then(|s| s.remove("components"))
            && let Some(Value::Object(definitions)) = parts.remove("schemas")
        {
            for (name, definition) in definitions {
                match self.schemas.get(&name) {
                    Some(existing) if existing != &definition => tracing::warn!(
                        schema = %name,
                        "two different types share a schema name; the API description keeps the first"
                    ),
                    Some(_) => {}
                    None => {
                        self.schemas.insert(name, definition);
                    }
                }
            }
        }
        schema
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_the_braced_segments() {
        let names: Vec<&str> = path_parameters("/a/{device_id}/b/{x}").collect();
        assert_eq!(names, ["device_id", "x"]);
    }

    #[test]
    fn definitions_move_to_components_and_references_resolve_there() {
        #[derive(schemars::JsonSchema)]
        #[allow(dead_code)]
        struct Inner {
            n: u8,
        }
        #[derive(schemars::JsonSchema)]
        #[allow(dead_code)]
        struct Outer {
            inner: Inner,
        }
        let operation =
            Operation::new(Method::Post, "/x", "X").request(Some(schema_for::<Outer>()));
        let document = document("t", "1", &[operation]);
        let request = &document["paths"]["/x"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"];
        assert_eq!(
            request["properties"]["inner"]["$ref"],
            "#/components/schemas/Inner"
        );
        assert!(request.get("components").is_none());
        assert_eq!(
            document["components"]["schemas"]["Inner"]["properties"]["n"]["type"],
            "integer"
        );
        assert!(document["components"]["schemas"]["ErrorBody"].is_object());
    }
}
