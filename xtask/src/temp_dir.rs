//! A folder of the tests' own under the target folder (`tmp/`, where cargo
//! puts `CARGO_TARGET_TMPDIR`), removed when dropped: one helper for the
//! unit tests and the end-to-end tests (`tests/common`) alike.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A new, empty folder under `tmp/` of the target folder
/// ([`crate::target_dir`]), named for the process, a counter and `label`;
/// removed with everything in it when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates the folder. For tests: panics when the target folder cannot
    /// be written.
    pub fn new(label: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = crate::target_dir().join("tmp").join(format!(
            "xtask-test-{}-{}-{label}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("the target folder is writable");
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
