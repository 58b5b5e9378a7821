//! The client: what it holds and what it tells. How it sends is in
//! `execute.rs`, how it is configured in `config.rs`.

use std::fmt;
use std::sync::Arc;

use super::auth::TokenSource;
use super::config::{ClientBuilder, ConfigError};
use super::rate::RateLimiter;
use super::retry::{Jitter, RetryPolicy, Timer};

/// A client of the SailPoint Identity Security Cloud API.
///
/// Cloning is cheap: clones share one connection pool, one token source
/// and one rate budget.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<ClientInner>,
}

/// What clones of a client share.
pub(super) struct ClientInner {
    pub(super) http: reqwest::Client,
    /// The tenant URL with the spec's server path, without a trailing slash.
    pub(super) api_base: String,
    /// `api_base` with a trailing slash, parsed once: each request's URL is
    /// its relative path joined to it, so only the path is parsed per call.
    pub(super) api_directory: reqwest::Url,
    pub(super) tokens: Arc<dyn TokenSource>,
    pub(super) retry: RetryPolicy,
    pub(super) timer: Arc<dyn Timer>,
    pub(super) jitter: Jitter,
    /// The rate budget every request reserves its start in, unless off.
    pub(super) rate: Option<RateLimiter>,
    /// The most bytes of an answer the client reads.
    pub(super) max_answer_size: u64,
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
}
