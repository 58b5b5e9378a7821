//! Validate: what we refuse, each refusal located in the file to edit.

use serde::Deserialize as _;
use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};
use serde_json::Value;

use super::cores;
use super::diag::{push_pointer, Diagnostic, Errors};
use super::load::Spec;

/// The document as OpenAPI 3.0, read in two parts on two cores (on one
/// for a small spec): the entries of `paths` and of `components/schemas`
/// (most of any spec) alternately in each, the rest (small) apart. `None`
/// if any part fails to read.
fn parse_in_parts(document: &Value) -> Option<OpenAPI> {
    let object = document.as_object()?;
    let paths = object.get("paths")?.as_object()?;
    let components = match object.get("components") {
        Some(components) => Some(components.as_object()?),
        None => None,
    };
    let schemas = match components.and_then(|components| components.get("schemas")) {
        Some(schemas) => Some(schemas.as_object()?),
        None => None,
    };
    // `Paths` reads only keys that start with `/` as path items.
    let path_items: Vec<(&String, &Value)> = paths
        .iter()
        .filter(|(key, _)| key.starts_with('/'))
        .collect();
    let schema_entries: Vec<(&String, &Value)> = schemas.into_iter().flatten().collect();
    let read = |worker: usize| {
        let items: Option<Vec<ReferenceOr<openapiv3::PathItem>>> = every_other(&path_items, worker);
        let schemas: Option<Vec<ReferenceOr<openapiv3::Schema>>> =
            every_other(&schema_entries, worker);
        Some((items?, schemas?))
    };
    let (first, second) = if path_items.len() + schema_entries.len() < READ_ALONE_BELOW {
        (read(0), read(1))
    } else {
        let mut halves = cores::parts(2, read).into_iter().map(Option::flatten);
        (halves.next().flatten(), halves.next().flatten())
    };
    let ((items_0, schemas_0), (items_1, schemas_1)) = (first?, second?);
    // What is left without the large maps, read as a whole.
    let without = |object: &serde_json::Map<String, Value>, large: &dyn Fn(&str) -> bool| {
        Value::Object(
            object
                .iter()
                .filter(|(key, _)| !large(key))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        )
    };
    let mut openapi_rest = without(object, &|key| matches!(key, "paths" | "components"));
    openapi_rest
        .as_object_mut()?
        .insert("paths".to_owned(), Value::Object(serde_json::Map::new()));
    let mut openapi = OpenAPI::deserialize(&openapi_rest).ok()?;
    openapi.paths =
        openapiv3::Paths::deserialize(&without(paths, &|key| key.starts_with('/'))).ok()?;
    openapi.paths.paths = path_items
        .iter()
        .map(|(key, _)| (*key).clone())
        .zip(interleave(items_0, items_1))
        .collect();
    if let Some(components) = components {
        let mut read =
            openapiv3::Components::deserialize(&without(components, &|key| key == "schemas"))
                .ok()?;
        read.schemas = schema_entries
            .iter()
            .map(|(key, _)| (*key).clone())
            .zip(interleave(schemas_0, schemas_1))
            .collect();
        openapi.components = Some(read);
    }
    Some(openapi)
}

/// Below this many entries a spec is read on this thread alone: starting
/// a thread costs more than it saves.
const READ_ALONE_BELOW: usize = 64;

/// The values of `entries` at `worker`, `worker + 2`, …, read as `T`.
fn every_other<T: serde::de::DeserializeOwned>(
    entries: &[(&String, &Value)],
    worker: usize,
) -> Option<Vec<T>> {
    entries
        .iter()
        .skip(worker)
        .step_by(2)
        .map(|(_, value)| T::deserialize(*value).ok())
        .collect()
}

/// The values of two [`every_other`] halves, back in their order.
fn interleave<T>(first: Vec<T>, second: Vec<T>) -> Vec<T> {
    let mut merged = Vec::with_capacity(first.len() + second.len());
    let mut second = second.into_iter();
    for value in first {
        merged.push(value);
        merged.extend(second.next());
    }
    merged
}

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
    // Read without tracking the path first, in parts on two cores:
    // tracking doubles the time, and only a document that fails needs the
    // path to its error.
    if let Some(openapi) = parse_in_parts(document) {
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

    /// A document with every part the split reads apart: extensions at the
    /// top, in `paths` and in `components`, a path `$ref`, schemas in
    /// order, and components other than schemas.
    const DOCUMENT: &str = r##"{
        "openapi": "3.0.1",
        "info": {"title": "T", "version": "1"},
        "x-top": 1,
        "tags": [{"name": "a"}],
        "paths": {
            "x-paths": true,
            "/b": {"get": {"operationId": "b", "responses": {"204": {"description": "done"}}}},
            "/a": {"$ref": "#/x"},
            "/c": {"post": {"responses": {"200": {"description": "ok"}}}}
        },
        "components": {
            "x-components": "yes",
            "schemas": {
                "Z": {"type": "string"},
                "A": {"type": "object", "properties": {"z": {"$ref": "#/components/schemas/Z"}}},
                "M": {"type": "integer"}
            },
            "parameters": {"p": {"name": "p", "in": "query", "schema": {"type": "string"}}}
        }
    }"##;

    #[test]
    fn reading_in_parts_gives_what_reading_whole_gives() {
        let document: Value = serde_json::from_str(DOCUMENT).unwrap();
        let whole = OpenAPI::deserialize(&document).unwrap();
        assert_eq!(parse_in_parts(&document), Some(whole));
        let mut without_components = document.clone();
        without_components
            .as_object_mut()
            .unwrap()
            .remove("components");
        assert_eq!(
            parse_in_parts(&without_components),
            Some(OpenAPI::deserialize(&without_components).unwrap())
        );
    }

    #[test]
    fn a_spec_large_enough_for_two_threads_reads_as_a_whole() {
        let mut document: Value = serde_json::from_str(DOCUMENT).unwrap();
        let schemas = document
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
            .unwrap();
        for index in 0..READ_ALONE_BELOW {
            schemas.insert(
                format!("S{index}"),
                serde_json::json!({"type": "array", "items": {"$ref": "#/components/schemas/A"}}),
            );
        }
        let whole = OpenAPI::deserialize(&document).unwrap();
        assert_eq!(parse_in_parts(&document), Some(whole));
    }

    #[test]
    fn a_part_that_does_not_read_leaves_the_whole_to_the_serial_reading() {
        let document: Value =
            serde_json::from_str(&DOCUMENT.replace(r#""type": "integer""#, r#""type": 7"#))
                .unwrap();
        assert!(OpenAPI::deserialize(&document).is_err());
        assert_eq!(parse_in_parts(&document), None);
    }
}
