//! Operations: grouped by tag, named, with their request bodies.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, StatusCode};

use super::super::contract::{self, avoiding};
use super::super::diag::push_pointer;
use super::super::ir::{BodyKind, Group, Method, Operation, RequestBody, TypeRef, ALL_FEATURE};
use super::super::names::{pascal, snake, unique};
use super::super::warnings::WarningKind;
use super::schema::{description_of, SchemaRef};
use super::Lowering;

/// The tag of operations that have none.
const UNTAGGED: &str = "Default";

impl<'a> Lowering<'a> {
    pub(super) fn lower_operations(&mut self) -> Vec<Group> {
        let mut by_tag: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
        for (path, item) in &self.openapi.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            let path_pointer = push_pointer("/paths", path);
            for (method, operation) in item.iter() {
                let pointer = push_pointer(&path_pointer, method);
                let tag = operation
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| UNTAGGED.to_owned());
                if let Some(lowered) = self.operation(path, method, item, operation, &pointer) {
                    by_tag.entry(tag).or_default().push(lowered);
                }
            }
        }
        let modules = self.tag_modules(by_tag.keys());
        let mut groups: Vec<Group> = by_tag
            .into_iter()
            .zip(modules)
            .map(|((tag, mut operations), (module, numbered))| {
                operations.sort_by(|a, b| a.fn_name.cmp(&b.fn_name));
                let description = self
                    .openapi
                    .tags
                    .iter()
                    .find(|known| known.name == tag)
                    .and_then(|known| known.description.clone());
                // The tag's type; a numbered module's is numbered too.
                let type_name = if numbered {
                    pascal(&module)
                } else {
                    pascal(&tag)
                };
                // Request builders live beside the tag's type.
                for operation in &mut operations {
                    if operation.builder_name == type_name {
                        operation.builder_name.push_str("Request");
                    }
                }
                let feature = if module == ALL_FEATURE || module == "default" {
                    format!("tag_{module}")
                } else {
                    module.clone()
                };
                Group {
                    feature,
                    module,
                    type_name,
                    tag,
                    description,
                    operations,
                }
            })
            .collect();
        groups.sort_by(|a, b| a.module.cmp(&b.module));
        groups
    }

    /// The module of each tag, in the order given (sorted): its name in
    /// snake case, which also names the client's accessor of the tag. Tags
    /// that make one module (`Repo`, `repo`) are each a module: the first
    /// keeps it, the others are numbered (`repo_2`, and `true`), with a
    /// warning.
    fn tag_modules<'t>(&mut self, tags: impl Iterator<Item = &'t String>) -> Vec<(String, bool)> {
        let tags: Vec<&String> = tags.collect();
        let wanted: Vec<String> = tags
            .iter()
            .map(|tag| avoiding(snake(tag), contract::CLIENT_METHODS, "tag"))
            .collect();
        let mut taken: BTreeSet<String> = wanted.iter().cloned().collect();
        let mut first_of: BTreeMap<&str, &str> = BTreeMap::new();
        let mut modules = Vec::with_capacity(tags.len());
        for (tag, module) in tags.into_iter().zip(&wanted) {
            let Some(keeper) = first_of.get(module.as_str()) else {
                first_of.insert(module, tag);
                modules.push((module.clone(), false));
                continue;
            };
            let numbered = unique(module, "_", |candidate| taken.contains(candidate));
            taken.insert(numbered.clone());
            let declared = self
                .openapi
                .tags
                .iter()
                .position(|known| known.name == *tag);
            let pointer =
                declared.map_or_else(|| "/paths".to_owned(), |index| format!("/tags/{index}"));
            self.warn(
                WarningKind::TagNameCollision,
                &pointer,
                format!(
                    "tags `{keeper}` and `{tag}` make one module `{module}`; `{keeper}` keeps it, this one is `{numbered}`"
                ),
            );
            modules.push((numbered, true));
        }
        modules
    }

    pub(super) fn operation(
        &mut self,
        path: &str,
        method: &str,
        item: &'a openapiv3::PathItem,
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Option<Operation> {
        let operation_id = match operation.operation_id.clone().filter(|id| !id.is_empty()) {
            Some(id) => id,
            None => {
                let derived = derived_operation_id(method, path);
                self.warn(
                    WarningKind::OperationIdDerived,
                    pointer,
                    format!(
                        "{} {path} has no operationId; named `{derived}` after its method and path",
                        method.to_uppercase()
                    ),
                );
                derived
            }
        };
        let type_stem = pascal(&operation_id);
        let method = match method {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            _ => Method::Trace,
        };
        let declared = self.parameters(&operation_id, item, operation, pointer);
        let (path_parts, params) = self.bind_path(&operation_id, path, declared, pointer)?;
        let (success, errors) = self.responses(&operation_id, &type_stem, operation, pointer);
        let mut body = operation.request_body.as_ref().and_then(|body| {
            self.request_body(&type_stem, body, &push_pointer(pointer, "requestBody"))
        });
        if let Some(body) = &mut body {
            let taken = |name: &str| params.iter().any(|param| param.ident == name);
            if taken(&body.ident) {
                body.ident = unique("request_body", "_", taken);
            }
        }
        let accept = accepted_media_types(operation);
        let paging = self.paging(&params, body.as_ref(), success.body.as_ref());
        Some(Operation {
            fn_name: avoiding(snake(&operation_id), contract::tag::MEMBERS, "operation"),
            builder_name: type_stem.clone(),
            error_name: format!("{type_stem}Error"),
            operation_id,
            method,
            path_template: path.to_owned(),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            path: path_parts,
            params,
            body,
            success,
            accept,
            errors,
            paging,
        })
    }

    pub(super) fn request_body(
        &mut self,
        type_stem: &str,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
    ) -> Option<RequestBody> {
        let ReferenceOr::Item(body) = body else {
            self.error(pointer, "a request body `$ref` was left unresolved");
            return None;
        };
        let chosen = body
            .content
            .iter()
            .find(|(media_type, _)| is_json(media_type))
            .or_else(|| {
                body.content
                    .iter()
                    .find(|(media_type, _)| media_type.starts_with("multipart/form-data"))
            })
            .or_else(|| body.content.first());
        let Some((media_type, media)) = chosen else {
            self.warn(
                WarningKind::RequestBodyEmpty,
                pointer,
                "the request body has no content; nothing is sent",
            );
            return None;
        };
        let schema_pointer = push_pointer(
            &push_pointer(&push_pointer(pointer, "content"), media_type),
            "schema",
        );
        let name = format!("{type_stem}Request");
        let typed = |this: &mut Self| match &media.schema {
            Some(schema) => {
                this.type_of(SchemaRef::from(schema), &name, &schema_pointer)
                    .ty
            }
            None => TypeRef::Any,
        };
        let kind = if is_json(media_type) {
            BodyKind::Json(typed(self))
        } else if media_type.starts_with("application/x-www-form-urlencoded") {
            BodyKind::Form(typed(self))
        } else if media_type.starts_with("multipart/form-data") {
            let parts = match &media.schema {
                Some(schema) => self
                    .object_parts(SchemaRef::from(schema), &schema_pointer)
                    .map(|(properties, _)| {
                        properties
                            .iter()
                            .map(|property| {
                                let description = property.schema.inline().and_then(description_of);
                                (property.wire_name.to_owned(), description)
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            BodyKind::Multipart(parts)
        } else {
            BodyKind::Binary
        };
        Some(RequestBody {
            ident: "body".to_owned(),
            kind,
            content_type: media_type.clone(),
            required: body.required,
            description: body.description.clone(),
        })
    }
}

/// `GET /das/owners/{ownerId}/resources` → `getDasOwnersByOwnerIdResources`.
pub(super) fn derived_operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_owned();
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        match segment
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Some(variable) => {
                id.push_str("By");
                id.push_str(&pascal(variable));
            }
            None => id.push_str(&pascal(segment)),
        }
    }
    id
}

/// The media types of an operation's success answers, for `Accept`.
pub(super) fn accepted_media_types(operation: &openapiv3::Operation) -> String {
    let mut types: Vec<&str> = operation
        .responses
        .responses
        .iter()
        .filter(|(code, _)| matches!(code, StatusCode::Code(status) if (200..300).contains(status)))
        .filter_map(|(_, response)| match response {
            ReferenceOr::Item(response) => Some(response.content.keys().map(String::as_str)),
            ReferenceOr::Reference { .. } => None,
        })
        .flatten()
        .collect();
    types.sort_unstable();
    types.dedup();
    if types.is_empty() || types.contains(&"application/json") {
        "application/json".to_owned()
    } else {
        types.join(", ")
    }
}

pub(super) fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}
