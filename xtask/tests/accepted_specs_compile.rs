//! Whatever `codegen` accepts, it writes a crate that passes `cargo check`.
//! The feature fixture, a spec that needs a workaround, the documents of
//! `tests/quirks/` (which must be accepted), and a fixed sample of mutated
//! fixtures are generated; every accepted one becomes a member of one
//! workspace that must check, and every refused one must say where.

mod common;

use std::path::Path;

use common::mutation::{base_document, fixture_dir, mutate};
use common::{temp_dir, text};
use serde_json::Value;

/// How many mutated fixtures are tried; each is one mutation, chosen by
/// its number, so the sample is the same on every run.
const MUTANTS: u32 = 48;
/// How many accepted mutants are checked (each adds a crate to check).
const CHECKED_MUTANTS: usize = 8;

/// A spec that generates only with a workaround: a schema `$ref` to nothing.
const LENIENT: &str = "openapi: 3.0.1
info: {title: Lenient, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {in: query, name: sorters, schema: {type: array, items: {type: string}, default: [created asc]}}
        - {in: query, name: limit, schema: {type: integer, default: many}}
      responses:
        '200':
          description: The things.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/not_mapped'}
";

#[test]
fn every_spec_codegen_accepts_compiles_and_every_refusal_is_located() {
    let work = temp_dir("accepted");
    let mut specs: Vec<(String, String)> = vec![
        (
            "feature fixture".to_owned(),
            std::fs::read_to_string(fixture_dir().join("api.yaml")).unwrap(),
        ),
        ("lenient spec".to_owned(), LENIENT.to_owned()),
    ];
    for quirk in common::quirk_fixtures() {
        let label = format!("quirk {}", quirk.file_name().unwrap().to_string_lossy());
        specs.push((label, std::fs::read_to_string(quirk).unwrap()));
    }
    for number in 0..MUTANTS {
        let mut document: Value = base_document();
        // Spread over the document's nodes and the three kinds of mutation.
        mutate(
            &mut document,
            number.wrapping_mul(2_654_435_761),
            (number % 3) as u8,
            (number / 3) as u8,
        );
        specs.push((
            format!("mutant {number}"),
            serde_json::to_string_pretty(&document).unwrap(),
        ));
    }
    let templates = xtask::project_root().join("templates");
    let mut members: Vec<(String, String)> = Vec::new();
    let mut mutants_checked = 0;
    let mut refused = 0;
    for (index, (label, spec)) in specs.iter().enumerate() {
        let dir = work.path().join(format!("spec-{index}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("api.yaml"), spec).unwrap();
        std::fs::copy(fixture_dir().join("shared.yaml"), dir.join("shared.yaml")).unwrap();
        match xtask::codegen::generate(&xtask::codegen::Options::new(
            dir.join("api.yaml"),
            &templates,
        )) {
            Err(errors) => {
                assert!(
                    !label.starts_with("quirk"),
                    "{label} is refused, but its quirk is to be read as meant:\n{errors}"
                );
                refused += 1;
                for diagnostic in &errors.0 {
                    let shown = diagnostic.to_string();
                    assert!(
                        shown.contains(".yaml"),
                        "{label}: a refusal that does not say where: {shown}"
                    );
                }
            }
            Ok(generated) => {
                let is_mutant = label.starts_with("mutant");
                if is_mutant && mutants_checked == CHECKED_MUTANTS {
                    continue;
                }
                mutants_checked += usize::from(is_mutant);
                let member = format!("accepted-{index}");
                let krate = work.path().join("workspace").join(&member);
                xtask::codegen::fs::sync(&krate, &generated.files, xtask::codegen::Mode::Write)
                    .unwrap();
                rename_package(&krate.join("Cargo.toml"), &member);
                members.push((member, label.clone()));
            }
        }
    }
    assert!(
        mutants_checked >= 4 && refused >= 4,
        "the sample no longer exercises both outcomes: {mutants_checked} accepted mutants checked, {refused} refused"
    );
    let workspace = work.path().join("workspace");
    let listed: Vec<String> = members
        .iter()
        .map(|(member, _)| format!("\"{member}\""))
        .collect();
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            listed.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(
        xtask::project_root().join("Cargo.lock"),
        workspace.join("Cargo.lock"),
    )
    .unwrap();
    let output = common::fixture_cargo(
        &workspace,
        &["check", "--workspace", "--quiet", "--message-format=short"],
    );
    let which: Vec<String> = members
        .iter()
        .map(|(member, label)| format!("{member}: {label}"))
        .collect();
    assert!(
        output.status.success(),
        "an accepted spec generated a crate that does not check ({}):\n{}",
        which.join("; "),
        text(&output.stderr)
    );
}

/// Gives a generated crate its own package name, so that several can be
/// members of one workspace.
fn rename_package(manifest: &Path, name: &str) {
    let text = std::fs::read_to_string(manifest).unwrap();
    let renamed = text.replacen(
        "name = \"sailpoint-v2025\"",
        &format!("name = \"{name}\""),
        1,
    );
    assert_ne!(renamed, text, "the manifest names its package");
    std::fs::write(manifest, renamed).unwrap();
}
