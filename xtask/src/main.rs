//! Project automation. `cargo xtask codegen [--check] [--spec PATH] [--out DIR]`.

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::{codegen, project_root};

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--all-warnings]
       cargo xtask whole-api [--spec PATH] [--out DIR] [--no-check]

  codegen         generate the client crate from the spec (default: spec/ into generated/)
  --check         change nothing; fail with a diff if the output is not up to date
  --spec PATH     the root document of the spec
  --out DIR       the folder of the generated crate
  --all-warnings  list every warning, not only the first ones

  whole-api       generate SailPoint's whole v2025 API (../shared/specs) into a folder
                  (default target/whole-api), cargo check it, and print the figures
  --no-check      generate and measure only";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match arguments.first().map(String::as_str) {
        Some("codegen") => codegen_command(&arguments[1..]),
        Some("whole-api") => whole_api_command(&arguments[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command `{other}`")),
        None => usage_error("no command given"),
    }
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
            flag if known_flags.contains(&flag) => options.flags.push(flag.to_owned()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

fn codegen_command(arguments: &[String]) -> ExitCode {
    let root = project_root();
    let options = match parse_options(
        arguments,
        root.join("spec/sailpoint-api.v2025.yaml"),
        root.join("generated"),
        &["--check", "--all-warnings"],
    ) {
        Ok(options) => options,
        Err(message) => return usage_error(&message),
    };
    let Options { spec, out, flags } = options;
    let mode = if flags.iter().any(|flag| flag == "--check") {
        codegen::Mode::Check
    } else {
        codegen::Mode::Write
    };
    let all_warnings = flags.iter().any(|flag| flag == "--all-warnings");
    match codegen::run(&spec, &root.join("templates"), &out, mode) {
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
            print!("{report}");
            if all_warnings {
                for warning in report.generated.warnings.iter().skip(10) {
                    println!("{warning}");
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

fn whole_api_command(arguments: &[String]) -> ExitCode {
    let root = project_root();
    let options = match parse_options(
        arguments,
        xtask::whole_api::reference_spec(),
        root.join("target/whole-api/sailpoint-v2025"),
        &["--no-check"],
    ) {
        Ok(options) => options,
        Err(message) => return usage_error(&message),
    };
    let Options { spec, out, flags } = options;
    let check = flags.is_empty();
    let target = root.join("target/whole-api/target");
    match xtask::whole_api::run(&spec, &out, check.then_some(target.as_path())) {
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
        Ok(figures) => {
            print!("{figures}");
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
