//! A request as an operation prepares it, and a whole answer before the
//! operation decodes it.

use super::error::{ApiError, Error};

/// A request as an operation describes it: path already encoded.
#[derive(Clone)]
pub(crate) struct ApiRequest {
    pub(super) operation: &'static str,
    pub(super) method: http::Method,
    /// The path as the spec writes it, for traces.
    pub(super) path_template: &'static str,
    pub(super) path: String,
    pub(super) accept: &'static str,
    /// Content type and bytes, kept whole so that a retry sends them again.
    pub(super) body: Option<(String, bytes::Bytes)>,
    pub(super) headers: Vec<(&'static str, String)>,
    /// Sorted by name, as operations add them.
    pub(super) query: Vec<(&'static str, String)>,
    /// A success answer is handed over unread, to be streamed.
    pub(super) stream_success: bool,
}

impl ApiRequest {
    pub(crate) fn new(
        operation: &'static str,
        method: http::Method,
        path_template: &'static str,
        path: String,
        accept: &'static str,
    ) -> Self {
        Self {
            operation,
            method,
            path_template,
            path,
            accept,
            body: None,
            headers: Vec::new(),
            query: Vec::new(),
            stream_success: false,
        }
    }

    #[allow(dead_code)] // Not every spec needs it.
    pub(crate) fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    #[allow(dead_code)] // Used by operations with query parameters.
    pub(crate) fn query(&mut self, name: &'static str, value: String) {
        self.query.push((name, value));
    }

    /// The value of the query parameter `name`, if set.
    #[allow(dead_code)] // Used by collection operations.
    pub(super) fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Sets the query parameter `name` to `value`, in its place by name.
    #[allow(dead_code)] // Used by collection operations.
    pub(super) fn set_query(&mut self, name: &'static str, value: String) {
        match self.query.iter_mut().find(|(key, _)| *key == name) {
            Some((_, old)) => *old = value,
            None => {
                let at = self.query.partition_point(|(key, _)| *key < name);
                self.query.insert(at, (name, value));
            }
        }
    }

    /// A JSON body, sent as `content_type` (such as `application/json-patch+json`).
    #[allow(dead_code)] // Used by operations with JSON bodies.
    pub(crate) fn json_body<T: serde::Serialize, E>(
        &mut self,
        content_type: &str,
        value: &T,
    ) -> Result<(), Error<E>> {
        let bytes = serde_json::to_vec(value).map_err(|error| Error::InvalidRequest {
            operation: self.operation,
            message: format!("the body cannot be written as JSON: {error}"),
        })?;
        self.body = Some((content_type.to_owned(), bytes.into()));
        Ok(())
    }

    /// A form body: each top-level field of `value`, text as it is and
    /// anything else as JSON.
    #[allow(dead_code)] // Used by operations with form bodies.
    pub(crate) fn form_body<T: serde::Serialize, E>(&mut self, value: &T) -> Result<(), Error<E>> {
        let invalid = |message: String| Error::InvalidRequest {
            operation: self.operation,
            message,
        };
        let fields = match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(fields)) => fields,
            Ok(other) => {
                return Err(invalid(format!(
                    "a form body must be an object, not {other}"
                )))
            }
            Err(error) => return Err(invalid(format!("the body cannot be written: {error}"))),
        };
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in fields {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::String(text) => {
                    form.append_pair(&name, &text);
                }
                other => {
                    form.append_pair(&name, &other.to_string());
                }
            }
        }
        self.body = Some((
            "application/x-www-form-urlencoded".to_owned(),
            form.finish().into(),
        ));
        Ok(())
    }

    /// A `multipart/form-data` body.
    #[allow(dead_code)] // Used by operations with multipart bodies.
    pub(crate) fn multipart_body(&mut self, body: super::multipart::Multipart) {
        self.body = Some(body.encode());
    }

    /// Bytes as they are, sent as `content_type`.
    #[allow(dead_code)] // Used by operations with binary bodies.
    pub(crate) fn binary_body(&mut self, content_type: &str, body: bytes::Bytes) {
        self.body = Some((content_type.to_owned(), body));
    }
}

/// Checks a path parameter before it goes into the path: an empty value
/// would silently address another resource.
#[allow(dead_code)] // Not every spec needs it.
pub(crate) fn path_param<'a, E>(
    operation: &'static str,
    name: &str,
    value: &'a str,
) -> Result<std::borrow::Cow<'a, str>, Error<E>> {
    if value.is_empty() {
        return Err(Error::InvalidRequest {
            operation,
            message: format!("path parameter {name} must not be empty"),
        });
    }
    Ok(super::encoding::path_segment(value))
}

/// A whole answer, before the operation gives it a type.
pub(crate) struct RawResponse {
    pub(super) operation: &'static str,
    pub(super) status: http::StatusCode,
    pub(super) headers: http::HeaderMap,
    pub(super) body: bytes::Bytes,
    /// A success answer of a streamed call, its body unread.
    pub(super) stream: Option<reqwest::Response>,
}

impl RawResponse {
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes a success body.
    #[allow(dead_code)] // Not every spec needs it.
    pub(crate) fn json<T: serde::de::DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body)
            .map_err(|error| Error::decode(self.operation, self.status, &self.body, &error))
    }

    /// A success whose body is not JSON: the bytes as received.
    #[allow(dead_code)] // Used by operations with such answers.
    pub(crate) fn bytes<E>(self) -> Result<bytes::Bytes, Error<E>> {
        Ok(self.body)
    }

    /// A documented error whose body is not JSON: the bytes as received.
    #[allow(dead_code)] // Used by operations with such answers.
    pub(crate) fn error_bytes<E>(self, variant: fn(bytes::Bytes) -> E) -> Error<E> {
        let body = self.body.clone();
        self.api_error(variant(body))
    }

    /// A success without a body; whatever was sent is ignored.
    #[allow(dead_code)] // Not every spec needs it.
    pub(crate) fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// Decodes a documented error body into its variant. An empty body reads
    /// as `{}`, as gateways answer some errors without one.
    #[allow(dead_code)] // Not every spec needs it.
    pub(crate) fn error<T: serde::de::DeserializeOwned, E>(self, variant: fn(T) -> E) -> Error<E> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &self.body
        };
        match serde_json::from_slice(body) {
            Ok(value) => self.api_error(variant(value)),
            Err(error) => Error::decode(self.operation, self.status, &self.body, &error),
        }
    }

    /// An error status whose body the spec does not describe.
    pub(crate) fn api_error<E>(self, error: E) -> Error<E> {
        Error::Api(Box::new(ApiError::new(
            self.operation,
            self.status,
            self.headers,
            self.body,
            error,
        )))
    }
}
