//! The hand-written runtime: the HTTP client, authentication and errors.
//! The generated operations and models build on it.

mod auth;
mod client;
mod encoding;
mod error;
mod multipart;
pub(crate) mod object;
mod retry;

pub use self::auth::{
    AccessToken, AuthError, BoxFuture, ClientCredentials, StaticToken, TokenSource,
};
pub use self::client::{
    Client, ClientBuilder, ConfigError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
    ENV_ACCESS_TOKEN, ENV_BASE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET,
};
pub use self::error::{ApiError, Error, OperationError};
pub use self::multipart::Multipart;
pub use self::retry::{RetryPolicy, Timer, TokioTimer};

pub(crate) use self::client::{call, path_param, ApiRequest, RawResponse};
