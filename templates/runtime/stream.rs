//! A body read as it comes: the answer of `send_streaming()`, for binary
//! answers too large to hold in memory.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

use super::auth::BoxFuture;

/// The next chunk of a response, with the response handed back.
type NextChunk = BoxFuture<'static, (reqwest::Response, reqwest::Result<Option<Bytes>>)>;

/// Where reading is.
enum State {
    /// Waiting to be polled for the next chunk.
    Idle(reqwest::Response),
    /// A chunk being read.
    Reading(NextChunk),
    /// A body that was read whole, not yet given out.
    Whole(Bytes),
    Done,
}

/// A success answer's body as a [`Stream`] of chunks
/// (`Result<Bytes, std::io::Error>`), read from the connection as it is
/// polled: nothing is held but the chunk in hand. Its status and headers
/// are there from the start. Dropping it closes the connection.
pub struct ByteStream {
    operation: &'static str,
    status: http::StatusCode,
    headers: http::HeaderMap,
    state: State,
}

impl ByteStream {
    pub(super) fn new(
        operation: &'static str,
        status: http::StatusCode,
        headers: http::HeaderMap,
        response: reqwest::Response,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            state: State::Idle(response),
        }
    }

    pub(super) fn whole(
        operation: &'static str,
        status: http::StatusCode,
        headers: http::HeaderMap,
        body: Bytes,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            state: State::Whole(body),
        }
    }

    /// The status of the answer.
    pub fn status(&self) -> http::StatusCode {
        self.status
    }

    /// The headers of the answer.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The next chunk, or `None` at the end: the stream's next item, for
    /// code without a `StreamExt`.
    pub async fn next_chunk(&mut self) -> Option<std::io::Result<Bytes>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl Stream for ByteStream {
    type Item = std::io::Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Whole(body) => {
                    return Poll::Ready((!body.is_empty()).then_some(Ok(body)));
                }
                State::Idle(mut response) => {
                    this.state = State::Reading(Box::pin(async move {
                        let chunk = response.chunk().await;
                        (response, chunk)
                    }));
                }
                State::Reading(mut reading) => match reading.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = State::Reading(reading);
                        return Poll::Pending;
                    }
                    Poll::Ready((response, Ok(Some(chunk)))) => {
                        this.state = State::Idle(response);
                        return Poll::Ready(Some(Ok(chunk)));
                    }
                    Poll::Ready((_, Ok(None))) => return Poll::Ready(None),
                    Poll::Ready((_, Err(error))) => {
                        let operation = this.operation;
                        return Poll::Ready(Some(Err(std::io::Error::other(format!(
                            "{operation}: the answer was cut: {error}"
                        )))));
                    }
                },
            }
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}
