//! Snapshots of emitted code, one construct at a time: a spec snippet is
//! lowered in memory and the file it becomes is compared with
//! `xtask/snapshots/<name>.rs` (`UPDATE_SNAPSHOTS=1` rewrites them).

use super::super::format;
use super::super::ir::Api;
use super::super::testing::{assert_snapshot, document, lower_yaml, returning};
use super::{crate_root, models, operations, RustFile};

fn text(file: &RustFile) -> String {
    format::format(file).unwrap_or_else(|errors| panic!("{errors}"))
}

fn model(api: &Api, name: &str) -> String {
    let def = api
        .types
        .get(name)
        .unwrap_or_else(|| panic!("no type {name} in {:?}", api.types.keys()));
    text(&models::emit_type(def, api))
}

fn group(api: &Api, module: &str) -> String {
    let group = api
        .groups
        .iter()
        .find(|group| group.module == module)
        .unwrap_or_else(|| panic!("no tag module {module}"));
    text(&operations::emit_group(
        group,
        &super::docs::DocsContext {
            crate_ident: "snippet_client",
            ..Default::default()
        },
    ))
}

#[test]
fn struct_with_every_field_mode() {
    let (api, _) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Node'}"),
        "Node:
  type: object
  description: A node of a tree.
  required: [id, parent]
  properties:
    id:
      type: string
      description: The node's id.
    parent:
      $ref: '#/components/schemas/Node'
    label:
      type: string
      nullable: true
    type:
      type: integer
      format: int32
      deprecated: true
    children:
      type: array
      items:
        $ref: '#/components/schemas/Node'
    extra:
      type: object
      additionalProperties:
        type: number
",
    ));
    assert_snapshot("model_struct", &model(&api, "Node"));
}

#[test]
fn struct_without_description_says_where_it_is_used() {
    let (api, _) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Counts'}"),
        "Counts:\n  type: object\n  required: [EXPECTED]\n  properties:\n    EXPECTED: {type: integer}\n    self: {type: boolean}\n",
    ));
    assert_snapshot("model_struct_undocumented", &model(&api, "Counts"));
}

#[test]
fn struct_without_required_fields_is_default_and_read_field_by_field() {
    let (api, _) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Filter'}"),
        "Filter:
  type: object
  description: What to list.
  properties:
    name:
      type: string
    limit:
      type: integer
      format: int32
      nullable: true
    owner:
      $ref: '#/components/schemas/Filter'
",
    ));
    let text = model(&api, "Filter");
    assert!(
        text.contains("#[derive(Debug, Clone, PartialEq, Default)]"),
        "{text}"
    );
    assert_snapshot("model_struct_default", &text);
}

#[test]
fn string_enum_with_colliding_values() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Status'}"),
        "Status:\n  type: string\n  description: Where a task is.\n  enum: [STARTED, in-progress, IN_PROGRESS, Unknown]\n",
    ));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_snapshot("model_string_enum", &model(&api, "Status"));
}

#[test]
fn union_by_discriminator_with_an_inline_member() {
    let (api, _) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Event'}"),
        "Event:
  oneOf:
    - $ref: '#/components/schemas/Created'
    - $ref: '#/components/schemas/Deleted'
    - type: object
      properties:
        kind: {type: string}
  discriminator:
    propertyName: kind
    mapping:
      created: '#/components/schemas/Created'
      new: '#/components/schemas/Created'
Created:
  type: object
  properties:
    kind: {type: string}
    event:
      $ref: '#/components/schemas/Event'
Deleted:
  type: object
  properties:
    kind: {type: string}
",
    ));
    assert_snapshot("model_union_discriminated", &model(&api, "Event"));
}

#[test]
fn union_decoded_by_the_first_member_that_fits() {
    let (api, _) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Value'}"),
        "Value:\n  anyOf:\n    - type: string\n    - type: array\n      items: {type: integer}\n    - $ref: '#/components/schemas/Value'\n",
    ));
    assert_snapshot("model_union_first_fit", &model(&api, "Value"));
}

#[test]
fn json_patch_operation_with_typed_constructors() {
    let (api, _) = lower_yaml(&document(
        &returning("{type: array, items: {$ref: '#/components/schemas/JsonPatchOperation'}}"),
        "JsonPatchOperation:
  type: object
  required: [op, path]
  properties:
    op: {type: string, enum: [add, remove, replace, move, copy, test]}
    path: {type: string}
    from: {type: string}
    value:
      oneOf:
        - type: string
        - type: boolean
",
    ));
    assert_snapshot("model_json_patch", &model(&api, "JsonPatchOperation"));
}

#[test]
fn alias_of_a_list() {
    let (api, _) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Names'}"),
        "Names:\n  type: array\n  description: Names, in order.\n  items: {type: string}\n",
    ));
    assert_snapshot("model_alias", &model(&api, "Names"));
}

#[test]
fn collection_operations_walked_by_position_and_by_sort_values() {
    let (api, _) = lower_yaml(&document(
        "/things:
  get:
    operationId: listThings
    tags: [Things]
    parameters:
      - {in: query, name: offset, schema: {type: integer, format: int32}}
      - {in: query, name: limit, schema: {type: integer, format: int32, maximum: 100}}
      - {in: query, name: count, schema: {type: boolean}}
      - {in: query, name: filters, schema: {type: string}}
    responses:
      '200':
        description: A page of things.
        content:
          application/json:
            schema: {type: array, items: {type: string}}
/things/search:
  post:
    operationId: searchThings
    tags: [Things]
    parameters:
      - {in: query, name: limit, schema: {type: integer, format: int32}}
    requestBody:
      required: true
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Search'
    responses:
      '200':
        description: A page of things.
        content:
          application/json:
            schema: {type: array, items: {type: string}}
",
        "Search:\n  type: object\n  properties:\n    sort: {type: array, items: {type: string}}\n    searchAfter: {type: array, items: {type: string}}\n",
    ));
    assert_snapshot("operation_paging", &group(&api, "things"));
}

#[test]
fn operations_with_a_default_response_besides_codes_and_alone() {
    let (api, _) = lower_yaml(&document(
        "/things/{id}:
  get:
    operationId: getThing
    tags: [Things]
    parameters:
      - {in: path, name: id, required: true, schema: {type: string}}
    responses:
      '200':
        description: The thing.
        content:
          application/json:
            schema: {type: string}
      '404':
        description: No such thing.
      default:
        description: Anything else.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Problem'}
  delete:
    operationId: deleteThing
    tags: [Things]
    parameters:
      - {in: path, name: id, required: true, schema: {type: string}}
    responses:
      default:
        description: The outcome.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Problem'}
",
        "Problem:\n  type: object\n  properties:\n    detail: {type: string}\n",
    ));
    assert_snapshot("operation_default_response", &group(&api, "things"));
}

#[test]
fn operation_with_every_kind_of_parameter() {
    let (api, _) = lower_yaml(&document(
        "/sources/{sourceId}/items:
  post:
    operationId: createItems
    summary: Creates items.
    description: Creates items of a source.
    tags: [Items]
    parameters:
      - {in: path, name: id, required: true, schema: {type: string}, description: The source's id.}
      - {in: query, name: tags, schema: {type: array, items: {type: string}}}
      - {in: query, name: ids, explode: false, schema: {type: array, items: {type: integer, format: int64}}}
      - {in: query, name: limit, schema: {type: integer, format: int32, default: 250}}
      - {in: query, name: since, required: true, schema: {type: string, format: date-time}}
      - {in: header, name: X-Trace, schema: {type: string}}
    requestBody:
      required: true
      content:
        application/json-patch+json:
          schema:
            type: array
            items: {type: object}
    responses:
      '201':
        description: Created.
        content:
          application/json:
            schema: {type: array, items: {type: string}}
      '400':
        description: Bad request.
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ErrorBody'
      '404':
        description: No such source.
",
        "ErrorBody:\n  type: object\n  properties:\n    trackingId: {type: string}\n",
    ));
    assert_snapshot("operation_parameters", &group(&api, "items"));
}

/// A tag with three operations: multipart, form and binary bodies.
fn files_tag() -> Api {
    let (api, _) = lower_yaml(&document(
        "/upload:
  post:
    operationId: upload
    tags: [Files]
    requestBody:
      content:
        multipart/form-data:
          schema:
            type: object
            properties:
              file: {type: string, format: binary, description: The file.}
    responses:
      '204': {description: Uploaded.}
/token:
  post:
    operationId: token
    tags: [Files]
    requestBody:
      required: true
      content:
        application/x-www-form-urlencoded:
          schema:
            type: object
            properties:
              grant_type: {type: string}
    responses:
      '200':
        description: Bytes.
        content:
          application/zip:
            schema: {type: string, format: binary}
/anything:
  delete:
    operationId: deleteAnything
    tags: [Files]
    responses:
      '404': {description: Gone already.}
",
        "Unused:\n  type: string\n",
    ));
    api
}

#[test]
fn operations_with_form_multipart_and_binary_bodies() {
    assert_snapshot("operation_bodies", &group(&files_tag(), "files"));
}

#[test]
fn a_tag_file_formatted_in_parts_reads_as_the_file_formatted_whole() {
    let api = files_tag();
    let tag = &api.groups[0];
    let docs = super::docs::DocsContext {
        crate_ident: "snippet_client",
        ..Default::default()
    };
    let part = |file: RustFile| {
        format::format_part(file)
            .unwrap_or_else(|errors| panic!("{errors}"))
            .0
    };
    let mut parts = vec![part(operations::emit_group_head(tag, &docs))];
    for operation in &tag.operations {
        parts.push(part(operations::emit_group_operation(tag, operation)));
    }
    assert_eq!(parts.len(), 4);
    assert_eq!(
        format::file_text(parts.iter().map(String::as_str)),
        group(&api, "files")
    );
}

#[test]
fn crate_root_and_modules_of_a_crate_with_several_tags() {
    let two_tags = "/a:\n  get:\n    operationId: getA\n    tags: [Alpha]\n    parameters:\n      - {in: query, name: q, required: true, schema: {type: string}, example: abc}\n    responses:\n      '200':\n        description: A.\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Shared'}\n/b:\n  get:\n    operationId: getB\n    tags: [Beta]\n    responses:\n      '200':\n        description: B.\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Shared'}\n";
    let (api, _) = lower_yaml(&document(
        two_tags,
        "Shared:\n  type: object\n  properties:\n    id: {type: string}\nUnused:\n  type: string\n  enum: [A]\n",
    ));
    let lib = text(&crate_root::emit_lib(&api, "snippet_client", false));
    assert_snapshot("crate_lib", &lib);
    let models = text(&models::emit_mod(&api));
    assert_snapshot("crate_models_mod", &models);
    let apis = text(&operations::emit_mod(&api));
    assert_snapshot("crate_apis_mod", &apis);
}

#[test]
fn a_file_that_defines_a_std_name_writes_std_paths_in_full() {
    let (api, _) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Result'}"),
        "Result:\n  type: object\n  properties:\n    note: {type: string}\n    outcome: {$ref: '#/components/schemas/Outcome'}\nOutcome:\n  type: object\n  properties:\n    note: {type: string}\n",
    ));
    let result = model(&api, "Result");
    assert!(
        result.contains("pub note: ::std::option::Option<::std::string::String>"),
        "{result}"
    );
    let outcome = model(&api, "Outcome");
    assert!(outcome.contains("pub note: Option<String>"), "{outcome}");
}
