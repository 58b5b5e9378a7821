//! Crates built outside the workspace: generated crates checked or built
//! on their own, as a downstream user gets them.

use std::path::Path;

/// Makes the crate in `dir` its own workspace, pinned by the project's
/// lock file, so that it builds alone with the versions the project tests.
pub fn stand_alone(dir: &Path) -> std::io::Result<()> {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)?;
    if !text.contains("\n[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n"))?;
    }
    std::fs::copy(
        crate::project_root().join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )?;
    Ok(())
}

/// Copies the folder `from`, with everything below it, to `to`.
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)?;
        }
    }
    Ok(())
}
