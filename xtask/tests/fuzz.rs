//! Property test: mutated specs, as text and as structure, go through load,
//! validate, lowering, emission and formatting without a panic: each ends
//! in generated files or in located errors.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use common::mutation::{base_document, fixture_dir, mutate};
use common::temp_dir;
use proptest::prelude::*;

/// Generates from `text` as the root document; a panic fails the property.
fn generate_survives(text: &[u8]) -> Result<(), TestCaseError> {
    let dir = temp_dir("fuzz");
    std::fs::write(dir.path().join("api.yaml"), text).unwrap();
    std::fs::copy(
        fixture_dir().join("shared.yaml"),
        dir.path().join("shared.yaml"),
    )
    .unwrap();
    let templates = xtask::project_root().join("templates");
    let root = dir.path().join("api.yaml");
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        xtask::codegen::generate(&xtask::codegen::Options::new(&root, &templates)).map(|_| ())
    }));
    match outcome {
        Ok(Ok(())) => Ok(()),
        Ok(Err(errors)) => {
            for diagnostic in &errors.0 {
                let shown = diagnostic.to_string();
                prop_assert!(
                    shown.contains("api.yaml")
                        || shown.contains("shared.yaml")
                        || shown.contains("missing.yaml"),
                    "unlocated: {shown}"
                );
            }
            Ok(())
        }
        Err(_) => Err(TestCaseError::fail("generation panicked")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn structural_mutations_never_panic(
        mutations in proptest::collection::vec((any::<u32>(), any::<u8>(), any::<u8>()), 1..4)
    ) {
        let mut document = base_document();
        for (node, operation, choice) in mutations {
            mutate(&mut document, node, operation, choice);
        }
        generate_survives(serde_json::to_string_pretty(&document).unwrap().as_bytes())?;
    }

    #[test]
    fn byte_mutations_of_the_yaml_never_panic(
        edits in proptest::collection::vec((any::<u32>(), any::<u8>()), 1..6)
    ) {
        let mut text = std::fs::read(fixture_dir().join("api.yaml")).unwrap();
        for (position, byte) in edits {
            let index = position as usize % text.len();
            text[index] = byte;
        }
        generate_survives(&text)?;
    }
}
