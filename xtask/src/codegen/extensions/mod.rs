//! Extensions: hand-written modules (`templates/extensions/<name>.rs`) on
//! top of the generated code, that cannot break a build. Each states in a
//! needs file (`<name>.yaml`, see [`needs`]) what it uses of the spec; the
//! generator binds those needs to the names it generated ([`bind`]) and
//! emits them as the extension's `bindings` module, and the extension
//! names generated code only through that module ([`source`] checks it).
//! So the extension compiles over any spec that has what it needs, and a
//! spec that lacks something fails at codegen with a located message (or
//! leaves the extension out, with a warning, when it says so).

mod bind;
pub mod needs;
pub(super) mod source;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::PathBuf;

use self::needs::{NeedsFile, WhenMissing};
use super::diag::{Diagnostic, Errors, Location, Warning};
use super::ir::{Api, Operation, TypeRef};
use super::public_api::Item;
use super::warnings::WarningKind;

/// An extension as `templates/` holds it.
#[derive(Debug, Clone)]
pub struct ExtensionTemplate {
    /// The module name (the file stem).
    pub name: String,
    /// `templates/extensions/<name>.rs`.
    pub source_path: PathBuf,
    /// Its text, as written (without the generated header).
    pub source: String,
    pub needs: NeedsFile,
    /// Its code, read once; why it is not Rust otherwise (an error only
    /// once the extension binds to a spec).
    pub parsed: Result<source::ParsedSource, String>,
}

impl ExtensionTemplate {
    /// The extension `name`, its code parsed.
    pub fn new(name: String, source_path: PathBuf, source: String, needs: NeedsFile) -> Self {
        let parsed = source::parse(&name, &source);
        Self {
            name,
            source_path,
            source,
            needs,
            parsed,
        }
    }
}

/// An extension bound to a spec: its binding, and its template.
#[derive(Debug, Clone)]
pub struct Bound<'t> {
    pub binding: Binding,
    pub template: &'t ExtensionTemplate,
    /// The public items of the extension's code.
    pub public_items: BTreeSet<Item>,
}

/// An extension's needs, bound to the generated names: what its
/// `bindings` module defines.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The extension's module.
    pub extension: String,
    /// The tag its operations are in: module, type, name and feature.
    pub group_module: String,
    pub group_type: String,
    pub group_tag: String,
    pub feature: String,
    /// The method names of that tag's type, which the extension's own
    /// methods on it must not take.
    pub operation_names: Vec<String>,
    pub operations: Vec<BoundOperation>,
    /// Sorted by alias.
    pub types: Vec<BoundType>,
    pub constants: Vec<BoundConstant>,
    pub accessors: Vec<BoundAccessor>,
}

/// An operation: a function, and aliases of its request and error types.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundOperation {
    /// The function's name, from the needs file.
    pub name: String,
    /// Pascal case of the name, before `Request` and `Error`.
    pub alias_stem: String,
    pub group_module: String,
    pub operation: Operation,
}

/// A type alias of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundType {
    pub alias: String,
    /// The type of [`Api::types`] it stands for.
    pub target: String,
    /// What it is, for its docs.
    pub origin: String,
}

/// A constant of a string enum alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundConstant {
    pub name: String,
    pub alias: String,
    pub variant: String,
    /// The wire value.
    pub value: String,
}

/// A function reading a field as `Option<&T>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundAccessor {
    pub name: String,
    pub owner_alias: String,
    pub field_ident: String,
    pub wire: String,
    pub value: Accessed,
    pub required: bool,
    pub nullable: bool,
    pub boxed: bool,
}

/// The `T` an accessor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accessed {
    /// An alias of the bindings.
    Alias(String),
    /// A scalar.
    Scalar(TypeRef),
}

impl Binding {
    /// Every name the bindings module defines, with the entry of the
    /// needs file it comes from.
    pub fn defined_names(&self) -> Vec<(String, String)> {
        let mut names = vec![(
            super::contract::bindings::TAG.to_owned(),
            "operations".to_owned(),
        )];
        for operation in &self.operations {
            for defined in [
                operation.name.clone(),
                operation.request_alias(),
                operation.error_alias(),
            ] {
                names.push((defined, operation.name.clone()));
            }
        }
        names.extend(
            self.types
                .iter()
                .map(|bound| (bound.alias.clone(), bound.alias.clone())),
        );
        names.extend(
            self.constants
                .iter()
                .map(|constant| (constant.name.clone(), constant.alias.clone())),
        );
        names.extend(
            self.accessors
                .iter()
                .map(|accessor| (accessor.name.clone(), accessor.name.clone())),
        );
        names
    }
}

impl BoundOperation {
    pub fn request_alias(&self) -> String {
        format!(
            "{}{}",
            self.alias_stem,
            super::contract::bindings::REQUEST_SUFFIX
        )
    }

    pub fn error_alias(&self) -> String {
        format!(
            "{}{}",
            self.alias_stem,
            super::contract::bindings::ERROR_SUFFIX
        )
    }
}

/// Where the source file of the extension `name` is in the crate.
pub fn crate_path(name: &str) -> String {
    format!("src/extensions/{name}.rs")
}

/// The extensions bound for `api`, and the warnings of those left out.
/// An extension is for the specs that have at least one of its operations
/// (it is left out of others, which describe another API). Over such a
/// spec, needs the spec lacks are an error, unless the needs file says
/// `when_missing: skip`; an extension whose code names generated code
/// other than through its bindings is always an error.
pub fn bind_all<'t>(
    api: &Api,
    templates: &'t [ExtensionTemplate],
) -> Result<(Vec<Bound<'t>>, Vec<Warning>), Errors> {
    let mut bound = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for template in templates {
        match bind::bind(api, &template.name, &template.needs) {
            Ok(None) => {}
            Ok(Some(binding)) => {
                let problems = source::check(template, &binding);
                match &template.parsed {
                    Ok(parsed) if problems.is_empty() => bound.push(Bound {
                        binding,
                        template,
                        public_items: parsed.public_items.clone(),
                    }),
                    _ => errors.extend(problems),
                }
            }
            Err(missing) => match template.needs.needs.when_missing {
                WhenMissing::Error => errors.extend(missing.into_iter().map(|diagnostic| {
                    Diagnostic::new(
                        diagnostic.location,
                        format!(
                            "the extension `{}` needs what the spec lacks: {}",
                            template.name, diagnostic.message
                        ),
                    )
                })),
                WhenMissing::Skip => {
                    warnings.extend(missing.into_iter().map(|diagnostic| Warning {
                        kind: WarningKind::ExtensionSkipped,
                        location: diagnostic.location,
                        message: format!(
                            "the extension `{}` is left out: {}",
                            template.name, diagnostic.message
                        ),
                    }))
                }
            },
        }
    }
    if errors.is_empty() {
        Ok((bound, warnings))
    } else {
        Err(Errors(errors))
    }
}

/// Where a problem in an extension's source is: the first line that holds
/// `needle`, else the file.
fn locate_in_source(template: &ExtensionTemplate, needle: &str) -> Location {
    for (index, line) in template.source.lines().enumerate() {
        if let Some(column) = line.find(needle) {
            return Location::LineColumn {
                file: template.source_path.clone(),
                line: index + 1,
                column: column + 1,
            };
        }
    }
    Location::File(template.source_path.clone())
}
