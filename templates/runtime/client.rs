//! The HTTP client that every operation goes through.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument as _;

use super::auth::{AccessToken, BoxFuture, ClientCredentials, StaticToken, TokenSource};
use super::error::{ApiError, Error};
use super::retry::{is_idempotent, Jitter, RetryPolicy, Timer, TokioTimer};

/// Variables read by [`Client::from_env`], as SailPoint's SDKs and CLI name them.
pub const ENV_BASE_URL: &str = "SAIL_BASE_URL";
/// The client id of client credentials (such as a personal access token's).
pub const ENV_CLIENT_ID: &str = "SAIL_CLIENT_ID";
/// The client secret of client credentials.
pub const ENV_CLIENT_SECRET: &str = "SAIL_CLIENT_SECRET";
/// A bearer token to send as it is.
pub const ENV_ACCESS_TOKEN: &str = "SAIL_ACCESS_TOKEN";

/// Default time to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for one attempt, from sending to the end of the body.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A client of the SailPoint Identity Security Cloud API.
///
/// Cloning is cheap: clones share one connection pool and one token source.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    http: reqwest::Client,
    /// The tenant URL with the spec's server path, without a trailing slash.
    api_base: String,
    tokens: Arc<dyn TokenSource>,
    retry: RetryPolicy,
    timer: Arc<dyn Timer>,
    jitter: Jitter,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_base", &self.inner.api_base)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the tenant at `base_url` (such as
    /// `https://acme.api.identitynow.com`) that sends `access_token` as its
    /// bearer token.
    pub fn new(base_url: &str, access_token: impl Into<String>) -> Result<Self, ConfigError> {
        Self::builder()
            .base_url(base_url)
            .access_token(access_token)
            .build()
    }

    /// A client configured from `SAIL_BASE_URL` and either
    /// `SAIL_CLIENT_ID` with `SAIL_CLIENT_SECRET`, or `SAIL_ACCESS_TOKEN`.
    pub fn from_env() -> Result<Self, ConfigError> {
        ClientBuilder::from_env()?.build()
    }

    /// A builder for every setting of the client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The clock and sleep the client waits with.
    pub fn timer(&self) -> Arc<dyn Timer> {
        Arc::clone(&self.inner.timer)
    }

    /// The URL that operation paths are appended to, such as
    /// `https://acme.api.identitynow.com/v2025`.
    pub fn api_base_url(&self) -> &str {
        &self.inner.api_base
    }

    /// Sends `request`, retrying as the policy says, and reads the whole
    /// answer of the last attempt, whatever its status. Not generic: the
    /// retry loop is compiled once, not once per operation.
    async fn execute(&self, request: ApiRequest) -> Result<RawResponse, CallError> {
        let span = tracing::info_span!(
            "sailpoint.call",
            operation = request.operation,
            method = %request.method,
            path = request.path_template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        // Entering a span on every poll costs a few percent of a loopback
        // call; spans nobody listens to are not entered.
        if span.is_disabled() {
            self.execute_with_retries(request, &span).await
        } else {
            self.execute_with_retries(request, &span)
                .instrument(span.clone())
                .await
        }
    }

    async fn execute_with_retries(
        &self,
        request: ApiRequest,
        call_span: &tracing::Span,
    ) -> Result<RawResponse, CallError> {
        let policy = &self.inner.retry;
        let started = self.inner.timer.now();
        let idempotent = is_idempotent(&request.method);
        let mut attempt = 1;
        let mut refreshed_token = false;
        loop {
            let attempt_span = tracing::debug_span!(
                "sailpoint.attempt",
                attempt,
                status = tracing::field::Empty,
                delay_ms = tracing::field::Empty,
            );
            let (token, outcome) = if attempt_span.is_disabled() {
                self.attempt(&request).await?
            } else {
                self.attempt(&request)
                    .instrument(attempt_span.clone())
                    .await?
            };
            let status = outcome.as_ref().ok().map(|response| response.status);
            if let Some(status) = status {
                attempt_span.record("status", status.as_u16());
                call_span.record("status", status.as_u16());
            }
            call_span.record("attempts", attempt);
            // A rejected token is replaced once, outside the retry budget.
            if status == Some(http::StatusCode::UNAUTHORIZED)
                && !refreshed_token
                && self.inner.tokens.can_refresh()
            {
                self.inner.tokens.invalidate(&token);
                refreshed_token = true;
                continue;
            }
            let Some(wait) = self.retry_wait(&outcome, idempotent, attempt) else {
                return outcome;
            };
            let elapsed = self
                .inner
                .timer
                .now()
                .duration_since(started)
                .unwrap_or_default();
            let past_deadline = policy
                .deadline_limit()
                .is_some_and(|deadline| elapsed + wait > deadline);
            if attempt >= policy.attempts() || past_deadline {
                return outcome;
            }
            attempt_span.record(
                "delay_ms",
                u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            );
            tracing::debug!(parent: &attempt_span, ?wait, "retrying");
            self.inner.timer.sleep(wait).await;
            attempt += 1;
        }
    }

    /// How long to wait before trying again, or `None` when the outcome is
    /// final.
    fn retry_wait(
        &self,
        outcome: &Result<RawResponse, CallError>,
        idempotent: bool,
        attempt: u32,
    ) -> Option<Duration> {
        let policy = &self.inner.retry;
        let backoff = || policy.backoff(attempt, &self.inner.jitter);
        match outcome {
            Ok(response) if response.status == http::StatusCode::TOO_MANY_REQUESTS => {
                match super::error::retry_after(&response.headers, self.inner.timer.now()) {
                    Some(wait) if wait > policy.retry_after_cap() => None,
                    Some(wait) => Some(wait),
                    None => Some(backoff()),
                }
            }
            Ok(response) => {
                let transient = matches!(response.status.as_u16(), 500 | 502 | 503 | 504);
                (transient && idempotent).then(backoff)
            }
            // The connection was never opened: the request did not leave.
            Err(Error::Transport { source, .. }) if source.is_connect() => Some(backoff()),
            Err(Error::Transport { .. } | Error::Timeout { .. }) => idempotent.then(backoff),
            Err(_) => None,
        }
    }

    /// One attempt: the token it used, and the answer or transport error.
    async fn attempt(
        &self,
        request: &ApiRequest,
    ) -> Result<(AccessToken, Result<RawResponse, CallError>), CallError> {
        let operation = request.operation;
        let url = format!("{}{}", self.inner.api_base, request.path);
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .header(http::header::ACCEPT, request.accept);
        if let Some((content_type, body)) = &request.body {
            builder = builder
                .header(http::header::CONTENT_TYPE, content_type.as_str())
                .body(body.clone());
        }
        for (name, value) in &request.headers {
            let value = http::HeaderValue::from_str(value).map_err(|_| Error::InvalidRequest {
                operation,
                message: format!("header {name} must be visible ASCII text, got {value:?}"),
            })?;
            builder = builder.header(*name, value);
        }
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        let token = match self.inner.tokens.cached() {
            Some(token) => token,
            None => self
                .inner
                .tokens
                .token()
                .await
                .map_err(|source| Error::Auth { operation, source })?,
        };
        let mut authorization = http::HeaderValue::from_str(&format!("Bearer {}", token.secret()))
            .map_err(|_| Error::Auth {
                operation,
                source: super::auth::AuthError::new("the access token is not valid header text"),
            })?;
        authorization.set_sensitive(true);
        let sent = builder
            .header(http::header::AUTHORIZATION, authorization)
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(source) => return Ok((token, Err(Error::transport(operation, source)))),
        };
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(source) => return Ok((token, Err(Error::transport(operation, source)))),
        };
        Ok((
            token,
            Ok(RawResponse {
                operation,
                status,
                headers,
                body,
            }),
        ))
    }
}

/// The failures of a call before its answer is decoded: none of them is an
/// operation's documented error.
type CallError = Error<std::convert::Infallible>;

/// Sends a prepared request and decodes its answer. The one future that
/// every operation's `send` returns: only this small part is generic.
pub(crate) fn call<T, E>(
    prepared: Result<(Client, ApiRequest), Error<E>>,
    decode: fn(RawResponse) -> Result<T, Error<E>>,
) -> BoxFuture<'static, Result<T, Error<E>>>
where
    T: Send + 'static,
    E: Send + 'static,
{
    match prepared {
        Ok((client, request)) => Box::pin(async move {
            let response = client.execute(request).await.map_err(Error::widen)?;
            decode(response)
        }),
        Err(error) => Box::pin(std::future::ready(Err(error))),
    }
}

/// A request as an operation describes it: path already encoded.
pub(crate) struct ApiRequest {
    operation: &'static str,
    method: http::Method,
    /// The path as the spec writes it, for traces.
    path_template: &'static str,
    path: String,
    accept: &'static str,
    /// Content type and bytes, kept whole so that a retry sends them again.
    body: Option<(String, bytes::Bytes)>,
    headers: Vec<(&'static str, String)>,
    query: Vec<(&'static str, String)>,
}

impl ApiRequest {
    pub(crate) fn new(
        operation: &'static str,
        method: http::Method,
        path_template: &'static str,
        path: String,
        accept: &'static str,
    ) -> Self {
        Self {
            operation,
            method,
            path_template,
            path,
            accept,
            body: None,
            headers: Vec::new(),
            query: Vec::new(),
        }
    }

    #[allow(dead_code)] // Not every spec needs it.
    pub(crate) fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    #[allow(dead_code)] // Used by operations with query parameters.
    pub(crate) fn query(&mut self, name: &'static str, value: String) {
        self.query.push((name, value));
    }

    /// A JSON body, sent as `content_type` (such as `application/json-patch+json`).
    #[allow(dead_code)] // Used by operations with JSON bodies.
    pub(crate) fn json_body<T: serde::Serialize, E>(
        &mut self,
        content_type: &str,
        value: &T,
    ) -> Result<(), Error<E>> {
        let bytes = serde_json::to_vec(value).map_err(|error| Error::InvalidRequest {
            operation: self.operation,
            message: format!("the body cannot be written as JSON: {error}"),
        })?;
        self.body = Some((content_type.to_owned(), bytes.into()));
        Ok(())
    }

    /// A form body: each top-level field of `value`, text as it is and
    /// anything else as JSON.
    #[allow(dead_code)] // Used by operations with form bodies.
    pub(crate) fn form_body<T: serde::Serialize, E>(&mut self, value: &T) -> Result<(), Error<E>> {
        let invalid = |message: String| Error::InvalidRequest {
            operation: self.operation,
            message,
        };
        let fields = match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(fields)) => fields,
            Ok(other) => {
                return Err(invalid(format!(
                    "a form body must be an object, not {other}"
                )))
            }
            Err(error) => return Err(invalid(format!("the body cannot be written: {error}"))),
        };
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in fields {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::String(text) => {
                    form.append_pair(&name, &text);
                }
                other => {
                    form.append_pair(&name, &other.to_string());
                }
            }
        }
        self.body = Some((
            "application/x-www-form-urlencoded".to_owned(),
            form.finish().into(),
        ));
        Ok(())
    }

    /// A `multipart/form-data` body.
    #[allow(dead_code)] // Used by operations with multipart bodies.
    pub(crate) fn multipart_body(&mut self, body: super::multipart::Multipart) {
        self.body = Some(body.encode());
    }

    /// Bytes as they are, sent as `content_type`.
    #[allow(dead_code)] // Used by operations with binary bodies.
    pub(crate) fn binary_body(&mut self, content_type: &str, body: bytes::Bytes) {
        self.body = Some((content_type.to_owned(), body));
    }
}

/// Checks a path parameter before it goes into the path: an empty value
/// would silently address another resource.
#[allow(dead_code)] // Not every spec needs it.
pub(crate) fn path_param<E>(
    operation: &'static str,
    name: &str,
    value: &str,
) -> Result<String, Error<E>> {
    if value.is_empty() {
        return Err(Error::InvalidRequest {
            operation,
            message: format!("path parameter {name} must not be empty"),
        });
    }
    Ok(super::encoding::path_segment(value))
}

/// A whole answer, before the operation gives it a type.
pub(crate) struct RawResponse {
    operation: &'static str,
    status: http::StatusCode,
    headers: http::HeaderMap,
    body: bytes::Bytes,
}

impl RawResponse {
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes a success body.
    #[allow(dead_code)] // Not every spec needs it.
    pub(crate) fn json<T: serde::de::DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body)
            .map_err(|error| Error::decode(self.operation, self.status, &self.body, &error))
    }

    /// A success whose body is not JSON: the bytes as received.
    #[allow(dead_code)] // Used by operations with such answers.
    pub(crate) fn bytes<E>(self) -> Result<bytes::Bytes, Error<E>> {
        Ok(self.body)
    }

    /// A documented error whose body is not JSON: the bytes as received.
    #[allow(dead_code)] // Used by operations with such answers.
    pub(crate) fn error_bytes<E>(self, variant: fn(bytes::Bytes) -> E) -> Error<E> {
        let body = self.body.clone();
        self.api_error(variant(body))
    }

    /// A success without a body; whatever was sent is ignored.
    #[allow(dead_code)] // Not every spec needs it.
    pub(crate) fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// Decodes a documented error body into its variant. An empty body reads
    /// as `{}`, as gateways answer some errors without one.
    #[allow(dead_code)] // Not every spec needs it.
    pub(crate) fn error<T: serde::de::DeserializeOwned, E>(self, variant: fn(T) -> E) -> Error<E> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &self.body
        };
        match serde_json::from_slice(body) {
            Ok(value) => self.api_error(variant(value)),
            Err(error) => Error::decode(self.operation, self.status, &self.body, &error),
        }
    }

    /// An error status whose body the spec does not describe.
    pub(crate) fn api_error<E>(self, error: E) -> Error<E> {
        Error::Api(Box::new(ApiError::new(
            self.operation,
            self.status,
            self.headers,
            self.body,
            error,
        )))
    }
}

/// A setting of the client is missing or wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Where tokens come from, as configured.
enum Credentials {
    Token(String),
    IdAndSecret { id: String, secret: String },
    Source(Arc<dyn TokenSource>),
}

/// Builds a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    credentials: Option<Credentials>,
    http: Option<reqwest::Client>,
    extra_roots: Vec<Vec<u8>>,
    user_agent: Option<String>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    timer: Option<Arc<dyn Timer>>,
    allow_insecure_http: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.credentials {
            None => "none",
            Some(Credentials::Token(_)) => "access token",
            Some(Credentials::IdAndSecret { .. }) => "client credentials",
            Some(Credentials::Source(_)) => "token source",
        };
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &credentials)
            .field("extra_roots", &self.extra_roots.len())
            .field("user_agent", &self.user_agent)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("retry", &self.retry)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder configured from the environment: `SAIL_BASE_URL`, and
    /// either `SAIL_CLIENT_ID` with `SAIL_CLIENT_SECRET` or
    /// `SAIL_ACCESS_TOKEN`. More settings can follow.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] with variables from `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let read = |name: &str| -> Result<Option<String>, ConfigError> {
            match lookup(name) {
                None => Ok(None),
                Some(value) if value.trim().is_empty() => {
                    Err(ConfigError::new(format!("{name} is set but empty")))
                }
                Some(value) => Ok(Some(value.trim().to_owned())),
            }
        };
        let base_url = read(ENV_BASE_URL)?.ok_or_else(|| {
            ConfigError::new(format!(
                "{ENV_BASE_URL} is not set: give the tenant URL, such as https://acme.api.identitynow.com"
            ))
        })?;
        api_base(&base_url, false)
            .map_err(|error| ConfigError::new(format!("{ENV_BASE_URL}: {}", error.message)))?;
        let builder = Self::default().base_url(base_url);
        match (
            read(ENV_CLIENT_ID)?,
            read(ENV_CLIENT_SECRET)?,
            read(ENV_ACCESS_TOKEN)?,
        ) {
            (Some(id), Some(secret), _) => Ok(builder.client_credentials(id, secret)),
            (Some(_), None, _) => Err(ConfigError::new(format!(
                "{ENV_CLIENT_ID} is set but {ENV_CLIENT_SECRET} is not"
            ))),
            (None, Some(_), _) => Err(ConfigError::new(format!(
                "{ENV_CLIENT_SECRET} is set but {ENV_CLIENT_ID} is not"
            ))),
            (None, None, Some(token)) => Ok(builder.access_token(token)),
            (None, None, None) => Err(ConfigError::new(format!(
                "no credentials: set {ENV_CLIENT_ID} and {ENV_CLIENT_SECRET}, or {ENV_ACCESS_TOKEN}"
            ))),
        }
    }

    /// The tenant's URL, such as `https://acme.api.identitynow.com`; the
    /// spec's server path (`/v2025`) is appended unless the URL already
    /// ends with it. Any other path is kept in front of it.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The tenant by name: `acme` is `https://acme.api.identitynow.com`.
    pub fn tenant(self, tenant: &str) -> Self {
        self.base_url(format!("https://{tenant}.api.identitynow.com"))
    }

    /// Sends this fixed bearer token.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Token(token.into()));
        self
    }

    /// Gets tokens with OAuth2 client credentials from the tenant's
    /// `/oauth/token`, and refreshes them before they expire.
    pub fn client_credentials(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::IdAndSecret {
            id: id.into(),
            secret: secret.into(),
        });
        self
    }

    /// Takes bearer tokens from `source`.
    pub fn token_source(mut self, source: impl TokenSource) -> Self {
        self.credentials = Some(Credentials::Source(Arc::new(source)));
        self
    }

    /// Sends requests with this `reqwest` client; its own timeouts, proxies
    /// and TLS settings then apply, and the builder's timeouts, roots and
    /// user agent are ignored.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Also trusts this root certificate (DER-encoded), as behind a proxy
    /// that inspects TLS; Mozilla's roots stay trusted.
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.extra_roots.push(der.into());
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The time to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The time for one attempt, from sending to the end of the body
    /// (default 60 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// How failed calls are retried ([`RetryPolicy::default`] unless set).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The clock and sleep used for retries and token expiry.
    pub fn timer(mut self, timer: impl Timer) -> Self {
        self.timer = Some(Arc::new(timer));
        self
    }

    /// Accepts a plain `http` base URL that is not loopback. Tokens then
    /// travel in clear text: only for test rigs.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let base_url = self
            .base_url
            .ok_or_else(|| ConfigError::new("no base URL was given"))?;
        let api_base = api_base(&base_url, self.allow_insecure_http)?;
        let tenant_base = api_base
            .strip_suffix(crate::SERVER_BASE_PATH)
            .unwrap_or(&api_base)
            .to_owned();
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut http = reqwest::Client::builder()
                    .user_agent(self.user_agent.unwrap_or_else(default_user_agent))
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .timeout(self.request_timeout.unwrap_or(DEFAULT_REQUEST_TIMEOUT));
                for der in &self.extra_roots {
                    // Only parsed when the client is built: errors show there.
                    http = http.add_root_certificate(
                        reqwest::Certificate::from_der(der).map_err(http_client_error)?,
                    );
                }
                http.build().map_err(http_client_error)?
            }
        };
        let timer = self.timer.unwrap_or_else(|| Arc::new(TokioTimer));
        let tokens: Arc<dyn TokenSource> = match self.credentials {
            None => {
                return Err(ConfigError::new(
                    "no access token or client credentials were given",
                ))
            }
            Some(Credentials::Token(token)) => Arc::new(StaticToken::new(token)),
            Some(Credentials::Source(source)) => source,
            Some(Credentials::IdAndSecret { id, secret }) => Arc::new(ClientCredentials::new(
                http.clone(),
                format!("{tenant_base}/oauth/token"),
                id,
                secret,
                Arc::clone(&timer),
            )),
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                api_base,
                tokens,
                retry: self.retry.unwrap_or_default(),
                timer,
                jitter: Jitter::new(),
            }),
        })
    }
}

/// Why reqwest refused to build a client, with the cause it wraps (such as
/// a root certificate that does not parse).
fn http_client_error(error: reqwest::Error) -> ConfigError {
    let mut message = format!("the HTTP client cannot be built: {error}");
    if let Some(cause) = std::error::Error::source(&error) {
        message.push_str(&format!(": {cause}"));
    }
    ConfigError::new(message)
}

fn default_user_agent() -> String {
    format!("{}/{}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
}

/// The base URL with the server path of the spec, checked.
fn api_base(base_url: &str, allow_insecure_http: bool) -> Result<String, ConfigError> {
    let url = reqwest::Url::parse(base_url.trim()).map_err(|error| {
        ConfigError::new(format!("base URL {base_url:?} is not a URL: {error}"))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(ConfigError::new(format!(
                "base URL {base_url:?} is plain http: use https (only loopback hosts may use http)"
            )))
        }
        other => {
            return Err(ConfigError::new(format!(
                "base URL {base_url:?} has scheme {other:?}: use https"
            )))
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::new(format!(
            "base URL {base_url:?} must not have a query or a fragment"
        )));
    }
    let base = url.as_str().trim_end_matches('/');
    if base.ends_with(crate::SERVER_BASE_PATH) {
        Ok(base.to_owned())
    } else {
        Ok(format!("{base}{}", crate::SERVER_BASE_PATH))
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_base_appends_the_server_path_once() {
        let path = crate::SERVER_BASE_PATH;
        assert_eq!(
            api_base("https://acme.api.identitynow.com", false).unwrap(),
            format!("https://acme.api.identitynow.com{path}")
        );
        assert_eq!(
            api_base("https://acme.api.identitynow.com/", false).unwrap(),
            format!("https://acme.api.identitynow.com{path}")
        );
        assert_eq!(
            api_base(&format!("https://acme.api.identitynow.com{path}/"), false).unwrap(),
            format!("https://acme.api.identitynow.com{path}")
        );
        assert_eq!(
            api_base("https://proxy.example/sailpoint", false).unwrap(),
            format!("https://proxy.example/sailpoint{path}")
        );
    }

    #[test]
    fn plain_http_is_refused_except_on_loopback() {
        for loopback in [
            "http://127.0.0.1:8080",
            "http://[::1]:1",
            "http://LOCALHOST",
        ] {
            assert!(api_base(loopback, false).is_ok(), "{loopback}");
        }
        let error = api_base("http://acme.example", false).unwrap_err();
        assert!(error.to_string().contains("use https"), "{error}");
        assert!(api_base("http://acme.example", true).is_ok());
        assert!(api_base("ftp://acme.example", true).is_err());
        assert!(api_base("acme.example", false).is_err());
        assert!(api_base("https://acme.example/?q=1", false).is_err());
    }

    #[test]
    fn build_names_what_is_missing() {
        let error = Client::builder().access_token("t").build().unwrap_err();
        assert!(error.to_string().contains("no base URL"), "{error}");
        let error = Client::builder()
            .base_url("https://acme.example")
            .build()
            .unwrap_err();
        assert!(error.to_string().contains("no access token"), "{error}");
    }

    fn from_vars(vars: &[(&str, &str)]) -> Result<ClientBuilder, ConfigError> {
        ClientBuilder::from_lookup(|name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn environment_errors_name_the_variable() {
        let message = |vars: &[(&str, &str)]| from_vars(vars).unwrap_err().to_string();
        assert!(message(&[]).contains("SAIL_BASE_URL is not set"));
        assert!(message(&[("SAIL_BASE_URL", "acme")]).contains("SAIL_BASE_URL: "));
        assert!(message(&[("SAIL_BASE_URL", "http://acme.example")]).contains("SAIL_BASE_URL: "));
        let base = ("SAIL_BASE_URL", "https://acme.example");
        assert!(message(&[base])
            .contains("SAIL_CLIENT_ID and SAIL_CLIENT_SECRET, or SAIL_ACCESS_TOKEN"));
        assert!(message(&[base, ("SAIL_CLIENT_ID", "id")]).contains("SAIL_CLIENT_SECRET is not"));
        assert!(message(&[base, ("SAIL_CLIENT_SECRET", "s")]).contains("SAIL_CLIENT_ID is not"));
        assert!(message(&[base, ("SAIL_ACCESS_TOKEN", " ")])
            .contains("SAIL_ACCESS_TOKEN is set but empty"));
        assert!(from_vars(&[base, ("SAIL_ACCESS_TOKEN", "t")])
            .unwrap()
            .build()
            .is_ok());
        let secret = "sup3r-s3cret";
        let builder = from_vars(&[
            base,
            ("SAIL_CLIENT_ID", "id"),
            ("SAIL_CLIENT_SECRET", secret),
        ])
        .unwrap();
        assert!(!format!("{builder:?}").contains(secret));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains(secret));
    }

    #[test]
    fn a_tenant_name_is_its_identitynow_url() {
        let client = Client::builder()
            .tenant("acme")
            .access_token("t")
            .build()
            .unwrap();
        assert_eq!(
            client.api_base_url(),
            format!(
                "https://acme.api.identitynow.com{}",
                crate::SERVER_BASE_PATH
            )
        );
    }
}
