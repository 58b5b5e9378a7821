//! Write: the one place that touches the output folder (and the stored
//! listing of the runtime, [`sync_file`]). It compares what was generated
//! with what is there, shows differences as unified diffs, finds orphans,
//! and replaces the folder as a whole, so a failure never leaves it half
//! written. Its readers (`list_files`, `read_at_most`) serve the readers
//! of templates and spec files too.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::diag::{display_path, Errors, Location};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Make the folder hold exactly the generated files.
    Write,
    /// Change nothing; report every difference.
    Check,
}

/// What [`sync`] found or did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Files that differ or are missing (written in write mode).
    pub changed: Vec<String>,
    pub unchanged: usize,
    /// Files that are not generated any more (removed in write mode).
    pub orphans: Vec<String>,
    /// In check mode, a unified diff or a note for every difference.
    pub differences: Vec<String>,
}

impl Outcome {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.orphans.is_empty()
    }
}

/// How many files a folder needs for its reading to be shared with
/// another thread.
const PARALLEL_FILES: usize = 256;

/// How many bytes of the output folder are read ahead, at most: three
/// times SailPoint's largest crate. A folder may hold more than what is
/// generated (a `target/` of a build in it): the rest is only listed, and
/// a generated file among it is read when compared.
const READ_AHEAD_BYTES: u64 = 64 << 20;

/// What the output folder holds: every file, by `/`-separated relative
/// path, with its bytes when they were read ahead (up to
/// [`READ_AHEAD_BYTES`]). It is read before generation (on a core that
/// would otherwise wait), so that [`sync_with`] compares in memory.
#[derive(Debug, Default)]
pub struct OnDisk {
    files: BTreeMap<String, Option<Vec<u8>>>,
}

impl OnDisk {
    /// Lists every file under `out` and reads them ahead, within the
    /// budget; an absent folder holds none.
    pub fn read(out: &Path) -> Result<Self, Errors> {
        Self::read_within_budget(out, READ_AHEAD_BYTES)
    }

    fn read_within_budget(out: &Path, budget: u64) -> Result<Self, Errors> {
        if !out.exists() {
            return Ok(Self::default());
        }
        let paths: Vec<String> = list_files(out)
            .map_err(|error| io_error(out, "cannot list the output folder", error))?
            .into_iter()
            .collect();
        let read = |paths: &[String], budget: u64| -> Result<Vec<Option<Vec<u8>>>, Errors> {
            let mut left = budget;
            paths
                .iter()
                .map(|path| {
                    // Past the budget, files are only listed.
                    if left == 0 {
                        return Ok(None);
                    }
                    let read = read_at_most(&out.join(path), left)
                        .map_err(|error| io_error(&out.join(path), "cannot read", error))?
                        .ok();
                    left = match &read {
                        Some(bytes) => left.saturating_sub(bytes.len() as u64),
                        None => 0,
                    };
                    Ok(read)
                })
                .collect()
        };
        // A whole API's thousands of files are read on two threads.
        let contents = if paths.len() < PARALLEL_FILES {
            read(&paths, budget)?
        } else {
            let (first, second) = paths.split_at(paths.len() / 2);
            let halves = [first, second];
            let mut contents = Vec::with_capacity(paths.len());
            for half in super::cores::parts(2, |index| read(halves[index], budget / 2)) {
                contents.extend(half.unwrap_or_else(|| {
                    Err(Errors::one(
                        Location::File(out.to_path_buf()),
                        "internal error: reading the output folder panicked",
                    ))
                })?);
            }
            contents
        };
        Ok(Self {
            files: paths.into_iter().zip(contents).collect(),
        })
    }

    /// The bytes of the file at `path` under `out`: read ahead, or read
    /// now; `None` when it was not there.
    fn bytes(&self, out: &Path, path: &str) -> Result<Option<Cow<'_, [u8]>>, Errors> {
        match self.files.get(path) {
            None => Ok(None),
            Some(Some(bytes)) => Ok(Some(Cow::Borrowed(bytes))),
            Some(None) => std::fs::read(out.join(path))
                .map(|bytes| Some(Cow::Owned(bytes)))
                .map_err(|error| io_error(&out.join(path), "cannot read", error)),
        }
    }

    /// The text of the file at `path` under `out`, if it is there and
    /// UTF-8.
    pub fn text(&self, out: &Path, path: &str) -> Option<String> {
        String::from_utf8(self.bytes(out, path).ok()??.into_owned()).ok()
    }
}

/// The bytes of the file at `path` when it holds at most `limit` bytes,
/// else its size: asked of the opened file, so that nothing of a larger
/// one is read. For the output folder's read-ahead and for spec files.
pub fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Ok(Err(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(Ok(bytes))
}

/// Makes `out` hold exactly `files` (by `/`-separated relative path), or in
/// check mode, says how it differs.
pub fn sync(out: &Path, files: &BTreeMap<String, String>, mode: Mode) -> Result<Outcome, Errors> {
    sync_with(out, &OnDisk::read(out)?, files, mode)
}

/// [`sync`], with what `out` holds read beforehand (`on_disk`).
pub fn sync_with(
    out: &Path,
    on_disk: &OnDisk,
    files: &BTreeMap<String, String>,
    mode: Mode,
) -> Result<Outcome, Errors> {
    let mut outcome = Outcome::default();
    for (path, contents) in files {
        match on_disk.bytes(out, path)? {
            Some(old) if *old == *contents.as_bytes() => outcome.unchanged += 1,
            Some(old) => {
                outcome.changed.push(path.clone());
                let shown = format!("{}/{path}", display_path(out));
                outcome
                    .differences
                    .push(unified_diff(&shown, &old, contents));
            }
            None => {
                outcome.changed.push(path.clone());
                outcome
                    .differences
                    .push(format!("missing: {}/{path}", display_path(out)));
            }
        }
    }
    for path in on_disk
        .files
        .keys()
        .filter(|path| !files.contains_key(*path))
    {
        outcome.orphans.push(path.clone());
        outcome.differences.push(format!(
            "orphan: {}/{path} is not generated any more",
            display_path(out)
        ));
    }
    if mode == Mode::Write && !outcome.is_clean() {
        replace_folder(out, files)?;
        outcome.differences.clear();
    }
    Ok(outcome)
}

/// Makes the one file `path`, outside the output folder, hold `contents`
/// (written beside it, then renamed over it, so that it is never half
/// written), or in check mode, adds how it differs to `outcome`. An
/// unchanged file is not counted: the outcome counts the output's files.
pub fn sync_file(
    path: &Path,
    contents: &str,
    mode: Mode,
    outcome: &mut Outcome,
) -> Result<(), Errors> {
    let shown = display_path(path);
    let difference = match std::fs::read(path) {
        Ok(old) if old == contents.as_bytes() => return Ok(()),
        Ok(old) => unified_diff(&shown, &old, contents),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => format!("missing: {shown}"),
        Err(error) => return Err(io_error(path, "cannot read", error)),
    };
    outcome.changed.push(shown);
    if mode == Mode::Check {
        outcome.differences.push(difference);
        return Ok(());
    }
    let mut staging = path.as_os_str().to_owned();
    staging.push(format!(".codegen-new-{}", std::process::id()));
    let staging = PathBuf::from(staging);
    std::fs::write(&staging, contents)
        .map_err(|error| io_error(&staging, "cannot write", error))?;
    std::fs::rename(&staging, path).map_err(|error| {
        let _ = std::fs::remove_file(&staging);
        io_error(path, "cannot move the new file in place", error)
    })
}

/// An I/O error at `path`, saying what could not be done.
fn io_error(path: &Path, what: &str, error: std::io::Error) -> Errors {
    Errors::one(
        Location::File(path.to_path_buf()),
        format!("{what}: {error}"),
    )
}

fn unified_diff(shown: &str, old: &[u8], new: &str) -> String {
    match std::str::from_utf8(old) {
        Ok(old) => similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("{shown} (on disk)"),
                &format!("{shown} (generated)"),
            )
            .to_string(),
        Err(_) => format!("differs: {shown} (on disk it is not UTF-8)"),
    }
}

/// Every file under `dir`, as `/`-separated paths relative to it.
pub fn list_files(dir: &Path) -> std::io::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let path = entry.path();
            // The type as the folder lists it: no `stat` per file.
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("listed under dir");
                let parts: Vec<String> = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.insert(parts.join("/"));
            }
        }
    }
    Ok(found)
}

/// Writes the new folder beside `out`, then swaps it in; on any failure the
/// old folder stays (or is put back) as it was.
fn replace_folder(out: &Path, files: &BTreeMap<String, String>) -> Result<(), Errors> {
    let parent = out
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = out
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "generated".to_owned());
    let id = std::process::id();
    let staging = parent.join(format!(".{name}.codegen-new-{id}"));
    let previous = parent.join(format!(".{name}.codegen-old-{id}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .map_err(|error| io_error(&staging, "cannot clear a stale staging folder", error))?;
    }
    if let Err(error) = write_tree(&staging, files) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(error);
    }
    if out.exists() {
        std::fs::rename(out, &previous).map_err(|error| {
            let _ = std::fs::remove_dir_all(&staging);
            io_error(out, "cannot move the old output aside", error)
        })?;
        if let Err(error) = std::fs::rename(&staging, out) {
            let _ = std::fs::rename(&previous, out);
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io_error(out, "cannot move the new output in place", error));
        }
        std::fs::remove_dir_all(&previous).map_err(|error| {
            io_error(
                &previous,
                "the new output is in place, but the old copy could not be removed",
                error,
            )
        })?;
    } else {
        std::fs::rename(&staging, out).map_err(|error| {
            let _ = std::fs::remove_dir_all(&staging);
            io_error(out, "cannot move the new output in place", error)
        })?;
    }
    Ok(())
}

fn write_tree(root: &Path, files: &BTreeMap<String, String>) -> Result<(), Errors> {
    for (path, contents) in files {
        let target: PathBuf = root.join(path);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder)
                .map_err(|error| io_error(folder, "cannot create", error))?;
        }
        std::fs::write(&target, contents)
            .map_err(|error| io_error(&target, "cannot write", error))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::temp_dir::TempDir;

    /// An output folder holding `files`.
    fn folder_with(files: &[(&str, &str)]) -> TempDir {
        let folder = TempDir::new("fs-on-disk");
        for (path, text) in files {
            let path = folder.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        folder
    }

    #[test]
    fn a_file_over_the_limit_gives_its_size_and_is_not_read() {
        let folder = folder_with(&[("five", "12345")]);
        let five = folder.path().join("five");
        assert_eq!(read_at_most(&five, 5).unwrap(), Ok(b"12345".to_vec()));
        assert_eq!(read_at_most(&five, 4).unwrap(), Err(5));
        assert!(read_at_most(&folder.path().join("absent"), 5).is_err());
    }

    #[test]
    fn files_past_the_read_ahead_budget_are_read_when_compared() {
        let folder = folder_with(&[
            ("a.rs", "same"),
            ("b.rs", "old text"),
            ("target/debug/big", "not generated, never read"),
        ]);
        let generated = BTreeMap::from([
            ("a.rs".to_owned(), "same".to_owned()),
            ("b.rs".to_owned(), "new text".to_owned()),
            ("c.rs".to_owned(), "added".to_owned()),
        ]);
        for budget in [0, 4, READ_AHEAD_BYTES] {
            let on_disk = OnDisk::read_within_budget(folder.path(), budget).unwrap();
            let read_ahead = on_disk
                .files
                .values()
                .filter(|bytes| bytes.is_some())
                .count();
            assert_eq!(
                read_ahead,
                if budget == 0 {
                    0
                } else if budget == 4 {
                    1
                } else {
                    3
                }
            );
            let outcome = sync_with(folder.path(), &on_disk, &generated, Mode::Check).unwrap();
            assert_eq!(outcome.unchanged, 1, "budget {budget}");
            assert_eq!(outcome.changed, ["b.rs", "c.rs"], "budget {budget}");
            assert_eq!(outcome.orphans, ["target/debug/big"], "budget {budget}");
            assert_eq!(
                on_disk.text(folder.path(), "b.rs").as_deref(),
                Some("old text")
            );
        }
    }
}
