//! The `classify` binary, run as a user runs it.

use std::process::{Command, Output};

use classify_sim::{Config, Simulator, DEMO_SOURCE};
use test_server::{Reply, Server};

fn classify(arguments: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_classify"));
    command.args(arguments);
    for name in [
        "SAIL_BASE_URL",
        "SAIL_CLIENT_ID",
        "SAIL_CLIENT_SECRET",
        "SAIL_ACCESS_TOKEN",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command.output().unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is not JSON ({error}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_simulated_flow_runs_from_start_to_completed() {
    let output = classify(&["--simulate", "start", "src-1"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json(&output)["Accounts submitted for processing"], 1000);

    let output = classify(&["--simulate", "status", "src-1"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json(&output)["status"], "STARTED");

    let output = classify(&["--simulate", "wait", "src-1", "--interval", "0.01"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json(&output)["status"], "COMPLETED");
    assert_eq!(json(&output)["counts"]["COMPLETED"], 1000);
    let progress = stderr(&output);
    for state in ["status=STARTED", "status=COLLECTED", "status=COMPLETED"] {
        assert!(
            progress.contains(state),
            "plain progress lines off a terminal: {progress}"
        );
    }

    let output = classify(&["--simulate", "cancel", "src-1"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json(&output), serde_json::Value::Null);
    assert!(stderr(&output).contains("CANCELLED"));
}

#[test]
fn usage_and_configuration_errors_have_their_own_exit_codes() {
    let output = classify(&["stats", "src"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unrecognized subcommand 'stats'"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("Usage: classify"),
        "{}",
        stderr(&output)
    );
    let output = classify(&["wait", "src", "--interval", "0"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a positive number of seconds"));

    let output = classify(&["status", "src"], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("SAIL_BASE_URL is not set"));

    let output = classify(
        &["status", "src"],
        &[
            ("SAIL_BASE_URL", "https://acme.example"),
            ("SAIL_CLIENT_ID", "id"),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("SAIL_CLIENT_SECRET"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_errors_print_status_detail_messages_and_tracking_id() {
    let sim = Simulator::start(Config {
        static_tokens: vec!["good-token".into()],
        ..Config::default()
    })
    .await
    .unwrap();
    let base = sim.base_url();
    let output = tokio::task::spawn_blocking(move || {
        classify(
            &["status", "no-such-source"],
            &[
                ("SAIL_BASE_URL", &base),
                ("SAIL_ACCESS_TOKEN", "good-token"),
            ],
        )
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let text = stderr(&output);
    for part in [
        "status: 404",
        "detailCode: 404 Not found",
        "message: The source no-such-source does not exist.",
        "trackingId: sim",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    assert!(output.stdout.is_empty());

    let base = sim.base_url();
    let output = tokio::task::spawn_blocking(move || {
        classify(
            &["start", DEMO_SOURCE],
            &[
                ("SAIL_BASE_URL", &base),
                ("SAIL_ACCESS_TOKEN", "expired-token"),
            ],
        )
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output).contains("message: JWT validation failed"));
    assert!(
        !stderr(&output).contains("expired-token"),
        "no token in output"
    );
}

#[test]
fn transport_failures_have_their_own_exit_code() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let output = classify(
        &["status", "src"],
        &[("SAIL_BASE_URL", &closed), ("SAIL_ACCESS_TOKEN", "t")],
    );
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn help_version_and_completions() {
    let output = classify(&["--help"], &[]);
    assert!(output.status.success());
    let help = stdout(&output);
    for part in [
        "start",
        "status",
        "cancel",
        "wait",
        "completions",
        "--output",
        "Exit codes:",
    ] {
        assert!(help.contains(part), "{part:?} in {help}");
    }
    // The variables a value comes from are shown, secrets without their value.
    let output = classify(
        &["status", "--help"],
        &[
            ("SAIL_BASE_URL", "https://acme.example"),
            ("SAIL_CLIENT_SECRET", "s3cr3t"),
        ],
    );
    assert!(output.status.success());
    let help = stdout(&output);
    for part in [
        "SOURCE_ID",
        "[env: SAIL_BASE_URL=https://acme.example]",
        "[env: SAIL_CLIENT_SECRET]",
        "[env: SAIL_ACCESS_TOKEN]",
    ] {
        assert!(help.contains(part), "{part:?} in {help}");
    }
    assert!(!help.contains("s3cr3t"), "{help}");

    let output = classify(&["--version"], &[]);
    assert!(output.status.success());
    assert_eq!(
        stdout(&output).trim(),
        format!("classify {}", env!("CARGO_PKG_VERSION"))
    );

    let output = classify(&["completions", "bash"], &[]);
    assert!(output.status.success());
    assert!(
        stdout(&output).contains("_classify()"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn text_output_prints_a_field_a_line() {
    let output = classify(&["--simulate", "--output", "text", "status", "src-2"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.lines().any(|line| line == "status: STARTED"), "{text}");
    assert!(
        text.lines().any(|line| line == "counts.EXPECTED: 1000"),
        "{text}"
    );
}

#[test]
fn without_default_features_the_binary_has_no_simulator_server() {
    let tree = |extra: &[&str]| {
        let output = Command::new(env!("CARGO"))
            .args([
                "tree",
                "-p",
                "classify-cli",
                "-e",
                "normal,features",
                "--offline",
            ])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert!(tree(&[]).contains("hyper feature \"server\""));
    let without = tree(&["--no-default-features"]);
    assert!(!without.contains("hyper feature \"server\""), "{without}");
    assert!(!without.contains("classify-sim"), "{without}");
}

/// The largest resident set of the child processes waited for, in KiB.
fn children_peak_kib() -> u64 {
    use nix::sys::resource::{getrusage, UsageWho};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    u64::try_from(usage.max_rss()).unwrap_or(0)
}

#[test]
fn a_server_sending_a_gigabyte_costs_little_memory_and_one_line() {
    // A server or proxy gone wrong: a chunked body of a gigabyte.
    let server = Server::replying(Reply::Spaces {
        status: 200,
        total: Some(1 << 30),
    });
    let url = server.url();
    let started = std::time::Instant::now();
    let output = classify(
        &["status", "src-1"],
        &[
            ("SAIL_BASE_URL", url.as_str()),
            ("SAIL_ACCESS_TOKEN", "token"),
        ],
    );
    let peak_mib = children_peak_kib() / 1024;
    eprintln!(
        "classify status against 1 GB: peak {peak_mib} MiB, {:?}",
        started.elapsed()
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("larger than 33554432 bytes"), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(peak_mib < 64, "peak memory {peak_mib} MiB");
}
