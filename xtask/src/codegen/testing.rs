//! The unit layer's helpers: a spec snippet to IR in memory, and snapshots
//! of emitted code. A changed construct shows as a small diff of one
//! snapshot, in milliseconds, without compiling a crate.
//!
//! Snapshots live in `xtask/snapshots/<name>.rs`. When one differs, the
//! test fails with a diff; `UPDATE_SNAPSHOTS=1 cargo test -p xtask` writes
//! the new text for review in `git diff`.

use std::path::{Path, PathBuf};

use super::diag::{Errors, Warning};
use super::ir::Api;
use super::{load, lower, quirks, validate};

/// Where snippets pretend to live; nothing is read from there.
const SNIPPET_FILE: &str = "/snippet/api.yaml";

/// Lowers a whole OpenAPI document given as YAML text.
pub fn try_lower(yaml: &str) -> Result<(Api, Vec<Warning>), Errors> {
    let mut spec = load::load_text(Path::new(SNIPPET_FILE), yaml)?;
    quirks::read_as_meant(&mut spec);
    let openapi = validate::parse(&spec)?;
    validate::validate(&spec, &openapi)?;
    lower::lower(&spec, &openapi)
}

/// Lowers a document that must lower.
pub fn lower_yaml(yaml: &str) -> (Api, Vec<Warning>) {
    try_lower(yaml).unwrap_or_else(|errors| panic!("the snippet does not lower:\n{errors}"))
}

/// A document with these `paths` and `components/schemas` (YAML, each
/// indented by two spaces as under its key).
pub fn document(paths: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.1\ninfo:\n  title: Snippet\n  version: 1.0.0\nservers:\n  - url: https://example.com/v1\npaths:\n{}\ncomponents:\n  schemas:\n{}\n",
        indent(paths),
        indent(&indent(schemas))
    )
}

/// `paths` with a GET of `/thing` (tag `Things`) that answers 200 with
/// this schema (inline YAML), so that the types it names are used.
pub fn returning(schema: &str) -> String {
    format!(
        "/thing:\n  get:\n    operationId: getThing\n    tags: [Things]\n    responses:\n      '200':\n        description: The thing.\n        content:\n          application/json:\n            schema: {schema}\n"
    )
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("  {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Compares `actual` with the snapshot `name`, or writes it when
/// `UPDATE_SNAPSHOTS` is set.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = snapshot_path(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().expect("snapshots have a folder"))
            .and_then(|()| std::fs::write(&path, actual))
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
            .unified_diff()
            .header(&format!("{name} (snapshot)"), &format!("{name} (emitted)"))
            .to_string();
        panic!(
            "the snapshot {} differs from the emitted code:\n{diff}\nIf the change is intended, run `UPDATE_SNAPSHOTS=1 cargo test -p xtask` and review `git diff`.",
            path.display()
        );
    }
}

fn snapshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots")
        .join(format!("{name}.rs"))
}
