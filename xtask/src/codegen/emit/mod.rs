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

/// One Rust file of the crate, before formatting.
#[derive(Debug, Clone)]
pub struct RustFile {
    /// The `/`-separated path in the crate.
    pub path: String,
    /// Items that `prettyplease` lays out.
    pub items: TokenStream,
    /// Macro invocations laid out by the emitter, written after the items:
    /// prettyplease cannot lay out a macro's body.
    pub tables: Vec<String>,
}

impl RustFile {
    /// A file of items only.
    pub fn new(path: impl Into<String>, items: TokenStream) -> Self {
        Self {
            path: path.into(),
            items,
            tables: Vec::new(),
        }
    }
}
