//! The rate budget under load, in real time: 300 concurrent calls through
//! one client against a simulator that enforces a rate limit the way
//! SailPoint does (429 with `Retry-After` beyond it). Scaled down from
//! SailPoint's 100 requests per 10 seconds to 100 per second so that the
//! test takes seconds.

use std::time::{Duration, Instant, SystemTime};

use classify_sim::{Config, Simulator, DEMO_SOURCE};
use sailpoint_v2025::{Client, RateBudget, RetryPolicy};

const CALLS: usize = 300;
const LIMIT: usize = 100;
const WINDOW: Duration = Duration::from_secs(1);

/// The most requests the simulator saw within any `WINDOW`.
fn busiest_window(arrivals: &[SystemTime]) -> usize {
    let mut arrivals = arrivals.to_vec();
    arrivals.sort();
    (0..arrivals.len())
        .map(|start| {
            arrivals[start..]
                .iter()
                .take_while(|at| at.duration_since(arrivals[start]).unwrap() < WINDOW)
                .count()
        })
        .max()
        .unwrap_or(0)
}

async fn run(budget: Option<RateBudget>) -> (Simulator, usize, Duration) {
    let sim = Simulator::start(Config {
        static_tokens: vec!["t".to_owned()],
        rate_limit: Some((LIMIT, WINDOW)),
        ..Config::default()
    })
    .await
    .unwrap();
    let client = Client::builder()
        .base_url(sim.base_url())
        .access_token("t")
        .rate_budget(budget)
        .retry_policy(RetryPolicy::default().max_attempts(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let calls: Vec<_> = (0..CALLS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .classify_source()
                    .delete_classify_machine_account_from_source(DEMO_SOURCE)
                    .await
            })
        })
        .collect();
    let mut succeeded = 0;
    for call in calls {
        if call.await.unwrap().is_ok() {
            succeeded += 1;
        }
    }
    (sim, succeeded, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_within_the_budget_meet_no_rate_limit() {
    // A budget a little under the server's limit leaves room for the time
    // requests spend on the way.
    let (sim, succeeded, elapsed) = run(Some(RateBudget::new(
        LIMIT as u32,
        WINDOW + Duration::from_millis(100),
    )))
    .await;
    let arrivals: Vec<SystemTime> = sim.requests().iter().map(|request| request.at).collect();
    eprintln!(
        "with the budget: {succeeded}/{CALLS} calls succeeded in {elapsed:?}; {} requests, busiest {WINDOW:?}: {}, 429s: {}",
        arrivals.len(),
        busiest_window(&arrivals),
        sim.rate_limited()
    );
    assert_eq!(succeeded, CALLS);
    assert_eq!(sim.rate_limited(), 0);
    assert_eq!(arrivals.len(), CALLS, "no request was sent twice");
    assert!(busiest_window(&arrivals) <= LIMIT);

    let (sim, succeeded, elapsed) = run(None).await;
    let arrivals: Vec<SystemTime> = sim.requests().iter().map(|request| request.at).collect();
    eprintln!(
        "without: {succeeded}/{CALLS} calls succeeded in {elapsed:?}; {} requests, 429s: {}",
        arrivals.len(),
        sim.rate_limited()
    );
    assert!(
        sim.rate_limited() > 0,
        "the burst is over the server's limit"
    );
}
