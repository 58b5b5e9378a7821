//! Emits the models: one file per type under `src/models/`. A file shows
//! the type and its docs first; its serde impls follow as a short table of
//! the runtime's `impl_object!`, `impl_string_enum!` or `impl_union!`,
//! which this module lays out itself (prettyplease cannot lay out a
//! macro's body).

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, feature_gate, name, type_text, type_tokens};
use super::std_names::{
    Spelling, BOX, CLONE, DEBUG, DEFAULT, EQ, HASH, OPTION, ORD, PARTIAL_EQ, PARTIAL_ORD, STRING,
};
use super::FileContext;
use super::{construct, RustFile};
use crate::codegen::contract;
use crate::codegen::ir::{Api, Field, TypeDef, TypeKind, UnionVariant, Variant};

/// The path of a type's file in the crate.
pub fn type_path(def: &TypeDef) -> String {
    format!("src/models/{}.rs", def.module)
}

/// `src/models/mod.rs`: a module per type, its type re-exported.
pub fn emit_mod(api: &Api) -> RustFile {
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
    let items = quote! {
        //! The types of request and response bodies, from the spec's schemas.
        #(#declarations)*
    };
    FileContext::new(Spelling::Full).finish("src/models/mod.rs", items, Vec::new())
}

/// The file of one type of `api`.
pub fn emit_type(def: &TypeDef, api: &Api) -> RustFile {
    let cx = FileContext::new(Spelling::for_file([def.name.as_str()]));
    let (items, table) = emit_type_items(&cx, def, api);
    cx.finish(type_path(def), items, table.into_iter().collect())
}

/// The items of a type's file, and its serde table.
fn emit_type_items(cx: &FileContext, def: &TypeDef, api: &Api) -> (TokenStream, Option<String>) {
    let [clone, debug, default, partial_eq] = cx.std([CLONE, DEBUG, DEFAULT, PARTIAL_EQ]);
    let docs = doc_attrs(cx, &super::docs::type_doc(def, api));
    let type_name = name(&def.name);
    match &def.kind {
        TypeKind::Struct { fields } => {
            let declarations = fields.iter().map(|field| emit_field(cx, field));
            let is_default = construct::is_default(fields);
            let derive_default = is_default.then(|| quote!(#default,));
            let new = construct::emit_new(cx, &type_name, fields);
            let patch = construct::emit_patch_constructors(cx, &type_name, fields, api);
            let items = quote! {
                #docs
                #[derive(#debug, #clone, #partial_eq, #derive_default)]
                pub struct #type_name {
                    #(#declarations)*
                }

                #new
                #patch
            };
            (items, Some(object_table(cx, &def.name, fields, is_default)))
        }
        TypeKind::Enum { variants, fallback } => (
            emit_enum(cx, &docs, &type_name, variants, fallback),
            Some(string_enum_table(&def.name, variants, fallback)),
        ),
        TypeKind::Union {
            variants,
            discriminator,
            fallback,
        } => (
            emit_union(
                cx,
                &docs,
                &type_name,
                variants,
                discriminator.as_deref(),
                fallback,
                api,
            ),
            Some(union_table(
                cx,
                &def.name,
                variants,
                discriminator.as_deref(),
                fallback,
            )),
        ),
        TypeKind::Alias(target) => {
            let target = type_tokens(cx, target);
            let items = quote! {
                #docs
                pub type #type_name = #target;
            };
            (items, None)
        }
    }
}

/// A field; optional and nullable decide between `T`, `Option<T>` and
/// `Option<Option<T>>` (absent, `null`, value).
fn emit_field(cx: &FileContext, field: &Field) -> TokenStream {
    let [option, boxed] = cx.std([OPTION, BOX]);
    let mut doc = field
        .description
        .clone()
        .unwrap_or_else(|| format!("The `{}` property.", field.wire_name));
    if field.deprecated {
        doc.push_str("\n\nDeprecated by the API.");
    }
    let docs = doc_attrs(cx, &doc);
    let ident = name(&field.ident);
    let inner = type_tokens(cx, &field.ty);
    let inner = if field.boxed {
        quote!(#boxed<#inner>)
    } else {
        inner
    };
    let ty = match FieldMode::of(field) {
        FieldMode::Required => inner,
        FieldMode::Nullable | FieldMode::Optional => quote!(#option<#inner>),
        FieldMode::OptionalNullable => {
            quote!(#option<#option<#inner>>)
        }
    };
    quote! {
        #docs
        pub #ident: #ty,
    }
}

/// How a field is read and written: the mode of its `impl_object!` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldMode {
    /// `T`: must be present and not `null`.
    Required,
    /// `Option<T>`: must be present (it is written as `null`), may be `null`.
    Nullable,
    /// `Option<T>`: may be absent (and is left out when `None`).
    Optional,
    /// `Option<Option<T>>`: absent, `null` and a value are told apart.
    OptionalNullable,
}

impl FieldMode {
    fn of(field: &Field) -> Self {
        match (field.required, field.nullable) {
            (true, false) => Self::Required,
            (true, true) => Self::Nullable,
            (false, false) => Self::Optional,
            (false, true) => Self::OptionalNullable,
        }
    }

    /// The row's keyword, as the runtime's macro spells it.
    fn keyword(self) -> &'static str {
        let modes = contract::tables::OBJECT_MODES;
        match self {
            Self::Required => modes[0],
            Self::Nullable => modes[1],
            Self::Optional => modes[2],
            Self::OptionalNullable => modes[3],
        }
    }
}

/// The value type of a field or variant, as text, boxed where it contains
/// itself.
fn value_text(cx: &FileContext, ty: &crate::codegen::ir::TypeRef, boxed: bool) -> String {
    let text = type_text(cx.spelling(), ty);
    if boxed {
        format!("{}<{text}>", cx.spelling().text(BOX))
    } else {
        text
    }
}

/// A Rust string literal of `text`.
fn literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// `crate::runtime::<mac>! { <head> { rows } <tail> }`, a row per line.
fn table(mac: &str, head: &str, rows: impl IntoIterator<Item = String>, tail: &str) -> String {
    let mut text = format!("crate::runtime::{mac}! {{\n    {head} {{\n");
    for row in rows {
        text.push_str(&format!("        {row},\n"));
    }
    text.push_str(&format!("    }}{tail}\n}}\n"));
    text
}

/// The table of a struct; `is_default`: it derives `Default`, which the
/// table's head then says, so that the runtime reads it into its default
/// value a field at a time (the derive and the head are one decision).
fn object_table(cx: &FileContext, type_name: &str, fields: &[Field], is_default: bool) -> String {
    let mut head = name(type_name).to_string();
    if is_default {
        head.push_str(contract::tables::OBJECT_DEFAULT);
    }
    // Each row is numbered by its position, which `impl_object!` matches
    // a key's field by.
    let rows = fields.iter().enumerate().map(|(index, field)| {
        format!(
            "{index} {}: {} {} = {}",
            name(&field.ident),
            FieldMode::of(field).keyword(),
            value_text(cx, &field.ty, field.boxed),
            literal(&field.wire_name)
        )
    });
    table(contract::tables::OBJECT, &head, rows, "")
}

fn string_enum_table(type_name: &str, variants: &[Variant], fallback: &str) -> String {
    let rows = variants
        .iter()
        .map(|variant| format!("{} = {}", name(&variant.ident), literal(&variant.value)));
    table(
        contract::tables::STRING_ENUM,
        &name(type_name).to_string(),
        rows,
        &format!(" else {}", name(fallback)),
    )
}

fn union_table(
    cx: &FileContext,
    type_name: &str,
    variants: &[UnionVariant],
    discriminator: Option<&str>,
    fallback: &str,
) -> String {
    let tail = format!(" else {}", name(fallback));
    match discriminator {
        Some(property) => {
            let rows = variants.iter().map(|variant| {
                let tags: Vec<String> = variant.tags.iter().map(|tag| literal(tag)).collect();
                if tags.is_empty() {
                    name(&variant.ident).to_string()
                } else {
                    format!("{} = {}", name(&variant.ident), tags.join(" | "))
                }
            });
            let head = format!("{} by {}", name(type_name), literal(property));
            table(contract::tables::UNION, &head, rows, &tail)
        }
        None => {
            let rows = variants.iter().map(|variant| {
                format!(
                    "{}({})",
                    name(&variant.ident),
                    value_text(cx, &variant.ty, variant.boxed)
                )
            });
            table(
                contract::tables::UNION,
                &name(type_name).to_string(),
                rows,
                &tail,
            )
        }
    }
}

/// `oneOf` / `anyOf`: an enum with a variant per member and a fallback.
fn emit_union(
    cx: &FileContext,
    docs: &TokenStream,
    type_name: &proc_macro2::Ident,
    variants: &[UnionVariant],
    discriminator: Option<&str>,
    fallback: &str,
    api: &Api,
) -> TokenStream {
    let [boxed, clone, debug, partial_eq] = cx.std([BOX, CLONE, DEBUG, PARTIAL_EQ]);
    let fallback = name(fallback);
    let declarations = variants.iter().map(|variant| {
        let ident = name(&variant.ident);
        let ty = type_tokens(cx, &variant.ty);
        let ty = if variant.boxed {
            quote!(#boxed<#ty>)
        } else {
            ty
        };
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
    let conversions = construct::emit_union_conversions(cx, type_name, variants, api);
    quote! {
        #docs
        #[doc = ""]
        #[doc = #how]
        #[derive(#debug, #clone, #partial_eq)]
        #[allow(clippy::large_enum_variant)] // The spec's shapes, matched on directly.
        pub enum #type_name {
            #(#declarations)*
            #[doc = #fallback_doc]
            #fallback(::serde_json::Value),
        }

        #conversions
    }
}

/// A string enum that keeps values it does not know in its fallback
/// variant, so a value the server adds later is not an error.
fn emit_enum(
    cx: &FileContext,
    docs: &TokenStream,
    type_name: &proc_macro2::Ident,
    variants: &[Variant],
    fallback: &str,
) -> TokenStream {
    let [string, clone, debug, eq, partial_eq, ord, partial_ord, hash] =
        cx.std([STRING, CLONE, DEBUG, EQ, PARTIAL_EQ, ORD, PARTIAL_ORD, HASH]);
    let fallback = name(fallback);
    let declarations = variants.iter().map(|variant| {
        let ident = name(&variant.ident);
        let doc = format!(" `{}`", variant.value);
        quote! {
            #[doc = #doc]
            #ident,
        }
    });
    quote! {
        #docs
        #[derive(#debug, #clone, #partial_eq, #eq, #hash, #partial_ord, #ord)]
        #[non_exhaustive]
        pub enum #type_name {
            #(#declarations)*
            /// A value this version of the crate does not know; kept as sent.
            #fallback(#string),
        }
    }
}
