//! Responses: the success answer and the documented error answers of an
//! operation.

use openapiv3::{ReferenceOr, Response, StatusCode};

use super::super::diag::{push_pointer, unescape_pointer_segment, Location};
use super::super::ir::{
    resolve_aliases, ErrorCase, ErrorStatus, Success, SuccessStatus, TrackingId, TypeKind, TypeRef,
};
use super::super::names::{pascal, status_variant};
use super::super::warnings::WarningKind;
use super::operation::is_json;
use super::schema::SchemaRef;
use super::Lowering;

impl<'a> Lowering<'a> {
    pub(super) fn responses(
        &mut self,
        operation_id: &str,
        type_stem: &str,
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> (Success, Vec<ErrorCase>) {
        let responses_pointer = push_pointer(pointer, "responses");
        let mut successes: Vec<(u16, Option<TypeRef>, String)> = Vec::new();
        let mut errors = Vec::new();
        for (code, response) in &operation.responses.responses {
            let code_text = code.to_string();
            let response_pointer = push_pointer(&responses_pointer, &code_text);
            let StatusCode::Code(status) = *code else {
                self.warn(
                    WarningKind::StatusRangeSkipped,
                    &response_pointer,
                    format!("operation `{operation_id}`: status range {code_text} is not modelled; such answers are undocumented errors"),
                );
                continue;
            };
            let ReferenceOr::Item(response) = response else {
                self.error(&response_pointer, "a response `$ref` was left unresolved");
                continue;
            };
            let success = (200..300).contains(&status);
            let name = self.response_type_name(type_stem, status, success, &response_pointer);
            let body = self.response_body(response, &name, &response_pointer);
            if success {
                successes.push((status, body, response.description.clone()));
            } else {
                let variant = status_variant(status);
                errors.push(self.error_case(ErrorStatus::Code(status), variant, body, response));
            }
        }
        // `default`: every status not listed is this error; the success
        // too when it is the only response.
        let mut only_default = None;
        if let Some(response) = &operation.responses.default {
            let default_pointer = push_pointer(&responses_pointer, "default");
            match response {
                ReferenceOr::Item(response) => {
                    let name = format!("{type_stem}DefaultResponse");
                    let body = self.response_body(response, &name, &default_pointer);
                    if operation.responses.responses.is_empty() {
                        only_default = Some((body.clone(), response.description.clone()));
                    }
                    let variant = ["Other", "OtherStatus", "DefaultResponse"]
                        .into_iter()
                        .find(|candidate| errors.iter().all(|case| case.variant != *candidate))
                        .unwrap_or("DefaultAnswer");
                    let case =
                        self.error_case(ErrorStatus::Default, variant.to_owned(), body, response);
                    errors.push(case);
                }
                ReferenceOr::Reference { .. } => {
                    self.error(&default_pointer, "a response `$ref` was left unresolved");
                }
            }
        }
        successes.sort_by_key(|(status, _, _)| *status);
        errors.sort_by_key(|error| error.status);
        let success = match successes.first() {
            Some((status, body, description)) => {
                for (other, other_body, _) in &successes[1..] {
                    if other_body != body {
                        self.warn(
                            WarningKind::SeveralSuccessBodies,
                            &push_pointer(&responses_pointer, &other.to_string()),
                            format!("operation `{operation_id}`: only the {status} body is typed; a {other} answer is decoded as it"),
                        );
                    }
                }
                Success {
                    status: SuccessStatus::Documented(*status),
                    body: body.clone(),
                    description: description.clone(),
                }
            }
            None => match only_default {
                Some((body, description)) => Success {
                    status: SuccessStatus::Any2xx,
                    body,
                    description,
                },
                None => {
                    self.warn(
                        WarningKind::NoSuccessResponse,
                        &responses_pointer,
                        format!("operation `{operation_id}`: no 2xx response is documented; any 2xx is a success without body"),
                    );
                    Success {
                        status: SuccessStatus::Any2xx,
                        body: None,
                        description: String::new(),
                    }
                }
            },
        };
        (success, errors)
    }

    /// The error answer `status` documented by `response`, whose body is
    /// `body`: with where that body keeps its tracking id.
    fn error_case(
        &self,
        status: ErrorStatus,
        variant: String,
        body: Option<TypeRef>,
        response: &Response,
    ) -> ErrorCase {
        let tracking_id = body
            .as_ref()
            .map_or(TrackingId::Absent, |body| self.tracking_id(body));
        ErrorCase {
            status,
            variant,
            body,
            description: response.description.clone(),
            tracking_id,
        }
    }

    /// The name of an inline response body: after the reusable response it
    /// belongs to (`responses/401.yaml` → `UnauthorizedResponse`), else after
    /// the operation.
    pub(super) fn response_type_name(
        &self,
        type_stem: &str,
        status: u16,
        success: bool,
        pointer: &str,
    ) -> String {
        let reusable = match self.spec.locate(pointer) {
            Location::Pointer { file, pointer } if pointer.is_empty() => file
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned()),
            Location::Pointer { pointer, .. } => pointer
                .strip_prefix("/components/responses/")
                .filter(|name| !name.contains('/'))
                .map(unescape_pointer_segment),
            _ => None,
        };
        match reusable {
            Some(name) => {
                let base = match name.parse::<u16>() {
                    Ok(status) => status_variant(status),
                    Err(_) => pascal(&name),
                };
                if base.ends_with("Response") {
                    base
                } else {
                    format!("{base}Response")
                }
            }
            None if success => format!("{type_stem}Response"),
            None => format!("{type_stem}{}Response", status_variant(status)),
        }
    }

    pub(super) fn response_body(
        &mut self,
        response: &'a Response,
        name: &str,
        pointer: &str,
    ) -> Option<TypeRef> {
        if response.content.is_empty() {
            return None;
        }
        let json = response
            .content
            .iter()
            .find(|(media_type, _)| is_json(media_type));
        let Some((media_type, media)) = json else {
            // CSV, ZIP, images, PDF, XML, text: handed over as bytes.
            return Some(TypeRef::Bytes);
        };
        let schema = media.schema.as_ref()?;
        let schema_pointer = push_pointer(
            &push_pointer(&push_pointer(pointer, "content"), media_type),
            "schema",
        );
        let ty = self
            .type_of(SchemaRef::from(schema), name, &schema_pointer)
            .ty;
        if let Some(def) = self.types.get_mut(name) {
            if def.description.is_none() && !response.description.trim().is_empty() {
                def.description = Some(response.description.clone());
            }
        }
        Some(ty)
    }

    /// Where an error body keeps its `trackingId`, following aliases.
    pub(super) fn tracking_id(&self, body: &TypeRef) -> TrackingId {
        let TypeRef::Named(name) = resolve_aliases(&self.types, body) else {
            return TrackingId::Absent;
        };
        let Some(TypeKind::Struct { fields }) = self.types.get(name).map(|def| &def.kind) else {
            return TrackingId::Absent;
        };
        let field = fields
            .iter()
            .find(|field| field.wire_name == "trackingId" && field.ty == TypeRef::String);
        match field {
            Some(field) if field.required && !field.nullable => {
                TrackingId::Required(field.ident.clone())
            }
            Some(field) if field.required || !field.nullable => {
                TrackingId::Optional(field.ident.clone())
            }
            _ => TrackingId::Absent,
        }
    }
}
