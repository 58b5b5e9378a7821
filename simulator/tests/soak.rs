//! A soak of the runtime: many concurrent calls through one client while
//! the simulator answers 429 with `Retry-After`, 503, drops connections,
//! cuts bodies short, and issues tokens that expire every second; calls
//! come in waves over a few seconds, so that tokens expire under load.
//! Every call must end, in a value or a typed error; tokens must be fetched
//! once per expiry however many calls wait for one; no task may be left
//! running; memory must stay bounded. Waits pass on a compressed clock.
//!
//! 1,000 calls by default; `SOAK_CALLS=20000 cargo test -p classify-sim
//! --test soak -- --nocapture` runs the long form.

use std::time::{Duration, Instant, SystemTime};

use classify_sim::{
    Config, Fault, RetryAfter, Simulator, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_SOURCE,
};
use sailpoint_v2025::{BoxFuture, Client, Error, RetryPolicy, Timer};

/// The system's clock (the simulator judges token expiry by it), with
/// sleeps cut to a few milliseconds: backoff and `Retry-After` waits pass
/// fast while their order is kept.
struct CompressedTimer;

impl Timer for CompressedTimer {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration.min(Duration::from_millis(5))))
    }
}

fn peak_memory_mib() -> u64 {
    use nix::sys::resource::{getrusage, UsageWho};
    let usage = getrusage(UsageWho::RUSAGE_SELF).expect("getrusage");
    u64::try_from(usage.max_rss()).unwrap_or(0) / 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_under_faults_all_end_with_one_token_request_per_expiry() {
    let calls: usize = std::env::var("SOAK_CALLS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1000);
    let token_ttl = Duration::from_secs(1);
    let sim = Simulator::start(Config {
        token_ttl,
        ..Config::default()
    })
    .await
    .unwrap();
    let client = Client::builder()
        .base_url(sim.base_url())
        .client_credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
        .timer(CompressedTimer)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(6)
                .initial_backoff(Duration::from_millis(1)),
        )
        .request_timeout(Duration::from_secs(10))
        // The budget's own test is elsewhere: here it would only slow the soak.
        .rate_budget(None)
        .build()
        .unwrap();
    client
        .classify_source()
        .start_classification(DEMO_SOURCE)
        .await
        .unwrap();
    // Four faults for every ten calls, in a fixed rotation.
    let faults = calls * 4 / 10;
    for index in 0..faults {
        sim.inject(match index % 4 {
            0 => Fault::TooManyRequests(Some(RetryAfter::Seconds(1))),
            1 => Fault::Status(503),
            2 => Fault::DropConnection,
            _ => Fault::TruncatedBody,
        });
    }
    let started = Instant::now();
    let tasks: Vec<_> = (0..calls)
        .map(|index| {
            let client = client.clone();
            // A wave of a hundred calls every 300 ms.
            let wave = Duration::from_millis(300) * u32::try_from(index / 100).unwrap_or(u32::MAX);
            tokio::spawn(async move {
                tokio::time::sleep(wave).await;
                client
                    .classify_source()
                    .classification_status(DEMO_SOURCE)
                    .await
            })
        })
        .collect();
    let (mut succeeded, mut failed) = (0, 0);
    for task in tasks {
        let outcome = tokio::time::timeout(Duration::from_secs(120), task)
            .await
            .expect("a call did not end")
            .expect("a call panicked");
        match outcome {
            Ok(_) => succeeded += 1,
            Err(
                Error::Api(_)
                | Error::Transport { .. }
                | Error::Timeout { .. }
                | Error::Decode { .. },
            ) => failed += 1,
            Err(other) => panic!("an unexpected failure: {other}"),
        }
    }
    let elapsed = started.elapsed();
    let token_requests = sim.token_requests().len();
    let requests = sim.requests().len();
    drop(client);
    drop(sim);
    // Connection tasks end with the client and the server.
    let metrics = tokio::runtime::Handle::current().metrics();
    let mut alive = metrics.num_alive_tasks();
    for _ in 0..300 {
        if alive == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        alive = metrics.num_alive_tasks();
    }
    let peak = peak_memory_mib();
    eprintln!(
        "soak: {calls} calls ({succeeded} succeeded, {failed} failed with a typed error) in {elapsed:?}; \
         {faults} faults injected over {requests} API requests; {token_requests} token requests \
         (tokens live {token_ttl:?}); {alive} tasks left; peak memory {peak} MiB"
    );
    assert_eq!(succeeded + failed, calls);
    assert!(
        succeeded >= calls * 9 / 10,
        "{succeeded} of {calls} succeeded"
    );
    // A token is refreshed at three quarters of its life: one request per
    // refresh, however many calls wait for it, and one to start.
    let refreshes = elapsed.as_secs_f64() / (token_ttl.as_secs_f64() * 0.75);
    assert!(
        (token_requests as f64) <= refreshes.ceil() + 2.0,
        "{token_requests} token requests in {elapsed:?}"
    );
    assert!(token_requests >= 2, "tokens did not expire during the soak");
    assert_eq!(alive, 0, "tasks left running");
    assert!(peak < 512, "peak memory {peak} MiB");
}
