//! Load: reads the root document and every file it reaches through `$ref`,
//! and bundles them into one document whose `$ref`s are all local.
//!
//! - `read.rs`: one file's text to a JSON value, with located errors and
//!   limits (size, UTF-8, no NUL).
//! - `bundle.rs`: the walk that resolves `$ref`s and copies nodes into the
//!   bundle, remembering where each came from.
//!
//! - `lines.rs`: where a pointer's node is in its file, for reports.
//! - `copies.rs`: copies of one schema in several files, found to be one.
//! - `marks.rs`: how the bundle refers to a schema before it is named.
//!
//! Schemas that live in other files become entries of `components/schemas`
//! (keyed as [`super::type_names`] decides, copies once); everything else that a `$ref`
//! points at (path items, responses, parameters) is copied in place. The
//! bundle remembers where each part came from, so that later stages report
//! errors in the file a maintainer edits.

mod bundle;
mod copies;
mod lines;
mod marks;
mod read;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::diag::{Errors, Location, Warning};
use super::vocabulary::Vocabulary;

pub use self::lines::add_lines;
pub use self::read::MAX_FILE_BYTES;

/// The bundled spec.
#[derive(Debug)]
pub struct Spec {
    pub root_file: PathBuf,
    pub document: Value,
    /// Bundle pointer → the file and pointer it was copied from.
    origins: BTreeMap<String, Target>,
    /// How many files were read.
    pub file_count: usize,
    /// What loading worked around, located.
    pub warnings: Vec<Warning>,
    /// The words of every file, for naming.
    pub vocabulary: Vocabulary,
}

impl Spec {
    /// Where the node at `pointer` in the bundle came from.
    pub fn locate(&self, pointer: &str) -> Location {
        let mut prefix = pointer;
        loop {
            if let Some(origin) = self.origins.get(prefix) {
                let rest = &pointer[prefix.len()..];
                return Location::pointer(&origin.file, format!("{}{rest}", origin.pointer));
            }
            match prefix.rfind('/') {
                Some(cut) => prefix = &prefix[..cut],
                None => return Location::pointer(&self.root_file, pointer),
            }
        }
    }
}

/// A node of a file: which file, and the JSON pointer in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Target {
    pub(super) file: PathBuf,
    pub(super) pointer: String,
}

/// Reads and bundles the spec whose root document is `root`.
pub fn load(root: &Path) -> Result<Spec, Errors> {
    let root_file = root.canonicalize().map_err(|error| {
        Errors::one(
            Location::File(root.to_path_buf()),
            format!("cannot read the spec: {error}"),
        )
    })?;
    bundle::bundle(root_file, None)
}

/// Bundles a root document given as text, as if read from `root_file`
/// (which need not exist): spec snippets in unit tests.
#[cfg(test)]
pub fn load_text(root_file: &Path, text: &str) -> Result<Spec, Errors> {
    let document = read::parse_spec_text(root_file, text)?;
    bundle::bundle(root_file.to_path_buf(), Some(document))
}

/// Decodes `%XX` escapes of a `$ref`; anything malformed stays as it is.
pub(super) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).unwrap_or_else(|_| text.to_owned())
}
