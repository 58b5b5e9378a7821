//! The pieces the generated models' `Serialize` and `Deserialize` impls
//! share. The models spell their impls out rather than derive them: serde's
//! derive macros need `syn` to build (a few seconds of every clean build)
//! and expand to several times this code (a quarter of the whole API's
//! `cargo check`).

use std::fmt;

use serde::de::{self, DeserializeSeed, Visitor};
use serde::ser::SerializeStruct;

/// Reads an object key as the index of the field it names in `0`, or
/// `usize::MAX` for a key the model does not know (the value is skipped,
/// as the server may add properties).
pub(crate) struct FieldIndex(pub(crate) &'static [&'static str]);

/// The index [`FieldIndex`] gives an unknown key.
pub(crate) const UNKNOWN_FIELD: usize = usize::MAX;

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        Ok(self
            .0
            .iter()
            .position(|field| *field == key)
            .unwrap_or(UNKNOWN_FIELD))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<usize, E> {
        // A key that is not UTF-8 names no field.
        std::str::from_utf8(key).map_or(Ok(UNKNOWN_FIELD), |key| self.visit_str(key))
    }
}

/// A required field's value, or serde's "missing field" error.
pub(crate) fn required<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

/// Writes an optional field when it is present (`Some`), and leaves the
/// key out when it is absent.
pub(crate) fn optional<S: SerializeStruct, T: serde::Serialize>(
    object: &mut S,
    field: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    match value {
        Some(value) => object.serialize_field(field, value),
        None => object.skip_field(field),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_field_indexes_and_unknown_keys_are_marked() {
        let fields = FieldIndex(&["id", "name"]);
        let index = |key: &str| {
            FieldIndex(fields.0)
                .deserialize(serde_json::Value::String(key.to_owned()))
                .unwrap()
        };
        assert_eq!(index("id"), 0);
        assert_eq!(index("name"), 1);
        assert_eq!(index("Name"), UNKNOWN_FIELD);
        let missing: Result<u8, serde_json::Error> = required(None, "id");
        assert_eq!(missing.unwrap_err().to_string(), "missing field `id`");
    }
}
