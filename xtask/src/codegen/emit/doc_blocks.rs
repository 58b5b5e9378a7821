//! Doc comments beside the tokens, not in them.
//!
//! Docs are most of an emitted file's text. As `#[doc = "…"]` tokens, each
//! line is escaped into a literal, lexed and unescaped by syn, and measured
//! by prettyplease, only to be printed as `///` and the line itself. The
//! emitters' doc attributes instead put each block of lines aside in the
//! file's [`DocBlocks`] and leave a short marker attribute in its place;
//! the formatter then writes the lines where the marker is printed
//! ([`expand`]), exactly as prettyplease prints a `#[doc]` line.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

use crate::codegen::diag::{Errors, Location};

/// Starts a marker: a private-use character, printed right after `///`
/// (see [`marker_line`] for why no text is taken for a marker).
const MARKER: char = '\u{E000}';

/// The doc blocks of the file being emitted, in the order of their markers.
#[derive(Debug, Default)]
pub struct DocBlocks(RefCell<Vec<Vec<String>>>);

impl DocBlocks {
    /// Outer doc attributes for `lines`, each the text after `///` (a
    /// leading space included, or empty): the lines are set aside, and the
    /// attribute is their marker.
    pub fn attrs(&self, lines: Vec<String>) -> TokenStream {
        let mut blocks = self.0.borrow_mut();
        blocks.push(lines);
        let marker = format!("{MARKER}{}", blocks.len() - 1);
        quote!(#[doc = #marker])
    }

    /// The blocks, for [`expand`].
    pub fn into_blocks(self) -> Vec<Vec<String>> {
        self.0.into_inner()
    }
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
    use crate::codegen::emit::common::{after_doc_slashes, doc_lines};
    use crate::codegen::emit::std_names::Spelling;
    use crate::codegen::emit::{FileContext, RustFile};
    use crate::codegen::format::format;

    /// Doc blocks holding what a spec's prose may: blank lines, trailing
    /// spaces, code, a quote, a private-use character; and an example.
    fn blocks() -> [Vec<String>; 3] {
        [
            after_doc_slashes(doc_lines(
                "Lists things.\n\nWith `code`, trailing  \n> a quote\n\n```\nlet x = 1;\n```",
            )),
            after_doc_slashes(
                "# Example\n\n```no_run\nlet answer = 42;  \n```"
                    .lines()
                    .map(str::to_owned),
            ),
            after_doc_slashes(doc_lines("A \u{E000} in the text stays text.")),
        ]
    }

    /// A file with the blocks as `doc` made of each: set aside, or inline.
    fn things(doc: impl Fn(Vec<String>) -> TokenStream) -> TokenStream {
        let [item, example, odd] = blocks().map(&doc);
        let again = doc(blocks()[0].clone());
        quote! {
            #item
            #example
            pub struct Things {
                #odd
                pub count: u32,
            }
            impl Things {
                #again
                pub fn list(&self) {}
            }
        }
    }

    fn aside() -> RustFile {
        let cx = FileContext::new(Spelling::Bare);
        let items = things(|lines| cx.doc_lines_attrs(lines));
        cx.finish("src/things.rs", items, Vec::new())
    }

    #[test]
    fn docs_set_aside_print_as_doc_attributes_do() {
        let file = aside();
        assert_eq!(file.docs.len(), 4);
        assert!(!file.items.to_string().contains("Lists things"));
        let inline = RustFile {
            items: things(|lines| quote!(#(#[doc = #lines])*)),
            docs: Vec::new(),
            ..file.clone()
        };
        let aside = format(&file).unwrap();
        assert_eq!(aside, format(&inline).unwrap());
        assert!(
            aside.contains("    /// Lists things.\n    ///\n    /// With `code`, trailing\n"),
            "{aside}"
        );
    }

    #[test]
    fn a_marker_without_its_block_is_an_internal_error() {
        let file = RustFile {
            docs: Vec::new(),
            ..aside()
        };
        match format(&file) {
            Err(error) => assert!(error.to_string().contains("names no doc block"), "{error}"),
            Ok(text) => panic!("formatted with markers left in:\n{text}"),
        }
    }
}
