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
