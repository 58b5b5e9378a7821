//! Reading one spec file: its text, within limits, to a JSON value, with
//! errors located at a line and column or a pointer.

use std::path::Path;

use std::fmt;

use serde::de::{
    self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess as _, Visitor,
};
use serde_json::{Map, Value};

use super::super::diag::{push_pointer, Diagnostic, Location};
use super::super::fs::read_at_most;

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
    let bytes = match read_at_most(file, MAX_FILE_BYTES) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(size)) => {
            return Err(Diagnostic::new(
                at_file(),
                format!(
                    "the file is {size} bytes; spec files over {MAX_FILE_BYTES} bytes are refused"
                ),
            ))
        }
        Err(error) => return Err(Diagnostic::new(at_file(), format!("cannot read: {error}"))),
    };
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

/// Where a key or string holding NUL is, if any. The pointer is built on
/// the way out of a hit only: most files have none.
fn find_nul(value: &Value, at: String) -> Option<String> {
    let mut path = Vec::new();
    if !nul_path(value, &mut path) {
        return None;
    }
    Some(path.iter().rev().fold(at, |pointer, segment| {
        push_pointer(&pointer, &segment.replace('\0', "\\0"))
    }))
}

/// Whether `value` holds NUL; `path` gets the segments to it, innermost
/// first.
fn nul_path(value: &Value, path: &mut Vec<String>) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Object(map) => map.iter().any(|(key, child)| {
            let hit = key.contains('\0') || nul_path(child, path);
            if hit {
                path.push(key.clone());
            }
            hit
        }),
        Value::Array(items) => items.iter().enumerate().any(|(index, child)| {
            let hit = nul_path(child, path);
            if hit {
                path.push(index.to_string());
            }
            hit
        }),
        _ => false,
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
    let JsonFromYaml(value) = serde_yaml::from_str(text).map_err(|error| {
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
    Ok(value)
}

/// A YAML document read straight into JSON values, with no YAML value in
/// between (half of reading a large spec's time went to building and
/// dropping one). Mapping keys that are numbers or booleans (`200:` for a
/// status) become their text; a tag (`!name value`) is dropped, its value
/// kept.
struct JsonFromYaml(Value);

impl<'de> Deserialize<'de> for JsonFromYaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(JsonFromYaml)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Value, E> {
        Ok(Value::Bool(flag))
    }

    fn visit_i64<E: de::Error>(self, integer: i64) -> Result<Value, E> {
        Ok(Value::from(integer))
    }

    fn visit_u64<E: de::Error>(self, integer: u64) -> Result<Value, E> {
        Ok(Value::from(integer))
    }

    /// An integer beyond 64 bits (`maximum: 18446744073709552000`) is the
    /// nearest float, as a JSON reader takes it.
    fn visit_i128<E: de::Error>(self, integer: i128) -> Result<Value, E> {
        self.visit_f64(integer as f64)
    }

    fn visit_u128<E: de::Error>(self, integer: u128) -> Result<Value, E> {
        self.visit_f64(integer as f64)
    }

    fn visit_f64<E: de::Error>(self, float: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(float)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("the number {float} has no JSON form")))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Value, E> {
        Ok(Value::String(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Value, E> {
        Ok(Value::String(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(JsonFromYaml(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(KeyText(key)) = map.next_key()? {
            let JsonFromYaml(item) = map.next_value()?;
            object.insert(key, item);
        }
        Ok(Value::Object(object))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, tagged: A) -> Result<Value, A::Error> {
        let (_tag, value): (de::IgnoredAny, _) = tagged.variant()?;
        let JsonFromYaml(value) = value.newtype_variant()?;
        Ok(value)
    }
}

/// A mapping key as text: `200`, `true` and `null` are keys too.
pub(super) struct KeyText(pub(super) String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor).map(KeyText)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key that is text, a number or a boolean")
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<String, E> {
        Ok(flag.to_string())
    }

    fn visit_i64<E: de::Error>(self, integer: i64) -> Result<String, E> {
        Ok(integer.to_string())
    }

    fn visit_u64<E: de::Error>(self, integer: u64) -> Result<String, E> {
        Ok(integer.to_string())
    }

    fn visit_i128<E: de::Error>(self, integer: i128) -> Result<String, E> {
        Ok(integer.to_string())
    }

    fn visit_u128<E: de::Error>(self, integer: u128) -> Result<String, E> {
        Ok(integer.to_string())
    }

    fn visit_f64<E: de::Error>(self, float: f64) -> Result<String, E> {
        Ok(float.to_string())
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<String, E> {
        Ok(text.to_owned())
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<String, E> {
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(text: &str) -> Result<Value, Diagnostic> {
        parse_spec_text(Path::new("spec.yaml"), text)
    }

    #[test]
    fn yaml_reads_as_json_with_scalar_keys_as_text_and_tags_dropped() {
        let value = parse(
            "responses:\n  200: {description: ok}\n  true: 1\n  ~: 2.5\n  1.5: x\n\
             tagged: !custom {a: [1, -2, null]}\nbig: 18446744073709551615\n",
        )
        .unwrap();
        assert_eq!(
            value,
            json!({
                "responses": {"200": {"description": "ok"}, "true": 1, "null": 2.5, "1.5": "x"},
                "tagged": {"a": [1, -2, null]},
                "big": 18_446_744_073_709_551_615_u64
            })
        );
    }

    #[test]
    fn a_number_json_cannot_hold_is_refused_where_it_is() {
        let error = parse("a: 1\nb: .inf\n").unwrap_err();
        assert!(
            matches!(error.location, Location::LineColumn { line: 2, .. }),
            "{error:?}"
        );
        assert!(error.message.contains("no JSON form"), "{}", error.message);
    }

    #[test]
    fn a_mapping_key_that_is_not_a_scalar_is_refused() {
        let error = parse("? [a, b]\n: 1\n").unwrap_err();
        assert!(error.message.contains("mapping key"), "{}", error.message);
    }

    #[test]
    fn text_with_nul_is_refused_at_its_pointer() {
        let error = parse("paths:\n  /a~b:\n    - fine\n    - \"bad\\0text\"\n").unwrap_err();
        assert_eq!(
            error.location,
            Location::pointer(Path::new("spec.yaml"), "/paths/~1a~0b/1")
        );
        assert!(parse("ok: \"text\"\n").is_ok());
    }

    #[test]
    fn integers_beyond_64_bits_read_as_the_nearest_float_as_in_json() {
        let text = "maximum: 18446744073709552000\nminimum: -9223372036854775809\n\
                    huge: 1000000000000000000000000000000000000000000000000000\n\
                    18446744073709551616: key\n";
        let value = parse(text).unwrap();
        let json = r#"{"maximum": 18446744073709552000, "minimum": -9223372036854775809,
            "huge": 1000000000000000000000000000000000000000000000000000}"#;
        let mut expected: Value = serde_json::from_str(json).unwrap();
        expected["18446744073709551616"] = json!("key");
        assert_eq!(value, expected);
        assert_eq!(
            value["maximum"].as_f64(),
            Some(18_446_744_073_709_552_000.0)
        );
    }
}
