//! Project automation: the generator behind `cargo xtask codegen`.

pub mod bench;
pub mod codegen;
pub mod standalone;
pub mod temp_dir;
pub mod whole_api;

use std::path::{Path, PathBuf};

/// The project's root folder, where `spec/`, `templates/` and `generated/` are.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the project root")
        .to_path_buf()
}

/// The target folder cargo built this program into (wherever
/// `CARGO_TARGET_DIR` or `build.target-dir` put it): the nearest folder
/// above the running executable that holds cargo's `CACHEDIR.TAG`, else the
/// project's `target/`. Everything the tests, `whole-api` and `bench`
/// write (the crates they generate, the target folders of their nested
/// builds) goes under it, so nothing lands anywhere else.
pub fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .skip(1)
                .find(|folder| folder.join("CACHEDIR.TAG").is_file())
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| project_root().join("target"))
}
