//! Configuration: the builder of a [`Client`], its defaults and the
//! environment it reads, and the checks of the base URL.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::auth::{ClientCredentials, StaticToken, TokenSource};
use super::client::{Client, ClientInner};
use super::rate::{RateBudget, RateLimiter};
use super::retry::{Jitter, RetryPolicy, Timer, TokioTimer};

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
    /// `None`: the default budget; `Some(None)`: no budget.
    rate_budget: Option<Option<RateBudget>>,
    max_answer_size: Option<u64>,
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
            .field("rate_budget", &self.rate_budget)
            .field("max_answer_size", &self.max_answer_size)
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

    /// How many requests the client starts per window of time, shared by
    /// its clones: [`RateBudget::SAILPOINT`] (100 per 10 seconds) unless
    /// set; `None` turns the budget off. A request beyond the budget waits
    /// for its turn instead of being answered 429; 429s that still come
    /// are retried as the retry policy says.
    pub fn rate_budget(mut self, budget: impl Into<Option<RateBudget>>) -> Self {
        self.rate_budget = Some(budget.into());
        self
    }

    /// The most bytes of an answer the client reads
    /// ([`DEFAULT_MAX_ANSWER_SIZE`] unless set): a larger answer fails with
    /// [`Error::AnswerTooLarge`](crate::Error::AnswerTooLarge) as soon as it
    /// passes the limit (at once when its `Content-Length` says so), so a
    /// misbehaving server or proxy cannot make the client hold gigabytes.
    pub fn max_answer_size(mut self, bytes: u64) -> Self {
        self.max_answer_size = Some(bytes);
        self
    }

    /// The clock and sleep used for retries, token expiry and the rate
    /// budget.
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
                    .redirect(redirect_policy())
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
                api_directory: reqwest::Url::parse(&format!("{api_base}/")).map_err(|error| {
                    ConfigError::new(format!("base URL {api_base:?} is not a URL: {error}"))
                })?,
                api_base,
                tokens,
                retry: self.retry.unwrap_or_default(),
                timer,
                jitter: Jitter::new(),
                rate: self
                    .rate_budget
                    .unwrap_or(Some(RateBudget::SAILPOINT))
                    .map(RateLimiter::new),
                max_answer_size: self.max_answer_size.unwrap_or(DEFAULT_MAX_ANSWER_SIZE),
            }),
        })
    }
}

/// The most bytes of an answer a client reads unless told otherwise:
/// SailPoint's largest JSON answers (a page of 250 identities or accounts
/// with their attributes) are a few megabytes.
pub const DEFAULT_MAX_ANSWER_SIZE: u64 = 32 * 1024 * 1024;

/// Follows a redirect unless it goes from https to http (the request, and
/// its answer, would travel in clear); at most 10. reqwest itself drops
/// the `Authorization` header when a redirect leaves the origin.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let downgrade = attempt
            .previous()
            .last()
            .is_some_and(|from| from.scheme() == "https" && attempt.url().scheme() != "https");
        if downgrade {
            attempt.error("refused to follow a redirect from https to http")
        } else if attempt.previous().len() > 10 {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
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
