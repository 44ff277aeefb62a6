//! People by name: the host's directory behind every admin answer and every admin act
//! about an employee.

use crate::api::{ApiResult, Problem, error};
use host_sdk::abi::ModuleResponse;
use host_sdk::module::HostDirectory;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Refuses an act about someone who is not an employee of the organisation.
pub async fn require_employee(
    directory: &HostDirectory,
    organisation_id: i64,
    employee_id: i64,
) -> ApiResult<()> {
    let known = directory
        .is_employee(organisation_id, employee_id)
        .await
        .map_err(|problem| {
            tracing::warn!("the directory did not answer: {problem}");
            error(
                Problem::Unavailable,
                "directory_unavailable",
                "the suite's directory of employees did not answer: try again",
            )
        })?;
    if known {
        Ok(())
    } else {
        Err(error(
            Problem::NotFound,
            "unknown_employee",
            format!("{employee_id} is not an employee of this organisation"),
        ))
    }
}

fn collect_ids(value: &Value, ids: &mut BTreeSet<i64>) {
    match value {
        Value::Object(fields) => {
            if let Some(id) = fields.get("employee_id").and_then(Value::as_i64) {
                ids.insert(id);
            }
            fields.values().for_each(|v| collect_ids(v, ids));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_ids(v, ids)),
        _ => {}
    }
}

fn add_names(value: &mut Value, names: &BTreeMap<i64, String>) {
    match value {
        Value::Object(fields) => {
            if let Some(id) = fields.get("employee_id").and_then(Value::as_i64) {
                let name = names
                    .get(&id)
                    .map_or(Value::Null, |n| Value::from(n.as_str()));
                fields.insert("employee_name".to_owned(), name);
            }
            fields.values_mut().for_each(|v| add_names(v, names));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| add_names(v, names)),
        _ => {}
    }
}

/// Adds `employee_name` beside every `employee_id` of a successful JSON answer, so an
/// administrator reads names, not numbers. Without the directory the answer still goes
/// out, with `employee_name: null`: names are a help, the answer is the substance.
pub async fn with_names(
    directory: &HostDirectory,
    organisation_id: i64,
    response: ModuleResponse,
) -> ModuleResponse {
    if !(200..300).contains(&response.status) {
        return response;
    }
    let Ok(mut body) = serde_json::from_slice::<Value>(&response.body) else {
        return response;
    };
    let mut ids = BTreeSet::new();
    collect_ids(&body, &mut ids);
    if ids.is_empty() {
        return response;
    }
    let names = match directory.names(organisation_id, ids).await {
        Ok(names) => names,
        Err(problem) => {
            tracing::warn!("names left out, the directory did not answer: {problem}");
            BTreeMap::new()
        }
    };
    add_names(&mut body, &names);
    let mut named = ModuleResponse::json(response.status, &body);
    named.headers = response.headers;
    named
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_go_beside_every_employee_id_at_any_depth() {
        let mut body =
            json!({"employee_id": 1, "devices": [{"employee_id": 2}, {"employee_id": 9}], "n": 3});
        let mut ids = BTreeSet::new();
        collect_ids(&body, &mut ids);
        assert_eq!(ids, BTreeSet::from([1, 2, 9]));
        let names = BTreeMap::from([(1, "Ada".to_owned()), (2, "Grace".to_owned())]);
        add_names(&mut body, &names);
        assert_eq!(
            body,
            json!({"employee_id": 1, "employee_name": "Ada", "n": 3, "devices": [
                {"employee_id": 2, "employee_name": "Grace"},
                {"employee_id": 9, "employee_name": null}]})
        );
    }
}
