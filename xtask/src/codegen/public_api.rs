//! The public API of a generated crate, as a listing checked in beside it
//! (`PUBLIC_API.txt`: every public item with its signature, sorted, one per
//! line), and what changed in it between two generations: which changes
//! break callers, which add to the API, and the version bump that follows.
//!
//! The listing is read off the crate's own files (parsed with syn), so it
//! is what users compile against, runtime included.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use quote::ToTokens;

/// The listing's file in the crate.
pub const LISTING_PATH: &str = "PUBLIC_API.txt";

/// One public item: its kind (`fn`, `field`, …), its path from the crate
/// root, and the rest of its signature (empty for a type's name alone).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    pub kind: &'static str,
    pub path: String,
    pub signature: String,
}

impl Item {
    fn new(kind: &'static str, path: String, signature: String) -> Self {
        Self {
            kind,
            path,
            signature,
        }
    }
}

/// Where a file's public items are reached from, by its path in the crate;
/// `None` for files that only declare or re-export (`mod.rs`) or are
/// private (an extension's bindings, reached through its re-exports).
fn scope_of(path: &str) -> Option<String> {
    let module = path.strip_prefix("src/")?.strip_suffix(".rs")?;
    let parts: Vec<&str> = module.split('/').collect();
    match parts[..] {
        ["lib"] => Some("crate".to_owned()),
        // Types are re-exported from `models`, each from its own file.
        ["models", file] if file != "mod" => Some("models".to_owned()),
        ["apis", file] if file != "mod" => Some(format!("apis::{file}")),
        ["extensions", file] if file != "mod" => Some(format!("extensions::{file}")),
        _ => None,
    }
}

/// The public items of an emitted file, by its path in the crate.
pub fn items_in(path: &str, file: &syn::File) -> BTreeSet<Item> {
    let mut items = BTreeSet::new();
    if let Some(scope) = scope_of(path) {
        list_items(&scope, &file.items, None, &mut items);
    }
    items
}

/// The public items of files given as text (the templated ones: the
/// runtime, extensions), by path.
pub fn items_of_texts(files: &BTreeMap<String, String>) -> BTreeSet<Item> {
    let mut items = BTreeSet::new();
    for (path, text) in files {
        let Some(scope) = scope_of(path) else {
            continue;
        };
        if let Some(file) = parse_signatures(text) {
            list_items(&scope, &file.items, None, &mut items);
        }
    }
    // The runtime's items are public through `pub use self::runtime::*` and
    // the runtime's own `pub use self::<file>::{…}`.
    if let Some(runtime_mod) = files
        .get("src/runtime/mod.rs")
        .and_then(|text| parse_signatures(text))
    {
        for (file, names) in runtime_exports(&runtime_mod) {
            let Some(source) = files
                .get(&format!("src/runtime/{file}.rs"))
                .and_then(|text| parse_signatures(text))
            else {
                continue;
            };
            list_items("crate", &source.items, Some(&names), &mut items);
        }
    }
    items
}

/// A hand-written file, parsed for its items' signatures only: function
/// bodies are emptied and doc comments dropped before syn sees them
/// (parsing the runtime's statements and docs was most of the fragment's
/// codegen time), and the listing reads neither.
fn parse_signatures(text: &str) -> Option<syn::File> {
    let tokens: proc_macro2::TokenStream = text.parse().ok()?;
    syn::parse2(signatures_only(tokens)).ok()
}

/// `tokens` with the body of every `fn` replaced by `{}` and every doc
/// attribute left out, at any depth.
pub fn signatures_only(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Delimiter, Group, TokenTree};
    let is_punct = |token: Option<&TokenTree>, char| matches!(token, Some(TokenTree::Punct(punct)) if punct.as_char() == char);
    let is_doc = |token: Option<&TokenTree>| {
        matches!(token, Some(TokenTree::Group(group))
            if group.delimiter() == Delimiter::Bracket
                && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(name)) if name == "doc"))
    };
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut kept = Vec::with_capacity(tokens.len());
    let mut after_fn = false;
    let mut index = 0;
    while let Some(token) = tokens.get(index) {
        index += 1;
        match token {
            // `#[doc = …]`, or `#![doc = …]` inside a module.
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                let bang = usize::from(is_punct(tokens.get(index), '!'));
                if is_doc(tokens.get(index + bang)) {
                    index += bang + 1;
                } else {
                    kept.push(token.clone());
                }
            }
            TokenTree::Ident(ident) => {
                after_fn |= ident == "fn";
                kept.push(token.clone());
            }
            TokenTree::Group(group) => {
                let stream = if group.delimiter() == Delimiter::Brace && after_fn {
                    after_fn = false;
                    proc_macro2::TokenStream::new()
                } else {
                    signatures_only(group.stream())
                };
                let mut replaced = Group::new(group.delimiter(), stream);
                replaced.set_span(group.span());
                kept.push(TokenTree::Group(replaced));
            }
            // A `;` ends a body-less `fn` (in a trait, a `fn` pointer type).
            TokenTree::Punct(punct) => {
                after_fn &= punct.as_char() != ';';
                kept.push(token.clone());
            }
            TokenTree::Literal(_) => kept.push(token.clone()),
        }
    }
    kept.into_iter().collect()
}

/// A variant's fields as its signature: names and types, never their docs.
fn fields_text(fields: &syn::Fields) -> String {
    match fields {
        syn::Fields::Unit => String::new(),
        syn::Fields::Named(named) => {
            let fields = named.named.iter().map(|field| {
                let (name, ty) = (&field.ident, &field.ty);
                quote::quote!(#name: #ty)
            });
            text_of(&quote::quote!({ #(#fields,)* }))
        }
        syn::Fields::Unnamed(unnamed) => {
            let types = unnamed.unnamed.iter().map(|field| &field.ty);
            text_of(&quote::quote!((#(#types),*)))
        }
    }
}

/// The listing's text: a header, then a line per item, sorted.
pub fn listing_text(items: &BTreeSet<Item>) -> String {
    let mut text = format!(
        "# {}\n# The public API of this crate: every public item with its signature, one per line.\n",
        super::HEADER
    );
    for Item {
        kind,
        path,
        signature,
    } in items
    {
        // `kind path signature`, the signature right after the path.
        for part in [kind, " ", path.as_str(), signature.as_str(), "\n"] {
            text.push_str(part);
        }
    }
    text
}

/// The listing of a crate given as its files (path → text).
#[cfg(test)]
pub fn listing(files: &BTreeMap<String, String>) -> String {
    listing_text(&items_of_texts(files))
}

/// `file → names` of the runtime's `pub use self::file::{names}`.
fn runtime_exports(file: &syn::File) -> BTreeMap<String, BTreeSet<String>> {
    let mut exports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Use(used) = item else {
            continue;
        };
        if !matches!(used.vis, syn::Visibility::Public(_)) {
            continue;
        }
        let mut found = Vec::new();
        use_tree_names(&used.tree, &mut Vec::new(), &mut found);
        for (module_path, name) in found {
            // `self::file::Name`
            if let [this, file] = &module_path[..] {
                if this == "self" {
                    exports.entry(file.clone()).or_default().insert(name);
                }
            }
        }
    }
    exports
}

fn use_tree_names(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    found: &mut Vec<(Vec<String>, String)>,
) {
    match tree {
        syn::UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            use_tree_names(&path.tree, prefix, found);
            prefix.pop();
        }
        syn::UseTree::Name(name) => found.push((prefix.clone(), name.ident.to_string())),
        syn::UseTree::Rename(rename) => found.push((prefix.clone(), rename.ident.to_string())),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                use_tree_names(tree, prefix, found);
            }
        }
        syn::UseTree::Glob(_) => {}
    }
}

fn is_public(visibility: &syn::Visibility) -> bool {
    matches!(visibility, syn::Visibility::Public(_))
}

/// The paths of `std` a listing writes short, as token text: the emitted
/// code writes them either way (see `emit::std_names`).
pub(super) const STD_SHORTENED: &[(&str, &str)] = &[
    (":: std :: string :: String", "String"),
    (":: std :: option :: Option", "Option"),
    (":: std :: vec :: Vec", "Vec"),
    (":: std :: boxed :: Box", "Box"),
    (":: std :: result :: Result", "Result"),
    (":: std :: collections :: BTreeMap", "BTreeMap"),
    (":: std :: convert :: Into", "Into"),
    (":: std :: convert :: From", "From"),
    (":: std :: iter :: IntoIterator", "IntoIterator"),
];

/// Tokens as text, spaced as rustfmt would in a signature, with the
/// crate's and the standard library's long paths shortened.
fn text_of(tokens: &impl ToTokens) -> String {
    let mut text = tokens.to_token_stream().to_string();
    // `str::replace` makes a new string even when nothing matches: most
    // patterns are not in a given signature, so each is looked for first.
    let mut replace = |from: &str, to: &str| {
        if text.contains(from) {
            text = text.replace(from, to);
        }
    };
    // Shortened as token text (`:: std :: string :: String`), before the
    // spaces around `::` go, so that `impl :: std …` keeps its space.
    for (long, short) in STD_SHORTENED {
        replace(long, short);
    }
    for (long, short) in [("crate :: models ::", "models::"), ("crate ::", "")] {
        replace(long, short);
    }
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" ,", ","),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        ("& ", "&"),
        ("( ", "("),
        (" )", ")"),
        ("' ", "'"),
        (" : ", ": "),
        (",>", ">"),
        (", >", ">"),
        (",)", ")"),
        (" (", "("),
    ] {
        replace(from, to);
    }
    text
}

/// The public items of `items` under `scope`; with `only`, just those
/// names (and what their `impl`s add).
fn list_items(
    scope: &str,
    items: &[syn::Item],
    only: Option<&BTreeSet<String>>,
    out: &mut BTreeSet<Item>,
) {
    let wanted = |name: &str| only.is_none_or(|only| only.contains(name));
    let path = |name: &dyn fmt::Display| {
        if scope == "crate" {
            format!("{name}")
        } else {
            format!("{scope}::{name}")
        }
    };
    for item in items {
        match item {
            syn::Item::Struct(item) if is_public(&item.vis) && wanted(&item.ident.to_string()) => {
                let own = path(&item.ident);
                out.insert(Item::new("struct", own.clone(), marks(&item.attrs)));
                for derived in derives(&item.attrs) {
                    out.insert(Item::new(
                        "impl",
                        format!("{own}: {derived}"),
                        String::new(),
                    ));
                }
                for field in &item.fields {
                    if let (Some(ident), true) = (&field.ident, is_public(&field.vis)) {
                        out.insert(Item::new(
                            "field",
                            format!("{own}::{ident}"),
                            format!(": {}", text_of(&field.ty)),
                        ));
                    }
                }
            }
            syn::Item::Enum(item) if is_public(&item.vis) && wanted(&item.ident.to_string()) => {
                let own = path(&item.ident);
                out.insert(Item::new("enum", own.clone(), marks(&item.attrs)));
                for derived in derives(&item.attrs) {
                    out.insert(Item::new(
                        "impl",
                        format!("{own}: {derived}"),
                        String::new(),
                    ));
                }
                for variant in &item.variants {
                    let payload = fields_text(&variant.fields);
                    out.insert(Item::new(
                        "variant",
                        format!("{own}::{}", variant.ident),
                        payload,
                    ));
                }
            }
            syn::Item::Type(item) if is_public(&item.vis) && wanted(&item.ident.to_string()) => {
                out.insert(Item::new(
                    "type",
                    path(&item.ident),
                    format!("{} = {}", text_of(&item.generics), text_of(&item.ty)),
                ));
            }
            syn::Item::Const(item) if is_public(&item.vis) && wanted(&item.ident.to_string()) => {
                out.insert(Item::new(
                    "const",
                    path(&item.ident),
                    format!(": {}", text_of(&item.ty)),
                ));
            }
            syn::Item::Fn(item) if is_public(&item.vis) && wanted(&item.sig.ident.to_string()) => {
                out.insert(Item::new("fn", path(&item.sig.ident), signature(&item.sig)));
            }
            syn::Item::Trait(item) if is_public(&item.vis) && wanted(&item.ident.to_string()) => {
                let own = path(&item.ident);
                out.insert(Item::new("trait", own.clone(), String::new()));
                for member in &item.items {
                    if let syn::TraitItem::Fn(method) = member {
                        out.insert(Item::new(
                            "fn",
                            format!("{own}::{}", method.sig.ident),
                            signature(&method.sig),
                        ));
                    }
                }
            }
            syn::Item::Impl(block) => {
                let syn::Type::Path(self_type) = &*block.self_ty else {
                    continue;
                };
                let Some(last) = self_type.path.segments.last() else {
                    continue;
                };
                let type_name = last.ident.to_string();
                if !wanted(&type_name) && only.is_some() {
                    continue;
                }
                let own = path(&type_name);
                match &block.trait_ {
                    Some((_, trait_path, _)) => {
                        out.insert(Item::new(
                            "impl",
                            format!("{own}: {}", text_of(trait_path)),
                            String::new(),
                        ));
                    }
                    None => {
                        for member in &block.items {
                            if let syn::ImplItem::Fn(method) = member {
                                if is_public(&method.vis) {
                                    out.insert(Item::new(
                                        "fn",
                                        format!("{own}::{}", method.sig.ident),
                                        signature(&method.sig),
                                    ));
                                }
                            }
                        }
                    }
                }
            }
            syn::Item::Use(used) if is_public(&used.vis) && scope.starts_with("extensions::") => {
                // An extension's names re-exported from its bindings.
                let mut found = Vec::new();
                use_tree_names(&used.tree, &mut Vec::new(), &mut found);
                for (_, name) in found {
                    out.insert(Item::new("use", path(&name), String::new()));
                }
            }
            _ => {}
        }
    }
}

/// ` #[non_exhaustive]` when the type is.
fn marks(attributes: &[syn::Attribute]) -> String {
    if attributes
        .iter()
        .any(|attribute| attribute.path().is_ident("non_exhaustive"))
    {
        " #[non_exhaustive]".to_owned()
    } else {
        String::new()
    }
}

/// The traits of `#[derive(…)]`, by their last path segment.
fn derives(attributes: &[syn::Attribute]) -> Vec<String> {
    let mut traits = Vec::new();
    for attribute in attributes {
        let syn::Meta::List(list) = &attribute.meta else {
            continue;
        };
        if !list.path.is_ident("derive") {
            continue;
        }
        // Each path's last identifier is the one before a `,` or the end:
        // read off the tokens, which syn need not parse.
        let mut last = None;
        for token in list.tokens.clone() {
            match token {
                proc_macro2::TokenTree::Ident(ident) => last = Some(ident),
                proc_macro2::TokenTree::Punct(punct) if punct.as_char() == ',' => {
                    traits.extend(last.take().map(|ident| ident.to_string()));
                }
                _ => {}
            }
        }
        traits.extend(last.map(|ident| ident.to_string()));
    }
    traits
}

/// `(arguments) -> output`, with `async` and generics.
fn signature(sig: &syn::Signature) -> String {
    // A `mut` binding is the function's own business, not its callers'.
    let inputs = text_of(&sig.inputs)
        .replace("(mut ", "(")
        .replace(", mut ", ", ");
    let inputs = inputs
        .strip_prefix("mut ")
        .unwrap_or(&inputs)
        .trim_end_matches(',');
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => format!(" -> {}", text_of(ty)),
    };
    let asyncness = if sig.asyncness.is_some() {
        " async"
    } else {
        ""
    };
    format!("{}({inputs}){output}{asyncness}", text_of(&sig.generics))
}

mod changes;
#[cfg(test)]
mod tests;

pub use self::changes::{changes, ApiChanges};
