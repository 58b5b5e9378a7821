//! Schemas: components, `$ref`s, scalars, objects, arrays and string enums.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::super::diag::{push_pointer, unescape_pointer_segment};
use super::super::ir::{Field, TypeDef, TypeKind, TypeRef, Variant};
use super::super::names::{fallback_variant, pascal, snake, unique};
use super::super::type_names::Claim;
use super::super::warnings::WarningKind;
use super::Lowering;

/// A schema, written inline or as a `$ref`.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(schema: &'a ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => Self::Ref(reference),
            ReferenceOr::Item(schema) => Self::Inline(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(schema: &'a ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => Self::Ref(reference),
            ReferenceOr::Item(schema) => Self::Inline(schema),
        }
    }
}

impl<'a> SchemaRef<'a> {
    pub(super) fn inline(self) -> Option<&'a Schema> {
        match self {
            Self::Inline(schema) => Some(schema),
            Self::Ref(_) => None,
        }
    }
}

/// A property of an object schema, with the pointer of its schema.
pub(super) struct Property<'a> {
    pub(super) wire_name: &'a str,
    pub(super) schema: SchemaRef<'a>,
    pub(super) pointer: String,
    /// The type the property was declared in, when merged from another
    /// schema by `allOf`: its inline types are named after that one.
    pub(super) owner: Option<String>,
}

pub(super) fn properties_of<'a>(
    properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
    pointer: &str,
) -> Vec<Property<'a>> {
    let properties_pointer = push_pointer(pointer, "properties");
    properties
        .iter()
        .map(|(wire_name, schema)| Property {
            wire_name,
            schema: SchemaRef::from(schema),
            pointer: push_pointer(&properties_pointer, wire_name),
            owner: None,
        })
        .collect()
}

/// A type as used at one place: the type, and whether `null` is allowed.
pub(super) struct Shape {
    pub(super) ty: TypeRef,
    pub(super) nullable: bool,
}

impl<'a> Lowering<'a> {
    pub(super) fn lower_components(&mut self) {
        let Some(schemas) = self.components() else {
            return;
        };
        let mut keys: Vec<&String> = schemas.keys().collect();
        keys.sort();
        for key in keys {
            let Some(name) = self.component_names.get(key).cloned() else {
                continue;
            };
            let pointer = push_pointer("/components/schemas", key);
            if let Some(cycle) = self.alias_cycle(key) {
                self.error(
                    &pointer,
                    format!("`$ref` cycle: schema {cycle} names no type"),
                );
                continue;
            }
            let schema = SchemaRef::from(&schemas[key]);
            let shape = self.type_of(schema, &name, &pointer);
            if shape.ty != TypeRef::Named(name.clone()) {
                let description = schema.inline().and_then(description_of);
                self.define(
                    &pointer,
                    schema.inline(),
                    TypeDef::new(name.clone(), description, TypeKind::Alias(shape.ty)),
                );
            }
        }
    }

    /// The component key a `$ref` names.
    pub(super) fn component_key(&mut self, reference: &str, pointer: &str) -> Option<String> {
        match reference.strip_prefix("#/components/schemas/") {
            Some(key) if !key.contains('/') => Some(unescape_pointer_segment(key)),
            _ => {
                self.error(
                    pointer,
                    format!("`$ref: {reference}` does not name a schema of components/schemas"),
                );
                None
            }
        }
    }

    /// The chain of names when the component is an alias that leads back to
    /// itself.
    pub(super) fn alias_cycle(&self, key: &str) -> Option<String> {
        let mut chain = vec![key.to_owned()];
        let mut current = key.to_owned();
        while let Some(ReferenceOr::Reference { reference }) =
            self.components().and_then(|schemas| schemas.get(&current))
        {
            let next = unescape_pointer_segment(reference.strip_prefix("#/components/schemas/")?);
            let seen = chain.contains(&next);
            chain.push(next.clone());
            if seen {
                return Some(chain.join(" → "));
            }
            current = next;
        }
        None
    }

    /// Whether a component allows `null`, following `$ref` aliases.
    pub(super) fn component_nullable(&self, key: &str) -> bool {
        let mut key = key.to_owned();
        for _ in 0..32 {
            let Some(schema) = self.components().and_then(|schemas| schemas.get(&key)) else {
                return false;
            };
            match schema {
                ReferenceOr::Item(schema) => return schema_nullable(schema),
                ReferenceOr::Reference { reference } => {
                    match reference.strip_prefix("#/components/schemas/") {
                        Some(next) => key = unescape_pointer_segment(next),
                        None => return false,
                    }
                }
            }
        }
        false
    }

    /// The type of `schema`; a schema that needs a type of its own gets
    /// `name`.
    pub(super) fn type_of(&mut self, schema: SchemaRef<'a>, name: &str, pointer: &str) -> Shape {
        match schema {
            SchemaRef::Ref(reference) => {
                let Some(key) = self.component_key(reference, pointer) else {
                    return Shape {
                        ty: TypeRef::Any,
                        nullable: false,
                    };
                };
                let Some(target) = self.component_names.get(&key).cloned() else {
                    self.error(pointer, format!("`$ref: {reference}` names no schema"));
                    return Shape {
                        ty: TypeRef::Any,
                        nullable: false,
                    };
                };
                Shape {
                    ty: TypeRef::Named(target),
                    nullable: self.component_nullable(&key),
                }
            }
            SchemaRef::Inline(schema) => self.schema_type(schema, name, pointer),
        }
    }

    pub(super) fn schema_type(&mut self, schema: &'a Schema, name: &str, pointer: &str) -> Shape {
        let nullable = schema.schema_data.nullable;
        let description = description_of(schema);
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                let values: Vec<&str> = string
                    .enumeration
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                let nullable = nullable || string.enumeration.iter().any(Option::is_none);
                let ty = self.string_enum(name, pointer, schema, &values, description);
                return Shape { ty, nullable };
            }
            SchemaKind::Type(Type::String(string)) => match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                _ => TypeRef::String,
            },
            SchemaKind::Type(Type::Integer(integer)) => match integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(number)) => match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Object(object)) => self.object(
                name,
                pointer,
                Some(schema),
                properties_of(&object.properties, pointer),
                &object
                    .required
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
                object.additional_properties.as_ref(),
            ),
            SchemaKind::Type(Type::Array(array)) => self.array(array.items.as_ref(), name, pointer),
            SchemaKind::AllOf { all_of } => return self.all_of(all_of, schema, name, pointer),
            SchemaKind::OneOf { one_of } => {
                return self.union(name, pointer, schema, one_of, "oneOf");
            }
            SchemaKind::AnyOf { any_of } => {
                return self.union(name, pointer, schema, any_of, "anyOf");
            }
            SchemaKind::Not { .. } => {
                self.warn(
                    WarningKind::NotAsJsonValue,
                    pointer,
                    format!("`{name}`: a `not` schema allows almost anything; typed as serde_json::Value"),
                );
                TypeRef::Any
            }
            SchemaKind::Any(any) => {
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    self.object(
                        name,
                        pointer,
                        Some(schema),
                        properties_of(&any.properties, pointer),
                        &any.required.iter().map(String::as_str).collect::<Vec<_>>(),
                        any.additional_properties.as_ref(),
                    )
                } else if any.typ.as_deref() == Some("array") {
                    self.array(any.items.as_ref(), name, pointer)
                } else {
                    TypeRef::Any
                }
            }
        };
        Shape { ty, nullable }
    }

    pub(super) fn array(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        name: &str,
        pointer: &str,
    ) -> TypeRef {
        let item = match items {
            Some(items) => {
                self.type_of(
                    SchemaRef::from(items),
                    &format!("{name}Item"),
                    &push_pointer(pointer, "items"),
                )
                .ty
            }
            None => TypeRef::Any,
        };
        TypeRef::Vec(Box::new(item))
    }

    pub(super) fn object(
        &mut self,
        name: &str,
        pointer: &str,
        schema: Option<&'a Schema>,
        properties: Vec<Property<'a>>,
        required: &[&str],
        additional: Option<&'a AdditionalProperties>,
    ) -> TypeRef {
        let description = schema.and_then(description_of);
        let example = schema.and_then(|schema| schema.schema_data.example.clone());
        if properties.is_empty() {
            return match additional {
                Some(AdditionalProperties::Schema(value)) => {
                    let value = self.type_of(
                        SchemaRef::from(value.as_ref()),
                        &format!("{name}Value"),
                        &push_pointer(pointer, "additionalProperties"),
                    );
                    TypeRef::Map(Box::new(value.ty))
                }
                _ => TypeRef::Object,
            };
        }
        let name = match self.claim(name, pointer, schema) {
            Claim::New(name) => name,
            Claim::Existing(name) => return TypeRef::Named(name),
        };
        let name = name.as_str();
        let mut fields = Vec::new();
        let mut idents = BTreeSet::new();
        for Property {
            wire_name,
            schema,
            pointer: property_pointer,
            owner,
        } in properties
        {
            let owner = owner.as_deref().unwrap_or(name);
            let shape = self.type_of(
                schema,
                &format!("{owner}{}", pascal(wire_name)),
                &property_pointer,
            );
            let mut ident = snake(wire_name);
            if !idents.insert(ident.clone()) {
                let renamed = unique(&ident, "_", |candidate| idents.contains(candidate));
                self.warn(
                    WarningKind::FieldNameCollision,
                    &property_pointer,
                    format!("`{name}`: property `{wire_name}` becomes `{ident}`, taken by another property; named `{renamed}`"),
                );
                idents.insert(renamed.clone());
                ident = renamed;
            }
            let inline = schema.inline();
            fields.push(Field {
                wire_name: wire_name.to_owned(),
                ident,
                ty: shape.ty,
                required: required.contains(&wire_name),
                nullable: shape.nullable,
                description: inline.and_then(description_of),
                deprecated: inline.is_some_and(|schema| schema.schema_data.deprecated),
                boxed: false,
                example: inline.and_then(|schema| schema.schema_data.example.clone()),
            });
        }
        let mut def = TypeDef::new(name.to_owned(), description, TypeKind::Struct { fields });
        def.example = example;
        self.types.insert(name.to_owned(), def);
        TypeRef::Named(name.to_owned())
    }

    pub(super) fn string_enum(
        &mut self,
        name: &str,
        pointer: &str,
        schema: &Schema,
        values: &[&str],
        description: Option<String>,
    ) -> TypeRef {
        let mut variants: Vec<Variant> = Vec::new();
        for value in values {
            if variants.iter().any(|variant| variant.value == *value) {
                continue;
            }
            let mut ident = pascal(value);
            if variants.iter().any(|variant| variant.ident == ident) {
                let renamed = unique(&ident, "", |candidate| {
                    variants.iter().any(|variant| variant.ident == candidate)
                });
                self.warn(
                    WarningKind::EnumVariantCollision,
                    pointer,
                    format!("`{name}`: value `{value}` becomes `{ident}`, taken by another value; named `{renamed}`"),
                );
                ident = renamed;
            }
            variants.push(Variant {
                ident,
                value: (*value).to_owned(),
            });
        }
        let fallback = fallback_variant("Enum", |candidate| {
            variants.iter().any(|variant| variant.ident == candidate)
        });
        let name = self.define(
            pointer,
            Some(schema),
            TypeDef::new(
                name.to_owned(),
                description,
                TypeKind::Enum { variants, fallback },
            ),
        );
        TypeRef::Named(name)
    }
}

pub(super) fn schema_nullable(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string))
            if string.enumeration.iter().any(Option::is_none) =>
        {
            true
        }
        _ => schema.schema_data.nullable,
    }
}

pub(super) fn description_of(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .clone()
        .or_else(|| schema.schema_data.title.clone())
        .filter(|text| !text.trim().is_empty())
}
