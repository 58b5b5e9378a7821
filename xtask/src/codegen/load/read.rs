//! Reading one spec file: its text, within limits, to a JSON value, with
//! errors located at a line and column or a pointer.

use std::path::Path;

use serde_json::{Map, Value};

use super::super::diag::{push_pointer, Diagnostic, Location};

/// Spec files larger than this are refused before parsing: the largest file
/// of SailPoint's whole API is a few hundred KiB.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Parses a YAML or JSON file into JSON values, with located errors.
pub fn parse_file(file: &Path) -> Result<Value, Diagnostic> {
    parse_spec_text(file, &read_spec_file(file)?)
}

/// A spec file's text: at most [`MAX_FILE_BYTES`], UTF-8, without NUL.
pub(super) fn read_spec_file(file: &Path) -> Result<String, Diagnostic> {
    let at_file = || Location::File(file.to_path_buf());
    let size = std::fs::metadata(file)
        .map_err(|error| Diagnostic::new(at_file(), format!("cannot read: {error}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            at_file(),
            format!("the file is {size} bytes; spec files over {MAX_FILE_BYTES} bytes are refused"),
        ));
    }
    let bytes = std::fs::read(file)
        .map_err(|error| Diagnostic::new(at_file(), format!("cannot read: {error}")))?;
    let text = String::from_utf8(bytes).map_err(|error| {
        Diagnostic::new(
            at_file(),
            format!(
                "not UTF-8 text (a binary file?): invalid byte at offset {}",
                error.utf8_error().valid_up_to()
            ),
        )
    })?;
    if text.contains('\0') {
        return Err(Diagnostic::new(
            at_file(),
            "not a text file: it contains NUL bytes",
        ));
    }
    Ok(text)
}

/// Parses a spec file's text; strings and keys may not hold NUL either.
pub(super) fn parse_spec_text(file: &Path, text: &str) -> Result<Value, Diagnostic> {
    let value = parse_text(file, text)?;
    if let Some(pointer) = find_nul(&value, String::new()) {
        return Err(Diagnostic::new(
            Location::pointer(file, pointer),
            "text with a NUL character is not allowed in a spec",
        ));
    }
    Ok(value)
}

/// Where a key or string holding NUL is, if any.
fn find_nul(value: &Value, at: String) -> Option<String> {
    match value {
        Value::String(text) if text.contains('\0') => Some(at),
        Value::Object(map) => map.iter().find_map(|(key, child)| {
            let here = push_pointer(&at, &key.replace('\0', "\\0"));
            if key.contains('\0') {
                Some(here)
            } else {
                find_nul(child, here)
            }
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, child)| find_nul(child, push_pointer(&at, &index.to_string()))),
        _ => None,
    }
}

fn parse_text(file: &Path, text: &str) -> Result<Value, Diagnostic> {
    let at_file = || Location::File(file.to_path_buf());
    let is_json = file.extension().is_some_and(|ext| ext == "json");
    if is_json {
        return serde_json::from_str(text).map_err(|error| {
            Diagnostic::new(
                Location::LineColumn {
                    file: file.to_path_buf(),
                    line: error.line(),
                    column: error.column(),
                },
                format!("invalid JSON: {error}"),
            )
        });
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| {
        let location = match error.location() {
            Some(place) => Location::LineColumn {
                file: file.to_path_buf(),
                line: place.line(),
                column: place.column(),
            },
            None => at_file(),
        };
        Diagnostic::new(location, format!("invalid YAML: {error}"))
    })?;
    yaml_to_json(yaml, file, "")
}

/// YAML values as JSON values; mapping keys that are numbers or booleans
/// (`200:` for a status) become their text.
fn yaml_to_json(value: serde_yaml::Value, file: &Path, pointer: &str) -> Result<Value, Diagnostic> {
    use serde_yaml::Value as Yaml;
    Ok(match value {
        Yaml::Null => Value::Null,
        Yaml::Bool(flag) => Value::Bool(flag),
        Yaml::Number(number) => {
            if let Some(integer) = number.as_i64() {
                Value::from(integer)
            } else if let Some(integer) = number.as_u64() {
                Value::from(integer)
            } else {
                let float = number.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(float)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        Diagnostic::new(
                            Location::pointer(file, pointer),
                            format!("the number {number} has no JSON form"),
                        )
                    })?
            }
        }
        Yaml::String(text) => Value::String(text),
        Yaml::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(index, item)| {
                    yaml_to_json(item, file, &push_pointer(pointer, &index.to_string()))
                })
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(mapping) => {
            let mut object = Map::new();
            for (key, item) in mapping {
                let key = match key {
                    Yaml::String(text) => text,
                    Yaml::Number(number) => number.to_string(),
                    Yaml::Bool(flag) => flag.to_string(),
                    Yaml::Null => "null".to_owned(),
                    other => {
                        return Err(Diagnostic::new(
                            Location::pointer(file, pointer),
                            format!("a mapping key must be text, found {other:?}"),
                        ))
                    }
                };
                let item = yaml_to_json(item, file, &push_pointer(pointer, &key))?;
                object.insert(key, item);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value, file, pointer)?,
    })
}
