//! The hand-written runtime: the HTTP client, authentication and errors.
//! The generated operations and models build on it.

mod auth;
mod client;
mod config;
mod encoding;
mod error;
mod execute;
mod multipart;
pub(crate) mod object;
mod paging;
mod rate;
mod request;
mod response;
mod retry;
mod stream;
pub(crate) mod string_enum;
mod union;

pub use self::auth::{
    AccessToken, AuthError, BoxFuture, ClientCredentials, StaticToken, TokenSource,
};
pub use self::client::Client;
pub use self::config::{
    ClientBuilder, ConfigError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_ANSWER_SIZE,
    DEFAULT_REQUEST_TIMEOUT, ENV_ACCESS_TOKEN, ENV_BASE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET,
};
pub use self::error::{ApiError, Error, OperationError};
pub use self::multipart::Multipart;
pub use self::paging::{Items, Pages};
pub use self::rate::RateBudget;
pub use self::response::{Response, ResponseFuture};
pub use self::retry::{RetryPolicy, Timer, TokioTimer};
pub use self::stream::ByteStream;

pub(crate) use self::execute::{call, call_with_response};
// Not every spec has binary answers.
#[allow(unused_imports)]
pub(crate) use self::execute::call_streaming;
pub(crate) use self::request::{path_param, ApiRequest, RawResponse};
// Not every spec has collections.
#[allow(unused_imports)]
pub(crate) use self::paging::OffsetPaging;
// Not every spec has objects, string enums and unions.
#[allow(unused_imports)]
pub(crate) use self::object::impl_object;
#[allow(unused_imports)]
pub(crate) use self::string_enum::impl_string_enum;
#[allow(unused_imports)]
pub(crate) use self::union::impl_union;
