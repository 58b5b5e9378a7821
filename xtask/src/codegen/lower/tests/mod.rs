//! Lowering, one construct at a time: a spec snippet in, the IR (and the
//! warnings) out, in memory. Helpers here; tests by what they lower.

mod naming;
mod operations;
mod quirks;
mod references;
mod schemas;

use super::super::diag::Warning;
use super::super::ir::{Api, Operation, TypeDef, TypeKind, TypeRef};
use super::super::warnings::WarningKind;

pub(super) fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

pub(super) fn def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .get(name)
        .unwrap_or_else(|| panic!("no type {name} in {:?}", api.types.keys()))
}

/// `(wire name, type, required, nullable)` of each field of a struct.
pub(super) fn fields(api: &Api, name: &str) -> Vec<(String, TypeRef, bool, bool)> {
    match &def(api, name).kind {
        TypeKind::Struct { fields } => fields
            .iter()
            .map(|field| {
                (
                    field.wire_name.clone(),
                    field.ty.clone(),
                    field.required,
                    field.nullable,
                )
            })
            .collect(),
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

pub(super) fn field(
    wire: &str,
    ty: TypeRef,
    required: bool,
    nullable: bool,
) -> (String, TypeRef, bool, bool) {
    (wire.to_owned(), ty, required, nullable)
}

pub(super) fn only_operation(api: &Api) -> &Operation {
    let operations: Vec<&Operation> = api
        .groups
        .iter()
        .flat_map(|group| &group.operations)
        .collect();
    assert_eq!(operations.len(), 1);
    operations[0]
}

pub(super) fn kinds(warnings: &[Warning]) -> Vec<WarningKind> {
    warnings.iter().map(|warning| warning.kind).collect()
}
