//! Composition: `allOf` (merged into one struct), `oneOf` and `anyOf`
//! (enums with a variant per member).

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::super::diag::{push_pointer, unescape_pointer_segment};
use super::super::ir::{TypeDef, TypeKind, TypeRef, UnionVariant};
use super::super::names::{fallback_variant, unique};
use super::super::type_names::Claim;
use super::super::warnings::WarningKind;
use super::schema::{description_of, properties_of, Property, SchemaRef, Shape};
use super::Lowering;

impl<'a> Lowering<'a> {
    /// `oneOf` / `anyOf`: an enum with a variant per member, chosen by the
    /// discriminator when there is one.
    pub(super) fn union(
        &mut self,
        name: &str,
        pointer: &str,
        schema: &'a Schema,
        members: &'a [ReferenceOr<Schema>],
        keyword: &str,
    ) -> Shape {
        let mut nullable = schema.schema_data.nullable;
        let name = match self.claim(name, pointer, Some(schema)) {
            Claim::New(name) => name,
            Claim::Existing(name) => {
                return Shape {
                    ty: TypeRef::Named(name),
                    nullable,
                }
            }
        };
        let discriminator = schema.schema_data.discriminator.as_ref();
        let list_pointer = push_pointer(pointer, keyword);
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let member_pointer = push_pointer(&list_pointer, &index.to_string());
            if let ReferenceOr::Item(member) = member {
                if is_annotation(member) {
                    nullable |= member.schema_data.nullable;
                    continue;
                }
            }
            let shape = self.type_of(
                SchemaRef::from(member),
                &format!("{name}Variant{}", index + 1),
                &member_pointer,
            );
            nullable |= shape.nullable;
            let mut tags = Vec::new();
            if let (Some(discriminator), ReferenceOr::Reference { reference }) =
                (discriminator, member)
            {
                tags.extend(
                    discriminator
                        .mapping
                        .iter()
                        .filter(|(_, target)| *target == reference)
                        .map(|(tag, _)| tag.clone()),
                );
                if tags.is_empty() {
                    if let Some(key) = reference.strip_prefix("#/components/schemas/") {
                        tags.push(unescape_pointer_segment(key));
                    }
                }
            } else if discriminator.is_some() {
                self.warn(
                    WarningKind::UnionVariantWithoutTag,
                    &member_pointer,
                    format!("`{name}`: an inline member has no discriminator value; it is decoded only as the fallback"),
                );
            }
            let base = variant_name(&shape.ty);
            let ident = unique(&base, "", |candidate| {
                variants.iter().any(|variant| variant.ident == candidate)
            });
            variants.push(UnionVariant {
                ident,
                ty: shape.ty,
                tags,
                boxed: false,
            });
        }
        let fallback = fallback_variant("Union", |candidate| {
            variants.iter().any(|variant| variant.ident == candidate)
        });
        self.types.insert(
            name.clone(),
            TypeDef::new(
                name.clone(),
                description_of(schema),
                TypeKind::Union {
                    variants,
                    discriminator: discriminator.map(|d| d.property_name.clone()),
                    fallback,
                },
            ),
        );
        Shape {
            ty: TypeRef::Named(name),
            nullable,
        }
    }

    /// `allOf`: one member is that member (SailPoint wraps schemas so);
    /// several are merged into one struct.
    pub(super) fn all_of(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        schema: &'a Schema,
        name: &str,
        pointer: &str,
    ) -> Shape {
        let list_pointer = push_pointer(pointer, "allOf");
        // Members that only annotate (`nullable: true`, `required: [...]`)
        // add to the others rather than being types of their own.
        let mut nullable = schema.schema_data.nullable;
        let mut extra_required: Vec<&'a str> = Vec::new();
        let mut typed: Vec<(usize, &'a ReferenceOr<Schema>)> = Vec::new();
        for (index, member) in members.iter().enumerate() {
            match member {
                ReferenceOr::Item(member) if is_annotation(member) => {
                    nullable |= member.schema_data.nullable;
                    if let SchemaKind::Any(any) = &member.schema_kind {
                        extra_required.extend(any.required.iter().map(String::as_str));
                    }
                }
                _ => typed.push((index, member)),
            }
        }
        if let [(index, only)] = typed[..] {
            let only_required = self
                .object_parts(
                    SchemaRef::from(only),
                    &push_pointer(&list_pointer, &index.to_string()),
                )
                .map(|(_, required)| required)
                .unwrap_or_default();
            if extra_required
                .iter()
                .all(|name| only_required.contains(name))
            {
                let mut shape = self.type_of(
                    SchemaRef::from(only),
                    name,
                    &push_pointer(&list_pointer, &index.to_string()),
                );
                shape.nullable |= nullable;
                if let (TypeRef::Named(defined), Some(description)) =
                    (&shape.ty, description_of(schema))
                {
                    if let Some(def) = self.types.get_mut(defined) {
                        if defined == name {
                            def.description = Some(description);
                        }
                    }
                }
                return shape;
            }
        }
        let mut properties: Vec<Property<'a>> = Vec::new();
        let mut required: Vec<&'a str> = extra_required;
        for (index, member) in typed {
            let member_pointer = push_pointer(&list_pointer, &index.to_string());
            let Some((member_properties, member_required)) =
                self.object_parts(SchemaRef::from(member), &member_pointer)
            else {
                self.warn(
                    WarningKind::AllOfNonObject,
                    &member_pointer,
                    format!("`{name}`: an allOf member that is not an object is ignored"),
                );
                continue;
            };
            for property in member_properties {
                properties.retain(|known| known.wire_name != property.wire_name);
                properties.push(property);
            }
            required.extend(member_required);
        }
        let ty = self.object(name, pointer, Some(schema), properties, &required, None);
        Shape {
            ty,
            nullable: schema.schema_data.nullable,
        }
    }

    /// Properties and required names of an object schema, through `$ref`s.
    pub(super) fn object_parts(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &str,
    ) -> Option<(Vec<Property<'a>>, Vec<&'a str>)> {
        let (schema, pointer, owner) = match schema {
            SchemaRef::Inline(schema) => (schema, pointer.to_owned(), None),
            SchemaRef::Ref(reference) => {
                let key = self.component_key(reference, pointer)?;
                let component_pointer = push_pointer("/components/schemas", &key);
                let owner = self.component_names.get(&key).cloned();
                match self.components()?.get(&key)? {
                    ReferenceOr::Item(schema) => (schema, component_pointer, owner),
                    ReferenceOr::Reference { reference } => {
                        return self.object_parts(SchemaRef::Ref(reference), &component_pointer)
                    }
                }
            }
        };
        let required = |names: &'a [String]| names.iter().map(String::as_str).collect();
        let (mut properties, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => (
                properties_of(&object.properties, &pointer),
                required(&object.required),
            ),
            SchemaKind::Any(any) if !any.properties.is_empty() => (
                properties_of(&any.properties, &pointer),
                required(&any.required),
            ),
            SchemaKind::AllOf { all_of } => {
                let mut merged: Vec<Property<'a>> = Vec::new();
                let mut required: Vec<&'a str> = Vec::new();
                for (index, member) in all_of.iter().enumerate() {
                    let member_pointer =
                        push_pointer(&push_pointer(&pointer, "allOf"), &index.to_string());
                    if let ReferenceOr::Item(member) = member {
                        if is_annotation(member) {
                            if let SchemaKind::Any(any) = &member.schema_kind {
                                required.extend(any.required.iter().map(String::as_str));
                            }
                            continue;
                        }
                    }
                    let (member_properties, member_required) =
                        self.object_parts(SchemaRef::from(member), &member_pointer)?;
                    for property in member_properties {
                        merged.retain(|known| known.wire_name != property.wire_name);
                        merged.push(property);
                    }
                    required.extend(member_required);
                }
                (merged, required)
            }
            _ => return None,
        };
        for property in properties
            .iter_mut()
            .filter(|property| property.owner.is_none())
        {
            property.owner.clone_from(&owner);
        }
        Some((properties, required))
    }
}

/// The name of a union's variant for a member of this type.
pub(super) fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "Text".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "Integer".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
        TypeRef::Bool => "Boolean".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::Date => "Date".to_owned(),
        TypeRef::Any => "Value".to_owned(),
        TypeRef::Object => "Object".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::Vec(item) => format!("{}List", variant_name(item)),
        TypeRef::Map(value) => format!("{}Map", variant_name(value)),
    }
}

/// A schema with no type and no structure of its own: only annotations
/// such as `nullable`, `required` or a description.
pub(super) fn is_annotation(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.properties.is_empty()
                && any.items.is_none()
                && any.additional_properties.is_none()
                && any.enumeration.is_empty()
                && any.format.is_none()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
                && any.not.is_none()
        }
        _ => false,
    }
}
