//! The contract holds: what the emitted code and the runtime define and
//! use is what [`super`] lists. Read from the emitted tokens and the
//! runtime's sources, without compiling a crate.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};

use super::super::emit::{crate_root, models, operations};
use super::super::testing::{document, lower_yaml};
use super::super::{ir, load, lower, validate};
use super::{builder, root, tables, tag, CLIENT_METHODS};

fn runtime_dir() -> PathBuf {
    crate::project_root().join("templates/runtime")
}

fn parse_file(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap();
    syn::parse_file(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Every `.rs` file of the runtime, parsed.
fn runtime_files() -> Vec<(String, syn::File)> {
    let mut files: Vec<(String, syn::File)> = std::fs::read_dir(runtime_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, parse_file(&path))
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The names of the methods in `impl <type_name>` blocks of `file`.
fn inherent_methods(file: &syn::File, type_name: &str) -> BTreeSet<String> {
    let mut methods = BTreeSet::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(self_type) = block.self_ty.as_ref() else {
            continue;
        };
        let is_it = self_type
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == type_name);
        if block.trait_.is_none() && is_it {
            for item in &block.items {
                if let syn::ImplItem::Fn(method) = item {
                    methods.insert(method.sig.ident.to_string());
                }
            }
        }
    }
    methods
}

/// The field names of `struct <type_name>` in `file`.
fn struct_fields(file: &syn::File, type_name: &str) -> BTreeSet<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) if item.ident == type_name => Some(&item.fields),
            _ => None,
        })
        .flatten()
        .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
        .collect()
}

fn strings(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

/// A collection operation with no parameter but its paging ones and no
/// body: everything else its builder and tag define is the emitted code's
/// own.
fn bare_group() -> ir::Group {
    let (api, _) = lower_yaml(&document(
        "/things:\n  get:\n    operationId: listThings\n    tags: [Things]\n    parameters:\n      - {in: query, name: offset, schema: {type: integer}}\n      - {in: query, name: limit, schema: {type: integer}}\n    responses:\n      '200':\n        description: The things.\n        content:\n          application/json:\n            schema: {type: array, items: {type: string}}\n",
        "Unused:\n  type: string\n",
    ));
    api.groups.into_iter().next().unwrap()
}

#[test]
fn the_request_builder_and_the_tag_own_only_listed_members() {
    let group = bare_group();
    let operation = &group.operations[0];
    let file: syn::File =
        syn::parse2(operations::emit_group(&group, &Default::default()).items).unwrap();
    assert!(
        operation.paging.is_some(),
        "the bare operation is a collection"
    );
    let params: Vec<&str> = operation
        .params
        .iter()
        .map(|param| param.ident.as_str())
        .collect();
    let builder_members: BTreeSet<String> = inherent_methods(&file, &operation.builder_name)
        .into_iter()
        .chain(struct_fields(&file, &operation.builder_name))
        .filter(|member| !params.contains(&member.as_str()))
        // Only operations with binary answers have it, and only walks by
        // sort values the other (the features fixture calls both).
        .chain([builder::SEND_STREAMING, builder::PAGE_AT].map(str::to_owned))
        .collect();
    assert_eq!(builder_members, strings(builder::MEMBERS));
    let mut tag_members: BTreeSet<String> = inherent_methods(&file, &group.type_name)
        .into_iter()
        .chain(struct_fields(&file, &group.type_name))
        .collect();
    assert!(tag_members.remove(&operation.fn_name));
    assert_eq!(tag_members, strings(tag::MEMBERS));
}

#[test]
fn every_method_of_the_runtime_client_is_listed() {
    let methods: BTreeSet<String> = runtime_files()
        .iter()
        .flat_map(|(_, file)| inherent_methods(file, "Client"))
        .collect();
    assert_eq!(
        methods,
        strings(CLIENT_METHODS),
        "the tags' accessors must not take a name of Client's own: update contract::CLIENT_METHODS"
    );
}

#[test]
fn spec_names_that_the_emitted_code_owns_are_renamed() {
    let (api, _) = lower_yaml(&document(
        "/timer/{client}:\n  get:\n    operationId: new\n    tags: [timer]\n    parameters:\n      - {in: path, name: client, required: true, schema: {type: string}}\n      - {in: query, name: send, schema: {type: string}}\n      - {in: query, name: send_query, schema: {type: string}}\n      - {in: header, name: decode, schema: {type: string}}\n    responses:\n      '204':\n        description: Done.\n",
        "Unused:\n  type: string\n",
    ));
    let group = &api.groups[0];
    assert_eq!(group.module, "timer_tag");
    let operation = &group.operations[0];
    assert_eq!(operation.fn_name, "new_operation");
    let idents: Vec<&str> = operation
        .params
        .iter()
        .map(|param| param.ident.as_str())
        .collect();
    assert_eq!(
        idents,
        [
            "client_path",
            "send_query",
            "send_query_query",
            "decode_header"
        ]
    );
}

/// `crate::…` paths in emitted tokens, as lists of segments.
fn crate_paths(tokens: TokenStream, into: &mut BTreeSet<Vec<String>>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut index = 0;
    while index < tokens.len() {
        match &tokens[index] {
            TokenTree::Group(group) => crate_paths(group.stream(), into),
            TokenTree::Ident(ident) if ident == "crate" => {
                let mut path = Vec::new();
                let mut next = index + 1;
                // `:: name` pairs (each `::` is two joint puncts).
                while let (
                    Some(TokenTree::Punct(first)),
                    Some(TokenTree::Punct(_)),
                    Some(TokenTree::Ident(segment)),
                ) = (tokens.get(next), tokens.get(next + 1), tokens.get(next + 2))
                {
                    if first.as_char() != ':' {
                        break;
                    }
                    path.push(segment.to_string());
                    next += 3;
                }
                into.insert(path);
                index = next;
                continue;
            }
            _ => {}
        }
        index += 1;
    }
}

/// Names a `use` tree brings into scope.
fn use_names(tree: &syn::UseTree, into: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(path) => use_names(&path.tree, into),
        syn::UseTree::Name(name) => {
            into.insert(name.ident.to_string());
        }
        syn::UseTree::Rename(rename) => {
            into.insert(rename.rename.to_string());
        }
        syn::UseTree::Group(group) => group.items.iter().for_each(|tree| use_names(tree, into)),
        syn::UseTree::Glob(_) => {}
    }
}

/// Names of the items `file` defines or re-exports for the crate.
fn crate_visible_items(file: &syn::File) -> BTreeSet<String> {
    let mut items = BTreeSet::new();
    for item in &file.items {
        let (visibility, name) = match item {
            syn::Item::Fn(item) => (&item.vis, item.sig.ident.to_string()),
            syn::Item::Struct(item) => (&item.vis, item.ident.to_string()),
            syn::Item::Enum(item) => (&item.vis, item.ident.to_string()),
            syn::Item::Const(item) => (&item.vis, item.ident.to_string()),
            syn::Item::Type(item) => (&item.vis, item.ident.to_string()),
            syn::Item::Trait(item) => (&item.vis, item.ident.to_string()),
            syn::Item::Mod(item) => (&item.vis, item.ident.to_string()),
            syn::Item::Use(item) => {
                if !matches!(item.vis, syn::Visibility::Inherited) {
                    use_names(&item.tree, &mut items);
                }
                continue;
            }
            _ => continue,
        };
        if !matches!(visibility, syn::Visibility::Inherited) {
            items.insert(name);
        }
    }
    items
}

/// Every file of the feature fixture, which uses every construct, emitted.
fn fixture_tokens() -> Vec<TokenStream> {
    let spec =
        load::load(&crate::project_root().join("xtask/tests/fixtures/features/api.yaml")).unwrap();
    let openapi = validate::parse(&spec).unwrap();
    let (api, _) = lower::lower(&spec, &openapi).unwrap();
    let mut tokens = vec![
        crate_root::emit_lib(&api, "fixture", false).items,
        models::emit_mod(&api).items,
        operations::emit_mod(&api).items,
    ];
    for def in api.types.values() {
        let file = models::emit_type(def, &api);
        tokens.push(file.items);
        for table in file.tables {
            tokens.push(table.parse().unwrap());
        }
    }
    tokens.extend(
        api.groups
            .iter()
            .map(|group| operations::emit_group(group, &Default::default()).items),
    );
    tokens
}

#[test]
fn the_emitted_code_uses_only_what_the_runtime_provides() {
    let files = runtime_files();
    let modules: BTreeSet<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let runtime_mod = &files.iter().find(|(name, _)| name == "mod").unwrap().1;
    let runtime_items = crate_visible_items(runtime_mod);
    let mut paths = BTreeSet::new();
    let lib = fixture_tokens();
    for tokens in &lib {
        crate_paths(tokens.clone(), &mut paths);
    }
    let emitted_root = crate_visible_items(&syn::parse2(lib[0].clone()).unwrap());
    let mut checked = 0;
    for path in &paths {
        let segments: Vec<&str> = path.iter().map(String::as_str).collect();
        match segments[..] {
            ["models" | "apis", ..] => {}
            ["runtime", module, item] if modules.contains(module) => {
                let file = &files.iter().find(|(name, _)| name == module).unwrap().1;
                assert!(
                    crate_visible_items(file).contains(item),
                    "the emitted code calls crate::runtime::{module}::{item}, which templates/runtime/{module}.rs does not provide"
                );
                checked += 1;
            }
            ["runtime", item, ..] => {
                assert!(
                    runtime_items.contains(item),
                    "the emitted code uses crate::runtime::{item}, which templates/runtime/mod.rs does not export"
                );
                checked += 1;
            }
            [item, ..] => {
                assert!(
                    runtime_items.contains(item) || emitted_root.contains(item),
                    "the emitted code uses crate::{item}, which neither the runtime nor lib.rs provides"
                );
                checked += 1;
            }
            [] => {}
        }
    }
    assert!(checked > 10, "{paths:?}");
}

#[test]
fn the_table_macros_exist_and_know_every_row_mode() {
    let object = std::fs::read_to_string(runtime_dir().join("object.rs")).unwrap();
    let runtime_mod = std::fs::read_to_string(runtime_dir().join("mod.rs")).unwrap();
    for mac in [tables::OBJECT, tables::STRING_ENUM, tables::UNION] {
        assert!(
            runtime_mod.contains(&format!("::{mac};")),
            "templates/runtime/mod.rs does not export {mac}"
        );
    }
    assert!(
        object.contains(&format!("($model:ident{} {{", tables::OBJECT_DEFAULT)),
        "impl_object! has no arm for a table headed `Type{}`",
        tables::OBJECT_DEFAULT
    );
    for mode in tables::OBJECT_MODES {
        // Each mode is a group of the row pattern: `$(mode $name:ty =)?`.
        assert!(
            object.contains(&format!("$({mode} ${mode}:ty =)?")),
            "impl_object! has no row mode `{mode}`"
        );
    }
}

#[test]
fn the_runtime_reads_only_listed_root_items_and_lib_defines_them() {
    let mut read = BTreeSet::new();
    for (_, file) in runtime_files() {
        let tokens: TokenStream = quote::ToTokens::into_token_stream(file);
        crate_paths(tokens, &mut read);
    }
    let read: BTreeSet<&str> = read
        .iter()
        .filter_map(|path| path.first().map(String::as_str))
        .filter(|first| !["runtime", "models", "apis"].contains(first))
        .collect();
    assert_eq!(read, root::READ_BY_RUNTIME.iter().copied().collect());
    let lib = fixture_tokens().remove(0);
    let defined = crate_visible_items(&syn::parse2(lib).unwrap());
    for item in root::READ_BY_RUNTIME {
        assert!(defined.contains(*item), "lib.rs does not define {item}");
    }
}
