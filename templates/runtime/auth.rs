//! Where the bearer token of each request comes from.
//!
//! The client asks a [`TokenSource`] for a token before every request, so a
//! source that refreshes tokens (client credentials) plugs in without any
//! change to the operations.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future, as returned by [`TokenSource::token`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An OAuth2 bearer token. Its value never appears in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value, for putting on the wire.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Why no token could be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    message: String,
}

impl AuthError {
    /// An error with a message that must not contain any secret.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not obtain an access token: {}", self.message)
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_token() {
        let token = AccessToken::new("s3cr3t-value");
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        let source = StaticToken::new("s3cr3t-value");
        assert!(!format!("{source:?}").contains("s3cr3t"));
    }
}
