//! Validate: what we refuse, each refusal located in the file to edit.

use serde::Deserialize as _;
use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};
use serde_json::Value;

use super::diag::{push_pointer, Diagnostic, Errors};
use super::load::Spec;

/// Checks the OpenAPI version and reads the bundle as OpenAPI 3.0.
pub fn parse(spec: &Spec) -> Result<OpenAPI, Errors> {
    let document = &spec.document;
    if let Some(swagger) = document.get("swagger") {
        return Err(Errors::one(
            spec.locate("/swagger"),
            format!(
                "this is a Swagger {} document; only OpenAPI 3.0 is supported (convert it first)",
                scalar_text(swagger)
            ),
        ));
    }
    let version = match document.get("openapi") {
        Some(Value::String(version)) => version.clone(),
        Some(other) => {
            return Err(Errors::one(
                spec.locate("/openapi"),
                format!("`openapi` must be a version string such as \"3.0.1\", found {other}"),
            ))
        }
        None => {
            return Err(Errors::one(
                spec.locate(""),
                "no `openapi` version: this is not an OpenAPI document",
            ))
        }
    };
    if !version.starts_with("3.0.") && version != "3.0" {
        return Err(Errors::one(
            spec.locate("/openapi"),
            format!("OpenAPI {version} is not supported; only OpenAPI 3.0.x is"),
        ));
    }
    // Read without tracking the path first: tracking doubles the time, and
    // only a document that fails needs the path to its error.
    if let Ok(openapi) = OpenAPI::deserialize(document) {
        return Ok(openapi);
    }
    serde_path_to_error::deserialize::<_, OpenAPI>(document).map_err(|error| {
        let pointer: String = error
            .path()
            .iter()
            .filter_map(|segment| match segment {
                serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
                serde_path_to_error::Segment::Unknown => None,
            })
            .fold(String::new(), |pointer, segment| {
                push_pointer(&pointer, &segment)
            });
        Errors::one(
            spec.locate(&pointer),
            format!("not valid OpenAPI 3.0: {}", error.inner()),
        )
    })
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Checks what the OpenAPI types allow but generation cannot use.
pub fn validate(spec: &Spec, api: &OpenAPI) -> Result<(), Errors> {
    let mut errors = Vec::new();
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in &api.paths.paths {
        let path_pointer = push_pointer("/paths", path);
        let ReferenceOr::Item(item) = item else {
            errors.push(Diagnostic::new(
                spec.locate(&path_pointer),
                "a path item `$ref` was left unresolved",
            ));
            continue;
        };
        for (method, operation) in item.iter() {
            let pointer = push_pointer(&path_pointer, method);
            match operation.operation_id.as_deref() {
                // Named after its method and path by the lowering, with a warning.
                None | Some("") => {}
                Some(id) => {
                    let id_pointer = push_pointer(&pointer, "operationId");
                    if let Some(first) = seen.get(id) {
                        errors.push(Diagnostic::new(
                            spec.locate(&id_pointer),
                            format!(
                                "duplicate operationId `{id}`: also used at {}",
                                spec.locate(first)
                            ),
                        ));
                    } else {
                        seen.insert(id, id_pointer);
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        errors.sort();
        Err(Errors(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::load::load_text;
    use std::path::Path;

    #[test]
    fn a_document_that_is_not_openapi_is_refused_at_the_node_that_is_wrong() {
        let text =
            "openapi: 3.0.1\ninfo: {title: T, version: '1', contact: {name: [1]}}\npaths: {}\n";
        let spec = load_text(Path::new("api.yaml"), text).unwrap();
        let error = parse(&spec).unwrap_err().to_string();
        assert!(
            error.contains("api.yaml#/info/contact/name")
                && error.contains("not valid OpenAPI 3.0"),
            "{error}"
        );
    }
}
