//! Errors of API calls: one shared wrapper, [`Error`], around the error enum
//! that each operation documents.

use std::fmt;
use std::time::{Duration, SystemTime};

use super::auth::AuthError;

/// How much of a body is kept in messages about it.
const BODY_EXCERPT_BYTES: usize = 512;

/// What the error enum of an operation tells beyond its variant.
pub trait OperationError: fmt::Debug + Send + Sync + 'static {
    /// The `trackingId` of the error body, when the body has one; SailPoint
    /// support asks for it.
    fn tracking_id(&self) -> Option<&str>;
}

/// The server answered with a status that is not a success of the operation.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    operation: &'static str,
    status: http::StatusCode,
    headers: http::HeaderMap,
    raw_body: bytes::Bytes,
    error: E,
}

impl<E> ApiError<E> {
    pub(crate) fn new(
        operation: &'static str,
        status: http::StatusCode,
        headers: http::HeaderMap,
        raw_body: bytes::Bytes,
        error: E,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            raw_body,
            error,
        }
    }

    /// The `operationId` of the call that failed.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> http::StatusCode {
        self.status
    }

    /// The headers of the answer.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The body of the answer, exactly as received.
    pub fn raw_body(&self) -> &[u8] {
        &self.raw_body
    }

    /// The documented error, with its typed body.
    pub fn error(&self) -> &E {
        &self.error
    }

    /// Takes the documented error out.
    pub fn into_error(self) -> E {
        self.error
    }

    /// How long the server asks to wait before trying again, from
    /// `Retry-After` given either in seconds or as an HTTP date.
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(&self.headers, SystemTime::now())
    }
}

/// Reads `Retry-After` as a wait from `now`; a date in the past is no wait.
pub(crate) fn retry_after(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::from(date);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The failure of an API call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status; the typed error is inside.
    /// Boxed, so that `Result`s of calls stay small.
    Api(Box<ApiError<E>>),
    /// A body could not be decoded as the spec describes it.
    Decode {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The HTTP status of the answer.
        status: http::StatusCode,
        /// The start of the body, lossily decoded as UTF-8.
        body_excerpt: String,
        /// What serde said, with line and column.
        message: String,
    },
    /// The request or the response did not finish in time.
    Timeout {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// The request could not be sent or its answer not received.
    Transport {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// No access token could be had.
    Auth {
        /// The `operationId` of the call.
        operation: &'static str,
        /// Why.
        source: AuthError,
    },
    /// An argument cannot be put into a request, such as an empty path
    /// parameter or a header value with a line break.
    InvalidRequest {
        /// The `operationId` of the call.
        operation: &'static str,
        /// What is wrong with which argument.
        message: String,
    },
    /// The answer is larger than the client reads
    /// ([`ClientBuilder::max_answer_size`](crate::ClientBuilder::max_answer_size)):
    /// reading stopped there.
    AnswerTooLarge {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The HTTP status of the answer.
        status: http::StatusCode,
        /// The most bytes the client reads of an answer.
        limit: u64,
    },
}

impl Error<std::convert::Infallible> {
    /// The same failure as an error of an operation with documented errors.
    pub(crate) fn widen<E>(self) -> Error<E> {
        match self {
            Self::Api(error) => match error.error {},
            Self::Decode {
                operation,
                status,
                body_excerpt,
                message,
            } => Error::Decode {
                operation,
                status,
                body_excerpt,
                message,
            },
            Self::Timeout { operation, source } => Error::Timeout { operation, source },
            Self::Transport { operation, source } => Error::Transport { operation, source },
            Self::Auth { operation, source } => Error::Auth { operation, source },
            Self::InvalidRequest { operation, message } => {
                Error::InvalidRequest { operation, message }
            }
            Self::AnswerTooLarge {
                operation,
                status,
                limit,
            } => Error::AnswerTooLarge {
                operation,
                status,
                limit,
            },
        }
    }
}

impl<E> Error<E> {
    /// The `operationId` of the call that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            Self::Api(error) => error.operation,
            Self::Decode { operation, .. }
            | Self::Timeout { operation, .. }
            | Self::Transport { operation, .. }
            | Self::Auth { operation, .. }
            | Self::InvalidRequest { operation, .. }
            | Self::AnswerTooLarge { operation, .. } => operation,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            Self::Api(error) => Some(error.status),
            Self::Decode { status, .. } | Self::AnswerTooLarge { status, .. } => Some(*status),
            Self::Transport { source, .. } | Self::Timeout { source, .. } => source.status(),
            Self::Auth { .. } | Self::InvalidRequest { .. } => None,
        }
    }

    /// The server's `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api(error) => error.retry_after(),
            _ => None,
        }
    }

    /// The API error, when the server answered with an error status.
    pub fn as_api(&self) -> Option<&ApiError<E>> {
        match self {
            Self::Api(error) => Some(error),
            _ => None,
        }
    }

    /// Whether trying the same call again may succeed: rate limiting,
    /// server errors, timeouts and connection failures.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(error) => {
                error.status == http::StatusCode::TOO_MANY_REQUESTS
                    || error.status.is_server_error()
            }
            Self::Timeout { .. } => true,
            Self::Transport { source, .. } => source.is_connect(),
            Self::Decode { .. }
            | Self::Auth { .. }
            | Self::InvalidRequest { .. }
            | Self::AnswerTooLarge { .. } => false,
        }
    }

    pub(crate) fn decode(
        operation: &'static str,
        status: http::StatusCode,
        body: &[u8],
        error: &serde_json::Error,
    ) -> Self {
        Self::Decode {
            operation,
            status,
            body_excerpt: excerpt(body),
            message: error.to_string(),
        }
    }

    pub(crate) fn transport(operation: &'static str, source: reqwest::Error) -> Self {
        if source.is_timeout() {
            Self::Timeout { operation, source }
        } else {
            Self::Transport { operation, source }
        }
    }
}

impl<E: OperationError> ApiError<E> {
    /// The `trackingId` of the error body, when there is one.
    pub fn tracking_id(&self) -> Option<&str> {
        self.error.tracking_id()
    }
}

impl<E: OperationError> Error<E> {
    /// The `trackingId` of the error body, when there is one.
    pub fn tracking_id(&self) -> Option<&str> {
        self.as_api().and_then(ApiError::tracking_id)
    }
}

fn excerpt(body: &[u8]) -> String {
    let end = body.len().min(BODY_EXCERPT_BYTES);
    let mut text = String::from_utf8_lossy(&body[..end]).into_owned();
    if body.len() > end {
        text.push('…');
    }
    text
}

impl<E: OperationError> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(error) => {
                write!(f, "{} failed with HTTP {}", error.operation, error.status)?;
                if let Some(tracking_id) = error.error.tracking_id() {
                    write!(f, " (trackingId {tracking_id})")?;
                }
                let body = excerpt(&error.raw_body);
                if !body.trim().is_empty() {
                    write!(f, ": {}", body.trim())?;
                }
                Ok(())
            }
            Self::Decode {
                operation,
                status,
                body_excerpt,
                message,
            } => write!(
                f,
                "{operation}: could not decode the HTTP {status} body ({message}); body starts: {body_excerpt}"
            ),
            Self::Timeout { operation, .. } => write!(f, "{operation} timed out"),
            Self::Transport { operation, source } => {
                write!(f, "{operation}: the request failed: {source}")
            }
            Self::Auth { operation, source } => write!(f, "{operation}: {source}"),
            Self::InvalidRequest { operation, message } => {
                write!(f, "{operation}: invalid request: {message}")
            }
            Self::AnswerTooLarge {
                operation,
                status,
                limit,
            } => write!(
                f,
                "{operation}: the HTTP {status} answer is larger than {limit} bytes, the most the client reads; raise it with ClientBuilder::max_answer_size"
            ),
        }
    }
}

impl<E: OperationError> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Timeout { source, .. } | Self::Transport { source, .. } => Some(source),
            Self::Auth { source, .. } => Some(source),
            Self::Api(_)
            | Self::Decode { .. }
            | Self::InvalidRequest { .. }
            | Self::AnswerTooLarge { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers_with_retry_after(value: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::RETRY_AFTER, value.parse().unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now =
            SystemTime::from(chrono::DateTime::parse_from_rfc3339("2015-10-21T07:27:00Z").unwrap());
        let seconds = headers_with_retry_after(" 120 ");
        assert_eq!(retry_after(&seconds, now), Some(Duration::from_secs(120)));
        let date = headers_with_retry_after("Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(retry_after(&date, now), Some(Duration::from_secs(60)));
        let past = headers_with_retry_after("Wed, 21 Oct 2015 07:00:00 GMT");
        assert_eq!(retry_after(&past, now), Some(Duration::ZERO));
        let garbage = headers_with_retry_after("soon");
        assert_eq!(retry_after(&garbage, now), None);
        assert_eq!(retry_after(&http::HeaderMap::new(), now), None);
    }

    #[test]
    fn excerpt_cuts_long_bodies_and_survives_bad_utf8() {
        let long = vec![b'x'; BODY_EXCERPT_BYTES + 10];
        let text = excerpt(&long);
        assert!(text.ends_with('…'));
        assert_eq!(
            text.chars().filter(|c| *c == 'x').count(),
            BODY_EXCERPT_BYTES
        );
        assert_eq!(excerpt(b"ok \xff"), "ok \u{fffd}");
    }
}
