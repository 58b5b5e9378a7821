//! Schemas: objects, composition, enums, and the names of their types.

use super::super::super::ir::{TypeKind, TypeRef};
use super::super::super::testing::{document, lower_yaml, returning};
use super::super::super::warnings::WarningKind;
use super::{def, field, fields, kinds, named};

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
fn component_keys_that_differ_only_in_case_are_distinct_types_with_a_warning() {
    let (api, warnings) = lower_yaml(&document(
        &returning("{$ref: '#/components/schemas/Times'}"),
        "Times:\n  type: object\n  properties:\n    upper: {$ref: '#/components/schemas/NullTime'}\n    lower: {$ref: '#/components/schemas/nullTime'}\nnullTime:\n  type: object\n  properties:\n    valid: {type: boolean}\nNullTime:\n  type: object\n  properties:\n    time: {type: string}\n",
    ));
    assert_eq!(
        fields(&api, "Times"),
        [
            field("upper", named("NullTime"), false, false),
            field("lower", named("NullTime2"), false, false),
        ]
    );
    assert_eq!(
        fields(&api, "NullTime"),
        [field("time", TypeRef::String, false, false)]
    );
    assert_eq!(
        fields(&api, "NullTime2"),
        [field("valid", TypeRef::Bool, false, false)]
    );
    let collisions: Vec<_> = warnings
        .iter()
        .filter(|warning| warning.kind == WarningKind::TypeNameCollision)
        .collect();
    assert_eq!(collisions.len(), 1, "{warnings:?}");
    assert!(
        collisions[0]
            .location
            .to_string()
            .ends_with("#/components/schemas/nullTime"),
        "{}",
        collisions[0].location
    );
    assert!(
        collisions[0]
            .message
            .contains("`NullTime` keeps it, this one is `NullTime2`"),
        "{}",
        collisions[0].message
    );
}
