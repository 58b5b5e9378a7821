//! `cargo xtask codegen` says what a spec change does to the generated
//! crate's public API, and whether callers break: spec edits of each kind
//! on a copy of the project's spec.

mod common;

use common::{temp_dir, text, xtask};

/// Generates `spec` (after `edit` of the status schema's text) into `out`;
/// what codegen printed.
fn regenerate(work: &std::path::Path, edit: impl Fn(String) -> String) -> String {
    let schema = work.join("spec/v2025/schemas/SourceClassificationStatus.yaml");
    let before = std::fs::read_to_string(&schema).unwrap();
    std::fs::write(&schema, edit(before)).unwrap();
    let output = xtask(
        work,
        &[
            "codegen",
            "--spec",
            "spec/sailpoint-api.v2025.yaml",
            "--out",
            "out",
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
}

#[test]
fn each_kind_of_spec_edit_is_reported_with_what_it_breaks() {
    let work = temp_dir("api-changes");
    let root = xtask::project_root();
    xtask::standalone::copy_tree(&root.join("spec"), &work.path().join("spec")).unwrap();
    let first = regenerate(work.path(), |text| text);
    assert!(!first.contains("public API:"), "no listing before: {first}");
    assert!(work.path().join("out/PUBLIC_API.txt").exists());

    let unchanged = regenerate(work.path(), |text| text);
    assert!(!unchanged.contains("public API:"), "{unchanged}");

    // An optional field added: additive.
    let added = regenerate(work.path(), |text| {
        text.replacen(
            "      started:",
            "      note:\n        type: string\n        description: A note.\n      started:",
            1,
        )
    });
    assert!(
        added.contains("public API: 0 breaking, 1 additive change(s); additive: a minor release"),
        "{added}"
    );
    assert!(
        added.contains(
            "additive: field `models::SourceClassificationStatus::note` added (`: Option<String>`)"
        ),
        "{added}"
    );

    // A field removed: breaking, named.
    let removed = regenerate(work.path(), |text| {
        text.replacen(
            "      note:\n        type: string\n        description: A note.\n",
            "",
            1,
        )
    });
    assert!(
        removed.contains("breaking: field `models::SourceClassificationStatus::note` removed"),
        "{removed}"
    );
    assert!(
        removed.contains("breaking: a major release (0.x: bump the minor version)"),
        "{removed}"
    );

    // A field that becomes required: breaking, said so.
    let required = regenerate(work.path(), |text| {
        text.replacen(
            "    properties:\n",
            "    required: [started]\n    properties:\n",
            1,
        )
    });
    assert!(
        required.contains(
            "breaking: field `models::SourceClassificationStatus::started` became required"
        ),
        "{required}"
    );

    // A required header loses its default: a new argument of the GET,
    // which the Classify Source extension calls with one argument. Codegen
    // refuses at the needs file rather than write a crate that fails to
    // compile (the listing's side is the unit test's `list_things`).
    let path_file = work
        .path()
        .join("spec/v2025/paths/source-machine-account-classify.yaml");
    let paths = std::fs::read_to_string(&path_file).unwrap();
    let get_start = paths.find("\nget:").unwrap();
    let (before, after) = paths.split_at(get_start);
    let after = after.replacen("        default: true\n", "", 1);
    std::fs::write(&path_file, format!("{before}{after}")).unwrap();
    let output = xtask(
        work.path(),
        &[
            "codegen",
            "--spec",
            "spec/sailpoint-api.v2025.yaml",
            "--out",
            "out",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("classify_source.yaml:28:3: the extension `classify_source` needs what the spec lacks: `classification_status` (operation `getClassifyMachineAccountFromSourceStatus`): its required arguments are"),
        "{}",
        text(&output.stderr)
    );
}
