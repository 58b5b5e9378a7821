//! Prefetch: the files a spec names, parsed ahead on every core.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
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

/// Folders as `$ref`s name them → their canonical form, or `None` when
/// there is no such folder.
type Folders = HashMap<PathBuf, Option<PathBuf>>;

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
    let mut folders = Folders::new();
    let read = files
        .map(|file| {
            let read = prefetch_one(file, known, &mut canonical, &mut folders);
            if let (_, Some(value), _) = &read {
                counts.document(value);
            }
            read
        })
        .collect();
    (read, counts, canonical)
}

fn prefetch_one(
    file: &Path,
    known: &Canonical,
    canonical: &mut Canonical,
    folders: &mut Folders,
) -> ReadAhead {
    match read_spec_file(file) {
        Ok(text) => (
            file.to_path_buf(),
            parse_spec_text(file, &text).ok(),
            referenced_files(file, &text, known, canonical, folders),
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
    folders: &mut Folders,
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
            None => canonical
                .entry(named)
                .or_insert_with_key(|named| canonical_file(named, folders)),
        };
        found.extend(path.clone());
    }
    found
}

/// The canonical path of `named`, when it is a file. Every link in the
/// path is resolved, as [`Path::canonicalize`] does, with fewer calls to the
/// file system: each folder is made canonical once, and a file that is not
/// a link is its canonical folder joined with its name (one `lstat`, where
/// `canonicalize` reads every component of the path as a link).
fn canonical_file(named: &Path, folders: &mut Folders) -> Option<PathBuf> {
    let whole = || named.canonicalize().ok().filter(|path| path.is_file());
    let (Some(Component::Normal(name)), Some(folder)) =
        (named.components().next_back(), named.parent())
    else {
        return whole();
    };
    let metadata = std::fs::symlink_metadata(named).ok()?;
    if metadata.file_type().is_symlink() {
        return whole();
    }
    if !metadata.is_file() {
        return None;
    }
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let canonical_folder = folders
        .entry(folder.to_path_buf())
        .or_insert_with_key(|folder| folder.canonicalize().ok());
    Some(canonical_folder.as_ref()?.join(name))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::temp_dir::TempDir;

    /// A folder with a file, a link to it, and a link to its folder's
    /// parent.
    fn tree() -> TempDir {
        let tree = TempDir::new("prefetch-links");
        let root = tree.path();
        std::fs::create_dir_all(root.join("real/schemas")).unwrap();
        std::fs::create_dir_all(root.join("real/paths")).unwrap();
        std::fs::write(root.join("real/schemas/A.yaml"), "type: string\n").unwrap();
        std::os::unix::fs::symlink("A.yaml", root.join("real/schemas/B.yaml")).unwrap();
        std::os::unix::fs::symlink("real", root.join("link")).unwrap();
        tree
    }

    #[test]
    fn a_named_file_is_made_canonical_as_canonicalize_makes_it() {
        let tree = tree();
        let mut folders = Folders::new();
        for named in [
            "real/schemas/A.yaml",
            "real/paths/../schemas/A.yaml",
            "link/schemas/A.yaml",
            "link/paths/../schemas/B.yaml",
            "real/schemas/B.yaml",
            "real/schemas/missing.yaml",
            "real/schemas",
            "link/schemas/A.yaml/..",
        ] {
            let named = tree.path().join(named);
            let expected = named.canonicalize().ok().filter(|path| path.is_file());
            assert_eq!(canonical_file(&named, &mut folders), expected, "{named:?}");
        }
        let real_file = tree
            .path()
            .join("real/schemas/A.yaml")
            .canonicalize()
            .unwrap();
        assert_eq!(
            canonical_file(&tree.path().join("link/schemas/B.yaml"), &mut folders),
            Some(real_file)
        );
    }
}
