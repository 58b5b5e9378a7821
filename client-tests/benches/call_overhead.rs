//! What a call through the generated client costs beyond the HTTP round
//! trip: each operation against a loopback server, next to the same
//! request made and decoded with bare `reqwest`.
//!
//! Criterion reports each side; then the two are run interleaved, call by
//! call, and the median of the pairwise ratios is printed as
//! `ratio <operation> <median>`, so the comparison holds on a noisy machine.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use sailpoint_v2025::models::{
    SendClassifyMachineAccountFromSourceResponse, SourceClassificationStatus,
};
use sailpoint_v2025::{Client, RetryPolicy};
use test_server::{Reply, Server};

const SOURCE: &str = "ef38f94347e94562b5bb8424a56397d8";
const TOKEN: &str = "bench-token";
const STATUS: &str = r#"{"status": "COLLECTED", "started": "2017-07-11T18:45:37.098Z", "updated": null,
    "counts": {"EXPECTED": 1000, "RECEIVED": 800, "COMPLETED": 500}}"#;

#[derive(Clone, Copy, Debug)]
enum Operation {
    Get,
    Post,
    Delete,
}

struct Rig {
    runtime: tokio::runtime::Runtime,
    _server: Server,
    base: String,
    client: Client,
    bare: sailpoint_v2025::reqwest::Client,
}

impl Rig {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = Server::start(|request| match request.method.as_str() {
            "POST" => Reply::json(200, r#"{"Accounts submitted for processing": 100}"#),
            "DELETE" => Reply::empty(204),
            _ => Reply::json(200, STATUS),
        });
        let base = server.url();
        let client = Client::builder()
            .base_url(&base)
            .access_token(TOKEN)
            .retry_policy(RetryPolicy::none())
            // Thousands of calls a second: the budget would be the figure.
            .rate_budget(None)
            .build()
            .unwrap();
        Self {
            runtime,
            _server: server,
            base,
            client,
            // The same client settings as the generated client's defaults,
            // so that only the code between them is compared.
            bare: sailpoint_v2025::reqwest::Client::builder()
                .user_agent("sailpoint-v2025/0.1.0")
                .connect_timeout(sailpoint_v2025::DEFAULT_CONNECT_TIMEOUT)
                .timeout(sailpoint_v2025::DEFAULT_REQUEST_TIMEOUT)
                .build()
                .unwrap(),
        }
    }

    async fn generated(&self, operation: Operation) {
        let api = self.client.classify_source();
        match operation {
            Operation::Get => {
                api.get_classify_machine_account_from_source_status(SOURCE)
                    .await
                    .unwrap();
            }
            Operation::Post => {
                api.send_classify_machine_account_from_source(SOURCE)
                    .await
                    .unwrap();
            }
            Operation::Delete => {
                api.delete_classify_machine_account_from_source(SOURCE)
                    .await
                    .unwrap();
            }
        }
    }

    /// The same request, headers and decoding, written by hand.
    async fn bare(&self, operation: Operation) {
        let url = format!("{}/v2025/sources/{SOURCE}/classify", self.base);
        let method = match operation {
            Operation::Get => sailpoint_v2025::reqwest::Method::GET,
            Operation::Post => sailpoint_v2025::reqwest::Method::POST,
            Operation::Delete => sailpoint_v2025::reqwest::Method::DELETE,
        };
        let response = self
            .bare
            .request(method, url)
            .header("accept", "application/json")
            .header("x-sailpoint-experimental", "true")
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        let body = response.bytes().await.unwrap();
        match operation {
            Operation::Get => {
                serde_json::from_slice::<SourceClassificationStatus>(&body).unwrap();
            }
            Operation::Post => {
                serde_json::from_slice::<SendClassifyMachineAccountFromSourceResponse>(&body)
                    .unwrap();
            }
            Operation::Delete => {}
        }
    }
}

const OPERATIONS: [(&str, Operation); 3] = [
    ("get_status", Operation::Get),
    ("send_classify", Operation::Post),
    ("delete_classify", Operation::Delete),
];

fn call_overhead(c: &mut Criterion) {
    let rig = Rig::new();
    let mut group = c.benchmark_group("call");
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_secs(1));
    for (name, operation) in OPERATIONS {
        group.bench_function(format!("{name}/generated"), |b| {
            b.iter(|| rig.runtime.block_on(rig.generated(operation)));
        });
        group.bench_function(format!("{name}/bare_reqwest"), |b| {
            b.iter(|| rig.runtime.block_on(rig.bare(operation)));
        });
    }
    group.finish();
    for (name, operation) in OPERATIONS {
        let mut ratios: Vec<f64> = (0..2000)
            .map(|round| {
                // Alternate which side goes first, so neither always finds a warm path.
                let (first, second) = if round % 2 == 0 {
                    (true, false)
                } else {
                    (false, true)
                };
                let mut times = [Duration::ZERO; 2];
                for generated in [first, second] {
                    let started = Instant::now();
                    rig.runtime.block_on(async {
                        if generated {
                            rig.generated(operation).await;
                        } else {
                            rig.bare(operation).await;
                        }
                    });
                    times[usize::from(!generated)] = started.elapsed();
                }
                times[0].as_secs_f64() / times[1].as_secs_f64()
            })
            .collect();
        ratios.sort_by(f64::total_cmp);
        println!("ratio {name} {:.3}", ratios[ratios.len() / 2]);
    }
}

criterion_group!(benches, call_overhead);
criterion_main!(benches);
