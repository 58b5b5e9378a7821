//! Documents as public APIs publish them, off-spec details included: each
//! file of `tests/quirks/` is accepted with the warnings its header lists
//! (`# warnings: kind, kind`), each warning located in the file to the
//! line, and refused under `--strict` when it warns. That every crate
//! they generate checks is `accepted_specs_compile.rs`'s part.

mod common;

use common::quirk_fixtures;
use std::collections::BTreeSet;
use xtask::codegen::{self, Leniency, Options};

/// The warning kinds a fixture's header lists.
fn expected_kinds(text: &str) -> BTreeSet<String> {
    let line = text
        .lines()
        .find_map(|line| line.strip_prefix("# warnings:"))
        .expect("a `# warnings:` line in the fixture's header");
    line.split(',')
        .map(str::trim)
        .filter(|kind| !kind.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn each_quirk_is_read_as_meant_with_located_warnings_and_refused_when_strict() {
    let templates = xtask::project_root().join("templates");
    let fixtures = quirk_fixtures();
    assert!(!fixtures.is_empty());
    for fixture in fixtures {
        let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
        let expected = expected_kinds(&std::fs::read_to_string(&fixture).unwrap());
        let generated = codegen::generate(&Options::new(&fixture, &templates))
            .unwrap_or_else(|errors| panic!("{name} is refused:\n{errors}"));
        let kinds: BTreeSet<String> = generated
            .warnings
            .iter()
            .map(|warning| warning.kind.name().to_owned())
            .collect();
        assert_eq!(kinds, expected, "{name}: the warnings' kinds");
        for warning in &generated.warnings {
            let shown = warning.to_string();
            assert!(
                shown.contains(&format!("{name}:")),
                "{name}: a warning not located to a line: {shown}"
            );
        }
        let strict = codegen::generate(&Options {
            leniency: Leniency::Strict,
            ..Options::new(&fixture, &templates)
        });
        assert_eq!(
            strict.is_err(),
            !expected.is_empty(),
            "{name}: `--strict` refuses exactly the fixtures that warn"
        );
    }
}
