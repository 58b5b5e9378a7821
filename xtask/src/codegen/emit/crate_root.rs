//! Emits the crate around the models and operations: `lib.rs`, and the
//! hand-written files of `templates/`, copied verbatim behind the header.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_lines, paragraphs};
use crate::codegen::contract;
use crate::codegen::ir::{Api, Operation, TypeRef, ALL_FEATURE};

/// `src/lib.rs`.
pub fn emit_lib(api: &Api, crate_name: &str, has_extensions: bool) -> TokenStream {
    let mut doc = paragraphs([
        Some(format!("# {}", api.title).as_str()),
        api.description.as_deref(),
        Some(
            format!(
                "A client for version `{}` of the API, generated from its OpenAPI description. \
                 Operations are grouped by tag: `client.<tag>().<operation>(…)` returns a request \
                 that is sent when awaited. Each operation fails with [`Error`], around an enum of \
                 the error answers the spec documents for it.",
                api.version
            )
            .as_str(),
        ),
    ]);
    if api.groups.len() > 1 {
        doc.push_str(&format!(
            "\n\n# Features\n\nEach tag is a cargo feature named after its module (such as `{}`); `{ALL_FEATURE}`, on by default, turns on every tag. With `default-features = false` and the tags you use, only their operations and the types they need are compiled.",
            api.groups[0].feature
        ));
    }
    // The spec's prose is sanitised; the example is ours and must stay a doctest.
    let mut lines = doc_lines(&doc);
    if let Some(example) = example(api, crate_name) {
        lines.extend(["".to_owned(), "# Example".to_owned(), "".to_owned()]);
        lines.extend(example.lines().map(str::to_owned));
    }
    let attrs = lines.into_iter().map(|line| {
        let line = if line.is_empty() {
            line
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    let extensions = has_extensions.then(|| {
        quote!(
            pub mod extensions;
        )
    });
    let base_path = &api.server_base_path;
    let server_base_path = quote::format_ident!("{}", contract::root::SERVER_BASE_PATH);
    let version = &api.version;
    quote! {
        #(#attrs)*
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        pub mod apis;
        #extensions
        pub mod models;
        mod runtime;

        pub use self::runtime::*;
        pub use ::chrono;
        pub use ::http;
        pub use ::reqwest;

        /// The path of the API on its server, from the spec's server URL; the client appends it to the tenant URL.
        pub const #server_base_path: &str = #base_path;

        /// The version of the API description this crate was generated from.
        pub const API_VERSION: &str = #version;
    }
}

/// A `no_run` example of one call: the first GET whose arguments are all
/// text, else the first operation of the kind.
fn example(api: &Api, crate_name: &str) -> Option<String> {
    let callable = |operation: &&Operation| {
        operation
            .params
            .iter()
            .filter(|param| param.is_argument())
            .all(|param| param.ty == TypeRef::String)
    };
    let (group, operation) = api
        .groups
        .iter()
        .flat_map(|group| group.operations.iter().map(move |op| (group, op)))
        .filter(|(_, operation)| callable(operation))
        .min_by_key(|(_, operation)| operation.method)?;
    let crate_ident = crate_name.replace('-', "_");
    let arguments: Vec<String> = operation
        .params
        .iter()
        .filter(|param| param.is_argument())
        .map(|param| format!("{:?}", param.example.as_deref().unwrap_or(&param.wire_name)))
        .collect();
    Some(format!(
        "```no_run\n\
         # async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = {crate_ident}::Client::new(\"https://acme.api.identitynow.com\", \"<access token>\")?;\n\
         let answer = client\n    .{}()\n    .{}({})\n    .await?;\n\
         println!(\"{{answer:?}}\");\n\
         # Ok(())\n\
         # }}\n\
         ```",
        group.module,
        operation.fn_name,
        arguments.join(", ")
    ))
}

/// `src/extensions/mod.rs`, declaring the extensions there are, each
/// compiled with its tag.
pub fn emit_extensions_mod(api: &Api, extensions: &[(&str, &str)]) -> TokenStream {
    let declarations = extensions.iter().map(|(module, feature)| {
        let gate = super::common::feature_gate(api, &[(*feature).to_owned()].into_iter().collect());
        let module = crate::codegen::names::ident(module);
        quote! {
            #gate
            pub mod #module;
        }
    });
    quote! {
        //! Hand-written helpers on top of the generated operations.
        #(#declarations)*
    }
}
