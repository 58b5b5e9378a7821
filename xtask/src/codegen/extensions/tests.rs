//! Binding needs to lowered snippets, and checking extension code.

use std::path::{Path, PathBuf};

use super::needs::NeedsFile;
use super::{bind_all, Binding, ExtensionTemplate};
use crate::codegen::ir::Api;
use crate::codegen::testing::lower_yaml;
use crate::codegen::warnings::WarningKind;

/// Classify Source as the per-resource spec has it: `/v1` paths, `V1`
/// operationIds, a lower-case schema key. `status_method` is the method of
/// the status operation (`get`, or something else to leave it out).
fn classify_spec(status_method: &str, state_values: &str) -> String {
    format!(
        "openapi: 3.0.1
info: {{title: Classify Source, version: v1}}
paths:
  /sources/v1/{{sourceId}}/classify:
    post:
      operationId: sendClassifyMachineAccountFromSourceV1
      tags: [Classify Source]
      parameters:
        - {{in: path, name: sourceId, required: true, schema: {{type: string}}}}
      responses:
        '200':
          description: Submitted.
          content:
            application/json:
              schema: {{type: object, properties: {{accepted: {{type: integer}}}}}}
    delete:
      operationId: deleteClassifyMachineAccountFromSourceV1
      tags: [Classify Source]
      parameters:
        - {{in: path, name: sourceId, required: true, schema: {{type: string}}}}
      responses:
        '204': {{description: Cancelled.}}
    {status_method}:
      operationId: getClassifyMachineAccountFromSourceStatusV1
      tags: [Classify Source]
      summary: Source accounts classification status
      parameters:
        - {{in: path, name: sourceId, required: true, schema: {{type: string}}}}
      responses:
        '200':
          description: The status.
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/sourceclassificationstatus'}}
components:
  schemas:
    sourceclassificationstatus:
      type: object
      properties:
        status: {{type: string, enum: [{state_values}]}}
        counts:
          type: object
          required: [EXPECTED, RECEIVED, COMPLETED]
          properties:
            EXPECTED: {{type: integer, format: int64}}
            RECEIVED: {{type: integer, format: int64}}
            COMPLETED: {{type: integer, format: int64}}
"
    )
}

const ALL_STATES: &str = "STARTED, COLLECTED, COMPLETED, CANCELLED, TERMINATED";

fn templates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/extensions")
}

/// The real wait helper, with its needs edited by `edit_needs`.
fn wait_helper(edit_needs: impl Fn(String) -> String) -> ExtensionTemplate {
    let dir = templates_dir();
    let needs_path = dir.join("classify_source.yaml");
    let needs = edit_needs(std::fs::read_to_string(&needs_path).unwrap());
    ExtensionTemplate::new(
        "classify_source".to_owned(),
        dir.join("classify_source.rs"),
        std::fs::read_to_string(dir.join("classify_source.rs")).unwrap(),
        NeedsFile::parse(&needs_path, &needs).unwrap(),
    )
}

fn bind_one(api: &Api, template: &ExtensionTemplate) -> Result<Option<Binding>, String> {
    let (bound, warnings) =
        bind_all(api, std::slice::from_ref(template)).map_err(|errors| errors.to_string())?;
    assert!(warnings.is_empty(), "{warnings:?}");
    Ok(bound.into_iter().next().map(|bound| bound.binding))
}

#[test]
fn the_wait_helper_binds_to_the_names_of_the_per_resource_spec() {
    let (api, _) = lower_yaml(&classify_spec("get", ALL_STATES));
    let binding = bind_one(&api, &wait_helper(|needs| needs))
        .unwrap()
        .expect("the spec has the extension's operations");
    let functions: Vec<(&str, &str)> = binding
        .operations
        .iter()
        .map(|bound| (bound.name.as_str(), bound.operation.fn_name.as_str()))
        .collect();
    assert_eq!(
        functions,
        [
            (
                "cancel_classification",
                "delete_classify_machine_account_from_source_v1"
            ),
            (
                "classification_status",
                "get_classify_machine_account_from_source_status_v1"
            ),
            (
                "start_classification",
                "send_classify_machine_account_from_source_v1"
            ),
        ]
    );
    let types: Vec<(&str, &str)> = binding
        .types
        .iter()
        .map(|bound| (bound.alias.as_str(), bound.target.as_str()))
        .collect();
    assert_eq!(
        types,
        [
            ("ClassificationCounts", "SourceClassificationStatusCounts"),
            ("ClassificationState", "SourceClassificationStatusStatus"),
            ("ClassificationStatus", "SourceClassificationStatus"),
        ]
    );
    let constants: Vec<(&str, &str)> = binding
        .constants
        .iter()
        .map(|constant| (constant.name.as_str(), constant.variant.as_str()))
        .collect();
    assert_eq!(
        constants,
        [
            ("COMPLETED", "Completed"),
            ("CANCELLED", "Cancelled"),
            ("TERMINATED", "Terminated")
        ]
    );
    assert_eq!(binding.accessors.len(), 5);
}

#[test]
fn a_spec_of_another_api_does_not_get_the_extension() {
    let (api, _) = lower_yaml(&crate::codegen::testing::document(
        &crate::codegen::testing::returning("{type: string}"),
        "Unused: {type: string}\n",
    ));
    assert_eq!(bind_one(&api, &wait_helper(|needs| needs)), Ok(None));
}

#[test]
fn a_missing_operation_fails_where_the_needs_file_asks_for_it() {
    let (api, _) = lower_yaml(&classify_spec("put", ALL_STATES));
    let errors = bind_one(&api, &wait_helper(|needs| needs)).unwrap_err();
    assert!(
        errors.contains("classify_source.yaml:28:3: the extension `classify_source` needs what the spec lacks: `classification_status`: the spec has no GET operation on a path like `/sources/{sourceId}/classify`"),
        "{errors}"
    );
    // What depends on the missing operation is not reported again.
    assert_eq!(errors.lines().count(), 1, "{errors}");
}

#[test]
fn with_when_missing_skip_the_extension_is_left_out_with_a_warning() {
    let (api, _) = lower_yaml(&classify_spec("get", "STARTED, COMPLETED"));
    let template = wait_helper(|needs| needs.replace("when_missing: error", "when_missing: skip"));
    let (bound, warnings) = bind_all(&api, std::slice::from_ref(&template)).unwrap();
    assert!(bound.is_empty());
    let kinds: Vec<WarningKind> = warnings.iter().map(|warning| warning.kind).collect();
    assert_eq!(
        kinds,
        [WarningKind::ExtensionSkipped, WarningKind::ExtensionSkipped]
    );
    let text = warnings[0].to_string();
    assert!(
        text.contains("`ClassificationState` (`SourceClassificationStatusStatus`) has no value `CANCELLED` (it has `STARTED`, `COMPLETED`)"),
        "{text}"
    );
}

#[test]
fn arguments_and_field_types_are_checked() {
    let (api, _) = lower_yaml(&classify_spec("get", ALL_STATES));
    let template = wait_helper(|needs| {
        needs
            .replacen(
                "arguments: {source_id: string}",
                "arguments: {source_id: i64}",
                1,
            )
            .replace("type: i64}", "type: i32}")
    });
    let errors = bind_one(&api, &template).unwrap_err();
    assert!(
        errors.contains("`start_classification` (operation `sendClassifyMachineAccountFromSourceV1`): its required arguments are `source_id: ::std::string::String`, not `source_id: i64`"),
        "{errors}"
    );
    assert!(
        errors.contains("`expected_of`: the field `EXPECTED` of `SourceClassificationStatusCounts` is i64, not i32"),
        "{errors}"
    );
}

fn with_source(template: ExtensionTemplate, edit: impl Fn(String) -> String) -> ExtensionTemplate {
    ExtensionTemplate::new(
        template.name,
        template.source_path,
        edit(template.source),
        template.needs,
    )
}

#[test]
fn extension_code_names_generated_code_only_through_its_bindings() {
    let (api, _) = lower_yaml(&classify_spec("get", ALL_STATES));
    let direct = with_source(wait_helper(|needs| needs), |source| {
        source.replace(
            "pub fn state(status: &ClassificationStatus)",
            "pub fn state(status: &crate::models::SourceClassificationStatus)",
        )
    });
    let errors = bind_one(&api, &direct).unwrap_err();
    assert!(
        errors.contains("classify_source.rs:") && errors.contains("names `crate::models` directly"),
        "{errors}"
    );
    let unbound = with_source(wait_helper(|needs| needs), |source| {
        source.replace("bindings::state_of(status)", "bindings::status_of(status)")
    });
    let errors = bind_one(&api, &unbound).unwrap_err();
    assert!(
        errors.contains("`bindings::status_of` is not bound"),
        "{errors}"
    );
    assert!(
        errors.contains("`bindings::state_of` is bound but `classify_source.rs` does not use it"),
        "{errors}"
    );
}

#[test]
fn extension_methods_may_not_take_an_operation_name() {
    let (api, _) = lower_yaml(&classify_spec("get", ALL_STATES));
    let clash = with_source(wait_helper(|needs| needs), |source| {
        source.replace(
            "pub fn cancel_classification(",
            "pub fn delete_classify_machine_account_from_source_v1(",
        )
    });
    let errors = bind_one(&api, &clash).unwrap_err();
    assert!(
        errors.contains("`delete_classify_machine_account_from_source_v1` is already a method of `ClassifySource` (the `Classify Source` tag)"),
        "{errors}"
    );
}

#[test]
fn a_malformed_needs_file_is_refused_where_it_is_wrong() {
    let path = Path::new("needs.yaml");
    let unknown = NeedsFile::parse(path, "when_missing: error\noperations: {}\nextra: 1\n")
        .unwrap_err()
        .to_string();
    assert!(
        unknown.contains("needs.yaml:3:1: not a needs file: unknown field `extra`"),
        "{unknown}"
    );
    let dangling = NeedsFile::parse(
        path,
        "when_missing: error\noperations: {}\ntypes:\n  Status: {answer_of: read}\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        dangling.contains("needs.yaml:4:3: `answer_of: read` names no entry of `operations`"),
        "{dangling}"
    );
}

#[test]
fn the_bindings_module_of_the_wait_helper_over_the_per_resource_spec() {
    use crate::codegen::emit::bindings;
    let (api, _) = lower_yaml(&classify_spec("get", ALL_STATES));
    let binding = bind_one(&api, &wait_helper(|needs| needs))
        .unwrap()
        .unwrap();
    let file = bindings::emit_bindings(&binding);
    assert_eq!(file.path, "src/extensions/classify_source/bindings.rs");
    let text = crate::codegen::format::format(&file).unwrap_or_else(|errors| panic!("{errors}"));
    crate::codegen::testing::assert_snapshot("extension_bindings", &text);
}
