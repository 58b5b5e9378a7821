//! Off-spec details that public documents publish, read as their authors
//! meant, each with a located warning (`--strict` refuses them): the
//! bundle is mended in place before it is read as OpenAPI, where one such
//! detail would refuse the whole document.
//!
//! A `$ref: null` is the bundle walk's to drop (it resolves `$ref`s), and
//! an integer past 64 bits the YAML reader's to read as a float.

use serde_json::{Map, Value};

use super::diag::{append_pointer_segment, push_pointer, Warning};
use super::load::Spec;
use super::shapes::Shape;
use super::warnings::WarningKind;

/// Mends the bundle of `spec`, adding a warning for each detail read.
pub fn read_as_meant(spec: &mut Spec) {
    let mut found = Vec::new();
    mend(
        &mut spec.document,
        Shape::Document,
        &mut String::new(),
        &mut found,
    );
    let warnings: Vec<Warning> = found
        .into_iter()
        .map(|(kind, pointer, message)| Warning {
            kind,
            location: spec.locate(&pointer),
            message,
        })
        .collect();
    spec.warnings.extend(warnings);
}

/// What was read, and where in the bundle.
type Found = Vec<(WarningKind, String, String)>;

/// Mends `node`, a `shape` at the bundle pointer `at`, and what is under
/// it. The pointer grows and shrinks back as the walk goes down and up,
/// rather than a new string per node: the walk visits every node of the
/// document, and mends few.
fn mend(node: &mut Value, shape: Shape, at: &mut String, found: &mut Found) {
    let Value::Object(object) = node else {
        if let Value::Array(items) = node {
            for (index, item) in items.iter_mut().enumerate() {
                let index = index.to_string();
                if let Some(shape) = shape.child(&index) {
                    mend_child(item, shape, &index, at, found);
                }
            }
        }
        return;
    };
    // A reference is mended where it leads; a property named `$ref` has a
    // schema, not text.
    if object.get("$ref").is_some_and(Value::is_string) {
        return;
    }
    match shape {
        Shape::Document => mend_document(object, found),
        Shape::Operation => mend_operation(object, at, found),
        Shape::Parameter => mend_parameter(object, at, found),
        Shape::Schema => mend_schema(object, at, found),
        Shape::ServerVariable => mend_server_variable(object, at, found),
        _ => {}
    }
    for (key, child) in object.iter_mut() {
        if let Some(shape) = shape.child(key) {
            mend_child(child, shape, key, at, found);
        }
    }
}

/// [`mend`] of the child `segment` of the node at `at`; `at` is back as
/// it was after.
fn mend_child(child: &mut Value, shape: Shape, segment: &str, at: &mut String, found: &mut Found) {
    let length = at.len();
    append_pointer_segment(at, segment);
    mend(child, shape, at, found);
    at.truncate(length);
}

fn mend_document(document: &mut Map<String, Value>, found: &mut Found) {
    if !document.contains_key("paths") {
        document.insert("paths".to_owned(), Value::Object(Map::new()));
        found.push((
            WarningKind::DocumentWithoutPaths,
            String::new(),
            "the document has no `paths`: read as one without operations".to_owned(),
        ));
    }
}

fn mend_operation(operation: &mut Map<String, Value>, at: &str, found: &mut Found) {
    if !operation.contains_key("responses") {
        operation.insert("responses".to_owned(), Value::Object(Map::new()));
        found.push((
            WarningKind::OperationWithoutResponses,
            at.to_owned(),
            "the operation has no `responses`: read as one that documents none".to_owned(),
        ));
    }
}

fn mend_parameter(parameter: &mut Map<String, Value>, at: &str, found: &mut Found) {
    if let Some(Value::String(text)) = parameter.get("required") {
        let required = text.trim().eq_ignore_ascii_case("true");
        found.push((
            WarningKind::ParameterRequiredNotBoolean,
            push_pointer(at, "required"),
            format!("`required: \"{text}\"` is text: read as {required}"),
        ));
        parameter.insert("required".to_owned(), Value::Bool(required));
    }
    let in_header = parameter.get("in").and_then(Value::as_str) == Some("header");
    match parameter.get("style") {
        Some(Value::String(style)) if in_header && style != "simple" => {
            found.push((
                WarningKind::HeaderStyleNotSimple,
                push_pointer(at, "style"),
                format!("a header parameter with `style: {style}`: sent as `simple`"),
            ));
            parameter.insert("style".to_owned(), Value::String("simple".to_owned()));
        }
        _ => {}
    }
}

fn mend_schema(schema: &mut Map<String, Value>, at: &str, found: &mut Found) {
    mend_integer_bounds(schema, at, found);
    mend_required_flags(schema, at, found);
}

/// An integer's bound that no 64-bit integer spells (past `i64`, read as
/// a float; or a fraction) is dropped, so that the schema stays an
/// integer rather than becoming any value.
fn mend_integer_bounds(schema: &mut Map<String, Value>, at: &str, found: &mut Found) {
    if schema.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for bound in ["minimum", "maximum"] {
        match schema.get(bound) {
            Some(Value::Number(number)) if number.as_i64().is_none() => {
                found.push((
                    WarningKind::IntegerBoundNotInteger,
                    push_pointer(at, bound),
                    format!("the integer's `{bound}: {number}` is not a 64-bit integer: dropped"),
                ));
                schema.remove(bound);
            }
            _ => {}
        }
    }
}

/// `required: true` on a property's schema makes it required in this
/// object; a flag on this schema itself (not a property's) is dropped.
fn mend_required_flags(schema: &mut Map<String, Value>, at: &str, found: &mut Found) {
    if let Some(Value::Bool(flag)) = schema.get("required") {
        found.push((
            WarningKind::SchemaRequiredFlag,
            push_pointer(at, "required"),
            format!("`required: {flag}` on a schema that is not a property: dropped"),
        ));
        schema.remove("required");
    }
    let Some(Value::Object(properties)) = schema.get_mut("properties") else {
        return;
    };
    let mut now_required = Vec::new();
    for (name, property) in properties.iter_mut() {
        let Some(Value::Bool(flag)) = property.get("required") else {
            continue;
        };
        let flag = *flag;
        let pointer = push_pointer(
            &push_pointer(&push_pointer(at, "properties"), name),
            "required",
        );
        let reading = if flag {
            now_required.push(name.clone());
            format!("`required: true` on property `{name}`: the property is required in its object")
        } else {
            format!("`required: false` on property `{name}`: dropped (it says nothing)")
        };
        found.push((WarningKind::SchemaRequiredFlag, pointer, reading));
        if let Value::Object(property) = property {
            property.remove("required");
        }
    }
    if now_required.is_empty() {
        return;
    }
    let required = schema
        .entry("required")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(names) = required {
        for name in now_required {
            if !names.iter().any(|listed| listed.as_str() == Some(&name)) {
                names.push(Value::String(name));
            }
        }
    }
}

fn mend_server_variable(variable: &mut Map<String, Value>, at: &str, found: &mut Found) {
    if let Some(default) = variable.get_mut("default") {
        if let Some(text) = scalar_text(default) {
            found.push((
                WarningKind::ServerVariableNotText,
                push_pointer(at, "default"),
                format!(
                    "the server variable's `default: {default}` is not text: read as \"{text}\""
                ),
            ));
            *default = Value::String(text);
        }
    }
    if let Some(Value::Array(values)) = variable.get_mut("enum") {
        let mut mended = Vec::new();
        for value in values.iter_mut() {
            if let Some(text) = scalar_text(value) {
                mended.push(text.clone());
                *value = Value::String(text);
            }
        }
        if !mended.is_empty() {
            found.push((
                WarningKind::ServerVariableNotText,
                push_pointer(at, "enum"),
                format!(
                    "the server variable's `enum` has values that are not text: read as {}",
                    mended
                        .iter()
                        .map(|text| format!("\"{text}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
}

/// The text a number or boolean spells; `None` for text and the rest.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}
