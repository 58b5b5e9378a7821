//! Prefetch: the files a spec names, parsed ahead on every core.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::Value;

use super::percent_decode;
use super::read::{parse_spec_text, read_spec_file};
use crate::codegen::vocabulary::Counts;

/// A file read ahead: its path, its value if it parsed, and the files its
/// text names.
type ReadAhead = (PathBuf, Option<Value>, Vec<PathBuf>);

/// Paths as `$ref`s name them (joined to their file's folder) → their
/// canonical form, or `None` when that is not a file.
type Canonical = HashMap<PathBuf, Option<PathBuf>>;

/// The files parsed ahead, the counts of their words (for the
/// vocabulary), and the canonical paths of the files they name, made on
/// the same threads.
pub(super) struct Prefetched {
    pub files: HashMap<PathBuf, Rc<Value>>,
    pub counts: Counts,
    /// Paths as `$ref`s name them (joined to their file's folder) → the
    /// canonical path of the file: the walk asks the file system again
    /// only for others.
    pub canonical: HashMap<PathBuf, PathBuf>,
}

/// Parses, on every core, the files the spec's text names in `$ref`s, wave
/// by wave from the root: parsing is most of loading's time. A guess that
/// names no file, or a file that does not parse, is left for the walk,
/// which reports it where the `$ref` is.
pub(super) fn prefetch(root: &Path) -> Prefetched {
    let mut parsed: HashMap<PathBuf, Rc<Value>> = HashMap::new();
    let mut counts = Counts::default();
    let mut canonical = Canonical::new();
    let mut seen: BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    let mut wave = vec![root.to_path_buf()];
    seen.insert(root.to_path_buf());
    while !wave.is_empty() {
        // Threads pay off only for waves of many files; starting one costs
        // as much as parsing a small file.
        let results: Vec<(Vec<ReadAhead>, Counts, Canonical)> = if wave.len() < 16 {
            vec![prefetch_all(wave.iter(), &canonical)]
        } else {
            // A panicked worker's files are left for the walk.
            crate::codegen::cores::share_out(&wave, |files| prefetch_all(files, &canonical))
                .into_iter()
                .flatten()
                .collect()
        };
        let mut next = Vec::new();
        for (read, wave_counts, wave_canonical) in results {
            counts.merge(wave_counts);
            canonical.extend(wave_canonical);
            for (file, value, named) in read {
                if let Some(value) = value {
                    parsed.insert(file, Rc::new(value));
                }
                for candidate in named {
                    if seen.insert(candidate.clone()) {
                        next.push(candidate);
                    }
                }
            }
        }
        next.sort();
        wave = next;
    }
    Prefetched {
        files: parsed,
        counts,
        canonical: canonical
            .into_iter()
            .filter_map(|(named, canonical)| Some((named, canonical?)))
            .collect(),
    }
}

/// Reads `files` ahead, counting the words of those that parse. `known`
/// holds the paths made canonical in earlier waves; those these files name
/// besides are given back.
fn prefetch_all<'f>(
    files: impl Iterator<Item = &'f PathBuf>,
    known: &Canonical,
) -> (Vec<ReadAhead>, Counts, Canonical) {
    let mut counts = Counts::default();
    let mut canonical = Canonical::new();
    let read = files
        .map(|file| {
            let read = prefetch_one(file, known, &mut canonical);
            if let (_, Some(value), _) = &read {
                counts.document(value);
            }
            read
        })
        .collect();
    (read, counts, canonical)
}

fn prefetch_one(file: &Path, known: &Canonical, canonical: &mut Canonical) -> ReadAhead {
    match read_spec_file(file) {
        Ok(text) => (
            file.to_path_buf(),
            parse_spec_text(file, &text).ok(),
            referenced_files(file, &text, known, canonical),
        ),
        Err(_) => (file.to_path_buf(), None, Vec::new()),
    }
}

/// Files that `$ref:` lines of `text` seem to name, canonical; a cheap
/// reading of the text, not of the YAML. A path is made canonical once
/// (`known` from earlier waves, `canonical` from this one).
fn referenced_files(
    file: &Path,
    text: &str,
    known: &Canonical,
    canonical: &mut Canonical,
) -> Vec<PathBuf> {
    let dir = file.parent().unwrap_or_else(|| Path::new("."));
    // A file names the same few files many times: each value is looked up
    // once.
    let mut values = BTreeSet::new();
    let mut found = Vec::new();
    for line in text.lines() {
        let Some((_, value)) = line.split_once("$ref") else {
            continue;
        };
        let value = value
            .trim_start_matches(['"', '\'', ':', ' '])
            .split(['"', '\'', '#', ' ', ','])
            .next()
            .unwrap_or_default();
        if value.is_empty() || value.contains("://") || !values.insert(value) {
            continue;
        }
        let named = dir.join(percent_decode(value));
        let path = match known.get(&named) {
            Some(path) => path,
            None => canonical.entry(named).or_insert_with_key(|named| {
                named.canonicalize().ok().filter(|path| path.is_file())
            }),
        };
        found.extend(path.clone());
    }
    found
}
