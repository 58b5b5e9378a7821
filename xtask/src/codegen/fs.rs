//! Write: the one place that touches the output folder. It compares what
//! was generated with what is there, shows differences as unified diffs,
//! finds orphans, and replaces the folder as a whole, so a failure never
//! leaves it half written. Its readers (`list_files`, `read_at_most`) serve
//! the readers of templates and spec files too.

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

/// The bytes of the file at `path` when it holds at most `limit` bytes,
/// else its size: asked of the opened file, so that nothing of a larger
/// one is read (a spec file that is too large).
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
    let on_disk = if out.exists() {
        list_files(out).map_err(|error| io_error(out, "cannot list the output folder", error))?
    } else {
        BTreeSet::new()
    };
    let mut outcome = Outcome::default();
    for (path, contents) in files {
        let old = if on_disk.contains(path) {
            let file = out.join(path);
            Some(std::fs::read(&file).map_err(|error| io_error(&file, "cannot read", error))?)
        } else {
            None
        };
        match old {
            Some(old) if old == contents.as_bytes() => outcome.unchanged += 1,
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
    for path in on_disk.iter().filter(|path| !files.contains_key(*path)) {
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

    /// An output folder holding `files`, under the target folder.
    fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let tmp = crate::target_dir().join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let folder = tempfile::Builder::new()
            .prefix("fs-on-disk-")
            .tempdir_in(tmp)
            .unwrap();
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
    fn check_mode_reports_changed_missing_and_orphaned_files_and_touches_nothing() {
        let folder = folder_with(&[
            ("a.rs", "same"),
            ("b.rs", "old text"),
            ("target/debug/big", "not generated"),
        ]);
        let generated = BTreeMap::from([
            ("a.rs".to_owned(), "same".to_owned()),
            ("b.rs".to_owned(), "new text".to_owned()),
            ("c.rs".to_owned(), "added".to_owned()),
        ]);
        let outcome = sync(folder.path(), &generated, Mode::Check).unwrap();
        assert_eq!(outcome.unchanged, 1);
        assert_eq!(outcome.changed, ["b.rs", "c.rs"]);
        assert_eq!(outcome.orphans, ["target/debug/big"]);
        assert!(
            outcome.differences[0].contains("-old text")
                && outcome.differences[0].contains("+new text"),
            "{outcome:?}"
        );
        assert_eq!(
            std::fs::read_to_string(folder.path().join("b.rs")).unwrap(),
            "old text"
        );
        let written = sync(folder.path(), &generated, Mode::Write).unwrap();
        assert_eq!(written.changed, ["b.rs", "c.rs"]);
        assert!(sync(folder.path(), &generated, Mode::Check)
            .unwrap()
            .is_clean());
    }
}
