//! The HTTP client that every operation goes through.

use std::fmt;
use std::sync::Arc;

use super::auth::{StaticToken, TokenSource};
use super::error::{ApiError, Error};

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

    /// A builder for every setting of the client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL that operation paths are appended to, such as
    /// `https://acme.api.identitynow.com/v2025`.
    pub fn api_base_url(&self) -> &str {
        &self.inner.api_base
    }

    /// Sends `request` and reads the whole answer, whatever its status.
    pub(crate) async fn execute<E>(&self, request: ApiRequest) -> Result<RawResponse, Error<E>> {
        let operation = request.operation;
        let url = format!("{}{}", self.inner.api_base, request.path);
        let mut builder = self
            .inner
            .http
            .request(request.method, url)
            .header(http::header::ACCEPT, "application/json");
        for (name, value) in request.headers {
            let value = http::HeaderValue::from_str(&value).map_err(|_| Error::InvalidRequest {
                operation,
                message: format!("header {name} must be visible ASCII text, got {value:?}"),
            })?;
            builder = builder.header(name, value);
        }
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        let token = self
            .inner
            .tokens
            .token()
            .await
            .map_err(|source| Error::Auth { operation, source })?;
        let mut authorization = http::HeaderValue::from_str(&format!("Bearer {}", token.secret()))
            .map_err(|_| Error::Auth {
                operation,
                source: super::auth::AuthError::new("the access token is not valid header text"),
            })?;
        authorization.set_sensitive(true);
        let response = builder
            .header(http::header::AUTHORIZATION, authorization)
            .send()
            .await
            .map_err(|source| Error::transport(operation, source))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|source| Error::transport(operation, source))?;
        Ok(RawResponse {
            operation,
            status,
            headers,
            body,
        })
    }
}

/// A request as an operation describes it: path already encoded.
pub(crate) struct ApiRequest {
    operation: &'static str,
    method: http::Method,
    path: String,
    headers: Vec<(&'static str, String)>,
    query: Vec<(&'static str, String)>,
}

impl ApiRequest {
    pub(crate) fn new(operation: &'static str, method: http::Method, path: String) -> Self {
        Self {
            operation,
            method,
            path,
            headers: Vec::new(),
            query: Vec::new(),
        }
    }

    pub(crate) fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    #[allow(dead_code)] // Used by operations with query parameters.
    pub(crate) fn query(&mut self, name: &'static str, value: String) {
        self.query.push((name, value));
    }
}

/// Checks a path parameter before it goes into the path: an empty value
/// would silently address another resource.
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
    pub(crate) fn json<T: serde::de::DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body)
            .map_err(|error| Error::decode(self.operation, self.status, &self.body, &error))
    }

    /// A success without a body; whatever was sent is ignored.
    pub(crate) fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// Decodes a documented error body into its variant. An empty body reads
    /// as `{}`, as gateways answer some errors without one.
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

/// Builds a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    tokens: Option<Arc<dyn TokenSource>>,
    http: Option<reqwest::Client>,
    user_agent: Option<String>,
    allow_insecure_http: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("has_token_source", &self.tokens.is_some())
            .field("user_agent", &self.user_agent)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The tenant's URL, such as `https://acme.api.identitynow.com`; the
    /// spec's server path (`/v2025`) is appended unless the URL already
    /// ends with it. Any other path is kept in front of it.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Sends this fixed bearer token, such as a personal access token.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.tokens = Some(Arc::new(StaticToken::new(token)));
        self
    }

    /// Takes bearer tokens from `source`, which may refresh them.
    pub fn token_source(mut self, source: impl TokenSource) -> Self {
        self.tokens = Some(Arc::new(source));
        self
    }

    /// Sends requests with this `reqwest` client, with its own timeouts,
    /// proxies and TLS settings.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The `User-Agent` header; ignored with [`ClientBuilder::http_client`].
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
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
        let tokens = self
            .tokens
            .ok_or_else(|| ConfigError::new("no access token or token source was given"))?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(self.user_agent.unwrap_or_else(default_user_agent))
                .build()
                .map_err(|error| {
                    ConfigError::new(format!("the HTTP client cannot be built: {error}"))
                })?,
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                api_base,
                tokens,
            }),
        })
    }
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
}
