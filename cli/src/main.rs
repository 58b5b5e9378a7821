//! `classify`: start, read, cancel and wait for the machine-account
//! classification of a SailPoint source, from the command line.

#![forbid(unsafe_code)]

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;
use std::time::Duration;

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};
use indicatif::{ProgressBar, ProgressStyle};
// Only the extension's names: they are the same whichever spec the crate
// was generated from (v2025 or the per-resource API).
use sailpoint_v2025::extensions::classify_source::{
    self as classification, ClassificationStatus, WaitError, WaitOptions,
};
use sailpoint_v2025::{
    Client, ClientBuilder, Error, OperationError, ENV_ACCESS_TOKEN, ENV_BASE_URL, ENV_CLIENT_ID,
    ENV_CLIENT_SECRET,
};

/// The exit codes, as the help text documents them.
mod exit {
    pub const CONFIG: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const API: u8 = 3;
    pub const TRANSPORT: u8 = 4;
}

const EXIT_CODES: &str = "\
Exit codes: 0 success, 1 configuration or authentication error, 2 usage error,
3 error answer from the API, 4 transport failure or timeout.";

/// The arguments that configure the client, each with the variable
/// SailPoint's SDKs and CLI read, and whether its value is a secret.
const CONNECTION: &[(&str, &str, &str, bool)] = &[
    (
        "base-url",
        ENV_BASE_URL,
        "The tenant URL, such as https://acme.api.identitynow.com",
        false,
    ),
    (
        "client-id",
        ENV_CLIENT_ID,
        "Client credentials: the id (a personal access token's)",
        false,
    ),
    (
        "client-secret",
        ENV_CLIENT_SECRET,
        "Client credentials: the secret",
        true,
    ),
    ("access-token", ENV_ACCESS_TOKEN, "Or a bearer token", true),
];

fn source_id() -> Arg {
    Arg::new("source_id")
        .value_name("SOURCE_ID")
        .help("The id of the source")
        .required(true)
        .value_parser(clap::builder::NonEmptyStringValueParser::new())
}

fn seconds(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .value_name("SECS")
        .help(help)
        .value_parser(|text: &str| -> Result<Duration, String> {
            text.parse::<f64>()
                .ok()
                .filter(|seconds| seconds.is_finite() && *seconds > 0.0)
                .map(Duration::from_secs_f64)
                .ok_or_else(|| "not a positive number of seconds".to_owned())
        })
}

/// The command line.
fn command() -> Command {
    let mut command = Command::new("classify")
        .version(env!("CARGO_PKG_VERSION"))
        .about(
            "Classify a SailPoint source's accounts as machine accounts: start, read, cancel, wait",
        )
        .after_help(EXIT_CODES)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("output")
                .long("output")
                .value_name("FORMAT")
                .help("How answers are printed on stdout")
                .value_parser(["json", "text"])
                .default_value("json")
                .global(true),
        );
    for (name, variable, help, secret) in CONNECTION {
        command = command.arg(
            Arg::new(*name)
                .long(*name)
                .value_name("VALUE")
                .help(*help)
                .env(*variable)
                .hide_env_values(*secret)
                .global(true),
        );
    }
    if cfg!(feature = "simulate") {
        command = command.arg(
            Arg::new("simulate")
                .long("simulate")
                .help("Run against an embedded simulator instead of a tenant; the source exists there and, except for `start`, is being classified")
                .action(ArgAction::SetTrue)
                .global(true),
        );
    }
    command
        .subcommand(
            Command::new("start")
                .about("Start classifying the source's accounts")
                .arg(source_id()),
        )
        .subcommand(
            Command::new("status")
                .about("Print the classification status")
                .arg(source_id()),
        )
        .subcommand(
            Command::new("cancel")
                .about("Cancel the classification")
                .arg(source_id()),
        )
        .subcommand(
            Command::new("wait")
                .about("Read the status until it is COMPLETED, CANCELLED or TERMINATED")
                .arg(source_id())
                .arg(seconds("interval", "Time between two reads [default: 5]"))
                .arg(seconds("timeout", "The most time to wait [default: 1800]")),
        )
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script")
                .arg(
                    Arg::new("shell")
                        .value_name("SHELL")
                        .required(true)
                        .value_parser(value_parser!(clap_complete::Shell)),
                ),
        )
}

/// How answers are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    Json,
    Text,
}

fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(exit::USAGE)
            } else {
                // `--help`, `--version`.
                ExitCode::SUCCESS
            };
        }
    };
    let Some((name, arguments)) = matches.subcommand() else {
        return ExitCode::from(exit::USAGE);
    };
    if name == "completions" {
        let shell = *arguments
            .get_one::<clap_complete::Shell>("shell")
            .expect("required");
        clap_complete::generate(shell, &mut command(), "classify", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(exit::CONFIG);
        }
    };
    runtime.block_on(run(name, arguments))
}

async fn run(name: &str, arguments: &ArgMatches) -> ExitCode {
    let output = match arguments.get_one::<String>("output").map(String::as_str) {
        Some("text") => Output::Text,
        _ => Output::Json,
    };
    let source = arguments
        .get_one::<String>("source_id")
        .expect("required")
        .clone();
    let simulate = cfg!(feature = "simulate") && arguments.get_flag("simulate");
    let mut simulation = None;
    let builder = if simulate {
        match simulated(&source).await {
            Ok((running, builder)) => {
                simulation = Some(running);
                Ok(builder)
            }
            Err(code) => return code,
        }
    } else {
        ClientBuilder::from_lookup(|variable| {
            let (name, ..) = CONNECTION.iter().find(|(_, env, ..)| *env == variable)?;
            arguments.get_one::<String>(name).cloned()
        })
    };
    let client = match builder.and_then(ClientBuilder::build) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(exit::CONFIG);
        }
    };
    let api = client.classify_source();
    if simulation.is_some() && name != "start" {
        if let Err(error) = api.start_classification(source.as_str()).await {
            return report(&error);
        }
        eprintln!("simulator: a classification of {source} was started");
    }
    match name {
        "start" => match api.start_classification(source.as_str()).await {
            Ok(answer) => print_answer(&answer, output),
            Err(error) => report(&error),
        },
        "status" => match api.classification_status(source.as_str()).await {
            Ok(status) => print_answer(&status, output),
            Err(error) => report(&error),
        },
        "cancel" => match api.cancel_classification(source.as_str()).await {
            Ok(()) => {
                if simulation.is_some() {
                    if let Ok(status) = api.classification_status(source.as_str()).await {
                        let state = classification::state(&status)
                            .map(ToString::to_string)
                            .unwrap_or_default();
                        eprintln!("simulator: the status is now {state}");
                    }
                }
                print_answer(&serde_json::Value::Null, output)
            }
            Err(error) => report(&error),
        },
        _ => wait(&client, &source, arguments, simulation.is_some(), output).await,
    }
}

/// A running simulator, kept alive for the whole run.
#[cfg(feature = "simulate")]
type Simulation = classify_sim::Simulator;
#[cfg(not(feature = "simulate"))]
type Simulation = ();

/// Starts the embedded simulator; a client builder for it.
#[cfg(feature = "simulate")]
async fn simulated(source: &str) -> Result<(Simulation, ClientBuilder), ExitCode> {
    let config = classify_sim::Config {
        sources: vec![source.to_owned()],
        polls_per_phase: 3,
        ..classify_sim::Config::default()
    };
    match classify_sim::Simulator::start(config).await {
        Ok(simulator) => {
            let builder = Client::builder()
                .base_url(simulator.base_url())
                .client_credentials(
                    classify_sim::DEMO_CLIENT_ID,
                    classify_sim::DEMO_CLIENT_SECRET,
                );
            Ok((simulator, builder))
        }
        Err(error) => {
            eprintln!("error: cannot start the simulator: {error}");
            Err(ExitCode::from(exit::CONFIG))
        }
    }
}

#[cfg(not(feature = "simulate"))]
async fn simulated(_source: &str) -> Result<(Simulation, ClientBuilder), ExitCode> {
    eprintln!("error: this build of classify has no simulator");
    Err(ExitCode::from(exit::USAGE))
}

async fn wait(
    client: &Client,
    source: &str,
    arguments: &ArgMatches,
    simulated: bool,
    output: Output,
) -> ExitCode {
    let defaults = WaitOptions::default();
    let options = WaitOptions {
        interval: arguments
            .get_one::<Duration>("interval")
            .copied()
            .unwrap_or(if simulated {
                Duration::from_millis(300)
            } else {
                defaults.interval
            }),
        timeout: arguments
            .get_one::<Duration>("timeout")
            .copied()
            .unwrap_or(defaults.timeout),
    };
    let mut progress = Progress::new();
    let outcome = client
        .classify_source()
        .wait_for_classification(source, options, |status| progress.show(status))
        .await;
    progress.finish();
    match outcome {
        Ok(status) => print_answer(&status, output),
        Err(WaitError::Status(error)) => report(&error),
        Err(timeout @ WaitError::Timeout { .. }) => {
            eprintln!("error: {timeout}");
            if let WaitError::Timeout {
                last: Some(last), ..
            } = &timeout
            {
                print_answer(last, output);
            }
            ExitCode::from(exit::TRANSPORT)
        }
    }
}

/// Prints an answer on stdout: pretty JSON, or `name: value` lines.
fn print_answer(value: &impl serde::Serialize, output: Output) -> ExitCode {
    let value = match serde_json::to_value(value) {
        Ok(value) => value,
        Err(error) => {
            eprintln!("error: cannot print the answer: {error}");
            return ExitCode::from(exit::API);
        }
    };
    match output {
        Output::Json => match serde_json::to_string_pretty(&value) {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("error: cannot print the answer: {error}");
                return ExitCode::from(exit::API);
            }
        },
        Output::Text => {
            let mut lines = Vec::new();
            text_lines("", &value, &mut lines);
            if lines.is_empty() {
                println!("done");
            }
            for line in lines {
                println!("{line}");
            }
        }
    }
    ExitCode::SUCCESS
}

/// `path: value` lines of a JSON value, nested names joined with dots.
fn text_lines(path: &str, value: &serde_json::Value, lines: &mut Vec<String>) {
    let join = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Object(fields) => {
            for (name, field) in fields {
                text_lines(&join(name), field, lines);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                text_lines(&join(&index.to_string()), item, lines);
            }
        }
        serde_json::Value::String(text) => lines.push(format!("{path}: {text}")),
        other => lines.push(format!("{path}: {other}")),
    }
}

/// Prints an error the way support needs it, and picks the exit code.
fn report<E: OperationError>(error: &Error<E>) -> ExitCode {
    eprintln!("error: {error}");
    match error {
        Error::Api(api) => {
            eprintln!("  status: {}", api.status());
            let body: serde_json::Value =
                serde_json::from_slice(api.raw_body()).unwrap_or(serde_json::Value::Null);
            if let Some(detail) = body.get("detailCode").and_then(|v| v.as_str()) {
                eprintln!("  detailCode: {detail}");
            }
            if let Some(messages) = body.get("messages").and_then(|v| v.as_array()) {
                for message in messages {
                    if let Some(text) = message.get("text").and_then(|v| v.as_str()) {
                        eprintln!("  message: {text}");
                    }
                }
            }
            for field in ["error", "message"] {
                if let Some(text) = body.get(field).and_then(|v| v.as_str()) {
                    eprintln!("  message: {}", text.trim());
                }
            }
            if let Some(tracking_id) = api.tracking_id() {
                eprintln!("  trackingId: {tracking_id}");
            }
            if let Some(wait) = api.retry_after() {
                eprintln!("  retry after: {} s", wait.as_secs());
            }
            ExitCode::from(exit::API)
        }
        Error::Decode { .. } | Error::AnswerTooLarge { .. } => ExitCode::from(exit::API),
        Error::Timeout { .. } | Error::Transport { .. } => ExitCode::from(exit::TRANSPORT),
        Error::Auth { .. } => ExitCode::from(exit::CONFIG),
        _ => ExitCode::from(exit::USAGE),
    }
}

/// Progress of `wait`: an indicatif bar on a terminal, plain lines
/// otherwise.
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            if let Ok(style) =
                ProgressStyle::with_template("[{bar:30}] {pos}/{len} classified, {msg}")
            {
                bar.set_style(style.progress_chars("#>-"));
            }
            bar
        });
        Self { bar }
    }

    fn show(&mut self, status: &ClassificationStatus) {
        let state =
            classification::state(status).map_or_else(|| "UNKNOWN".to_owned(), ToString::to_string);
        let classification::Progress {
            expected,
            received,
            completed,
        } = classification::progress(status).unwrap_or_default();
        match &self.bar {
            Some(bar) => {
                bar.set_length(u64::try_from(expected).unwrap_or(0));
                bar.set_position(u64::try_from(completed).unwrap_or(0));
                bar.set_message(format!("{state}, received {received}"));
            }
            None => {
                let mut stderr = std::io::stderr().lock();
                let _ = writeln!(
                    stderr,
                    "status={state} expected={expected} received={received} completed={completed}"
                );
                let _ = stderr.flush();
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}
