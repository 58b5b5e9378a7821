//! Lower: the OpenAPI document to the IR. Every name is decided here (type
//! names through [`super::type_names`]), every list sorted, and every quirk of the
//! spec normalised with a warning that says where and what.
//!
//! One context, [`Lowering`], whose `impl` is split over files named for
//! what they lower, as `rustc_ast_lowering` does:
//!
//! | file | lowers |
//! | --- | --- |
//! | `schema.rs` | components, `$ref`s, scalars, objects, arrays, string enums |
//! | `compose.rs` | `allOf`, `oneOf`, `anyOf` |
//! | `naming.rs` | type and file names, asked of [`super::type_names`] |
//! | `operation.rs` | operations, tags, request bodies |
//! | `params.rs` | parameters and the binding of path templates |
//! | `paging.rs` | collections answered a page at a time |
//! | `responses.rs` | success and error answers |
//! | `security.rs` | security requirements, checked against the schemes |
//!
//! What follows on the finished IR (feature marking, recursion boxing) is
//! in [`super::ir::passes`].

mod compose;
mod defaults;
mod naming;
mod operation;
mod paging;
mod params;
mod responses;
mod schema;
mod security;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};

use super::diag::{Diagnostic, Errors, Warning};
use super::ir::{self, Api, TypeDef};
use super::load::Spec;
use super::type_names::TypeNames;
use super::warnings::WarningKind;

/// Lowers a validated document, and runs the IR passes over the result.
pub fn lower(spec: &Spec, openapi: &OpenAPI) -> Result<(Api, Vec<Warning>), Errors> {
    let mut lowering = Lowering {
        spec,
        openapi,
        component_names: BTreeMap::new(),
        names: TypeNames::default(),
        types: BTreeMap::new(),
        warnings: spec.warnings.clone(),
        errors: Vec::new(),
    };
    lowering.name_components();
    lowering.lower_components();
    let groups = lowering.lower_operations();
    lowering.check_security();
    if !lowering.errors.is_empty() {
        lowering.errors.sort();
        lowering.errors.dedup();
        return Err(Errors(lowering.errors));
    }
    lowering.warnings.sort();
    lowering.name_modules();
    let mut api = Api {
        title: openapi.info.title.clone(),
        description: openapi.info.description.clone(),
        version: openapi.info.version.clone(),
        server_base_path: server_base_path(openapi),
        reference_url: openapi
            .info
            .extensions
            .get("x-reference-url")
            .and_then(|value| value.as_str())
            .map(str::to_owned),
        types: lowering.types,
        groups,
        // Set by the passes, which see the whole API.
        recursion_limit: None,
    };
    ir::passes::run(&mut api);
    Ok((api, lowering.warnings))
}

/// The path of the first server URL, with its variables at their defaults.
fn server_base_path(openapi: &OpenAPI) -> String {
    let Some(server) = openapi.servers.first() else {
        return String::new();
    };
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let path = match after_scheme.find('/') {
        Some(start) if url.contains("://") => &after_scheme[start..],
        _ if url.starts_with('/') => url.as_str(),
        _ => "",
    };
    path.trim_end_matches('/').to_owned()
}

/// The state of one lowering: what is named and defined so far, and what
/// went wrong.
struct Lowering<'a> {
    spec: &'a Spec,
    openapi: &'a OpenAPI,
    /// Component key → Rust type name.
    component_names: BTreeMap<String, String>,
    /// The type names given out so far.
    names: TypeNames,
    types: BTreeMap<String, TypeDef>,
    warnings: Vec<Warning>,
    errors: Vec<Diagnostic>,
}

impl<'a> Lowering<'a> {
    fn components(&self) -> Option<&'a IndexMap<String, ReferenceOr<Schema>>> {
        self.openapi
            .components
            .as_ref()
            .map(|components| &components.schemas)
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors
            .push(Diagnostic::new(self.spec.locate(pointer), message));
    }

    fn warn(&mut self, kind: WarningKind, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            kind,
            location: self.spec.locate(pointer),
            message: message.into(),
        });
    }
}
