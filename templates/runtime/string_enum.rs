//! `impl_string_enum!`: what a string enum of the models can do, from a
//! table of its values.

/// Implements, for an enum of string values with a fallback variant that
/// keeps values this version does not know, from a table with a line per
/// variant (`Variant = "value",`) and `else Fallback`:
/// `as_str`, `From<&str>`, `FromStr`, `Display`, `Serialize` and
/// `Deserialize`. A value the server adds later is kept, not an error.
#[allow(unused_macros)] // Not every spec has string enums.
macro_rules! impl_string_enum {
    ($name:ident { $($variant:ident = $value:literal,)* } else $fallback:ident) => {
        impl $name {
            /// The value as on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$fallback(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::$fallback(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::string_enum::deserialize(deserializer)
            }
        }
    };
}

pub(crate) use impl_string_enum;

/// Reads a string enum from a string, borrowed where the format allows:
/// a known value is read without allocating, and only an unknown one is
/// copied (into the fallback variant).
#[allow(dead_code)] // Not every spec has string enums.
pub(crate) fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: for<'a> From<&'a str>,
    D: serde::Deserializer<'de>,
{
    deserializer.deserialize_str(StringEnumVisitor(std::marker::PhantomData))
}

struct StringEnumVisitor<T>(std::marker::PhantomData<fn() -> T>);

impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for StringEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }
}

#[cfg(test)]
mod tests {
    /// A status, with a fallback.
    #[derive(Debug, Clone, PartialEq)]
    enum Status {
        Started,
        Done,
        Unknown(String),
    }

    impl_string_enum! {
        Status {
            Started = "STARTED",
            Done = "DONE",
        } else Unknown
    }

    #[test]
    fn known_values_map_to_variants_and_others_are_kept() {
        assert_eq!("DONE".parse::<Status>(), Ok(Status::Done));
        assert_eq!(Status::from("PAUSED"), Status::Unknown("PAUSED".to_owned()));
        assert_eq!(Status::Started.to_string(), "STARTED");
        let read: Vec<Status> = serde_json::from_str(r#"["STARTED","NEW"]"#).unwrap();
        assert_eq!(read, [Status::Started, Status::Unknown("NEW".to_owned())]);
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"["STARTED","NEW"]"#
        );
        let error = serde_json::from_str::<Status>("1").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid type: integer `1`, expected a string at line 1 column 1"
        );
        // Escaped text is read too (serde_json unescapes into a buffer).
        assert_eq!(
            serde_json::from_str::<Status>(r#""D\u004fNE""#).unwrap(),
            Status::Done
        );
        let value = serde_json::json!("STARTED");
        assert_eq!(
            serde::Deserialize::deserialize(&value).ok(),
            Some(Status::Started)
        );
    }
}
