//! What a maintainer waits for running `cargo xtask codegen`: the first run
//! on a fresh clone (the build included), a warm run on the fragment
//! against cargo's own start-up, and warm runs on SailPoint's whole trees
//! through the dev build against the release binary.

use std::path::Path;
use std::process::Command;

use super::{
    build_release_xtask, cargo, codegen_command, interleaved, job, scratch, shared_spec, succeed,
    timed, Row, Samples,
};

pub(super) fn rows(root: &Path, runs: usize, notes: &mut Vec<String>) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    let first = first_codegen(root, runs.clamp(1, 2))?;
    rows.push(Row::without_floor(
        "first `cargo xtask codegen` on a fresh clone: xtask's build, then the fragment",
        first.summary(),
    ));
    notes.push(
        "The fresh clone is of HEAD, with a new target folder; crates are already downloaded (an empty CARGO_HOME adds their download)."
            .to_owned(),
    );
    let dir = scratch("codegen")?;
    let fragment = dir.join("fragment");
    let [codegen, help] = interleaved(
        runs.max(5) * 4,
        true,
        [
            job(cargo_xtask(root).arg("codegen").arg("--out").arg(&fragment)),
            job(cargo_xtask(root).arg("--help")),
        ],
    )?;
    rows.push(Row::against(
        "warm `cargo xtask codegen`, fragment",
        &codegen,
        "`cargo xtask --help`",
        &help,
    ));
    let release = build_release_xtask(root)?;
    for (name, file) in [
        ("whole v2025 tree", "sailpoint-api.v2025.yaml"),
        ("whole per-resource tree", "sailpoint-api.root.yaml"),
    ] {
        let Some(spec) = shared_spec(file) else {
            continue;
        };
        let (dev_out, release_out) = (dir.join(format!("{file}.dev")), dir.join(file));
        let mut dev = cargo_xtask(root);
        dev.arg("codegen")
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(&dev_out);
        let [dev, optimised] = interleaved(
            runs,
            true,
            [
                job(&mut dev),
                job(&mut codegen_command(&release, &spec, &release_out)),
            ],
        )?;
        rows.push(Row::against(
            format!("warm `cargo xtask codegen --spec … --out …`, {name} (the dev build)"),
            &dev,
            "the release binary",
            &optimised,
        ));
    }
    Ok(rows)
}

/// `cargo xtask` in `root`, as a maintainer types it.
fn cargo_xtask(root: &Path) -> Command {
    let mut command = cargo();
    command.arg("xtask").current_dir(root);
    command
}

/// The first `cargo xtask codegen` in a fresh clone of HEAD with a new
/// target folder, `runs` times.
fn first_codegen(root: &Path, runs: usize) -> Result<Samples, String> {
    let mut samples = Samples::default();
    for _ in 0..runs {
        let dir = scratch("fresh-clone")?;
        let clone = dir.join("clone");
        succeed(
            Command::new("git")
                .args(["clone", "--quiet"])
                .arg(root)
                .arg(&clone),
            "cannot clone the project",
        )?;
        samples.0.push(timed(
            cargo_xtask(&clone)
                .arg("codegen")
                .env("CARGO_TARGET_DIR", dir.join("target")),
        )?);
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(samples)
}
