//! Emits the operations: a module per tag under `src/apis/`, with the tag's
//! entry point, a request builder and an error enum per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::common::{doc_attrs, feature_gate, name, paragraphs, raw_doc_attrs};
use super::docs::{operation_example, operation_sections, DocsContext};
use super::errors::{emit_decode_arms, emit_error_enum};
use super::request::{
    body_argument_type, body_summary, param_summary, success_type, to_wire_text, wire_field_type,
    wire_text_type,
};
use super::std_names::{
    Spelling, CLONE, COPY, DEBUG, NONE, OK, OPTION, RESULT, SOME, STRING, TO_OWNED, VEC_MACRO,
};
use super::{FileContext, RustFile};
use crate::codegen::contract;
use crate::codegen::ir::{
    Api, BodyKind, Group, Operation, Param, ParamDefault, ParamLocation, PathPart, SuccessStatus,
    TypeRef,
};

/// The path of a tag's file in the crate.
pub fn group_path(group: &Group) -> String {
    format!("src/apis/{}.rs", group.module)
}

/// `src/apis/mod.rs`: a module per tag, and the client's accessor of each.
pub fn emit_mod(api: &Api) -> RustFile {
    let file = FileContext::new(Spelling::Full);
    let cx = &file;
    let new = name(contract::tag::NEW);
    let mut declarations = Vec::new();
    let mut accessors = Vec::new();
    for group in &api.groups {
        let module = name(&group.module);
        let type_name = name(&group.type_name);
        let gate = feature_gate(api, &std::iter::once(group.feature.clone()).collect());
        declarations.push(quote! {
            #gate
            pub mod #module;
            #gate
            pub use self::#module::#type_name;
        });
        let doc = doc_attrs(
            cx,
            &format!(
                "The operations of the `{}` tag: [`{}`].",
                group.tag, group.type_name
            ),
        );
        accessors.push(quote! {
            #doc
            #gate
            pub fn #module(&self) -> #type_name<'_> {
                #type_name::#new(self)
            }
        });
    }
    let items = quote! {
        //! The operations of the API, a module per tag.
        #(#declarations)*

        impl crate::Client {
            #(#accessors)*
        }
    };
    file.finish("src/apis/mod.rs", items, Vec::new())
}

/// The file of one tag: its type, request builders and error enums; the
/// head ([`emit_group_head`]) and every operation's part
/// ([`emit_group_operation`]) in order.
#[cfg(test)]
pub fn emit_group(group: &Group, docs: &DocsContext<'_>) -> RustFile {
    let cx = group_file_context(group);
    let mut items = emit_head_items(&cx, group, docs);
    for operation in &group.operations {
        items.extend(emit_operation(&cx, group, operation));
    }
    cx.finish(group_path(group), items, Vec::new())
}

/// The head of a tag's file: its module doc, and the tag's type with a
/// starter per operation.
pub fn emit_group_head(group: &Group, docs: &DocsContext<'_>) -> RustFile {
    let cx = group_file_context(group);
    let items = emit_head_items(&cx, group, docs);
    cx.finish(group_path(group), items, Vec::new())
}

/// One operation's part of its tag's file: its request builder and error
/// enum. A part is emitted (and formatted) on its own, so that a large
/// tag's operations are shared out over the cores.
pub fn emit_group_operation(group: &Group, operation: &Operation) -> RustFile {
    let cx = group_file_context(group);
    let items = emit_operation(&cx, group, operation);
    cx.finish(group_path(group), items, Vec::new())
}

/// The context of a part of `group`'s file: every part spells the names
/// of `std` as the whole file does, whatever the part itself defines.
fn group_file_context(group: &Group) -> FileContext {
    let defined = std::iter::once(group.type_name.as_str()).chain(
        group.operations.iter().flat_map(|operation| {
            [
                operation.builder_name.as_str(),
                operation.error_name.as_str(),
            ]
        }),
    );
    FileContext::new(Spelling::for_file(defined))
}

fn emit_head_items(cx: &FileContext, group: &Group, docs: &DocsContext<'_>) -> TokenStream {
    let [clone, copy, debug] = cx.std([CLONE, COPY, DEBUG]);
    let client = name(contract::tag::CLIENT);
    let new = name(contract::tag::NEW);
    let module_doc = format!(" The operations of the `{}` tag.", group.tag);
    let type_name = name(&group.type_name);
    let type_doc = doc_attrs(
        cx,
        &paragraphs([
            Some(format!("The operations of the `{}` tag.", group.tag).as_str()),
            group.description.as_deref(),
            Some(
                format!(
                    "Get it from [`Client::{}`](crate::Client::{}).",
                    group.module, group.module
                )
                .as_str(),
            ),
        ]),
    );
    let starters = group
        .operations
        .iter()
        .map(|operation| emit_starter(cx, group, operation, docs));
    quote! {
        #![doc = #module_doc]

        #type_doc
        #[derive(#debug, #clone, #copy)]
        pub struct #type_name<'a> {
            #client: &'a crate::Client,
        }

        impl<'a> #type_name<'a> {
            pub(crate) fn #new(#client: &'a crate::Client) -> Self {
                Self { #client }
            }

            /// The client the operations are sent with.
            pub fn #client(&self) -> &'a crate::Client {
                self.#client
            }

            #(#starters)*
        }
    }
}

/// A parameter's default as the wire text its builder field holds.
fn default_tokens(cx: &FileContext, default: &ParamDefault) -> TokenStream {
    let [to_owned, vec_macro] = cx.std([TO_OWNED, VEC_MACRO]);
    match default {
        ParamDefault::Text(text) => quote!(#to_owned::to_owned(#text)),
        ParamDefault::List(items) => {
            let items = items.iter().map(|item| quote!(#to_owned::to_owned(#item)));
            quote!(#vec_macro![#(#items),*])
        }
    }
}

/// The method of the tag's type that starts a request.
fn emit_starter(
    cx: &FileContext,
    group: &Group,
    operation: &Operation,
    docs: &DocsContext<'_>,
) -> TokenStream {
    let [none, clone] = cx.std([NONE, CLONE]);
    let fn_name = name(&operation.fn_name);
    let builder = name(&operation.builder_name);
    let arguments: Vec<&Param> = operation
        .params
        .iter()
        .filter(|p| p.is_argument())
        .collect();
    let signature = arguments.iter().map(|param| {
        let ident = name(&param.ident);
        let ty = wire_text_type(cx, param);
        quote!(#ident: #ty)
    });
    let body_argument = operation
        .body
        .as_ref()
        .filter(|body| body.required)
        .map(|body| {
            let ident = name(&body.ident);
            let ty = body_argument_type(cx, body);
            quote!(#ident: #ty)
        });
    let body_initialiser = operation.body.as_ref().map(|body| {
        let ident = name(&body.ident);
        match (body.required, &body.kind) {
            (true, BodyKind::Binary) => quote!(#ident: #ident.into(),),
            (true, _) => quote!(#ident,),
            (false, _) => quote!(#ident: #none,),
        }
    });
    let initialisers = operation.params.iter().map(|param| {
        let ident = name(&param.ident);
        if param.is_argument() {
            let value = to_wire_text(cx, param, &quote!(#ident));
            quote!(#ident: #value)
        } else if let Some(default) = param.sent_default() {
            let value = default_tokens(cx, default);
            quote!(#ident: #value)
        } else {
            quote!(#ident: #none)
        }
    });
    let mut doc = paragraphs([
        operation.summary.as_deref(),
        operation.description.as_deref(),
        Some(
            format!(
                "`{} {}` (operation `{}`).",
                operation.method.as_str(),
                operation.path_template,
                operation.operation_id
            )
            .as_str(),
        ),
    ]);
    if !arguments.is_empty() {
        doc.push_str("\n\nArguments:");
        for param in &arguments {
            doc.push_str(&format!("\n- `{}`: {}", param.ident, param_summary(param)));
        }
    }
    let setters: Vec<&Param> = operation
        .params
        .iter()
        .filter(|p| !p.is_argument())
        .collect();
    if !setters.is_empty() {
        doc.push_str("\n\nSettings of the returned request:");
        for param in setters {
            doc.push_str(&format!(
                "\n- [`{}`]({}::{}): {}",
                param.ident,
                operation.builder_name,
                param.ident,
                param_summary(param)
            ));
        }
    }
    doc.push_str("\n\nThe request is sent when awaited (or with `send()`).");
    if operation.deprecated {
        doc.push_str("\n\nDeprecated by the API.");
    }
    doc.push_str("\n\n");
    doc.push_str(&operation_sections(cx.spelling(), operation, docs));
    let example = raw_doc_attrs(
        cx,
        &format!(
            "\n# Example\n\n{}",
            operation_example(group, operation, docs)
        ),
    );
    let docs = doc_attrs(cx, &doc);
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
    let builder_client = name(contract::builder::CLIENT);
    let tag_client = name(contract::tag::CLIENT);
    quote! {
        #docs
        #example
        #deprecated
        pub fn #fn_name(&self, #(#signature,)* #body_argument) -> #builder {
            #builder {
                #builder_client: #clone::clone(self.#tag_client),
                #(#initialisers,)*
                #body_initialiser
            }
        }
    }
}

fn emit_operation(cx: &FileContext, group: &Group, operation: &Operation) -> TokenStream {
    let [option, some, result, ok, clone, debug] = cx.std([OPTION, SOME, RESULT, OK, CLONE, DEBUG]);
    let client = name(contract::builder::CLIENT);
    let send = name(contract::builder::SEND);
    let send_with_response = name(contract::builder::SEND_WITH_RESPONSE);
    let prepare = name(contract::builder::PREPARE);
    let decode = name(contract::builder::DECODE);
    let builder = name(&operation.builder_name);
    let error = name(&operation.error_name);
    let operation_id = &operation.operation_id;
    let success = success_type(cx, operation);
    let output = quote!(#result<#success, crate::Error<#error>>);
    let send_streaming = (operation.success.body == Some(TypeRef::Bytes)).then(|| {
        let method = name(contract::builder::SEND_STREAMING);
        quote! {
            /// Sends the request and gives the answer's body as a stream of chunks, read from the connection as they are polled rather than held whole in memory (and not bounded by the client's answer size): for large downloads.
            pub fn #method(self) -> crate::BoxFuture<'static, #result<crate::ByteStream, crate::Error<#error>>> {
                crate::runtime::call_streaming(self.#prepare(), Self::#decode)
            }
        }
    });
    let fields = operation.params.iter().map(|param| {
        let ident = name(&param.ident);
        let ty = wire_field_type(cx, param);
        if param.required {
            quote!(#ident: #ty)
        } else {
            quote!(#ident: #option<#ty>)
        }
    });
    let body_field = operation.body.as_ref().map(|body| {
        let ident = name(&body.ident);
        let ty = match &body.kind {
            BodyKind::Binary => quote!(::bytes::Bytes),
            _ => body_argument_type(cx, body),
        };
        if body.required {
            quote!(#ident: #ty,)
        } else {
            quote!(#ident: #option<#ty>,)
        }
    });
    let body_setter = operation
        .body
        .as_ref()
        .filter(|body| !body.required)
        .map(|body| {
            let ident = name(&body.ident);
            let ty = body_argument_type(cx, body);
            let value = match body.kind {
                BodyKind::Binary => quote!(value.into()),
                _ => quote!(value),
            };
            let docs = doc_attrs(cx, &format!("Sets the request body{}", body_summary(body)));
            quote! {
                #docs
                pub fn #ident(mut self, value: #ty) -> Self {
                    self.#ident = #some(#value);
                    self
                }
            }
        });
    let body_send = operation.body.as_ref().map(|body| {
        let ident = name(&body.ident);
        let content_type = &body.content_type;
        let call = match body.kind {
            BodyKind::Json(_) => quote!(request.json_body(#content_type, &value)?;),
            BodyKind::Form(_) => quote!(request.form_body(&value)?;),
            BodyKind::Multipart(_) => quote!(request.multipart_body(value);),
            BodyKind::Binary => quote!(request.binary_body(#content_type, value);),
        };
        if body.required {
            quote! {
                let value = self.#ident;
                #call
            }
        } else {
            quote! {
                if let #some(value) = self.#ident {
                    #call
                }
            }
        }
    });
    let setters = operation
        .params
        .iter()
        .filter(|param| !param.is_argument())
        .map(|param| {
            let ident = name(&param.ident);
            let ty = wire_text_type(cx, param);
            let value = to_wire_text(cx, param, &quote!(value));
            let stored = if param.required {
                value
            } else {
                quote!(#some(#value))
            };
            let docs = doc_attrs(cx, &param_summary(param));
            quote! {
                #docs
                pub fn #ident(mut self, value: #ty) -> Self {
                    self.#ident = #stored;
                    self
                }
            }
        });
    let path = emit_path(cx, operation);
    let path_template = &operation.path_template;
    let accept = &operation.accept;
    let method = format_ident!("{}", operation.method.as_str());
    let sent: Vec<&Param> = operation
        .params
        .iter()
        .filter(|param| param.location != ParamLocation::Path)
        .collect();
    let request_binding = if sent.is_empty() && operation.body.is_none() {
        quote!(request)
    } else {
        quote!(mut request)
    };
    let sends = sent.iter().map(|param| {
        let ident = name(&param.ident);
        let wire = &param.wire_name;
        let call = match param.location {
            ParamLocation::Header => quote!(header),
            _ => quote!(query),
        };
        let add = match (
            &param.ty,
            param.explode && param.location == ParamLocation::Query,
        ) {
            (TypeRef::Vec(_), true) => quote! {
                for item in value {
                    request.#call(#wire, item);
                }
            },
            (TypeRef::Vec(_), false) => quote!(request.#call(#wire, value.join(","));),
            _ => quote!(request.#call(#wire, value);),
        };
        if param.required {
            match param.ty {
                TypeRef::Vec(_) => quote! {
                    let value = self.#ident;
                    #add
                },
                _ => quote!(request.#call(#wire, self.#ident);),
            }
        } else {
            quote! {
                if let #some(value) = self.#ident {
                    #add
                }
            }
        }
    });
    let decode_arms = emit_decode_arms(cx, operation);
    let builder_doc = doc_attrs(cx, &format!(
        "A `{operation_id}` request, from [`{group}::{group_fn}`]: set what it needs, then await it (or call [`{send}`]({builder}::{send})).",
        send = contract::builder::SEND,
        group = group.type_name,
        group_fn = operation.fn_name,
        builder = operation.builder_name,
    ));
    let send_doc = doc_attrs(
        cx,
        &match (operation.success.status, &operation.success.body) {
            (SuccessStatus::Any2xx, Some(_)) => format!(
                "Sends the request; any 2xx answer is decoded: {}",
                operation.success.description.trim()
            ),
            (SuccessStatus::Any2xx, None) => {
                "Sends the request; any 2xx answer is a success.".to_owned()
            }
            (SuccessStatus::Documented(status), Some(_)) => format!(
                "Sends the request; a {status} answer is decoded: {}",
                operation.success.description.trim()
            ),
            (SuccessStatus::Documented(status), None) => format!(
                "Sends the request; a {status} answer is a success: {}",
                operation.success.description.trim()
            ),
        },
    );
    let error_enum = emit_error_enum(cx, group, operation);
    let paging = super::paging::emit_paging(cx, operation);
    quote! {
        #builder_doc
        #[derive(#debug, #clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #builder {
            #client: crate::Client,
            #(#fields,)*
            #body_field
        }

        impl #builder {
            #(#setters)*
            #body_setter

            #send_doc
            pub fn #send(self) -> crate::BoxFuture<'static, #output> {
                crate::runtime::call(self.#prepare(), Self::#decode)
            }

            /// Sends the request, like [`send`](Self::send), and keeps the answer's status and headers beside its body: [`Response::total_count`](crate::Response::total_count) reads `X-Total-Count`.
            pub fn #send_with_response(self) -> crate::ResponseFuture<#success, #error> {
                crate::runtime::call_with_response(self.#prepare(), Self::#decode)
            }

            #send_streaming

            /// The request to send, or why it cannot be sent.
            fn #prepare(self) -> #result<(crate::Client, crate::runtime::ApiRequest), crate::Error<#error>> {
                const OPERATION: &str = #operation_id;
                #path
                let #request_binding = crate::runtime::ApiRequest::new(OPERATION, ::http::Method::#method, #path_template, path, #accept);
                #(#sends)*
                #body_send
                #ok((self.#client, request))
            }

            /// The answer, decoded by its status.
            fn #decode(response: crate::runtime::RawResponse) -> #output {
                match response.status() {
                    #decode_arms
                }
            }
        }

        impl ::std::future::IntoFuture for #builder {
            type Output = #output;
            type IntoFuture = crate::BoxFuture<'static, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                self.#send()
            }
        }

        #paging

        #error_enum
    }
}

/// `let path = …;`: literals with each path parameter encoded as one
/// segment, joined by `concat` (which sizes the string once; `format!`
/// grows it piece by piece, on every call).
fn emit_path(cx: &FileContext, operation: &Operation) -> TokenStream {
    let [string] = cx.std([STRING]);
    let mut pieces = Vec::new();
    let mut segments = Vec::new();
    // The whole path, when it has no parameters.
    let mut literal = String::new();
    for part in &operation.path {
        match part {
            PathPart::Literal(text) => {
                literal.push_str(text);
                pieces.push(quote!(#text));
            }
            PathPart::Param(index) => {
                let param = &operation.params[*index];
                let field = name(&param.ident);
                let local = format_ident!("segment_{}", param.ident);
                let wire = &param.wire_name;
                if pieces.is_empty() {
                    // The array's first element makes it one of `&str`.
                    pieces.push(quote!(""));
                }
                pieces.push(quote!(&#local));
                segments.push(quote! {
                    let #local = crate::runtime::path_param(OPERATION, #wire, &self.#field)?;
                });
            }
        }
    }
    if segments.is_empty() {
        quote!(let path = #string::from(#literal);)
    } else {
        quote! {
            #(#segments)*
            let path = [#(#pieces),*].concat();
        }
    }
}
