//! Prefetch: the files a spec names, parsed ahead on every core.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use super::percent_decode;
use super::read::{parse_spec_text, read_spec_file};
use crate::codegen::vocabulary::Counts;

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

/// The files found and not yet taken, and how many are being read.
struct Queue {
    waiting: Vec<PathBuf>,
    seen: HashSet<PathBuf>,
    reading: usize,
}

/// What one thread read ahead.
#[derive(Default)]
struct Read {
    files: Vec<(PathBuf, Value)>,
    counts: Counts,
    canonical: Canonical,
}

/// Parses, on every core, the files the spec's text names in `$ref`s, from
/// the root: parsing is most of loading's time. A file's `$ref`s are read
/// off its text before it is parsed, so that the files it names can be
/// read on another core while it parses. A guess that names no file, or
/// a file that does not parse, is left for the walk, which reports it
/// where the `$ref` is.
pub(super) fn prefetch(root: &Path) -> Prefetched {
    let queue = Mutex::new(Queue {
        waiting: vec![root.to_path_buf()],
        seen: HashSet::from([root.to_path_buf()]),
        reading: 0,
    });
    // A reader on every core, each taking files until all are read; a
    // helper joins in once it is free (the first reads the templates
    // first). A panicked helper's files are left for the walk.
    let mut read = Read::default();
    for helped in crate::codegen::cores::share_out(&[(); 8], |_| read_files(&queue))
        .into_iter()
        .flatten()
    {
        read.files.extend(helped.files);
        read.counts.merge(helped.counts);
        read.canonical.extend(helped.canonical);
    }
    Prefetched {
        files: read
            .files
            .into_iter()
            .map(|(file, value)| (file, Rc::new(value)))
            .collect(),
        counts: read.counts,
        canonical: read
            .canonical
            .into_iter()
            .filter_map(|(named, canonical)| Some((named, canonical?)))
            .collect(),
    }
}

/// Takes files off `queue` and reads them, their `$ref`s first, queued for
/// either thread, then their YAML; until no file is waiting or being read.
fn read_files(queue: &Mutex<Queue>) -> Read {
    let mut read = Read::default();
    let mut folders = Folders::new();
    loop {
        let (file, reading) = {
            let mut locked = lock(queue);
            match locked.waiting.pop() {
                Some(file) => {
                    locked.reading += 1;
                    (file, Reading(queue))
                }
                None if locked.reading == 0 => return read,
                None => {
                    drop(locked);
                    std::thread::yield_now();
                    continue;
                }
            }
        };
        let text = read_spec_file(&file).ok();
        if let Some(text) = &text {
            let named = referenced_files(&file, text, &mut read.canonical, &mut folders);
            let mut queue = lock(queue);
            for named in named {
                if queue.seen.insert(named.clone()) {
                    queue.waiting.push(named);
                }
            }
        }
        let value = text.and_then(|text| parse_spec_text(&file, &text).ok());
        drop(reading);
        if let Some(value) = value {
            read.counts.document(&value);
            read.files.push((file, value));
        }
    }
}

/// A file being read: counted in the queue until done, or until its
/// reader panics, so that the other reader does not wait for it forever.
struct Reading<'q>(&'q Mutex<Queue>);

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        lock(self.0).reading -= 1;
    }
}

/// The queue, even if a reader panicked while holding it: it is consistent
/// between any two statements.
fn lock(queue: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    queue.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Files that `$ref:` lines of `text` seem to name, canonical; a cheap
/// reading of the text, not of the YAML. A path is made canonical once
/// per thread.
fn referenced_files(
    file: &Path,
    text: &str,
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
        let path = canonical
            .entry(named)
            .or_insert_with_key(|named| canonical_file(named, folders));
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
