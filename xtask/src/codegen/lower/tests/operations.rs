//! Operations: parameters, path binding, defaults, responses and bodies.

use super::super::super::diag::Warning;
use super::super::super::ir::{
    Api, BodyKind, ErrorStatus, Operation, Param, ParamDefault, ParamLocation, PathPart,
    SuccessStatus, TrackingId, TypeRef,
};
use super::super::super::testing::{document, lower_yaml, returning, try_lower};
use super::super::super::warnings::WarningKind;
use super::{kinds, named, only_operation};

fn with_parameters(template: &str, parameters: &str) -> (Api, Vec<Warning>) {
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
fn with_responses(responses: &str) -> (Api, Vec<Warning>) {
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
  description: Anything else.
  content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}",
    );
    let operation = only_operation(&api);
    assert_eq!(operation.success.status, SuccessStatus::Documented(200));
    assert_eq!(operation.success.body, Some(TypeRef::String));
    let errors: Vec<(ErrorStatus, &str, &TrackingId)> = operation
        .errors
        .iter()
        .map(|case| (case.status, case.variant.as_str(), &case.tracking_id))
        .collect();
    assert_eq!(
        errors,
        [
            (
                ErrorStatus::Code(404),
                "NotFound",
                &TrackingId::Required("tracking_id".to_owned())
            ),
            (
                ErrorStatus::Code(429),
                "TooManyRequests",
                &TrackingId::Absent
            ),
            (
                ErrorStatus::Default,
                "Other",
                &TrackingId::Required("tracking_id".to_owned())
            ),
        ]
    );
    assert_eq!(operation.errors[2].body, Some(named("Error")));
    let mut found = kinds(&warnings);
    found.sort();
    assert_eq!(
        found,
        [
            WarningKind::StatusRangeSkipped,
            WarningKind::SeveralSuccessBodies,
        ]
    );
    assert!(api.types.contains_key("GetThingResponse"));
}

#[test]
fn a_default_response_alone_is_the_success_of_any_2xx_and_every_error() {
    let (api, warnings) = with_responses(
        "default:
  description: The thing, or why not.
  content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}",
    );
    let operation = only_operation(&api);
    assert_eq!(operation.success.status, SuccessStatus::Any2xx);
    assert_eq!(operation.success.body, Some(named("Error")));
    assert_eq!(operation.success.description, "The thing, or why not.");
    let errors: Vec<(ErrorStatus, &str)> = operation
        .errors
        .iter()
        .map(|case| (case.status, case.variant.as_str()))
        .collect();
    assert_eq!(errors, [(ErrorStatus::Default, "Other")]);
    assert!(warnings.is_empty(), "{warnings:?}");
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
fn collections_page_by_offset_up_to_the_limit_the_spec_allows() {
    use super::super::super::ir::{OffsetPaging, Paging};
    let collection = |limit: &str, answer: &str| {
        document(
            &format!(
                "/things:
  get:
    operationId: listThings
    tags: [Things]
    parameters:
      - {{in: query, name: offset, schema: {{type: integer, format: int32}}}}
      - {{in: query, name: limit, schema: {limit}}}
      - {{in: query, name: count, schema: {{type: boolean}}}}
    responses:
      '200':
        description: The things.
        content:
          application/json:
            schema: {answer}
"
            ),
            "Things: {type: array, items: {type: string}}\n",
        )
    };
    let (api, _) = lower_yaml(&collection(
        "{type: integer, maximum: 50, default: 20}",
        "{type: array, items: {type: string}}",
    ));
    let operation = only_operation(&api);
    let index = |wire: &str| operation.params.iter().position(|p| p.wire_name == wire);
    assert_eq!(
        operation.paging,
        Some(Paging::Offset(OffsetPaging {
            offset: index("offset").unwrap(),
            limit: index("limit").unwrap(),
            count: index("count"),
            page_limit: 50,
            item: TypeRef::String,
        }))
    );
    // Through an alias of a list; the default when there is no maximum.
    let (api, _) = lower_yaml(&collection(
        "{type: integer, default: 20}",
        "{$ref: '#/components/schemas/Things'}",
    ));
    let Some(Paging::Offset(paging)) = &only_operation(&api).paging else {
        panic!("not a collection");
    };
    assert_eq!((paging.page_limit, &paging.item), (20, &TypeRef::String));
    // Not a list: not a collection.
    let (api, _) = lower_yaml(&collection("{type: integer}", "{type: string}"));
    assert_eq!(only_operation(&api).paging, None);
}

#[test]
fn a_search_with_sort_and_search_after_pages_after_the_last_item() {
    use super::super::super::ir::{BodyField, Paging};
    let (api, _) = lower_yaml(&document(
        "/search:
  post:
    operationId: searchPost
    tags: [Search]
    parameters:
      - {in: query, name: offset, schema: {type: integer}}
      - {in: query, name: limit, schema: {type: integer, maximum: 10000}}
    requestBody:
      required: true
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Search'}
    responses:
      '200':
        description: The hits.
        content:
          application/json:
            schema: {type: array, items: {type: object}}
",
        "Search:
  type: object
  properties:
    query: {type: string}
    sort: {type: array, items: {type: string}}
    searchAfter: {type: array, items: {type: string}}
",
    ));
    let Some(Paging::SearchAfter(paging)) = &only_operation(&api).paging else {
        panic!(
            "not paged by searchAfter: {:?}",
            only_operation(&api).paging
        );
    };
    assert_eq!(paging.page_limit, 10000);
    assert_eq!(
        (&paging.sort, &paging.search_after),
        (
            &BodyField {
                ident: "sort".to_owned(),
                required: false
            },
            &BodyField {
                ident: "search_after".to_owned(),
                required: false
            }
        )
    );
}

#[test]
fn tags_that_make_one_module_are_each_a_module_the_second_numbered() {
    let (api, warnings) = lower_yaml(&document(
        "/a:\n  get:\n    operationId: listA\n    tags: [repo]\n    responses: {'204': {description: Done.}}\n/b:\n  get:\n    operationId: listB\n    tags: [Repo]\n    responses: {'204': {description: Done.}}\n/c:\n  get:\n    operationId: listC\n    tags: [REPO]\n    responses: {'204': {description: Done.}}\n",
        "Unused: {type: string}",
    ));
    let groups: Vec<(&str, &str, &str, &str)> = api
        .groups
        .iter()
        .map(|group| {
            (
                group.tag.as_str(),
                group.module.as_str(),
                group.type_name.as_str(),
                group.feature.as_str(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("REPO", "repo", "Repo", "repo"),
            ("Repo", "repo_2", "Repo2", "repo_2"),
            ("repo", "repo_3", "Repo3", "repo_3"),
        ]
    );
    assert_eq!(kinds(&warnings), [WarningKind::TagNameCollision; 2]);
}
