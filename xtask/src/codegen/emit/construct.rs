//! How a user builds a model without writing JSON: `Default` for a struct
//! whose fields may all be left out, `Type::new(required fields…)` for the
//! others, and `From` each variant's type for a union.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::common::{doc_attrs, name, type_tokens};
use super::std_names::{BOX, FROM, INTO, NONE, SOME, STRING, TO_OWNED};
use super::FileContext;
use crate::codegen::ir::{resolve_aliases, Api, Field, TypeKind, TypeRef, UnionVariant};

/// Clippy's `too_many_arguments` threshold: a constructor taking more
/// arguments is allowed that lint, since each argument is a required field.
const MANY_ARGUMENTS: usize = 7;

/// Whether a field must be given to build the struct: present and not
/// `null`, so no `None` stands for it.
fn must_be_given(field: &Field) -> bool {
    field.required && !field.nullable
}

/// Whether the struct is `Default`: every field can be `None`.
pub fn is_default(fields: &[Field]) -> bool {
    !fields.iter().any(must_be_given)
}

/// `impl Type { pub fn new(…) }` for a struct with fields that must be
/// given; nothing for one that is `Default`.
pub fn emit_new(cx: &FileContext, type_name: &Ident, fields: &[Field]) -> TokenStream {
    if is_default(fields) {
        return quote!();
    }
    let [none, string, boxed, into] = cx.std([NONE, STRING, BOX, INTO]);
    let given: Vec<&Field> = fields.iter().filter(|field| must_be_given(field)).collect();
    let arguments = given.iter().map(|field| {
        let ident = name(&field.ident);
        let ty = match &field.ty {
            TypeRef::String => quote!(impl #into<#string>),
            other => type_tokens(cx, other),
        };
        quote!(#ident: #ty)
    });
    let initialisers = fields.iter().map(|field| {
        let ident = name(&field.ident);
        if !must_be_given(field) {
            return quote!(#ident: #none);
        }
        let value = match (&field.ty, field.boxed) {
            (TypeRef::String, _) => quote!(#ident.into()),
            (_, true) => quote!(#boxed::new(#ident)),
            _ => return quote!(#ident),
        };
        quote!(#ident: #value)
    });
    let listed: Vec<String> = given
        .iter()
        .map(|field| format!("`{}`", field.wire_name))
        .collect();
    let doc = doc_attrs(cx, &format!(
        "A `{type_name}` with its required fields ({}); the others are `None`, to be set on the value.",
        listed.join(", ")
    ));
    let allow =
        (given.len() > MANY_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #type_name {
            #doc
            #allow
            pub fn new(#(#arguments),*) -> Self {
                Self {
                    #(#initialisers,)*
                }
            }
        }
    }
}

/// `From` each variant's type, for the variants whose type no other
/// variant has (`"text".into()`, `true.into()`), and `From<&str>` when a
/// variant holds text; not from the union itself.
pub fn emit_union_conversions(
    cx: &FileContext,
    type_name: &Ident,
    variants: &[UnionVariant],
    api: &Api,
) -> TokenStream {
    let [boxed, from, to_owned] = cx.std([BOX, FROM, TO_OWNED]);
    // Aliases are the type they stand for: two variants of one Rust type
    // would make conflicting impls.
    let rust_types: Vec<TypeRef> = variants
        .iter()
        .map(|variant| resolve_aliases(&api.types, &variant.ty).clone())
        .collect();
    // A variant holding the union itself has `From` from the standard
    // library already.
    let own = TypeRef::Named(type_name.to_string());
    let unique = variants.iter().zip(&rust_types).filter(|(_, ty)| {
        **ty != own && rust_types.iter().filter(|other| other == ty).count() == 1
    });
    let unique = unique.map(|(variant, _)| variant);
    let conversions = unique.map(|variant| {
        let ident = name(&variant.ident);
        let ty = type_tokens(cx, &variant.ty);
        let wrap = if variant.boxed {
            quote!(#boxed::new(value))
        } else {
            quote!(value)
        };
        let text = (variant.ty == TypeRef::String).then(|| {
            quote! {
                impl #from<&str> for #type_name {
                    fn from(value: &str) -> Self {
                        Self::#ident(#to_owned::to_owned(value))
                    }
                }
            }
        });
        quote! {
            impl #from<#ty> for #type_name {
                fn from(value: #ty) -> Self {
                    Self::#ident(#wrap)
                }
            }
            #text
        }
    });
    quote!(#(#conversions)*)
}

/// The operations of RFC 6902 and the constructor each gets.
const PATCH_OPERATIONS: &[(&str, &str)] = &[
    ("add", "add"),
    ("remove", "remove"),
    ("replace", "replace"),
    ("move", "move_from"),
    ("copy", "copy_from"),
    ("test", "test"),
];

/// Typed constructors for a struct that is one JSON Patch operation: an
/// `op` string enum of RFC 6902's operations, a `path`, and optionally
/// `value` and `from`, nothing else required. `Type::replace("/name",
/// "new")`, `Type::remove("/description")`, `Type::move_from("/a", "/b")`.
pub fn emit_patch_constructors(
    cx: &FileContext,
    type_name: &Ident,
    fields: &[Field],
    api: &Api,
) -> TokenStream {
    let field = |wire: &str| fields.iter().find(|field| field.wire_name == wire);
    let (Some(op), Some(path)) = (field("op"), field("path")) else {
        return quote!();
    };
    let [none, string, boxed, into] = cx.std([NONE, STRING, BOX, INTO]);
    let others_optional = fields
        .iter()
        .all(|field| field.wire_name == "op" || field.wire_name == "path" || !must_be_given(field));
    let op_variants = match (
        &op.ty,
        op.required,
        path.ty == TypeRef::String && path.required,
    ) {
        (TypeRef::Named(op_type), true, true) if others_optional => {
            match api.types.get(op_type).map(|def| &def.kind) {
                Some(TypeKind::Enum { variants, .. }) => variants,
                _ => return quote!(),
            }
        }
        _ => return quote!(),
    };
    let TypeRef::Named(op_type) = &op.ty else {
        return quote!();
    };
    let op_type = name(op_type);
    let op_ident = name(&op.ident);
    let path_ident = name(&path.ident);
    let value = field("value");
    let from = field("from").filter(|from| from.ty == TypeRef::String);
    let constructors = PATCH_OPERATIONS.iter().filter_map(|(operation, function)| {
        let variant = op_variants.iter().find(|variant| variant.value == *operation)?;
        let variant = name(&variant.ident);
        let function = name(function);
        let takes_value = matches!(*operation, "add" | "replace" | "test");
        let takes_from = matches!(*operation, "move" | "copy");
        let mut arguments = Vec::new();
        let mut set = vec![
            quote!(#op_ident: crate::models::#op_type::#variant),
        ];
        if takes_from {
            let from = from?;
            let from_ident = name(&from.ident);
            arguments.push(quote!(#from_ident: impl #into<#string>));
            set.push(field_value(cx, from, quote!(#from_ident.into())));
        }
        arguments.push(quote!(#path_ident: impl #into<#string>));
        set.push(quote!(#path_ident: #path_ident.into()));
        if takes_value {
            let value = value?;
            let value_ident = name(&value.ident);
            let ty = type_tokens(cx, &value.ty);
            arguments.push(quote!(#value_ident: impl #into<#ty>));
            let converted = if value.boxed {
                quote!(#boxed::new(#value_ident.into()))
            } else {
                quote!(#value_ident.into())
            };
            set.push(field_value(cx, value, converted));
        }
        let doc = doc_attrs(cx, &match *operation {
            "add" => "A JSON Patch `add`: sets `value` at `path` (adding an array item or object member).".to_owned(),
            "remove" => "A JSON Patch `remove`: removes what is at `path`.".to_owned(),
            "replace" => "A JSON Patch `replace`: replaces what is at `path` with `value`.".to_owned(),
            "move" => "A JSON Patch `move`: moves what is at `from` to `path`.".to_owned(),
            "copy" => "A JSON Patch `copy`: copies what is at `from` to `path`.".to_owned(),
            _ => "A JSON Patch `test`: the patch applies only if `path` holds `value`.".to_owned(),
        });
        let unset = fields.iter().filter(|field| {
            field.ident != op.ident
                && field.ident != path.ident
                && !(takes_value && value.is_some_and(|value| value.ident == field.ident))
                && !(takes_from && from.is_some_and(|from| from.ident == field.ident))
        });
        let unset = unset.map(|field| {
            let ident = name(&field.ident);
            quote!(#ident: #none)
        });
        Some(quote! {
            #doc
            pub fn #function(#(#arguments),*) -> Self {
                Self {
                    #(#set,)*
                    #(#unset,)*
                }
            }
        })
    });
    let constructors: Vec<TokenStream> = constructors.collect();
    if constructors.is_empty() {
        return quote!();
    }
    quote! {
        impl #type_name {
            #(#constructors)*
        }
    }
}

/// `field: value`, wrapped in the `Option`s the field's mode has.
fn field_value(cx: &FileContext, field: &Field, value: TokenStream) -> TokenStream {
    let [some] = cx.std([SOME]);
    let ident = name(&field.ident);
    match (field.required, field.nullable) {
        (true, false) => quote!(#ident: #value),
        (false, true) => {
            quote!(#ident: #some(#some(#value)))
        }
        _ => quote!(#ident: #some(#value)),
    }
}
