//! Parameters: their types, defaults and names, and the binding of the
//! path template's variables to path parameters.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type};

use super::super::contract;
use super::super::diag::push_pointer;
use super::super::ir::{Param, ParamLocation, PathPart, TypeKind, TypeRef};
use super::super::names::{pascal, snake, unique};
use super::super::warnings::WarningKind;
use super::defaults::{param_default, DefaultFit};
use super::schema::SchemaRef;
use super::Lowering;

impl<'a> Lowering<'a> {
    /// Parameters of the path item and the operation (the operation's win),
    /// with the pointer of each.
    pub(super) fn parameters(
        &mut self,
        operation_id: &str,
        item: &'a openapiv3::PathItem,
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Vec<(Param, String)> {
        let item_pointer = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
        let declared = item
            .parameters
            .iter()
            .enumerate()
            .map(|(index, p)| {
                (
                    p,
                    push_pointer(
                        &push_pointer(item_pointer, "parameters"),
                        &index.to_string(),
                    ),
                )
            })
            .chain(operation.parameters.iter().enumerate().map(|(index, p)| {
                (
                    p,
                    push_pointer(&push_pointer(pointer, "parameters"), &index.to_string()),
                )
            }));
        let mut by_key: BTreeMap<(ParamLocation, String), (Param, String)> = BTreeMap::new();
        for (parameter, param_pointer) in declared {
            let ReferenceOr::Item(parameter) = parameter else {
                self.error(&param_pointer, "a parameter `$ref` was left unresolved");
                continue;
            };
            let (location, data) = match parameter {
                Parameter::Path { parameter_data, .. } => (ParamLocation::Path, parameter_data),
                Parameter::Query { parameter_data, .. } => (ParamLocation::Query, parameter_data),
                Parameter::Header { parameter_data, .. } => (ParamLocation::Header, parameter_data),
                Parameter::Cookie { parameter_data, .. } => {
                    self.warn(
                        WarningKind::CookieParameterSkipped,
                        &param_pointer,
                        format!(
                            "operation `{operation_id}`: cookie parameter `{}` is not sent",
                            parameter_data.name
                        ),
                    );
                    continue;
                }
            };
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&data.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                self.warn(
                    WarningKind::ParameterContentSkipped,
                    &param_pointer,
                    format!("operation `{operation_id}`: parameter `{}` uses `content`, which is not supported; not sent", data.name),
                );
                continue;
            };
            let schema_pointer = push_pointer(&param_pointer, "schema");
            let shape = self.type_of(
                SchemaRef::from(schema),
                &format!("{}{}", pascal(operation_id), pascal(&data.name)),
                &schema_pointer,
            );
            let sendable = match &shape.ty {
                TypeRef::Vec(item) => self.is_text_param(item),
                other => self.is_text_param(other),
            };
            let ty = match shape.ty {
                ty if sendable => ty,
                _ => {
                    self.warn(
                        WarningKind::ParameterTypeAsString,
                        &schema_pointer,
                        format!("operation `{operation_id}`: parameter `{}` is not a scalar; passed as text", data.name),
                    );
                    TypeRef::String
                }
            };
            let default = match schema {
                ReferenceOr::Item(schema) => schema.schema_data.default.as_ref(),
                ReferenceOr::Reference { .. } => None,
            };
            let default = default.and_then(|value| {
                let default_pointer = push_pointer(&schema_pointer, "default");
                match param_default(&ty, value, &self.types) {
                    DefaultFit::Fits(default) => Some(default),
                    DefaultFit::Coerced(default) => {
                        self.warn(
                            WarningKind::DefaultTypeMismatch,
                            &default_pointer,
                            format!(
                                "operation `{operation_id}`: parameter `{}` has type {} but default {value}; sent as \"{default}\"",
                                data.name,
                                type_name(&ty),
                            ),
                        );
                        Some(default)
                    }
                    DefaultFit::Dropped => {
                        self.warn(
                            WarningKind::DefaultDropped,
                            &default_pointer,
                            format!(
                                "operation `{operation_id}`: parameter `{}` has type {} but default {value}, which is not one; the parameter has no default",
                                data.name,
                                type_name(&ty),
                            ),
                        );
                        None
                    }
                }
            });
            let explode = data.explode.unwrap_or(matches!(
                parameter,
                Parameter::Query {
                    style: openapiv3::QueryStyle::Form,
                    ..
                }
            ));
            let param = Param {
                explode,
                wire_name: data.name.clone(),
                ident: snake(&data.name),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                default,
                description: data.description.clone(),
                example: data.example.as_ref().map(|example| match example {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                }),
                maximum: match schema {
                    ReferenceOr::Item(Schema {
                        schema_kind: SchemaKind::Type(Type::Integer(integer)),
                        ..
                    }) => integer.maximum,
                    _ => None,
                },
            };
            by_key.insert((location, data.name.clone()), (param, param_pointer));
        }
        by_key.into_values().collect()
    }

    /// Whether a parameter of this type can be written as text: scalars,
    /// dates, and string enums (whose `Display` is the wire value).
    pub(super) fn is_text_param(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Bool
            | TypeRef::DateTime
            | TypeRef::Date => true,
            TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Enum { .. }) => true,
                Some(TypeKind::Alias(target)) => self.is_text_param(target),
                _ => false,
            },
            _ => false,
        }
    }

    /// Binds the template's variables to path parameters and orders the
    /// parameters: path ones in template order, then the others.
    pub(super) fn bind_path(
        &mut self,
        operation_id: &str,
        path: &str,
        mut params: Vec<(Param, String)>,
        pointer: &str,
    ) -> Option<(Vec<PathPart>, Vec<Param>)> {
        let mut segments = Vec::new();
        let mut variables = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                self.error(
                    pointer,
                    format!("path template `{path}` has an unclosed `{{`"),
                );
                return None;
            };
            if open > 0 {
                segments.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let variable = rest[open + 1..open + close].to_owned();
            if variable.is_empty() || variables.contains(&variable) {
                self.error(
                    pointer,
                    format!("operation `{operation_id}`: the path template `{path}` has an empty or repeated variable `{{{variable}}}`, which no argument can fill"),
                );
                return None;
            }
            // Path parameters come first in `Operation::params`, in
            // template order: the n-th variable is the n-th parameter.
            segments.push(PathPart::Param(variables.len()));
            variables.push(variable);
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathPart::Literal(rest.to_owned()));
        }
        let declared: Vec<usize> = (0..params.len())
            .filter(|&index| params[index].0.location == ParamLocation::Path)
            .collect();
        let mut bound: Vec<Option<usize>> = variables
            .iter()
            .map(|variable| {
                declared
                    .iter()
                    .copied()
                    .find(|&index| params[index].0.wire_name == *variable)
            })
            .collect();
        let unbound_variables: Vec<usize> = (0..variables.len())
            .filter(|&v| bound[v].is_none())
            .collect();
        let unused: Vec<usize> = declared
            .iter()
            .copied()
            .filter(|index| !bound.contains(&Some(*index)))
            .collect();
        match (&unbound_variables[..], &unused[..]) {
            ([], []) => {}
            ([variable], [index]) => {
                let (param, param_pointer) = &params[*index];
                let variable_name = &variables[*variable];
                let message = format!(
                    "operation `{operation_id}`: the path template `{path}` names `{{{variable_name}}}` but the declared path parameter is `{}`; bound `{}` to `{{{variable_name}}}` (Rust argument `{}`)",
                    param.wire_name,
                    param.wire_name,
                    snake(variable_name),
                );
                let param_pointer = param_pointer.clone();
                self.warn(WarningKind::PathParameterRenamed, &param_pointer, message);
                bound[*variable] = Some(*index);
            }
            _ => {
                for &index in &unused {
                    let (param, param_pointer) = &params[index];
                    let message = format!(
                        "operation `{operation_id}`: path parameter `{}` is not in the template `{path}`; it is not sent",
                        param.wire_name
                    );
                    let param_pointer = param_pointer.clone();
                    self.warn(WarningKind::PathParameterUnused, &param_pointer, message);
                }
                for &variable in &unbound_variables {
                    let name = &variables[variable];
                    let message = format!(
                        "operation `{operation_id}`: the path template variable `{{{name}}}` has no declared parameter; it becomes the required text argument `{}`",
                        snake(name)
                    );
                    self.warn(WarningKind::PathParameterMissing, pointer, message);
                    params.push((
                        Param {
                            explode: false,
                            wire_name: name.clone(),
                            ident: snake(name),
                            location: ParamLocation::Path,
                            ty: TypeRef::String,
                            required: true,
                            default: None,
                            description: None,
                            example: None,
                            maximum: None,
                        },
                        pointer.to_owned(),
                    ));
                    bound[variable] = Some(params.len() - 1);
                }
            }
        }
        let mut ordered: Vec<Param> = Vec::with_capacity(params.len());
        for (variable, index) in variables.iter().zip(&bound) {
            let index = index.expect("every variable was bound");
            let mut param = params[index].0.clone();
            param.wire_name.clone_from(variable);
            param.ident = snake(variable);
            ordered.push(param);
        }
        let mut others: Vec<Param> = params
            .drain(..)
            .filter(|(param, _)| param.location != ParamLocation::Path)
            .map(|(param, _)| param)
            .collect();
        others.sort_by(|a, b| (a.location, &a.wire_name).cmp(&(b.location, &b.wire_name)));
        ordered.extend(others);
        // The request builder's own field and methods are not free.
        let mut idents: BTreeSet<String> = contract::builder::MEMBERS
            .iter()
            .map(|member| (*member).to_owned())
            .collect();
        for param in &mut ordered {
            if idents.contains(&param.ident) {
                let suffix = match param.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                };
                let base = format!("{}_{suffix}", param.ident);
                param.ident = unique(&base, "_", |name| idents.contains(name));
            }
            idents.insert(param.ident.clone());
        }
        Some((segments, ordered))
    }
}

pub(super) fn type_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "string",
        TypeRef::I32 | TypeRef::I64 => "integer",
        TypeRef::F32 | TypeRef::F64 => "number",
        TypeRef::Bool => "boolean",
        TypeRef::Date | TypeRef::DateTime => "date",
        TypeRef::Vec(_) => "list",
        TypeRef::Named(_) => "enum",
        _ => "non-scalar",
    }
}
