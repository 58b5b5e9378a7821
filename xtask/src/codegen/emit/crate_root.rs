//! Emits the crate around the models and operations: `lib.rs`, and the
//! hand-written files of `templates/`, copied verbatim behind the header.

use quote::quote;

use super::common::{doc_lines, paragraphs};
use super::std_names::Spelling;
use super::{FileContext, RustFile};
use crate::codegen::contract;
use crate::codegen::ir::{Api, Operation, TypeRef, ALL_FEATURE};

/// `src/lib.rs`.
pub fn emit_lib(api: &Api, crate_ident: &str, has_extensions: bool) -> RustFile {
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
    // The spec's prose is sanitised; the guide is ours and its examples
    // must stay doctests.
    let mut lines = doc_lines(&doc);
    lines.push(String::new());
    lines.extend(guide(api, crate_ident).lines().map(str::to_owned));
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
    // Types that contain themselves through a long cycle: proving them
    // `Send` goes deeper than rustc's default limit.
    let recursion_limit = api.recursion_limit.map(|limit| {
        let limit = limit.to_string();
        quote!(#![recursion_limit = #limit])
    });
    let items = quote! {
        #(#attrs)*
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #recursion_limit

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
    };
    FileContext::new(Spelling::Full).finish("src/lib.rs", items, Vec::new())
}

/// The operation the front page's examples call: the first GET whose
/// arguments are all text (else the first operation of the kind), and its
/// arguments from the spec's examples.
fn example_call(api: &Api) -> Option<(String, String, Vec<String>)> {
    let callable = |operation: &&Operation| {
        operation
            .params
            .iter()
            .filter(|param| param.is_argument())
            .all(|param| param.ty == TypeRef::String)
            && operation.body.as_ref().is_none_or(|body| !body.required)
    };
    let (group, operation) = api
        .groups
        .iter()
        .flat_map(|group| group.operations.iter().map(move |op| (group, op)))
        .filter(|(_, operation)| callable(operation))
        .min_by_key(|(_, operation)| operation.method)?;
    let arguments = operation
        .params
        .iter()
        .filter(|param| param.is_argument())
        .map(|param| format!("{:?}", param.example.as_deref().unwrap_or(&param.wire_name)))
        .collect();
    Some((
        super::docs::rust(&group.module),
        super::docs::rust(&operation.fn_name),
        arguments,
    ))
}

/// The first collection, for the pagination example, with its call.
fn paged_call(api: &Api) -> Option<(String, String)> {
    api.groups
        .iter()
        .flat_map(|group| group.operations.iter().map(move |op| (group, op)))
        .find(|(_, operation)| {
            operation.paging.is_some()
                && !operation.params.iter().any(|param| param.is_argument())
                && operation.body.as_ref().is_none_or(|body| !body.required)
        })
        .map(|(group, operation)| {
            (
                super::docs::rust(&group.module),
                super::docs::rust(&operation.fn_name),
            )
        })
}

/// A `no_run` doctest around `body`, in an async function returning
/// `Result<(), Box<dyn Error>>`.
fn doctest(body: &str) -> String {
    format!(
        "```no_run\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n{}\n# Ok(())\n# }}\n```",
        body.trim_end()
    )
}

/// The front page's guide: getting started, authentication, errors,
/// retries, the rate budget and pagination, each with an example that
/// compiles against this crate.
fn guide(api: &Api, krate: &str) -> String {
    let mut sections = Vec::new();
    if let Some((module, function, arguments)) = example_call(api) {
        sections.push(format!(
            "# Getting started\n\nBuild a client (here from the environment, see below), pick a tag, call an operation and await it:\n\n{}",
            doctest(&format!(
                "let client = {krate}::Client::from_env()?;\nlet answer = client\n    .{module}()\n    .{function}({})\n    .await?;\nprintln!(\"{{answer:?}}\");",
                arguments.join(", ")
            ))
        ));
    }
    sections.push(format!(
        "# Authentication\n\n[`Client::from_env`] reads the variables SailPoint's SDKs and CLI use: `SAIL_BASE_URL` (the tenant URL), and `SAIL_CLIENT_ID` with `SAIL_CLIENT_SECRET` (client credentials, such as a personal access token's) or `SAIL_ACCESS_TOKEN` (a bearer token). The builder sets the same in code; client-credential tokens are fetched, cached and refreshed before they expire, once for any number of concurrent calls.\n\n{}",
        doctest(&format!(
            "let client = {krate}::Client::builder()\n    .tenant(\"acme\")\n    .client_credentials(\"client-id\", \"client-secret\")\n    .build()?;\n# let _ = client;"
        ))
    ));
    sections.push(format!(
        "# Errors\n\nEvery operation fails with [`Error`]: [`Error::Api`] for an error answer, with the operation's own enum of the answers its spec documents (each with its typed body), status, headers, raw body and `trackingId`; the other variants are transport failures, time limits, authentication and decoding. [`Error::status`], [`Error::retry_after`] and [`Error::tracking_id`] work on any of them.\n\n{}",
        doctest(&format!(
            "fn explain<E: {krate}::OperationError + std::fmt::Debug>(error: &{krate}::Error<E>) {{\n    match error {{\n        {krate}::Error::Api(answer) => {{\n            eprintln!(\"{{}}: {{:?}} (trackingId {{:?}})\", answer.status(), answer.error(), answer.tracking_id());\n        }}\n        other => eprintln!(\"{{other}}\"),\n    }}\n}}"
        ))
    ));
    sections.push(format!(
        "# Retries and time limits\n\n429 is retried for every method, waiting as `Retry-After` says; 500, 502, 503, 504 and timeouts are retried for idempotent methods, with exponential backoff and full jitter ([`RetryPolicy`]). Connect and request timeouts default to [`DEFAULT_CONNECT_TIMEOUT`] and [`DEFAULT_REQUEST_TIMEOUT`].\n\n{}",
        doctest(&format!(
            "use std::time::Duration;\n\nlet client = {krate}::Client::builder()\n    .tenant(\"acme\")\n    .access_token(\"<token>\")\n    .retry_policy({krate}::RetryPolicy::default().max_attempts(5))\n    .request_timeout(Duration::from_secs(30))\n    .build()?;\n# let _ = client;"
        ))
    ));
    sections.push(format!(
        "# Rate budget\n\nA client spaces its requests within a budget shared by its clones: SailPoint's 100 requests per 10 seconds unless set otherwise ([`RateBudget`]), so that concurrent work meets no 429s; `None` turns it off.\n\n{}",
        doctest(&format!(
            "use std::time::Duration;\n\nlet client = {krate}::Client::builder()\n    .tenant(\"acme\")\n    .access_token(\"<token>\")\n    .rate_budget({krate}::RateBudget::new(50, Duration::from_secs(10)))\n    .build()?;\n# let _ = client;"
        ))
    ));
    if let Some((module, function)) = paged_call(api) {
        sections.push(format!(
            "# Pagination\n\nA collection operation's request has `pages()` and `items()`, streams ([`Pages`], [`Items`]) that ask for the largest page the spec allows, keep the request's other settings and stop at the end (`max_items` caps them):\n\n{}",
            doctest(&format!(
                "let client = {krate}::Client::from_env()?;\nlet mut items = client.{module}().{function}().items();\nwhile let Some(item) = items.next_item().await {{\n    println!(\"{{:?}}\", item?);\n}}"
            ))
        ));
    }
    sections.join("\n\n")
}

/// `src/extensions/mod.rs`, declaring the extensions there are, each
/// compiled with its tag.
pub fn emit_extensions_mod(api: &Api, extensions: &[(&str, &str)]) -> RustFile {
    let declarations = extensions.iter().map(|(module, feature)| {
        let gate = super::common::feature_gate(api, &[(*feature).to_owned()].into_iter().collect());
        let module = crate::codegen::names::ident(module);
        quote! {
            #gate
            pub mod #module;
        }
    });
    let items = quote! {
        //! Hand-written helpers on top of the generated operations.
        #(#declarations)*
    };
    FileContext::new(Spelling::Full).finish("src/extensions/mod.rs", items, Vec::new())
}
