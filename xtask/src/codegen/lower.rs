//! Lower: the OpenAPI document to the IR. Every naming decision is made
//! here, every list sorted, and every quirk of the spec normalised with a
//! warning that says where and what.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, Parameter,
    ParameterSchemaOrContent, ReferenceOr, Response, Schema, SchemaKind, StatusCode, StringFormat,
    Type, VariantOrUnknownOrEmpty,
};

use super::diag::{push_pointer, unescape_pointer_segment, Diagnostic, Errors, Location, Warning};
use super::ir::{
    Api, BodyKind, ErrorCase, Field, Group, Method, Operation, Param, ParamLocation, PathPart,
    RequestBody, Success, TrackingId, TypeDef, TypeKind, TypeRef, UnionVariant, Variant,
    ALL_FEATURE,
};
use super::load::Spec;
use super::names::{pascal, snake, status_variant};

/// The tag of operations that have none.
const UNTAGGED: &str = "Default";

/// Lowers a validated document.
pub fn lower(spec: &Spec, openapi: &OpenAPI) -> Result<(Api, Vec<Warning>), Errors> {
    let mut lowering = Lowering {
        spec,
        openapi,
        component_names: BTreeMap::new(),
        types: BTreeMap::new(),
        type_origins: BTreeMap::new(),
        reserved: BTreeMap::new(),
        warnings: Vec::new(),
        errors: Vec::new(),
    };
    lowering.name_components();
    lowering.lower_components();
    let groups = lowering.lower_operations();
    if !lowering.errors.is_empty() {
        lowering.errors.sort();
        lowering.errors.dedup();
        return Err(Errors(lowering.errors));
    }
    lowering.warnings.sort();
    lowering.box_recursion();
    lowering.name_modules();
    lowering.mark_features(&groups);
    let api = Api {
        title: openapi.info.title.clone(),
        description: openapi.info.description.clone(),
        version: openapi.info.version.clone(),
        server_base_path: server_base_path(openapi),
        types: lowering.types,
        groups,
    };
    Ok((api, lowering.warnings))
}

/// The path of the first server URL, with its variables at their defaults.
fn server_base_path(openapi: &OpenAPI) -> String {
    let Some(server) = openapi.servers.first() else {
        return String::new();
    };
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let path = match after_scheme.find('/') {
        Some(start) if url.contains("://") => &after_scheme[start..],
        _ if url.starts_with('/') => url.as_str(),
        _ => "",
    };
    path.trim_end_matches('/').to_owned()
}

/// A schema, written inline or as a `$ref`.
#[derive(Clone, Copy)]
enum SchemaRef<'a> {
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
    fn inline(self) -> Option<&'a Schema> {
        match self {
            Self::Inline(schema) => Some(schema),
            Self::Ref(_) => None,
        }
    }
}

/// A property of an object schema, with the pointer of its schema.
struct Property<'a> {
    wire_name: &'a str,
    schema: SchemaRef<'a>,
    pointer: String,
    /// The type the property was declared in, when merged from another
    /// schema by `allOf`: its inline types are named after that one.
    owner: Option<String>,
}

fn properties_of<'a>(
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
struct Shape {
    ty: TypeRef,
    nullable: bool,
}

/// Whether a type name may be given to a schema.
enum Claim {
    /// First use: define it.
    New,
    /// The same schema was lowered already (a shared response file).
    Existing,
}

struct Lowering<'a> {
    spec: &'a Spec,
    openapi: &'a OpenAPI,
    /// Component key → Rust type name.
    component_names: BTreeMap<String, String>,
    types: BTreeMap<String, TypeDef>,
    /// Rust type name → where the schema it was made from is, and the schema.
    type_origins: BTreeMap<String, (Location, Option<Schema>)>,
    /// Component type names → where the component is: no other schema may
    /// take them.
    reserved: BTreeMap<String, Location>,
    warnings: Vec<Warning>,
    errors: Vec<Diagnostic>,
}

impl<'a> Lowering<'a> {
    fn components(&self) -> Option<&'a IndexMap<String, ReferenceOr<Schema>>> {
        self.openapi
            .components
            .as_ref()
            .map(|components| &components.schemas)
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors
            .push(Diagnostic::new(self.spec.locate(pointer), message));
    }

    fn warn(&mut self, kind: &'static str, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            kind,
            location: self.spec.locate(pointer),
            message: message.into(),
        });
    }

    /// File names of the types: snake case, unique.
    fn name_modules(&mut self) {
        let mut taken = BTreeSet::new();
        for def in self.types.values_mut() {
            let base = snake(&def.name);
            let module = std::iter::once(base.clone())
                .chain((2..).map(|n| format!("{base}_{n}")))
                .find(|candidate| !taken.contains(candidate))
                .expect("some suffix is free");
            taken.insert(module.clone());
            def.module = module;
        }
    }

    fn name_components(&mut self) {
        let Some(schemas) = self.components() else {
            return;
        };
        let mut keys_of: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for key in schemas.keys() {
            keys_of.entry(pascal(key)).or_default().push(key);
        }
        for (name, keys) in keys_of {
            if let [key] = keys[..] {
                let origin = self.spec.locate(&push_pointer("/components/schemas", key));
                self.reserved.insert(name.clone(), origin);
                self.component_names.insert(key.to_owned(), name);
            } else {
                for key in &keys {
                    self.error(
                        &push_pointer("/components/schemas", key),
                        format!(
                            "schemas {} all become the Rust type `{name}`",
                            keys.iter()
                                .map(|key| format!("`{key}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
        }
    }

    fn lower_components(&mut self) {
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
                    TypeDef {
                        name: name.clone(),
                        module: String::new(),
                        features: BTreeSet::new(),
                        description,
                        kind: TypeKind::Alias(shape.ty),
                    },
                );
            }
        }
    }

    /// The component key a `$ref` names.
    fn component_key(&mut self, reference: &str, pointer: &str) -> Option<String> {
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
    fn alias_cycle(&self, key: &str) -> Option<String> {
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
    fn component_nullable(&self, key: &str) -> bool {
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
    fn type_of(&mut self, schema: SchemaRef<'a>, name: &str, pointer: &str) -> Shape {
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

    fn schema_type(&mut self, schema: &'a Schema, name: &str, pointer: &str) -> Shape {
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
                    "not-as-json-value",
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

    /// `oneOf` / `anyOf`: an enum with a variant per member, chosen by the
    /// discriminator when there is one.
    fn union(
        &mut self,
        name: &str,
        pointer: &str,
        schema: &'a Schema,
        members: &'a [ReferenceOr<Schema>],
        keyword: &str,
    ) -> Shape {
        let mut nullable = schema.schema_data.nullable;
        let (name, claim) = self.claim(name, pointer, Some(schema));
        if let Claim::Existing = claim {
            return Shape {
                ty: TypeRef::Named(name),
                nullable,
            };
        }
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
                    "union-variant-without-tag",
                    &member_pointer,
                    format!("`{name}`: an inline member has no discriminator value; it is decoded only as the fallback"),
                );
            }
            let base = variant_name(&shape.ty);
            let ident = std::iter::once(base.clone())
                .chain((2..).map(|n| format!("{base}{n}")))
                .find(|candidate| !variants.iter().any(|variant| variant.ident == *candidate))
                .expect("some suffix is free");
            variants.push(UnionVariant {
                ident,
                ty: shape.ty,
                tags,
                boxed: false,
            });
        }
        let fallback = ["Unknown", "UnknownValue", "OtherValue"]
            .into_iter()
            .find(|candidate| !variants.iter().any(|variant| variant.ident == *candidate))
            .unwrap_or("UnknownValueOfThisUnion")
            .to_owned();
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                module: String::new(),
                features: BTreeSet::new(),
                description: description_of(schema),
                kind: TypeKind::Union {
                    variants,
                    discriminator: discriminator.map(|d| d.property_name.clone()),
                    fallback,
                },
            },
        );
        Shape {
            ty: TypeRef::Named(name),
            nullable,
        }
    }

    /// Records, for every type, the tags whose operations use it: the types
    /// of their parameters, bodies and answers, and everything those contain.
    fn mark_features(&mut self, groups: &[Group]) {
        for group in groups {
            let mut pending: Vec<String> = Vec::new();
            for operation in &group.operations {
                let used = operation
                    .params
                    .iter()
                    .map(|param| &param.ty)
                    .chain(operation.body.iter().filter_map(|body| match &body.kind {
                        BodyKind::Json(ty) | BodyKind::Form(ty) => Some(ty),
                        BodyKind::Multipart(_) | BodyKind::Binary => None,
                    }))
                    .chain(operation.success.body.iter())
                    .chain(
                        operation
                            .errors
                            .iter()
                            .filter_map(|case| case.body.as_ref()),
                    );
                for ty in used {
                    named_in(ty, &mut pending);
                }
            }
            while let Some(name) = pending.pop() {
                let Some(def) = self.types.get_mut(&name) else {
                    continue;
                };
                if !def.features.insert(group.feature.clone()) {
                    continue;
                }
                match &def.kind {
                    TypeKind::Struct { fields } => {
                        fields
                            .iter()
                            .for_each(|field| named_in(&field.ty, &mut pending));
                    }
                    TypeKind::Union { variants, .. } => {
                        variants
                            .iter()
                            .for_each(|variant| named_in(&variant.ty, &mut pending));
                    }
                    TypeKind::Alias(target) => named_in(target, &mut pending),
                    TypeKind::Enum { .. } => {}
                }
            }
        }
    }

    /// Marks the fields and variants through which a type contains itself,
    /// directly or through others, so that they are boxed: such types
    /// would otherwise have no size.
    fn box_recursion(&mut self) {
        let names: Vec<String> = self.types.keys().cloned().collect();
        let index: BTreeMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i))
            .collect();
        let by_value = |ty: &TypeRef| match ty {
            TypeRef::Named(target) => index.get(target.as_str()).copied(),
            _ => None,
        };
        let edges: Vec<Vec<usize>> = names
            .iter()
            .map(|name| match &self.types[name].kind {
                TypeKind::Struct { fields } => {
                    fields.iter().filter_map(|f| by_value(&f.ty)).collect()
                }
                TypeKind::Union { variants, .. } => {
                    variants.iter().filter_map(|v| by_value(&v.ty)).collect()
                }
                TypeKind::Alias(target) => by_value(target).into_iter().collect(),
                TypeKind::Enum { .. } => Vec::new(),
            })
            .collect();
        let component = strongly_connected_components(&edges);
        let same =
            |from: usize, to: Option<usize>| to.is_some_and(|to| component[to] == component[from]);
        for (from, name) in names.iter().enumerate() {
            let def = self.types.get_mut(name).expect("listed above");
            match &mut def.kind {
                TypeKind::Struct { fields } => {
                    for field in fields {
                        field.boxed = same(from, by_value(&field.ty));
                    }
                }
                TypeKind::Union { variants, .. } => {
                    for variant in variants {
                        variant.boxed = same(from, by_value(&variant.ty));
                    }
                }
                _ => {}
            }
        }
    }

    fn array(
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

    /// `allOf`: one member is that member (SailPoint wraps schemas so);
    /// several are merged into one struct.
    fn all_of(
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
                    "all-of-non-object",
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
    fn object_parts(
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

    /// The name of the type for the schema at `pointer`: `wanted`, unless a
    /// different schema has it (or it is a component's name), then
    /// `{wanted}Value`, then `wanted` qualified with the schema's file. The
    /// same schema, or an identical one, gets the type already made.
    fn claim(&mut self, wanted: &str, pointer: &str, schema: Option<&Schema>) -> (String, Claim) {
        let origin = self.spec.locate(pointer);
        let candidates = [
            wanted.to_owned(),
            format!("{wanted}Value"),
            format!("{}{wanted}", qualifier(&origin, &self.spec.root_file)),
        ];
        for name in candidates {
            if self
                .reserved
                .get(&name)
                .is_some_and(|owner| !is_same_schema(owner, &origin))
            {
                continue;
            }
            match self.type_origins.get(&name) {
                None => {
                    self.type_origins
                        .insert(name.clone(), (origin, schema.cloned()));
                    if name != wanted {
                        self.warn(
                            "type-name-collision",
                            pointer,
                            format!("the type name `{wanted}` is taken by another schema; named `{name}`"),
                        );
                    }
                    return (name, Claim::New);
                }
                Some((first, _)) if *first == origin => return (name, Claim::Existing),
                Some((_, Some(first))) if schema == Some(first) => return (name, Claim::Existing),
                Some(_) => {}
            }
        }
        self.error(
            pointer,
            format!("no free type name for this schema (wanted `{wanted}`)"),
        );
        (wanted.to_owned(), Claim::Existing)
    }

    /// Defines `def` under the name [`Self::claim`] gives; that name.
    fn define(&mut self, pointer: &str, schema: Option<&Schema>, mut def: TypeDef) -> String {
        let (name, claim) = self.claim(&def.name, pointer, schema);
        if let Claim::New = claim {
            def.name.clone_from(&name);
            self.types.insert(name.clone(), def);
        }
        name
    }

    fn object(
        &mut self,
        name: &str,
        pointer: &str,
        schema: Option<&'a Schema>,
        properties: Vec<Property<'a>>,
        required: &[&str],
        additional: Option<&'a AdditionalProperties>,
    ) -> TypeRef {
        let description = schema.and_then(description_of);
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
        let (name, claim) = self.claim(name, pointer, schema);
        if let Claim::Existing = claim {
            return TypeRef::Named(name);
        }
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
                let unique = (2..)
                    .map(|n| format!("{ident}_{n}"))
                    .find(|candidate| !idents.contains(candidate))
                    .expect("some suffix is free");
                self.warn(
                    "field-name-collision",
                    &property_pointer,
                    format!("`{name}`: property `{wire_name}` becomes `{ident}`, taken by another property; named `{unique}`"),
                );
                idents.insert(unique.clone());
                ident = unique;
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
            });
        }
        self.types.insert(
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                module: String::new(),
                features: BTreeSet::new(),
                description,
                kind: TypeKind::Struct { fields },
            },
        );
        TypeRef::Named(name.to_owned())
    }

    fn string_enum(
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
                let unique = (2..)
                    .map(|n| format!("{ident}{n}"))
                    .find(|candidate| !variants.iter().any(|variant| variant.ident == *candidate))
                    .expect("some suffix is free");
                self.warn(
                    "enum-variant-collision",
                    pointer,
                    format!("`{name}`: value `{value}` becomes `{ident}`, taken by another value; named `{unique}`"),
                );
                ident = unique;
            }
            variants.push(Variant {
                ident,
                value: (*value).to_owned(),
            });
        }
        let fallback = ["Unknown", "UnknownValue", "OtherValue"]
            .into_iter()
            .find(|candidate| !variants.iter().any(|variant| variant.ident == *candidate))
            .unwrap_or("UnknownValueOfThisEnum")
            .to_owned();
        let name = self.define(
            pointer,
            Some(schema),
            TypeDef {
                name: name.to_owned(),
                module: String::new(),
                features: BTreeSet::new(),
                description,
                kind: TypeKind::Enum { variants, fallback },
            },
        );
        TypeRef::Named(name)
    }

    fn lower_operations(&mut self) -> Vec<Group> {
        let mut by_tag: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
        for (path, item) in &self.openapi.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            let path_pointer = push_pointer("/paths", path);
            for (method, operation) in item.iter() {
                let pointer = push_pointer(&path_pointer, method);
                let tag = operation
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| UNTAGGED.to_owned());
                if let Some(lowered) = self.operation(path, method, item, operation, &pointer) {
                    by_tag.entry(tag).or_default().push(lowered);
                }
            }
        }
        let mut groups: Vec<Group> = by_tag
            .into_iter()
            .map(|(tag, mut operations)| {
                operations.sort_by(|a, b| a.fn_name.cmp(&b.fn_name));
                let description = self
                    .openapi
                    .tags
                    .iter()
                    .find(|known| known.name == tag)
                    .and_then(|known| known.description.clone());
                let module = snake(&tag);
                let feature = if module == ALL_FEATURE || module == "default" {
                    format!("tag_{module}")
                } else {
                    module.clone()
                };
                Group {
                    feature,
                    module,
                    type_name: pascal(&tag),
                    tag,
                    description,
                    operations,
                }
            })
            .collect();
        groups.sort_by(|a, b| a.module.cmp(&b.module));
        for pair in groups.windows(2) {
            if pair[0].module == pair[1].module {
                let message = format!(
                    "tags `{}` and `{}` both become the module `{}`",
                    pair[0].tag, pair[1].tag, pair[0].module
                );
                self.error("/tags", message);
            }
        }
        groups
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        item: &'a openapiv3::PathItem,
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Option<Operation> {
        let operation_id = match operation.operation_id.clone().filter(|id| !id.is_empty()) {
            Some(id) => id,
            None => {
                let derived = derived_operation_id(method, path);
                self.warn(
                    "operation-id-derived",
                    pointer,
                    format!(
                        "{} {path} has no operationId; named `{derived}` after its method and path",
                        method.to_uppercase()
                    ),
                );
                derived
            }
        };
        let type_stem = pascal(&operation_id);
        let method = match method {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            _ => Method::Trace,
        };
        let declared = self.parameters(&operation_id, item, operation, pointer);
        let (path_parts, params) = self.bind_path(&operation_id, path, declared, pointer)?;
        let (success, errors) = self.responses(&operation_id, &type_stem, operation, pointer);
        let mut body = operation.request_body.as_ref().and_then(|body| {
            self.request_body(&type_stem, body, &push_pointer(pointer, "requestBody"))
        });
        if let Some(body) = &mut body {
            if params.iter().any(|param| param.ident == body.ident) {
                body.ident = "request_body".to_owned();
            }
        }
        let accept = accepted_media_types(operation);
        Some(Operation {
            fn_name: match snake(&operation_id) {
                // Names the tag's type already has for itself.
                reserved if reserved == "client" || reserved == "new" => {
                    format!("{reserved}_operation")
                }
                fn_name => fn_name,
            },
            builder_name: type_stem.clone(),
            error_name: format!("{type_stem}Error"),
            operation_id,
            method,
            path_template: path.to_owned(),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            path: path_parts,
            params,
            body,
            success,
            accept,
            errors,
        })
    }

    fn request_body(
        &mut self,
        type_stem: &str,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
    ) -> Option<RequestBody> {
        let ReferenceOr::Item(body) = body else {
            self.error(pointer, "a request body `$ref` was left unresolved");
            return None;
        };
        let chosen = body
            .content
            .iter()
            .find(|(media_type, _)| is_json(media_type))
            .or_else(|| {
                body.content
                    .iter()
                    .find(|(media_type, _)| media_type.starts_with("multipart/form-data"))
            })
            .or_else(|| body.content.first());
        let Some((media_type, media)) = chosen else {
            self.warn(
                "request-body-empty",
                pointer,
                "the request body has no content; nothing is sent",
            );
            return None;
        };
        let schema_pointer = push_pointer(
            &push_pointer(&push_pointer(pointer, "content"), media_type),
            "schema",
        );
        let name = format!("{type_stem}Request");
        let typed = |this: &mut Self| match &media.schema {
            Some(schema) => {
                this.type_of(SchemaRef::from(schema), &name, &schema_pointer)
                    .ty
            }
            None => TypeRef::Any,
        };
        let kind = if is_json(media_type) {
            BodyKind::Json(typed(self))
        } else if media_type.starts_with("application/x-www-form-urlencoded") {
            BodyKind::Form(typed(self))
        } else if media_type.starts_with("multipart/form-data") {
            let parts = match &media.schema {
                Some(schema) => self
                    .object_parts(SchemaRef::from(schema), &schema_pointer)
                    .map(|(properties, _)| {
                        properties
                            .iter()
                            .map(|property| {
                                let description = property.schema.inline().and_then(description_of);
                                (property.wire_name.to_owned(), description)
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            BodyKind::Multipart(parts)
        } else {
            BodyKind::Binary
        };
        Some(RequestBody {
            ident: "body".to_owned(),
            kind,
            content_type: media_type.clone(),
            required: body.required,
            description: body.description.clone(),
        })
    }

    /// Parameters of the path item and the operation (the operation's win),
    /// with the pointer of each.
    fn parameters(
        &mut self,
        operation_id: &str,
        item: &'a openapiv3::PathItem,
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Vec<(Param, String)> {
        let item_pointer = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
        let declared = item
            .parameters
            .iter()
            .enumerate()
            .map(|(index, p)| {
                (
                    p,
                    push_pointer(
                        &push_pointer(item_pointer, "parameters"),
                        &index.to_string(),
                    ),
                )
            })
            .chain(operation.parameters.iter().enumerate().map(|(index, p)| {
                (
                    p,
                    push_pointer(&push_pointer(pointer, "parameters"), &index.to_string()),
                )
            }));
        let mut by_key: BTreeMap<(ParamLocation, String), (Param, String)> = BTreeMap::new();
        for (parameter, param_pointer) in declared {
            let ReferenceOr::Item(parameter) = parameter else {
                self.error(&param_pointer, "a parameter `$ref` was left unresolved");
                continue;
            };
            let (location, data) = match parameter {
                Parameter::Path { parameter_data, .. } => (ParamLocation::Path, parameter_data),
                Parameter::Query { parameter_data, .. } => (ParamLocation::Query, parameter_data),
                Parameter::Header { parameter_data, .. } => (ParamLocation::Header, parameter_data),
                Parameter::Cookie { parameter_data, .. } => {
                    self.warn(
                        "cookie-parameter-skipped",
                        &param_pointer,
                        format!(
                            "operation `{operation_id}`: cookie parameter `{}` is not sent",
                            parameter_data.name
                        ),
                    );
                    continue;
                }
            };
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&data.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                self.warn(
                    "parameter-content-skipped",
                    &param_pointer,
                    format!("operation `{operation_id}`: parameter `{}` uses `content`, which is not supported; not sent", data.name),
                );
                continue;
            };
            let schema_pointer = push_pointer(&param_pointer, "schema");
            let shape = self.type_of(
                SchemaRef::from(schema),
                &format!("{}{}", pascal(operation_id), pascal(&data.name)),
                &schema_pointer,
            );
            let sendable = match &shape.ty {
                TypeRef::Vec(item) => self.is_text_param(item),
                other => self.is_text_param(other),
            };
            let ty = match shape.ty {
                ty if sendable => ty,
                _ => {
                    self.warn(
                        "parameter-type-as-string",
                        &schema_pointer,
                        format!("operation `{operation_id}`: parameter `{}` is not a scalar; passed as text", data.name),
                    );
                    TypeRef::String
                }
            };
            let default = match schema {
                ReferenceOr::Item(schema) => schema.schema_data.default.as_ref(),
                ReferenceOr::Reference { .. } => None,
            };
            let default = default.map(|value| {
                let text = match value {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                let mismatched = !matches!(
                    (&ty, value),
                    (TypeRef::String, serde_json::Value::String(_))
                        | (TypeRef::Bool, serde_json::Value::Bool(_))
                        | (
                            TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64,
                            serde_json::Value::Number(_)
                        )
                );
                if mismatched {
                    self.warn(
                        "default-type-mismatch",
                        &push_pointer(&schema_pointer, "default"),
                        format!(
                            "operation `{operation_id}`: parameter `{}` has type {} but default {value}; sent as \"{text}\"",
                            data.name,
                            type_name(&ty),
                        ),
                    );
                }
                text
            });
            let explode = data.explode.unwrap_or(matches!(
                parameter,
                Parameter::Query {
                    style: openapiv3::QueryStyle::Form,
                    ..
                }
            ));
            let param = Param {
                explode,
                wire_name: data.name.clone(),
                ident: snake(&data.name),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                default,
                description: data.description.clone(),
                example: data.example.as_ref().map(|example| match example {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                }),
            };
            by_key.insert((location, data.name.clone()), (param, param_pointer));
        }
        by_key.into_values().collect()
    }

    /// Whether a parameter of this type can be written as text: scalars,
    /// dates, and string enums (whose `Display` is the wire value).
    fn is_text_param(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Bool
            | TypeRef::DateTime
            | TypeRef::Date => true,
            TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Enum { .. }) => true,
                Some(TypeKind::Alias(target)) => self.is_text_param(target),
                _ => false,
            },
            _ => false,
        }
    }

    /// Binds the template's variables to path parameters and orders the
    /// parameters: path ones in template order, then the others.
    fn bind_path(
        &mut self,
        operation_id: &str,
        path: &str,
        mut params: Vec<(Param, String)>,
        pointer: &str,
    ) -> Option<(Vec<PathPart>, Vec<Param>)> {
        let mut segments = Vec::new();
        let mut variables = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                self.error(
                    pointer,
                    format!("path template `{path}` has an unclosed `{{`"),
                );
                return None;
            };
            segments.push(PathPart::Literal(rest[..open].to_owned()));
            let variable = rest[open + 1..open + close].to_owned();
            if variable.is_empty() || variables.contains(&variable) {
                self.error(
                    pointer,
                    format!("operation `{operation_id}`: the path template `{path}` has an empty or repeated variable `{{{variable}}}`, which no argument can fill"),
                );
                return None;
            }
            variables.push(variable);
            segments.push(PathPart::Param(usize::MAX));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathPart::Literal(rest.to_owned()));
        }
        let declared: Vec<usize> = (0..params.len())
            .filter(|&index| params[index].0.location == ParamLocation::Path)
            .collect();
        let mut bound: Vec<Option<usize>> = variables
            .iter()
            .map(|variable| {
                declared
                    .iter()
                    .copied()
                    .find(|&index| params[index].0.wire_name == *variable)
            })
            .collect();
        let unbound_variables: Vec<usize> = (0..variables.len())
            .filter(|&v| bound[v].is_none())
            .collect();
        let unused: Vec<usize> = declared
            .iter()
            .copied()
            .filter(|index| !bound.contains(&Some(*index)))
            .collect();
        match (&unbound_variables[..], &unused[..]) {
            ([], []) => {}
            ([variable], [index]) => {
                let (param, param_pointer) = &params[*index];
                let variable_name = &variables[*variable];
                let message = format!(
                    "operation `{operation_id}`: the path template `{path}` names `{{{variable_name}}}` but the declared path parameter is `{}`; bound `{}` to `{{{variable_name}}}` (Rust argument `{}`)",
                    param.wire_name,
                    param.wire_name,
                    snake(variable_name),
                );
                let param_pointer = param_pointer.clone();
                self.warn("path-parameter-renamed", &param_pointer, message);
                bound[*variable] = Some(*index);
            }
            _ => {
                for &index in &unused {
                    let (param, param_pointer) = &params[index];
                    let message = format!(
                        "operation `{operation_id}`: path parameter `{}` is not in the template `{path}`; it is not sent",
                        param.wire_name
                    );
                    let param_pointer = param_pointer.clone();
                    self.warn("path-parameter-unused", &param_pointer, message);
                }
                for &variable in &unbound_variables {
                    let name = &variables[variable];
                    let message = format!(
                        "operation `{operation_id}`: the path template variable `{{{name}}}` has no declared parameter; it becomes the required text argument `{}`",
                        snake(name)
                    );
                    self.warn("path-parameter-missing", pointer, message);
                    params.push((
                        Param {
                            explode: false,
                            wire_name: name.clone(),
                            ident: snake(name),
                            location: ParamLocation::Path,
                            ty: TypeRef::String,
                            required: true,
                            default: None,
                            description: None,
                            example: None,
                        },
                        pointer.to_owned(),
                    ));
                    bound[variable] = Some(params.len() - 1);
                }
            }
        }
        let mut ordered: Vec<Param> = Vec::with_capacity(params.len());
        for (variable, index) in variables.iter().zip(&bound) {
            let index = index.expect("every variable was bound");
            let mut param = params[index].0.clone();
            param.wire_name.clone_from(variable);
            param.ident = snake(variable);
            ordered.push(param);
        }
        let mut others: Vec<Param> = params
            .drain(..)
            .filter(|(param, _)| param.location != ParamLocation::Path)
            .map(|(param, _)| param)
            .collect();
        others.sort_by(|a, b| (a.location, &a.wire_name).cmp(&(b.location, &b.wire_name)));
        ordered.extend(others);
        // The request builder's own field and methods.
        let mut idents: BTreeSet<String> = ["client", "decode", "prepare", "send"]
            .map(str::to_owned)
            .into();
        for param in &mut ordered {
            if !idents.insert(param.ident.clone()) {
                let suffix = match param.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                };
                param.ident = format!("{}_{suffix}", param.ident);
                idents.insert(param.ident.clone());
            }
        }
        let mut next_variable = 0;
        for segment in &mut segments {
            if let PathPart::Param(index) = segment {
                *index = next_variable;
                next_variable += 1;
            }
        }
        segments.retain(|segment| !matches!(segment, PathPart::Literal(text) if text.is_empty()));
        Some((segments, ordered))
    }

    fn responses(
        &mut self,
        operation_id: &str,
        type_stem: &str,
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> (Success, Vec<ErrorCase>) {
        let responses_pointer = push_pointer(pointer, "responses");
        let mut successes: Vec<(u16, Option<TypeRef>, String)> = Vec::new();
        let mut errors = Vec::new();
        for (code, response) in &operation.responses.responses {
            let code_text = code.to_string();
            let response_pointer = push_pointer(&responses_pointer, &code_text);
            let StatusCode::Code(status) = *code else {
                self.warn(
                    "status-range-skipped",
                    &response_pointer,
                    format!("operation `{operation_id}`: status range {code_text} is not modelled; such answers are undocumented errors"),
                );
                continue;
            };
            let ReferenceOr::Item(response) = response else {
                self.error(&response_pointer, "a response `$ref` was left unresolved");
                continue;
            };
            let success = (200..300).contains(&status);
            let name = self.response_type_name(type_stem, status, success, &response_pointer);
            let body = self.response_body(response, &name, &response_pointer);
            if success {
                successes.push((status, body, response.description.clone()));
            } else {
                let tracking_id = body
                    .as_ref()
                    .map_or(TrackingId::Absent, |body| self.tracking_id(body));
                errors.push(ErrorCase {
                    status,
                    variant: status_variant(status),
                    body,
                    description: response.description.clone(),
                    tracking_id,
                });
            }
        }
        if operation.responses.default.is_some() {
            self.warn(
                "default-response-skipped",
                &push_pointer(&responses_pointer, "default"),
                format!("operation `{operation_id}`: the `default` response is not modelled; such answers are undocumented errors"),
            );
        }
        successes.sort_by_key(|(status, _, _)| *status);
        errors.sort_by_key(|error| error.status);
        let success = match successes.first() {
            Some((status, body, description)) => {
                for (other, other_body, _) in &successes[1..] {
                    if other_body != body {
                        self.warn(
                            "several-success-bodies",
                            &push_pointer(&responses_pointer, &other.to_string()),
                            format!("operation `{operation_id}`: only the {status} body is typed; a {other} answer is decoded as it"),
                        );
                    }
                }
                Success {
                    status: *status,
                    body: body.clone(),
                    description: description.clone(),
                }
            }
            None => {
                self.warn(
                    "no-success-response",
                    &responses_pointer,
                    format!("operation `{operation_id}`: no 2xx response is documented; any 2xx is a success without body"),
                );
                Success {
                    status: 0,
                    body: None,
                    description: String::new(),
                }
            }
        };
        (success, errors)
    }

    /// The name of an inline response body: after the reusable response it
    /// belongs to (`responses/401.yaml` → `UnauthorizedResponse`), else after
    /// the operation.
    fn response_type_name(
        &self,
        type_stem: &str,
        status: u16,
        success: bool,
        pointer: &str,
    ) -> String {
        let reusable = match self.spec.locate(pointer) {
            Location::Pointer { file, pointer } if pointer.is_empty() => file
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned()),
            Location::Pointer { pointer, .. } => pointer
                .strip_prefix("/components/responses/")
                .filter(|name| !name.contains('/'))
                .map(unescape_pointer_segment),
            _ => None,
        };
        match reusable {
            Some(name) => {
                let base = match name.parse::<u16>() {
                    Ok(status) => status_variant(status),
                    Err(_) => pascal(&name),
                };
                if base.ends_with("Response") {
                    base
                } else {
                    format!("{base}Response")
                }
            }
            None if success => format!("{type_stem}Response"),
            None => format!("{type_stem}{}Response", status_variant(status)),
        }
    }

    fn response_body(
        &mut self,
        response: &'a Response,
        name: &str,
        pointer: &str,
    ) -> Option<TypeRef> {
        if response.content.is_empty() {
            return None;
        }
        let json = response
            .content
            .iter()
            .find(|(media_type, _)| is_json(media_type));
        let Some((media_type, media)) = json else {
            // CSV, ZIP, images, PDF, XML, text: handed over as bytes.
            return Some(TypeRef::Bytes);
        };
        let schema = media.schema.as_ref()?;
        let schema_pointer = push_pointer(
            &push_pointer(&push_pointer(pointer, "content"), media_type),
            "schema",
        );
        let ty = self
            .type_of(SchemaRef::from(schema), name, &schema_pointer)
            .ty;
        if let Some(def) = self.types.get_mut(name) {
            if def.description.is_none() && !response.description.trim().is_empty() {
                def.description = Some(response.description.clone());
            }
        }
        Some(ty)
    }

    /// Where an error body keeps its `trackingId`, following aliases.
    fn tracking_id(&self, body: &TypeRef) -> TrackingId {
        let mut ty = body;
        for _ in 0..32 {
            let TypeRef::Named(name) = ty else {
                return TrackingId::Absent;
            };
            match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                Some(TypeKind::Struct { fields }) => {
                    let field = fields.iter().find(|field| {
                        field.wire_name == "trackingId" && field.ty == TypeRef::String
                    });
                    return match field {
                        Some(field) if field.required && !field.nullable => {
                            TrackingId::Required(field.ident.clone())
                        }
                        Some(field) if field.required || !field.nullable => {
                            TrackingId::Optional(field.ident.clone())
                        }
                        _ => TrackingId::Absent,
                    };
                }
                _ => return TrackingId::Absent,
            }
        }
        TrackingId::Absent
    }
}

/// Whether `inner` is the schema at `outer`, or its only `allOf` member
/// (SailPoint wraps schemas so): both are the one type.
fn is_same_schema(outer: &Location, inner: &Location) -> bool {
    match (outer, inner) {
        (
            Location::Pointer { file, pointer },
            Location::Pointer {
                file: inner_file,
                pointer: inner_pointer,
            },
        ) if file == inner_file => inner_pointer
            .strip_prefix(pointer.as_str())
            .is_some_and(|rest| rest.split("/allOf/0").all(str::is_empty)),
        _ => outer == inner,
    }
}

/// What tells a schema's file apart: its folders under the spec's root
/// folder, and its pointer, in Pascal case.
fn qualifier(origin: &Location, root_file: &std::path::Path) -> String {
    let Location::Pointer { file, pointer } = origin else {
        return String::new();
    };
    let root_dir = root_file
        .parent()
        .unwrap_or_else(|| std::path::Path::new(""));
    let relative = file.strip_prefix(root_dir).unwrap_or(file);
    let mut words: Vec<String> = relative
        .parent()
        .into_iter()
        .flat_map(|parent| parent.components())
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .filter(|part| part != "schemas" && part != "responses")
        .collect();
    words.extend(
        pointer
            .split('/')
            .skip(1)
            .filter(|part| *part != "properties")
            .map(unescape_pointer_segment),
    );
    pascal(&words.join(" "))
}

/// `GET /das/owners/{ownerId}/resources` → `getDasOwnersByOwnerIdResources`.
fn derived_operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_owned();
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        match segment
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Some(variable) => {
                id.push_str("By");
                id.push_str(&pascal(variable));
            }
            None => id.push_str(&pascal(segment)),
        }
    }
    id
}

/// The media types of an operation's success answers, for `Accept`.
fn accepted_media_types(operation: &openapiv3::Operation) -> String {
    let mut types: Vec<&str> = operation
        .responses
        .responses
        .iter()
        .filter(|(code, _)| matches!(code, StatusCode::Code(status) if (200..300).contains(status)))
        .filter_map(|(_, response)| match response {
            ReferenceOr::Item(response) => Some(response.content.keys().map(String::as_str)),
            ReferenceOr::Reference { .. } => None,
        })
        .flatten()
        .collect();
    types.sort_unstable();
    types.dedup();
    if types.is_empty() || types.contains(&"application/json") {
        "application/json".to_owned()
    } else {
        types.join(", ")
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// Pushes the names of the types `ty` uses.
fn named_in(ty: &TypeRef, into: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => into.push(name.clone()),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => named_in(inner, into),
        _ => {}
    }
}

/// The name of a union's variant for a member of this type.
fn variant_name(ty: &TypeRef) -> String {
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

/// Tarjan's algorithm: the strongly connected component of each node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    struct State<'e> {
        edges: &'e [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        component: Vec<usize>,
        next_index: usize,
        next_component: usize,
    }
    fn visit(state: &mut State<'_>, node: usize) {
        state.index[node] = Some(state.next_index);
        state.low[node] = state.next_index;
        state.next_index += 1;
        state.stack.push(node);
        state.on_stack[node] = true;
        for &next in &state.edges[node] {
            match state.index[next] {
                None => {
                    visit(state, next);
                    state.low[node] = state.low[node].min(state.low[next]);
                }
                Some(index) if state.on_stack[next] => {
                    state.low[node] = state.low[node].min(index);
                }
                Some(_) => {}
            }
        }
        if Some(state.low[node]) == state.index[node] {
            while let Some(member) = state.stack.pop() {
                state.on_stack[member] = false;
                state.component[member] = state.next_component;
                if member == node {
                    break;
                }
            }
            state.next_component += 1;
        }
    }
    let count = edges.len();
    let mut state = State {
        edges,
        index: vec![None; count],
        low: vec![0; count],
        on_stack: vec![false; count],
        stack: Vec::new(),
        component: vec![0; count],
        next_index: 0,
        next_component: 0,
    };
    for node in 0..count {
        if state.index[node].is_none() {
            visit(&mut state, node);
        }
    }
    state.component
}

/// A schema with no type and no structure of its own: only annotations
/// such as `nullable`, `required` or a description.
fn is_annotation(schema: &Schema) -> bool {
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

fn schema_nullable(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string))
            if string.enumeration.iter().any(Option::is_none) =>
        {
            true
        }
        _ => schema.schema_data.nullable,
    }
}

fn description_of(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .clone()
        .or_else(|| schema.schema_data.title.clone())
        .filter(|text| !text.trim().is_empty())
}

fn type_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "string",
        TypeRef::I32 | TypeRef::I64 => "integer",
        TypeRef::F32 | TypeRef::F64 => "number",
        TypeRef::Bool => "boolean",
        _ => "non-scalar",
    }
}
