//! A success answer with what came with it.

/// The header in which SailPoint's collections give their size when asked
/// with `count=true`.
const TOTAL_COUNT: &str = "x-total-count";

/// What `send_with_response()` returns: a future of the answer with its
/// metadata, or the operation's error.
pub type ResponseFuture<T, E> =
    super::auth::BoxFuture<'static, Result<Response<T>, super::error::Error<E>>>;

/// A success answer with its status and headers, from
/// `send_with_response()`; `send()` and `.await` give the body alone.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: http::StatusCode,
    headers: http::HeaderMap,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: http::StatusCode, headers: http::HeaderMap, body: T) -> Self {
        Self {
            status,
            headers,
            body,
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

    /// The size of the whole collection, from the `X-Total-Count` header
    /// that a collection sends when asked with `count(true)`; `None` when
    /// the header is absent or not a number.
    pub fn total_count(&self) -> Option<u64> {
        self.headers
            .get(TOTAL_COUNT)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, without the rest.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (http::StatusCode, http::HeaderMap, T) {
        (self.status, self.headers, self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_total(value: &str) -> Response<()> {
        let mut headers = http::HeaderMap::new();
        headers.insert(TOTAL_COUNT, http::HeaderValue::from_str(value).unwrap());
        Response::new(http::StatusCode::OK, headers, ())
    }

    #[test]
    fn the_total_count_is_read_from_its_header() {
        assert_eq!(with_total("250").total_count(), Some(250));
        assert_eq!(with_total(" 7 ").total_count(), Some(7));
        assert_eq!(with_total("many").total_count(), None);
        assert_eq!(with_total("-1").total_count(), None);
        let none = Response::new(http::StatusCode::OK, http::HeaderMap::new(), ());
        assert_eq!(none.total_count(), None);
    }
}
