//! Off-spec details read as their authors meant (`quirks.rs`), from a
//! snippet to the IR, each with its warning.

use super::super::super::ir::{ParamLocation, SuccessStatus, TypeRef};
use super::super::super::testing::{document, lower_yaml, returning};
use super::super::super::warnings::WarningKind;
use super::{field, fields, kinds, named, only_operation};

#[test]
fn required_true_on_a_property_makes_it_required_in_its_object() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/User'}"),
        "User:\n  type: object\n  required: [id]\n  properties:\n    id: {type: string}\n    email: {type: string, required: true}\n    nickname: {type: string, required: false}\n    tags:\n      type: array\n      required: true\n      items: {type: string, required: true}\n",
    ));
    assert_eq!(
        fields(&api, "User"),
        [
            field("id", TypeRef::String, true, false),
            field("email", TypeRef::String, true, false),
            field("nickname", TypeRef::String, false, false),
            field("tags", TypeRef::Vec(Box::new(TypeRef::String)), true, false),
        ]
    );
    assert_eq!(kinds(&warnings), [WarningKind::SchemaRequiredFlag; 4]);
    let dropped = warnings
        .iter()
        .find(|warning| {
            warning
                .location
                .to_string()
                .ends_with("/tags/items/required")
        })
        .expect("a warning at the items' flag");
    assert!(
        dropped.message.contains("not a property: dropped"),
        "{}",
        dropped.message
    );
}

#[test]
fn a_parameter_required_as_text_and_a_header_in_form_style_are_read_as_meant() {
    let (api, warnings) = lower_yaml(&document(
        "/search:\n  get:\n    operationId: search\n    parameters:\n      - {name: q, in: query, required: 'TRUE', schema: {type: string}}\n      - {name: page, in: query, required: 'no', schema: {type: integer}}\n      - {name: X-Trace, in: header, style: form, schema: {type: string}}\n    responses:\n      '204': {description: Done.}\n",
        "Unused: {type: string}",
    ));
    let params: Vec<(&str, ParamLocation, bool)> = only_operation(&api)
        .params
        .iter()
        .map(|param| (param.wire_name.as_str(), param.location, param.required))
        .collect();
    assert_eq!(
        params,
        [
            ("page", ParamLocation::Query, false),
            ("q", ParamLocation::Query, true),
            ("X-Trace", ParamLocation::Header, false),
        ]
    );
    let mut found = kinds(&warnings);
    found.sort();
    assert_eq!(
        found,
        [
            WarningKind::HeaderStyleNotSimple,
            WarningKind::ParameterRequiredNotBoolean,
            WarningKind::ParameterRequiredNotBoolean,
        ]
    );
}

#[test]
fn an_operation_without_responses_documents_none() {
    let (api, warnings) = lower_yaml(&document(
        "/events:\n  post:\n    operationId: sendEvent\n",
        "Unused: {type: string}",
    ));
    let operation = only_operation(&api);
    assert_eq!(operation.success.status, SuccessStatus::Any2xx);
    assert_eq!(operation.success.body, None);
    assert!(operation.errors.is_empty());
    assert_eq!(
        kinds(&warnings),
        [
            WarningKind::OperationWithoutResponses,
            WarningKind::NoSuccessResponse
        ]
    );
}

#[test]
fn a_document_without_paths_has_its_types_and_no_operations() {
    let (api, warnings) = lower_yaml(
        "openapi: 3.0.1\ninfo: {title: Types, version: '1'}\ncomponents:\n  schemas:\n    Money:\n      type: object\n      properties:\n        amount: {type: string}\n",
    );
    assert!(api.groups.iter().all(|group| group.operations.is_empty()));
    assert_eq!(
        fields(&api, "Money"),
        [field("amount", TypeRef::String, false, false)]
    );
    assert_eq!(kinds(&warnings), [WarningKind::DocumentWithoutPaths]);
}

#[test]
fn a_null_ref_is_dropped_and_the_node_read_without_it() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: null, type: array, items: {$ref: '#/components/schemas/Note'}}"),
        "Note:\n  type: object\n  properties:\n    text: {$ref: null}\n",
    ));
    assert_eq!(
        only_operation(&api).success.body,
        Some(TypeRef::Vec(Box::new(named("Note"))))
    );
    assert_eq!(
        fields(&api, "Note"),
        [field("text", TypeRef::Any, false, false)]
    );
    assert_eq!(kinds(&warnings), [WarningKind::NullRef; 2]);
}

#[test]
fn server_variables_written_as_numbers_are_their_text() {
    let (api, warnings) = lower_yaml(
        "openapi: 3.0.1\ninfo: {title: Ports, version: '1'}\nservers:\n  - url: 'https://api.example.com:{port}/v1'\n    variables:\n      port: {default: 443, enum: [443, 8443, true]}\npaths: {}\n",
    );
    assert_eq!(api.server_base_path, "/v1");
    assert_eq!(kinds(&warnings), [WarningKind::ServerVariableNotText; 2]);
    assert!(
        warnings[1].message.contains(r#""443", "8443", "true""#),
        "{}",
        warnings[1].message
    );
}

#[test]
fn an_integer_bound_beyond_64_bits_is_dropped_and_the_schema_stays_an_integer() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Counter'}"),
        "Counter:\n  type: object\n  properties:\n    value: {type: integer, format: int64, minimum: 0, maximum: 18446744073709552000}\n    ratio: {type: integer, maximum: 2.5}\n",
    ));
    assert_eq!(
        fields(&api, "Counter"),
        [
            field("value", TypeRef::I64, false, false),
            field("ratio", TypeRef::I64, false, false)
        ]
    );
    assert_eq!(kinds(&warnings), [WarningKind::IntegerBoundNotInteger; 2]);
}
