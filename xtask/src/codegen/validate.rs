//! Validate: what we refuse, each refusal located in the file to edit.

use serde::Deserialize as _;
use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};
use serde_json::Value;

use super::diag::{push_pointer, Diagnostic, Errors};
use super::load::Spec;

mod refusal;

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
    let (pointer, message) = refusal::refusal(document)
        .unwrap_or_else(|| (String::new(), "the document does not read".to_owned()));
    Err(Errors::one(
        spec.locate(&pointer),
        format!("not valid OpenAPI 3.0: {message}"),
    ))
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

    #[test]
    fn a_wrong_node_under_paths_is_refused_where_it_is() {
        let text = "openapi: 3.0.1\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n  /b/{id}:\n    parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n    post:\n      operationId: [1]\n      responses: {'200': {description: ok}}\n";
        let spec = load_text(Path::new("api.yaml"), text).unwrap();
        let error = parse(&spec).unwrap_err().to_string();
        assert!(
            error.contains("api.yaml#/paths/~1b~1{id}/post/operationId"),
            "{error}"
        );
    }

    #[test]
    fn a_wrong_node_in_a_schema_is_refused_where_it_is_in_an_operation_or_components() {
        let schema =
            "{type: object, properties: {a: {type: array, items: {type: string, maxLength: x}}}}";
        for (text, pointer) in [
            (
                format!("openapi: 3.0.1\ninfo: {{title: T, version: '1'}}\npaths:\n  /a:\n    get:\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {schema}}}}}}}}}\n"),
                "api.yaml#/paths/~1a/get/responses/200/content/application~1json/schema/properties/a/items/maxLength",
            ),
            (
                format!("openapi: 3.0.1\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    S: {{allOf: [{{$ref: '#/components/schemas/T'}}, {schema}]}}\n    T: {{type: object}}\n"),
                "api.yaml#/components/schemas/S/allOf/1/properties/a/items/maxLength",
            ),
        ] {
            let spec = load_text(Path::new("api.yaml"), &text).unwrap();
            let error = parse(&spec).unwrap_err().to_string();
            assert!(error.contains(&format!("{pointer}: not valid OpenAPI 3.0: invalid type: string \"x\"")), "{error}");
        }
    }
}
