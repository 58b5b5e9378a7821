//! The error enum of an operation: a variant per documented error status,
//! and what it knows of SailPoint's tracking id; and the arms that decode
//! an answer by its status into the success or one of those variants.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, name, type_tokens};
use proc_macro2::Literal;

use super::std_names::{CLONE, DEBUG, ERR, NONE, OPTION, PARTIAL_EQ, SOME};
use super::FileContext;
use crate::codegen::ir::{
    ErrorCase, ErrorStatus, Group, Operation, SuccessStatus, TrackingId, TypeRef,
};

pub(super) fn emit_error_enum(
    cx: &FileContext,
    group: &Group,
    operation: &Operation,
) -> TokenStream {
    let [option, some, none, clone, debug, partial_eq] =
        cx.std([OPTION, SOME, NONE, CLONE, DEBUG, PARTIAL_EQ]);
    let error = name(&operation.error_name);
    let doc = doc_attrs(cx, &format!(
        "The error answers documented for `{}` ([`{}::{}`]). The status, headers and raw body of every answer are on the [`ApiError`](crate::ApiError) around it.",
        operation.operation_id, group.type_name, operation.fn_name
    ));
    let variants = operation.errors.iter().map(|case: &ErrorCase| {
        let variant = name(&case.variant);
        let status = match case.status {
            ErrorStatus::Code(status) => format!("`{status}`"),
            ErrorStatus::Default => "Any other status (`default`)".to_owned(),
        };
        let docs = doc_attrs(cx, &format!("{status}: {}", case.description.trim()));
        match &case.body {
            Some(body) => {
                let body = type_tokens(cx, body);
                quote! {
                    #docs
                    #variant(#body),
                }
            }
            None => quote! {
                #docs
                #variant,
            },
        }
    });
    let tracking_arms: Vec<TokenStream> = operation
        .errors
        .iter()
        .filter_map(|case| {
            let variant = name(&case.variant);
            match &case.tracking_id {
                TrackingId::Absent => None,
                TrackingId::Optional(field) => {
                    let field = name(field);
                    Some(quote!(Self::#variant(body) => body.#field.as_deref(),))
                }
                TrackingId::Required(field) => {
                    let field = name(field);
                    Some(quote!(Self::#variant(body) => #some(body.#field.as_str()),))
                }
            }
        })
        .collect();
    let tracking_body = if tracking_arms.is_empty() {
        quote!(#none)
    } else {
        quote! {
            match self {
                #(#tracking_arms)*
                _ => #none,
            }
        }
    };
    quote! {
        #doc
        #[derive(#debug, #clone, #partial_eq)]
        #[non_exhaustive]
        pub enum #error {
            #(#variants)*
            /// A status the spec does not document for this operation.
            Undocumented,
        }

        impl crate::OperationError for #error {
            fn tracking_id(&self) -> #option<&str> {
                #tracking_body
            }
        }
    }
}

/// The arms of an operation's `decode`, by status: the success (its
/// status, or any 2xx), each documented error, then every other status:
/// the `default` error where the spec has one, else `Undocumented`.
pub(super) fn emit_decode_arms(cx: &FileContext, operation: &Operation) -> TokenStream {
    let [err] = cx.std([ERR]);
    let error = name(&operation.error_name);
    let success_status = match operation.success.status {
        SuccessStatus::Any2xx => quote!(200..=299),
        SuccessStatus::Documented(status) => {
            let status = Literal::u16_unsuffixed(status);
            quote!(#status)
        }
    };
    let success = match &operation.success.body {
        Some(TypeRef::Bytes) => quote!(response.bytes()),
        Some(_) => quote!(response.json()),
        None => quote!(response.empty()),
    };
    let decode_error = |case: &ErrorCase| {
        let variant = name(&case.variant);
        match &case.body {
            Some(TypeRef::Bytes) => quote!(#err(response.error_bytes(#error::#variant))),
            Some(_) => quote!(#err(response.error(#error::#variant))),
            None => quote!(#err(response.api_error(#error::#variant))),
        }
    };
    let documented = operation
        .errors
        .iter()
        .filter_map(|case| match case.status {
            ErrorStatus::Code(status) => {
                let status = Literal::u16_unsuffixed(status);
                let decoded = decode_error(case);
                Some(quote!(#status => #decoded,))
            }
            ErrorStatus::Default => None,
        });
    let otherwise = match operation
        .errors
        .iter()
        .find(|case| case.status == ErrorStatus::Default)
    {
        Some(case) => decode_error(case),
        None => quote!(#err(response.api_error(#error::Undocumented))),
    };
    quote! {
        #success_status => #success,
        #(#documented)*
        _ => #otherwise,
    }
}
