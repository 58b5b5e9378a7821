//! SailPoint's whole v2025 API, and single path files of it added to the
//! project's spec, generate crates that compile. The whole-API tier: it
//! needs `../shared/specs` (a user's fresh clone has none) and minutes, so
//! it is ignored by default; `cargo test -p xtask -- --ignored` runs it,
//! and fails where the specs are absent.

mod common;

use common::{fixture_cargo, fixture_target, reference_spec, temp_dir};
use xtask::codegen::WarningKind;

#[test]
#[ignore = "whole-API tier: needs ../shared/specs"]
fn the_whole_api_generates_a_crate_that_compiles() {
    let spec = reference_spec("sailpoint-api.v2025.yaml");
    let out = temp_dir("whole-api");
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
    readme_example_compiles_against(&out.path().join("crate"));
    decoders_never_panic_in(&out.path().join("crate"));
}

/// The decoder property test (`common::add_decoder_property_test`) over
/// every model of the whole API.
fn decoders_never_panic_in(crate_dir: &std::path::Path) {
    common::add_decoder_property_test(crate_dir);
    let output = fixture_cargo(crate_dir, &["test", "--quiet", "--test", "decoders"]);
    assert!(
        output.status.success(),
        "a decoder of the whole API panicked or its test does not build:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The README's example over the whole API (the ```rust block after the
/// `whole-v2025 example` marker), compiled as an example of the crate.
fn readme_example_compiles_against(crate_dir: &std::path::Path) {
    let readme = std::fs::read_to_string(xtask::project_root().join("README.md")).unwrap();
    let after_marker = readme
        .split_once("<!-- whole-v2025 example")
        .expect("the README marks its whole-v2025 example")
        .1;
    let block = after_marker
        .split_once("```rust")
        .and_then(|(_, rest)| rest.split_once('\n'))
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("a ```rust block follows the marker")
        .0;
    let examples = crate_dir.join("examples");
    std::fs::create_dir_all(&examples).unwrap();
    std::fs::write(
        examples.join("readme_tour.rs"),
        format!("{block}\nfn main() {{\n    let _ = tour;\n}}\n"),
    )
    .unwrap();
    let output = fixture_cargo(
        crate_dir,
        &[
            "check",
            "--quiet",
            "--example",
            "readme_tour",
            "--message-format=short",
        ],
    );
    assert!(
        output.status.success(),
        "the README's whole-v2025 example does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
#[ignore = "whole-API tier: needs ../shared/specs"]
fn path_files_of_the_real_api_added_to_the_spec_generate_a_crate_that_compiles() {
    let reference = reference_spec("sailpoint-api.v2025.yaml");
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
    let dir = temp_dir("added-paths");
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
