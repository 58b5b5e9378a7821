//! Where the bearer token of each request comes from.
//!
//! The client asks a [`TokenSource`] for a token before every request, so a
//! source that refreshes tokens (client credentials) plugs in without any
//! change to the operations.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::retry::Timer;

/// The most bytes of a token answer the client reads.
const MAX_TOKEN_ANSWER: usize = 64 * 1024;

/// A boxed, sendable future, as returned by [`TokenSource::token`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An OAuth2 bearer token. Its value never appears in `Debug` output.
/// Cheap to clone: every request holds one.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    value: std::sync::Arc<str>,
    /// `Bearer <value>` as a sensitive header, made once per token rather
    /// than once per request; `None` when the value is not header text.
    authorization: Option<http::HeaderValue>,
}

impl AccessToken {
    /// Wraps a token value.
    pub fn new(value: impl Into<String>) -> Self {
        let value: std::sync::Arc<str> = std::sync::Arc::from(value.into());
        let authorization = http::HeaderValue::try_from(format!("Bearer {value}"))
            .ok()
            .map(|mut header| {
                header.set_sensitive(true);
                header
            });
        Self {
            value,
            authorization,
        }
    }

    /// The secret value, for putting on the wire.
    pub fn secret(&self) -> &str {
        &self.value
    }

    /// The `Authorization` header that carries the token, or `None` when
    /// its value cannot be sent in a header.
    pub(crate) fn authorization(&self) -> Option<&http::HeaderValue> {
        self.authorization.as_ref()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Why no token could be had. Never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    message: String,
    status: Option<http::StatusCode>,
    body: Option<String>,
}

impl AuthError {
    /// An error with a message that must not contain any secret.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            status: None,
            body: None,
        }
    }

    /// The token endpoint answered `status` with `body`.
    pub(crate) fn endpoint(status: http::StatusCode, body: &[u8]) -> Self {
        let body = String::from_utf8_lossy(&body[..body.len().min(512)]).into_owned();
        Self {
            message: format!("the token endpoint answered HTTP {status}"),
            status: Some(status),
            body: Some(body),
        }
    }

    /// The HTTP status of the token endpoint's answer, if it answered.
    pub fn status(&self) -> Option<http::StatusCode> {
        self.status
    }

    /// The start of the token endpoint's answer, if it answered.
    pub fn body(&self) -> Option<&str> {
        self.body.as_deref()
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not obtain an access token: {}", self.message)?;
        if let Some(body) = self.body.as_deref().filter(|body| !body.trim().is_empty()) {
            write!(f, ": {}", body.trim())?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {}

/// Supplies the bearer token for each request.
pub trait TokenSource: Send + Sync + 'static {
    /// The token to send with the next request.
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>>;

    /// Called when the server rejected `token` with 401, so that a source
    /// able to refresh stops handing it out. A fixed token ignores this.
    fn invalidate(&self, token: &AccessToken) {
        let _ = token;
    }

    /// A token that can be had without waiting, if there is one; saves the
    /// boxed future of [`TokenSource::token`] on every request.
    fn cached(&self) -> Option<AccessToken> {
        None
    }

    /// Whether [`TokenSource::invalidate`] leads to a different token, so
    /// that a call rejected with 401 is worth one more try.
    fn can_refresh(&self) -> bool {
        false
    }
}

/// A token fixed for the life of the client, such as a personal access token.
#[derive(Debug, Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A source that always hands out `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Self(AccessToken::new(token))
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }

    fn cached(&self) -> Option<AccessToken> {
        Some(self.0.clone())
    }
}

/// OAuth2 client credentials (`SAIL_CLIENT_ID` / `SAIL_CLIENT_SECRET`, such
/// as a personal access token's): tokens come from `POST {tenant}/oauth/token`,
/// are cached, and are refreshed a margin before they expire. Concurrent
/// calls that find no valid token share one request for it.
pub struct ClientCredentials {
    http: reqwest::Client,
    token_url: String,
    client_id: String,
    client_secret: String,
    timer: Arc<dyn Timer>,
    cache: Mutex<Option<CachedToken>>,
    refresh: tokio::sync::Mutex<()>,
}

struct CachedToken {
    token: AccessToken,
    refresh_at: SystemTime,
}

/// Tokens without `expires_in` are taken to last this long.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// Refresh this long before expiry, or a quarter of the lifetime for
/// tokens that live less than four minutes.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    pub(crate) fn new(
        http: reqwest::Client,
        token_url: String,
        client_id: String,
        client_secret: String,
        timer: Arc<dyn Timer>,
    ) -> Self {
        Self {
            http,
            token_url,
            client_id,
            client_secret,
            timer,
            cache: Mutex::new(None),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    fn cached(&self) -> Option<AccessToken> {
        let cache = self
            .cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache
            .as_ref()
            .filter(|cached| self.timer.now() < cached.refresh_at)
            .map(|cached| cached.token.clone())
    }

    async fn fetch(&self) -> Result<AccessToken, AuthError> {
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", &self.client_secret)
            .finish();
        let response = self
            .http
            .post(&self.token_url)
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(http::header::ACCEPT, "application/json")
            .body(form)
            .send()
            .await
            .map_err(|error| {
                AuthError::new(format!("the token request failed: {}", error.without_url()))
            })?;
        let status = response.status();
        let mut response = response;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|error| {
            AuthError::new(format!("the token answer was cut: {}", error.without_url()))
        })? {
            // A token answer is a few hundred bytes: more is not one.
            if body.len() + chunk.len() > MAX_TOKEN_ANSWER {
                return Err(AuthError::new(format!(
                    "the token answer (HTTP {status}) is larger than {MAX_TOKEN_ANSWER} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            return Err(AuthError::endpoint(status, &body));
        }
        let (access_token, expires_in) = read_token_answer(&body)?;
        let lifetime = expires_in.map_or(DEFAULT_TOKEN_LIFETIME, Duration::from_secs);
        let margin = REFRESH_MARGIN.min(lifetime / 4);
        let token = AccessToken::new(access_token);
        let refresh_at = self.timer.now() + lifetime.saturating_sub(margin);
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *cache = Some(CachedToken {
            token: token.clone(),
            refresh_at,
        });
        Ok(token)
    }
}

/// The token endpoint's `access_token` and, if it gives one, `expires_in`
/// (seconds).
fn read_token_answer(body: &[u8]) -> Result<(String, Option<u64>), AuthError> {
    let invalid = |why: &str| AuthError::new(format!("the token endpoint's answer {why}"));
    let answer: serde_json::Value =
        serde_json::from_slice(body).map_err(|error| invalid(&format!("is not JSON: {error}")))?;
    let access_token = match answer.get("access_token") {
        Some(serde_json::Value::String(token)) if !token.is_empty() => token.clone(),
        _ => return Err(invalid("has no access_token")),
    };
    let expires_in =
        match answer.get("expires_in") {
            None | Some(serde_json::Value::Null) => None,
            Some(value) => Some(value.as_u64().ok_or_else(|| {
                invalid(&format!("has an expires_in that is not seconds: {value}"))
            })?),
        };
    Ok((access_token, expires_in))
}

impl TokenSource for ClientCredentials {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        Box::pin(async move {
            if let Some(token) = self.cached() {
                return Ok(token);
            }
            let _single_flight = self.refresh.lock().await;
            // Whoever held the lock before may have fetched one already.
            if let Some(token) = self.cached() {
                return Ok(token);
            }
            self.fetch().await
        })
    }

    fn invalidate(&self, token: &AccessToken) {
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if cache.as_ref().is_some_and(|cached| cached.token == *token) {
            *cache = None;
        }
    }

    fn can_refresh(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_answers_are_read_or_refused_with_the_reason() {
        let read = |body: &str| read_token_answer(body.as_bytes()).map_err(|e| e.to_string());
        assert_eq!(
            read(r#"{"access_token": "t", "expires_in": 749, "scope": "sp:scopes:all"}"#),
            Ok(("t".to_owned(), Some(749)))
        );
        assert_eq!(
            read(r#"{"access_token": "t", "expires_in": null}"#),
            Ok(("t".to_owned(), None))
        );
        for (body, reason) in [
            ("<html>", "is not JSON"),
            (r#"{"token": "t"}"#, "has no access_token"),
            (r#"{"access_token": ""}"#, "has no access_token"),
            (
                r#"{"access_token": "t", "expires_in": "soon"}"#,
                "expires_in",
            ),
            (r#"{"access_token": "t", "expires_in": -5}"#, "expires_in"),
        ] {
            let error = read(body).unwrap_err();
            assert!(error.contains(reason), "{body}: {error}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let token = AccessToken::new("s3cr3t-value");
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        let source = StaticToken::new("s3cr3t-value");
        assert!(!format!("{source:?}").contains("s3cr3t"));
        let credentials = ClientCredentials::new(
            reqwest::Client::new(),
            "https://acme.example/oauth/token".into(),
            "client-id".into(),
            "s3cr3t-value".into(),
            Arc::new(super::super::retry::TokioTimer),
        );
        let shown = format!("{credentials:?}");
        assert!(
            !shown.contains("s3cr3t") && shown.contains("client-id"),
            "{shown}"
        );
    }
}
