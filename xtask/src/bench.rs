//! `cargo xtask bench`: what users feel, measured on this machine and
//! printed beside the peers' figures: codegen time, build cost, call
//! overhead.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::standalone::{copy_tree, stand_alone};

/// Which parts to run.
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    pub codegen: bool,
    pub build: bool,
    pub whole_api_check: bool,
    pub call: bool,
}

/// Repeated measurements of one figure.
#[derive(Debug, Clone)]
struct Samples(Vec<Duration>);

impl Samples {
    fn summary(&self) -> String {
        let mut sorted = self.0.clone();
        sorted.sort();
        let show = |d: &Duration| {
            if d.as_secs_f64() >= 1.0 {
                format!("{:.2} s", d.as_secs_f64())
            } else {
                format!("{:.1} ms", d.as_secs_f64() * 1000.0)
            }
        };
        match (sorted.first(), sorted.get(sorted.len() / 2), sorted.last()) {
            (Some(min), Some(median), Some(max)) => format!(
                "{} / **{}** / {} ({} runs)",
                show(min),
                show(median),
                show(max),
                sorted.len()
            ),
            _ => "not measured".to_owned(),
        }
    }

    fn median(&self) -> Option<Duration> {
        let mut sorted = self.0.clone();
        sorted.sort();
        sorted.get(sorted.len() / 2).copied()
    }
}

struct Row {
    cost: &'static str,
    progenitor: &'static str,
    openapi_generator: &'static str,
    target: &'static str,
    ours: String,
    met: Option<bool>,
}

/// Runs the parts, prints the table and writes it to `out` as Markdown.
pub fn run(parts: Parts, runs: usize, out: &Path) -> Result<String, String> {
    let root = crate::project_root();
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    if parts.codegen {
        let xtask = build_release_xtask(&root)?;
        let fragment = whole_process(
            &xtask,
            &root.join("spec/sailpoint-api.v2025.yaml"),
            runs.max(10),
        )?;
        rows.push(Row {
            cost: "codegen, Classify Source fragment, whole process",
            progenitor: "6.6 ms (reported)",
            openapi_generator: "1.9 s (JVM)",
            target: "≤ progenitor",
            met: fragment.median().map(|m| m <= Duration::from_micros(6600)),
            ours: fragment.summary(),
        });
        let whole = crate::whole_api::reference_spec();
        if whole.exists() {
            let samples = whole_process(&xtask, &whole, runs.max(3))?;
            rows.push(Row {
                cost: "codegen, whole v2025 API",
                progenitor: "cannot",
                openapi_generator: "10–22 s, 55 compile errors",
                target: "< 0.5 s, output compiles",
                met: samples.median().map(|m| m < Duration::from_millis(500)),
                ours: samples.summary(),
            });
        } else {
            notes.push("whole-API rows skipped: ../shared/specs is absent".to_owned());
        }
    }
    if parts.whole_api_check {
        let whole = crate::whole_api::reference_spec();
        let dir = scratch("whole-api-check")?;
        let mut samples = Vec::new();
        let mut peak = 0;
        for run in 0..runs.clamp(1, 3) {
            let target = dir.join(format!("target-{run}"));
            let figures = crate::whole_api::run(&whole, &dir.join("crate"), Some(&target))
                .map_err(|errors| errors.to_string())?;
            let check = figures.check.ok_or("no check was run")?;
            if !check.success {
                return Err(format!(
                    "the whole-API crate does not compile:\n{}",
                    check.output_tail
                ));
            }
            samples.push(check.duration);
            peak = peak.max(check.peak_rss_kib.unwrap_or(0));
            let _ = std::fs::remove_dir_all(&target);
        }
        let samples = Samples(samples);
        let target = dir.join("target-features");
        let warm =
            |extra: &[&str]| crate::whole_api::cargo_check_with(&dir.join("crate"), &target, extra);
        warm(&["--no-default-features"]);
        let mut one_tag = Vec::new();
        let mut all_tags = Vec::new();
        // Rewriting lib.rs makes cargo check the crate again, and only it.
        let lib = dir.join("crate/src/lib.rs");
        let touch = || {
            if let Ok(text) = std::fs::read(&lib) {
                let _ = std::fs::write(&lib, text);
            }
        };
        for _ in 0..runs.clamp(1, 3) {
            touch();
            one_tag
                .push(warm(&["--no-default-features", "--features", "classify_source"]).duration);
            touch();
            all_tags.push(warm(&[]).duration);
        }
        rows.push(Row {
            cost: "`cargo check` of the whole-API crate: one tag (`classify_source`) / all tags, dependencies already built",
            progenitor: "—",
            openapi_generator: "—",
            target: "one tag compiles only what it needs",
            met: None,
            ours: format!("{} / {}", Samples(one_tag).summary(), Samples(all_tags).summary()),
        });
        rows.push(Row {
            cost: "`cargo check` of the whole-API crate (fresh target dir, dependencies included)",
            progenitor: "—",
            openapi_generator: "105 s, 3.7 GB peak (after hand fixes)",
            target: "< 45 s, < 2 GB peak",
            met: samples
                .median()
                .map(|m| m < Duration::from_secs(45) && peak < 2 * 1024 * 1024),
            ours: format!(
                "{}, peak {:.2} GB",
                samples.summary(),
                peak as f64 / 1_048_576.0
            ),
        });
    }
    if parts.build {
        let (samples, packages) = fragment_build(&root, runs.clamp(1, 3))?;
        rows.push(Row {
            cost: "clean debug build of the fragment crate with its dependencies (rustls + ring)",
            progenitor: "20 s, 97 packages without TLS; 184 with TLS",
            openapi_generator: "36 s (native-tls), 109 crates",
            target: "≤ 25 s; ≤ 130 packages",
            met: samples
                .median()
                .map(|m| m <= Duration::from_secs(25) && packages <= 130),
            ours: format!("{}; {packages} packages in Cargo.lock", samples.summary()),
        });
    }
    if parts.call {
        let ratios = call_overhead(&root)?;
        let worst = ratios.iter().map(|(_, ratio)| *ratio).fold(0.0, f64::max);
        rows.push(Row {
            cost: "one call on loopback vs the same request with bare reqwest (median pairwise ratio)",
            progenitor: "—",
            openapi_generator: "—",
            target: "≤ 1.05×",
            met: Some(worst <= 1.05),
            ours: ratios
                .iter()
                .map(|(name, ratio)| format!("{name} {ratio:.3}×"))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let mut table = format!(
        "# Benchmarks\n\nMachine: {cores} cores. Ours: min / **median** / max. Peers' figures are those reported in the benchmark issue for the same spec.\n\n\
         | cost | progenitor 0.15 | openapi-generator 7.26 (rust) | target | ours | met |\n| --- | --- | --- | --- | --- | --- |\n"
    );
    for row in &rows {
        let met = match row.met {
            Some(true) => "yes",
            Some(false) => "no",
            None => "—",
        };
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {} | {met} |",
            row.cost, row.progenitor, row.openapi_generator, row.target, row.ours
        );
    }
    for note in notes {
        let _ = writeln!(table, "\n{note}");
    }
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|error| error.to_string())?;
    }
    std::fs::write(out, &table)
        .map_err(|error| format!("cannot write {}: {error}", out.display()))?;
    Ok(table)
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

fn scratch(name: &str) -> Result<PathBuf, String> {
    let dir = crate::project_root().join("target/bench").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|error| error.to_string())?;
    Ok(dir)
}

fn build_release_xtask(root: &Path) -> Result<PathBuf, String> {
    let status = cargo()
        .args(["build", "--quiet", "--release", "--package", "xtask"])
        .current_dir(root)
        .status()
        .map_err(|error| error.to_string())?;
    if !status.success() {
        return Err("cannot build the release xtask".to_owned());
    }
    Ok(root.join("target/release/xtask"))
}

/// Runs of `xtask codegen` as a whole process, on an output that is up to
/// date after the first (unmeasured) run, as a maintainer's runs are.
fn whole_process(xtask: &Path, spec: &Path, runs: usize) -> Result<Samples, String> {
    let out = scratch("codegen-out")?.join("crate");
    let run = || {
        let started = Instant::now();
        let output = Command::new(xtask)
            .arg("codegen")
            .arg("--spec")
            .arg(spec)
            .arg("--out")
            .arg(&out)
            .output()
            .map_err(|error| error.to_string())?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned());
        }
        Ok(started.elapsed())
    };
    run()?;
    (0..runs)
        .map(|_| run())
        .collect::<Result<Vec<_>, _>>()
        .map(Samples)
}

/// A clean debug build of the generated crate as a downstream user gets
/// it (a copy standing alone, a fresh target folder each run).
fn fragment_build(root: &Path, runs: usize) -> Result<(Samples, usize), String> {
    let dir = scratch("fragment-build")?;
    let krate = dir.join("sailpoint-v2025");
    copy_tree(&root.join("generated"), &krate).map_err(|error| error.to_string())?;
    stand_alone(&krate).map_err(|error| error.to_string())?;
    let mut samples = Vec::new();
    for run in 0..runs {
        let target = dir.join(format!("target-{run}"));
        let started = Instant::now();
        let status = cargo()
            .args(["build", "--quiet"])
            .current_dir(&krate)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .map_err(|error| error.to_string())?;
        if !status.success() {
            return Err("the generated crate does not build".to_owned());
        }
        samples.push(started.elapsed());
        let _ = std::fs::remove_dir_all(&target);
    }
    let lock =
        std::fs::read_to_string(krate.join("Cargo.lock")).map_err(|error| error.to_string())?;
    let packages = lock.matches("[[package]]").count();
    Ok((Samples(samples), packages))
}

/// The criterion benchmark's median pairwise ratios, by operation.
fn call_overhead(root: &Path) -> Result<Vec<(String, f64)>, String> {
    let output = cargo()
        .args([
            "bench",
            "--quiet",
            "--package",
            "client-tests",
            "--bench",
            "call_overhead",
        ])
        .current_dir(root)
        .output()
        .map_err(|error| error.to_string())?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "the call benchmark failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let ratios: Vec<(String, f64)> = text
        .lines()
        .filter_map(|line| {
            let mut words = line.strip_prefix("ratio ")?.split_whitespace();
            Some((words.next()?.to_owned(), words.next()?.parse().ok()?))
        })
        .collect();
    if ratios.is_empty() {
        return Err(format!("the call benchmark printed no ratio:\n{text}"));
    }
    Ok(ratios)
}
