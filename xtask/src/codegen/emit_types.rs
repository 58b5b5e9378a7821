//! Emits the models: one file per type under `src/models/`.

use proc_macro2::TokenStream;
use quote::quote;

use super::emit_common::{doc_attrs, feature_gate, name, type_tokens};
use super::ir::{Api, Field, TypeDef, TypeKind, UnionVariant, Variant};

/// The path of a type's file in the crate.
pub fn type_path(def: &TypeDef) -> String {
    format!("src/models/{}.rs", def.module)
}

/// `src/models/mod.rs`: a module per type, its type re-exported.
pub fn emit_mod(api: &Api) -> TokenStream {
    let declarations = api.types.values().map(|def| {
        let module = name(&def.module);
        let type_name = name(&def.name);
        let gate = feature_gate(api, &def.features);
        quote! {
            #gate
            mod #module;
            #gate
            pub use self::#module::#type_name;
        }
    });
    quote! {
        //! The types of request and response bodies, from the spec's schemas.
        #(#declarations)*
    }
}

/// The file of one type.
pub fn emit_type(def: &TypeDef) -> TokenStream {
    let fallback_doc = format!("The `{}` schema.", def.name);
    let docs = doc_attrs(def.description.as_deref().unwrap_or(&fallback_doc));
    let type_name = name(&def.name);
    match &def.kind {
        TypeKind::Struct { fields } => {
            let declarations = fields.iter().map(emit_field);
            let serialize = emit_object_serialize(&def.name, fields);
            let deserialize = emit_object_deserialize(&def.name, fields);
            quote! {
                #docs
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
                pub struct #type_name {
                    #(#declarations)*
                }

                #serialize

                #deserialize
            }
        }
        TypeKind::Enum { variants, fallback } => emit_enum(&docs, &type_name, variants, fallback),
        TypeKind::Union {
            variants,
            discriminator,
            fallback,
        } => emit_union(
            &docs,
            &type_name,
            variants,
            discriminator.as_deref(),
            fallback,
        ),
        TypeKind::Alias(target) => {
            let target = type_tokens(target);
            quote! {
                #docs
                pub type #type_name = #target;
            }
        }
    }
}

/// A field; optional and nullable decide between `T`, `Option<T>` and
/// `Option<Option<T>>` (absent, `null`, value).
fn emit_field(field: &Field) -> TokenStream {
    let mut doc = field
        .description
        .clone()
        .unwrap_or_else(|| format!("The `{}` property.", field.wire_name));
    if field.deprecated {
        doc.push_str("\n\nDeprecated by the API.");
    }
    let docs = doc_attrs(&doc);
    let ident = name(&field.ident);
    let ty = field_type(field);
    quote! {
        #docs
        pub #ident: #ty,
    }
}

/// The value's type, boxed where it contains itself.
fn inner_type(field: &Field) -> TokenStream {
    let inner = type_tokens(&field.ty);
    if field.boxed {
        quote!(::std::boxed::Box<#inner>)
    } else {
        inner
    }
}

/// The field's type in the struct.
fn field_type(field: &Field) -> TokenStream {
    let inner = inner_type(field);
    match (field.required, field.nullable) {
        (true, false) => inner,
        (true, true) | (false, false) => quote!(::std::option::Option<#inner>),
        (false, true) => quote!(::std::option::Option<::std::option::Option<#inner>>),
    }
}

/// Writes the fields in the spec's order; absent optional fields are left
/// out, a required nullable one is written as `null`.
fn emit_object_serialize(type_name: &str, fields: &[Field]) -> TokenStream {
    let ident = name(type_name);
    let count = proc_macro2::Literal::usize_unsuffixed(fields.len());
    let writes = fields.iter().map(|field| {
        let ident = name(&field.ident);
        let wire = &field.wire_name;
        if field.required {
            quote!(::serde::ser::SerializeStruct::serialize_field(&mut object, #wire, &self.#ident)?;)
        } else {
            quote!(crate::runtime::object::optional(&mut object, #wire, &self.#ident)?;)
        }
    });
    let binding = if fields.is_empty() {
        quote!(object)
    } else {
        quote!(mut object)
    };
    quote! {
        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let #binding = ::serde::Serializer::serialize_struct(serializer, #type_name, #count)?;
                #(#writes)*
                ::serde::ser::SerializeStruct::end(object)
            }
        }
    }
}

/// Reads an object: unknown properties are skipped, a missing required
/// property is serde's "missing field" error (but a required nullable one
/// is `None`), `null` in an optional nullable field is `Some(None)`. A
/// repeated property keeps its last value, as `serde_json::Value` does.
fn emit_object_deserialize(type_name: &str, fields: &[Field]) -> TokenStream {
    let ident = name(type_name);
    let expecting = format!("a {type_name} object");
    let local =
        |field: &Field| quote::format_ident!("value_{}", field.ident.trim_start_matches("r#"));
    let wire_names = fields.iter().map(|field| &field.wire_name);
    // Every type is spelled out: rustc then checks these bodies without
    // inferring them, which is much of the crate's compile time.
    let locals = fields.iter().map(|field| {
        let local = local(field);
        let ty = field_type(field);
        let ty = if field.required && !field.nullable {
            quote!(::std::option::Option<#ty>)
        } else {
            ty
        };
        quote!(let mut #local: #ty = ::std::option::Option::None;)
    });
    let arms = fields.iter().enumerate().map(|(index, field)| {
        let local = local(field);
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let inner = inner_type(field);
        // `Option<T>` fields read `null` as `None` themselves; the others
        // wrap what they read so that absent stays `None`.
        match (field.required, field.nullable) {
            (true, false) => quote!(#index => #local = ::std::option::Option::Some(::serde::de::MapAccess::next_value::<#inner>(&mut map)?),),
            (false, true) => quote!(#index => #local = ::std::option::Option::Some(::serde::de::MapAccess::next_value::<::std::option::Option<#inner>>(&mut map)?),),
            _ => quote!(#index => #local = ::serde::de::MapAccess::next_value::<::std::option::Option<#inner>>(&mut map)?,),
        }
    });
    let values = fields.iter().map(|field| {
        let ident = name(&field.ident);
        let local = local(field);
        let wire = &field.wire_name;
        if field.required && !field.nullable {
            quote!(#ident: crate::runtime::object::required(#local, #wire)?,)
        } else {
            quote!(#ident: #local,)
        }
    });
    let read_properties = if fields.is_empty() {
        quote! {
            while ::serde::de::MapAccess::next_key::<::serde::de::IgnoredAny>(&mut map)?.is_some() {
                ::serde::de::MapAccess::next_value::<::serde::de::IgnoredAny>(&mut map)?;
            }
        }
    } else {
        quote! {
            #(#locals)*
            while let ::std::option::Option::Some(field) = ::serde::de::MapAccess::next_key_seed(
                &mut map,
                crate::runtime::object::FieldIndex(FIELDS),
            )? {
                match field {
                    #(#arms)*
                    _ => {
                        ::serde::de::MapAccess::next_value::<::serde::de::IgnoredAny>(&mut map)?;
                    }
                }
            }
        }
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                const FIELDS: &[&str] = &[#(#wire_names),*];

                struct ObjectVisitor;

                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = #ident;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#ident, A::Error> {
                        #read_properties
                        ::std::result::Result::Ok(#ident {
                            #(#values)*
                        })
                    }
                }

                ::serde::Deserializer::deserialize_struct(deserializer, #type_name, FIELDS, ObjectVisitor)
            }
        }
    }
}

/// `oneOf` / `anyOf`: serialized as the variant's value; decoded by the
/// discriminator when there is one, else as the first variant that fits.
fn emit_union(
    docs: &TokenStream,
    type_name: &proc_macro2::Ident,
    variants: &[UnionVariant],
    discriminator: Option<&str>,
    fallback: &str,
) -> TokenStream {
    let fallback = name(fallback);
    let variant_type = |variant: &UnionVariant| {
        let ty = type_tokens(&variant.ty);
        if variant.boxed {
            quote!(::std::boxed::Box<#ty>)
        } else {
            ty
        }
    };
    let declarations = variants.iter().map(|variant| {
        let ident = name(&variant.ident);
        let ty = variant_type(variant);
        let doc = if variant.tags.is_empty() {
            " A value of this type.".to_owned()
        } else {
            let tags: Vec<String> = variant.tags.iter().map(|tag| format!("`{tag}`")).collect();
            format!(" Chosen when the discriminator is {}.", tags.join(" or "))
        };
        quote! {
            #[doc = #doc]
            #ident(#ty),
        }
    });
    let how = match discriminator {
        Some(property) => format!(
            " Decoded by its `{property}` property; a value it does not name is kept as [`Self::{fallback}`]."
        ),
        None => format!(
            " Decoded as the first variant, in the spec's order, that fits; anything else is kept as [`Self::{fallback}`]."
        ),
    };
    let fallback_doc = if discriminator.is_some() {
        " A value whose discriminator names no variant."
    } else {
        " A value that fits no variant."
    };
    let serialize_arms = variants.iter().map(|variant| name(&variant.ident));
    let declaration = quote! {
        #docs
        #[doc = ""]
        #[doc = #how]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        #[allow(clippy::large_enum_variant)] // The spec's shapes, matched on directly.
        pub enum #type_name {
            #(#declarations)*
            #[doc = #fallback_doc]
            #fallback(::serde_json::Value),
        }

        impl ::serde::Serialize for #type_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(Self::#serialize_arms(value) => ::serde::Serialize::serialize(value, serializer),)*
                    Self::#fallback(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }
    };
    let Some(property) = discriminator else {
        let attempts = variants.iter().map(|variant| {
            let ident = name(&variant.ident);
            let ty = variant_type(variant);
            quote! {
                if let ::std::result::Result::Ok(variant) = <#ty as ::serde::Deserialize>::deserialize(&value) {
                    return ::std::result::Result::Ok(Self::#ident(variant));
                }
            }
        });
        return quote! {
            #declaration

            impl<'de> ::serde::Deserialize<'de> for #type_name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let value = <::serde_json::Value as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                    #(#attempts)*
                    ::std::result::Result::Ok(Self::#fallback(value))
                }
            }
        };
    };
    let arms = variants
        .iter()
        .filter(|variant| !variant.tags.is_empty())
        .map(|variant| {
            let ident = name(&variant.ident);
            let tags = &variant.tags;
            quote! {
                ::std::option::Option::Some(#(#tags)|*) => ::serde_json::from_value(value)
                    .map(Self::#ident)
                    .map_err(::serde::de::Error::custom),
            }
        });
    quote! {
        #declaration

        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                let tag = value
                    .get(#property)
                    .and_then(::serde_json::Value::as_str)
                    .map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => ::std::result::Result::Ok(Self::#fallback(value)),
                }
            }
        }
    }
}

/// A string enum that keeps values it does not know in its fallback
/// variant, so a value the server adds later is not an error.
fn emit_enum(
    docs: &TokenStream,
    type_name: &proc_macro2::Ident,
    variants: &[Variant],
    fallback: &str,
) -> TokenStream {
    let fallback = name(fallback);
    let declarations = variants.iter().map(|variant| {
        let ident = name(&variant.ident);
        let doc = format!(" `{}`", variant.value);
        quote! {
            #[doc = #doc]
            #ident,
        }
    });
    let to_str = variants.iter().map(|variant| {
        let ident = name(&variant.ident);
        let value = &variant.value;
        quote!(Self::#ident => #value,)
    });
    let from_str = variants.iter().map(|variant| {
        let ident = name(&variant.ident);
        let value = &variant.value;
        quote!(#value => Self::#ident,)
    });
    quote! {
        #docs
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        #[non_exhaustive]
        pub enum #type_name {
            #(#declarations)*
            /// A value this version of the crate does not know; kept as sent.
            #fallback(::std::string::String),
        }

        impl #type_name {
            /// The value as on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::#fallback(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for #type_name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::#fallback(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::str::FromStr for #type_name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #type_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #type_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    }
}
