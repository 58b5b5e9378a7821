//! The hand-written runtime: the HTTP client, authentication and errors.
//! The generated operations and models build on it.

mod auth;
mod client;
mod encoding;
mod error;

pub use self::auth::{AccessToken, AuthError, BoxFuture, StaticToken, TokenSource};
pub use self::client::{Client, ClientBuilder, ConfigError};
pub use self::error::{ApiError, Error, OperationError};

pub(crate) use self::client::{path_param, ApiRequest};
pub(crate) use self::encoding::nullable;
