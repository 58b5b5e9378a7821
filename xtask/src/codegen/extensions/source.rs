//! Checks of an extension's code against its bindings: it declares the
//! `bindings` module, names generated code only through it, names only
//! what the bindings define, and adds no method its tag's type already
//! has. A problem is an error at codegen, never one of `cargo check`.

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use super::super::contract;
use super::super::diag::{Diagnostic, Location};
use super::super::public_api::{self, Item};
use super::{locate_in_source, Binding, ExtensionTemplate};

/// The generated modules an extension must not name directly.
const GENERATED_MODULES: &[&str] = &["apis", "models"];

/// What the checks and the public listing need of an extension's code,
/// read off its text once, when the templates are read.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSource {
    /// It declares `mod bindings;`.
    declares_bindings: bool,
    /// The methods of its inherent `impl Tag { … }` blocks.
    tag_methods: Vec<String>,
    paths: Paths,
    /// Its public items, as the crate's listing shows them.
    pub public_items: BTreeSet<Item>,
}

/// Lexes the code of the extension `name` once, for both the scan of its
/// paths (bodies included) and syn, which reads its items' signatures only
/// (bodies are `cargo check`'s to read); the error says why it is not Rust.
pub fn parse(name: &str, source: &str) -> Result<ParsedSource, String> {
    let tokens: TokenStream = source.parse().map_err(|error| format!("{error}"))?;
    let file: syn::File = syn::parse2(public_api::signatures_only(tokens.clone()))
        .map_err(|error| error.to_string())?;
    let module = contract::bindings::MODULE;
    let declares_bindings = file.items.iter().any(|item| {
        matches!(item, syn::Item::Mod(declared) if declared.ident == module && declared.content.is_none())
    });
    let mut paths = Paths::default();
    paths.scan(tokens);
    Ok(ParsedSource {
        declares_bindings,
        tag_methods: tag_methods(&file),
        paths,
        public_items: public_api::items_in(&super::crate_path(name), &file),
    })
}

/// What is wrong with the extension's code, located.
pub fn check(template: &ExtensionTemplate, binding: &Binding) -> Vec<Diagnostic> {
    let parsed = match &template.parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            return vec![Diagnostic::new(
                Location::File(template.source_path.clone()),
                format!("the extension is not Rust: {error}"),
            )]
        }
    };
    let module = contract::bindings::MODULE;
    let mut problems = Vec::new();
    if !parsed.declares_bindings {
        problems.push(Diagnostic::new(
            Location::File(template.source_path.clone()),
            format!("the extension has needs but does not declare `mod {module};`, where they are bound"),
        ));
    }
    let paths = &parsed.paths;
    for generated in &paths.generated_modules {
        problems.push(Diagnostic::new(
            locate_in_source(template, &format!("crate::{generated}")),
            format!(
                "the extension names `crate::{generated}` directly; name generated code through `{module}` (add it to the needs file), so that the extension compiles over every spec that has what it needs"
            ),
        ));
    }
    let defined = binding.defined_names();
    for name in &paths.bound_names {
        if !defined.iter().any(|(defined, _)| defined == name) {
            problems.push(Diagnostic::new(
                locate_in_source(template, name),
                format!(
                    "`{module}::{name}` is not bound: the needs file defines {}",
                    defined
                        .iter()
                        .map(|(name, _)| format!("`{name}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    for (name, entry) in &defined {
        if !paths.bound_names.contains(name) {
            problems.push(Diagnostic::new(
                template.needs.locate(entry),
                format!(
                    "`{module}::{name}` is bound but `{}.rs` does not use it, which would fail `cargo clippy`: use it or leave it out of the needs file",
                    template.name
                ),
            ));
        }
    }
    for method in &parsed.tag_methods {
        if binding.operation_names.contains(method)
            || contract::tag::MEMBERS.contains(&method.as_str())
        {
            problems.push(Diagnostic::new(
                locate_in_source(template, &format!("fn {method}")),
                format!(
                    "`{method}` is already a method of `{}` (the `{}` tag): name the extension's method otherwise",
                    binding.group_type, binding.group_tag
                ),
            ));
        }
    }
    problems
}

/// The paths of interest in a token stream.
#[derive(Debug, Clone, Default, PartialEq)]
struct Paths {
    /// `X` of every `bindings::X` and `bindings::{X, Y as Z}`, in order.
    bound_names: Vec<String>,
    /// `M` of every `crate::M` with `M` a generated module.
    generated_modules: Vec<String>,
}

impl Paths {
    fn scan(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (index, tree) in trees.iter().enumerate() {
            if let TokenTree::Group(group) = tree {
                self.scan(group.stream());
                continue;
            }
            let TokenTree::Ident(ident) = tree else {
                continue;
            };
            let follows_path_separator = matches!(
                (trees.get(index + 1), trees.get(index + 2)),
                (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':'
            );
            if !follows_path_separator {
                continue;
            }
            let next = trees.get(index + 3);
            if ident == "crate" {
                if let Some(TokenTree::Ident(module)) = next {
                    let module = module.to_string();
                    if GENERATED_MODULES.contains(&module.as_str()) {
                        self.generated_modules.push(module);
                    }
                }
            } else if ident == contract::bindings::MODULE {
                match next {
                    Some(TokenTree::Ident(name)) => self.bound_names.push(name.to_string()),
                    Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                        self.use_tree_names(group.stream());
                    }
                    _ => {}
                }
            }
        }
    }

    /// The names a `{…}` use tree imports: each name not after `as`.
    fn use_tree_names(&mut self, tokens: TokenStream) {
        let mut after_as = false;
        for tree in tokens {
            match tree {
                TokenTree::Ident(ident) if ident == "as" => after_as = true,
                TokenTree::Ident(ident) => {
                    if !after_as && ident != "self" {
                        self.bound_names.push(ident.to_string());
                    }
                    after_as = false;
                }
                _ => {}
            }
        }
    }
}

/// The methods of inherent `impl Tag { … }` blocks.
fn tag_methods(file: &syn::File) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() => Some(block),
            _ => None,
        })
        .filter(|block| match &*block.self_ty {
            syn::Type::Path(path) => path
                .path
                .segments
                .last()
                .is_some_and(|segment| segment.ident == contract::bindings::TAG),
            _ => false,
        })
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method) => Some(method.sig.ident.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "mod bindings;\nuse bindings::{Tag, ClassificationState as State};\nimpl Tag {\n    /// Waits.\n    pub fn wait(&self) -> State { bindings::wait(crate::apis::x()) }\n}\n";

    #[test]
    fn the_scan_finds_tag_methods_bound_names_and_generated_modules() {
        let parsed = parse("wait", CODE).unwrap();
        assert!(parsed.declares_bindings);
        assert_eq!(parsed.tag_methods, ["wait"]);
        assert_eq!(parsed.paths.generated_modules, ["apis"]);
        assert!(
            parsed.paths.bound_names.contains(&"wait".to_owned()),
            "{:?}",
            parsed.paths
        );
    }
}
