//! `cargo xtask bench`: what users feel, each figure beside its floor (the
//! least the same job can cost: cargo's own start-up, an application with
//! only the HTTP stack, bare `reqwest`) and as a ratio to it, in one run.
//!
//! | file | measures |
//! | --- | --- |
//! | `codegen.rs` | `cargo xtask codegen`: first on a fresh clone, warm, whole trees |
//! | `builds.rs` | applications' clean builds, the whole-v2025 crate's `cargo check` |
//! | `decode.rs` | decoding a page of accounts against `serde_derive` |
//! | `peers.rs` | progenitor on the same endpoints, for information |
//!
//! Figures that have a floor are measured in interleaved rounds (the order
//! rotates each round), so both see the same machine at the same moment;
//! the ratio is the median of the rounds' ratios.

use std::cmp::Ordering;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod builds;
mod codegen;
mod decode;
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
    pub decode: bool,
}

/// Repeated measurements of one figure.
#[derive(Debug, Clone, Default)]
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
            Some((min, median, max)) if self.0.len() > 1 => format!(
                "{} / **{}** / {} ({} runs)",
                show(min),
                show(median),
                show(max),
                self.0.len()
            ),
            Some((_, median, _)) => format!("**{}** (1 run)", show(median)),
            None => "not measured".to_owned(),
        }
    }

    /// Round by round, these samples over `floor`'s, as
    /// `min / **median** / max`.
    fn ratio_to(&self, floor: &Samples) -> String {
        let ratios: Vec<f64> = self
            .0
            .iter()
            .zip(&floor.0)
            .map(|(ours, floor)| ours.as_secs_f64() / floor.as_secs_f64())
            .collect();
        match spread(&ratios, f64::total_cmp) {
            Some((min, median, max)) if ratios.len() > 1 => {
                format!("{min:.2} / **{median:.2}** / {max:.2}")
            }
            Some((_, median, _)) => format!("**{median:.2}**"),
            None => "—".to_owned(),
        }
    }
}

/// The least, median and greatest of `values`, ordered by `order`.
fn spread<T: Copy>(values: &[T], order: impl Fn(&T, &T) -> Ordering) -> Option<(T, T, T)> {
    let mut sorted = values.to_vec();
    sorted.sort_by(order);
    Some((*sorted.first()?, sorted[sorted.len() / 2], *sorted.last()?))
}

/// A timed job: one run, and how long it took.
type Job<'a> = Box<dyn FnMut() -> Result<Duration, String> + 'a>;

/// Runs `jobs` in `rounds` rounds, each job once a round, the first job of
/// a round rotating; with `warm_up`, one unmeasured run of each first. The
/// samples of each job, in the order of `jobs`.
fn interleaved<const N: usize>(
    rounds: usize,
    warm_up: bool,
    mut jobs: [Job<'_>; N],
) -> Result<[Samples; N], String> {
    if warm_up {
        for job in &mut jobs {
            job()?;
        }
    }
    let mut samples: [Samples; N] = std::array::from_fn(|_| Samples::default());
    for round in 0..rounds {
        for offset in 0..N {
            let index = (round + offset) % N;
            let took = jobs[index]()?;
            samples[index].0.push(took);
        }
    }
    Ok(samples)
}

/// A job that runs `command` to success.
fn job(command: &mut Command) -> Job<'_> {
    Box::new(move || timed(command))
}

/// One line of the report.
struct Row {
    cost: String,
    ours: String,
    /// What the floor is, and its figure; `—` where there is none.
    floor: String,
    /// Ours over the floor's.
    ratio: String,
}

impl Row {
    fn without_floor(cost: impl Into<String>, ours: String) -> Self {
        Self {
            cost: cost.into(),
            ours,
            floor: "—".to_owned(),
            ratio: "—".to_owned(),
        }
    }

    fn against(cost: impl Into<String>, ours: &Samples, floor_name: &str, floor: &Samples) -> Self {
        Self {
            cost: cost.into(),
            ours: ours.summary(),
            floor: format!("{floor_name}: {}", floor.summary()),
            ratio: ours.ratio_to(floor),
        }
    }
}

/// The whole v2025 tree and the per-resource tree, beside the project.
fn shared_spec(file: &str) -> Option<PathBuf> {
    let path = crate::project_root()
        .join("../shared/specs/sailpoint-isc")
        .join(file);
    path.exists().then_some(path)
}

/// Runs the parts, prints the table and writes it to `out` as Markdown.
pub fn run(parts: Parts, runs: usize, out: &Path) -> Result<String, String> {
    let root = crate::project_root();
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    if shared_spec("sailpoint-api.v2025.yaml").is_none() {
        notes.push("Whole-API rows skipped: ../shared/specs is absent.".to_owned());
    }
    if parts.codegen {
        rows.extend(codegen::rows(&root, runs, &mut notes)?);
    }
    if parts.peers {
        let xtask = build_release_xtask(&root)?;
        let fragment = root.join("spec/sailpoint-api.v2025.yaml");
        let pairs = peers::run(&xtask, &fragment, runs.max(10) * 3, &scratch("peers")?)?;
        notes.push(format!(
            "Progenitor ({}) reads a copy of the fragment the bench makes from our bundle (path parameter renamed, one error body); the row is for information.",
            pairs.version
        ));
        rows.push(Row::against(
            "codegen, Classify Source fragment, release binaries, whole process: ours against progenitor's",
            &pairs.ours,
            "progenitor",
            &pairs.progenitor,
        ));
    }
    if parts.build {
        rows.extend(builds::application_rows(&root, runs, &mut notes)?);
    }
    if parts.whole_api_check {
        if let Some(whole) = shared_spec("sailpoint-api.v2025.yaml") {
            rows.push(builds::whole_api_check(&whole, runs)?);
        }
    }
    if parts.call {
        rows.push(call_overhead(&root)?);
    }
    if parts.decode {
        if let Some(whole) = shared_spec("sailpoint-api.v2025.yaml") {
            rows.push(decode::decode_row(&whole, runs)?);
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let mut table = format!(
        "# Benchmarks\n\nMachine: {cores} cores. Times: min / **median** / max; ratios: ours over the floor's, round by round.\n\n\
         | what users feel | ours | floor | ratio |\n| --- | --- | --- | --- |\n"
    );
    for row in &rows {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} |",
            row.cost, row.ours, row.floor, row.ratio
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

/// An empty folder for one part, under the target folder's `bench/`.
fn scratch(name: &str) -> Result<PathBuf, String> {
    let dir = crate::target_dir().join("bench").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|error| error.to_string())?;
    Ok(dir)
}

fn build_release_xtask(root: &Path) -> Result<PathBuf, String> {
    succeed(
        cargo()
            .args(["build", "--quiet", "--release", "--package", "xtask"])
            .current_dir(root),
        "cannot build the release xtask",
    )?;
    Ok(crate::target_dir().join("release/xtask"))
}

/// Writes `text` to `path`, making its folder first.
fn write_file(path: &Path, text: &str) -> Result<(), String> {
    path.parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(path, text))
        .map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// `xtask codegen` of `spec` into `out`, by the binary `xtask`.
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
    let failure = format!("{command:?} failed");
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

/// One call through the generated client against the same request with
/// bare `reqwest`: the criterion benchmark's median pairwise ratios.
fn call_overhead(root: &Path) -> Result<Row, String> {
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
    let ratios: Vec<String> = text
        .lines()
        .filter_map(|line| {
            let mut words = line.strip_prefix("ratio ")?.split_whitespace();
            let (name, ratio) = (words.next()?, words.next()?.parse::<f64>().ok()?);
            Some(format!("{name} **{ratio:.3}**"))
        })
        .collect();
    if ratios.is_empty() {
        return Err(format!("the call benchmark printed no ratio:\n{text}"));
    }
    Ok(Row {
        cost: "one call on loopback (criterion, median of pairs)".to_owned(),
        ours: "the generated client".to_owned(),
        floor: "the same request with bare `reqwest`".to_owned(),
        ratio: ratios.join(", "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn rounds_rotate_which_job_goes_first_and_keep_each_jobs_samples() {
        let order = RefCell::new(Vec::new());
        let job = |name: char, millis: u64| -> Job<'_> {
            let order = &order;
            Box::new(move || {
                order.borrow_mut().push(name);
                Ok(Duration::from_millis(millis))
            })
        };
        let [a, b, c] = interleaved(3, true, [job('a', 1), job('b', 2), job('c', 3)]).unwrap();
        assert_eq!(
            order.into_inner().into_iter().collect::<String>(),
            "abcabcbcacab"
        );
        assert_eq!(a.0, [Duration::from_millis(1); 3]);
        assert_eq!((b.0.len(), c.0.len()), (3, 3));
    }

    #[test]
    fn a_ratio_is_taken_round_by_round() {
        let samples =
            |millis: &[u64]| Samples(millis.iter().map(|&m| Duration::from_millis(m)).collect());
        let ours = samples(&[110, 300, 120]);
        let floor = samples(&[100, 200, 100]);
        assert_eq!(ours.ratio_to(&floor), "1.10 / **1.20** / 1.50");
        assert_eq!(samples(&[50]).ratio_to(&samples(&[100])), "**0.50**");
        assert_eq!(Samples::default().ratio_to(&floor), "—");
        assert_eq!(
            ours.summary(),
            "110.0 ms / **120.0 ms** / 300.0 ms (3 runs)"
        );
    }

    #[test]
    fn a_failing_job_stops_the_measurement_with_its_reason() {
        let failing: Job<'_> = Box::new(|| Err("cannot build".to_owned()));
        let fine: Job<'_> = Box::new(|| Ok(Duration::ZERO));
        assert_eq!(
            interleaved(2, false, [fine, failing]).err().as_deref(),
            Some("cannot build")
        );
    }
}
