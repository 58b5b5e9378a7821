//! Pieces every emitter uses: doc attributes and type tokens.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::std_names::{Spelling, STRING, VEC};
use super::FileContext;
use crate::codegen::ir::{Api, TypeRef, ALL_FEATURE};
use crate::codegen::names::ident;

/// Spec prose as rustdoc lines. Code blocks are marked `text`, and deep
/// indentation is cut, so that no description becomes a doctest.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut in_fence = false;
    // Markdown continues a list item or a quote onto following lines;
    // rustdoc wants that written out (indented, or behind `>`).
    let mut list_indent: Option<usize> = None;
    let mut in_quote = false;
    for raw in text.replace('\t', "    ").lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            lines.push(if in_fence { "```" } else { "```text" }.to_owned());
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            lines.push(line.to_owned());
            continue;
        }
        let mut indent = (line.len() - trimmed.len()).min(3);
        if trimmed.is_empty() {
            list_indent = None;
            in_quote = false;
        } else if let Some(marker) = list_marker_width(trimmed) {
            list_indent = Some(indent + marker);
        } else if let Some(item_indent) = list_indent {
            indent = indent.max(item_indent);
        }
        let mut text = link_bare_urls(trimmed);
        if trimmed.starts_with('>') {
            in_quote = true;
        } else if in_quote {
            text = format!("> {text}");
        }
        let line = format!("{}{text}", " ".repeat(indent));
        if line.is_empty() && lines.last().is_none_or(String::is_empty) {
            continue;
        }
        lines.push(line);
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// The width of a list item's marker (`- `, `* `, `+ `, `1. `), if the line
/// starts one.
fn list_marker_width(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "]
        .iter()
        .any(|marker| line.starts_with(marker))
    {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

/// Wraps URLs that stand alone in `<…>`, which rustdoc makes links of;
/// URLs already in a Markdown link, `<…>` or code are left as they are.
fn link_bare_urls(line: &str) -> String {
    // Most lines have no URL: they are copied without a walk over their
    // characters.
    if !line.contains("http") {
        return line.to_owned();
    }
    let mut result = String::with_capacity(line.len());
    let mut in_code = false;
    let mut rest = line;
    while !rest.is_empty() {
        let starts_url = rest.starts_with("https://") || rest.starts_with("http://");
        let after_space = result.is_empty() || result.ends_with(char::is_whitespace);
        if starts_url && after_space && !in_code {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'', '"']);
            result.push('<');
            result.push_str(url);
            result.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        let c = rest.chars().next().expect("rest is not empty");
        if c == '`' {
            in_code = !in_code;
        }
        result.push(c);
        rest = &rest[c.len_utf8()..];
    }
    result
}

/// `#[doc = " line"]` attributes, one per line, which print as `///`.
pub fn doc_attrs(cx: &FileContext, text: &str) -> TokenStream {
    attrs_of_lines(cx, doc_lines(text))
}

/// `#[doc]` attributes of text the emitter wrote itself (an example whose
/// code block is a doctest), line by line as it is.
pub fn raw_doc_attrs(cx: &FileContext, text: &str) -> TokenStream {
    attrs_of_lines(cx, text.lines().map(str::to_owned))
}

/// Doc attributes of `lines`.
fn attrs_of_lines(cx: &FileContext, lines: impl IntoIterator<Item = String>) -> TokenStream {
    cx.doc_lines_attrs(after_doc_slashes(lines))
}

/// Each line as it follows `///`: behind a space, unless it is empty.
pub(super) fn after_doc_slashes(lines: impl IntoIterator<Item = String>) -> Vec<String> {
    lines
        .into_iter()
        .map(|line| {
            if line.is_empty() {
                line
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// Paragraphs joined into one doc text, skipping empty ones.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The Rust type of a use of a type.
pub fn type_tokens(cx: &FileContext, ty: &TypeRef) -> TokenStream {
    let std = |name| cx.spelling().tokens(name);
    match ty {
        TypeRef::String => std(STRING),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::Any => quote!(::serde_json::Value),
        TypeRef::Object => {
            let string = std(STRING);
            quote!(::serde_json::Map<#string, ::serde_json::Value>)
        }
        TypeRef::Bytes => quote!(::bytes::Bytes),
        TypeRef::Named(name) => {
            let name = format_ident!("{}", name);
            quote!(crate::models::#name)
        }
        TypeRef::Vec(item) => {
            let (vec, item) = (std(VEC), type_tokens(cx, item));
            quote!(#vec<#item>)
        }
        TypeRef::Map(value) => {
            let (string, value) = (std(STRING), type_tokens(cx, value));
            quote!(::std::collections::BTreeMap<#string, #value>)
        }
    }
}

/// The Rust type of a use of a type, as text laid out as rustfmt would:
/// the same type as [`type_tokens`], for what the emitters lay out
/// themselves (the models' serde tables).
pub fn type_text(spelling: Spelling, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => spelling.text(STRING),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::DateTime => "::chrono::DateTime<::chrono::Utc>".to_owned(),
        TypeRef::Date => "::chrono::NaiveDate".to_owned(),
        TypeRef::Any => "::serde_json::Value".to_owned(),
        TypeRef::Object => {
            format!(
                "::serde_json::Map<{}, ::serde_json::Value>",
                spelling.text(STRING)
            )
        }
        TypeRef::Bytes => "::bytes::Bytes".to_owned(),
        TypeRef::Named(name) => format!("crate::models::{name}"),
        TypeRef::Vec(item) => format!("{}<{}>", spelling.text(VEC), type_text(spelling, item)),
        TypeRef::Map(value) => format!(
            "::std::collections::BTreeMap<{}, {}>",
            spelling.text(STRING),
            type_text(spelling, value)
        ),
    }
}

/// The `#[cfg(...)]` that compiles an item only with the given features,
/// or nothing when the crate has no per-tag features.
pub fn feature_gate(api: &Api, features: &std::collections::BTreeSet<String>) -> TokenStream {
    if api.groups.len() < 2 {
        return quote!();
    }
    let features: Vec<&str> = if features.is_empty() {
        vec![ALL_FEATURE]
    } else {
        features.iter().map(String::as_str).collect()
    };
    if let [feature] = features[..] {
        quote!(#[cfg(feature = #feature)])
    } else {
        quote!(#[cfg(any(#(feature = #features),*))])
    }
}

/// An identifier token from a name the lowering chose.
pub fn name(name: &str) -> proc_macro2::Ident {
    ident(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_text_is_the_type_of_type_tokens() {
        let named = || Box::new(TypeRef::Named("Owner".to_owned()));
        for ty in [
            TypeRef::String,
            TypeRef::I32,
            TypeRef::I64,
            TypeRef::F32,
            TypeRef::F64,
            TypeRef::Bool,
            TypeRef::DateTime,
            TypeRef::Date,
            TypeRef::Any,
            TypeRef::Object,
            TypeRef::Bytes,
            TypeRef::Vec(named()),
            TypeRef::Map(Box::new(TypeRef::Vec(named()))),
        ] {
            for spelling in [Spelling::Bare, Spelling::Full] {
                let parsed: TokenStream = type_text(spelling, &ty).parse().unwrap();
                let cx = FileContext::new(spelling);
                // The same tokens; only the spacing of their printing differs.
                let spelled = |tokens: TokenStream| tokens.to_string().replace(' ', "");
                assert_eq!(
                    spelled(parsed),
                    spelled(type_tokens(&cx, &ty)),
                    "{ty:?} {spelling:?}"
                );
            }
        }
    }

    #[test]
    fn descriptions_never_become_doctests() {
        let lines = doc_lines("Intro\n\n```\nlet x = 1;\n```\n\n\n        indented code\n\tTabbed");
        assert_eq!(
            lines,
            [
                "Intro",
                "",
                "```text",
                "let x = 1;",
                "```",
                "",
                "   indented code",
                "   Tabbed"
            ]
        );
        assert_eq!(doc_lines("```json\n{}"), ["```text", "{}", "```"]);
        assert!(doc_lines("\n\n").is_empty());
    }

    #[test]
    fn list_items_and_quotes_are_continued_explicitly() {
        assert_eq!(
            doc_lines("Intro:\n- one\ncontinued\n10. ten\nmore\n\nafter\n> quoted\nlazy"),
            [
                "Intro:",
                "- one",
                "  continued",
                "10. ten",
                "    more",
                "",
                "after",
                "> quoted",
                "> lazy"
            ]
        );
    }

    #[test]
    fn bare_urls_become_links_and_others_stay() {
        assert_eq!(
            link_bare_urls(
                "see https://a.example/x. or [b](https://b.example) or <https://c.example>"
            ),
            "see <https://a.example/x>. or [b](https://b.example) or <https://c.example>"
        );
        assert_eq!(
            link_bare_urls("`curl https://a.example`"),
            "`curl https://a.example`"
        );
        assert_eq!(link_bare_urls("http://x.example"), "<http://x.example>");
    }
}
