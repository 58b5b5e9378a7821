//! Project automation: the generator behind `cargo xtask codegen`.

#![forbid(unsafe_code)]

pub mod bench;
pub mod codegen;
pub mod standalone;
pub mod whole_api;

use std::path::{Path, PathBuf};

/// The project's root folder, where `spec/`, `templates/` and `generated/` are.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the project root")
        .to_path_buf()
}

/// The target folder cargo built this program into: `CARGO_TARGET_DIR`
/// when it is an absolute path, else the nearest folder above the running
/// executable that holds what cargo keeps at a target folder's top
/// (`CACHEDIR.TAG`, written when cargo makes the folder, or
/// `.rustc_info.json`, written on every build), else the project's
/// `target/`. Everything the tests, `whole-api` and `bench` write (the
/// crates they generate, the target folders of their nested builds) goes
/// under it, so nothing lands anywhere else.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        if dir.is_absolute() {
            return dir;
        }
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .skip(1)
                .find(|folder| {
                    ["CACHEDIR.TAG", ".rustc_info.json"]
                        .iter()
                        .any(|marker| folder.join(marker).is_file())
                })
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| project_root().join("target"))
}
