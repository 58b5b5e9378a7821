//! Emit: the IR to Rust, a file at a time. Emitters read only the IR
//! (never `openapiv3`), and spell the names the emitted code owns from
//! [`super::contract`].
//!
//! | file | emits |
//! | --- | --- |
//! | `crate_root.rs` | `lib.rs` and `extensions/mod.rs` |
//! | `bindings.rs` | an extension's `bindings` module |
//! | `models.rs` | `models/`: a file per type, with its serde table |
//! | `construct.rs` | how a model is built: `Default`, `new`, `From` for unions |
//! | `operations.rs` | `apis/`: a file per tag, a request builder per operation |
//! | `paging.rs` | `pages()` and `items()` of collection operations |
//! | `request.rs` | how an operation takes and sends its parameters and body |
//! | `errors.rs` | the error enum of each operation |
//! | `docs.rs` | what a model's and an operation's docs tell beyond the declaration |
//! | `common.rs` | docs, type tokens and feature gates every emitter uses |
//! | `std_names.rs` | the names of `std`, bare or in full |
//! | `doc_blocks.rs` | doc comments set aside for the formatter |
//!
//! Every emitter is a function of the IR and of the [`FileContext`] of the
//! file it writes into, passed explicitly.

pub mod bindings;
pub mod common;
mod construct;
pub mod crate_root;
pub mod doc_blocks;
pub mod docs;
mod errors;
pub mod models;
pub mod operations;
mod paging;
mod request;
pub mod std_names;
#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;

use self::doc_blocks::DocBlocks;
use self::std_names::{Spelling, StdName};

/// One Rust file of the crate (or one part of a file), before formatting.
#[derive(Debug, Clone)]
pub struct RustFile {
    /// The `/`-separated path in the crate.
    pub path: String,
    /// Items that `prettyplease` lays out.
    pub items: TokenStream,
    /// Macro invocations laid out by the emitter, written after the items:
    /// prettyplease cannot lay out a macro's body.
    pub tables: Vec<String>,
    /// The doc blocks the items' doc markers stand for
    /// ([`doc_blocks::expand`]).
    pub docs: Vec<Vec<String>>,
}

/// What the emitters of one file share: how the file spells the names of
/// `std`, and the doc blocks its items have set aside so far.
#[derive(Debug)]
pub struct FileContext {
    spelling: Spelling,
    docs: DocBlocks,
}

impl FileContext {
    /// The context of a file that spells the names of `std` so.
    pub fn new(spelling: Spelling) -> Self {
        Self {
            spelling,
            docs: DocBlocks::default(),
        }
    }

    /// How the file spells the names of `std`.
    pub fn spelling(&self) -> Spelling {
        self.spelling
    }

    /// The names of `std` as the file writes them, to interpolate:
    /// `let [option, string] = cx.std([OPTION, STRING]);`.
    pub fn std<const N: usize>(&self, names: [StdName; N]) -> [TokenStream; N] {
        names.map(|name| self.spelling.tokens(name))
    }

    /// Outer doc attributes for `lines`, each the text after `///`.
    pub fn doc_lines_attrs(&self, lines: Vec<String>) -> TokenStream {
        self.docs.attrs(lines)
    }

    /// The file at `path` with these items and tables, and the doc blocks
    /// set aside while they were emitted.
    pub fn finish(
        self,
        path: impl Into<String>,
        items: TokenStream,
        tables: Vec<String>,
    ) -> RustFile {
        RustFile {
            path: path.into(),
            items,
            tables,
            docs: self.docs.into_blocks(),
        }
    }
}
