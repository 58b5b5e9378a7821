//! `cargo xtask bench`: what users feel, measured on this machine and
//! printed beside the peers' figures: codegen time, build cost, call
//! overhead.

use std::cmp::Ordering;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::standalone::{copy_tree, stand_alone};

mod peers;

/// Which parts to run.
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    pub codegen: bool,
    /// Progenitor on the same endpoints, paired with our codegen.
    pub peers: bool,
    pub build: bool,
    pub whole_api_check: bool,
    pub call: bool,
}

/// Pairs of runs for the ratio to progenitor.
const PEER_PAIRS: usize = 30;

/// Repeated measurements of one figure.
#[derive(Debug, Clone)]
pub(crate) struct Samples(pub(crate) Vec<Duration>);

impl Samples {
    fn summary(&self) -> String {
        let show = |d: Duration| {
            if d.as_secs_f64() >= 1.0 {
                format!("{:.2} s", d.as_secs_f64())
            } else {
                format!("{:.1} ms", d.as_secs_f64() * 1000.0)
            }
        };
        match spread(&self.0, Duration::cmp) {
            Some((min, median, max)) => format!(
                "{} / **{}** / {} ({} runs)",
                show(min),
                show(median),
                show(max),
                self.0.len()
            ),
            None => "not measured".to_owned(),
        }
    }

    fn median(&self) -> Option<Duration> {
        spread(&self.0, Duration::cmp).map(|(_, median, _)| median)
    }
}

/// The least, median and greatest of `values`, ordered by `order`.
fn spread<T: Copy>(values: &[T], order: impl Fn(&T, &T) -> Ordering) -> Option<(T, T, T)> {
    let mut sorted = values.to_vec();
    sorted.sort_by(order);
    Some((*sorted.first()?, sorted[sorted.len() / 2], *sorted.last()?))
}

struct Row {
    cost: &'static str,
    peer: String,
    target: &'static str,
    ours: String,
    met: Option<bool>,
}

/// The per-resource tree's root, beside the project.
fn per_resource_spec() -> PathBuf {
    crate::project_root().join("../shared/specs/sailpoint-isc/sailpoint-api.root.yaml")
}

/// Runs the parts, prints the table and writes it to `out` as Markdown.
pub fn run(parts: Parts, runs: usize, out: &Path) -> Result<String, String> {
    let root = crate::project_root();
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    let whole = crate::whole_api::reference_spec();
    if !whole.exists() {
        notes.push("Whole-API rows skipped: ../shared/specs is absent.".to_owned());
    }
    if parts.codegen {
        let xtask = build_release_xtask(&root)?;
        let fragment = root.join("spec/sailpoint-api.v2025.yaml");
        if parts.peers {
            let pairs = peers::run(&xtask, &fragment, PEER_PAIRS, &scratch("peers")?)?;
            notes.push(format!(
                "Peer: {}, on a copy of the fragment the bench makes from our bundle (path parameter renamed, one error body).",
                pairs.version
            ));
            rows.push(Row {
                cost: "codegen, Classify Source fragment, whole process: ours / progenitor's, pairwise",
                peer: pairs.progenitor.summary(),
                target: "ratio ≤ 1.0",
                met: pairs.median_ratio().map(|ratio| ratio <= 1.0),
                ours: format!("{}; ratio {}", pairs.ours.summary(), pairs.ratio_summary()),
            });
        } else {
            let samples = whole_process(&xtask, &fragment, runs.max(10))?;
            rows.push(Row {
                cost: "codegen, Classify Source fragment, whole process",
                peer: "`--peers` runs it".to_owned(),
                target: "ratio to progenitor ≤ 1.0",
                met: None,
                ours: samples.summary(),
            });
        }
        for (cost, spec, limit, target) in [
            (
                "codegen, whole v2025 tree, whole process",
                whole.clone(),
                Duration::from_millis(600),
                "< 0.6 s",
            ),
            (
                "codegen, whole per-resource tree (`sailpoint-api.root.yaml`), whole process",
                per_resource_spec(),
                Duration::from_millis(700),
                "< 0.7 s",
            ),
        ] {
            if !spec.exists() {
                continue;
            }
            let samples = whole_process(&xtask, &spec, runs.max(5))?;
            rows.push(Row {
                cost,
                peer: "cannot (panics)".to_owned(),
                target,
                met: samples.median().map(|median| median < limit),
                ours: samples.summary(),
            });
        }
    }
    if parts.whole_api_check && whole.exists() {
        rows.extend(whole_api_check(&whole, runs)?);
    }
    if parts.build {
        let build = fragment_build(&root, runs.clamp(1, 3))?;
        rows.push(Row {
            cost: "clean debug build of the fragment crate with its dependencies",
            peer: "20 s, 97 packages without TLS; 184 with TLS (reported)".to_owned(),
            target: "≤ 22 s; ≤ 110 packages",
            met: build
                .samples
                .median()
                .map(|median| median <= Duration::from_secs(22) && build.built <= 110),
            ours: format!(
                "{}; {} packages built ({} in Cargo.lock, every platform's)",
                build.samples.summary(),
                build.built,
                build.locked
            ),
        });
    }
    if parts.call {
        let ratios = call_overhead(&root)?;
        let worst = ratios.iter().map(|(_, ratio)| *ratio).fold(0.0, f64::max);
        rows.push(Row {
            cost: "one call on loopback vs the same request with bare reqwest (median pairwise ratio)",
            peer: "—".to_owned(),
            target: "≤ 1.03",
            met: Some(worst <= 1.03),
            ours: ratios
                .iter()
                .map(|(name, ratio)| format!("{name} {ratio:.3}"))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let mut table = format!(
        "# Benchmarks\n\nMachine: {cores} cores. Times: min / **median** / max.\n\n\
         | cost | peer | target | ours | met |\n| --- | --- | --- | --- | --- |\n"
    );
    for row in &rows {
        let met = match row.met {
            Some(true) => "yes",
            Some(false) => "no",
            None => "—",
        };
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {met} |",
            row.cost, row.peer, row.target, row.ours
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

/// `cargo check` of the whole-v2025 crate with its dependencies already
/// built (what a user waits for after a change), its peak memory, and the
/// same when only one tag's feature is on.
fn whole_api_check(whole: &Path, runs: usize) -> Result<Vec<Row>, String> {
    let dir = scratch("whole-api-check")?;
    let krate = dir.join("crate");
    let target = dir.join("target");
    // Builds the dependencies (and checks the crate once, unmeasured).
    let figures =
        crate::whole_api::run(whole, &krate, Some(&target)).map_err(|errors| errors.to_string())?;
    let check = figures.check.ok_or("no check was run")?;
    if !check.success {
        return Err(format!(
            "the whole-API crate does not compile:\n{}",
            check.output_tail
        ));
    }
    let check_with = |extra: &[&str]| {
        // Cleaning the crate alone makes cargo check it from scratch, and
        // nothing else.
        let _ = cargo()
            .args(["clean", "--quiet", "--package", "sailpoint-v2025"])
            .current_dir(&krate)
            .env("CARGO_TARGET_DIR", &target)
            .status();
        crate::whole_api::cargo_check_with(&krate, &target, extra)
    };
    let (mut all_tags, mut one_tag, mut peak) = (Vec::new(), Vec::new(), 0);
    for _ in 0..runs.clamp(1, 3) {
        let check = check_with(&[]);
        if !check.success {
            return Err(format!(
                "the whole-API crate does not compile:\n{}",
                check.output_tail
            ));
        }
        all_tags.push(check.duration);
        peak = peak.max(check.peak_rss_kib.unwrap_or(0));
        one_tag
            .push(check_with(&["--no-default-features", "--features", "classify_source"]).duration);
    }
    let all_tags = Samples(all_tags);
    Ok(vec![
        Row {
            cost: "`cargo check` of the whole-v2025 crate, dependencies built",
            peer: "cannot (panics)".to_owned(),
            target: "< 25 s",
            met: all_tags
                .median()
                .map(|median| median < Duration::from_secs(25)),
            ours: format!(
                "{}, peak {:.2} GB",
                all_tags.summary(),
                peak as f64 / 1_048_576.0
            ),
        },
        Row {
            cost: "the same with one tag's feature (`classify_source`)",
            peer: "—".to_owned(),
            target: "one tag compiles only what it needs",
            met: None,
            ours: Samples(one_tag).summary(),
        },
    ])
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

fn scratch(name: &str) -> Result<PathBuf, String> {
    let dir = crate::target_dir().join("bench").join(name);
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
    Ok(crate::target_dir().join("release/xtask"))
}

/// Runs of `xtask codegen` as a whole process, on an output that is up to
/// date after the first (unmeasured) run, as a maintainer's runs are.
fn whole_process(xtask: &Path, spec: &Path, runs: usize) -> Result<Samples, String> {
    let out = scratch("codegen-out")?.join("crate");
    let run = || timed(&mut codegen_command(xtask, spec, &out));
    run()?;
    (0..runs)
        .map(|_| run())
        .collect::<Result<Vec<_>, _>>()
        .map(Samples)
}

/// `xtask codegen` of `spec` into `out`.
fn codegen_command(xtask: &Path, spec: &Path, out: &Path) -> Command {
    let mut command = Command::new(xtask);
    command
        .arg("codegen")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out);
    command
}

/// Runs `command` to success and returns how long it took.
fn timed(command: &mut Command) -> Result<Duration, String> {
    let started = Instant::now();
    let failure = format!("{:?} failed", command.get_program());
    succeed(command, &failure)?;
    Ok(started.elapsed())
}

/// Runs `command` to success and returns its output; else fails with
/// `failure` and what the command wrote to stderr.
fn succeed(command: &mut Command, failure: &str) -> Result<std::process::Output, String> {
    let output = command.output().map_err(|error| error.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "{failure}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(output)
}

/// What a clean build of the fragment crate costs.
struct BuildFigures {
    samples: Samples,
    /// Packages compiled for this machine (build scripts' and proc macros'
    /// included).
    built: usize,
    /// Packages in `Cargo.lock`, which lists every platform's.
    locked: usize,
}

/// A clean debug build of the generated crate as a downstream user gets
/// it (a copy standing alone, a fresh target folder each run).
fn fragment_build(root: &Path, runs: usize) -> Result<BuildFigures, String> {
    let dir = scratch("fragment-build")?;
    let krate = dir.join("sailpoint-v2025");
    copy_tree(&root.join("generated"), &krate).map_err(|error| error.to_string())?;
    stand_alone(&krate).map_err(|error| error.to_string())?;
    let mut samples = Vec::new();
    let mut built = std::collections::BTreeSet::new();
    for run in 0..runs {
        let target = dir.join(format!("target-{run}"));
        let started = Instant::now();
        let output = succeed(
            cargo()
                .args(["build", "--message-format=json"])
                .current_dir(&krate)
                .env("CARGO_TARGET_DIR", &target),
            "the generated crate does not build",
        )?;
        samples.push(started.elapsed());
        built.extend(
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                .filter(|message| message["reason"] == "compiler-artifact")
                .filter_map(|message| message["package_id"].as_str().map(str::to_owned)),
        );
        let _ = std::fs::remove_dir_all(&target);
    }
    let lock =
        std::fs::read_to_string(krate.join("Cargo.lock")).map_err(|error| error.to_string())?;
    Ok(BuildFigures {
        samples: Samples(samples),
        built: built.len(),
        locked: lock.matches("[[package]]").count(),
    })
}

/// The criterion benchmark's median pairwise ratios, by operation.
fn call_overhead(root: &Path) -> Result<Vec<(String, f64)>, String> {
    let output = succeed(
        cargo()
            .args([
                "bench",
                "--quiet",
                "--package",
                "client-tests",
                "--bench",
                "call_overhead",
            ])
            .current_dir(root),
        "the call benchmark failed",
    )?;
    let text = String::from_utf8_lossy(&output.stdout);
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
