//! What a downstream application meets: the application in
//! `fixtures/downstream-app` (reqwest with its default features, tokio, the
//! generated crate by path), built outside the workspace and run against a
//! server on loopback, with no warning from the generated crate or its own.
//!
//! The default tier builds it with the project's lock file. The tests
//! ignored as "today's versions" resolve what crates.io holds today, as a
//! new application does (and the project's workspace after `cargo
//! update`), so that a deprecation or a break upstream is ours to see
//! first; `cargo test -p xtask -- --ignored` runs them, and CI does.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{cargo_without_debug_info, fixture_target, temp_dir, text};

/// The target folder of the builds on today's versions: their packages are
/// other versions than the project's, so they are kept apart.
fn latest_target() -> PathBuf {
    xtask::target_dir().join("latest")
}

/// A copy of the application in `dir`, its dependency on the generated
/// crate pointed at the project's `generated/`.
fn application_in(dir: &Path) -> PathBuf {
    let root = xtask::project_root();
    let app = dir.join("downstream-app");
    xtask::standalone::copy_tree(&root.join("xtask/tests/fixtures/downstream-app"), &app).unwrap();
    let manifest = std::fs::read_to_string(app.join("Cargo.toml")).unwrap();
    let pointed = manifest.replace(
        "path = \"../../../../generated\"",
        &format!("path = {:?}", root.join("generated")),
    );
    assert_ne!(
        pointed, manifest,
        "the application depends on generated/ by path"
    );
    std::fs::write(app.join("Cargo.toml"), pointed).unwrap();
    app
}

/// Builds the application (refusing any warning, as `-D warnings` would)
/// and runs it: both clients start, read and cancel a classification.
fn builds_cleanly_and_runs(app: &Path, target: &Path) {
    let build = cargo_without_debug_info(app, target, &["build", "--message-format=short"]);
    assert_clean(&build, "the application's build");
    let run = Command::new(target.join("debug/downstream-app"))
        .output()
        .unwrap();
    let stdout = text(&run.stdout);
    assert!(
        run.status.success(),
        "the application failed:\n{stdout}{}",
        text(&run.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "Some(Started)",
            "Some(Started)",
            "POST /v2025/sources/source-1/classify HTTP/1.1",
            "GET /v2025/sources/source-1/classify HTTP/1.1",
            "DELETE /v2025/sources/source-1/classify HTTP/1.1",
            "POST /v2025/sources/source-1/classify HTTP/1.1",
            "GET /v2025/sources/source-1/classify HTTP/1.1",
            "DELETE /v2025/sources/source-1/classify HTTP/1.1",
        ],
        "{stdout}"
    );
}

#[test]
fn the_application_builds_and_runs_on_the_projects_lock_file() {
    let work = temp_dir("downstream-app");
    let app = application_in(work.path());
    std::fs::copy(
        xtask::project_root().join("Cargo.lock"),
        app.join("Cargo.lock"),
    )
    .unwrap();
    builds_cleanly_and_runs(&app, &fixture_target());
    // One HTTP stack: the application's reqwest is the client's.
    let lock = std::fs::read_to_string(app.join("Cargo.lock")).unwrap();
    assert_eq!(lock.matches("name = \"reqwest\"").count(), 1, "{lock}");
}

#[test]
#[ignore = "today's versions: needs crates.io"]
fn the_application_builds_and_runs_on_todays_compatible_versions() {
    let work = temp_dir("downstream-app-latest");
    let app = application_in(work.path());
    let lock = cargo_without_debug_info(&app, &latest_target(), &["generate-lockfile"]);
    assert!(lock.status.success(), "{}", text(&lock.stderr));
    builds_cleanly_and_runs(&app, &latest_target());
}

#[test]
#[ignore = "today's versions: needs crates.io"]
fn the_workspace_checks_without_warnings_after_cargo_update() {
    let root = xtask::project_root();
    let work = temp_dir("workspace-updated");
    let copy = work.path().join("workspace");
    std::fs::create_dir_all(&copy).unwrap();
    // Everything but builds, history and CI's own work folder (whose
    // cargo home holds thousands of files); sources include files from
    // beside them (client-tests reads the README's examples).
    let target = xtask::target_dir();
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if [".git", ".ci", "target"]
            .iter()
            .any(|skipped| name == *skipped)
            || path == target
        {
            continue;
        }
        if path.is_dir() {
            xtask::standalone::copy_tree(&path, &copy.join(name)).unwrap();
        } else {
            std::fs::copy(&path, copy.join(name)).unwrap();
        }
    }
    let update = cargo_without_debug_info(&copy, &latest_target(), &["update"]);
    assert!(update.status.success(), "{}", text(&update.stderr));
    let check = cargo_without_debug_info(
        &copy,
        &latest_target(),
        &[
            "check",
            "--workspace",
            "--all-targets",
            "--message-format=short",
        ],
    );
    assert_clean(&check, "after `cargo update`, the workspace's check");
}

/// `output`, of a cargo build or check, succeeded without a warning
/// (what `-D warnings` would refuse), else fails saying what it was of.
fn assert_clean(output: &std::process::Output, what: &str) {
    let shown = text(&output.stderr);
    assert!(output.status.success(), "{what} failed:\n{shown}");
    assert!(!shown.contains("warning"), "{what} has warnings:\n{shown}");
}
