//! A real HTTP/1.1 server on loopback for the tests: it records every
//! request exactly as it came off the socket and answers as told.

#![allow(dead_code)] // Each test file uses a different part of it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

/// A request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target exactly as sent, percent-escapes included.
    pub target: String,
    /// Every header line, in order, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// Every value of the header `name`.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(header, _)| header == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answers with this status, these extra headers and this body.
    Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Closes the connection without answering.
    Drop,
    /// Answers with this status and a chunked JSON-looking body that never
    /// ends, until the client goes away: a server gone wrong.
    Endless { status: u16 },
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

    /// The same reply with one more header.
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
            other => other,
        }
    }
}

type Responder = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// The server; it stops when dropped.
pub struct Server {
    address: std::net::SocketAddr,
    scheme: &'static str,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts a server that answers every request with `respond`.
    pub async fn start(respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        Self::listen(None, respond).await
    }

    /// Starts a server speaking TLS with the certificate in `tests/tls/`
    /// (for `localhost` and `127.0.0.1`, signed by `tests/tls/root.der`).
    pub async fn start_tls(respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let certificate = include_bytes!("../tls/server.der").to_vec();
        let key = include_bytes!("../tls/server.key.der").to_vec();
        let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![certificate.into()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.into()),
        )
        .unwrap();
        Self::listen(
            Some(tokio_rustls::TlsAcceptor::from(Arc::new(config))),
            respond,
        )
        .await
    }

    async fn listen(
        tls: Option<tokio_rustls::TlsAcceptor>,
        respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let scheme = if tls.is_some() { "https" } else { "http" };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let respond: Arc<Responder> = Arc::new(respond);
        let task = {
            let recorded = Arc::clone(&recorded);
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let _ = stream.set_nodelay(true);
                    let recorded = Arc::clone(&recorded);
                    let respond = Arc::clone(&respond);
                    let tls = tls.clone();
                    tokio::spawn(async move {
                        match tls {
                            None => {
                                let _ = serve(stream, &recorded, &*respond).await;
                            }
                            Some(tls) => {
                                if let Ok(stream) = tls.accept(stream).await {
                                    let _ = serve(stream, &recorded, &*respond).await;
                                }
                            }
                        }
                    });
                }
            })
        };
        Self {
            address,
            scheme,
            recorded,
            task,
        }
    }

    /// Always answers with `reply`.
    pub async fn replying(reply: Reply) -> Self {
        Self::start(move |_| reply.clone()).await
    }

    /// `http://127.0.0.1:PORT`, or `https://` for a TLS server.
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.address)
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: impl AsyncRead + AsyncWrite + Unpin,
    recorded: &Mutex<Vec<Recorded>>,
    respond: &Responder,
) -> std::io::Result<()> {
    loop {
        let Some(request) = read_request(&mut stream).await? else {
            return Ok(());
        };
        recorded.lock().unwrap().push(request.clone());
        let mut reply = respond(&request);
        while let Reply::Delay(wait, next) = reply {
            tokio::time::sleep(wait).await;
            reply = *next;
        }
        if let Reply::Endless { status } = reply {
            let head = format!(
                "HTTP/1.1 {status} Status\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await?;
            let chunk = vec![b' '; 64 * 1024];
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            // Until the client closes the connection (a write then fails).
            loop {
                stream.write_all(&framed).await?;
            }
        }
        let Reply::Answer {
            status,
            headers,
            body,
        } = reply
        else {
            return Ok(());
        };
        let mut head = format!(
            "HTTP/1.1 {status} Status\r\ncontent-length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        // One write: a head and a body in two small packets meet Nagle's
        // algorithm and delayed ACKs, and a call then takes 40 ms.
        let mut answer = head.into_bytes();
        answer.extend_from_slice(&body);
        stream.write_all(&answer).await?;
        stream.flush().await?;
    }
}

/// Reads one request; `None` when the client closed the connection.
async fn read_request(stream: &mut (impl AsyncRead + Unpin)) -> std::io::Result<Option<Recorded>> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Ok(Some(Recorded {
        method,
        target,
        headers,
        body,
    }))
}
