//! Calls leave `tracing` spans per call and per attempt, with the
//! operation, method, path template, status, attempt and delay, and never a
//! secret.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use classify_sim::{Config, Fault, Simulator, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_SOURCE};
use sailpoint_v2025::{Client, RetryPolicy};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Writes every span, recorded value and event as a line of text.
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

struct Text(String);

impl Visit for Text {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut text = Text(format!("span#{id} {}", span.metadata().name()));
        span.record(&mut text);
        self.lines.lock().unwrap().push(text.0);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut text = Text(format!("record#{}", span.into_u64()));
        values.record(&mut text);
        self.lines.lock().unwrap().push(text.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut text = Text("event".to_owned());
        event.record(&mut text);
        self.lines.lock().unwrap().push(text.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[test]
fn spans_name_the_call_and_each_attempt_and_hold_no_secret() {
    let recorder = Recorder::default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(recorder.clone(), || {
        runtime.block_on(async {
            let sim = Simulator::start(Config::default()).await.unwrap();
            let client = Client::builder()
                .base_url(sim.base_url())
                .client_credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
                .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
                .build()
                .unwrap();
            let api = client.classify_source();
            api.send_classify_machine_account_from_source(DEMO_SOURCE)
                .await
                .unwrap();
            sim.inject(Fault::Status(503));
            api.get_classify_machine_account_from_source_status(DEMO_SOURCE)
                .await
                .unwrap();
        });
    });
    let lines = recorder.lines.lock().unwrap().join("\n");
    assert!(
        lines.contains(r#"sailpoint.call operation="getClassifyMachineAccountFromSourceStatus" method=GET path="/sources/{sourceId}/classify""#),
        "{lines}"
    );
    assert!(lines.contains("sailpoint.attempt attempt=1"), "{lines}");
    assert!(lines.contains("sailpoint.attempt attempt=2"), "{lines}");
    assert!(lines.contains(" status=503"), "{lines}");
    assert!(lines.contains(" status=200"), "{lines}");
    assert!(lines.contains(" delay_ms="), "{lines}");
    assert!(lines.contains(" attempts=2"), "{lines}");
    for secret in [DEMO_CLIENT_SECRET, "sim-token", "Bearer"] {
        assert!(
            !lines.contains(secret),
            "{secret:?} leaked into traces:\n{lines}"
        );
    }
}
