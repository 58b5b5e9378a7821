//! Emits the crate around the models and operations: `lib.rs`, and the
//! hand-written files of `templates/`, copied verbatim behind the header.

use std::collections::BTreeMap;
use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;

use super::contract;
use super::diag::{Diagnostic, Errors, Location};
use super::emit_common::{doc_lines, paragraphs};
use super::ir::{Api, Operation, TypeRef, ALL_FEATURE};
use super::HEADER;

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

/// The package name in the crate's `Cargo.toml` template.
pub fn crate_name(cargo_toml: &str, file: &Path) -> Result<String, Errors> {
    cargo_toml
        .lines()
        .find_map(|line| {
            let value = line.trim().strip_prefix("name")?.trim().strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .ok_or_else(|| Errors::one(Location::File(file.to_path_buf()), "no `name = \"…\"` line"))
}

/// Hand-written extensions of tag modules: `templates/extensions/<module>.rs`
/// for each module the API has, by module name.
pub fn extensions(dir: &Path, api: &Api) -> Result<BTreeMap<String, String>, Errors> {
    let mut found = BTreeMap::new();
    for group in &api.groups {
        let path = dir.join("extensions").join(format!("{}.rs", group.module));
        if path.exists() {
            let text = std::fs::read_to_string(&path).map_err(|error| {
                Errors::one(
                    Location::File(path.clone()),
                    format!("cannot read the template: {error}"),
                )
            })?;
            found.insert(
                group.module.clone(),
                format!(
                    "// {HEADER}\n// Edit templates/extensions/{}.rs.\n{text}",
                    group.module
                ),
            );
        }
    }
    Ok(found)
}

/// `src/extensions/mod.rs`, declaring the extensions there are, each
/// compiled with its tag.
pub fn emit_extensions_mod(api: &Api, modules: &[&String]) -> TokenStream {
    let declarations = modules.iter().map(|module| {
        let feature = api
            .groups
            .iter()
            .find(|group| group.module == **module)
            .map(|group| group.feature.clone());
        let gate = super::emit_common::feature_gate(api, &feature.into_iter().collect());
        let module = super::names::ident(module);
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

/// The manifest with a feature per tag when the crate has several tags,
/// and `all` for every tag, on by default. The template's `[features]`
/// table, if any, must come last: the tags' lines are appended to it.
pub fn with_tag_features(manifest: &str, api: &Api) -> String {
    if api.groups.len() < 2 {
        return manifest.to_owned();
    }
    let all_default = format!("default = [\"{ALL_FEATURE}\", ");
    let mut manifest = match manifest.find("\n[features]\n") {
        Some(_) if manifest.contains("\ndefault = [") => {
            manifest.replacen("\ndefault = [", &format!("\n{all_default}"), 1)
        }
        Some(_) => format!("{manifest}default = [\"{ALL_FEATURE}\"]\n"),
        None => format!("{manifest}\n[features]\ndefault = [\"{ALL_FEATURE}\"]\n"),
    };
    let quoted: Vec<String> = api
        .groups
        .iter()
        .map(|group| format!("\"{}\"", group.feature))
        .collect();
    manifest.push_str(&format!("{ALL_FEATURE} = [{}]\n", quoted.join(", ")));
    for group in &api.groups {
        manifest.push_str(&format!("{} = []\n", group.feature));
    }
    manifest
}

/// The template files, by their path in the generated crate, behind the
/// header in the comment syntax of each.
pub fn templates(dir: &Path) -> Result<BTreeMap<String, String>, Errors> {
    let mut files = BTreeMap::new();
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|error| {
            Errors::from(Diagnostic::new(
                Location::File(path.to_path_buf()),
                format!("cannot read the template: {error}"),
            ))
        })
    };
    for (template, target) in [
        ("Cargo.toml.in", "Cargo.toml"),
        ("README.md.in", "README.md"),
    ] {
        let path = dir.join(template);
        let text = read(&path)?;
        let header = if target.ends_with(".md") {
            format!("<!-- {HEADER} Edit templates/{template}. -->\n")
        } else {
            format!("# {HEADER}\n# Edit templates/{template}.\n")
        };
        files.insert(target.to_owned(), format!("{header}{text}"));
    }
    for (folder, target) in [("runtime", "src/runtime"), ("tests", "tests")] {
        if folder == "tests" && !dir.join(folder).exists() {
            continue;
        }
        let listed = super::fs::list_files(&dir.join(folder)).map_err(|error| {
            Errors::one(
                Location::File(dir.join(folder)),
                format!("cannot list templates: {error}"),
            )
        })?;
        for relative in listed.iter().filter(|path| path.ends_with(".rs")) {
            let text = read(&dir.join(folder).join(relative))?;
            files.insert(
                format!("{target}/{relative}"),
                format!("// {HEADER}\n// Edit templates/{folder}/{relative}.\n{text}"),
            );
        }
    }
    files.insert(
        "rustfmt.toml".to_owned(),
        format!(
            "# {HEADER}\n# prettyplease formats this crate; rustfmt would format it differently.\ndisable_all_formatting = true\n"
        ),
    );
    Ok(files)
}
