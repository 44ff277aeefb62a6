//! A form for any module's settings, made from its JSON Schema: a checkbox for a boolean,
//! a number field with the schema's bounds for an integer or a number, a choice for an
//! enumeration (`enum`, or `oneOf` constants with their descriptions as labels), a text
//! field for a string, and a comma-separated list for an array of choices. A property of
//! another shape is shown read-only and never sent, so saving the form cannot change it.

use serde_json::{Map, Value};

/// One choice of an enumeration.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One field of the form, ready for the template.
pub struct Field {
    pub name: String,
    pub label: String,
    pub help: String,
    /// `checkbox`, `number`, `select`, `text` or `readonly`.
    pub widget: &'static str,
    pub value: String,
    pub checked: bool,
    pub min: String,
    pub max: String,
    pub step: String,
    pub choices: Vec<Choice>,
    pub error: Option<String>,
    /// What the field showed when the form was made (`on` or empty for a checkbox), sent
    /// back with the form: only a field whose value differs from it was changed.
    pub was: String,
    kind: Kind,
}

enum Kind {
    Toggle,
    Integer,
    Number,
    Choice,
    Text { nullable: bool },
    ChoiceList,
    Unsupported,
}

/// The form's fields for `schema`, showing `current` values, in the schema's order.
pub fn fields(schema: &Value, current: &Value) -> Vec<Field> {
    let Some(properties) = schema["properties"].as_object() else {
        return Vec::new();
    };
    properties
        .iter()
        .map(|(name, property)| field(schema, name, property, &current[name.as_str()]))
        .collect()
}

fn resolve<'a>(root: &'a Value, property: &'a Value) -> &'a Value {
    match property["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        Some(name) => &root["$defs"][name],
        None => property,
    }
}

fn types(property: &Value) -> Vec<&str> {
    match &property["type"] {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The constants of an enumeration with their labels.
fn enumeration(property: &Value) -> Option<Vec<(String, String)>> {
    if let Some(values) = property["enum"].as_array() {
        return Some(
            values
                .iter()
                .filter_map(Value::as_str)
                .map(|value| (value.to_owned(), humanise(value)))
                .collect(),
        );
    }
    let variants = property["oneOf"].as_array()?;
    variants
        .iter()
        .map(|variant| {
            let value = variant["const"].as_str()?.to_owned();
            let label = match variant["description"].as_str() {
                Some(text) => format!("{}: {}", humanise(&value), text.replace('\n', " ")),
                None => humanise(&value),
            };
            Some((value, label))
        })
        .collect()
}

fn humanise(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut letters = spaced.chars();
    match letters.next() {
        Some(first) => first.to_uppercase().chain(letters).collect(),
        None => String::new(),
    }
}

fn bound(property: &Value, key: &str) -> String {
    property[key]
        .as_f64()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

fn field(root: &Value, name: &str, property: &Value, current: &Value) -> Field {
    let resolved = resolve(root, property);
    let kinds = types(resolved);
    let mut field = Field {
        name: name.to_owned(),
        label: property["title"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| humanise(name)),
        help: property["description"]
            .as_str()
            .or(resolved["description"].as_str())
            .unwrap_or_default()
            .to_owned(),
        widget: "readonly",
        value: match current {
            Value::String(text) => text.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        },
        checked: current.as_bool().unwrap_or(false),
        min: String::new(),
        max: String::new(),
        step: String::new(),
        choices: Vec::new(),
        error: None,
        was: String::new(),
        kind: Kind::Unsupported,
    };
    if let Some(choices) = enumeration(resolved) {
        field.kind = Kind::Choice;
        field.widget = "select";
        field.choices = choices
            .into_iter()
            .map(|(value, label)| Choice {
                selected: current.as_str() == Some(value.as_str()),
                value,
                label,
            })
            .collect();
    } else if kinds.contains(&"boolean") {
        field.kind = Kind::Toggle;
        field.widget = "checkbox";
    } else if kinds.contains(&"integer") || kinds.contains(&"number") {
        let integer = kinds.contains(&"integer");
        field.kind = if integer { Kind::Integer } else { Kind::Number };
        field.widget = "number";
        field.min = bound(resolved, "minimum");
        field.max = bound(resolved, "maximum");
        field.step = if integer {
            "1".to_owned()
        } else {
            "any".to_owned()
        };
    } else if kinds.contains(&"string") {
        field.kind = Kind::Text {
            nullable: kinds.contains(&"null"),
        };
        field.widget = "text";
        field.max = resolved["maxLength"]
            .as_u64()
            .map(|n| n.to_string())
            .unwrap_or_default();
    } else if kinds.contains(&"array")
        && let Some(choices) = enumeration(resolve(root, &resolved["items"]))
    {
        field.kind = Kind::ChoiceList;
        field.widget = "text";
        field.value = current
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        let names: Vec<String> = choices.into_iter().map(|(value, _)| value).collect();
        field.help = format!("{} (comma-separated: {})", field.help, names.join(", "));
    }
    field.was = match field.kind {
        Kind::Toggle if field.checked => "on".to_owned(),
        Kind::Toggle => String::new(),
        _ => field.value.clone(),
    };
    field
}

/// The fields the person changed, as settings values, or `None` with the errors beside
/// their fields. A field is changed when what is sent differs from what the form showed
/// (its `was:` twin), so a value someone else saved meanwhile is left alone. Only fields
/// the form can edit are read; a checkbox that is not sent is off.
pub fn read(fields: &mut [Field], submitted: &[(String, String)]) -> Option<Map<String, Value>> {
    let given = |name: &str| {
        submitted
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_owned())
    };
    let mut values = Map::new();
    let mut valid = true;
    for field in fields.iter_mut() {
        let text = given(&field.name).unwrap_or_default();
        let shown = given(&format!("was:{}", field.name)).unwrap_or_default();
        let sent = match field.kind {
            Kind::Toggle if given(&field.name).is_some() => "on".to_owned(),
            Kind::Toggle => String::new(),
            _ => text.clone(),
        };
        let changed = sent != shown;
        field.was = shown;
        let value = match field.kind {
            Kind::Unsupported => continue,
            Kind::Toggle => Ok(Value::Bool(given(&field.name).is_some())),
            Kind::Integer => text
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| "a whole number".to_owned()),
            Kind::Number => text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| "a number".to_owned()),
            Kind::Choice => Ok(Value::String(text.clone())),
            Kind::Text { nullable } if nullable && text.is_empty() => Ok(Value::Null),
            Kind::Text { .. } => Ok(Value::String(text.clone())),
            Kind::ChoiceList => Ok(Value::Array(
                text.split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(|item| Value::String(item.to_owned()))
                    .collect(),
            )),
        };
        field.value = text;
        field.checked = given(&field.name).is_some();
        for choice in &mut field.choices {
            choice.selected = choice.value == field.value;
        }
        match value {
            Ok(value) if changed => {
                values.insert(field.name.clone(), value);
            }
            Ok(_) => {}
            Err(expected) => {
                field.error = Some(format!("Enter {expected}."));
                valid = false;
            }
        }
    }
    valid.then_some(values)
}

/// Puts each problem of the saved check beside its field (`/name` paths); answers the
/// problems no field shows.
pub fn place_problems(fields: &mut [Field], problems: &[(String, String)]) -> Vec<String> {
    let mut elsewhere = Vec::new();
    for (path, message) in problems {
        let name = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        match fields.iter_mut().find(|field| field.name == name) {
            Some(field) => field.error = Some(message.clone()),
            None => elsewhere.push(message.clone()),
        }
    }
    elsewhere
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "$defs": {"Policy": {"oneOf": [
                {"const": "server_wins", "description": "The server stands.", "type": "string"},
                {"const": "manual", "type": "string"}
            ]}},
            "properties": {
                "enabled": {"type": "boolean"},
                "days": {"type": "integer", "minimum": 1, "maximum": 90},
                "policy": {"$ref": "#/$defs/Policy"},
                "locked": {"type": ["string", "null"]},
                "order": {"type": "array", "items": {"$ref": "#/$defs/Policy"}},
                "nested": {"type": "object"}
            }
        })
    }

    #[test]
    fn each_schema_shape_gets_its_widget() {
        let current = json!({"enabled": true, "days": 7, "policy": "manual", "locked": null, "order": ["manual"]});
        let fields = fields(&schema(), &current);
        let widgets: Vec<(&str, &str)> =
            fields.iter().map(|f| (f.name.as_str(), f.widget)).collect();
        assert_eq!(
            widgets,
            [
                ("days", "number"),
                ("enabled", "checkbox"),
                ("locked", "text"),
                ("nested", "readonly"),
                ("order", "text"),
                ("policy", "select")
            ]
        );
        let days = &fields[0];
        assert_eq!(
            (days.min.as_str(), days.max.as_str(), days.value.as_str()),
            ("1", "90", "7")
        );
        let policy = &fields[5];
        assert_eq!(policy.choices[0].label, "Server wins: The server stands.");
        assert!(policy.choices[1].selected);
    }

    #[test]
    fn a_submitted_form_becomes_typed_values_and_bad_numbers_stay_beside_their_field() {
        let mut form = fields(&schema(), &json!({}));
        let submitted = vec![
            ("was:enabled".to_owned(), "on".to_owned()),
            ("days".to_owned(), "14".to_owned()),
            ("policy".to_owned(), "manual".to_owned()),
            ("locked".to_owned(), "".to_owned()),
            ("order".to_owned(), "manual, server_wins".to_owned()),
        ];
        let values = read(&mut form, &submitted).unwrap();
        assert_eq!(
            Value::Object(values),
            json!({"days": 14, "enabled": false, "policy": "manual", "order": ["manual", "server_wins"]})
        );
        // Unchanged fields are not sent on: here only `days` changed.
        let mut form = fields(&schema(), &json!({}));
        let only_days = read(&mut form, &[("days".to_owned(), "3".to_owned())]).unwrap();
        assert_eq!(Value::Object(only_days), json!({"days": 3}));
        let mut form = fields(&schema(), &json!({}));
        assert!(read(&mut form, &[("days".to_owned(), "many".to_owned())]).is_none());
        assert_eq!(form[0].error.as_deref(), Some("Enter a whole number."));
    }
}
