//! `cargo xtask whole-api`: generates a crate for SailPoint's whole v2025
//! API (or, with `--spec`, any spec, such as the per-resource tree
//! `sailpoint-api.root.yaml`) and measures it: operations, types, size,
//! generation time, and the time and peak memory of `cargo check` on it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::codegen::{self, Errors, Mode};

/// Where the reference specs are, beside the project.
pub fn reference_spec() -> PathBuf {
    crate::project_root().join("../shared/specs/sailpoint-isc/sailpoint-api.v2025.yaml")
}

/// What one run measured.
#[derive(Debug, Clone)]
pub struct Figures {
    /// The spec's root document, as given.
    pub spec: PathBuf,
    /// How many files the spec has.
    pub spec_files: usize,
    pub operations: usize,
    pub tags: usize,
    /// Named schemas, copies of one counted once; the types are made of
    /// these and of the schemas written inline in them and in operations.
    pub named_schemas: usize,
    pub types: usize,
    pub files: usize,
    pub rust_lines: usize,
    pub bytes: usize,
    pub generation: Duration,
    pub stages: codegen::StageTimes,
    pub warnings_by_kind: Vec<(codegen::WarningKind, usize)>,
    pub check: Option<CheckFigures>,
}

#[derive(Debug, Clone)]
pub struct CheckFigures {
    pub success: bool,
    pub duration: Duration,
    /// The largest resident set of any process `cargo check` ran, in KiB.
    pub peak_rss_kib: Option<u64>,
    /// The end of cargo's output, when it failed.
    pub output_tail: String,
}

/// Generates the crate for `spec` into `out` and, with `target`, checks it
/// with that target folder.
pub fn run(spec: &Path, out: &Path, target: Option<&Path>) -> Result<Figures, Errors> {
    let templates = crate::project_root().join("templates");
    let started = Instant::now();
    let generated = codegen::generate(&codegen::Options::new(spec, templates))?;
    let generation = started.elapsed();
    codegen::fs::sync(out, &generated.files, Mode::Write)?;
    let rust_lines = generated
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(_, text)| text.lines().count())
        .sum();
    let check = target.map(|target| cargo_check(out, target));
    Ok(Figures {
        spec: spec.to_path_buf(),
        spec_files: generated.spec_files,
        operations: generated.api.operation_count(),
        tags: generated.api.groups.len(),
        named_schemas: generated.named_schemas,
        types: generated.api.types.len(),
        files: generated.files.len(),
        rust_lines,
        bytes: generated.files.values().map(String::len).sum(),
        generation,
        stages: generated.stages.clone(),
        warnings_by_kind: generated.warnings_by_kind().into_iter().collect(),
        check,
    })
}

/// `cargo check` of the crate in `dir`, standing alone (its own workspace,
/// the project's lock file).
fn cargo_check(dir: &Path, target: &Path) -> CheckFigures {
    cargo_check_with(dir, target, &[])
}

/// `cargo check` with more arguments, such as
/// `--no-default-features --features classify_source`.
pub fn cargo_check_with(dir: &Path, target: &Path, extra: &[&str]) -> CheckFigures {
    // A crate that cannot be set up fails the check below with cargo's reason.
    let _ = crate::standalone::stand_alone(dir);
    let started = Instant::now();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["check", "--quiet", "--message-format=short"])
        .args(extra)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output();
    let duration = started.elapsed();
    match output {
        Ok(output) => {
            let text = String::from_utf8_lossy(&output.stderr);
            let lines: Vec<&str> = text.lines().collect();
            CheckFigures {
                success: output.status.success(),
                duration,
                peak_rss_kib: peak_child_rss_kib(),
                output_tail: lines[lines.len().saturating_sub(40)..].join("\n"),
            }
        }
        Err(error) => CheckFigures {
            success: false,
            duration,
            peak_rss_kib: None,
            output_tail: format!("cannot run cargo: {error}"),
        },
    }
}

/// The peak resident set of the largest child process waited for so far.
#[cfg(unix)]
fn peak_child_rss_kib() -> Option<u64> {
    use nix::sys::resource::{getrusage, UsageWho};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).ok()?;
    u64::try_from(usage.max_rss()).ok()
}

#[cfg(not(unix))]
fn peak_child_rss_kib() -> Option<u64> {
    None
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "whole API: {} ({} files)",
            codegen::diag::display_path(&self.spec),
            self.spec_files
        )?;
        writeln!(
            f,
            "  operations:      {} in {} tags",
            self.operations, self.tags
        )?;
        writeln!(
            f,
            "  types:           {} (of {} named schemas and the schemas inline in them)",
            self.types, self.named_schemas
        )?;
        writeln!(f, "  files:           {}", self.files)?;
        writeln!(f, "  lines of Rust:   {}", self.rust_lines)?;
        writeln!(
            f,
            "  size:            {:.1} MiB",
            self.bytes as f64 / 1_048_576.0
        )?;
        writeln!(
            f,
            "  generation:      {:.0} ms (in process)",
            self.generation.as_secs_f64() * 1000.0
        )?;
        writeln!(f, "  stages:          {}", self.stages)?;
        if let Some(check) = &self.check {
            writeln!(
                f,
                "  cargo check:     {} in {:.1} s, peak memory {}",
                if check.success { "passed" } else { "FAILED" },
                check.duration.as_secs_f64(),
                check.peak_rss_kib.map_or_else(
                    || "unknown".to_owned(),
                    |kib| format!("{:.0} MiB", kib as f64 / 1024.0)
                )
            )?;
        }
        writeln!(f, "  warnings by kind:")?;
        for (kind, count) in &self.warnings_by_kind {
            writeln!(f, "    {:<28} {count}", kind.name())?;
        }
        Ok(())
    }
}
