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

/// The files parsed ahead, and the counts of their words (for the
/// vocabulary), made on the same threads.
pub(super) struct Prefetched {
    pub files: HashMap<PathBuf, Rc<Value>>,
    pub counts: Counts,
}

/// Parses, on every core, the files the spec's text names in `$ref`s, wave
/// by wave from the root: parsing is most of loading's time. A guess that
/// names no file, or a file that does not parse, is left for the walk,
/// which reports it where the `$ref` is.
pub(super) fn prefetch(root: &Path) -> Prefetched {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 8);
    let mut parsed: HashMap<PathBuf, Rc<Value>> = HashMap::new();
    let mut counts = Counts::default();
    let mut seen: BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    let mut wave = vec![root.to_path_buf()];
    seen.insert(root.to_path_buf());
    while !wave.is_empty() {
        // Threads pay off only for waves of many files; starting one costs
        // as much as parsing a small file.
        let results: Vec<(Vec<ReadAhead>, Counts)> = if wave.len() < 16 {
            vec![prefetch_all(wave.iter())]
        } else {
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|worker| {
                        let wave = &wave;
                        scope.spawn(move || prefetch_all(wave.iter().skip(worker).step_by(threads)))
                    })
                    .collect();
                workers
                    .into_iter()
                    .filter_map(|worker| worker.join().ok())
                    .collect()
            })
        };
        let mut next = Vec::new();
        for (read, wave_counts) in results {
            counts.merge(wave_counts);
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
    }
}

/// Reads `files` ahead, counting the words of those that parse.
fn prefetch_all<'f>(files: impl Iterator<Item = &'f PathBuf>) -> (Vec<ReadAhead>, Counts) {
    let mut counts = Counts::default();
    let read = files
        .map(|file| {
            let read = prefetch_one(file);
            if let (_, Some(value), _) = &read {
                counts.document(value);
            }
            read
        })
        .collect();
    (read, counts)
}

fn prefetch_one(file: &Path) -> ReadAhead {
    match read_spec_file(file) {
        Ok(text) => (
            file.to_path_buf(),
            parse_spec_text(file, &text).ok(),
            referenced_files(file, &text),
        ),
        Err(_) => (file.to_path_buf(), None, Vec::new()),
    }
}

/// Files that `$ref:` lines of `text` seem to name, canonical; a cheap
/// reading of the text, not of the YAML.
fn referenced_files(file: &Path, text: &str) -> Vec<PathBuf> {
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
        if let Ok(path) = dir.join(percent_decode(value)).canonicalize() {
            if path.is_file() {
                found.push(path);
            }
        }
    }
    found
}
