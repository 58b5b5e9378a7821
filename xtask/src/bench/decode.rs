//! Decoding a page of 250 SailPoint accounts (the whole-v2025 `Account`
//! model) with the generated crate, against the same models with
//! `serde_derive`, the way most hand-written Rust clients decode.
//!
//! Both sides come from the IR: the derived models are the types `Account`
//! reaches, field for field (the same Rust types, the same absent / `null`
//! / value distinctions, unknown enum values kept as text through
//! `#[serde(from = "String")]`), and the page is every field of every one of
//! them filled in, values varied by account. A small release-built program
//! decodes the page with each in interleaved rounds.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::{json, Map, Value};

use super::builds::application;
use super::{cargo, scratch, succeed, write_file, Row, Samples};
use crate::codegen::ir::{Api, Field, TypeKind, TypeRef};
use crate::codegen::{self, names::ident};

/// The model decoded, and the tag whose feature compiles it.
const MODEL: &str = "Account";
const FEATURE: &str = "accounts";
const PAGE: usize = 250;
/// Decodes of the page per measurement, so that one takes milliseconds.
const DECODES: usize = 20;

const MAIN: &str = r#"//! Decodes the page given as the first argument in rounds, with the
//! generated models and with the derived ones, the order alternating, and
//! prints each round's times in nanoseconds.
mod derived;

use std::hint::black_box;
use std::time::Instant;

fn time<T: serde::de::DeserializeOwned>(page: &[u8], decodes: usize, expected: usize) -> Result<u128, String> {
    let started = Instant::now();
    for _ in 0..decodes {
        let accounts: Vec<T> = serde_json::from_slice(black_box(page)).map_err(|error| error.to_string())?;
        if accounts.len() != expected {
            return Err(format!("{} accounts, not {expected}", accounts.len()));
        }
        black_box(accounts);
    }
    Ok(started.elapsed().as_nanos())
}

fn main() -> Result<(), String> {
    let arguments: Vec<String> = std::env::args().collect();
    let page = std::fs::read(&arguments[1]).map_err(|error| error.to_string())?;
    let (rounds, decodes, expected): (usize, usize, usize) = (
        arguments[2].parse().map_err(|_| "rounds")?,
        arguments[3].parse().map_err(|_| "decodes")?,
        arguments[4].parse().map_err(|_| "expected")?,
    );
    let ours = || time::<sailpoint_v2025::models::Account>(&page, decodes, expected);
    let derived = || time::<derived::Account>(&page, decodes, expected);
    ours()?;
    derived()?;
    for round in 0..rounds {
        let (ours, derived) = if round % 2 == 0 {
            let ours = ours()?;
            (ours, derived()?)
        } else {
            let derived = derived()?;
            (ours()?, derived)
        };
        println!("round {ours} {derived}");
    }
    Ok(())
}
"#;

/// Generates the whole-v2025 crate from `whole`, builds the decoding
/// program on it and runs it.
pub(super) fn decode_row(whole: &Path, runs: usize) -> Result<Row, String> {
    let dir = scratch("decode")?;
    let options = codegen::Options::new(whole, crate::project_root().join("templates"));
    let generated = codegen::generate(&options).map_err(|errors| errors.to_string())?;
    let whole_crate = dir.join("whole-crate");
    codegen::fs::sync(&whole_crate, &generated.files, codegen::Mode::Write)
        .map_err(|errors| errors.to_string())?;
    let api = &generated.api;
    let types = reachable(api, MODEL)?;
    let derived_source = derived_models(api, &types)?;
    let page = Value::Array(
        (0..PAGE)
            .map(|index| sample(api, &TypeRef::Named(MODEL.to_owned()), index, 0))
            .collect(),
    )
    .to_string();
    let sailpoint = format!(
        r#"sailpoint-v2025 = {{ path = "../whole-crate", default-features = false, features = ["{FEATURE}", "idna-unicode-rs"] }}"#
    );
    let program = application(
        &dir,
        "decode",
        &[
            &sailpoint,
            r#"serde = { version = "1", features = ["derive"] }"#,
            r#"serde_json = "1""#,
            r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#,
        ],
        MAIN,
    )?;
    write_file(&program.join("src/derived.rs"), &derived_source)?;
    let page_file = dir.join("page.json");
    write_file(&page_file, &page)?;
    succeed(
        cargo()
            .args(["build", "--quiet", "--release"])
            .current_dir(&program)
            .env("CARGO_TARGET_DIR", dir.join("target")),
        "the decoding program does not build",
    )?;
    let output = succeed(
        std::process::Command::new(dir.join("target/release/decode"))
            .arg(&page_file)
            .arg((runs.max(5) * 4).to_string())
            .arg(DECODES.to_string())
            .arg(PAGE.to_string()),
        "the decoding program failed",
    )?;
    let (mut ours, mut derived) = (Samples::default(), Samples::default());
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let mut words = line.split_whitespace().skip(1);
        let mut next = || -> Option<Duration> {
            let nanos: u64 = words.next()?.parse().ok()?;
            Some(Duration::from_nanos(nanos / DECODES as u64))
        };
        if let (Some(mine), Some(theirs)) = (next(), next()) {
            ours.0.push(mine);
            derived.0.push(theirs);
        }
    }
    Ok(Row::against(
        format!(
            "decoding a page of {PAGE} accounts (whole-v2025 `Account`, {} types, every field present, {} KB), release",
            types.len(),
            page.len() / 1024
        ),
        &ours,
        "the same models with `serde_derive`",
        &derived,
    ))
}

/// `root` and every named type it reaches, by name.
fn reachable(api: &Api, root: &str) -> Result<BTreeSet<String>, String> {
    let mut found = BTreeSet::new();
    let mut pending = vec![root.to_owned()];
    while let Some(name) = pending.pop() {
        if !found.insert(name.clone()) {
            continue;
        }
        let def = api
            .types
            .get(&name)
            .ok_or_else(|| format!("the whole-v2025 API has no model `{name}`"))?;
        let mut uses = Vec::new();
        match &def.kind {
            TypeKind::Struct { fields } => uses.extend(fields.iter().map(|field| &field.ty)),
            TypeKind::Union { variants, .. } => {
                uses.extend(variants.iter().map(|variant| &variant.ty));
            }
            TypeKind::Alias(target) => uses.push(target),
            TypeKind::Enum { .. } => {}
        }
        for ty in uses {
            pending.extend(named_in(ty));
        }
    }
    Ok(found)
}

fn named_in(ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::Named(name) => Some(name.clone()),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => named_in(inner),
        _ => None,
    }
}

/// The derived models of `types`, as a formatted module.
fn derived_models(api: &Api, types: &BTreeSet<String>) -> Result<String, String> {
    let items = types.iter().map(|name| {
        let def = &api.types[name];
        let type_name = format_ident!("{}", def.name);
        match &def.kind {
            TypeKind::Struct { fields } => {
                let fields = fields.iter().map(derived_field);
                quote! {
                    #[derive(Debug, serde::Deserialize)]
                    pub struct #type_name { #(#fields)* }
                }
            }
            TypeKind::Enum { variants, fallback } => {
                let fallback = ident(fallback);
                let idents: Vec<Ident> = variants
                    .iter()
                    .map(|variant| ident(&variant.ident))
                    .collect();
                let values = variants.iter().map(|variant| &variant.value);
                quote! {
                    #[derive(Debug, serde::Deserialize)]
                    #[serde(from = "String")]
                    pub enum #type_name { #(#idents,)* #fallback(String) }
                    impl From<String> for #type_name {
                        fn from(value: String) -> Self {
                            match value.as_str() {
                                #(#values => Self::#idents,)*
                                _ => Self::#fallback(value),
                            }
                        }
                    }
                }
            }
            TypeKind::Union {
                variants, fallback, ..
            } => {
                let fallback = ident(fallback);
                let variants = variants.iter().map(|variant| {
                    let variant_ident = ident(&variant.ident);
                    let ty = boxed(rust_type(&variant.ty), variant.boxed);
                    quote!(#variant_ident(#ty),)
                });
                quote! {
                    #[derive(Debug, serde::Deserialize)]
                    #[serde(untagged)]
                    pub enum #type_name { #(#variants)* #fallback(serde_json::Value) }
                }
            }
            TypeKind::Alias(target) => {
                let target = rust_type(target);
                quote!(pub type #type_name = #target;)
            }
        }
    });
    let file = quote! {
        //! The models `Account` reaches, decoded by `serde_derive`.
        #![allow(dead_code)]

        /// A present value, `null` included: what makes `Option<Option<T>>`
        /// tell an absent field from a `null` one.
        fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
        where
            D: serde::Deserializer<'de>,
            T: serde::Deserialize<'de>,
        {
            <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
        }

        #(#items)*
    };
    let file = syn::parse2::<syn::File>(file).map_err(|error| error.to_string())?;
    Ok(prettyplease::unparse(&file))
}

fn derived_field(field: &Field) -> TokenStream {
    let field_ident = ident(&field.ident);
    let wire = &field.wire_name;
    let ty = boxed(rust_type(&field.ty), field.boxed);
    match (field.required, field.nullable) {
        (true, false) => quote!(#[serde(rename = #wire)] pub #field_ident: #ty,),
        (false, true) => quote! {
            #[serde(rename = #wire, default, deserialize_with = "present")]
            pub #field_ident: Option<Option<#ty>>,
        },
        _ => quote!(#[serde(rename = #wire, default)] pub #field_ident: Option<#ty>,),
    }
}

fn boxed(ty: TokenStream, boxed: bool) -> TokenStream {
    if boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

/// The Rust type the generated crate uses for `ty`.
fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Object => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Named(name) => {
            let name = format_ident!("{}", name);
            quote!(#name)
        }
        TypeRef::Vec(item) => {
            let item = rust_type(item);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value);
            quote!(std::collections::BTreeMap<String, #value>)
        }
    }
}

/// A value of `ty` with every field present, varied by `index`; nested
/// types stop at a depth of four, as a real answer's do.
fn sample(api: &Api, ty: &TypeRef, index: usize, depth: usize) -> Value {
    match ty {
        TypeRef::String => json!(format!("{:032x}", index * 7919 + depth)),
        TypeRef::I32 | TypeRef::I64 => json!(index * 13 + depth),
        TypeRef::F32 | TypeRef::F64 => json!(index as f64 / 4.0),
        TypeRef::Bool => json!(index.is_multiple_of(2)),
        TypeRef::DateTime => json!(format!(
            "2026-0{}-1{}T10:2{}:00.123Z",
            1 + index % 9,
            index % 10,
            index % 10
        )),
        TypeRef::Date => json!(format!("2026-0{}-1{}", 1 + index % 9, index % 10)),
        TypeRef::Any | TypeRef::Bytes => json!(format!("value {index}")),
        TypeRef::Object => Value::Object(
            [
                ("department", json!("Engineering")),
                ("email", json!(format!("user{index}@example.com"))),
                ("displayName", json!(format!("User {index}"))),
                ("employeeNumber", json!(format!("{:06}", index))),
                ("groups", json!(["admins", "developers"])),
            ]
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
        ),
        TypeRef::Vec(item) => json!([
            sample(api, item, index, depth + 1),
            sample(api, item, index + 1, depth + 1)
        ]),
        TypeRef::Map(value) => json!({
            "first": sample(api, value, index, depth + 1),
            "second": sample(api, value, index + 1, depth + 1),
        }),
        TypeRef::Named(name) => {
            let Some(def) = api.types.get(name) else {
                return Value::Null;
            };
            match &def.kind {
                TypeKind::Struct { fields } if depth < 4 => Value::Object(
                    fields
                        .iter()
                        .map(|field| {
                            (
                                field.wire_name.clone(),
                                sample(api, &field.ty, index, depth + 1),
                            )
                        })
                        .collect::<Map<_, _>>(),
                ),
                // Deeper, only what must be there.
                TypeKind::Struct { fields } => Value::Object(
                    fields
                        .iter()
                        .filter(|field| field.required)
                        .map(|field| {
                            (
                                field.wire_name.clone(),
                                sample(api, &field.ty, index, depth + 1),
                            )
                        })
                        .collect::<Map<_, _>>(),
                ),
                TypeKind::Enum { variants, .. } => variants
                    .get(index % variants.len().max(1))
                    .map_or(Value::Null, |variant| json!(variant.value)),
                TypeKind::Union { variants, .. } => {
                    variants.first().map_or(Value::Null, |variant| {
                        sample(api, &variant.ty, index, depth + 1)
                    })
                }
                TypeKind::Alias(target) => sample(api, target, index, depth),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::testing::{document, lower_yaml, returning};

    fn accounts() -> Api {
        lower_yaml(&document(
            &returning("{type: array, items: {$ref: '#/components/schemas/Account'}}"),
            "Account:
  type: object
  required: [sourceId, name]
  properties:
    sourceId: {type: string}
    name: {type: string, nullable: true}
    uuid: {type: string, nullable: true}
    created: {type: string, format: date-time}
    origin: {$ref: '#/components/schemas/Origin'}
    attributes: {type: object, additionalProperties: true}
Origin:
  type: string
  enum: [AGGREGATED, PROVISIONED]
Unused:
  type: string
",
        ))
        .0
    }

    #[test]
    fn derived_models_have_the_generated_types_and_field_modes() {
        let api = accounts();
        let types = reachable(&api, "Account").unwrap();
        assert_eq!(
            types.iter().map(String::as_str).collect::<Vec<_>>(),
            ["Account", "Origin"]
        );
        let text = derived_models(&api, &types).unwrap();
        for expected in [
            "#[serde(rename = \"sourceId\")]\n    pub source_id: String,",
            "#[serde(rename = \"name\", default)]\n    pub name: Option<String>,",
            "#[serde(rename = \"uuid\", default, deserialize_with = \"present\")]\n    pub uuid: Option<Option<String>>,",
            "pub created: Option<chrono::DateTime<chrono::Utc>>,",
            "pub origin: Option<Origin>,",
            "#[serde(from = \"String\")]\npub enum Origin {\n    Aggregated,\n    Provisioned,\n    Unknown(String),\n}",
            "\"AGGREGATED\" => Self::Aggregated,",
            "_ => Self::Unknown(value),",
        ] {
            assert!(text.contains(expected), "no {expected:?} in\n{text}");
        }
        assert!(
            matches!(reachable(&api, "Missing"), Err(message) if message.contains("no model `Missing`"))
        );
    }

    #[test]
    fn a_sample_has_every_field_with_values_of_its_type_varied_by_index() {
        let api = accounts();
        let account = TypeRef::Named("Account".to_owned());
        let (first, second) = (sample(&api, &account, 0, 0), sample(&api, &account, 1, 0));
        let keys: Vec<&str> = first
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "sourceId",
                "name",
                "uuid",
                "created",
                "origin",
                "attributes"
            ]
        );
        let created = first["created"].as_str().unwrap();
        assert_eq!(created, "2026-01-10T10:20:00.123Z");
        assert_eq!(first["origin"], "AGGREGATED");
        assert_eq!(second["origin"], "PROVISIONED");
        assert_ne!(first["sourceId"], second["sourceId"]);
    }
}
