//! How an operation takes its parameters and body (argument and setter
//! types), turns them into wire text, and describes them in its docs.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::type_tokens;
use super::std_names::{INTO, INTO_ITERATOR, STRING, TO_STRING, VEC};
use super::FileContext;
use crate::codegen::ir::{BodyKind, Operation, Param, ParamLocation, RequestBody, TypeRef};

/// The type a parameter is given as.
pub(super) fn wire_text_type(cx: &FileContext, param: &Param) -> TokenStream {
    input_type(cx, &param.ty)
}

pub(super) fn input_type(cx: &FileContext, ty: &TypeRef) -> TokenStream {
    let [string, into, into_iterator] = cx.std([STRING, INTO, INTO_ITERATOR]);
    match ty {
        TypeRef::String => quote!(impl #into<#string>),
        TypeRef::Vec(item) => {
            let item = input_type(cx, item);
            quote!(impl #into_iterator<Item = #item>)
        }
        other => type_tokens(cx, other),
    }
}

/// The expression that turns a parameter's Rust value into its wire text
/// (a `Vec` of texts for lists).
pub(super) fn to_wire_text(cx: &FileContext, param: &Param, value: &TokenStream) -> TokenStream {
    wire_text(cx, &param.ty, value)
}

pub(super) fn wire_text(cx: &FileContext, ty: &TypeRef, value: &TokenStream) -> TokenStream {
    let [into_iterator, to_string] = cx.std([INTO_ITERATOR, TO_STRING]);
    match ty {
        TypeRef::String => quote!(#value.into()),
        TypeRef::DateTime => {
            quote!(#value.to_rfc3339_opts(::chrono::SecondsFormat::Millis, true))
        }
        TypeRef::Vec(item) => {
            let each = wire_text(cx, item, &quote!(item));
            quote!(#into_iterator::into_iter(#value).map(|item| #each).collect())
        }
        _ => quote!(#to_string::to_string(&#value)),
    }
}

/// The builder field's type: wire text, or a list of it.
pub(super) fn wire_field_type(cx: &FileContext, param: &Param) -> TokenStream {
    let [string, vec] = cx.std([STRING, VEC]);
    match param.ty {
        TypeRef::Vec(_) => quote!(#vec<#string>),
        _ => quote!(#string),
    }
}

/// The type a request body is given as.
pub(super) fn body_argument_type(cx: &FileContext, body: &RequestBody) -> TokenStream {
    let [into] = cx.std([INTO]);
    match &body.kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => type_tokens(cx, ty),
        BodyKind::Multipart(_) => quote!(crate::Multipart),
        BodyKind::Binary => quote!(impl #into<::bytes::Bytes>),
    }
}

/// How a body is sent, and what goes in it, for the docs.
pub(super) fn body_summary(body: &RequestBody) -> String {
    let mut text = format!(", sent as `{}`", body.content_type);
    if let Some(description) = &body.description {
        text.push_str(": ");
        text.push_str(&description.split_whitespace().collect::<Vec<_>>().join(" "));
    } else {
        text.push('.');
    }
    if let BodyKind::Multipart(parts) = &body.kind {
        text.push_str(" Parts:");
        for (part, description) in parts {
            text.push_str(&format!("\n- `{part}`"));
            if let Some(description) = description {
                text.push_str(": ");
                text.push_str(&description.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
    }
    text
}

/// A parameter's description, on one line, with its wire name and default.
pub(super) fn param_summary(param: &Param) -> String {
    let description = param
        .description
        .as_deref()
        .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let location = match param.location {
        ParamLocation::Path => "path parameter",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
    };
    let mut summary = format!("{description} (the `{}` {location}", param.wire_name);
    match (&param.default, param.required) {
        (Some(default), true) => summary.push_str(&format!("; sent as `{default}` unless set")),
        (Some(default), false) => summary.push_str(&format!(
            "; not sent unless set, the server's default is `{default}`"
        )),
        (None, _) => {}
    }
    summary.push(')');
    summary.trim_start().to_owned()
}

pub(super) fn success_type(cx: &FileContext, operation: &Operation) -> TokenStream {
    match &operation.success.body {
        Some(body) => type_tokens(cx, body),
        None => quote!(()),
    }
}
