//! `$ref`: where it is a reference, where it is data, and what a reference to nothing becomes.

use super::super::super::ir::{TypeKind, TypeRef};
use super::super::super::testing::{document, lower_yaml, returning, try_lower};
use super::super::super::warnings::WarningKind;
use super::{def, field, fields, kinds, named};

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
fn properties_given_as_a_ref_are_the_map_it_names() {
    let (api, warnings) = lower_yaml(&format!(
        "{}  x-shared:\n    audit:\n      created: {{type: string, format: date-time}}\n      createdBy: {{type: string}}\n",
        document(
            &returning("{$ref: '#/components/schemas/Document'}"),
            "Document:\n  type: object\n  properties:\n    $ref: '#/components/x-shared/audit'\n",
        )
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        fields(&api, "Document"),
        [
            field("created", TypeRef::DateTime, false, false),
            field("createdBy", TypeRef::String, false, false),
        ]
    );
}

#[test]
fn a_discriminator_mapping_through_a_ref_names_the_schema_the_ref_names() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Pet'}"),
        "Pet:
  oneOf:
    - $ref: '#/components/schemas/Dog'
    - $ref: '#/components/schemas/Cat'
    - $ref: '#/components/schemas/Kitten'
  discriminator:
    propertyName: kind
    mapping:
      dog: '#/components/schemas/Pet/oneOf/0'
      cat: '#/components/schemas/Pet/oneOf/1'
      kitten: '#/components/schemas/Kitten'
Kitten: {$ref: '#/components/schemas/Cat'}
Dog: {type: object, properties: {kind: {type: string}}}
Cat: {type: object, properties: {kind: {type: string}}}
",
    ));
    assert!(warnings.is_empty(), "{warnings:?}");
    let TypeKind::Union { variants, .. } = &def(&api, "Pet").kind else {
        panic!("Pet is a union");
    };
    let tags: Vec<(&TypeRef, &[String])> = variants
        .iter()
        .map(|variant| (&variant.ty, variant.tags.as_slice()))
        .collect();
    assert_eq!(
        tags,
        [
            (&named("Dog"), &["dog".to_owned()][..]),
            (&named("Cat"), &["cat".to_owned()][..]),
            (&named("Kitten"), &["kitten".to_owned()][..]),
        ]
    );
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
