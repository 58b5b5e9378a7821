//! Walking a collection a page at a time: an operation with SailPoint's
//! `offset` and `limit` collection parameters, as a stream of pages
//! ([`Pages`]) or of items ([`Items`]).

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::error::Error;
use super::response::ResponseFuture;

/// Asks for one page: its offset, its limit, and whether to ask for the
/// collection's total.
type FetchPage<T, E> = Box<dyn FnMut(u64, u64, bool) -> ResponseFuture<Vec<T>, E> + Send>;

/// An operation's request for one page: offset, limit, and whether to ask
/// for the total.
type PageAt<R, T, E> = fn(&R, u64, u64, bool) -> ResponseFuture<Vec<T>, E>;

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
    fetch: FetchPage<T, E>,
    next_offset: u64,
    page_size: u64,
    /// Whether the operation can be asked for the total.
    can_count: bool,
    total: Option<u64>,
    /// Items still wanted, when the caller set a cap.
    remaining: Option<u64>,
    /// The limit asked for, and the answer to come.
    in_flight: Option<(u64, ResponseFuture<Vec<T>, E>)>,
    started: bool,
    done: bool,
}

// Nothing of `T` or `E` is pinned: items and errors are moved out whole.
impl<T, E> Unpin for Pages<T, E> {}

impl<T, E> Pages<T, E> {
    /// The pages of `request`, whose `page_at` sends it for one page.
    /// `offset` and `limit` are what the caller set on it, as sent on the
    /// wire: the walk starts at the offset, and pages are the limit's size,
    /// at most `page_limit` (the largest the spec allows).
    #[allow(dead_code)] // Used by collection operations.
    pub(crate) fn by_offset<R: Send + 'static>(
        request: R,
        page_at: PageAt<R, T, E>,
        offset: Option<&str>,
        limit: Option<&str>,
        page_limit: u64,
        can_count: bool,
    ) -> Self
    where
        T: 'static,
        E: 'static,
    {
        let page_limit = page_limit.max(1);
        let page_size = limit
            .and_then(|limit| limit.trim().parse::<u64>().ok())
            .filter(|limit| *limit > 0)
            .map_or(page_limit, |limit| limit.min(page_limit));
        Self {
            fetch: Box::new(move |offset, limit, count| page_at(&request, offset, limit, count)),
            next_offset: offset
                .and_then(|offset| offset.trim().parse().ok())
                .unwrap_or(0),
            page_size,
            can_count,
            total: None,
            remaining: None,
            in_flight: None,
            started: false,
            done: false,
        }
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

    /// The next page, or `None` after the last: the stream's next item,
    /// for code without a `StreamExt`.
    pub async fn next_page(&mut self) -> Option<Result<Vec<T>, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The limit of the next page to ask for, or `None` when the walk is
    /// over.
    fn next_limit(&self) -> Option<u64> {
        if self.total.is_some_and(|total| self.next_offset >= total) {
            return None;
        }
        match self.remaining {
            Some(0) => None,
            Some(remaining) => Some(self.page_size.min(remaining)),
            None => Some(self.page_size),
        }
    }

    /// Takes in a page of `got` items asked for with `limit`, and whether
    /// it was the last.
    fn advance(&mut self, got: u64, limit: u64) {
        self.next_offset = self.next_offset.saturating_add(got);
        if let Some(remaining) = &mut self.remaining {
            *remaining = remaining.saturating_sub(got);
        }
        let last = match self.total {
            // A page shorter than asked for is not the end while the total
            // says there is more (the server may cut pages smaller).
            Some(total) => got == 0 || self.next_offset >= total,
            None => got < limit,
        };
        if last {
            self.done = true;
        }
    }
}

impl<T, E> Stream for Pages<T, E> {
    type Item = Result<Vec<T>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
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
                this.in_flight = Some((limit, (this.fetch)(this.next_offset, limit, ask_total)));
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
            this.advance(page.len() as u64, limit);
            // An empty page ends the walk without being an item.
            if !page.is_empty() {
                return Poll::Ready(Some(Ok(page)));
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done {
            (0, Some(0))
        } else {
            (0, None)
        }
    }
}

impl<T, E> fmt::Debug for Pages<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("next_offset", &self.next_offset)
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
