//! `classify`: start, read, cancel and wait for the machine-account
//! classification of a SailPoint source, from the command line.

#![forbid(unsafe_code)]

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;
use std::time::Duration;

// Only the extension's names: they are the same whichever spec the crate
// was generated from (v2025 or the per-resource API).
use sailpoint_v2025::extensions::classify_source::{
    self as classification, ClassificationStatus, WaitError, WaitOptions,
};
use sailpoint_v2025::{Client, ClientBuilder, Error, OperationError};

const USAGE: &str = "\
usage: classify [--simulate] <command> <SOURCE_ID> [options]

commands:
  start <SOURCE_ID>     start classifying the source's accounts
  status <SOURCE_ID>    print the classification status
  cancel <SOURCE_ID>    cancel the classification
  wait <SOURCE_ID> [--interval SECS] [--timeout SECS]
                        read the status until it is COMPLETED, CANCELLED or TERMINATED
                        (defaults: every 5 s, for up to 1800 s)

  --simulate            run against an embedded simulator instead of a tenant; the
                        source exists there and, except for `start`, is being classified

environment (as SailPoint's CLI and SDKs name them):
  SAIL_BASE_URL         the tenant URL, such as https://acme.api.identitynow.com
  SAIL_CLIENT_ID, SAIL_CLIENT_SECRET    client credentials (a personal access token's)
  SAIL_ACCESS_TOKEN     or a bearer token

Answers are printed as JSON on stdout. Exit codes: 0 success, 1 configuration or
authentication error, 2 usage error, 3 error answer from the API, 4 transport
failure or timeout.";

/// The exit codes, as documented in the usage text.
mod exit {
    pub const CONFIG: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const API: u8 = 3;
    pub const TRANSPORT: u8 = 4;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    Start,
    Status,
    Cancel,
    Wait,
}

#[derive(Debug)]
struct Invocation {
    command: Command,
    source_id: String,
    simulate: bool,
    interval: Option<Duration>,
    timeout: Option<Duration>,
}

fn parse(arguments: &[String]) -> Result<Invocation, String> {
    let mut simulate = false;
    let mut interval = None;
    let mut timeout = None;
    let mut positional = Vec::new();
    let mut arguments = arguments.iter();
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--simulate" => simulate = true,
            "--interval" | "--timeout" => {
                let value = arguments
                    .next()
                    .ok_or_else(|| format!("{argument} needs a number of seconds"))?;
                let seconds: f64 = value
                    .parse()
                    .ok()
                    .filter(|seconds: &f64| seconds.is_finite() && *seconds > 0.0)
                    .ok_or_else(|| {
                        format!("{argument} {value}: not a positive number of seconds")
                    })?;
                let duration = Duration::from_secs_f64(seconds);
                if argument == "--interval" {
                    interval = Some(duration);
                } else {
                    timeout = Some(duration);
                }
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            value => positional.push(value.to_owned()),
        }
    }
    let (command, source_id) = match &positional[..] {
        [command, source_id] => (command.as_str(), source_id.clone()),
        [] => return Err("no command given".to_owned()),
        [_] => return Err("no SOURCE_ID given".to_owned()),
        [_, _, extra, ..] => return Err(format!("unexpected argument {extra}")),
    };
    let command = match command {
        "start" => Command::Start,
        "status" => Command::Status,
        "cancel" => Command::Cancel,
        "wait" => Command::Wait,
        other => return Err(format!("unknown command {other}")),
    };
    if command != Command::Wait && (interval.is_some() || timeout.is_some()) {
        return Err("--interval and --timeout go with `wait`".to_owned());
    }
    if source_id.is_empty() {
        return Err("SOURCE_ID must not be empty".to_owned());
    }
    Ok(Invocation {
        command,
        source_id,
        simulate,
        interval,
        timeout,
    })
}

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if arguments
        .iter()
        .any(|argument| argument == "-h" || argument == "--help")
    {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let invocation = match parse(&arguments) {
        Ok(invocation) => invocation,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(exit::USAGE);
        }
    };
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
    runtime.block_on(run(invocation))
}

async fn run(invocation: Invocation) -> ExitCode {
    // Kept alive for the whole run when simulating.
    let mut _simulator = None;
    let builder = if invocation.simulate {
        let config = classify_sim::Config {
            sources: vec![invocation.source_id.clone()],
            polls_per_phase: 3,
            ..classify_sim::Config::default()
        };
        let simulator = match classify_sim::Simulator::start(config).await {
            Ok(simulator) => simulator,
            Err(error) => {
                eprintln!("error: cannot start the simulator: {error}");
                return ExitCode::from(exit::CONFIG);
            }
        };
        let builder = Client::builder()
            .base_url(simulator.base_url())
            .client_credentials(
                classify_sim::DEMO_CLIENT_ID,
                classify_sim::DEMO_CLIENT_SECRET,
            );
        _simulator = Some(simulator);
        Ok(builder)
    } else {
        ClientBuilder::from_env()
    };
    let client = match builder.and_then(ClientBuilder::build) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(exit::CONFIG);
        }
    };
    let api = client.classify_source();
    let source = invocation.source_id.as_str();
    if invocation.simulate && invocation.command != Command::Start {
        if let Err(error) = api.start_classification(source).await {
            return report(&error);
        }
        eprintln!("simulator: a classification of {source} was started");
    }
    match invocation.command {
        Command::Start => match api.start_classification(source).await {
            Ok(answer) => print_json(&answer),
            Err(error) => report(&error),
        },
        Command::Status => match api.classification_status(source).await {
            Ok(status) => print_json(&status),
            Err(error) => report(&error),
        },
        Command::Cancel => match api.cancel_classification(source).await {
            Ok(()) => {
                if invocation.simulate {
                    if let Ok(status) = api.classification_status(source).await {
                        let state = classification::state(&status)
                            .map(ToString::to_string)
                            .unwrap_or_default();
                        eprintln!("simulator: the status is now {state}");
                    }
                }
                print_json(&serde_json::Value::Null)
            }
            Err(error) => report(&error),
        },
        Command::Wait => {
            let defaults = WaitOptions::default();
            let options = WaitOptions {
                interval: invocation.interval.unwrap_or(if invocation.simulate {
                    Duration::from_millis(300)
                } else {
                    defaults.interval
                }),
                timeout: invocation.timeout.unwrap_or(defaults.timeout),
            };
            let mut progress = Progress::new();
            let outcome = api
                .wait_for_classification(source, options, |status| progress.show(status))
                .await;
            progress.finish();
            match outcome {
                Ok(status) => print_json(&status),
                Err(WaitError::Status(error)) => report(&error),
                Err(timeout @ WaitError::Timeout { .. }) => {
                    eprintln!("error: {timeout}");
                    if let WaitError::Timeout {
                        last: Some(last), ..
                    } = &timeout
                    {
                        print_json(last);
                    }
                    ExitCode::from(exit::TRANSPORT)
                }
            }
        }
    }
}

fn print_json(value: &impl serde::Serialize) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot print the answer: {error}");
            ExitCode::from(exit::API)
        }
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
            let messages = body.get("messages").and_then(|v| v.as_array());
            for message in messages.into_iter().flatten() {
                if let Some(text) = message.get("text").and_then(|v| v.as_str()) {
                    eprintln!("  message: {text}");
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
        Error::Decode { .. } => ExitCode::from(exit::API),
        Error::Timeout { .. } | Error::Transport { .. } => ExitCode::from(exit::TRANSPORT),
        Error::Auth { .. } => ExitCode::from(exit::CONFIG),
        _ => ExitCode::from(exit::USAGE),
    }
}

/// Progress of `wait`: a bar on a terminal, plain lines otherwise.
struct Progress {
    terminal: bool,
    drawn: bool,
}

impl Progress {
    fn new() -> Self {
        Self {
            terminal: std::io::stderr().is_terminal(),
            drawn: false,
        }
    }

    fn show(&mut self, status: &ClassificationStatus) {
        let state =
            classification::state(status).map_or_else(|| "UNKNOWN".to_owned(), ToString::to_string);
        let classification::Progress {
            expected,
            received,
            completed,
        } = classification::progress(status).unwrap_or_default();
        let mut stderr = std::io::stderr().lock();
        if self.terminal {
            const WIDTH: i64 = 30;
            let done = if expected > 0 {
                ((received + completed) * WIDTH / (2 * expected)).clamp(0, WIDTH)
            } else {
                0
            };
            let bar: String = (0..WIDTH)
                .map(|i| if i < done { '#' } else { '-' })
                .collect();
            let _ = write!(
                stderr,
                "\r[{bar}] {state:<10} received {received}/{expected}, classified {completed}/{expected} "
            );
            self.drawn = true;
        } else {
            let _ = writeln!(
                stderr,
                "status={state} expected={expected} received={received} completed={completed}"
            );
        }
        let _ = stderr.flush();
    }

    fn finish(&self) {
        if self.drawn {
            eprintln!();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn arguments_are_parsed_and_mistakes_named() {
        let invocation = parse(&args("--simulate wait src --interval 0.5 --timeout 10")).unwrap();
        assert_eq!(invocation.command, Command::Wait);
        assert_eq!(invocation.interval, Some(Duration::from_millis(500)));
        assert_eq!(invocation.timeout, Some(Duration::from_secs(10)));
        assert!(invocation.simulate);
        for (line, message) in [
            ("", "no command"),
            ("status", "no SOURCE_ID"),
            ("stats src", "unknown command stats"),
            ("status a b", "unexpected argument b"),
            ("wait src --interval", "needs a number"),
            ("wait src --interval -1", "not a positive number"),
            ("status src --timeout 3", "go with `wait`"),
            ("status src --verbose", "unknown option --verbose"),
        ] {
            let error = parse(&args(line)).unwrap_err();
            assert!(error.contains(message), "{line:?}: {error}");
        }
    }
}
