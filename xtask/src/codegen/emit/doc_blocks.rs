//! Doc comments beside the tokens, not in them.
//!
//! Docs are most of an emitted file's text. As `#[doc = "…"]` tokens, each
//! line is escaped into a literal, lexed and unescaped by syn, and measured
//! by prettyplease, only to be printed as `///` and the line itself. While
//! [`collect`] runs, the emitters' doc attributes instead put each block of
//! lines aside and leave a short marker attribute in its place; the
//! formatter then writes the lines where the marker is printed
//! ([`expand`]), exactly as prettyplease prints a `#[doc]` line. Outside
//! [`collect`] (emitter unit tests), the attributes are plain `#[doc]`s.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

use crate::codegen::diag::{Errors, Location};

/// Starts a marker: a private-use character, printed right after `///`
/// (see [`marker_line`] for why no text is taken for a marker).
const MARKER: char = '\u{E000}';

thread_local! {
    /// The blocks set aside for the file being emitted on this thread.
    static BLOCKS: RefCell<Option<Vec<Vec<String>>>> = const { RefCell::new(None) };
}

/// Runs `emit` with its doc blocks set aside: its result, and the blocks
/// its markers stand for.
pub fn collect<T>(emit: impl FnOnce() -> T) -> (T, Vec<Vec<String>>) {
    BLOCKS.with(|blocks| *blocks.borrow_mut() = Some(Vec::new()));
    let value = emit();
    let blocks = BLOCKS.with(|blocks| blocks.borrow_mut().take());
    (value, blocks.unwrap_or_default())
}

/// Outer doc attributes for `lines`, each the text after `///` (a leading
/// space included, or empty).
pub fn attrs(lines: Vec<String>) -> TokenStream {
    BLOCKS.with(|blocks| match blocks.borrow_mut().as_mut() {
        Some(blocks) => {
            blocks.push(lines);
            let marker = format!("{MARKER}{}", blocks.len() - 1);
            quote!(#[doc = #marker])
        }
        None => quote!(#(#[doc = #lines])*),
    })
}

/// A printed marker: `///` or `//!` right before the marker, nothing but
/// its number after. A doc line of text always starts with a space or is
/// empty, so it never has this shape, whatever characters it holds.
fn marker_line(line: &str) -> Option<(&str, &str)> {
    let (prefix, rest) = line.split_once(MARKER)?;
    let index = rest.trim_end_matches('\n');
    let is_doc_prefix = matches!(prefix.trim_start(), "///" | "//!");
    (is_doc_prefix && !index.is_empty() && index.bytes().all(|byte| byte.is_ascii_digit()))
        .then_some((prefix, index))
}

/// `text`, as prettyplease printed it, with each marker line replaced by
/// its block: the marker's prefix (indentation and `///`) before each line,
/// trailing spaces trimmed as prettyplease trims a doc line's.
pub fn expand(text: &str, blocks: &[Vec<String>], path: &str) -> Result<String, Errors> {
    if !text.contains(MARKER) {
        return Ok(text.to_owned());
    }
    let mut expanded =
        String::with_capacity(text.len() + blocks.iter().flatten().map(String::len).sum::<usize>());
    for line in text.split_inclusive('\n') {
        let Some((prefix, index)) = marker_line(line) else {
            expanded.push_str(line);
            continue;
        };
        let block = index
            .parse::<usize>()
            .ok()
            .and_then(|index| blocks.get(index))
            .ok_or_else(|| {
                Errors::one(
                    Location::File(path.into()),
                    format!("internal error: a doc marker names no doc block: {line:?}"),
                )
            })?;
        for doc in block {
            expanded.push_str(prefix);
            expanded.push_str(doc.trim_end_matches(' '));
            expanded.push('\n');
        }
    }
    Ok(expanded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::emit::common::{doc_attrs, raw_doc_attrs};
    use crate::codegen::emit::RustFile;
    use crate::codegen::format::{file_text, format, format_part};

    /// A file whose docs hold what a spec's prose may: blank lines, trailing
    /// spaces, code, a quote, a private-use character.
    fn emit() -> RustFile {
        let item_doc = doc_attrs(
            "Lists things.\n\nWith `code`, trailing  \n> a quote\n\n```\nlet x = 1;\n```",
        );
        let raw = raw_doc_attrs("# Example\n\n```no_run\nlet answer = 42;  \n```");
        let odd = doc_attrs("A \u{E000} in the text stays text.");
        RustFile::new(
            "src/things.rs",
            quote! {
                #item_doc
                #raw
                pub struct Things {
                    #odd
                    pub count: u32,
                }
                impl Things {
                    #item_doc
                    pub fn list(&self) {}
                }
            },
        )
    }

    #[test]
    fn docs_set_aside_print_as_the_attributes_would() {
        let inline = format(&emit()).unwrap();
        let (file, blocks) = collect(emit);
        assert_eq!(blocks.len(), 3);
        assert!(!file.items.to_string().contains("Lists things"));
        let (aside, _) = format_part(file, &blocks).unwrap();
        let aside = file_text([aside.as_str()]);
        assert_eq!(aside, inline);
        assert!(
            aside.contains("    /// Lists things.\n    ///\n    /// With `code`, trailing\n"),
            "{aside}"
        );
    }

    #[test]
    fn a_marker_without_its_block_is_an_internal_error() {
        let (file, _) = collect(emit);
        match format_part(file, &[]) {
            Err(error) => assert!(error.to_string().contains("names no doc block"), "{error}"),
            Ok((text, _)) => panic!("formatted with markers left in:\n{text}"),
        }
    }
}
