//! Binding an extension's needs to what was generated: each operation,
//! type, constant and accessor it names is found in the IR, and checked to
//! have the shape the extension relies on. What is missing is said where
//! the needs file asks for it.

use std::collections::BTreeMap;

use super::super::diag::Diagnostic;
use super::super::emit::common::type_text;
use super::super::emit::std_names::Spelling;
use super::super::ir::{Api, Field, Group, Operation, Param, TypeKind, TypeRef};
use super::super::names::{pascal, snake};
use super::needs::{NeedsFile, TypeNeed, ValueType};
use super::{Accessed, Binding, BoundAccessor, BoundConstant, BoundOperation, BoundType};

/// Binds `needs` to `api`; the diagnostics say what the spec lacks.
/// `None` when the spec has none of the extension's operations: it is a
/// spec of another API, for which the extension is not meant.
pub fn bind(
    api: &Api,
    extension: &str,
    needs: &NeedsFile,
) -> Result<Option<Binding>, Vec<Diagnostic>> {
    let has_any = needs
        .needs
        .operations
        .values()
        .any(|need| !find_operations(api, &need.method, &need.path).is_empty());
    if !has_any {
        return Ok(None);
    }
    let mut missing = Vec::new();
    let mut operations = Vec::new();
    let mut group_of_operations: Option<&Group> = None;
    for (name, need) in &needs.needs.operations {
        let at = || needs.locate(name);
        let found = find_operations(api, &need.method, &need.path);
        let (group, operation) = match found.as_slice() {
            [one] => *one,
            [] => {
                missing.push(Diagnostic::new(
                    at(),
                    format!(
                        "`{name}`: the spec has no {} operation on a path like `{}` (version segments and variable names aside)",
                        need.method.to_uppercase(),
                        need.path
                    ),
                ));
                continue;
            }
            several => {
                let ids: Vec<String> = several
                    .iter()
                    .map(|(_, operation)| format!("`{}`", operation.operation_id))
                    .collect();
                missing.push(Diagnostic::new(
                    at(),
                    format!(
                        "`{name}`: {} operations match {} `{}`: {}; the path must tell one",
                        several.len(),
                        need.method.to_uppercase(),
                        need.path,
                        ids.join(", ")
                    ),
                ));
                continue;
            }
        };
        if let Err(message) = check_arguments(operation, &need.arguments) {
            missing.push(Diagnostic::new(
                at(),
                format!(
                    "`{name}` (operation `{}`): {message}",
                    operation.operation_id
                ),
            ));
            continue;
        }
        match group_of_operations {
            Some(first) if first.module != group.module => {
                missing.push(Diagnostic::new(
                    at(),
                    format!(
                        "`{name}` (operation `{}`) is in the tag `{}`, the others in `{}`: an extension's operations share one tag",
                        operation.operation_id, group.tag, first.tag
                    ),
                ));
                continue;
            }
            _ => group_of_operations = Some(group),
        }
        operations.push(BoundOperation {
            name: name.clone(),
            alias_stem: pascal(name),
            group_module: group.module.clone(),
            operation: operation.clone(),
        });
    }
    let Some(group) = group_of_operations else {
        if missing.is_empty() {
            missing.push(Diagnostic::new(
                needs.locate("operations"),
                "an extension needs at least one operation: its methods go on that operation's tag",
            ));
        }
        return Err(missing);
    };
    let types = bind_types(api, needs, &operations, &mut missing);
    let constants = bind_constants(api, needs, &types, &mut missing);
    let accessors = bind_accessors(api, needs, &types, &mut missing);
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(Some(Binding {
        extension: extension.to_owned(),
        group_module: group.module.clone(),
        group_type: group.type_name.clone(),
        group_tag: group.tag.clone(),
        feature: group.feature.clone(),
        operation_names: group
            .operations
            .iter()
            .map(|operation| operation.fn_name.clone())
            .collect(),
        operations,
        types: types.into_values().collect(),
        constants,
        accessors,
    }))
}

/// A path with its version segments (`v1`, `v2025`) left out and its
/// variables unnamed: `/sources/v1/{sourceId}/classify` → `/sources/{}/classify`.
fn path_shape(path: &str) -> String {
    path.split('/')
        .filter(|segment| !is_version(segment))
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn is_version(segment: &str) -> bool {
    segment
        .strip_prefix('v')
        .is_some_and(|number| !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
}

fn find_operations<'a>(api: &'a Api, method: &str, path: &str) -> Vec<(&'a Group, &'a Operation)> {
    let shape = path_shape(path);
    api.groups
        .iter()
        .flat_map(|group| {
            group
                .operations
                .iter()
                .map(move |operation| (group, operation))
        })
        .filter(|(_, operation)| {
            operation.method.as_str().eq_ignore_ascii_case(method)
                && path_shape(&operation.path_template) == shape
        })
        .collect()
}

fn value_type_ref(value: ValueType) -> TypeRef {
    match value {
        ValueType::String => TypeRef::String,
        ValueType::I32 => TypeRef::I32,
        ValueType::I64 => TypeRef::I64,
        ValueType::Bool => TypeRef::Bool,
    }
}

/// The operation's required arguments are the declared ones, in order.
fn check_arguments(
    operation: &Operation,
    declared: &indexmap::IndexMap<String, ValueType>,
) -> Result<(), String> {
    if operation.body.as_ref().is_some_and(|body| body.required) {
        return Err("it takes a request body, which a needs file cannot declare".to_owned());
    }
    let arguments: Vec<&Param> = operation
        .params
        .iter()
        .filter(|p| p.is_argument())
        .collect();
    let actual: Vec<(String, &TypeRef)> = arguments
        .iter()
        .map(|param| (param.ident.clone(), &param.ty))
        .collect();
    let wanted: Vec<(String, TypeRef)> = declared
        .iter()
        .map(|(name, value)| (name.clone(), value_type_ref(*value)))
        .collect();
    let same = actual.len() == wanted.len()
        && actual
            .iter()
            .zip(&wanted)
            .all(|((name, ty), (wanted_name, wanted_ty))| name == wanted_name && *ty == wanted_ty);
    if same {
        return Ok(());
    }
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "none".to_owned()
        } else {
            items.join(", ")
        }
    };
    Err(format!(
        "its required arguments are {}, not {}",
        list(
            actual
                .iter()
                .map(|(name, ty)| format!("`{name}: {}`", type_text(Spelling::Full, ty)))
                .collect()
        ),
        list(
            wanted
                .iter()
                .map(|(name, ty)| format!("`{name}: {}`", type_text(Spelling::Full, ty)))
                .collect()
        )
    ))
}

/// The aliases, each bound to a type of the API, resolved in the order
/// they depend on each other.
fn bind_types(
    api: &Api,
    needs: &NeedsFile,
    operations: &[BoundOperation],
    missing: &mut Vec<Diagnostic>,
) -> BTreeMap<String, BoundType> {
    let mut bound: BTreeMap<String, BoundType> = BTreeMap::new();
    let mut failed: Vec<&String> = Vec::new();
    // Each pass binds the aliases whose owner is decided; a pass that
    // decides nothing ends it (what is left depends on itself).
    loop {
        let mut progressed = false;
        for (alias, need) in &needs.needs.types {
            if bound.contains_key(alias) || failed.contains(&alias) {
                continue;
            }
            match bind_type(api, needs, operations, &bound, &failed, alias, need) {
                Step::Waiting => continue,
                Step::Bound(found) => {
                    bound.insert(alias.clone(), found);
                }
                Step::Missing(message) => {
                    missing.push(Diagnostic::new(needs.locate(alias), message));
                    failed.push(alias);
                }
                Step::OwnerMissing => failed.push(alias),
            }
            progressed = true;
        }
        if !progressed {
            break;
        }
    }
    for alias in needs.needs.types.keys() {
        if !bound.contains_key(alias) && !failed.contains(&alias) {
            missing.push(Diagnostic::new(
                needs.locate(alias),
                format!("`{alias}` depends on itself through `type_of`"),
            ));
        }
    }
    bound
}

/// One alias, as far as it can be bound yet.
enum Step {
    Bound(BoundType),
    /// The spec lacks it: why.
    Missing(String),
    /// What it is the type of is missing, which is said already.
    OwnerMissing,
    /// What it is the type of is not bound yet.
    Waiting,
}

fn bind_type(
    api: &Api,
    needs: &NeedsFile,
    operations: &[BoundOperation],
    bound: &BTreeMap<String, BoundType>,
    failed: &[&String],
    alias: &str,
    need: &TypeNeed,
) -> Step {
    let (target, origin) = if let Some(operation) = &need.answer_of {
        let Some(found) = operations.iter().find(|bound| &bound.name == operation) else {
            return Step::OwnerMissing;
        };
        let id = &found.operation.operation_id;
        match &found.operation.success.body {
            Some(TypeRef::Named(name)) => (name.clone(), format!("The answer of `{id}`.")),
            Some(other) => {
                return Step::Missing(format!(
                    "`{alias}`: `{id}` answers {}, not a type of its own",
                    type_text(Spelling::Full, other)
                ))
            }
            None => return Step::Missing(format!("`{alias}`: `{id}` answers without a body")),
        }
    } else if let Some(field) = &need.type_of {
        let Ok((owner, wire)) = needs.field_owner(field) else {
            // Refused when the needs file was read.
            return Step::OwnerMissing;
        };
        let Some(owner_type) = bound.get(owner) else {
            return if failed.iter().any(|failed| failed.as_str() == owner) {
                Step::OwnerMissing
            } else {
                Step::Waiting
            };
        };
        let owner_name = &owner_type.target;
        match struct_field(api, owner_name, wire) {
            Ok(Field {
                ty: TypeRef::Named(name),
                ..
            }) => (name.clone(), format!("The type of `{owner_name}.{wire}`.")),
            Ok(field) => {
                return Step::Missing(format!(
                    "`{alias}`: the field `{wire}` of `{owner_name}` is {}, not a type of its own",
                    type_text(Spelling::Full, &field.ty)
                ))
            }
            Err(message) => return Step::Missing(format!("`{alias}`: {message}")),
        }
    } else {
        // Refused when the needs file was read.
        return Step::OwnerMissing;
    };
    Step::Bound(BoundType {
        alias: alias.to_owned(),
        target,
        origin,
    })
}

/// The field `wire` of the struct `type_name`.
fn struct_field<'a>(api: &'a Api, type_name: &str, wire: &str) -> Result<&'a Field, String> {
    match api.types.get(type_name).map(|def| &def.kind) {
        Some(TypeKind::Struct { fields }) => fields
            .iter()
            .find(|field| field.wire_name == wire)
            .ok_or_else(|| {
                let names: Vec<String> = fields
                    .iter()
                    .map(|field| format!("`{}`", field.wire_name))
                    .collect();
                format!(
                    "`{type_name}` has no field `{wire}` (it has {})",
                    names.join(", ")
                )
            }),
        Some(_) => Err(format!(
            "`{type_name}` is not a struct, so it has no field `{wire}`"
        )),
        None => Err(format!("the spec has no type `{type_name}`")),
    }
}

/// A constant per wire value of each string enum alias.
fn bind_constants(
    api: &Api,
    needs: &NeedsFile,
    types: &BTreeMap<String, BoundType>,
    missing: &mut Vec<Diagnostic>,
) -> Vec<BoundConstant> {
    let mut constants: Vec<BoundConstant> = Vec::new();
    for (alias, need) in &needs.needs.types {
        let Some(bound) = types.get(alias) else {
            continue;
        };
        if need.values.is_empty() {
            continue;
        }
        let at = || needs.locate(alias);
        let Some(TypeKind::Enum { variants, .. }) =
            api.types.get(&bound.target).map(|def| &def.kind)
        else {
            missing.push(Diagnostic::new(
                at(),
                format!(
                    "`{alias}` (`{}`) is not a string enum, so it has no values",
                    bound.target
                ),
            ));
            continue;
        };
        for value in &need.values {
            let Some(variant) = variants.iter().find(|variant| &variant.value == value) else {
                let known: Vec<String> = variants
                    .iter()
                    .map(|variant| format!("`{}`", variant.value))
                    .collect();
                missing.push(Diagnostic::new(
                    at(),
                    format!(
                        "`{alias}` (`{}`) has no value `{value}` (it has {})",
                        bound.target,
                        known.join(", ")
                    ),
                ));
                continue;
            };
            let name = snake(value).to_uppercase();
            if let Some(other) = constants.iter().find(|constant| constant.name == name) {
                missing.push(Diagnostic::new(
                    at(),
                    format!(
                        "the constant `{name}` of `{alias}` is also one of `{}`",
                        other.alias
                    ),
                ));
                continue;
            }
            constants.push(BoundConstant {
                name,
                alias: alias.clone(),
                variant: variant.ident.clone(),
                value: value.clone(),
            });
        }
    }
    constants
}

/// A reading function per accessor, its field's type checked.
fn bind_accessors(
    api: &Api,
    needs: &NeedsFile,
    types: &BTreeMap<String, BoundType>,
    missing: &mut Vec<Diagnostic>,
) -> Vec<BoundAccessor> {
    let mut accessors = Vec::new();
    for (name, need) in &needs.needs.accessors {
        let at = || needs.locate(name);
        let Ok((owner, wire)) = needs.field_owner(&need.field) else {
            continue;
        };
        let Some(owner_type) = types.get(owner) else {
            // Its owner could not be bound, which is said already.
            continue;
        };
        let field = match struct_field(api, &owner_type.target, wire) {
            Ok(field) => field,
            Err(message) => {
                missing.push(Diagnostic::new(at(), format!("`{name}`: {message}")));
                continue;
            }
        };
        let (value, wanted) = match ValueType::named(&need.ty) {
            Some(scalar) => (
                Accessed::Scalar(value_type_ref(scalar)),
                value_type_ref(scalar),
            ),
            None => match types.get(&need.ty) {
                Some(alias) => (
                    Accessed::Alias(need.ty.clone()),
                    TypeRef::Named(alias.target.clone()),
                ),
                None => continue,
            },
        };
        if field.ty != wanted {
            missing.push(Diagnostic::new(
                at(),
                format!(
                    "`{name}`: the field `{wire}` of `{}` is {}, not {}",
                    owner_type.target,
                    type_text(Spelling::Full, &field.ty),
                    need.ty
                ),
            ));
            continue;
        }
        accessors.push(BoundAccessor {
            name: name.clone(),
            owner_alias: owner.to_owned(),
            field_ident: field.ident.clone(),
            wire: wire.to_owned(),
            value,
            required: field.required,
            nullable: field.nullable,
            boxed: field.boxed,
        });
    }
    accessors
}
