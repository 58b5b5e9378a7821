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
            let fields = fields.iter().map(emit_field);
            quote! {
                #docs
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                pub struct #type_name {
                    #(#fields)*
                }
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
    let inner = type_tokens(&field.ty);
    let inner = if field.boxed {
        quote!(::std::boxed::Box<#inner>)
    } else {
        inner
    };
    let rust_name = ident.to_string();
    let rename = (rust_name.trim_start_matches("r#") != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote!(rename = #wire,)
    });
    let (ty, extra) = match (field.required, field.nullable) {
        (true, false) => (inner, quote!()),
        (true, true) => (quote!(::std::option::Option<#inner>), quote!()),
        (false, false) => (
            quote!(::std::option::Option<#inner>),
            quote!(
                default,
                skip_serializing_if = "::std::option::Option::is_none",
            ),
        ),
        (false, true) => (
            quote!(::std::option::Option<::std::option::Option<#inner>>),
            quote!(
                default,
                deserialize_with = "crate::runtime::nullable::deserialize",
                skip_serializing_if = "::std::option::Option::is_none",
            ),
        ),
    };
    let serde = if rename.is_some() || !extra.is_empty() {
        quote!(#[serde(#rename #extra)])
    } else {
        quote!()
    };
    quote! {
        #docs
        #serde
        pub #ident: #ty,
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
    let Some(property) = discriminator else {
        return quote! {
            #docs
            #[doc = ""]
            #[doc = #how]
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)] // The spec's shapes, matched on directly.
            pub enum #type_name {
                #(#declarations)*
                /// A value that fits no variant.
                #fallback(::serde_json::Value),
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
        #docs
        #[doc = ""]
        #[doc = #how]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)] // The spec's shapes, matched on directly.
        pub enum #type_name {
            #(#declarations)*
            /// A value whose discriminator names no variant.
            #fallback(::serde_json::Value),
        }

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
