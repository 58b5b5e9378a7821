//! A simulator of SailPoint's Classify Source API, as v2025 publishes it
//! (`/v2025/sources/{id}/classify`) and as the per-resource API does
//! (`/sources/v1/{id}/classify`), and of `/oauth/token`, listening on
//! loopback with a real HTTP server.
//!
//! It keeps a classification process per source, checks the bearer token
//! and the `X-SailPoint-Experimental` header as the real service does, and
//! can inject faults into the next requests: rate limiting with
//! `Retry-After`, server errors, dropped connections, slow, malformed or
//! truncated answers, status values the spec does not know, and failing or
//! short-lived tokens. It records every request it receives.

#![forbid(unsafe_code)]

use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body::{Body, Frame, SizeHint};
use serde_json::{json, Value};
use tokio::net::TcpListener;

/// A source the simulator knows from the start.
pub const DEMO_SOURCE: &str = "ef38f94347e94562b5bb8424a56397d8";

/// The client id the simulator's token endpoint accepts by default.
pub const DEMO_CLIENT_ID: &str = "sim-client-id";

/// The client secret the simulator's token endpoint accepts by default.
pub const DEMO_CLIENT_SECRET: &str = "sim-client-secret";

/// What the simulator accepts and how processes advance.
#[derive(Debug, Clone)]
pub struct Config {
    pub client_id: String,
    pub client_secret: String,
    /// The lifetime of the tokens it issues.
    pub token_ttl: Duration,
    /// Bearer tokens accepted without the token endpoint (like a token in
    /// `SAIL_ACCESS_TOKEN`).
    pub static_tokens: Vec<String>,
    /// Sources that exist; others are 404.
    pub sources: Vec<String>,
    /// Accounts a source holds.
    pub accounts_per_source: i64,
    /// Status reads that a phase (collecting, classifying) takes.
    pub polls_per_phase: i64,
    /// SailPoint's rate limit: more than this many API requests within the
    /// window are answered 429 with `Retry-After` (whole seconds, rounded
    /// up), as the real service does. Off by default.
    pub rate_limit: Option<(usize, Duration)>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            client_id: DEMO_CLIENT_ID.to_owned(),
            client_secret: DEMO_CLIENT_SECRET.to_owned(),
            token_ttl: Duration::from_secs(3600),
            static_tokens: Vec::new(),
            sources: vec![DEMO_SOURCE.to_owned()],
            accounts_per_source: 1000,
            polls_per_phase: 2,
            rate_limit: None,
        }
    }
}

/// How a 429 tells when to come back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryAfter {
    Seconds(u64),
    Date(SystemTime),
}

/// A misbehaviour, applied to the next API request (not token requests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 429 with the 429 body and, if given, `Retry-After`.
    TooManyRequests(Option<RetryAfter>),
    /// This status with an `ErrorResponseDto` body.
    Status(u16),
    /// Closes the connection without answering.
    DropConnection,
    /// Answers normally after this delay.
    Delay(Duration),
    /// A 200 whose body is not JSON.
    MalformedJson,
    /// A 200 whose body stops halfway, connection closed.
    TruncatedBody,
    /// The process reports this status value, which the spec does not list.
    UnknownStatusValue(String),
}

/// A request as the simulator received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: Method,
    /// The request target exactly as sent.
    pub target: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// When it arrived, by the system clock.
    pub at: SystemTime,
}

#[derive(Debug, Clone)]
struct Process {
    status: String,
    started: SystemTime,
    updated: Option<SystemTime>,
    expected: i64,
    received: i64,
    completed: i64,
}

#[derive(Debug, Default)]
struct State {
    processes: BTreeMap<String, Process>,
    tokens: BTreeMap<String, SystemTime>,
    issued: u64,
    faults: VecDeque<Fault>,
    token_faults: VecDeque<u16>,
    requests: Vec<Recorded>,
    token_requests: Vec<Recorded>,
    /// API requests answered 429 by the rate limit.
    rate_limited: usize,
}

/// The running simulator; it stops accepting connections when dropped.
pub struct Simulator {
    address: SocketAddr,
    config: Arc<Config>,
    state: Arc<Mutex<State>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl Simulator {
    /// Starts a simulator on `127.0.0.1` at a free port.
    pub async fn start(config: Config) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let config = Arc::new(config);
        let state = Arc::new(Mutex::new(State::default()));
        let accept = {
            let config = Arc::clone(&config);
            let state = Arc::clone(&state);
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let config = Arc::clone(&config);
                    let state = Arc::clone(&state);
                    tokio::spawn(async move {
                        let service = hyper::service::service_fn(move |request| {
                            let config = Arc::clone(&config);
                            let state = Arc::clone(&state);
                            async move { handle(request, &config, &state).await }
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                            .await;
                    });
                }
            })
        };
        Ok(Self {
            address,
            config,
            state,
            accept,
        })
    }

    /// `http://127.0.0.1:PORT`, the tenant URL to give a client.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Applies `fault` to the next API request that no earlier fault takes.
    pub fn inject(&self, fault: Fault) {
        self.inject_times(fault, 1);
    }

    /// Applies `fault` to the next `times` API requests.
    pub fn inject_times(&self, fault: Fault, times: usize) {
        let mut state = self.state();
        state.faults.extend(std::iter::repeat_n(fault, times));
    }

    /// The next token request is answered with `status`.
    pub fn fail_next_token_request(&self, status: u16) {
        self.state().token_faults.push_back(status);
    }

    /// Every token issued so far stops being valid, as after a key rotation.
    pub fn revoke_tokens(&self) {
        self.state().tokens.clear();
    }

    /// The API requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state().requests.clone()
    }

    /// The token requests received so far.
    pub fn token_requests(&self) -> Vec<Recorded> {
        self.state().token_requests.clone()
    }

    /// How many API requests the rate limit answered 429 so far.
    pub fn rate_limited(&self) -> usize {
        self.state().rate_limited
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A body that is either whole or cut off after its first half.
struct SimBody {
    data: Option<Bytes>,
    declared: u64,
    truncated: bool,
}

impl SimBody {
    fn whole(data: impl Into<Bytes>) -> Self {
        let data = data.into();
        Self {
            declared: data.len() as u64,
            data: Some(data),
            truncated: false,
        }
    }

    fn truncated(data: impl Into<Bytes>) -> Self {
        let data: Bytes = data.into();
        let declared = data.len() as u64;
        Self {
            data: Some(data.slice(..data.len() / 2)),
            declared,
            truncated: true,
        }
    }
}

impl Body for SimBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.data.take() {
            Some(data) => Poll::Ready(Some(Ok(Frame::data(data)))),
            None if self.truncated => {
                self.truncated = false;
                Poll::Ready(Some(Err(io::Error::other("body cut off by the simulator"))))
            }
            None => Poll::Ready(None),
        }
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.declared)
    }
}

type SimResponse = Response<SimBody>;

fn json_response(status: StatusCode, body: &Value) -> SimResponse {
    let mut response = Response::new(SimBody::whole(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

fn error_dto(status: StatusCode, detail: &str, text: &str) -> SimResponse {
    json_response(
        status,
        &json!({
            "detailCode": detail,
            "trackingId": format!("sim{:029x}", tracking_number()),
            "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": text}],
            "causes": []
        }),
    )
}

fn tracking_number() -> u128 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or_default()
}

fn unauthorized(reason: &str) -> SimResponse {
    json_response(StatusCode::UNAUTHORIZED, &json!({ "error": reason }))
}

fn timestamp(at: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(at).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The connection is dropped when a request's handling fails.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by the simulator")
    }
}

impl std::error::Error for Dropped {}

async fn handle(
    request: Request<hyper::body::Incoming>,
    config: &Config,
    state: &Mutex<State>,
) -> Result<SimResponse, Dropped> {
    let (parts, body) = request.into_parts();
    let body = collect(body).await.map_err(|_| Dropped)?;
    let recorded = Recorded {
        method: parts.method.clone(),
        target: parts
            .uri
            .path_and_query()
            .map(ToString::to_string)
            .unwrap_or_default(),
        headers: parts.headers.clone(),
        body,
        at: SystemTime::now(),
    };
    if parts.uri.path() == "/oauth/token" {
        lock(state).token_requests.push(recorded.clone());
        return Ok(token(&recorded, config, state));
    }
    let (fault, over_limit) = {
        let mut state = lock(state);
        state.requests.push(recorded.clone());
        let over_limit = config.rate_limit.and_then(|(allowed, window)| {
            let recent: Vec<SystemTime> = state
                .requests
                .iter()
                .map(|request| request.at)
                .filter(|at| {
                    recorded
                        .at
                        .duration_since(*at)
                        .is_ok_and(|age| age < window)
                })
                .collect();
            (recent.len() > allowed).then(|| {
                // When the oldest request of the window leaves it.
                let oldest = recent.iter().min().copied().unwrap_or(recorded.at);
                let leaves = (oldest + window)
                    .duration_since(recorded.at)
                    .unwrap_or_default();
                leaves.as_secs() + u64::from(leaves.subsec_nanos() > 0)
            })
        });
        if over_limit.is_some() {
            state.rate_limited += 1;
        }
        (state.faults.pop_front(), over_limit)
    };
    if let Some(seconds) = over_limit {
        let mut response = json_response(
            StatusCode::TOO_MANY_REQUESTS,
            &json!({ "message": " Rate Limit Exceeded " }),
        );
        response
            .headers_mut()
            .insert(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
        return Ok(response);
    }
    let fault = match fault {
        Some(Fault::Delay(wait)) => {
            tokio::time::sleep(wait).await;
            None
        }
        other => other,
    };
    match fault {
        Some(Fault::DropConnection) => return Err(Dropped),
        Some(Fault::TooManyRequests(retry_after)) => {
            let mut response = json_response(
                StatusCode::TOO_MANY_REQUESTS,
                &json!({ "message": " Rate Limit Exceeded " }),
            );
            let value = match retry_after {
                Some(RetryAfter::Seconds(seconds)) => Some(seconds.to_string()),
                Some(RetryAfter::Date(at)) => Some(
                    chrono::DateTime::<chrono::Utc>::from(at)
                        .format("%a, %d %b %Y %H:%M:%S GMT")
                        .to_string(),
                ),
                None => None,
            };
            if let Some(value) = value.and_then(|value| value.parse().ok()) {
                response
                    .headers_mut()
                    .insert(http::header::RETRY_AFTER, value);
            }
            return Ok(response);
        }
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return Ok(error_dto(
                status,
                &format!("{code} Simulated"),
                "A simulated failure.",
            ));
        }
        Some(Fault::MalformedJson) => {
            let mut response =
                Response::new(SimBody::whole(r#"{"status": "COMPLETED", "counts": "#));
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            return Ok(response);
        }
        _ => {}
    }
    let response = classify(&recorded, config, state, fault.as_ref());
    Ok(match fault {
        Some(Fault::TruncatedBody) => {
            let (parts, body) = response.into_parts();
            let data = body.data.unwrap_or_default();
            Response::from_parts(parts, SimBody::truncated(data))
        }
        _ => response,
    })
}

async fn collect(mut body: hyper::body::Incoming) -> Result<Bytes, hyper::Error> {
    let mut collected = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        if let Ok(data) = frame?.into_data() {
            collected.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(collected))
}

fn token(request: &Recorded, config: &Config, state: &Mutex<State>) -> SimResponse {
    if request.method != Method::POST {
        return error_dto(
            StatusCode::METHOD_NOT_ALLOWED,
            "405 Method Not Allowed",
            "Use POST.",
        );
    }
    if let Some(status) = lock(state).token_faults.pop_front() {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return json_response(
            status,
            &json!({"error": "server_error", "error_description": "simulated token endpoint failure"}),
        );
    }
    let form: BTreeMap<String, String> = url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return json_response(
            StatusCode::BAD_REQUEST,
            &json!({"error": "unsupported_grant_type"}),
        );
    }
    let id_matches = form.get("client_id") == Some(&config.client_id);
    let secret_matches = form.get("client_secret") == Some(&config.client_secret);
    if !(id_matches && secret_matches) {
        return json_response(
            StatusCode::UNAUTHORIZED,
            &json!({"error": "invalid_client", "error_description": "Bad credentials"}),
        );
    }
    let mut state = lock(state);
    state.issued += 1;
    let token = format!("sim-token-{}", state.issued);
    state
        .tokens
        .insert(token.clone(), SystemTime::now() + config.token_ttl);
    json_response(
        StatusCode::OK,
        &json!({
            "access_token": token,
            "token_type": "bearer",
            "expires_in": config.token_ttl.as_secs_f64().ceil() as u64,
            "scope": "sp:scopes:all",
        }),
    )
}

/// Checks the request like the real service and runs the operation.
fn classify(
    request: &Recorded,
    config: &Config,
    state: &Mutex<State>,
    fault: Option<&Fault>,
) -> SimResponse {
    let path = request.target.split('?').next().unwrap_or_default();
    let source = ["/v2025/sources/", "/sources/v1/"]
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
        .and_then(|rest| rest.strip_suffix("/classify"))
        .filter(|segment| !segment.is_empty() && !segment.contains('/'));
    let Some(source) = source else {
        return error_dto(StatusCode::NOT_FOUND, "404 Not found", "No such endpoint.");
    };
    let source = percent_encoding::percent_decode_str(source)
        .decode_utf8_lossy()
        .into_owned();
    let mut state = lock(state);
    let authorization: Vec<&str> = request
        .headers
        .get_all(http::header::AUTHORIZATION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    let [authorization] = authorization[..] else {
        return unauthorized("JWT validation failed: exactly one Authorization header is required");
    };
    let Some(token) = authorization.strip_prefix("Bearer ") else {
        return unauthorized("JWT validation failed: not a bearer token");
    };
    let valid = config.static_tokens.iter().any(|known| known == token)
        || state
            .tokens
            .get(token)
            .is_some_and(|expires| SystemTime::now() < *expires);
    if !valid {
        return unauthorized("JWT validation failed: JWT is expired");
    }
    if request.headers.get("x-sailpoint-experimental").is_none() {
        return error_dto(
            StatusCode::BAD_REQUEST,
            "400.1 Bad Request Content",
            "The X-SailPoint-Experimental header is required for this experimental API.",
        );
    }
    if !config.sources.contains(&source) {
        return error_dto(
            StatusCode::NOT_FOUND,
            "404 Not found",
            &format!("The source {source} does not exist."),
        );
    }
    let now = SystemTime::now();
    match request.method {
        Method::POST => {
            let expected = config.accounts_per_source;
            state.processes.insert(
                source,
                Process {
                    status: "STARTED".to_owned(),
                    started: now,
                    updated: None,
                    expected,
                    received: 0,
                    completed: 0,
                },
            );
            json_response(
                StatusCode::OK,
                &json!({ "Accounts submitted for processing": expected }),
            )
        }
        Method::DELETE => {
            if let Some(process) = state.processes.get_mut(&source) {
                if matches!(process.status.as_str(), "STARTED" | "COLLECTED") {
                    process.status = "CANCELLED".to_owned();
                    process.updated = Some(now);
                }
            }
            let mut response = Response::new(SimBody::whole(Bytes::new()));
            *response.status_mut() = StatusCode::NO_CONTENT;
            response
        }
        Method::GET => {
            let Some(process) = state.processes.get_mut(&source) else {
                return error_dto(
                    StatusCode::NOT_FOUND,
                    "404 Not found",
                    &format!("No classification process for source {source}."),
                );
            };
            let view = process.clone();
            advance(process, config.polls_per_phase, now);
            let status = match fault {
                Some(Fault::UnknownStatusValue(value)) => value.clone(),
                _ => view.status.clone(),
            };
            json_response(
                StatusCode::OK,
                &json!({
                    "status": status,
                    "started": timestamp(view.started),
                    "updated": view.updated.map(timestamp),
                    "counts": {
                        "EXPECTED": view.expected,
                        "RECEIVED": view.received,
                        "COMPLETED": view.completed,
                    },
                }),
            )
        }
        _ => error_dto(
            StatusCode::METHOD_NOT_ALLOWED,
            "405 Method Not Allowed",
            "Use GET, POST or DELETE.",
        ),
    }
}

/// One status read's worth of progress: accounts are collected, then
/// classified, each phase over `polls_per_phase` reads.
fn advance(process: &mut Process, polls_per_phase: i64, now: SystemTime) {
    let step = (process.expected + polls_per_phase - 1) / polls_per_phase.max(1);
    match process.status.as_str() {
        "STARTED" => {
            process.received = (process.received + step).min(process.expected);
            if process.received == process.expected {
                process.status = "COLLECTED".to_owned();
            }
        }
        "COLLECTED" => {
            process.completed = (process.completed + step).min(process.expected);
            if process.completed == process.expected {
                process.status = "COMPLETED".to_owned();
            }
        }
        _ => return,
    }
    process.updated = Some(now);
}
