//! Project automation. `cargo xtask codegen [--check] [--spec PATH] [--out DIR]`.

#![forbid(unsafe_code)]

// See the dependency's comment in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::{codegen, project_root};

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--all-warnings] [--strict] [--reference-url PATTERN] [--timings]
       cargo xtask codegen --explain KIND
       cargo xtask whole-api [--spec PATH] [--out DIR] [--no-check]
       cargo xtask bench [--codegen] [--peers] [--build] [--check-whole-api] [--call] [--decode] [--runs N] [--out FILE]

  codegen         generate the client crate from the spec (default: spec/ into generated/)
  --check         change nothing; fail with a diff if the output is not up to date
  --spec PATH     the root document of the spec
  --out DIR       the folder of the generated crate
  --all-warnings  list every warning, not only the first ones
  --strict        refuse the spec if generation has to work around anything (every warning
                  is an error, and nothing is written)
  --reference-url PATTERN
                  where each operation's reference page is, for its docs: `{operation-id}`
                  (kebab case) or `{operationId}` is filled in; overrides the spec's
                  `info.x-reference-url`
  --timings       print how long each stage took
  --explain KIND  say what a kind of warning (`warning[KIND]`) means and what to do

  whole-api       generate SailPoint's whole v2025 API (../shared/specs) into a folder
                  (default target/whole-api), cargo check it, and print the figures;
                  --spec takes another root, such as the per-resource tree
                  ../shared/specs/sailpoint-isc/sailpoint-api.root.yaml
  --no-check      generate and measure only

  bench           measure what users feel, each figure beside its floor and as a ratio to it:
                  --codegen (first run on a fresh clone, warm fragment against
                  `cargo xtask --help`, whole trees through the dev build against the
                  release binary), --build (clean builds of applications on the fragment
                  and on one tag of the whole-v2025 crate, against one on the HTTP stack
                  alone), --check-whole-api (`cargo check` of the whole-v2025 crate),
                  --call (one call against bare reqwest), --decode (a page of 250 accounts
                  against the same models with serde_derive); print one table and write it as
                  Markdown (default target/bench/report.md); with no part named, runs
                  them all (whole-API rows need ../shared)
  --peers         also run progenitor 0.15 on the fragment, interleaved with our codegen,
                  for information (built from crates.io in target/bench the first time)
  --runs N        rounds of each measurement (default 5; clean builds take at most 3)";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match arguments.first().map(String::as_str) {
        Some("codegen") => codegen_command(&arguments[1..]),
        Some("whole-api") => whole_api_command(&arguments[1..]),
        Some("bench") => bench_command(&arguments[1..]),
        Some("-h" | "--help" | "help") => {
            say(&format!("{USAGE}\n"));
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command `{other}`")),
        None => usage_error("no command given"),
    }
}

/// Writes to stdout. A reader that went away (`| head`) is not an error
/// worth a panic: the rest of the output is dropped.
fn say(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// The options a command was given: `--spec PATH`, `--out DIR`, and the
/// flags it knows.
struct Options {
    spec: PathBuf,
    out: PathBuf,
    flags: Vec<String>,
    /// `--reference-url PATTERN`, where the command takes it.
    reference_url: Option<String>,
}

fn parse_options(
    arguments: &[String],
    spec: PathBuf,
    out: PathBuf,
    known_flags: &[&str],
) -> Result<Options, String> {
    let mut options = Options {
        spec,
        out,
        flags: Vec::new(),
        reference_url: None,
    };
    let mut arguments = arguments.iter();
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--spec" | "--out" => {
                let value = arguments
                    .next()
                    .ok_or_else(|| format!("{argument} needs a value"))?;
                if argument == "--spec" {
                    options.spec = PathBuf::from(value);
                } else {
                    options.out = PathBuf::from(value);
                }
            }
            "--reference-url" if known_flags.contains(&"--reference-url") => {
                let value = arguments
                    .next()
                    .ok_or_else(|| "--reference-url needs a pattern".to_owned())?;
                options.reference_url = Some(value.clone());
            }
            flag if known_flags.contains(&flag) => options.flags.push(flag.to_owned()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

fn codegen_command(arguments: &[String]) -> ExitCode {
    if let Some(position) = arguments
        .iter()
        .position(|argument| argument == "--explain")
    {
        return explain(arguments.get(position + 1).map(String::as_str));
    }
    let root = project_root();
    let options = match parse_options(
        arguments,
        root.join("spec/sailpoint-api.v2025.yaml"),
        root.join("generated"),
        &[
            "--check",
            "--all-warnings",
            "--strict",
            "--reference-url",
            "--timings",
        ],
    ) {
        Ok(options) => options,
        Err(message) => return usage_error(&message),
    };
    let Options {
        spec,
        out,
        flags,
        reference_url,
    } = options;
    let mode = if flags.iter().any(|flag| flag == "--check") {
        codegen::Mode::Check
    } else {
        codegen::Mode::Write
    };
    let all_warnings = flags.iter().any(|flag| flag == "--all-warnings");
    let codegen_options = codegen::Options {
        reference_url,
        leniency: if flags.iter().any(|flag| flag == "--strict") {
            codegen::Leniency::Strict
        } else {
            codegen::Leniency::WorkAround
        },
        ..codegen::Options::new(spec, root.join("templates"))
    };
    match codegen::run(&codegen_options, &out, mode) {
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!(
                "codegen failed with {} error(s); {} was not changed",
                errors.0.len(),
                codegen::diag::display_path(&out)
            );
            ExitCode::FAILURE
        }
        Ok(report) => {
            say(&report.to_string());
            if flags.iter().any(|flag| flag == "--timings") {
                say(&format!("  stages:     {}\n", report.generated.stages));
            }
            if all_warnings {
                for warning in report.generated.warnings.iter().skip(10) {
                    say(&format!("{warning}\n"));
                }
            }
            if mode == codegen::Mode::Check && !report.outcome.is_clean() {
                for difference in &report.outcome.differences {
                    eprintln!("{difference}");
                }
                eprintln!(
                    "error: {} is not up to date with the spec; run `cargo xtask codegen` to update it",
                    codegen::diag::display_path(&out)
                );
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
    }
}

/// `codegen --explain KIND`: the explanation of a kind of warning.
fn explain(kind: Option<&str>) -> ExitCode {
    let known = || {
        codegen::WarningKind::ALL
            .iter()
            .map(|kind| format!("  {kind}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let Some(name) = kind else {
        return usage_error(&format!(
            "--explain needs a kind of warning, one of:\n{}",
            known()
        ));
    };
    match codegen::WarningKind::from_name(name.trim_start_matches("warning[").trim_end_matches(']'))
    {
        Some(kind) => {
            say(&format!(
                "warning[{kind}]\n\n{}\n",
                wrap(kind.explanation(), 78)
            ));
            ExitCode::SUCCESS
        }
        None => usage_error(&format!(
            "no kind of warning is named `{name}`; the kinds are:\n{}",
            known()
        )),
    }
}

/// `text` with its lines broken between words, at most `width` wide.
fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines.join("\n")
}

fn whole_api_command(arguments: &[String]) -> ExitCode {
    let options = match parse_options(
        arguments,
        xtask::whole_api::reference_spec(),
        xtask::target_dir().join("whole-api/sailpoint-v2025"),
        &["--no-check"],
    ) {
        Ok(options) => options,
        Err(message) => return usage_error(&message),
    };
    let Options {
        spec, out, flags, ..
    } = options;
    let check = flags.is_empty();
    let target = xtask::target_dir().join("whole-api/target");
    match xtask::whole_api::run(&spec, &out, check.then_some(target.as_path())) {
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
        Ok(figures) => {
            say(&figures.to_string());
            match &figures.check {
                Some(check) if !check.success => {
                    eprintln!("{}", check.output_tail);
                    ExitCode::FAILURE
                }
                _ => ExitCode::SUCCESS,
            }
        }
    }
}

fn bench_command(arguments: &[String]) -> ExitCode {
    let mut parts = xtask::bench::Parts {
        codegen: false,
        peers: false,
        build: false,
        whole_api_check: false,
        call: false,
        decode: false,
    };
    let mut runs = 5;
    let mut out = xtask::target_dir().join("bench/report.md");
    let mut arguments = arguments.iter();
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--codegen" => parts.codegen = true,
            "--peers" => parts.peers = true,
            "--build" => parts.build = true,
            "--check-whole-api" => parts.whole_api_check = true,
            "--call" => parts.call = true,
            "--decode" => parts.decode = true,
            "--runs" => match arguments.next().and_then(|value| value.parse().ok()) {
                Some(value) if value > 0 => runs = value,
                _ => return usage_error("--runs needs a positive number"),
            },
            "--out" => match arguments.next() {
                Some(value) => out = PathBuf::from(value),
                None => return usage_error("--out needs a value"),
            },
            other => return usage_error(&format!("unknown argument `{other}`")),
        }
    }
    if !(parts.codegen
        || parts.build
        || parts.whole_api_check
        || parts.call
        || parts.decode
        || parts.peers)
    {
        parts.codegen = true;
        parts.build = true;
        parts.whole_api_check = true;
        parts.call = true;
        parts.decode = true;
    }
    match xtask::bench::run(parts, runs, &out) {
        Ok(table) => {
            say(&format!("{table}\nwritten to {}\n", out.display()));
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
