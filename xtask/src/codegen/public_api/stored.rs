//! A listing kept in a file with the key of what it lists.
//!
//! The runtime's public items are the same for every spec, yet listing
//! them means parsing 140 KB of hand-written Rust: most of a fragment
//! run's time. They are kept in `templates/RUNTIME_API.txt` with a key of
//! the runtime's text and of the code that lists it (this module's
//! parent). A run whose key matches reads the items back; any other run
//! lists the runtime itself and hands back the file's new text, which
//! `codegen` writes (or, with `--check`, reports as out of date).
//!
//! The head, key line and item lines are shared with the stored scans of
//! the extensions (`extensions/source.rs`), kept the same way.

use std::collections::BTreeSet;

use super::Item;

/// The stored listing's file, in the templates' folder.
pub const FILE: &str = "RUNTIME_API.txt";

/// The kinds an [`Item`] can have, so that a stored one reads back as the
/// same `&'static str`.
const KINDS: &[&str] = &[
    "const", "enum", "field", "fn", "impl", "struct", "trait", "type", "use", "variant",
];

/// What the key line starts with.
const KEY_PREFIX: &str = "# key: ";

/// The code that lists items: a stored listing made by other code is stale
/// even when the runtime is unchanged.
const LISTING_CODE: &str = include_str!("../public_api.rs");

/// The key of a listing of `files` (path and text each): FNV over the
/// listing code and every file, each part preceded by its length so that
/// no two different inputs run together. Stable across Rust releases,
/// unlike `std`'s hasher, because the key is checked in.
pub fn key<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> u64 {
    let mut hash = Fnv::default();
    hash.write_part(LISTING_CODE.as_bytes());
    for (path, text) in files {
        hash.write_part(path.as_bytes());
        hash.write_part(text.as_bytes());
    }
    hash.0
}

/// The file's text: a header, the key, then one item per line, its kind,
/// path and signature separated by tabs (which neither part contains).
pub fn text(key: u64, items: &BTreeSet<Item>) -> String {
    let mut text = head(key, "The public items of templates/runtime");
    for item in items {
        text.push_str(&item_line(item));
        text.push('\n');
    }
    text
}

/// The items stored in `text`, if it is a stored listing with `key`.
pub fn read(text: &str, key: u64) -> Option<BTreeSet<Item>> {
    lines_under(text, key)?.map(read_item).collect()
}

/// The first lines of a stored file: the generated header, what it keeps,
/// and its key.
pub fn head(key: u64, what: &str) -> String {
    format!(
        "# {}\n# {what}, read by codegen while the key matches.\n{KEY_PREFIX}{key:016x}\n",
        crate::codegen::HEADER
    )
}

/// The lines of a stored file after its key line, if the key is `key`.
pub fn lines_under(text: &str, key: u64) -> Option<std::str::Lines<'_>> {
    let mut lines = text.lines();
    let stored = lines
        .by_ref()
        .find(|line| line.starts_with(KEY_PREFIX))?
        .strip_prefix(KEY_PREFIX)?;
    (u64::from_str_radix(stored, 16).ok()? == key).then_some(lines)
}

/// An item as a line: kind, path and signature separated by tabs.
pub fn item_line(item: &Item) -> String {
    format!("{}\t{}\t{}", item.kind, item.path, item.signature)
}

/// The item a line written by [`item_line`] holds.
pub fn read_item(line: &str) -> Option<Item> {
    let mut parts = line.splitn(3, '\t');
    let kind = parts.next()?;
    let kind = KINDS.iter().find(|known| **known == kind)?;
    let path = parts.next()?.to_owned();
    let signature = parts.next()?.to_owned();
    Some(Item::new(kind, path, signature))
}

/// 64-bit FNV-1a, taken a word (8 bytes) at a time rather than a byte:
/// the key is read on every run, and it only has to change with its input.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let word = u64::from_le_bytes(word.try_into().expect("chunks of 8 bytes"));
            self.mix(word);
        }
        for byte in words.remainder() {
            self.mix(u64::from(*byte));
        }
    }

    fn mix(&mut self, value: u64) {
        self.0 = (self.0 ^ value).wrapping_mul(0x0100_0000_01b3);
    }

    fn write_part(&mut self, bytes: &[u8]) {
        self.write(&(bytes.len() as u64).to_le_bytes());
        self.write(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> BTreeSet<Item> {
        [
            Item::new(
                "fn",
                "Client::new".to_owned(),
                "(config: Config) -> Self".to_owned(),
            ),
            Item::new("struct", "Client".to_owned(), String::new()),
            Item::new("impl", "Client: Clone".to_owned(), String::new()),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn a_stored_listing_reads_back_under_its_key_only() {
        let text = text(7, &items());
        assert_eq!(read(&text, 7), Some(items()));
        assert_eq!(read(&text, 8), None);
        assert_eq!(read("no key here\n", 7), None);
    }

    #[test]
    fn a_line_of_an_unknown_kind_makes_the_listing_unreadable() {
        let text = text(7, &items()).replace("struct\t", "strukt\t");
        assert_eq!(read(&text, 7), None);
    }

    #[test]
    fn the_key_changes_with_any_path_or_text() {
        let base = key([("a.rs", "fn a() {}"), ("b.rs", "")]);
        assert_eq!(base, key([("a.rs", "fn a() {}"), ("b.rs", "")]));
        assert_ne!(base, key([("a.rs", "fn a() {} "), ("b.rs", "")]));
        assert_ne!(base, key([("a.rs", "fn a() {}"), ("c.rs", "")]));
        // A text moved from one file to the next is another input.
        assert_ne!(base, key([("a.rs", "fn a() {}b.rs"), ("", "")]));
    }
}
