//! The generated Classify Source client against a real HTTP server on
//! loopback: what goes on the wire, and what each answer becomes.

use std::time::Duration;

use sailpoint_v2025::apis::classify_source::{
    DeleteClassifyMachineAccountFromSourceError, GetClassifyMachineAccountFromSourceStatusError,
    SendClassifyMachineAccountFromSourceError,
};
use sailpoint_v2025::models::{
    LocaleOrigin, SourceClassificationStatus, SourceClassificationStatusStatus,
};
use sailpoint_v2025::{Client, Error, RetryPolicy};
use test_server::{Recorded, Reply, Server};

const TOKEN: &str = "test-token-0123";

const STATUS_BODY: &str = r#"{
    "status": "COLLECTED",
    "started": "2017-07-11T18:45:37.098Z",
    "updated": null,
    "counts": {"EXPECTED": 1000, "RECEIVED": 800, "COMPLETED": 500},
    "someFieldAddedLater": {"nested": true}
}"#;

/// A client that makes one attempt per call: these tests are about what
/// one answer becomes (retries are tested over the simulator).
fn client(server: &Server) -> Client {
    client_for(&server.url())
}

/// Reads the status of `src-1` from `server` with a one-attempt client.
async fn read_status(
    server: &Server,
) -> Result<SourceClassificationStatus, Error<GetClassifyMachineAccountFromSourceStatusError>> {
    client(server)
        .classify_source()
        .get_classify_machine_account_from_source_status("src-1")
        .await
}

fn client_for(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .access_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn error_body(detail: &str) -> String {
    format!(
        r#"{{"detailCode": "{detail}", "trackingId": "b21b1f7ce4da4d639f2c62a57171b427",
            "messages": [{{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "it failed"}}]}}"#
    )
}

#[tokio::test]
async fn get_status_decodes_the_typed_body_and_ignores_unknown_fields() {
    let server = Server::replying(Reply::json(200, STATUS_BODY));
    let status = read_status(&server).await.unwrap();
    assert_eq!(
        status.status,
        Some(SourceClassificationStatusStatus::Collected)
    );
    let started = status.started.unwrap();
    assert_eq!(started.to_rfc3339(), "2017-07-11T18:45:37.098+00:00");
    assert_eq!(status.updated, Some(None), "null is kept apart from absent");
    let counts = status.counts.unwrap();
    assert_eq!(
        (counts.expected, counts.received, counts.completed),
        (1000, 800, 500)
    );
}

#[tokio::test]
async fn absent_and_present_nullable_dates_are_told_apart() {
    let server = Server::replying(Reply::json(
        200,
        r#"{"status": "COMPLETED", "updated": "2018-06-25T20:22:28.104Z"}"#,
    ));
    let status = read_status(&server).await.unwrap();
    let updated = status.updated.unwrap().unwrap();
    assert_eq!(updated.to_rfc3339(), "2018-06-25T20:22:28.104+00:00");
    assert_eq!(status.counts, None);
    assert_eq!(status.started, None);

    let server = Server::replying(Reply::json(200, r#"{"status": "STARTED"}"#));
    let status = read_status(&server).await.unwrap();
    assert_eq!(status.updated, None, "absent is None");
}

#[tokio::test]
async fn enum_values_the_spec_does_not_know_are_kept_and_round_trip() {
    let server = Server::replying(Reply::json(200, r#"{"status": "PAUSED"}"#));
    let status = read_status(&server).await.unwrap();
    let value = status.status.unwrap();
    assert_eq!(
        value,
        SourceClassificationStatusStatus::Unknown("PAUSED".into())
    );
    assert_eq!(value.as_str(), "PAUSED");
    assert_eq!(serde_json::to_string(&value).unwrap(), r#""PAUSED""#);
    let known: SourceClassificationStatusStatus = serde_json::from_str(r#""TERMINATED""#).unwrap();
    assert_eq!(known, SourceClassificationStatusStatus::Terminated);
    assert_eq!(known.to_string(), "TERMINATED");
}

#[tokio::test]
async fn requests_carry_the_encoded_path_one_bearer_header_and_the_experimental_header() {
    let server = Server::replying(Reply::json(200, STATUS_BODY));
    client(&server)
        .classify_source()
        .get_classify_machine_account_from_source_status("a b/c+d")
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/v2025/sources/a%20b%2Fc%2Bd/classify");
    assert_eq!(
        request.header_values("authorization"),
        [format!("Bearer {TOKEN}")]
    );
    assert_eq!(request.header_values("x-sailpoint-experimental"), ["true"]);
    assert_eq!(request.header_values("accept"), ["application/json"]);
}

#[tokio::test]
async fn every_operation_uses_its_method_and_the_same_path() {
    let server = Server::start(|request| match request.method.as_str() {
        "POST" => Reply::json(200, r#"{"Accounts submitted for processing": 100}"#),
        "DELETE" => Reply::empty(204),
        _ => Reply::json(200, STATUS_BODY),
    });
    let client = client(&server);
    let api = client.classify_source();
    let submitted = api
        .send_classify_machine_account_from_source("src-1")
        .await
        .unwrap();
    assert_eq!(submitted.accounts_submitted_for_processing, Some(100));
    api.delete_classify_machine_account_from_source("src-1")
        .send()
        .await
        .unwrap();
    api.get_classify_machine_account_from_source_status("src-1")
        .await
        .unwrap();
    let seen: Vec<(String, String)> = server
        .requests()
        .into_iter()
        .map(|request| (request.method, request.target))
        .collect();
    let path = "/v2025/sources/src-1/classify".to_owned();
    assert_eq!(
        seen,
        [
            ("POST".to_owned(), path.clone()),
            ("DELETE".to_owned(), path.clone()),
            ("GET".to_owned(), path)
        ]
    );
}

#[tokio::test]
async fn the_experimental_header_can_be_overridden_and_is_sent_once() {
    let server = Server::replying(Reply::empty(204));
    client(&server)
        .classify_source()
        .delete_classify_machine_account_from_source("src-1")
        .x_sail_point_experimental("false")
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.header_values("x-sailpoint-experimental"), ["false"]);
    assert_eq!(request.header_values("authorization").len(), 1);
}

#[tokio::test]
async fn the_base_url_path_is_kept_in_front_of_the_server_path() {
    let server = Server::replying(Reply::json(200, STATUS_BODY));
    let client = client_for(&format!("{}/proxy/", server.url()));
    assert_eq!(
        client.api_base_url(),
        format!("{}/proxy/v2025", server.url())
    );
    client
        .classify_source()
        .get_classify_machine_account_from_source_status("x")
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/proxy/v2025/sources/x/classify"
    );
}

#[tokio::test]
async fn documented_error_statuses_carry_their_typed_bodies() {
    use GetClassifyMachineAccountFromSourceStatusError as E;
    for status in [400u16, 403, 404, 500] {
        let server = Server::replying(Reply::json(status, &error_body("detail")));
        let error = read_status(&server).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(
            error.tracking_id(),
            Some("b21b1f7ce4da4d639f2c62a57171b427")
        );
        let api = error.as_api().unwrap();
        let body = match (status, api.error()) {
            (400, E::BadRequest(body))
            | (403, E::Forbidden(body))
            | (404, E::NotFound(body))
            | (500, E::InternalServerError(body)) => body,
            (status, other) => panic!("{status} became {other:?}"),
        };
        assert_eq!(body.detail_code.as_deref(), Some("detail"));
        let message = &body.messages.as_ref().unwrap()[0];
        assert_eq!(message.locale_origin, Some(Some(LocaleOrigin::Default)));
        assert_eq!(message.text.as_deref(), Some("it failed"));
        assert!(error
            .to_string()
            .contains("b21b1f7ce4da4d639f2c62a57171b427"));
    }
}

#[tokio::test]
async fn unauthorized_has_its_own_body_shape() {
    let server = Server::replying(Reply::json(
        401,
        r#"{"error": "JWT validation failed: JWT is expired"}"#,
    ));
    let error = client(&server)
        .classify_source()
        .send_classify_machine_account_from_source("src-1")
        .await
        .unwrap_err();
    match error.as_api().map(|api| api.error()) {
        Some(SendClassifyMachineAccountFromSourceError::Unauthorized(body)) => {
            assert_eq!(
                body.error,
                Some(serde_json::json!("JWT validation failed: JWT is expired"))
            );
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert_eq!(error.tracking_id(), None);
    assert!(!error.to_string().contains(TOKEN));
    assert!(!format!("{error:?}").contains(TOKEN));
}

#[tokio::test]
async fn too_many_requests_exposes_retry_after_in_seconds_or_as_a_date() {
    let server = Server::replying(
        Reply::json(429, r#"{"message": " Rate Limit Exceeded "}"#).with_header("Retry-After", "7"),
    );
    let error = client(&server)
        .classify_source()
        .delete_classify_machine_account_from_source("src-1")
        .await
        .unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    assert!(error.is_retryable());
    match error.as_api().map(|api| api.error()) {
        Some(DeleteClassifyMachineAccountFromSourceError::TooManyRequests(body)) => {
            assert_eq!(
                body.message,
                Some(serde_json::json!(" Rate Limit Exceeded "))
            );
        }
        other => panic!("expected TooManyRequests, got {other:?}"),
    }

    let server = Server::replying(
        Reply::json(429, "{}").with_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
    );
    let error = client(&server)
        .classify_source()
        .delete_classify_machine_account_from_source("src-1")
        .await
        .unwrap_err();
    assert_eq!(
        error.retry_after(),
        Some(Duration::ZERO),
        "a date in the past"
    );
}

#[tokio::test]
async fn undocumented_statuses_keep_status_headers_and_raw_body() {
    let server = Server::replying(Reply::Answer {
        status: 418,
        headers: vec![("x-teapot".into(), "short and stout".into())],
        body: b"<html>I'm a teapot</html>".to_vec(),
    });
    let error = read_status(&server).await.unwrap_err();
    let api = error.as_api().expect("an API error");
    assert_eq!(
        api.error(),
        &GetClassifyMachineAccountFromSourceStatusError::Undocumented
    );
    assert_eq!(api.status().as_u16(), 418);
    assert_eq!(api.headers()["x-teapot"], "short and stout");
    assert_eq!(api.raw_body(), b"<html>I'm a teapot</html>");
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn undecodable_bodies_keep_status_excerpt_and_serde_message() {
    let server = Server::replying(Reply::json(200, r#"{"status": "COMPLETED", "counts": 12"#));
    let error = read_status(&server).await.unwrap_err();
    match &error {
        Error::Decode {
            operation,
            status,
            body_excerpt,
            message,
        } => {
            assert_eq!(*operation, "getClassifyMachineAccountFromSourceStatus");
            assert_eq!(status.as_u16(), 200);
            assert!(body_excerpt.starts_with(r#"{"status": "COMPLETED""#));
            assert!(message.contains("line 1"), "{message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }

    let server = Server::replying(Reply::json(200, r#"{"counts": {"EXPECTED": 1}}"#));
    let error = read_status(&server).await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { message, .. } if message.contains("RECEIVED")),
        "a missing required field is named: {error:?}"
    );

    let server = Server::replying(Reply::json(404, "<html>gateway</html>"));
    let error = read_status(&server).await.unwrap_err();
    assert!(matches!(&error, Error::Decode { status, .. } if status.as_u16() == 404));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn connection_failures_and_timeouts_are_distinct() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = client_for(&closed)
        .classify_source()
        .get_classify_machine_account_from_source_status("src-1")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(
        error.is_retryable(),
        "a refused connection never reached the server"
    );

    let server = Server::replying(Reply::Delay(
        Duration::from_secs(5),
        Box::new(Reply::json(200, STATUS_BODY)),
    ));
    let http = sailpoint_v2025::reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let impatient = Client::builder()
        .base_url(server.url())
        .access_token(TOKEN)
        .http_client(http)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = impatient
        .classify_source()
        .get_classify_machine_account_from_source_status("src-1")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");

    let server = Server::replying(Reply::Drop);
    let error = read_status(&server).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn https_servers_are_checked_against_mozilla_and_added_roots() {
    let server = tls_server(|_| Reply::json(200, STATUS_BODY));
    let url = server.url().replace("127.0.0.1", "localhost");
    assert!(url.starts_with("https://localhost:"), "{url}");

    let trusting = Client::builder()
        .base_url(&url)
        .access_token(TOKEN)
        .add_root_certificate(include_bytes!("tls/root.der").to_vec())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let status = trusting
        .classify_source()
        .get_classify_machine_account_from_source_status("src-1")
        .await
        .unwrap();
    assert_eq!(
        status.status,
        Some(SourceClassificationStatusStatus::Collected)
    );

    // The test root is in no public store: without it the server is refused
    // before any request, token included, is sent.
    let error = client_for(&url)
        .classify_source()
        .get_classify_machine_account_from_source_status("src-1")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(
        format!("{:?}", std::error::Error::source(&error)).contains("UnknownIssuer"),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_root_certificate_that_does_not_parse_is_a_config_error() {
    let error = Client::builder()
        .base_url("https://acme.api.identitynow.com")
        .access_token(TOKEN)
        .add_root_certificate(b"-----BEGIN CERTIFICATE-----".to_vec())
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("certificate"), "{error}");
}

#[tokio::test]
async fn bad_arguments_are_refused_before_anything_is_sent() {
    let server = Server::replying(Reply::json(200, STATUS_BODY));
    let client = client(&server);
    let error = client
        .classify_source()
        .get_classify_machine_account_from_source_status("")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { message, .. } if message.contains("sourceId")),
        "{error:?}"
    );
    let error = client
        .classify_source()
        .get_classify_machine_account_from_source_status("src-1")
        .x_sail_point_experimental("true\r\nX-Injected: yes")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { message, .. } if message.contains("X-SailPoint-Experimental")),
        "{error:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn requests_are_send_and_static_so_they_can_be_spawned() {
    let server = Server::replying(Reply::json(200, STATUS_BODY));
    let request = client(&server)
        .classify_source()
        .get_classify_machine_account_from_source_status("src-1");
    let status = tokio::spawn(request.send()).await.unwrap().unwrap();
    assert_eq!(
        status.status,
        Some(SourceClassificationStatusStatus::Collected)
    );
}

/// Reads the status of `src-1` with `client`.
async fn status_with(
    client: &Client,
) -> Result<SourceClassificationStatus, Error<GetClassifyMachineAccountFromSourceStatusError>> {
    client
        .classify_source()
        .get_classify_machine_account_from_source_status("src-1")
        .await
}

fn bounded_client(server: &Server, limit: u64) -> Client {
    Client::builder()
        .base_url(server.url())
        .access_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .max_answer_size(limit)
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_answer_over_the_limit_is_refused_by_its_length_or_as_it_is_read() {
    // Declared by Content-Length: refused before the body is read.
    let big = format!(
        "{{\"status\": \"COMPLETED\", \"pad\": \"{}\"}}",
        "x".repeat(1 << 20)
    );
    let server = Server::start(move |_| Reply::json(200, &big));
    let error = status_with(&bounded_client(&server, 64 * 1024))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::AnswerTooLarge { limit: 65_536, .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("getClassifyMachineAccountFromSourceStatus")
            && message.contains("65536 bytes")
            && message.contains("max_answer_size"),
        "{message}"
    );
    assert!(!error.is_retryable());

    // Chunked without end: reading stops at the limit.
    let server = Server::start(|_| Reply::Spaces {
        status: 200,
        total: None,
    });
    let started = std::time::Instant::now();
    let error = status_with(&bounded_client(&server, 1 << 20))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::AnswerTooLarge { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));

    // Within the limit, answers are read as before.
    let server = Server::start(|_| Reply::json(200, STATUS_BODY));
    status_with(&bounded_client(&server, 64 * 1024))
        .await
        .unwrap();
    assert_eq!(sailpoint_v2025::DEFAULT_MAX_ANSWER_SIZE, 32 * 1024 * 1024);
}

#[tokio::test]
async fn a_redirect_never_carries_the_token_to_another_origin() {
    let other = Server::start(|_| Reply::json(200, STATUS_BODY));
    let target = format!("{}/v2025/sources/src-1/classify", other.url());
    let server = Server::start(move |_| Reply::empty(307).with_header("location", &target));
    read_status(&server).await.unwrap();
    assert_eq!(server.requests()[0].header_values("authorization").len(), 1);
    let followed = other.requests();
    assert_eq!(followed.len(), 1);
    assert!(
        followed[0].header_values("authorization").is_empty(),
        "the other origin got the token: {:?}",
        followed[0].headers
    );
}

#[tokio::test]
async fn a_redirect_from_https_to_http_is_refused() {
    let plain = Server::start(|_| Reply::json(200, STATUS_BODY));
    let target = format!("{}/v2025/sources/src-1/classify", plain.url());
    let secure = tls_server(move |_| Reply::empty(302).with_header("location", &target));
    let url = secure.url().replace("127.0.0.1", "localhost");
    let client = Client::builder()
        .base_url(&url)
        .access_token(TOKEN)
        .add_root_certificate(include_bytes!("tls/root.der").to_vec())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = status_with(&client).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(
        format!("{error:?}").contains("refused to follow a redirect from https to http"),
        "{error:?}"
    );
    assert!(plain.requests().is_empty(), "the http server was asked");
}

/// A server speaking TLS with the certificate in `tests/tls/` (for
/// `localhost` and `127.0.0.1`, signed by `tests/tls/root.der`).
fn tls_server(respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Server {
    Server::start_tls(
        include_bytes!("tls/server.der"),
        include_bytes!("tls/server.key.der"),
        respond,
    )
}
