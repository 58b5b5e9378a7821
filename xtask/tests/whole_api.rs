//! SailPoint's whole v2025 API, and single path files of it added to the
//! project's spec, generate crates that compile. Skipped, with a message,
//! where `../shared/specs` is absent (a user's fresh clone).

mod common;

use common::{fixture_target, reference_spec, TempDir};
use xtask::codegen::WarningKind;

#[test]
fn the_whole_api_generates_a_crate_that_compiles() {
    let Some(spec) = reference_spec("sailpoint-api.v2025.yaml") else {
        return;
    };
    let out = TempDir::new("whole-api");
    let figures = xtask::whole_api::run(&spec, &out.path().join("crate"), Some(&fixture_target()))
        .unwrap_or_else(|errors| panic!("the whole API does not generate:\n{errors}"));
    eprintln!("{figures}");
    let check = figures.check.as_ref().unwrap();
    assert!(
        check.success,
        "the whole-API crate does not compile:\n{}",
        check.output_tail
    );
    assert!(figures.operations >= 811, "{figures}");
    assert!(figures.types >= 1000, "{figures}");
    let kinds: Vec<WarningKind> = figures
        .warnings_by_kind
        .iter()
        .map(|(kind, _)| *kind)
        .collect();
    assert!(
        kinds.contains(&WarningKind::PathParameterRenamed),
        "{kinds:?}"
    );
}

#[test]
fn path_files_of_the_real_api_added_to_the_spec_generate_a_crate_that_compiles() {
    let Some(reference) = reference_spec("sailpoint-api.v2025.yaml") else {
        return;
    };
    let reference_dir = reference.parent().unwrap();
    let added = [
        ("/access-profiles", "v2025/paths/access-profiles.yaml"),
        ("/campaigns/{id}", "v2025/paths/campaign.yaml"),
        ("/workflows", "v2025/paths/workflows/workflows.yaml"),
    ];
    let root = xtask::project_root();
    let ours = std::fs::read_to_string(root.join("spec/sailpoint-api.v2025.yaml")).unwrap();
    let mut entries = String::new();
    for (path, file) in added {
        let file = reference_dir.join(file).canonicalize().unwrap();
        entries.push_str(&format!("  {path}:\n    $ref: \"{}\"\n", file.display()));
    }
    let extended = ours.replacen("paths:\n", &format!("paths:\n{entries}"), 1);
    assert_ne!(extended, ours, "the root has a `paths:` section");
    let dir = TempDir::new("added-paths");
    let spec_dir = dir.path().join("spec");
    xtask::standalone::copy_tree(&root.join("spec"), &spec_dir).unwrap();
    std::fs::write(spec_dir.join("sailpoint-api.v2025.yaml"), extended).unwrap();
    let figures = xtask::whole_api::run(
        &spec_dir.join("sailpoint-api.v2025.yaml"),
        &dir.path().join("crate"),
        Some(&fixture_target()),
    )
    .unwrap_or_else(|errors| panic!("{errors}"));
    let check = figures.check.as_ref().unwrap();
    assert!(check.success, "{}", check.output_tail);
    assert!(figures.operations > 3 + 3, "{figures}");
}
