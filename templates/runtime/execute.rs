//! Sending: the one retry loop every operation goes through, one attempt
//! at a time, and the small generic future around it.

use std::time::Duration;

use tracing::Instrument as _;

use super::auth::{AccessToken, BoxFuture};
use super::client::Client;
use super::error::Error;
use super::request::{ApiRequest, RawResponse};
use super::response::{Response, ResponseFuture};
use super::retry::is_idempotent;

impl Client {
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
            if let Some(rate) = &self.inner.rate {
                let wait = rate.reserve(self.inner.timer.now());
                if !wait.is_zero() {
                    tracing::debug!(parent: &attempt_span, ?wait, "waiting for the rate budget");
                    self.inner.timer.sleep(wait).await;
                }
            }
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
        let relative = request.path.strip_prefix('/').unwrap_or(&request.path);
        let joined = self.inner.api_directory.join(relative);
        let url = joined.map_err(|error| Error::InvalidRequest {
            operation,
            message: format!("the path {relative:?} does not make a URL: {error}"),
        })?;
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
        let authorization = token.authorization().cloned().ok_or_else(|| Error::Auth {
            operation,
            source: super::auth::AuthError::new("the access token is not valid header text"),
        })?;
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
        if request.stream_success && status.is_success() {
            // Read by the caller as it comes, however large.
            return Ok((
                token,
                Ok(RawResponse {
                    operation,
                    status,
                    headers,
                    body: bytes::Bytes::new(),
                    stream: Some(response),
                }),
            ));
        }
        let limit = self.inner.max_answer_size;
        let too_large = || Error::AnswerTooLarge {
            operation,
            status,
            limit,
        };
        // A declared length over the limit is refused before reading; one
        // within it is what hyper lets through, read whole (as the one chunk
        // it usually is, without a copy); an undeclared one is read a chunk
        // at a time up to the limit.
        let body = match response.content_length() {
            Some(length) if length > limit => return Ok((token, Err(too_large()))),
            Some(_) => match response.bytes().await {
                Ok(body) => body,
                Err(source) => return Ok((token, Err(Error::transport(operation, source)))),
            },
            None => {
                let mut body = bytes::BytesMut::new();
                loop {
                    match response.chunk().await {
                        Ok(Some(chunk)) => {
                            if (body.len() + chunk.len()) as u64 > limit {
                                return Ok((token, Err(too_large())));
                            }
                            body.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(source) => {
                            return Ok((token, Err(Error::transport(operation, source))))
                        }
                    }
                }
                body.freeze()
            }
        };
        Ok((
            token,
            Ok(RawResponse {
                operation,
                status,
                headers,
                body,
                stream: None,
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

/// [`call`], keeping the status and headers of a success beside its body
/// (`send_with_response`).
pub(crate) fn call_with_response<T, E>(
    prepared: Result<(Client, ApiRequest), Error<E>>,
    decode: fn(RawResponse) -> Result<T, Error<E>>,
) -> ResponseFuture<T, E>
where
    T: Send + 'static,
    E: Send + 'static,
{
    match prepared {
        Ok((client, request)) => Box::pin(async move {
            let response = client.execute(request).await.map_err(Error::widen)?;
            let status = response.status;
            let headers = response.headers.clone();
            decode(response).map(|body| Response::new(status, headers, body))
        }),
        Err(error) => Box::pin(std::future::ready(Err(error))),
    }
}

/// Sends a prepared request whose success body is bytes, and hands that
/// body over as a stream instead of reading it whole (`send_streaming`).
/// An error answer is read and decoded as for [`call`].
#[allow(dead_code)] // Used by operations with binary answers.
pub(crate) fn call_streaming<E>(
    prepared: Result<(Client, ApiRequest), Error<E>>,
    decode: fn(RawResponse) -> Result<bytes::Bytes, Error<E>>,
) -> BoxFuture<'static, Result<super::stream::ByteStream, Error<E>>>
where
    E: Send + 'static,
{
    match prepared {
        Ok((client, mut request)) => Box::pin(async move {
            request.stream_success = true;
            let mut response = client.execute(request).await.map_err(Error::widen)?;
            match response.stream.take() {
                Some(stream) => Ok(super::stream::ByteStream::new(
                    response.operation,
                    response.status,
                    response.headers,
                    stream,
                )),
                None => {
                    // An error answer (decoded into the error), or a success
                    // the server answered otherwise: its body is whole.
                    let (operation, status) = (response.operation, response.status);
                    let headers = response.headers.clone();
                    decode(response).map(|body| {
                        super::stream::ByteStream::whole(operation, status, headers, body)
                    })
                }
            }
        }),
        Err(error) => Box::pin(std::future::ready(Err(error))),
    }
}
