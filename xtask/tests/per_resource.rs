//! SailPoint's per-resource API (one spec per resource, joined by
//! `sailpoint-api.root.yaml`): its Classify Source spec and its whole tree
//! generate crates that pass clippy, the Classify Source extension binds to
//! either, and the `classify` CLI, unchanged, works over the per-resource
//! crate. The whole-API tier, as `whole_api.rs`: ignored by default, and
//! failing where `../shared/specs` is absent when asked for.

mod common;

use std::path::Path;
use std::process::Command;

use common::{fixture_cargo, fixture_target, reference_spec, temp_dir, text};
use xtask::codegen::{Mode, Options, WarningKind};

fn generate(spec: &Path, out: &Path) -> xtask::codegen::Report {
    let options = Options::new(spec, xtask::project_root().join("templates"));
    xtask::codegen::run(&options, out, Mode::Write)
        .unwrap_or_else(|errors| panic!("{} does not generate:\n{errors}", spec.display()))
}

#[test]
#[ignore = "whole-API tier: needs ../shared/specs"]
fn the_classify_cli_works_unchanged_over_the_per_resource_crate() {
    let spec = reference_spec("apis/classify-source/openapi.yaml");
    let work = temp_dir("per-resource-classify");
    let report = generate(&spec, &work.path().join("client"));
    let api = &report.generated.api;
    assert!(
        api.types.contains_key("SourceClassificationStatus"),
        "{:?}",
        api.types.keys()
    );
    let kinds = report.generated.warnings_by_kind();
    assert_eq!(
        kinds.get(&WarningKind::SecuritySchemeUndefined),
        Some(&2),
        "{kinds:?}"
    );
    // A workspace of the generated crate and the project's `classify`,
    // compiled from its own source file, with the project's lock file.
    let root = xtask::project_root();
    std::fs::create_dir_all(work.path().join("cli")).unwrap();
    // The CLI's own manifest, pointed at the per-resource crate: its
    // dependencies and features stay the project's.
    let manifest = std::fs::read_to_string(root.join("cli/Cargo.toml"))
        .unwrap()
        .replace("edition.workspace = true", "edition = \"2021\"")
        .replace("license.workspace = true", "license = \"MIT\"")
        .replace("publish.workspace = true", "publish = false")
        .replace(
            "path = \"src/main.rs\"",
            &format!("path = {:?}", root.join("cli/src/main.rs")),
        )
        .replace("path = \"../generated\"", "path = \"GENERATED\"")
        // The other crates of the project it depends on (the simulator,
        // the test server), where they are.
        .replace("path = \"../", &format!("path = \"{}/", root.display()))
        .replace("path = \"GENERATED\"", "path = \"../client\"");
    std::fs::write(work.path().join("cli/Cargo.toml"), manifest).unwrap();
    std::fs::write(
        work.path().join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"client\", \"cli\"]\n",
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), work.path().join("Cargo.lock")).unwrap();
    let clippy = fixture_cargo(
        work.path(),
        &[
            "clippy",
            "--quiet",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    );
    assert!(
        clippy.status.success(),
        "clippy fails on the per-resource crate or the CLI over it:\n{}",
        text(&clippy.stderr)
    );
    let build = fixture_cargo(work.path(), &["build", "--quiet", "--bin", "classify"]);
    assert!(build.status.success(), "{}", text(&build.stderr));
    let classify = fixture_target().join("debug/classify");
    let waited = Command::new(&classify)
        .args([
            "--simulate",
            "wait",
            "ef38f94347e94562b5bb8424a56397d8",
            "--interval",
            "0.05",
        ])
        .output()
        .unwrap();
    assert!(
        waited.status.success(),
        "classify wait failed over the per-resource crate:\n{}",
        text(&waited.stderr)
    );
    assert!(
        text(&waited.stdout).contains("\"COMPLETED\""),
        "{}",
        text(&waited.stdout)
    );
    let cancelled = Command::new(&classify)
        .args(["--simulate", "cancel", "ef38f94347e94562b5bb8424a56397d8"])
        .output()
        .unwrap();
    assert!(cancelled.status.success(), "{}", text(&cancelled.stderr));
    assert!(
        text(&cancelled.stderr).contains("CANCELLED"),
        "{}",
        text(&cancelled.stderr)
    );
}

#[test]
#[ignore = "whole-API tier: needs ../shared/specs"]
fn the_whole_per_resource_tree_generates_a_crate_that_passes_clippy() {
    let spec = reference_spec("sailpoint-api.root.yaml");
    let work = temp_dir("per-resource-tree");
    let out = work.path().join("crate");
    let figures = xtask::whole_api::run(&spec, &out, None)
        .unwrap_or_else(|errors| panic!("the per-resource tree does not generate:\n{errors}"));
    eprintln!("{figures}");
    assert!(figures.operations >= 917, "{figures}");
    let kinds: std::collections::BTreeMap<WarningKind, usize> =
        figures.warnings_by_kind.iter().copied().collect();
    assert_eq!(
        kinds.get(&WarningKind::SchemaCopiesDiffer),
        Some(&7),
        "{kinds:?}"
    );
    assert!(
        kinds
            .get(&WarningKind::UnsplitName)
            .is_some_and(|n| *n <= 10),
        "{kinds:?}"
    );
    assert_eq!(
        kinds.get(&WarningKind::OperationIdDerived),
        Some(&5),
        "{kinds:?}"
    );
    assert!(
        kinds.contains_key(&WarningKind::SecuritySchemeUndefined),
        "{kinds:?}"
    );
    // No type is named after the folders its file is in
    // (`AccessProfilesSchemasAccessprofile`).
    let models = std::fs::read_to_string(out.join("src/models/mod.rs")).unwrap();
    let types: Vec<&str> = models
        .lines()
        .filter(|line| line.starts_with("pub use"))
        .filter_map(|line| line.trim_end_matches(';').rsplit("::").next())
        .collect();
    let resources = std::fs::read_dir(spec.parent().unwrap().join("apis")).unwrap();
    for resource in resources {
        let folder = resource.unwrap().file_name().to_string_lossy().into_owned();
        let pascal: String = folder
            .split('-')
            .map(|word| word[..1].to_uppercase() + &word[1..])
            .collect();
        for infix in ["Schemas", "Paths"] {
            let qualified = format!("{pascal}{infix}");
            assert!(
                !types.iter().any(|name| name.starts_with(&qualified)),
                "a type name with the folder infix `{qualified}`"
            );
        }
    }
    assert!(
        types.contains(&"SourceClassificationStatus"),
        "SourceClassificationStatus is not a type of the tree's crate"
    );
    xtask::standalone::stand_alone(&out).unwrap();
    let clippy = fixture_cargo(
        &out,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    );
    assert!(
        clippy.status.success(),
        "clippy fails on the per-resource tree's crate:\n{}",
        text(&clippy.stderr)
    );
}
