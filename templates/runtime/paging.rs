//! Walking a collection a page at a time, as a stream of pages ([`Pages`])
//! or of items ([`Items`]): by position (SailPoint's `offset` and `limit`
//! collection parameters), or by the sort values of the last item
//! (`searchAfter`, which search uses past 10,000 results).
//!
//! A walk by position sends the operation's prepared request again for
//! each page, its query's offset, limit and count set anew. It never holds
//! the operation's builder: a builder held by the stream would have to be
//! proved `Send` by every collection operation, which cost rustc more than
//! the rest of its paging code (the walk by sort values, one operation,
//! rewrites the body and so keeps its builder).

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::client::Client;
use super::error::Error;
use super::execute::call_with_response;
use super::request::{ApiRequest, RawResponse};
use super::response::ResponseFuture;

/// How a collection operation is walked by position: the wire names of
/// its query parameters, and the largest page the spec allows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OffsetPaging {
    pub(crate) offset: &'static str,
    pub(crate) limit: &'static str,
    /// The parameter that asks for the collection's total, where the
    /// operation has one.
    pub(crate) count: Option<&'static str>,
    pub(crate) page_limit: u64,
}

/// An operation's decoding of an answer to one page.
type DecodePage<T, E> = fn(RawResponse) -> Result<Vec<T>, Error<E>>;

/// Sends the request for one page by position: offset, limit, and whether
/// to ask for the total.
type FetchAt<T, E> = Box<dyn FnMut(u64, u64, bool) -> ResponseFuture<Vec<T>, E> + Send>;

/// An operation's request for one page by sort values: the sort, the
/// values to start after (none for the first page), the limit, and whether
/// to ask for the total.
type PageAfter<R, T, E> =
    fn(&R, &[String], Option<&[String]>, u64, bool) -> ResponseFuture<Vec<T>, E>;

/// The sort values of an item, for the sort given; or why it has none.
type SortValues<T> = fn(&T, &[String]) -> Result<Vec<String>, String>;

/// [`PageAfter`] with its request.
type FetchAfter<T, E> =
    Box<dyn FnMut(&[String], Option<&[String]>, u64, bool) -> ResponseFuture<Vec<T>, E> + Send>;

/// Where the next page starts, and how to ask for it.
enum Walk<T, E> {
    /// By position.
    Offset { next: u64, fetch: FetchAt<T, E> },
    /// By the sort values of the last item read.
    After {
        sort: Vec<String>,
        after: Option<Vec<String>>,
        fetch: FetchAfter<T, E>,
        values: SortValues<T>,
    },
    /// Nothing to ask for: the request could not be prepared, and why is
    /// the walk's one item.
    Failed,
}

/// The pages of a collection, from an operation's `pages()`: a
/// [`Stream`] of `Result<Vec<T>, Error<E>>`.
///
/// The first page asks for the collection's total (`count=true`, where the
/// operation has that parameter); with it, no page past the end is asked
/// for, however the pages are cut. Without it, a page shorter than asked
/// for is the last. An error is the last item. Nothing is sent until the
/// stream is polled, and dropping it cancels the request in flight.
#[must_use = "a stream does nothing until it is polled"]
pub struct Pages<T, E> {
    operation: &'static str,
    walk: Walk<T, E>,
    page_size: u64,
    /// Whether the operation can be asked for the total.
    can_count: bool,
    total: Option<u64>,
    /// Items delivered so far.
    seen: u64,
    /// Items still wanted, when the caller set a cap.
    remaining: Option<u64>,
    /// The limit asked for, and the answer to come.
    in_flight: Option<(u64, ResponseFuture<Vec<T>, E>)>,
    /// Why the walk cannot go on, to give after the page already read.
    pending_error: Option<Error<E>>,
    started: bool,
    done: bool,
}

// Nothing of `T` or `E` is pinned: items and errors are moved out whole.
impl<T, E> Unpin for Pages<T, E> {}

/// The page size: the caller's limit (wire text), at most `page_limit`.
fn page_size(limit: Option<&str>, page_limit: u64) -> u64 {
    let page_limit = page_limit.max(1);
    limit
        .and_then(|limit| limit.trim().parse::<u64>().ok())
        .filter(|limit| *limit > 0)
        .map_or(page_limit, |limit| limit.min(page_limit))
}

impl<T, E> Pages<T, E> {
    fn new(operation: &'static str, walk: Walk<T, E>, page_size: u64, can_count: bool) -> Self {
        Self {
            operation,
            walk,
            page_size,
            can_count,
            total: None,
            seen: 0,
            remaining: None,
            in_flight: None,
            pending_error: None,
            started: false,
            done: false,
        }
    }

    /// The pages of an operation's `prepared` request, each answer read
    /// with `decode`. The walk starts at the offset the caller set, and
    /// pages are the size of the limit the caller set, at most the largest
    /// the spec allows.
    #[allow(dead_code)] // Used by collection operations.
    pub(crate) fn by_offset(
        prepared: Result<(Client, ApiRequest), Error<E>>,
        decode: DecodePage<T, E>,
        paging: OffsetPaging,
    ) -> Self
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        let (client, request) = match prepared {
            Ok(prepared) => prepared,
            Err(error) => {
                let operation = error.operation();
                let mut failed = Self::new(operation, Walk::Failed, paging.page_limit, false);
                failed.pending_error = Some(error);
                return failed;
            }
        };
        let next = request
            .query_value(paging.offset)
            .and_then(|offset| offset.trim().parse().ok())
            .unwrap_or(0);
        let page_size = page_size(request.query_value(paging.limit), paging.page_limit);
        let operation = request.operation;
        let fetch = move |offset: u64, limit: u64, ask_total: bool| {
            let mut page = request.clone();
            page.set_query(paging.offset, offset.to_string());
            page.set_query(paging.limit, limit.to_string());
            if let (true, Some(count)) = (ask_total, paging.count) {
                page.set_query(count, "true".to_owned());
            }
            call_with_response(Ok((client.clone(), page)), decode)
        };
        let walk = Walk::Offset {
            next,
            fetch: Box::new(fetch),
        };
        Self::new(operation, walk, page_size, paging.count.is_some())
    }

    /// The pages of `request` by the sort values of each page's last item
    /// (`searchAfter`), sorted by `sort` with `id` added when the caller's
    /// sort does not have it: a sort that ties would skip or repeat items
    /// at page boundaries.
    #[allow(dead_code)] // Used by search operations.
    pub(crate) fn by_search_after<R: Send + 'static>(
        operation: &'static str,
        request: R,
        page_after: PageAfter<R, T, E>,
        mut sort: Vec<String>,
        limit: Option<&str>,
        page_limit: u64,
        can_count: bool,
    ) -> Self
    where
        T: serde::Serialize + 'static,
        E: 'static,
    {
        let has_id = sort
            .iter()
            .any(|key| key.trim_start_matches(['+', '-']) == TIE_BREAKER);
        if !has_id {
            sort.push(TIE_BREAKER.to_owned());
        }
        let walk = Walk::After {
            sort,
            after: None,
            fetch: Box::new(move |sort, after, limit, count| {
                page_after(&request, sort, after, limit, count)
            }),
            values: sort_values::<T>,
        };
        Self::new(operation, walk, page_size(limit, page_limit), can_count)
    }

    /// Stops after `items` items in all; the last page asks for no more
    /// than are still wanted.
    pub fn max_items(mut self, items: u64) -> Self {
        self.remaining = Some(items);
        self
    }

    /// The items of these pages, one at a time.
    pub fn items(self) -> Items<T, E> {
        Items {
            pages: self,
            buffer: VecDeque::new(),
        }
    }

    /// The size of the whole collection, once the first page said it.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// The page size asked for.
    pub fn page_size(&self) -> u64 {
        self.page_size
    }

    /// The sort of a walk by sort values (with its tie-breaker), or `None`
    /// for a walk by position.
    pub fn sort(&self) -> Option<&[String]> {
        match &self.walk {
            Walk::After { sort, .. } => Some(sort),
            Walk::Offset { .. } | Walk::Failed => None,
        }
    }

    /// The next page, or `None` after the last: the stream's next item,
    /// for code without a `StreamExt`.
    pub async fn next_page(&mut self) -> Option<Result<Vec<T>, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Whether the total says every item has been read.
    fn past_the_total(&self) -> bool {
        let Some(total) = self.total else {
            return false;
        };
        match &self.walk {
            Walk::Offset { next, .. } => *next >= total,
            Walk::After { .. } | Walk::Failed => self.seen >= total,
        }
    }

    /// The limit of the next page to ask for, or `None` when the walk is
    /// over.
    fn next_limit(&self) -> Option<u64> {
        if self.past_the_total() {
            return None;
        }
        match self.remaining {
            Some(0) => None,
            Some(remaining) => Some(self.page_size.min(remaining)),
            None => Some(self.page_size),
        }
    }

    /// Sends the request for the next page, or `None` when there is no
    /// request to send.
    fn fetch(&mut self, limit: u64, ask_total: bool) -> Option<ResponseFuture<Vec<T>, E>> {
        match &mut self.walk {
            Walk::Offset { next, fetch } => Some(fetch(*next, limit, ask_total)),
            Walk::After {
                sort, after, fetch, ..
            } => Some(fetch(sort, after.as_deref(), limit, ask_total)),
            Walk::Failed => None,
        }
    }

    /// Takes in a page asked for with `limit`: where the next starts, and
    /// whether it was the last.
    fn advance(&mut self, page: &[T], limit: u64) {
        let got = page.len() as u64;
        self.seen = self.seen.saturating_add(got);
        if let Some(remaining) = &mut self.remaining {
            *remaining = remaining.saturating_sub(got);
        }
        if let Walk::Offset { next, .. } = &mut self.walk {
            *next = next.saturating_add(got);
        }
        self.done = match self.total {
            // A page shorter than asked for is not the end while the total
            // says there is more (the server may cut pages smaller).
            Some(_) => got == 0 || self.past_the_total(),
            None => got < limit,
        };
        if self.done {
            return;
        }
        if let Walk::After {
            sort,
            after,
            values,
            ..
        } = &mut self.walk
        {
            let Some(last) = page.last() else {
                return;
            };
            match values(last, sort) {
                Ok(values) => *after = Some(values),
                Err(message) => {
                    self.pending_error = Some(Error::InvalidRequest {
                        operation: self.operation,
                        message: format!("cannot ask for the page after this one: {message}"),
                    });
                }
            }
        }
    }
}

/// The field every SailPoint search document has, unique: the sort that
/// breaks ties.
const TIE_BREAKER: &str = "id";

/// The values of `sort`'s fields (`+name`, `-created`, `source.id`) in
/// `item`, as text, for `searchAfter`.
fn sort_values<T: serde::Serialize>(item: &T, sort: &[String]) -> Result<Vec<String>, String> {
    let value = serde_json::to_value(item).map_err(|error| error.to_string())?;
    sort.iter()
        .map(|key| {
            let field = key.trim_start_matches(['+', '-']);
            let found = field
                .split('.')
                .try_fold(&value, |value, part| value.get(part));
            match found {
                Some(serde_json::Value::String(text)) => Ok(text.clone()),
                Some(serde_json::Value::Number(number)) => Ok(number.to_string()),
                Some(serde_json::Value::Bool(flag)) => Ok(flag.to_string()),
                _ => Err(format!(
                    "the last item has no `{field}` to sort by; sort by fields every item has"
                )),
            }
        })
        .collect()
}

impl<T, E> Stream for Pages<T, E> {
    type Item = Result<Vec<T>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(error) = this.pending_error.take() {
                this.done = true;
                return Poll::Ready(Some(Err(error)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            if this.in_flight.is_none() {
                let Some(limit) = this.next_limit() else {
                    this.done = true;
                    return Poll::Ready(None);
                };
                let ask_total = this.can_count && !this.started;
                this.started = true;
                let Some(future) = this.fetch(limit, ask_total) else {
                    this.done = true;
                    return Poll::Ready(None);
                };
                this.in_flight = Some((limit, future));
            }
            let Some((limit, future)) = this.in_flight.as_mut() else {
                continue;
            };
            let limit = *limit;
            let Poll::Ready(answer) = future.as_mut().poll(cx) else {
                return Poll::Pending;
            };
            this.in_flight = None;
            let response = match answer {
                Ok(response) => response,
                Err(error) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
            };
            if this.total.is_none() {
                this.total = response.total_count();
            }
            let page = response.into_body();
            this.advance(&page, limit);
            // An empty page ends the walk without being an item.
            if !page.is_empty() {
                return Poll::Ready(Some(Ok(page)));
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done && self.pending_error.is_none() {
            (0, Some(0))
        } else {
            (0, None)
        }
    }
}

impl<T, E> fmt::Debug for Pages<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let position = match &self.walk {
            Walk::Offset { next, .. } => format!("offset {next}"),
            Walk::After { after, .. } => format!("after {after:?}"),
            Walk::Failed => "failed".to_owned(),
        };
        f.debug_struct("Pages")
            .field("operation", &self.operation)
            .field("position", &position)
            .field("page_size", &self.page_size)
            .field("total", &self.total)
            .field("remaining", &self.remaining)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// The items of a collection, one at a time, from an operation's
/// `items()`: [`Pages`] flattened, with the same guarantees.
#[must_use = "a stream does nothing until it is polled"]
pub struct Items<T, E> {
    pages: Pages<T, E>,
    buffer: VecDeque<T>,
}

impl<T, E> Unpin for Items<T, E> {}

impl<T, E> Items<T, E> {
    /// Stops after `items` items in all.
    pub fn max_items(mut self, items: u64) -> Self {
        self.pages = self.pages.max_items(items);
        self
    }

    /// The size of the whole collection, once the first page said it.
    pub fn total(&self) -> Option<u64> {
        self.pages.total()
    }

    /// The next item, or `None` after the last: the stream's next item,
    /// for code without a `StreamExt`.
    pub async fn next_item(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error<E>> {
        let mut all = Vec::new();
        while let Some(item) = self.next_item().await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<T, E> Stream for Items<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => this.buffer.extend(page),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<T, E> fmt::Debug for Items<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}
