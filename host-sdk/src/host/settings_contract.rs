use crate::abi::SettingsProblem;
use serde_json::{Map, Value};

/// A module's settings contract as the host enforces it: the compiled JSON Schema and the
/// defaults.
pub struct SettingsContract {
    schema: Value,
    validator: jsonschema::Validator,
    defaults: Map<String, Value>,
}

impl std::fmt::Debug for SettingsContract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SettingsContract")
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

impl SettingsContract {
    /// Compiles `schema`; refuses a schema that is not valid JSON Schema or defaults that
    /// are not an object valid against it.
    pub fn new(schema: Value, defaults: Value) -> Result<Self, String> {
        let validator = jsonschema::validator_for(&schema)
            .map_err(|error| format!("its settings schema is not valid JSON Schema: {error}"))?;
        let Value::Object(defaults) = defaults else {
            return Err("its default settings are not a JSON object".to_owned());
        };
        let contract = Self {
            schema,
            validator,
            defaults,
        };
        let problems = contract.schema_problems(&Value::Object(contract.defaults.clone()));
        if let Some(problem) = problems.first() {
            return Err(format!(
                "its default settings break its own schema at {:?}: {}",
                problem.path.as_str(),
                problem.message
            ));
        }
        Ok(contract)
    }

    /// The schema, for clients that render a settings form.
    pub fn schema(&self) -> &Value {
        &self.schema
    }

    /// The defaults as a JSON object.
    pub fn defaults(&self) -> Value {
        Value::Object(self.defaults.clone())
    }

    /// Fills the top-level keys `submitted` leaves out with the defaults.
    ///
    /// ```
    /// use host_sdk::host::SettingsContract;
    /// use serde_json::json;
    /// let contract = SettingsContract::new(json!({"type": "object"}), json!({"a": 1, "b": 2})).unwrap();
    /// assert_eq!(contract.with_defaults(json!({"b": 3})), json!({"a": 1, "b": 3}));
    /// ```
    pub fn with_defaults(&self, submitted: Value) -> Value {
        match submitted {
            Value::Object(given) => {
                let mut merged = self.defaults.clone();
                merged.extend(given);
                Value::Object(merged)
            }
            other => other,
        }
    }

    /// Every schema violation in `settings`, each with the JSON Pointer of the offending
    /// value.
    ///
    /// ```
    /// use host_sdk::host::SettingsContract;
    /// use serde_json::json;
    /// let schema = json!({"type": "object", "properties": {"days": {"type": "integer", "maximum": 30}}});
    /// let contract = SettingsContract::new(schema, json!({})).unwrap();
    /// let problems = contract.schema_problems(&json!({"days": 90}));
    /// assert_eq!(problems[0].path.as_str(), "/days");
    /// ```
    ///
    /// A value outside a choice (a `oneOf`/`anyOf` of constants, as an enum with documented
    /// variants becomes) is named with the values allowed, not with the keyword:
    ///
    /// ```
    /// use host_sdk::host::SettingsContract;
    /// use serde_json::json;
    /// let schema = json!({"type": "object", "properties": {"policy": {"oneOf": [
    ///     {"const": "server_wins"}, {"const": "manual"}]}}});
    /// let contract = SettingsContract::new(schema, json!({})).unwrap();
    /// let problems = contract.schema_problems(&json!({"policy": "admin_decides"}));
    /// assert_eq!(
    ///     problems[0].message.as_str(),
    ///     r#""admin_decides" is not allowed: use one of "server_wins", "manual""#
    /// );
    /// ```
    pub fn schema_problems(&self, settings: &Value) -> Vec<SettingsProblem> {
        self.validator
            .iter_errors(settings)
            .map(|error| {
                let message = match self.allowed_values(&error) {
                    Some(allowed) => format!(
                        "{} is not allowed: use one of {}",
                        error.instance(),
                        allowed
                            .iter()
                            .map(Value::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => error.to_string(),
                };
                SettingsProblem::new(error.instance_path().as_str(), message)
            })
            .collect()
    }

    /// The constants a failed `oneOf`/`anyOf` offered, when every branch is a constant.
    fn allowed_values(&self, error: &jsonschema::ValidationError<'_>) -> Option<Vec<Value>> {
        use jsonschema::error::ValidationErrorKind;
        if !matches!(
            error.kind(),
            ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. }
        ) {
            return None;
        }
        let branches = self
            .schema
            .pointer(error.schema_path().as_str())?
            .as_array()?;
        let mut allowed = Vec::new();
        for branch in branches {
            match (branch.get("const"), branch.get("enum")) {
                (Some(constant), _) => allowed.push(constant.clone()),
                (None, Some(Value::Array(values))) => allowed.extend(values.iter().cloned()),
                _ => return None,
            }
        }
        Some(allowed)
    }
}
