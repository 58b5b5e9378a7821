//! `impl_object!`: the `Serialize` and `Deserialize` impls of a model
//! struct, from a table of its fields, and the pieces they share.
//!
//! The models do not derive these impls: serde's derive macros need `syn`
//! to build (a few seconds of every clean build) and expand to several
//! times this code (a quarter of the whole API's `cargo check`). The table
//! expands to impls that spell out every type, so rustc checks them
//! without inferring them.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Visitor};
use serde::ser::SerializeStruct;

/// Implements `Serialize` and `Deserialize` for a model struct, from a
/// table with a line per field, in the order they are written, each
/// numbered by its position (from 0):
///
/// ```text
/// Model {
///     0 field: mode Type = "wireName",
/// }
/// ```
///
/// A key read is looked up once among the wire names, and its position
/// picks the field's code: a jump, where matching the names again would
/// compare the key with each in turn (and cost rustc more to check).
///
/// `Type` is the value's type, inside the `Option`s that `mode` adds:
///
/// | mode | field | absent | `null` | written |
/// | --- | --- | --- | --- | --- |
/// | `required` | `T` | error | error | always |
/// | `nullable` | `Option<T>` | `None` | `None` | always (`null` for `None`) |
/// | `optional` | `Option<T>` | `None` | `None` | when `Some` |
/// | `optional_nullable` | `Option<Option<T>>` | `None` | `Some(None)` | when `Some` |
///
/// A struct with no `required` field is `Default`, and its table says so
/// (`Model: Default { … }`): it is read into its default value a field at
/// a time ([`ReadField`]), by the one loop that every such model shares.
/// A struct with a required field has a loop of its own (its [`FromMap`]
/// impl), with a local per field until all are read. Such a loop with its
/// locals was most of what rustc spent on a model's serde code, hence
/// the shared one wherever a model can start from its default.
///
/// Unknown properties are skipped (the server may add some); a repeated
/// one keeps its last value, as `serde_json::Value` does.
#[allow(unused_macros)] // Not every spec has objects.
macro_rules! impl_object {
    // Each row matches exactly one of the mode groups, whose type then
    // selects that mode's code in every `$(...)?` below: no per-field
    // macro calls, and nothing called where there is nothing to do.
    ($model:ident: Default {
        $($index:literal $field:ident:
            $(nullable $nullable:ty =)?
            $(optional $optional:ty =)?
            $(optional_nullable $optional_nullable:ty =)?
            $wire:literal,)+
    }) => {
        impl crate::runtime::object::ReadField for $model {
            fn read_field<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                index: usize,
                map: &mut A,
            ) -> ::std::result::Result<(), A::Error> {
                match index {
                    $(
                        $index => {
                            $(crate::runtime::object::read_into::<
                                A,
                                ::std::option::Option<$nullable>,
                            >(map, &mut self.$field))?
                            $(crate::runtime::object::read_into::<
                                A,
                                ::std::option::Option<$optional>,
                            >(map, &mut self.$field))?
                            $(crate::runtime::object::read_some::<
                                A,
                                ::std::option::Option<$optional_nullable>,
                            >(map, &mut self.$field))?
                        }
                    )+
                    _ => crate::runtime::object::skip_value(map),
                }
            }
        }

        crate::runtime::impl_object! {
            @serde $model {
                $($index $field:
                    $(nullable $nullable =)?
                    $(optional $optional =)?
                    $(optional_nullable $optional_nullable =)?
                    $wire,)+
            }
        }
    };

    ($model:ident {
        $($index:literal $field:ident:
            $(required $required:ty =)?
            $(nullable $nullable:ty =)?
            $(optional $optional:ty =)?
            $(optional_nullable $optional_nullable:ty =)?
            $wire:literal,)+
    }) => {
        impl crate::runtime::object::FromMap for $model {
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::std::result::Result<$model, A::Error> {
                // What is read so far: the field's value, or `None`
                // while absent (`Some(None)` is a `null` read for
                // an optional nullable field).
                $(
                    let mut $field: ::std::option::Option<
                        $($required)?
                        $($nullable)?
                        $($optional)?
                        $(::std::option::Option<$optional_nullable>)?
                    > = ::std::option::Option::None;
                )+
                while let ::std::option::Option::Some(key) =
                    ::serde::de::MapAccess::next_key_seed(
                        &mut map,
                        crate::runtime::object::FieldIndex(
                            <$model as crate::runtime::object::Object>::FIELDS,
                        ),
                    )?
                {
                    // One `?` for every key, not one per field (see `write`).
                    match key {
                        $(
                            ::std::option::Option::Some($index) => {
                                $(crate::runtime::object::read_some::<A, $required>(
                                    &mut map,
                                    &mut $field,
                                ))?
                                $(crate::runtime::object::read_into::<
                                    A,
                                    ::std::option::Option<$nullable>,
                                >(&mut map, &mut $field))?
                                $(crate::runtime::object::read_into::<
                                    A,
                                    ::std::option::Option<$optional>,
                                >(&mut map, &mut $field))?
                                $(crate::runtime::object::read_some::<
                                    A,
                                    ::std::option::Option<$optional_nullable>,
                                >(&mut map, &mut $field))?
                            }
                        )+
                        _ => crate::runtime::object::skip_value(&mut map),
                    }?;
                }
                // Required fields present (or serde's "missing field" error),
                // every local now has its field's type.
                $($(
                    let $field = crate::runtime::object::required::<$required, A::Error>(
                        $field,
                        $wire,
                    )?;
                )?)+
                ::std::result::Result::Ok($model { $($field),+ })
            }
        }

        crate::runtime::impl_object! {
            @serde $model {
                $($index $field:
                    $(required $required =)?
                    $(nullable $nullable =)?
                    $(optional $optional =)?
                    $(optional_nullable $optional_nullable =)?
                    $wire,)+
            }
        }
    };

    // What both kinds of table share: the serde impls, and how the model
    // is written.
    (@serde $model:ident {
        $($index:literal $field:ident:
            $(required $required:ty =)?
            $(nullable $nullable:ty =)?
            $(optional $optional:ty =)?
            $(optional_nullable $optional_nullable:ty =)?
            $wire:literal,)+
    }) => {
        impl ::serde::Serialize for $model {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                crate::runtime::object::serialize(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $model {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::object::deserialize(deserializer)
            }
        }

        impl crate::runtime::object::Object for $model {
            const NAME: &'static str = ::std::stringify!($model);
            const FIELDS: &'static [&'static str] = &[$($wire),+];

            fn write<O: ::serde::ser::SerializeStruct>(
                &self,
                object: &mut O,
            ) -> ::std::result::Result<(), O::Error> {
                // The first error is kept and the rest skipped, without a
                // `?` per field: each is an early return for rustc to
                // check, and they were half of what this function cost.
                let mut written = ::std::result::Result::Ok(());
                $(
                    $(crate::runtime::object::write_field::<O, $required>(
                        &mut written,
                        object,
                        $wire,
                        &self.$field,
                    );)?
                    $(crate::runtime::object::write_field::<O, ::std::option::Option<$nullable>>(
                        &mut written,
                        object,
                        $wire,
                        &self.$field,
                    );)?
                    $(crate::runtime::object::write_if_some::<O, $optional>(
                        &mut written,
                        object,
                        $wire,
                        &self.$field,
                    );)?
                    $(crate::runtime::object::write_if_some::<
                        O,
                        ::std::option::Option<$optional_nullable>,
                    >(&mut written, object, $wire, &self.$field);)?
                )+
                written
            }
        }
    };
}

pub(crate) use impl_object;

/// What `impl_object!` writes for a model besides its serde impls: its
/// name, its properties, and how to write them. Every model's serde impls
/// go through the functions below and their one visitor: a visitor type
/// and impl per model cost the whole API's `cargo check` more than reading
/// all their fields did.
pub(crate) trait Object: Sized {
    /// The model's name, for serde's messages.
    const NAME: &'static str;
    /// The wire names of its properties.
    const FIELDS: &'static [&'static str];

    /// Writes the model's properties (`None`s of optional ones left out).
    fn write<O: SerializeStruct>(&self, object: &mut O) -> Result<(), O::Error>;
}

/// How a model is read from an object's keys and values.
pub(crate) trait FromMap: Object {
    /// Reads the model from an object's keys and values.
    fn from_map<'de, A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// A model whose fields may all be left out: read into its default value,
/// a field at a time.
pub(crate) trait ReadField: Object + Default {
    /// Reads the value of the field at `index` (its position among
    /// [`Object::FIELDS`]) into `self`, and skips a value of any other.
    fn read_field<'de, A: de::MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

impl<T: ReadField> FromMap for T {
    fn from_map<'de, A: de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut model = T::default();
        while let Some(key) = map.next_key_seed(FieldIndex(T::FIELDS))? {
            // A key no field has reaches `read_field` as an index past them.
            model.read_field(key.unwrap_or(usize::MAX), &mut map)?;
        }
        Ok(model)
    }
}

/// Serializes any model, through its [`Object`] impl.
pub(crate) fn serialize<T: Object, S: serde::Serializer>(
    model: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut object = serializer.serialize_struct(T::NAME, T::FIELDS.len())?;
    model.write(&mut object)?;
    object.end()
}

/// Deserializes any model, through its [`FromMap`] impl.
pub(crate) fn deserialize<'de, T: FromMap, D: de::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: FromMap> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object of type {}", T::NAME)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// Reads an object key as the position of its field among the wire names
/// in `0` (so that the key itself need not be kept, nor dropped), or
/// `None` for a key the model does not know (the server may add some).
pub(crate) struct FieldIndex(pub(crate) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|field| *field == key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        // A key that is not UTF-8 names no field.
        std::str::from_utf8(key).map_or(Ok(None), |key| self.visit_str(key))
    }
}

/// A required field's value, or serde's "missing field" error.
pub(crate) fn required<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

/// Reads a key's value into a field's slot as present (`Some`): a
/// required field, or an optional nullable one (where `null` is a value).
pub(crate) fn read_some<'de, A: de::MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads a key's value into a field's slot as it is (`null` is `None`).
pub(crate) fn read_into<'de, A: de::MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut T,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// Reads and drops the value of a key the model does not know.
pub(crate) fn skip_value<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>()?;
    Ok(())
}

/// Writes a field, unless an earlier one failed (whose error is kept).
pub(crate) fn write_field<S: SerializeStruct, T: serde::Serialize>(
    written: &mut Result<(), S::Error>,
    object: &mut S,
    field: &'static str,
    value: &T,
) {
    if written.is_ok() {
        *written = object.serialize_field(field, value);
    }
}

/// Writes an optional field when it is present (`Some`), and leaves the
/// key out when it is absent; nothing after an earlier failure.
pub(crate) fn write_if_some<S: SerializeStruct, T: serde::Serialize>(
    written: &mut Result<(), S::Error>,
    object: &mut S,
    field: &'static str,
    value: &Option<T>,
) {
    if written.is_ok() {
        *written = match value {
            Some(value) => object.serialize_field(field, value),
            None => object.skip_field(field),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_the_positions_of_fields_and_unknown_keys_none() {
        let index = |key: &str| {
            FieldIndex(&["id", "name"])
                .deserialize(serde_json::Value::String(key.to_owned()))
                .unwrap()
        };
        assert_eq!(index("id"), Some(0));
        assert_eq!(index("name"), Some(1));
        assert_eq!(index("Name"), None);
        let missing: Result<u8, serde_json::Error> = required(None, "id");
        assert_eq!(missing.unwrap_err().to_string(), "missing field `id`");
    }

    /// Every mode of the table, on a model defined here.
    #[derive(Debug, Clone, PartialEq)]
    struct Sample {
        id: String,
        parent: Option<Box<Sample>>,
        note: Option<String>,
        r#type: Option<Option<i64>>,
    }

    impl_object! {
        Sample {
            0 id: required String = "id",
            1 parent: nullable Box<Sample> = "parent",
            2 note: optional String = "note",
            3 r#type: optional_nullable i64 = "type",
        }
    }

    /// The modes of a `Default` table, on a model defined here.
    #[derive(Debug, Clone, PartialEq, Default)]
    struct Settings {
        parent: Option<Box<Sample>>,
        note: Option<String>,
        r#type: Option<Option<i64>>,
    }

    impl_object! {
        Settings: Default {
            0 parent: nullable Box<Sample> = "parent",
            1 note: optional String = "note",
            2 r#type: optional_nullable i64 = "type",
        }
    }

    /// A value that cannot be written.
    struct Unwritable;

    impl serde::Serialize for Unwritable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("unwritable"))
        }
    }

    #[test]
    fn writing_stops_at_the_first_field_that_fails_and_keeps_its_error() {
        use serde::Serializer;
        let mut object = serde_json::value::Serializer
            .serialize_struct("Sample", 3)
            .unwrap();
        let mut written = Ok(());
        write_field(&mut written, &mut object, "a", &1);
        write_if_some(&mut written, &mut object, "b", &Some(Unwritable));
        write_field(&mut written, &mut object, "c", &2);
        assert_eq!(written.unwrap_err().to_string(), "unwritable");
        assert_eq!(object.end().unwrap(), serde_json::json!({ "a": 1 }));
    }

    fn read(json: &str) -> Result<Sample, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    #[test]
    fn the_table_reads_each_mode_as_its_row_says() {
        let sample = read(r#"{"id":"a","parent":null,"type":null,"extra":[1]}"#).unwrap();
        assert_eq!(
            sample,
            Sample {
                id: "a".to_owned(),
                parent: None,
                note: None,
                r#type: Some(None),
            }
        );
        let nested = read(r#"{"type":7,"id":"b","parent":{"id":"a"},"note":"n"}"#).unwrap();
        assert_eq!(nested.parent.unwrap().id, "a");
        assert_eq!(nested.r#type, Some(Some(7)));
        assert_eq!(nested.note.as_deref(), Some("n"));
        assert_eq!(read(r#"{"id":"a","id":"b"}"#).unwrap().id, "b");
        assert!(read(r#"{"note":"n"}"#)
            .unwrap_err()
            .contains("missing field `id`"));
        assert!(read(r#"{"id":null}"#).is_err());
        assert!(read("[]").unwrap_err().contains("an object of type Sample"));
    }

    #[test]
    fn the_table_writes_each_mode_as_its_row_says() {
        let sample = Sample {
            id: "a".to_owned(),
            parent: None,
            note: None,
            r#type: Some(None),
        };
        assert_eq!(
            serde_json::to_string(&sample).unwrap(),
            r#"{"id":"a","parent":null,"type":null}"#
        );
        let full = Sample {
            note: Some("n".to_owned()),
            r#type: Some(Some(1)),
            parent: Some(Box::new(sample.clone())),
            ..sample
        };
        let text = serde_json::to_string(&full).unwrap();
        assert_eq!(read(&text).unwrap(), full);
    }

    #[test]
    fn a_default_table_reads_field_by_field_into_the_default_value() {
        let read = |json: &str| serde_json::from_str::<Settings>(json);
        assert_eq!(read("{}").unwrap(), Settings::default());
        let settings = read(r#"{"extra":{"a":[1]},"type":null,"note":"n","parent":null}"#).unwrap();
        assert_eq!(
            settings,
            Settings {
                parent: None,
                note: Some("n".to_owned()),
                r#type: Some(None),
            }
        );
        let nested = read(r#"{"parent":{"id":"a"},"type":3,"note":"x","note":"y"}"#).unwrap();
        assert_eq!(nested.parent.unwrap().id, "a");
        assert_eq!(nested.r#type, Some(Some(3)));
        assert_eq!(nested.note.as_deref(), Some("y"));
        let error = read(r#"{"note":1}"#).unwrap_err().to_string();
        assert!(error.contains("invalid type: integer `1`"), "{error}");
        let error = read(r#"{"parent":{"note":"n"}}"#).unwrap_err().to_string();
        assert!(error.contains("missing field `id`"), "{error}");
        let error = read("[]").unwrap_err().to_string();
        assert!(error.contains("an object of type Settings"), "{error}");
    }

    #[test]
    fn a_default_table_writes_as_its_rows_say_and_reads_back() {
        let settings = Settings {
            parent: None,
            note: None,
            r#type: Some(None),
        };
        assert_eq!(
            serde_json::to_string(&settings).unwrap(),
            r#"{"parent":null,"type":null}"#
        );
        assert_eq!(
            serde_json::to_string(&Settings::default()).unwrap(),
            r#"{"parent":null}"#
        );
        let text = serde_json::to_string(&settings).unwrap();
        assert_eq!(serde_json::from_str::<Settings>(&text).unwrap(), settings);
    }
}
