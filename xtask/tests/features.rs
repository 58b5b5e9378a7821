//! The feature fixture generates a crate that compiles cleanly and behaves
//! as its spec says: `behaviour.rs` runs inside it.

mod common;

use std::path::Path;

use common::{temp_dir, text};
// (`common::add_decoder_property_test` adds `tests/decoders.rs`.)
use xtask::codegen::{self, Mode};

#[test]
fn the_feature_fixture_compiles_and_behaves() {
    let root = xtask::project_root();
    let fixture = root.join("xtask/tests/fixtures/features");
    let generated = codegen::generate(&codegen::Options::new(
        fixture.join("api.yaml"),
        root.join("templates"),
    ))
    .unwrap_or_else(|errors| panic!("{errors}"));
    let out = temp_dir("features");
    let krate = out.path().join("feature-fixture");
    codegen::fs::sync(&krate, &generated.files, Mode::Write).unwrap();
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "{manifest}\n[dev-dependencies]\ntest-server = {{ path = {:?} }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n",
            root.join("test-server"),
        ),
    )
    .unwrap();
    xtask::standalone::stand_alone(&krate).unwrap();
    common::add_decoder_property_test(&krate);
    std::fs::create_dir_all(krate.join("tests")).unwrap();
    std::fs::copy(
        fixture.join("behaviour.rs"),
        krate.join("tests/behaviour.rs"),
    )
    .unwrap();
    // Where clippy is not installed (a minimal toolchain), the compiler's
    // own warnings are still refused.
    let has_clippy = cargo(&krate, &["clippy", "--version"]).0;
    let output = if has_clippy {
        cargo(&krate, &["clippy", "--all-targets", "--", "-D", "warnings"])
    } else {
        eprintln!("clippy is not installed: checking with rustc's warnings only");
        cargo(&krate, &["check", "--all-targets"])
    };
    assert!(
        output.0,
        "the generated fixture crate does not build cleanly:\n{}",
        output.1
    );
    assert!(
        !output.1.contains("warning:"),
        "the generated fixture crate has warnings:\n{}",
        output.1
    );
    let output = cargo(&krate, &["test"]);
    assert!(
        output.0,
        "the fixture's behaviour tests failed:\n{}",
        output.1
    );
}

/// Runs cargo in `dir` with the project's target folder for fixtures, so
/// that dependencies are built once.
fn cargo(dir: &Path, arguments: &[&str]) -> (bool, String) {
    let output = common::fixture_cargo(dir, arguments);
    (
        output.status.success(),
        format!("{}{}", text(&output.stdout), text(&output.stderr)),
    )
}
