//! Broken specs fail with a located error, a non-zero exit and no change
//! to the output folder.

mod common;

use std::path::Path;

use common::{snapshot, temp_dir, text, xtask, TempDir};

/// An output folder with something in it, to prove it is left alone.
fn occupied_output() -> TempDir {
    let out = temp_dir("out");
    std::fs::create_dir_all(out.path().join("src")).unwrap();
    std::fs::write(
        out.path().join("src/lib.rs"),
        "// hand-made, must survive\n",
    )
    .unwrap();
    std::fs::write(out.path().join("keep.txt"), "keep me").unwrap();
    out
}

fn assert_fails_cleanly(cwd: &Path, spec: &str, expected: &[&str]) {
    let out = occupied_output();
    let before = snapshot(out.path());
    let output = xtask(
        cwd,
        &[
            "codegen",
            "--spec",
            spec,
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    let stderr = text(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{spec}: exit code; stderr:\n{stderr}"
    );
    assert!(stderr.starts_with("error: "), "{spec}: stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{spec}: stderr:\n{stderr}");
    for line in expected {
        assert!(
            stderr.contains(line),
            "{spec}: expected {line:?} in:\n{stderr}"
        );
    }
    assert_eq!(
        snapshot(out.path()),
        before,
        "{spec}: the output folder changed"
    );
}

#[test]
fn every_spec_of_the_broken_corpus_fails_with_its_located_error() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let mut cases: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "the corpus lost cases: {cases:?}");
    for case in cases {
        let expected = std::fs::read_to_string(corpus.join(&case).join("expected.txt")).unwrap();
        let expected: Vec<&str> = expected.lines().filter(|line| !line.is_empty()).collect();
        assert_fails_cleanly(&corpus, &format!("{case}/root.yaml"), &expected);
    }
}

#[test]
fn a_schema_ref_to_nothing_is_worked_around_unless_strict() {
    let dir = temp_dir("lenient");
    std::fs::write(
        dir.path().join("api.yaml"),
        "openapi: 3.0.1\ninfo: {title: Lenient, version: '1'}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        '200':\n          description: The things.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/not_mapped'}\n",
    )
    .unwrap();
    let strict = occupied_output();
    let before = snapshot(strict.path());
    let out = strict.path().to_str().unwrap();
    let output = xtask(
        dir.path(),
        &["codegen", "--spec", "api.yaml", "--out", out, "--strict"],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("api.yaml:12:24 (#/paths/~1things/get/responses/200/content/application~1json/schema): `$ref: #/components/schemas/not_mapped`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[--strict refuses unresolved-schema-ref]"),
        "{stderr}"
    );
    assert_eq!(snapshot(strict.path()), before, "--strict wrote nothing");

    let lenient = temp_dir("lenient-out");
    let out = lenient.path().join("crate");
    let output = xtask(
        dir.path(),
        &[
            "codegen",
            "--spec",
            "api.yaml",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(
        stdout.contains("warning[unresolved-schema-ref]"),
        "{stdout}"
    );
    let operations = std::fs::read_to_string(out.join("src/apis/default.rs")).unwrap();
    assert!(
        operations.contains("::std::result::Result<::serde_json::Value"),
        "the answer is any JSON value:\n{operations}"
    );
}

#[test]
fn binary_and_oversized_files_are_refused_before_parsing() {
    let dir = temp_dir("odd-files");
    std::fs::write(
        dir.path().join("binary.yaml"),
        [0x7f, b'E', b'L', b'F', 0, 0xff, 0xfe],
    )
    .unwrap();
    assert_fails_cleanly(dir.path(), "binary.yaml", &["binary.yaml: not UTF-8 text"]);

    let file = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    drop(file);
    assert_fails_cleanly(
        dir.path(),
        "huge.yaml",
        &["huge.yaml: the file is 52428800 bytes; spec files over"],
    );

    assert_fails_cleanly(
        dir.path(),
        "absent.yaml",
        &["absent.yaml: cannot read the spec"],
    );
}

#[test]
fn bad_arguments_are_usage_errors() {
    let output = xtask(Path::new("."), &["codegen", "--spec"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--spec needs a value"));
    let output = xtask(Path::new("."), &["codegen", "--frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("unknown argument `--frobnicate`"));
    let output = xtask(Path::new("."), &["generate"]);
    assert_eq!(output.status.code(), Some(2));
}
