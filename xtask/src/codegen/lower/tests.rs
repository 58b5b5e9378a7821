//! Lowering, one construct at a time: a spec snippet in, the IR (and the
//! warnings) out, in memory.

use super::super::ir::{
    Api, BodyKind, Operation, Param, ParamDefault, ParamLocation, PathPart, SuccessStatus,
    TrackingId, TypeDef, TypeKind, TypeRef,
};
use super::super::testing::{document, lower_yaml, returning, try_lower};
use super::super::warnings::WarningKind;

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

fn def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .get(name)
        .unwrap_or_else(|| panic!("no type {name} in {:?}", api.types.keys()))
}

/// `(wire name, type, required, nullable)` of each field of a struct.
fn fields(api: &Api, name: &str) -> Vec<(String, TypeRef, bool, bool)> {
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

fn field(wire: &str, ty: TypeRef, required: bool, nullable: bool) -> (String, TypeRef, bool, bool) {
    (wire.to_owned(), ty, required, nullable)
}

fn only_operation(api: &Api) -> &Operation {
    let operations: Vec<&Operation> = api
        .groups
        .iter()
        .flat_map(|group| &group.operations)
        .collect();
    assert_eq!(operations.len(), 1);
    operations[0]
}

fn kinds(warnings: &[super::Warning]) -> Vec<WarningKind> {
    warnings.iter().map(|warning| warning.kind).collect()
}

#[test]
fn all_of_merges_members_and_their_required_lists() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Account'}"),
        "Base:
  type: object
  required: [id]
  properties:
    id: {type: string}
    name: {type: string}
Account:
  allOf:
    - $ref: '#/components/schemas/Base'
    - type: object
      properties:
        name: {type: integer}
        owner:
          type: object
          properties:
            id: {type: string}
    - required: [name]
    - type: string
",
    ));
    assert_eq!(
        fields(&api, "Account"),
        [
            field("id", TypeRef::String, true, false),
            field("name", TypeRef::I64, true, false),
            field("owner", named("AccountOwner"), false, false),
        ]
    );
    assert_eq!(kinds(&warnings), [WarningKind::AllOfNonObject]);
    assert!(warnings[0]
        .location
        .to_string()
        .ends_with("#/components/schemas/Account/allOf/3"));
}

#[test]
fn a_single_all_of_member_is_that_type_under_the_wrapper_s_name_and_docs() {
    let (api, _) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Wrapped'}"),
        "Wrapped:
  description: The wrapper's words.
  nullable: true
  allOf:
    - type: object
      properties:
        id: {type: string}
",
    ));
    assert_eq!(
        def(&api, "Wrapped").description.as_deref(),
        Some("The wrapper's words.")
    );
    assert_eq!(
        fields(&api, "Wrapped"),
        [field("id", TypeRef::String, false, false)]
    );
    assert_eq!(api.types.len(), 1);
}

#[test]
fn one_of_with_a_discriminator_maps_tags_to_variants() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Pet'}"),
        "Pet:
  oneOf:
    - $ref: '#/components/schemas/Cat'
    - $ref: '#/components/schemas/Dog'
    - type: object
      properties:
        kind: {type: string}
  discriminator:
    propertyName: kind
    mapping:
      cat: '#/components/schemas/Cat'
      kitten: '#/components/schemas/Cat'
Cat: {type: object, properties: {kind: {type: string}}}
Dog: {type: object, properties: {kind: {type: string}}}
",
    ));
    let TypeKind::Union {
        variants,
        discriminator,
        fallback,
    } = &def(&api, "Pet").kind
    else {
        panic!("Pet is not a union");
    };
    assert_eq!(discriminator.as_deref(), Some("kind"));
    assert_eq!(fallback, "Unknown");
    let summary: Vec<(&str, &TypeRef, Vec<&str>)> = variants
        .iter()
        .map(|variant| {
            (
                variant.ident.as_str(),
                &variant.ty,
                variant.tags.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Cat", &named("Cat"), vec!["cat", "kitten"]),
            ("Dog", &named("Dog"), vec!["Dog"]),
            ("PetVariant3", &named("PetVariant3"), vec![]),
        ]
    );
    assert_eq!(kinds(&warnings), [WarningKind::UnionVariantWithoutTag]);
}

#[test]
fn any_of_without_a_discriminator_names_variants_after_their_types() {
    let (api, _) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Value'}"),
        "Value:
  anyOf:
    - type: string
    - type: array
      items: {type: integer, format: int32}
    - type: string
      format: date-time
    - type: string
    - nullable: true
",
    ));
    let TypeKind::Union { variants, .. } = &def(&api, "Value").kind else {
        panic!("Value is not a union");
    };
    let idents: Vec<&str> = variants
        .iter()
        .map(|variant| variant.ident.as_str())
        .collect();
    assert_eq!(idents, ["Text", "IntegerList", "DateTime", "Text2"]);
}

#[test]
fn enum_values_keep_their_spelling_and_colliding_names_are_numbered() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Status'}"),
        "Status:\n  type: string\n  enum: [in-progress, IN_PROGRESS, Unknown, Unknown, null]\n",
    ));
    let TypeKind::Enum { variants, fallback } = &def(&api, "Status").kind else {
        panic!("Status is not an enum");
    };
    let pairs: Vec<(&str, &str)> = variants
        .iter()
        .map(|variant| (variant.ident.as_str(), variant.value.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("InProgress", "in-progress"),
            ("InProgress2", "IN_PROGRESS"),
            ("Unknown", "Unknown")
        ]
    );
    assert_eq!(fallback, "UnknownValue");
    assert_eq!(kinds(&warnings), [WarningKind::EnumVariantCollision]);
}

#[test]
fn inline_schemas_are_named_after_where_they_are_and_yield_to_components() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Account'}"),
        "Account:
  type: object
  properties:
    owner:
      type: object
      properties:
        id: {type: string}
    status:
      type: string
      enum: [ON, OFF]
AccountOwner:
  type: object
  properties:
    name: {type: string}
",
    ));
    assert_eq!(
        fields(&api, "Account"),
        [
            field("owner", named("AccountOwnerValue"), false, false),
            field("status", named("AccountStatus"), false, false),
        ]
    );
    assert!(api.types.contains_key("AccountOwner"));
    assert_eq!(kinds(&warnings), [WarningKind::TypeNameCollision]);
}

#[test]
fn component_keys_that_make_one_type_name_are_an_error_at_each() {
    let errors = try_lower(&document(
        &returning("{type: string}"),
        "user-id: {type: string}\nUserId: {type: string}\n",
    ))
    .unwrap_err()
    .to_string();
    assert!(
        errors.contains("#/components/schemas/user-id: schemas"),
        "{errors}"
    );
    assert!(
        errors.contains("#/components/schemas/UserId: schemas"),
        "{errors}"
    );
    assert!(
        errors.contains("all become the Rust type `UserId`"),
        "{errors}"
    );
}

/// The one operation of a snippet with these parameters (YAML list items).
fn with_parameters(template: &str, parameters: &str) -> (Api, Vec<super::Warning>) {
    let parameters: String = parameters
        .lines()
        .map(|line| format!("      {line}\n"))
        .collect();
    lower_yaml(&document(
        &format!(
            "{template}:\n  get:\n    operationId: getThing\n    parameters:\n{parameters}    responses:\n      '204': {{description: Done.}}\n"
        ),
        "Kind: {type: string, enum: [a, b]}\n",
    ))
}

fn param_summary(operation: &Operation) -> Vec<(&str, &str, ParamLocation, &TypeRef, bool)> {
    operation
        .params
        .iter()
        .map(|param: &Param| {
            (
                param.wire_name.as_str(),
                param.ident.as_str(),
                param.location,
                &param.ty,
                param.is_argument(),
            )
        })
        .collect()
}

#[test]
fn parameters_come_path_first_then_by_place_and_name() {
    let (api, warnings) = with_parameters(
        "/a/{b}/c/{a}",
        "- {in: query, name: z, schema: {type: boolean}}
- {in: header, name: X-Id, required: true, schema: {type: string}}
- {in: path, name: a, required: true, schema: {type: integer}}
- {in: query, name: kind, schema: {$ref: '#/components/schemas/Kind'}}
- {in: path, name: b, required: true, schema: {type: string}}
- {in: header, name: Accept, schema: {type: string}}
- {in: cookie, name: session, schema: {type: string}}",
    );
    let operation = only_operation(&api);
    assert_eq!(
        param_summary(operation),
        [
            ("b", "b", ParamLocation::Path, &TypeRef::String, true),
            ("a", "a", ParamLocation::Path, &TypeRef::I64, true),
            ("kind", "kind", ParamLocation::Query, &named("Kind"), false),
            ("z", "z", ParamLocation::Query, &TypeRef::Bool, false),
            (
                "X-Id",
                "x_id",
                ParamLocation::Header,
                &TypeRef::String,
                true
            ),
        ]
    );
    assert_eq!(
        operation.path,
        [
            PathPart::Literal("/a/".to_owned()),
            PathPart::Param(0),
            PathPart::Literal("/c/".to_owned()),
            PathPart::Param(1),
        ]
    );
    assert_eq!(kinds(&warnings), [WarningKind::CookieParameterSkipped]);
}

#[test]
fn a_path_parameter_named_unlike_the_template_is_bound_to_it() {
    let (api, warnings) = with_parameters(
        "/sources/{sourceId}",
        "- {in: path, name: id, required: true, schema: {type: string}}",
    );
    let operation = only_operation(&api);
    assert_eq!(
        param_summary(operation),
        [(
            "sourceId",
            "source_id",
            ParamLocation::Path,
            &TypeRef::String,
            true
        )]
    );
    assert_eq!(kinds(&warnings), [WarningKind::PathParameterRenamed]);
}

#[test]
fn unbound_template_variables_become_text_arguments_and_strays_are_dropped() {
    let (api, warnings) = with_parameters(
        "/{a}/{b}",
        "- {in: path, name: x, required: true, schema: {type: string}}
- {in: path, name: y, required: true, schema: {type: string}}",
    );
    let operation = only_operation(&api);
    let idents: Vec<&str> = operation
        .params
        .iter()
        .map(|param| param.ident.as_str())
        .collect();
    assert_eq!(idents, ["a", "b"]);
    let mut found = kinds(&warnings);
    found.sort();
    assert_eq!(
        found,
        [
            WarningKind::PathParameterUnused,
            WarningKind::PathParameterUnused,
            WarningKind::PathParameterMissing,
            WarningKind::PathParameterMissing,
        ]
    );
}

#[test]
fn a_broken_path_template_is_an_error_at_the_operation() {
    let errors = try_lower(&document(
        "/a/{b:\n  get:\n    operationId: broken\n    responses:\n      '204': {description: Done.}\n",
        "Unused: {type: string}\n",
    ))
    .unwrap_err()
    .to_string();
    assert!(
        errors.contains("#/paths/~1a~1{b/get: path template `/a/{b` has an unclosed `{`"),
        "{errors}"
    );
}

#[test]
fn defaults_make_parameters_optional_and_odd_ones_are_reported() {
    let (api, warnings) = with_parameters(
        "/things",
        "- {in: query, name: limit, required: true, schema: {type: integer, default: 250}}
- {in: query, name: count, schema: {type: boolean, default: 'false'}}
- {in: query, name: filter, schema: {type: object}}
- {in: query, name: ids, schema: {type: array, items: {type: string}}}
- {in: query, name: both, explode: false, schema: {type: array, items: {type: string}}}
- {in: query, name: json, content: {application/json: {schema: {type: object}}}}
- {in: query, name: sorters, schema: {type: array, items: {type: string}, default: [created asc]}}
- {in: query, name: offset, required: true, schema: {type: integer, default: abc}}",
    );
    let operation = only_operation(&api);
    let by_name = |name: &str| {
        operation
            .params
            .iter()
            .find(|param| param.wire_name == name)
            .unwrap()
    };
    let text = |text: &str| Some(ParamDefault::Text(text.to_owned()));
    assert_eq!(by_name("limit").default, text("250"));
    assert!(!by_name("limit").is_argument());
    assert_eq!(by_name("count").default, text("false"));
    assert_eq!(
        by_name("sorters").default,
        Some(ParamDefault::List(vec!["created asc".to_owned()]))
    );
    assert_eq!(by_name("offset").default, None);
    assert!(
        by_name("offset").is_argument(),
        "a required parameter without default"
    );
    assert_eq!(by_name("filter").ty, TypeRef::String);
    assert!(by_name("ids").explode);
    assert!(!by_name("both").explode);
    assert!(operation
        .params
        .iter()
        .all(|param| param.wire_name != "json"));
    let mut found = kinds(&warnings);
    found.sort();
    assert_eq!(
        found,
        [
            WarningKind::ParameterContentSkipped,
            WarningKind::ParameterTypeAsString,
            WarningKind::DefaultTypeMismatch,
            WarningKind::DefaultDropped,
        ]
    );
}

/// The one operation of a snippet with these responses (YAML, under
/// `responses:`).
fn with_responses(responses: &str) -> (Api, Vec<super::Warning>) {
    let responses: String = responses
        .lines()
        .map(|line| format!("      {line}\n"))
        .collect();
    lower_yaml(&document(
        &format!("/thing:\n  get:\n    operationId: getThing\n    responses:\n{responses}"),
        "Error:\n  type: object\n  required: [trackingId]\n  properties:\n    trackingId: {type: string}\n",
    ))
}

#[test]
fn the_first_2xx_is_the_success_and_errors_keep_their_tracking_id() {
    let (api, warnings) = with_responses(
        "'202':
  description: Accepted.
  content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}
'200':
  description: OK.
  content: {application/json: {schema: {type: string}}}
'404':
  description: Not found.
  content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
'429':
  description: Slow down.
4XX:
  description: Any other client error.
default:
  description: Anything else.",
    );
    let operation = only_operation(&api);
    assert_eq!(operation.success.status, SuccessStatus::Documented(200));
    assert_eq!(operation.success.body, Some(TypeRef::String));
    let errors: Vec<(u16, &str, &TrackingId)> = operation
        .errors
        .iter()
        .map(|case| (case.status, case.variant.as_str(), &case.tracking_id))
        .collect();
    assert_eq!(
        errors,
        [
            (
                404,
                "NotFound",
                &TrackingId::Required("tracking_id".to_owned())
            ),
            (429, "TooManyRequests", &TrackingId::Absent),
        ]
    );
    let mut found = kinds(&warnings);
    found.sort();
    assert_eq!(
        found,
        [
            WarningKind::StatusRangeSkipped,
            WarningKind::DefaultResponseSkipped,
            WarningKind::SeveralSuccessBodies,
        ]
    );
    assert!(api.types.contains_key("GetThingResponse"));
}

#[test]
fn without_a_2xx_any_2xx_is_a_success_and_other_media_are_bytes() {
    let (api, warnings) = with_responses(
        "'400':\n  description: Bad.\n  content: {text/csv: {schema: {type: string}}}",
    );
    let operation = only_operation(&api);
    assert_eq!(operation.success.status, SuccessStatus::Any2xx);
    assert_eq!(operation.errors[0].body, Some(TypeRef::Bytes));
    assert_eq!(kinds(&warnings), [WarningKind::NoSuccessResponse]);
}

#[test]
fn request_bodies_are_sent_as_their_media_type_says() {
    let body = |content: &str| {
        let (api, _) = lower_yaml(&document(
            &format!("/thing:\n  post:\n    operationId: postThing\n    requestBody:\n      required: true\n      content:\n{content}    responses:\n      '204': {{description: Done.}}\n"),
            "Unused: {type: string}\n",
        ));
        only_operation(&api).body.clone().unwrap()
    };
    let json = body("        application/xml: {schema: {type: string}}\n        application/json-patch+json: {schema: {type: array, items: {type: object}}}\n");
    assert_eq!(json.content_type, "application/json-patch+json");
    assert_eq!(
        json.kind,
        BodyKind::Json(TypeRef::Vec(Box::new(TypeRef::Object)))
    );
    let form = body("        application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: string}}}}\n");
    assert_eq!(form.kind, BodyKind::Form(named("PostThingRequest")));
    let multipart = body("        multipart/form-data: {schema: {type: object, properties: {file: {type: string, description: The file.}}}}\n");
    assert_eq!(
        multipart.kind,
        BodyKind::Multipart(vec![("file".to_owned(), Some("The file.".to_owned()))])
    );
    let binary =
        body("        application/octet-stream: {schema: {type: string, format: binary}}\n");
    assert_eq!(binary.kind, BodyKind::Binary);
    assert!(binary.required);
}

#[test]
fn operations_without_an_id_or_tag_are_named_and_grouped_anyway() {
    let (api, warnings) = lower_yaml(&document(
        "/das/owners/{ownerId}/resources:\n  get:\n    parameters:\n      - {in: path, name: ownerId, required: true, schema: {type: string}}\n    responses:\n      '204': {description: Done.}\n",
        "Unused: {type: string}\n",
    ));
    assert_eq!(api.groups[0].tag, "Default");
    assert_eq!(api.groups[0].feature, "tag_default");
    let operation = only_operation(&api);
    assert_eq!(operation.operation_id, "getDasOwnersByOwnerIdResources");
    assert_eq!(operation.fn_name, "get_das_owners_by_owner_id_resources");
    assert_eq!(kinds(&warnings), [WarningKind::OperationIdDerived]);
}

#[test]
fn the_server_path_comes_from_the_first_url_with_variables_filled() {
    let yaml = document(&returning("{type: string}"), "Unused: {type: string}\n").replace(
        "servers:\n  - url: https://example.com/v1\n",
        "servers:\n  - url: https://{tenant}.example.com/{version}/\n    variables:\n      tenant: {default: acme}\n      version: {default: beta}\n",
    );
    let (api, _) = lower_yaml(&yaml);
    assert_eq!(api.server_base_path, "/beta");
}

#[test]
fn a_property_named_ref_is_a_property_not_a_reference() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/JsonSchema'}"),
        "JsonSchema:
  type: object
  required: [$ref]
  properties:
    $ref: {type: string, description: Where the schema is.}
    properties:
      type: object
      additionalProperties:
        $ref: '#/components/schemas/JsonSchema'
",
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        fields(&api, "JsonSchema"),
        [
            field("$ref", TypeRef::String, true, false),
            field(
                "properties",
                TypeRef::Map(Box::new(named("JsonSchema"))),
                false,
                false
            ),
        ]
    );
    let TypeKind::Struct { fields } = &def(&api, "JsonSchema").kind else {
        unreachable!("checked above");
    };
    assert_eq!(fields[0].ident, "ref");
}

#[test]
fn a_schema_ref_to_nothing_is_any_json_value_with_a_warning_where_it_is() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Thing'}"),
        "Thing:
  type: object
  properties:
    shape:
      $ref: '#/components/schemas/oas_any_type_not_mapped'
    id: {type: string}
",
    ));
    assert_eq!(
        fields(&api, "Thing"),
        [
            field("shape", TypeRef::Any, false, false),
            field("id", TypeRef::String, false, false),
        ]
    );
    assert_eq!(kinds(&warnings), [WarningKind::UnresolvedSchemaRef]);
    let warning = warnings[0].to_string();
    assert!(
        warning.contains("api.yaml#/components/schemas/Thing/properties/shape: `$ref: #/components/schemas/oas_any_type_not_mapped`"),
        "{warning}"
    );
}

#[test]
fn a_ref_to_nothing_outside_a_schema_is_still_an_error() {
    let errors = try_lower(&document(
        "/thing:\n  get:\n    operationId: getThing\n    responses:\n      '200':\n        $ref: '#/components/responses/Nope'\n",
        "Unused: {type: string}\n",
    ))
    .unwrap_err()
    .to_string();
    assert!(
        errors.contains("has nothing at `#/components/responses/Nope`"),
        "{errors}"
    );
}

#[test]
fn ref_keys_in_examples_defaults_enums_and_extensions_are_data() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Doc'}"),
        "Doc:
  type: object
  x-vendor: {$ref: 'https://example.com/not/read'}
  example: {$ref: '#/nowhere'}
  properties:
    link:
      type: object
      default: {$ref: 42}
      example: {$ref: '#/nowhere'}
      properties:
        href: {type: string}
    kind:
      type: string
      enum: [$ref, plain]
",
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        fields(&api, "Doc"),
        [
            field("link", named("DocLink"), false, false),
            field("kind", named("DocKind"), false, false),
        ]
    );
    let TypeKind::Enum { variants, .. } = &def(&api, "DocKind").kind else {
        panic!("DocKind is not an enum");
    };
    assert_eq!(variants[0].value, "$ref");
}
