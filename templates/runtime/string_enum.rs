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
                let value =
                    <::std::string::String as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    };
}

pub(crate) use impl_string_enum;

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
        assert!(serde_json::from_str::<Status>("1").is_err());
    }
}
