//! Type names: word boundaries from the spec's vocabulary, and copies of
//! one schema made one type.

use super::super::super::ir::TypeRef;
use super::super::super::testing::{document, lower_yaml, returning};
use super::super::super::warnings::WarningKind;
use super::{field, fields, kinds, named};

#[test]
fn lower_case_keys_are_split_with_the_spec_words() {
    let (api, warnings) = lower_yaml(&document(
        "/sources/v1/{sourceId}/classify:
  get:
    operationId: getClassifyMachineAccountFromSourceStatusV1
    tags: [Classify Source]
    summary: Source accounts classification status
    parameters:
      - {name: sourceId, in: path, required: true, schema: {type: string}}
    responses:
      '200':
        description: The status.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/sourceclassificationstatus'}
",
        "sourceclassificationstatus:
  type: object
  properties:
    status: {type: string, enum: [STARTED, COMPLETED]}
    revocability: {$ref: '#/components/schemas/revocability'}
revocability:
  type: string
",
    ));
    assert_eq!(
        api.types.keys().collect::<Vec<_>>(),
        [
            "Revocability",
            "SourceClassificationStatus",
            "SourceClassificationStatusStatus"
        ]
    );
    // `revocability` is a property name, so a word: nothing to split.
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn a_key_no_words_spell_is_kept_whole_with_a_warning() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/nonemployeerequestlite'}"),
        "nonemployeerequestlite:\n  type: object\n  properties:\n    id: {type: string}\n",
    ));
    assert!(api.types.contains_key("Nonemployeerequestlite"));
    assert_eq!(kinds(&warnings), [WarningKind::UnsplitName]);
    let warning = warnings[0].to_string();
    assert!(
        warning.contains("#/components/schemas/nonemployeerequestlite: no words of the spec spell `nonemployeerequestlite`"),
        "{warning}"
    );
}

/// A root whose `roles` and `sources` each hold a copy of `owner`.
fn copies(sources_owner: &str) -> String {
    let mut text = document(
        "/roles:
  get:
    operationId: getRoleOwner
    tags: [Roles]
    responses:
      '200':
        description: The owner.
        content:
          application/json:
            schema: {$ref: '#/x-roles/owner'}
/sources:
  get:
    operationId: getSourceOwner
    tags: [Sources]
    responses:
      '200':
        description: The owner.
        content:
          application/json:
            schema: {$ref: '#/x-sources/owner'}
",
        "Unused: {type: string}\n",
    );
    text.push_str(&format!(
        "x-roles:\n  owner:\n    type: object\n    properties:\n      id: {{type: string}}\nx-sources:\n  owner:\n{sources_owner}"
    ));
    text
}

#[test]
fn identical_copies_of_a_schema_are_one_type() {
    let (api, warnings) = lower_yaml(&copies(
        "    properties:\n      id: {type: string}\n    type: object\n",
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        fields(&api, "Owner"),
        [field("id", TypeRef::String, false, false)]
    );
    let answers: Vec<_> = api
        .groups
        .iter()
        .flat_map(|group| &group.operations)
        .map(|operation| operation.success.body.clone())
        .collect();
    assert_eq!(answers, [Some(named("Owner")), Some(named("Owner"))]);
}

#[test]
fn differing_copies_are_types_of_their_own_with_a_warning_naming_the_difference() {
    let (api, warnings) = lower_yaml(&copies(
        "    type: object\n    properties:\n      id: {type: integer}\n",
    ));
    // (Copies in one file are told apart by their pointers, whose words
    // are not the spec's: those warn as unsplit too.)
    let differ: Vec<_> = warnings
        .iter()
        .filter(|warning| warning.kind == WarningKind::SchemaCopiesDiffer)
        .collect();
    assert_eq!(differ.len(), 1, "{warnings:?}");
    let warning = differ[0].to_string();
    assert!(
        warning.contains("this copy of `owner` differs from")
            && warning.contains("in property `id`"),
        "{warning}"
    );
    let owners: Vec<&String> = api
        .types
        .keys()
        .filter(|name| name.ends_with("Owner"))
        .collect();
    assert_eq!(owners.len(), 2, "{owners:?}");
}
