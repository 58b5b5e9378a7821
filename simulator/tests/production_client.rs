//! The generated client over the simulator: authentication, retries, time
//! limits and safety, with a fake clock so that no test waits for real.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use classify_sim::{
    Config, Fault, RetryAfter, Simulator, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_SOURCE,
};
use sailpoint_v2025::models::SourceClassificationStatusStatus as Status;
use sailpoint_v2025::{BoxFuture, Client, Error, RetryPolicy, Timer};

/// A clock that moves only when the client sleeps, and records the sleeps.
#[derive(Clone)]
struct FakeTimer {
    now: Arc<Mutex<SystemTime>>,
    sleeps: Arc<Mutex<Vec<Duration>>>,
}

impl FakeTimer {
    fn new() -> Self {
        Self {
            now: Arc::new(Mutex::new(SystemTime::now())),
            sleeps: Arc::new(Mutex::new(Vec::new())),
        }
    }

    fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }

    fn advance(&self, by: Duration) {
        *self.now.lock().unwrap() += by;
    }
}

impl Timer for FakeTimer {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.sleeps.lock().unwrap().push(duration);
        self.advance(duration);
        Box::pin(std::future::ready(()))
    }
}

async fn simulator() -> Simulator {
    Simulator::start(Config::default()).await.unwrap()
}

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_secs(1))
}

fn client_with(sim: &Simulator, timer: &FakeTimer, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .client_credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
        .timer(timer.clone())
        .retry_policy(policy)
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Post,
    Get,
    Delete,
}

/// Runs one operation; the outcome as a short word for the matrix.
async fn call(client: &Client, op: Op) -> Result<(), String> {
    let api = client.classify_source();
    let describe = |error: &dyn std::fmt::Debug| {
        let text = format!("{error:?}");
        text.split([' ', '(', '{'])
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    match op {
        Op::Post => api
            .send_classify_machine_account_from_source(DEMO_SOURCE)
            .await
            .map(drop)
            .map_err(|error| outcome_of(&error).unwrap_or_else(|| describe(&error))),
        Op::Get => api
            .get_classify_machine_account_from_source_status(DEMO_SOURCE)
            .await
            .map(drop)
            .map_err(|error| outcome_of(&error).unwrap_or_else(|| describe(&error))),
        Op::Delete => api
            .delete_classify_machine_account_from_source(DEMO_SOURCE)
            .await
            .map(drop)
            .map_err(|error| outcome_of(&error).unwrap_or_else(|| describe(&error))),
    }
}

fn outcome_of<E>(error: &Error<E>) -> Option<String> {
    Some(match error {
        Error::Api(api) => format!("HTTP {}", api.status().as_u16()),
        Error::Decode { .. } => "Decode".into(),
        Error::Timeout { .. } => "Timeout".into(),
        Error::Transport { .. } => "Transport".into(),
        Error::Auth { .. } => "Auth".into(),
        _ => return None,
    })
}

/// A started process, so that GET has something to read.
async fn started(sim: &Simulator) {
    let client = client_with(sim, &FakeTimer::new(), RetryPolicy::none());
    call(&client, Op::Post).await.unwrap();
}

/// A fault, how many times it is injected, the operation, how many attempts
/// the server sees, and the outcome.
type Row = (Fault, usize, Op, usize, Result<(), &'static str>);

#[tokio::test]
async fn fault_matrix_attempts_and_outcomes() {
    let rows: Vec<Row> = vec![
        (
            Fault::TooManyRequests(Some(RetryAfter::Seconds(2))),
            1,
            Op::Post,
            2,
            Ok(()),
        ),
        (
            Fault::TooManyRequests(Some(RetryAfter::Seconds(2))),
            1,
            Op::Get,
            2,
            Ok(()),
        ),
        (
            Fault::TooManyRequests(Some(RetryAfter::Seconds(2))),
            1,
            Op::Delete,
            2,
            Ok(()),
        ),
        (
            Fault::TooManyRequests(None),
            5,
            Op::Post,
            3,
            Err("HTTP 429"),
        ),
        (Fault::Status(503), 1, Op::Post, 1, Err("HTTP 503")),
        (Fault::Status(503), 1, Op::Get, 2, Ok(())),
        (Fault::Status(500), 1, Op::Delete, 2, Ok(())),
        (Fault::Status(502), 5, Op::Get, 3, Err("HTTP 502")),
        (Fault::Status(501), 1, Op::Get, 1, Err("HTTP 501")),
        (Fault::DropConnection, 1, Op::Post, 1, Err("Transport")),
        (Fault::DropConnection, 1, Op::Get, 2, Ok(())),
        (
            Fault::Delay(Duration::from_secs(2)),
            1,
            Op::Post,
            1,
            Err("Timeout"),
        ),
        (Fault::Delay(Duration::from_secs(2)), 1, Op::Get, 2, Ok(())),
        (Fault::MalformedJson, 1, Op::Get, 1, Err("Decode")),
        (Fault::TruncatedBody, 1, Op::Post, 1, Err("Transport")),
        (Fault::TruncatedBody, 1, Op::Get, 2, Ok(())),
    ];
    let mut table = String::from("fault | method | attempts | outcome\n");
    for (fault, times, op, attempts, outcome) in rows {
        let sim = simulator().await;
        started(&sim).await;
        let before = sim.requests().len();
        sim.inject_times(fault.clone(), times);
        let timer = FakeTimer::new();
        let result = call(&client_with(&sim, &timer, policy()), op).await;
        let seen = sim.requests().len() - before;
        table.push_str(&format!(
            "{fault:?} ×{times} | {op:?} | {seen} | {result:?}\n"
        ));
        assert_eq!(seen, attempts, "{fault:?} on {op:?}: attempts");
        assert_eq!(
            result.as_ref().map(|_| ()).map_err(String::as_str),
            outcome,
            "{fault:?} on {op:?}"
        );
        assert_eq!(
            timer.sleeps().len(),
            attempts - 1,
            "{fault:?} on {op:?}: one wait per retry"
        );
    }
    println!("{table}");
}

#[tokio::test]
async fn retry_after_is_honoured_in_seconds_and_as_a_date() {
    let sim = simulator().await;
    started(&sim).await;
    let timer = FakeTimer::new();
    let client = client_with(&sim, &timer, policy());
    sim.inject(Fault::TooManyRequests(Some(RetryAfter::Seconds(7))));
    call(&client, Op::Post).await.unwrap();
    assert_eq!(timer.sleeps(), [Duration::from_secs(7)]);

    let timer = FakeTimer::new();
    let client = client_with(&sim, &timer, policy());
    // From the client's clock, not the wall's: building the client took
    // milliseconds, which would otherwise count in the wait.
    let in_30_seconds = timer.now() + Duration::from_secs(30);
    sim.inject(Fault::TooManyRequests(Some(RetryAfter::Date(
        in_30_seconds,
    ))));
    call(&client, Op::Get).await.unwrap();
    let waited = timer.sleeps()[0];
    assert!(
        waited > Duration::from_secs(27) && waited <= Duration::from_secs(30),
        "{waited:?}"
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_or_the_deadline_returns_the_typed_429_at_once() {
    let sim = simulator().await;
    started(&sim).await;
    let timer = FakeTimer::new();
    let client = client_with(
        &sim,
        &timer,
        policy().max_retry_after(Duration::from_secs(10)),
    );
    sim.inject(Fault::TooManyRequests(Some(RetryAfter::Seconds(3600))));
    let error = client
        .classify_source()
        .get_classify_machine_account_from_source_status(DEMO_SOURCE)
        .await
        .unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert!(timer.sleeps().is_empty());
    assert_eq!(sim.requests().len(), 2, "the start and one status read");

    let timer = FakeTimer::new();
    let client = client_with(
        &sim,
        &timer,
        policy().deadline(Some(Duration::from_secs(5))),
    );
    sim.inject_times(Fault::TooManyRequests(Some(RetryAfter::Seconds(4))), 3);
    let error = client
        .classify_source()
        .get_classify_machine_account_from_source_status(DEMO_SOURCE)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(
        timer.sleeps(),
        [Duration::from_secs(4)],
        "a second 4 s wait would pass 5 s"
    );
}

#[tokio::test]
async fn backoff_grows_with_full_jitter_and_none_disables_retries() {
    let sim = simulator().await;
    started(&sim).await;
    let timer = FakeTimer::new();
    let client = client_with(&sim, &timer, policy().max_attempts(5));
    sim.inject_times(Fault::Status(503), 4);
    call(&client, Op::Get).await.unwrap();
    let sleeps = timer.sleeps();
    assert_eq!(sleeps.len(), 4);
    for (retry, sleep) in sleeps.iter().enumerate() {
        let ceiling = Duration::from_millis(100 * (1 << retry)).min(Duration::from_secs(1));
        assert!(*sleep <= ceiling, "retry {retry}: {sleep:?} > {ceiling:?}");
    }

    let timer = FakeTimer::new();
    let client = client_with(&sim, &timer, RetryPolicy::none());
    sim.inject(Fault::Status(503));
    assert_eq!(call(&client, Op::Get).await, Err("HTTP 503".into()));
    assert!(timer.sleeps().is_empty());
}

#[tokio::test]
async fn a_post_is_retried_when_the_connection_could_not_be_opened() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let timer = FakeTimer::new();
    let client = Client::builder()
        .base_url(closed)
        .access_token("t")
        .timer(timer.clone())
        .retry_policy(policy())
        .build()
        .unwrap();
    assert_eq!(call(&client, Op::Post).await, Err("Transport".into()));
    assert_eq!(timer.sleeps().len(), 2, "3 attempts in all");
}

#[tokio::test]
async fn the_wire_carries_one_bearer_header_the_experimental_header_and_an_encoded_path() {
    let sim = simulator().await;
    let timer = FakeTimer::new();
    let client = client_with(&sim, &timer, policy());
    let error = client
        .classify_source()
        .get_classify_machine_account_from_source_status("a b/c+d")
        .await
        .unwrap_err();
    assert_eq!(
        error.status().map(|s| s.as_u16()),
        Some(404),
        "an unknown source"
    );
    let request = &sim.requests()[0];
    assert_eq!(request.target, "/v2025/sources/a%20b%2Fc%2Bd/classify");
    let authorization: Vec<_> = request.headers.get_all("authorization").iter().collect();
    assert_eq!(authorization, ["Bearer sim-token-1"]);
    assert_eq!(request.headers["x-sailpoint-experimental"], "true");

    let token_request = &sim.token_requests()[0];
    assert_eq!(token_request.method, "POST");
    assert_eq!(token_request.target, "/oauth/token");
    assert_eq!(
        token_request.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        std::str::from_utf8(&token_request.body).unwrap(),
        "grant_type=client_credentials&client_id=sim-client-id&client_secret=sim-client-secret"
    );
    assert!(token_request.headers.get("authorization").is_none());
}

#[tokio::test]
async fn the_simulator_checks_the_experimental_header_like_the_service() {
    let sim = simulator().await;
    let client = client_with(&sim, &FakeTimer::new(), policy());
    let error = client
        .classify_source()
        .send_classify_machine_account_from_source(DEMO_SOURCE)
        .x_sail_point_experimental("")
        .await;
    // An empty value is still a header; the service only wants it present.
    assert!(error.is_ok());
    let raw = reqwest_without_header(&sim).await;
    assert_eq!(raw, 400);
}

/// The status the simulator gives a request without the experimental header.
async fn reqwest_without_header(sim: &Simulator) -> u16 {
    let client = sailpoint_v2025::reqwest::Client::new();
    let answer = client
        .post(format!("{}/oauth/token", sim.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            "grant_type=client_credentials&client_id=sim-client-id&client_secret=sim-client-secret",
        )
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let token: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    client
        .get(format!(
            "{}/v2025/sources/{DEMO_SOURCE}/classify",
            sim.base_url()
        ))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_calls_share_one_token_request() {
    let sim = simulator().await;
    started(&sim).await;
    let tokens_before = sim.token_requests().len();
    let client = client_with(&sim, &FakeTimer::new(), policy());
    let calls: Vec<_> = (0..50)
        .map(|_| {
            tokio::spawn(
                client
                    .classify_source()
                    .get_classify_machine_account_from_source_status(DEMO_SOURCE)
                    .send(),
            )
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(sim.token_requests().len() - tokens_before, 1);
}

#[tokio::test]
async fn the_rate_budget_spaces_calls_on_the_clients_clock() {
    let sim = simulator().await;
    let timer = FakeTimer::new();
    // The default budget: SailPoint's 100 requests per 10 seconds.
    let client = client_with(&sim, &timer, policy());
    let classify = client.classify_source();
    for _ in 0..250 {
        classify
            .delete_classify_machine_account_from_source(DEMO_SOURCE)
            .await
            .unwrap();
    }
    assert_eq!(sim.requests().len(), 250);
    // Request 101 waits until the first has left the window, request 201
    // until the 101st has; the clock moves only when the client sleeps.
    assert_eq!(
        timer.sleeps(),
        [Duration::from_secs(10), Duration::from_secs(10)]
    );
    // Clones share the budget; `None` turns it off.
    let clone = client.clone();
    clone
        .classify_source()
        .delete_classify_machine_account_from_source(DEMO_SOURCE)
        .await
        .unwrap();
    assert_eq!(
        timer.sleeps().len(),
        2,
        "the 251st fits after the second wait"
    );
    for _ in 0..99 {
        clone
            .classify_source()
            .delete_classify_machine_account_from_source(DEMO_SOURCE)
            .await
            .unwrap();
    }
    assert_eq!(timer.sleeps().len(), 3, "the 301st waits, on the clone");
    let unlimited = Client::builder()
        .base_url(sim.base_url())
        .client_credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
        .timer(timer.clone())
        .rate_budget(None)
        .build()
        .unwrap();
    for _ in 0..150 {
        unlimited
            .classify_source()
            .delete_classify_machine_account_from_source(DEMO_SOURCE)
            .await
            .unwrap();
    }
    assert_eq!(timer.sleeps().len(), 3);
}

#[tokio::test]
async fn tokens_are_refreshed_before_they_expire() {
    let sim = Simulator::start(Config {
        token_ttl: Duration::from_secs(600),
        ..Config::default()
    })
    .await
    .unwrap();
    started(&sim).await;
    let timer = FakeTimer::new();
    let client = client_with(&sim, &timer, policy());
    call(&client, Op::Get).await.unwrap();
    timer.advance(Duration::from_secs(500));
    call(&client, Op::Get).await.unwrap();
    assert_eq!(
        sim.token_requests().len(),
        2,
        "one for start, one for the client"
    );
    timer.advance(Duration::from_secs(50));
    call(&client, Op::Get).await.unwrap();
    assert_eq!(
        sim.token_requests().len(),
        3,
        "540 s into a 600 s token: refreshed"
    );
}

#[tokio::test]
async fn short_lived_tokens_get_a_smaller_margin() {
    let sim = Simulator::start(Config {
        token_ttl: Duration::from_secs(8),
        ..Config::default()
    })
    .await
    .unwrap();
    started(&sim).await;
    let timer = FakeTimer::new();
    let client = client_with(&sim, &timer, policy());
    call(&client, Op::Get).await.unwrap();
    timer.advance(Duration::from_secs(5));
    call(&client, Op::Get).await.unwrap();
    assert_eq!(
        sim.token_requests().len(),
        2,
        "5 s into 8 s is before the 2 s margin"
    );
    timer.advance(Duration::from_secs(2));
    call(&client, Op::Get).await.unwrap();
    assert_eq!(sim.token_requests().len(), 3, "7 s into 8 s is inside it");
}

#[tokio::test]
async fn a_401_replaces_the_token_and_retries_once() {
    let sim = simulator().await;
    started(&sim).await;
    let client = client_with(&sim, &FakeTimer::new(), policy());
    call(&client, Op::Get).await.unwrap();
    sim.revoke_tokens();
    let before = sim.requests().len();
    call(&client, Op::Get).await.unwrap();
    assert_eq!(sim.requests().len() - before, 2, "the 401, then the retry");
    assert_eq!(sim.token_requests().len(), 3);
    let last = sim.requests().last().unwrap().clone();
    assert_eq!(last.headers["authorization"], "Bearer sim-token-3");

    // A fixed token cannot be replaced: the 401 is the answer.
    let fixed = Client::builder()
        .base_url(sim.base_url())
        .access_token("not-a-valid-token")
        .timer(FakeTimer::new())
        .build()
        .unwrap();
    let before = sim.requests().len();
    assert_eq!(call(&fixed, Op::Get).await, Err("HTTP 401".into()));
    assert_eq!(sim.requests().len() - before, 1);
}

#[tokio::test]
async fn a_failing_token_endpoint_is_an_auth_error_with_status_and_body() {
    let sim = simulator().await;
    sim.fail_next_token_request(503);
    let client = client_with(&sim, &FakeTimer::new(), policy());
    let error = client
        .classify_source()
        .get_classify_machine_account_from_source_status(DEMO_SOURCE)
        .await
        .unwrap_err();
    let Error::Auth { source, .. } = &error else {
        panic!("expected Auth, got {error:?}");
    };
    assert_eq!(source.status().map(|s| s.as_u16()), Some(503));
    assert!(source
        .body()
        .unwrap()
        .contains("simulated token endpoint failure"));
    assert!(sim.requests().is_empty(), "no API call without a token");

    let wrong = Client::builder()
        .base_url(sim.base_url())
        .client_credentials(DEMO_CLIENT_ID, "wrong-secret-value")
        .build()
        .unwrap();
    let error = call(&wrong, Op::Get).await.unwrap_err();
    assert_eq!(error, "Auth");
}

#[tokio::test]
async fn no_secret_appears_in_any_formatted_output() {
    let sim = simulator().await;
    sim.fail_next_token_request(401);
    let secret = DEMO_CLIENT_SECRET;
    let builder = Client::builder()
        .base_url(sim.base_url())
        .client_credentials(DEMO_CLIENT_ID, secret);
    assert!(!format!("{builder:?}").contains(secret));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(secret));
    let error = client
        .classify_source()
        .get_classify_machine_account_from_source_status(DEMO_SOURCE)
        .await
        .unwrap_err();
    for shown in [
        format!("{error}"),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
    let client = client_with(&sim, &FakeTimer::new(), policy());
    sim.inject(Fault::Status(500));
    let error = client
        .classify_source()
        .send_classify_machine_account_from_source(DEMO_SOURCE)
        .await
        .unwrap_err();
    for shown in [format!("{error}"), format!("{error:?}")] {
        assert!(
            !shown.contains(secret) && !shown.contains("sim-token"),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn the_process_runs_from_started_to_completed_and_can_be_cancelled() {
    let sim = simulator().await;
    let client = client_with(&sim, &FakeTimer::new(), policy());
    let api = client.classify_source();
    let submitted = api
        .send_classify_machine_account_from_source(DEMO_SOURCE)
        .await
        .unwrap();
    assert_eq!(submitted.accounts_submitted_for_processing, Some(1000));
    let mut seen = Vec::new();
    for _ in 0..5 {
        let status = api
            .get_classify_machine_account_from_source_status(DEMO_SOURCE)
            .await
            .unwrap();
        seen.push(status.status.unwrap());
    }
    assert_eq!(
        seen,
        [
            Status::Started,
            Status::Started,
            Status::Collected,
            Status::Collected,
            Status::Completed
        ]
    );
    api.send_classify_machine_account_from_source(DEMO_SOURCE)
        .await
        .unwrap();
    api.delete_classify_machine_account_from_source(DEMO_SOURCE)
        .await
        .unwrap();
    let status = api
        .get_classify_machine_account_from_source_status(DEMO_SOURCE)
        .await
        .unwrap();
    assert_eq!(status.status, Some(Status::Cancelled));

    sim.inject(Fault::UnknownStatusValue("PAUSED".into()));
    let status = api
        .get_classify_machine_account_from_source_status(DEMO_SOURCE)
        .await
        .unwrap();
    assert_eq!(status.status, Some(Status::Unknown("PAUSED".into())));
}

mod waiting {
    use super::*;
    use sailpoint_v2025::extensions::classify_source::{WaitError, WaitOptions};

    fn options(interval: u64, timeout: u64) -> WaitOptions {
        WaitOptions {
            interval: Duration::from_secs(interval),
            timeout: Duration::from_secs(timeout),
        }
    }

    #[tokio::test]
    async fn waiting_reports_progress_and_returns_the_final_status() {
        let sim = simulator().await;
        let timer = FakeTimer::new();
        let client = client_with(&sim, &timer, policy());
        let api = client.classify_source();
        api.send_classify_machine_account_from_source(DEMO_SOURCE)
            .await
            .unwrap();
        let mut progress = Vec::new();
        let last = api
            .wait_for_classification(DEMO_SOURCE, options(3, 60), |status| {
                let counts = status.counts.as_ref().unwrap();
                progress.push((
                    status.status.clone().unwrap(),
                    counts.received,
                    counts.completed,
                ));
            })
            .await
            .unwrap();
        assert_eq!(last.status, Some(Status::Completed));
        assert_eq!(
            progress,
            [
                (Status::Started, 0, 0),
                (Status::Started, 500, 0),
                (Status::Collected, 1000, 0),
                (Status::Collected, 1000, 500),
                (Status::Completed, 1000, 1000),
            ]
        );
        assert_eq!(timer.sleeps(), [Duration::from_secs(3); 4]);
    }

    #[tokio::test]
    async fn waiting_ends_at_a_cancellation() {
        let sim = simulator().await;
        let client = client_with(&sim, &FakeTimer::new(), policy());
        let api = client.classify_source();
        api.send_classify_machine_account_from_source(DEMO_SOURCE)
            .await
            .unwrap();
        api.delete_classify_machine_account_from_source(DEMO_SOURCE)
            .await
            .unwrap();
        let last = api
            .wait_for_classification(DEMO_SOURCE, options(1, 10), |_| {})
            .await
            .unwrap();
        assert_eq!(last.status, Some(Status::Cancelled));
    }

    #[tokio::test]
    async fn a_timeout_carries_the_last_status_seen() {
        let sim = Simulator::start(Config {
            polls_per_phase: 100,
            ..Config::default()
        })
        .await
        .unwrap();
        let timer = FakeTimer::new();
        let client = client_with(&sim, &timer, policy());
        let api = client.classify_source();
        api.send_classify_machine_account_from_source(DEMO_SOURCE)
            .await
            .unwrap();
        let error = api
            .wait_for_classification(DEMO_SOURCE, options(4, 10), |_| {})
            .await
            .unwrap_err();
        let WaitError::Timeout { waited, last } = &error else {
            panic!("expected a timeout, got {error:?}");
        };
        assert_eq!(*waited, Duration::from_secs(8));
        let last = last.as_ref().unwrap();
        assert_eq!(last.status, Some(Status::Started));
        assert_eq!(last.counts.as_ref().unwrap().received, 20);
        assert!(error.to_string().contains("it was last STARTED"), "{error}");
    }

    #[tokio::test]
    async fn waiting_on_an_unknown_source_fails_with_the_typed_404() {
        let sim = simulator().await;
        let client = client_with(&sim, &FakeTimer::new(), policy());
        let error = client
            .classify_source()
            .wait_for_classification("no-such-source", options(1, 10), |_| {})
            .await
            .unwrap_err();
        let WaitError::Status(error) = error else {
            panic!("expected the status error, got {error:?}");
        };
        assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
        assert!(error.tracking_id().is_some());
    }
}
