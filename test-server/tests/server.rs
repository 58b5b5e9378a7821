//! The server on the wire: requests written by hand on a socket, answers
//! read back byte by byte.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use test_server::{Recorded, Reply, Server};

/// Sends `request` on a new connection and reads until the server closes it.
fn exchange(server: &Server, request: &str) -> String {
    let address = server.url().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(address).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8(answer).unwrap()
}

/// The body of a chunked answer, its chunks joined.
fn unchunk(answer: &str) -> String {
    let (head, mut rest) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.contains("transfer-encoding: chunked"), "{head}");
    let mut body = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n").unwrap();
        let size = usize::from_str_radix(size, 16).unwrap();
        if size == 0 {
            return body;
        }
        body.push_str(&after[..size]);
        rest = after[size..].strip_prefix("\r\n").unwrap();
    }
}

#[test]
fn a_request_is_recorded_as_sent_and_answered_as_told() {
    let server = Server::start(|request| {
        Reply::json(201, &format!("{{\"seen\": {}}}", request.body.len()))
            .with_header("x-trace", "t-1")
    });
    let answer = exchange(
        &server,
        "POST /v1/a%2Fb?x=1&y=%20 HTTP/1.1\r\nHost: here\r\nX-Many: 1\r\nX-Many: 2\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
    );
    assert!(answer.starts_with("HTTP/1.1 201 Created\r\n"), "{answer}");
    assert!(
        answer.contains("content-type: application/json\r\n"),
        "{answer}"
    );
    assert!(answer.contains("x-trace: t-1\r\n"), "{answer}");
    assert!(answer.contains("content-length: 11\r\n"), "{answer}");
    assert!(answer.ends_with("\r\n\r\n{\"seen\": 5}"), "{answer}");
    let requests = server.requests();
    assert_eq!(
        requests,
        [Recorded {
            method: "POST".into(),
            target: "/v1/a%2Fb?x=1&y=%20".into(),
            headers: [
                ("host", "here"),
                ("x-many", "1"),
                ("x-many", "2"),
                ("content-length", "5"),
                ("connection", "close"),
            ]
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .to_vec(),
            body: b"hello".to_vec(),
        }]
    );
    assert_eq!(requests[0].header_values("x-many"), ["1", "2"]);
    assert_eq!(requests[0].path(), "/v1/a%2Fb");
    assert_eq!(requests[0].query_value("y"), Some("%20"));
    assert_eq!(requests[0].query_value("z"), None);
}

#[test]
fn requests_on_one_connection_are_each_answered_in_order() {
    let server = Server::start(|request| Reply::json(200, request.path()));
    let answer = exchange(
        &server,
        "GET /one HTTP/1.1\r\nHost: h\r\n\r\nGET /two HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    );
    let one = answer.find("\r\n\r\n/one").unwrap();
    let two = answer.find("\r\n\r\n/two").unwrap();
    assert!(one < two, "{answer}");
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/one", "/two"]);
}

#[test]
fn a_dropped_request_gets_no_answer_at_all() {
    let server = Server::replying(Reply::Drop);
    let answer = exchange(&server, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    assert_eq!(answer, "");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn spaces_are_a_chunked_body_of_exactly_the_total() {
    let server = Server::replying(Reply::Spaces {
        status: 200,
        total: Some(100_000),
    });
    let answer = exchange(
        &server,
        "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer:.200}");
    let body = unchunk(&answer);
    assert_eq!(body.len(), 100_000);
    assert!(body.bytes().all(|byte| byte == b' '));
}

#[test]
fn endless_spaces_flow_until_the_client_goes_away() {
    let server = Server::start(|request| match request.path() {
        "/endless" => Reply::Spaces {
            status: 500,
            total: None,
        },
        _ => Reply::empty(204),
    });
    let address = server.url().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .write_all(b"GET /endless HTTP/1.1\r\nHost: h\r\n\r\n")
        .unwrap();
    let mut read = 0;
    let mut buffer = [0u8; 65536];
    while read < 10 << 20 {
        let got = stream.read(&mut buffer).unwrap();
        assert_ne!(got, 0, "the body ended after {read} bytes");
        read += got;
    }
    drop(stream);
    // The server is still there for the next client.
    let answer = exchange(
        &server,
        "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");
}

#[test]
fn a_delayed_reply_waits_then_answers() {
    let server = Server::replying(Reply::Delay(
        Duration::from_millis(300),
        Box::new(Reply::empty(204).with_header("x-late", "yes")),
    ));
    let started = Instant::now();
    let answer = exchange(
        &server,
        "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");
    assert!(answer.contains("x-late: yes\r\n"), "{answer}");
}

#[test]
fn a_dropped_server_closes_its_port() {
    let server = Server::replying(Reply::empty(204));
    let address = server.url().trim_start_matches("http://").to_owned();
    drop(server);
    let refused = TcpStream::connect(address).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
}
