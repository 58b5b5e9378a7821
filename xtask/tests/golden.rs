//! The checked-in crate is exactly what the spec generates, generation is
//! deterministic, and any drift is caught with a diff.

mod common;

use std::collections::BTreeMap;

use common::{snapshot, temp_dir, text, xtask};
use xtask::codegen::{self, Mode, HEADER};

fn generate() -> codegen::Generated {
    let root = xtask::project_root();
    codegen::generate(&codegen::Options::new(
        root.join("spec/sailpoint-api.v2025.yaml"),
        root.join("templates"),
    ))
    .unwrap_or_else(|errors| panic!("the project's spec does not generate:\n{errors}"))
}

#[test]
fn generated_folder_is_what_the_spec_generates() {
    let generated = generate();
    let fresh = temp_dir("golden");
    codegen::fs::sync(fresh.path(), &generated.files, Mode::Write).unwrap();
    let fresh_files: BTreeMap<String, String> = snapshot(fresh.path())
        .into_iter()
        .map(|(path, bytes)| (path.to_string_lossy().replace('\\', "/"), text(&bytes)))
        .collect();
    assert_eq!(
        fresh_files, generated.files,
        "the temporary tree holds what was generated"
    );
    let outcome = codegen::fs::sync(
        &xtask::project_root().join("generated"),
        &fresh_files,
        Mode::Check,
    )
    .unwrap();
    assert!(
        outcome.is_clean(),
        "generated/ differs from what the spec generates:\n{}\n\nRun `cargo xtask codegen` to update it.",
        outcome.differences.join("\n")
    );
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let first = generate();
    let second = generate();
    assert_eq!(first.files, second.files);
    assert_eq!(first.warnings, second.warnings);
    assert!(
        !first.files["Cargo.toml"].contains("workspace"),
        "the crate must build by path or git without this workspace"
    );
    for (path, contents) in &first.files {
        let header = contents.lines().next().unwrap_or_default();
        assert!(header.contains(HEADER), "{path} starts with {header:?}");
    }
}

#[test]
fn one_changed_byte_an_orphan_or_a_missing_file_fails_the_check_with_a_diff() {
    let generated = generate();
    let out = temp_dir("drift");
    let written = codegen::fs::sync(out.path(), &generated.files, Mode::Write).unwrap();
    assert_eq!(written.changed.len(), generated.files.len());
    let again = codegen::fs::sync(out.path(), &generated.files, Mode::Write).unwrap();
    assert!(again.is_clean());
    assert_eq!(again.unchanged, generated.files.len());

    let victim = out.path().join("src/models/locale_origin.rs");
    let original = std::fs::read_to_string(&victim).unwrap();
    std::fs::write(&victim, original.replacen("REQUEST", "REQUESU", 1)).unwrap();
    let output = xtask(
        out.path(),
        &["codegen", "--check", "--out", out.path().to_str().unwrap()],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("src/models/locale_origin.rs (on disk)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("REQUESU") && stderr.contains("REQUEST"),
        "{stderr}"
    );
    assert!(stderr.contains("run `cargo xtask codegen`"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        original.replacen("REQUEST", "REQUESU", 1),
        "--check changes nothing"
    );

    std::fs::write(out.path().join("src/stray.rs"), "// left over\n").unwrap();
    std::fs::remove_file(out.path().join("src/models/mod.rs")).unwrap();
    let outcome = codegen::fs::sync(out.path(), &generated.files, Mode::Check).unwrap();
    assert_eq!(outcome.orphans, ["src/stray.rs"]);
    assert_eq!(
        outcome.changed,
        ["src/models/locale_origin.rs", "src/models/mod.rs"]
    );
    assert!(outcome
        .differences
        .iter()
        .any(|d| d.starts_with("missing: ") && d.ends_with("src/models/mod.rs")));
    assert!(outcome
        .differences
        .iter()
        .any(|d| d.starts_with("orphan: ")));

    let repaired = codegen::fs::sync(out.path(), &generated.files, Mode::Write).unwrap();
    assert_eq!(repaired.orphans, ["src/stray.rs"]);
    assert_eq!(repaired.changed.len(), 2);
    let on_disk = snapshot(out.path());
    assert_eq!(on_disk.len(), generated.files.len(), "orphans are removed");
    assert!(codegen::fs::sync(out.path(), &generated.files, Mode::Check)
        .unwrap()
        .is_clean());
}

#[test]
fn the_summary_names_operations_types_files_and_warnings() {
    let out = temp_dir("summary");
    let target = out.path().join("crate");
    let output = xtask(out.path(), &["codegen", "--out", target.to_str().unwrap()]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(stdout.contains("operations: 3 in 1 tag(s)"), "{stdout}");
    assert!(stdout.contains("types:      9"), "{stdout}");
    assert!(
        stdout.contains("written, 0 unchanged, 0 removed"),
        "{stdout}"
    );
    assert!(stdout.contains("path-parameter-renamed ×2"), "{stdout}");
    assert!(
        stdout.contains("source-machine-account-classify.yaml:133:7 (#/get/parameters/0): operation `getClassifyMachineAccountFromSourceStatus`"),
        "the warning names file, line, pointer, operation and both names: {stdout}"
    );
    assert!(
        stdout.contains("`{sourceId}`") && stdout.contains("`id`"),
        "{stdout}"
    );
    let output = xtask(out.path(), &["codegen", "--out", target.to_str().unwrap()]);
    let unchanged = format!("0 written, {} unchanged, 0 removed", generate().files.len());
    assert!(
        text(&output.stdout).contains(&unchanged),
        "{}",
        text(&output.stdout)
    );
}
