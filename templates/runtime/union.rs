//! `impl_union!`: `Serialize` and `Deserialize` of a `oneOf`/`anyOf` enum,
//! from a table of its variants.

/// Implements `Serialize` (the variant's value as it is) and `Deserialize`
/// for an enum with a variant per member and a fallback that keeps any
/// other value as JSON. Two forms:
///
/// - `Name by "property" { Variant = "tag" | "other tag", Inline, } else Fallback`:
///   decoded by the discriminator property; a variant without tags is only
///   written, never read (its values land in the fallback).
/// - `Name { Variant(Type), } else Fallback`: decoded as the first variant,
///   in the table's order, whose type accepts the value.
#[allow(unused_macros)] // Not every spec has unions.
macro_rules! impl_union {
    (@serialize $name:ident { $($variant:ident)* } else $fallback:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => ::serde::Serialize::serialize(value, serializer),)*
                    Self::$fallback(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }
    };

    ($name:ident by $property:literal {
        $($variant:ident $(= $($tag:literal)|+)?,)*
    } else $fallback:ident) => {
        crate::runtime::impl_union!(@serialize $name { $($variant)* } else $fallback);

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::serde_json::Value as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                let tag = value
                    .get($property)
                    .and_then(::serde_json::Value::as_str)
                    .map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    $($(
                        ::std::option::Option::Some($($tag)|+) => ::serde_json::from_value(value)
                            .map(Self::$variant)
                            .map_err(::serde::de::Error::custom),
                    )?)*
                    _ => ::std::result::Result::Ok(Self::$fallback(value)),
                }
            }
        }
    };

    ($name:ident { $($variant:ident($ty:ty),)* } else $fallback:ident) => {
        crate::runtime::impl_union!(@serialize $name { $($variant)* } else $fallback);

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::serde_json::Value as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                $(
                    if let ::std::result::Result::Ok(variant) =
                        <$ty as ::serde::Deserialize>::deserialize(&value)
                    {
                        return ::std::result::Result::Ok(Self::$variant(variant));
                    }
                )*
                ::std::result::Result::Ok(Self::$fallback(value))
            }
        }
    };
}

pub(crate) use impl_union;

#[cfg(test)]
mod tests {
    #[derive(Debug, Clone, PartialEq)]
    enum Shape {
        Circle(f64),
        Label(String),
        Unknown(serde_json::Value),
    }

    impl_union! {
        Shape {
            Circle(f64),
            Label(String),
        } else Unknown
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Event {
        Created(serde_json::Map<String, serde_json::Value>),
        Written(serde_json::Map<String, serde_json::Value>),
        Unknown(serde_json::Value),
    }

    impl_union! {
        Event by "kind" {
            Created = "created" | "new",
            Written,
        } else Unknown
    }

    #[test]
    fn the_first_variant_that_fits_wins_and_the_rest_is_kept() {
        let read: Vec<Shape> = serde_json::from_str(r#"[1.5, "x", {"a": 1}]"#).unwrap();
        assert_eq!(read[0], Shape::Circle(1.5));
        assert_eq!(read[1], Shape::Label("x".to_owned()));
        assert_eq!(read[2], Shape::Unknown(serde_json::json!({"a": 1})));
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"[1.5,"x",{"a":1}]"#
        );
    }

    #[test]
    fn the_discriminator_chooses_and_untagged_variants_are_only_written() {
        let new: Event = serde_json::from_str(r#"{"kind": "new", "id": 1}"#).unwrap();
        assert!(matches!(new, Event::Created(_)));
        let written: Event = serde_json::from_str(r#"{"kind": "Written"}"#).unwrap();
        assert!(matches!(written, Event::Unknown(_)));
        let unknown: Event = serde_json::from_str(r#"{"id": 1}"#).unwrap();
        assert!(matches!(unknown, Event::Unknown(_)));
        assert!(serde_json::from_str::<Event>("1").is_ok());
        let sent = Event::Written(serde_json::Map::from_iter([("id".to_owned(), 2.into())]));
        assert_eq!(serde_json::to_string(&sent).unwrap(), r#"{"id":2}"#);
    }
}
