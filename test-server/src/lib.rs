//! The tests' HTTP/1.1 server on loopback: it records every request and
//! answers as each test tells it.
//!
//! The server runs on a thread of its own, with its own runtime, so that a
//! test of any kind (a `#[tokio::test]`, a plain `#[test]` that runs a
//! binary, a benchmark) starts it the same way, and the client's runtime
//! does not schedule it. It stops when the [`Server`] is dropped.
//!
//! ```
//! use test_server::{Reply, Server};
//!
//! let server = Server::replying(Reply::json(200, r#"{"status": "STARTED"}"#));
//! let url = server.url(); // http://127.0.0.1:PORT
//! # drop(url);
//! assert!(server.requests().is_empty());
//! ```

#![forbid(unsafe_code)]

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

/// A request as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// `GET`, `POST`, …
    pub method: String,
    /// The request target exactly as sent, percent-escapes included.
    pub target: String,
    /// Every header, names lower-cased, values as sent (invalid UTF-8
    /// replaced). Headers of one name keep their order.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl Recorded {
    /// Every value of the header `name` (lower-case).
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(header, _)| header == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The target's path, without the query.
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(path, _)| path)
    }

    /// The value of the query parameter `name`, as sent (still escaped).
    pub fn query_value(&self, name: &str) -> Option<&str> {
        let (_, query) = self.target.split_once('?')?;
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answers with this status, these extra headers and this body (its
    /// `content-length` is added).
    Answer {
        /// The status code.
        status: u16,
        /// Headers besides `content-length`.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Closes the connection without answering.
    Drop,
    /// Answers with this status and a chunked `application/json` body of
    /// spaces (valid JSON whitespace, and never a value): `total` bytes,
    /// or without end until the client goes away. A server or proxy gone
    /// wrong.
    Spaces {
        /// The status code.
        status: u16,
        /// How many bytes; `None`: until the client closes the connection.
        total: Option<u64>,
    },
    /// Waits, then replies.
    Delay(Duration, Box<Reply>),
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: &str) -> Self {
        Self::Answer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// An answer without body.
    pub fn empty(status: u16) -> Self {
        Self::Answer {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The same reply with one more header (only an [`Reply::Answer`] has
    /// headers; a delayed one gets it too).
    pub fn with_header(self, name: &str, value: &str) -> Self {
        match self {
            Self::Answer {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Self::Answer {
                    status,
                    headers,
                    body,
                }
            }
            Self::Delay(wait, next) => Self::Delay(wait, Box::new(next.with_header(name, value))),
            other => other,
        }
    }
}

type Responder = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// What the connections share: the answers and the record.
struct Shared {
    respond: Box<Responder>,
    recorded: Mutex<Vec<Recorded>>,
}

/// The server. It stops, and its port closes, when it is dropped.
pub struct Server {
    address: std::net::SocketAddr,
    scheme: &'static str,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Starts a server that answers every request with `respond`.
    ///
    /// # Panics
    /// When no loopback port or thread can be had (the machine is out of
    /// them: no test could run).
    pub fn start(respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        Self::launch(Connections::Plain, Box::new(respond))
    }

    /// Starts a server that always answers with `reply`.
    pub fn replying(reply: Reply) -> Self {
        Self::start(move |_| reply.clone())
    }

    /// Starts a server speaking TLS (1.2 and 1.3) with this certificate
    /// chain's first certificate and its PKCS #8 private key, both DER.
    ///
    /// # Panics
    /// When rustls refuses the certificate or key, as [`Server::start`].
    #[cfg(feature = "tls")]
    pub fn start_tls(
        certificate_der: &[u8],
        pkcs8_key_der: &[u8],
        respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("rustls supports its default protocol versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![certificate_der.to_vec().into()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(pkcs8_key_der.to_vec().into()),
            )
            .expect("a certificate and key rustls accepts");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        Self::launch(Connections::Tls(acceptor), Box::new(respond))
    }

    fn launch(connections: Connections, respond: Box<Responder>) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let address = listener.local_addr().expect("the port's address");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking socket");
        let scheme = connections.scheme();
        let shared = Arc::new(Shared {
            respond,
            recorded: Mutex::new(Vec::new()),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let thread = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(format!("test-server {address}"))
                .spawn(move || {
                    runtime.spawn(accept(listener, connections, shared));
                    // Until the server is dropped; dropping the runtime
                    // then ends every connection.
                    let _ = runtime.block_on(stopped);
                })
                .expect("a thread")
        };
        Self {
            address,
            scheme,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`, or `https://` for a TLS server.
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.address)
    }

    /// The requests received so far, in the order they arrived.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.recorded).clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A panicking test must not hide the requests from the next assertion.
fn lock(recorded: &Mutex<Vec<Recorded>>) -> std::sync::MutexGuard<'_, Vec<Recorded>> {
    recorded.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How accepted connections are spoken to.
#[derive(Clone)]
enum Connections {
    Plain,
    #[cfg(feature = "tls")]
    Tls(tokio_rustls::TlsAcceptor),
}

impl Connections {
    fn scheme(&self) -> &'static str {
        match self {
            Self::Plain => "http",
            #[cfg(feature = "tls")]
            Self::Tls(_) => "https",
        }
    }
}

async fn accept(listener: std::net::TcpListener, connections: Connections, shared: Arc<Shared>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    while let Ok((stream, _)) = listener.accept().await {
        // Answers are small; Nagle's algorithm against delayed ACKs would
        // make a call take 40 ms.
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        let connections = connections.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |request| answer(request, Arc::clone(&shared)));
            let http = hyper::server::conn::http1::Builder::new();
            match connections {
                Connections::Plain => {
                    let _ = http.serve_connection(TokioIo::new(stream), service).await;
                }
                #[cfg(feature = "tls")]
                Connections::Tls(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        let _ = http.serve_connection(TokioIo::new(stream), service).await;
                    }
                }
            }
        });
    }
}

/// The service's error: hyper closes the connection without an answer.
#[derive(Debug)]
struct CloseConnection;

impl std::fmt::Display for CloseConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("closing the connection without an answer")
    }
}

impl std::error::Error for CloseConnection {}

async fn answer(
    request: Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<Response<AnswerBody>, CloseConnection> {
    let (head, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|_| CloseConnection)?
        .to_bytes();
    let recorded = Recorded {
        method: head.method.to_string(),
        target: head.uri.to_string(),
        headers: head
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect(),
        body: body.to_vec(),
    };
    lock(&shared.recorded).push(recorded.clone());
    let mut reply = (shared.respond)(&recorded);
    let (status, headers, body) = loop {
        match reply {
            Reply::Delay(wait, next) => {
                tokio::time::sleep(wait).await;
                reply = *next;
            }
            Reply::Drop => return Err(CloseConnection),
            Reply::Answer {
                status,
                headers,
                body,
            } => break (status, headers, AnswerBody::Whole(Some(body.into()))),
            Reply::Spaces { status, total } => {
                let json = vec![("content-type".to_owned(), "application/json".to_owned())];
                break (status, json, AnswerBody::Spaces { left: total });
            }
        }
    };
    let mut response = Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(name, value);
    }
    Ok(response
        .body(body)
        .expect("the test's status and headers are valid HTTP"))
}

/// The bytes of each chunk of [`Reply::Spaces`].
static SPACES: [u8; 64 * 1024] = [b' '; 64 * 1024];

/// A response body: whole (its length known, so sent with
/// `content-length`), or spaces of no announced length (so chunked).
enum AnswerBody {
    Whole(Option<Bytes>),
    Spaces { left: Option<u64> },
}

impl Body for AnswerBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let frame = match self.get_mut() {
            Self::Whole(body) => body.take().filter(|body| !body.is_empty()),
            Self::Spaces { left: None } => Some(Bytes::from_static(&SPACES)),
            Self::Spaces { left: Some(left) } => {
                let size = (*left).min(SPACES.len() as u64);
                *left -= size;
                let size = usize::try_from(size).unwrap_or(SPACES.len());
                (size > 0).then(|| Bytes::from_static(&SPACES[..size]))
            }
        };
        Poll::Ready(frame.map(|data| Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Whole(body) => body.as_ref().is_none_or(Bytes::is_empty),
            Self::Spaces { left } => *left == Some(0),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Whole(body) => {
                SizeHint::with_exact(body.as_ref().map_or(0, |body| body.len() as u64))
            }
            Self::Spaces { .. } => SizeHint::default(),
        }
    }
}
