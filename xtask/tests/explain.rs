//! What codegen tells a maintainer: `--explain KIND` explains every kind a
//! run reports and names the kinds when asked about one that does not
//! exist; a closed stdout (`| head`) is not a panic.

mod common;

use common::{text, xtask};
use xtask::codegen::WarningKind;

#[test]
fn every_kind_the_fragment_reports_is_explained() {
    let root = xtask::project_root();
    let output = xtask(&root, &["codegen", "--check"]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(stdout.contains("--explain KIND"), "{stdout}");
    let reported: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("warning["))
        .filter_map(|rest| rest.split(']').next())
        .collect();
    assert!(
        !reported.is_empty(),
        "the fragment has known quirks:\n{stdout}"
    );
    for kind in reported {
        let output = xtask(&root, &["codegen", "--explain", kind]);
        let explanation = text(&output.stdout);
        assert!(output.status.success(), "{kind}: {}", text(&output.stderr));
        let expected = WarningKind::from_name(kind).unwrap().explanation();
        assert_eq!(
            explanation.split_whitespace().skip(1).collect::<Vec<_>>(),
            expected.split_whitespace().collect::<Vec<_>>(),
            "{kind}"
        );
        assert!(
            explanation.lines().all(|line| line.len() <= 78),
            "{explanation}"
        );
    }
}

#[test]
fn an_unknown_kind_is_a_usage_error_that_lists_the_kinds() {
    let output = xtask(
        &xtask::project_root(),
        &["codegen", "--explain", "no-such-kind"],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`no-such-kind`"), "{stderr}");
    for kind in WarningKind::ALL {
        assert!(stderr.contains(kind.name()), "{stderr}");
    }
}

#[test]
fn a_reader_that_goes_away_is_not_a_panic() {
    use std::io::Read as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check"])
        .current_dir(xtask::project_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // As `| head -0` does: the reader closes before anything is written.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(status.success(), "{status}: {stderr}");
}
