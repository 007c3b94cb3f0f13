//! The SDK runtime on the wire, through the generated operations, against a
//! local mock server (127.0.0.1 only): auth and headers, bodies, retries,
//! timeouts, errors, fail-open, pagination and hooks. What the runtime
//! writes to `tracing` (fail-open warnings, spans, the secret kept out of
//! logs and `Debug`) is tested in `runtime_tracing.rs`.
//!
//! Ordinary calls go through `customers().get_or_create` / `customers().get`;
//! fail-open through `check`, `track`, `plans().list` and `entities().get`;
//! pagination through `customers().list`. Tests of retries, backoff and
//! timeouts run on Tokio's paused clock (`start_paused`), so their waits take
//! no real time: a timeout fires as soon as the client waits for a server
//! that delays its answer (on wiremock's own thread, in real time).

use std::net::TcpListener;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use autumn_sdk::models::*;
use autumn_sdk::reqwest;
use autumn_sdk::{
    funcs, Autumn, Backoff, Error, Hook, HookContext, RawResponse, RetryPolicy, StatusPattern,
};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_test_wire_0123456789";

/// A short timeout against a long server delay: the call must end long
/// before the server answers.
const SHORT: Duration = Duration::from_millis(200);
const SLOW_SERVER: Duration = Duration::from_secs(5);

const GET_OR_CREATE: &str = "/v1/customers.get_or_create";
const CHECK: &str = "/v1/balances.check";

fn client(server: &MockServer) -> Autumn {
    builder(&server.uri()).build().unwrap()
}

/// A client builder with the key, the server and an HTTP client whose
/// connection pool keeps no timer. Tests on Tokio's paused clock need the
/// latter: whenever such a test waits for the network, Tokio moves the clock
/// to the next timer, and the pool's idle timer (90 s) would count in the
/// retry policy's total time.
pub(crate) fn builder(url: &str) -> autumn_sdk::AutumnBuilder {
    let http = reqwest::Client::builder()
        .pool_idle_timeout(None)
        .no_proxy()
        .build()
        .unwrap();
    Autumn::builder()
        .secret_key(KEY)
        .server_url(url)
        .http_client(http)
}

/// Retries 10 ms, 15 ms, ... apart: taken on the paused clock, they cost no
/// real time.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard().with_backoff(
        Backoff::default()
            .with_initial_interval(Duration::from_millis(10))
            .with_max_interval(Duration::from_millis(50))
            .with_jitter(Duration::ZERO),
    )
}

/// Retries without waiting, for the operations that fail open: their
/// default timeout is a timer, which the paused clock would fire while a
/// request is on the wire, so their tests run on the real clock.
fn instant_retries() -> RetryPolicy {
    RetryPolicy::standard().with_backoff(
        Backoff::default()
            .with_initial_interval(Duration::ZERO)
            .with_jitter(Duration::ZERO),
    )
}

/// A customer as the server sends it (every required field, nulls included).
fn customer_json(id: &str) -> Value {
    json!({
        "id": id,
        "name": null,
        "email": null,
        "created_at": 1_767_225_600_000_u64,
        "fingerprint": null,
        "stripe_id": null,
        "env": "sandbox",
        "metadata": {},
        "send_email_receipts": false,
        "billing_controls": {},
        "subscriptions": [],
        "purchases": [],
        "licenses": [],
        "balances": {},
        "flags": {}
    })
}

fn get_or_create(id: &str) -> GetOrCreateCustomerParams {
    GetOrCreateCustomerParams::new(id)
}

fn check_params() -> CheckParams {
    CheckParams::new("cus_1", "messages")
}

/// A local address nothing listens on.
fn closed_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn status(err: &Error) -> Option<u16> {
    err.status().map(|s| s.as_u16())
}

// ---------------------------------------------------------------- basics

#[test]
fn public_types_are_send_sync() {
    fn send_sync<T: Send + Sync + Clone + 'static>() {}
    fn send<T: Send + 'static>(_: T) {}
    send_sync::<Autumn>();
    send_sync::<RetryPolicy>();
    fn error_bounds<T: std::error::Error + Send + Sync + 'static>() {}
    error_bounds::<Error>();
    let client = Autumn::new("k");
    send(std::future::IntoFuture::into_future(
        client.customers().get_or_create(get_or_create("c")),
    ));
    send(std::future::IntoFuture::into_future(
        client.check(check_params()),
    ));
}

#[tokio::test]
async fn sends_auth_global_headers_and_json_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GET_OR_CREATE))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("x-api-version", "2.5.0"))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(body_json(
            json!({"customer_id": "cus_123", "name": "John Doe"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("cus_123")))
        .expect(1)
        .mount(&server)
        .await;

    let autumn = client(&server);
    let customer = autumn
        .customers()
        .get_or_create(get_or_create("cus_123").name("John Doe"))
        .await
        .unwrap();
    assert_eq!(customer.id.as_deref(), Some("cus_123"));

    let request = &requests(&server).await[0];
    let agent = header_of(request, "user-agent").unwrap();
    assert!(agent.starts_with("autumn-sdk/0.1.0"), "{agent}");
    // Exactly what the official SDKs send: no `fail-open` header (no
    // operation declares that global; failing open is the client's own).
    let mut names: Vec<&str> = request.headers.keys().map(|n| n.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "accept",
            "authorization",
            "content-length",
            "content-type",
            "host",
            "user-agent",
            "x-api-version"
        ]
    );
}

#[tokio::test]
async fn the_fail_open_header_is_sent_only_when_the_caller_sets_it() {
    let server = MockServer::start().await;
    Mock::given(path(CHECK))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let autumn = client(&server);
    assert!(autumn.check(check_params()).await.unwrap().is_fallback());
    let off = Autumn::builder()
        .secret_key(KEY)
        .server_url(server.uri())
        .fail_open(false)
        .build()
        .unwrap();
    assert!(off.check(check_params()).await.is_err());
    let asked = autumn
        .check(check_params())
        .header("fail-open", "true")
        .await
        .unwrap();
    assert!(asked.is_fallback());
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    assert_eq!(header_of(&sent[0], "fail-open"), None);
    assert_eq!(header_of(&sent[1], "fail-open"), None);
    assert_eq!(header_of(&sent[2], "fail-open"), Some("true"));
}

#[tokio::test]
async fn standalone_function_and_send_work_like_await() {
    let server = MockServer::start().await;
    Mock::given(path(GET_OR_CREATE))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("c")))
        .expect(2)
        .mount(&server)
        .await;
    let autumn = client(&server);
    let a = funcs::customers_get_or_create(&autumn, get_or_create("c"))
        .await
        .unwrap();
    let b = autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .send()
        .await
        .unwrap();
    assert_eq!(a, b);
}

#[tokio::test]
async fn typed_global_header_setter_and_default_headers() {
    let server = MockServer::start().await;
    Mock::given(header("x-api-version", "2.1"))
        .and(header("x-team", "billing"))
        .and(header("user-agent", "my-app/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("c")))
        .expect(1)
        .mount(&server)
        .await;
    let autumn = Autumn::builder()
        .secret_key(KEY)
        .server_url(server.uri())
        .api_version("2.1")
        .default_header("x-team", "billing")
        .user_agent("my-app/1")
        .build()
        .unwrap();
    autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .await
        .unwrap();
}

/// One rule for optional bodies: the operation takes the body by value and
/// always sends it; the empty one asks for the server's defaults.
#[tokio::test]
async fn an_optional_body_is_taken_by_value_and_always_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/plans.list"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"list": []})))
        .expect(2)
        .mount(&server)
        .await;
    let autumn = client(&server);
    let plans = autumn.plans().list(ListPlansParams::new()).await.unwrap();
    assert!(plans.list.is_empty());
    autumn
        .plans()
        .list(ListPlansParams::new().customer_id("cus_1"))
        .await
        .unwrap();
    let sent = requests(&server).await;
    assert_eq!(sent[0].body_json::<Value>().unwrap(), json!({}));
    assert_eq!(
        header_of(&sent[0], "content-type"),
        Some("application/json")
    );
    assert_eq!(
        sent[1].body_json::<Value>().unwrap(),
        json!({"customer_id": "cus_1"})
    );
}

#[tokio::test]
async fn success_and_errors_carry_the_answers_metadata() {
    let server = MockServer::start().await;
    Mock::given(path(GET_OR_CREATE))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-request-id", "req_ok_1")
                .insert_header("x-extra", "yes")
                .set_body_json(customer_json("c")),
        )
        .mount(&server)
        .await;
    answer_get(
        &server,
        "missing",
        ResponseTemplate::new(404)
            .insert_header("x-request-id", "req_err_2")
            .set_body_json(json!({"message": "Customer not found", "code": "not_found"})),
    )
    .await;
    answer_get(
        &server,
        "garbled",
        ResponseTemplate::new(200)
            .insert_header("request-id", "req_bad_3")
            .set_body_string("not json"),
    )
    .await;
    answer_get(&server, "anonymous", ResponseTemplate::new(500)).await;
    let autumn = client(&server);

    let answer = autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 201);
    assert_eq!(answer.request_id(), Some("req_ok_1"));
    assert_eq!(answer.headers()["x-extra"], "yes");
    assert_eq!(answer.value().id.as_deref(), Some("c"));
    let (customer, status, headers) = answer.into_parts();
    assert_eq!(customer.id.as_deref(), Some("c"));
    assert_eq!(status.as_u16(), 201);
    assert_eq!(headers["x-request-id"], "req_ok_1");

    let err = get(&autumn, "missing").await.unwrap_err();
    assert_eq!(err.request_id(), Some("req_err_2"));
    assert_eq!(err.api_error().unwrap().request_id(), Some("req_err_2"));
    let err = get(&autumn, "garbled").await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(err.request_id(), Some("req_bad_3"));
    let err = get(&autumn, "anonymous").await.unwrap_err();
    assert_eq!(err.request_id(), None);
    let refused = Autumn::builder()
        .secret_key(KEY)
        .server_url(closed_url())
        .build()
        .unwrap();
    assert_eq!(get(&refused, "x").await.unwrap_err().request_id(), None);

    // A fail-open fallback had no answer: no request id, and it says so.
    let fallback = autumn
        .check(check_params())
        .server_url(closed_url())
        .send_with_response()
        .await
        .unwrap();
    assert!(fallback.value().is_fallback());
    assert_eq!(fallback.request_id(), None);
}

#[tokio::test]
async fn per_request_server_url_and_invalid_header() {
    let server = MockServer::start().await;
    Mock::given(path(GET_OR_CREATE))
        .and(header("x-extra", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("c")))
        .expect(1)
        .mount(&server)
        .await;
    let autumn = Autumn::builder()
        .secret_key(KEY)
        .server_url(closed_url())
        .build()
        .unwrap();
    autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .server_url(format!("{}/", server.uri()))
        .header("x-extra", "1")
        .await
        .unwrap();

    let err = autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .server_url(server.uri())
        .header("bad header", "x")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    let err = autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .server_url(server.uri())
        .header("x-ok", "line\nbreak")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    let err = autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .server_url("ftp://example.com")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn unusable_key_fails_every_call_without_panicking() {
    let server = MockServer::start().await;
    Mock::given(path(GET_OR_CREATE))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("c")))
        .mount(&server)
        .await;
    // No key, an empty one or only whitespace: the builder refuses it, and a
    // client made with `new` fails every call without sending anything.
    let err = Autumn::builder()
        .server_url(server.uri())
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    assert!(err.to_string().contains("no secret key"), "{err}");
    assert!(err.to_string().contains("AUTUMN_SECRET_KEY"), "{err}");
    for key in ["", "  \n"] {
        let err = Autumn::builder()
            .secret_key(key)
            .server_url(server.uri())
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        let keyless = Autumn::new(key);
        let err = keyless
            .customers()
            .get_or_create(get_or_create("c"))
            .server_url(server.uri())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
    }
    assert!(requests(&server).await.is_empty());

    let broken = Autumn::new("sk_bad\u{7f}key");
    let err = broken
        .customers()
        .get_or_create(get_or_create("c"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    assert!(!err.to_string().contains("sk_bad"));
}

// ---------------------------------------------------------------- retries

#[tokio::test(start_paused = true)]
async fn a_503_then_a_200_succeeds_after_one_retry_with_the_same_body() {
    let server = MockServer::start().await;
    Mock::given(path(GET_OR_CREATE))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(GET_OR_CREATE))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("c")))
        .mount(&server)
        .await;
    let autumn = builder(&server.uri())
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let customer = autumn
        .customers()
        .get_or_create(get_or_create("c").name("n").email("n@acme.example"))
        .await
        .unwrap();
    assert_eq!(customer.id.as_deref(), Some("c"));
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(
        serde_json::from_slice::<Value>(&sent[0].body).unwrap(),
        json!({"customer_id": "c", "name": "n", "email": "n@acme.example"})
    );
    assert!(sent.iter().all(|r| r.body == sent[0].body));
    assert!(sent
        .iter()
        .all(|r| header_of(r, "authorization") == header_of(&sent[0], "authorization")));
}

#[tokio::test]
async fn every_try_sends_the_identical_body() {
    let server = MockServer::start().await;
    Mock::given(path(CHECK))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let autumn = Autumn::builder()
        .secret_key(KEY)
        .server_url(server.uri())
        .retry_policy(instant_retries().with_max_attempts(4))
        .fail_open(false)
        .build()
        .unwrap();
    let params = check_params()
        .required_balance(2.5)
        .properties([("model".to_owned(), json!("draft-large"))]);
    let err = autumn.check(params).await.unwrap_err();
    assert_eq!(status(&err), Some(500));
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 4);
    assert!(sent.iter().all(|r| r.body == sent[0].body));
}

/// Records when each try starts, on Tokio's clock (paused in the tests that use it).
#[derive(Clone, Default)]
struct TryStarts(Arc<Mutex<Vec<tokio::time::Instant>>>);

impl Hook for TryStarts {
    fn before_request(
        &self,
        _ctx: &HookContext,
        _request: &mut reqwest::Request,
    ) -> Result<(), Error> {
        self.0.lock().unwrap().push(tokio::time::Instant::now());
        Ok(())
    }
}

// The clock is paused: Tokio moves it to the next timer whenever the test
// waits, so the second's wait takes no real time. The gap between the two
// tries is read from Tokio's clock at the start of each try (the time around
// the whole call would also count jumps to the HTTP pool's idle timer, 90 s,
// taken while a request is on the wire).
#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured() {
    for code in [429, 503] {
        let server = MockServer::start().await;
        Mock::given(path(GET_OR_CREATE))
            .respond_with(ResponseTemplate::new(code).insert_header("retry-after", "1"))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(path(GET_OR_CREATE))
            .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("c")))
            .mount(&server)
            .await;
        let starts = TryStarts::default();
        Autumn::builder()
            .secret_key(KEY)
            .server_url(server.uri())
            .hook(starts.clone())
            .build()
            .unwrap()
            .customers()
            .get_or_create(get_or_create("c"))
            .retries(
                fast_retries().with_backoff(
                    Backoff::default()
                        .with_initial_interval(Duration::from_millis(10))
                        .with_jitter(Duration::ZERO),
                ),
            )
            .await
            .unwrap();
        let starts = starts.0.lock().unwrap().clone();
        assert_eq!(starts.len(), 2, "{code}");
        let waited = starts[1] - starts[0];
        // The backoff alone would wait 10 ms; the server asked for a second.
        assert!(waited >= Duration::from_secs(1), "{code}: {waited:?}");
        assert!(waited < Duration::from_secs(2), "{code}: {waited:?}");
        assert_eq!(requests(&server).await.len(), 2);
    }
}

#[tokio::test]
async fn retries_are_off_unless_asked_for() {
    let server = MockServer::start().await;
    Mock::given(path(GET_OR_CREATE))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let err = client(&server)
        .customers()
        .get_or_create(get_or_create("c"))
        .await
        .unwrap_err();
    assert_eq!(status(&err), Some(503));
    assert!(err.is_retryable());
    assert_eq!(requests(&server).await.len(), 1);

    // The client opts in, one call opts out.
    let retrying = Autumn::builder()
        .secret_key(KEY)
        .server_url(server.uri())
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    retrying
        .customers()
        .get_or_create(get_or_create("c"))
        .no_retries()
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_400_is_never_retried_unless_listed() {
    let server = MockServer::start().await;
    Mock::given(path(GET_OR_CREATE))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"message": "bad", "code": "invalid"})),
        )
        .mount(&server)
        .await;
    let autumn = builder(&server.uri())
        .retry_policy(fast_retries().with_connection_errors(true))
        .build()
        .unwrap();
    let err = autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("invalid"));
    assert!(!err.is_retryable());
    assert_eq!(requests(&server).await.len(), 1);

    // Listed for one call (with a cap on tries), it is retried.
    let err = autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .retry_codes([StatusPattern::Class(4)])
        .retries(fast_retries().with_max_attempts(3))
        .await
        .unwrap_err();
    assert_eq!(status(&err), Some(400));
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test(start_paused = true)]
async fn total_time_cap_ends_the_loop() {
    let server = MockServer::start().await;
    Mock::given(path(GET_OR_CREATE))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    // Unlimited tries, 200 ms apart, but at most 1 s in all. On the paused
    // clock only the waits move time: tries at 0, 200, ..., 1000 ms.
    let policy = RetryPolicy::standard().with_backoff(
        Backoff::default()
            .with_initial_interval(Duration::from_millis(200))
            .with_exponent(1.0)
            .with_jitter(Duration::ZERO)
            .with_max_elapsed_time(Duration::from_secs(1)),
    );
    assert_eq!(policy.max_attempts(), None);
    let err = client(&server)
        .customers()
        .get_or_create(get_or_create("c"))
        .retries(policy)
        .await
        .unwrap_err();
    assert_eq!(status(&err), Some(500));
    assert_eq!(requests(&server).await.len(), 6);
}

#[tokio::test]
async fn absurd_backoff_settings_do_not_panic() {
    let server = MockServer::start().await;
    Mock::given(path(GET_OR_CREATE))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1e300"))
        .mount(&server)
        .await;
    let huge = Backoff::default()
        .with_initial_interval(Duration::MAX)
        .with_max_interval(Duration::MAX)
        .with_max_elapsed_time(Duration::MAX)
        .with_exponent(f64::INFINITY)
        .with_jitter(Duration::MAX);
    let started = Instant::now();
    let err = client(&server)
        .customers()
        .get_or_create(get_or_create("c"))
        .retries(RetryPolicy::standard().with_backoff(huge))
        .timeout(Duration::MAX)
        .await
        .unwrap_err();
    assert_eq!(status(&err), Some(503));
    // It gives up at once instead of sleeping for ever.
    assert!(started.elapsed() < Duration::from_secs(30));
}

/// Counts attempts, failures and successes, and records attempt numbers.
#[derive(Clone, Default)]
struct Counter {
    before: Arc<AtomicU32>,
    errors: Arc<AtomicU32>,
    successes: Arc<AtomicU32>,
    attempts: Arc<Mutex<Vec<u32>>>,
}

impl Hook for Counter {
    fn before_request(
        &self,
        ctx: &HookContext,
        request: &mut reqwest::Request,
    ) -> Result<(), Error> {
        self.before.fetch_add(1, Ordering::SeqCst);
        self.attempts.lock().unwrap().push(ctx.attempt());
        assert_eq!(ctx.method(), request.method());
        request
            .headers_mut()
            .insert("x-hook", ctx.attempt().to_string().parse().unwrap());
        Ok(())
    }
    fn after_success(&self, ctx: &HookContext, response: &RawResponse) {
        assert!(response.status().is_success());
        assert_eq!(ctx.operation_id(), "getOrCreateCustomer");
        self.successes.fetch_add(1, Ordering::SeqCst);
    }
    fn after_error(&self, _ctx: &HookContext, _error: &Error) {
        self.errors.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test(start_paused = true)]
async fn connection_errors_are_retried_only_when_asked() {
    let counter = Counter::default();
    let autumn = builder(&closed_url())
        .retry_policy(fast_retries())
        .hook(counter.clone())
        .build()
        .unwrap();
    let err = autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .await
        .unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    assert!(err.to_string().starts_with("connection error"), "{err}");
    assert_eq!(counter.before.load(Ordering::SeqCst), 1);

    let err = autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .retries(
            fast_retries()
                .with_connection_errors(true)
                .with_max_attempts(3),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert_eq!(counter.before.load(Ordering::SeqCst), 4);
    assert_eq!(counter.errors.load(Ordering::SeqCst), 4);
}

// ---------------------------------------------------------------- timeouts

// On the paused clock, a timeout fires as soon as the client waits for the
// slow server (whose delay runs in real time on wiremock's thread), and
// Tokio's clock says which timeout it was. The server is this test's alone:
// the requests reach it after the test is over, and a server from
// wiremock's pool would then count them for the next test.
#[tokio::test(start_paused = true)]
async fn client_and_request_timeouts_end_slow_calls() {
    let server = MockServer::builder().start().await;
    Mock::given(path(GET_OR_CREATE))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(customer_json("slow"))
                .set_delay(SLOW_SERVER),
        )
        .mount(&server)
        .await;
    let no_timeout = client(&server);
    let quick = builder(&server.uri()).timeout(SHORT).build().unwrap();
    let ended_after = |started: tokio::time::Instant, timeout: Duration| {
        let elapsed = started.elapsed();
        assert!(elapsed >= timeout, "{elapsed:?}");
        assert!(elapsed < timeout + Duration::from_millis(50), "{elapsed:?}");
    };

    // The client's default timeout.
    let started = tokio::time::Instant::now();
    let err = quick
        .customers()
        .get_or_create(get_or_create("slow"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { timeout: Some(t) } if t == SHORT),
        "{err:?}"
    );
    assert!(err.is_retryable());
    ended_after(started, SHORT);
    assert_eq!(err.to_string(), "the request timed out after 200ms");

    // A timeout on the call.
    let started = tokio::time::Instant::now();
    let err = no_timeout
        .customers()
        .get_or_create(get_or_create("slow"))
        .timeout(SHORT)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    ended_after(started, SHORT);

    // A longer timeout on the call replaces the client's short one.
    let long = Duration::from_secs(60);
    let started = tokio::time::Instant::now();
    let err = quick
        .customers()
        .get_or_create(get_or_create("slow"))
        .timeout(long)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { timeout: Some(t) } if t == long),
        "{err:?}"
    );
    ended_after(started, long);
}

// The clock is paused: Tokio moves it on to the 5 s timeout as soon as the
// test waits, instead of the test waiting 5 s of real time. The server is
// this test's alone: the request may still reach it after the test is over,
// and a server from wiremock's pool would then count it for the next test.
#[tokio::test(start_paused = true)]
async fn fail_open_operation_has_its_own_default_timeout() {
    let server = MockServer::builder().start().await;
    Mock::given(path(CHECK))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"allowed": false, "customer_id": "cus_1", "balance": null, "flag": null}))
                .set_delay(Duration::from_secs(60)),
        )
        .mount(&server)
        .await;
    let started = tokio::time::Instant::now();
    let check = client(&server).check(check_params()).await.unwrap();
    let elapsed = started.elapsed();
    assert!(check.is_fallback());
    assert!(
        matches!(check.fallback_reason(), Some(Error::Timeout { timeout: Some(t) }) if *t == Duration::from_secs(5)),
        "{:?}",
        check.fallback_reason()
    );
    assert!(elapsed >= Duration::from_millis(4900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(50), "{elapsed:?}");
}

// ---------------------------------------------------------------- errors

/// Mounts an answer to `customers.get` for the customer `id`.
async fn answer_get(server: &MockServer, id: &str, answer: ResponseTemplate) {
    Mock::given(path("/v1/customers.get"))
        .and(body_partial_json(json!({"customer_id": id})))
        .respond_with(answer)
        .mount(server)
        .await;
}

async fn get(autumn: &Autumn, id: &str) -> Result<Customer, Error> {
    autumn.customers().get(GetCustomerParams::new(id)).await
}

#[tokio::test]
async fn api_errors_keep_status_headers_and_body() {
    let server = MockServer::start().await;
    let json_body =
        json!({"message": "Customer not found", "code": "customer_not_found", "env": "sandbox"});
    answer_get(
        &server,
        "missing",
        ResponseTemplate::new(404)
            .set_body_json(json_body.clone())
            .insert_header("x-request-id", "req_1"),
    )
    .await;
    answer_get(
        &server,
        "html4",
        ResponseTemplate::new(403)
            .set_body_raw("<html>forbidden</html>", "text/html")
            .insert_header("x-request-id", "req_2"),
    )
    .await;
    answer_get(&server, "empty4", ResponseTemplate::new(401)).await;
    answer_get(
        &server,
        "json5",
        ResponseTemplate::new(500)
            .set_body_json(json!({"message": "Internal error", "code": "internal"})),
    )
    .await;
    answer_get(
        &server,
        "html5",
        ResponseTemplate::new(500)
            .set_body_raw("<html>oops</html>", "text/html")
            .insert_header("x-request-id", "req_3"),
    )
    .await;
    answer_get(&server, "empty5", ResponseTemplate::new(502)).await;
    answer_get(
        &server,
        "huge",
        ResponseTemplate::new(500).set_body_raw(vec![b'x'; 1 << 20], "text/plain"),
    )
    .await;
    answer_get(
        &server,
        "binary",
        ResponseTemplate::new(400).set_body_raw(vec![0xff, 0xfe, 0x00, b'{'], "application/json"),
    )
    .await;
    let autumn = client(&server);

    // 4XX, JSON
    let err = get(&autumn, "missing").await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(err.code(), Some("customer_not_found"));
    assert_eq!(err.message(), Some("Customer not found"));
    assert_eq!(api.error_body().unwrap().env.as_deref(), Some("sandbox"));
    assert_eq!(api.headers().get("x-request-id").unwrap(), "req_1");
    assert_eq!(api.content_type(), Some("application/json"));
    assert_eq!(api.json::<Value>().unwrap(), json_body);
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        format!(
            "Customer not found: Status 404 Content-Type application/json Body: {}",
            serde_json::to_string(&json_body).unwrap()
        )
    );

    // 4XX, HTML
    let err = get(&autumn, "html4").await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status().as_u16(), 403);
    assert_eq!(api.headers().get("x-request-id").unwrap(), "req_2");
    assert_eq!(api.body().as_ref(), b"<html>forbidden</html>");
    assert!(api.error_body().is_none());
    assert_eq!(
        err.to_string(),
        "API error occurred: Status 403 Content-Type text/html Body: <html>forbidden</html>"
    );

    // 4XX, empty
    let err = get(&autumn, "empty4").await.unwrap_err();
    assert_eq!(status(&err), Some(401));
    assert!(err.api_error().unwrap().body().is_empty());
    assert_eq!(
        err.to_string(),
        r#"API error occurred: Status 401 Content-Type "" Body: """#
    );

    // 5XX, JSON
    let err = get(&autumn, "json5").await.unwrap_err();
    assert_eq!(status(&err), Some(500));
    assert_eq!(err.code(), Some("internal"));
    assert!(err.is_retryable());
    assert_eq!(
        err.to_string(),
        r#"Internal error: Status 500 Content-Type application/json Body: {"message":"Internal error","code":"internal"}"#
    );

    // 5XX, HTML
    let err = get(&autumn, "html5").await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.headers().get("x-request-id").unwrap(), "req_3");
    assert_eq!(api.body_text(), "<html>oops</html>");
    assert_eq!(
        err.to_string(),
        "API error occurred: Status 500 Content-Type text/html Body: <html>oops</html>"
    );

    // 5XX, empty
    let err = get(&autumn, "empty5").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"API error occurred: Status 502 Content-Type "" Body: """#
    );

    // A huge body is kept whole, and cut in the message.
    let err = get(&autumn, "huge").await.unwrap_err();
    assert_eq!(err.api_error().unwrap().body().len(), 1 << 20);
    let text = err.to_string();
    assert!(text.len() < 10_200, "{}", text.len());
    assert!(
        text.ends_with("...and 1038576 more bytes"),
        "{}",
        &text[text.len() - 40..]
    );

    // Bytes that are not UTF-8 do not break the message.
    let err = get(&autumn, "binary").await.unwrap_err();
    assert_eq!(status(&err), Some(400));
    assert!(err.to_string().contains('\u{fffd}'));
}

#[tokio::test]
async fn malformed_success_answers_are_decode_errors_with_the_body() {
    let server = MockServer::start().await;
    answer_get(
        &server,
        "wrong-type",
        ResponseTemplate::new(200).set_body_json(json!({"id": 5})),
    )
    .await;
    answer_get(
        &server,
        "html",
        ResponseTemplate::new(200).set_body_raw("<html></html>", "text/html"),
    )
    .await;
    answer_get(&server, "empty", ResponseTemplate::new(200)).await;
    answer_get(
        &server,
        "truncated",
        ResponseTemplate::new(200).set_body_raw(r#"{"id": "c", "na"#, "application/json"),
    )
    .await;
    let mut second = customer_json("b");
    second["created_at"] = json!("yesterday");
    Mock::given(path("/v1/customers.list"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"list": [customer_json("a"), second], "next_cursor": null})),
        )
        .mount(&server)
        .await;
    let autumn = client(&server);

    let err = get(&autumn, "wrong-type").await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.status().as_u16(), 200);
    assert_eq!(decode.path(), Some("id"));
    assert_eq!(decode.body().as_ref(), br#"{"id":5}"#);
    assert!(std::error::Error::source(decode).is_some());
    assert!(
        err.to_string()
            .starts_with("could not decode the answer (status 200, at `id`): "),
        "{err}"
    );
    assert_eq!(status(&err), Some(200));
    assert!(!err.is_retryable());

    let err = get(&autumn, "html").await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.body_text(), "<html></html>");
    assert_eq!(decode.content_type(), Some("text/html"));

    for id in ["empty", "truncated"] {
        let err = get(&autumn, id).await.unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{id}: {err:?}");
    }

    let err = autumn
        .customers()
        .list(ListCustomersParams::new())
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path(), Some("list[1].created_at"));
}

// ---------------------------------------------------------------- fail-open

#[tokio::test]
async fn track_fails_open() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/balances.track"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let tracked = client(&server)
        .track(TrackParams::new("cus_1").feature_id("messages"))
        .await
        .unwrap();
    assert!(tracked.is_fallback());
    assert_eq!(tracked.customer_id, "");
    assert_eq!(tracked.value, 0.0);
    assert!(tracked.balance.is_none());
}

#[tokio::test]
async fn fail_open_never_hides_client_errors_or_bad_answers() {
    let server = MockServer::start().await;
    Mock::given(path(CHECK))
        .and(body_json(
            json!({"customer_id": "cus_1", "feature_id": "messages"}),
        ))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"message": "no such feature"})),
        )
        .mount(&server)
        .await;
    Mock::given(path(CHECK))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json"))
        .mount(&server)
        .await;
    let autumn = client(&server);
    let err = autumn.check(check_params()).await.unwrap_err();
    assert_eq!(status(&err), Some(400));
    assert_eq!(err.message(), Some("no such feature"));
    assert_eq!(requests(&server).await.len(), 1);

    let err = autumn
        .check(CheckParams::new("other", "f"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn real_answers_are_not_marked() {
    let server = MockServer::start().await;
    Mock::given(path(CHECK))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "allowed": false, "customer_id": "cus_1", "balance": null, "flag": null
        })))
        .mount(&server)
        .await;
    let check = client(&server).check(check_params()).await.unwrap();
    assert!(!check.is_fallback());
    assert!(check.fallback_reason().is_none());
    assert!(!check.allowed);
    assert_eq!(check.customer_id, "cus_1");
}

#[tokio::test]
async fn fail_open_can_be_turned_off() {
    let server = MockServer::start().await;
    Mock::given(path(CHECK))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/entities.get"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let autumn = Autumn::builder()
        .secret_key(KEY)
        .server_url(server.uri())
        .fail_open(false)
        .build()
        .unwrap();
    assert!(!autumn.fail_open());
    let err = autumn.check(check_params()).await.unwrap_err();
    assert_eq!(status(&err), Some(503));
    let err = autumn
        .entities()
        .get(GetEntityParams::new("seat_1"))
        .await
        .unwrap_err();
    assert_eq!(status(&err), Some(500));

    // Off, a timeout and a refused connection come through as well.
    let err = autumn
        .check(check_params())
        .server_url(closed_url())
        .await
        .unwrap_err();
    assert!(err.is_connection(), "{err:?}");
}

#[tokio::test]
async fn fail_open_retries_before_falling_back() {
    let server = MockServer::start().await;
    Mock::given(path(CHECK))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let autumn = Autumn::builder()
        .secret_key(KEY)
        .server_url(server.uri())
        .retry_policy(instant_retries().with_max_attempts(3))
        .build()
        .unwrap();
    let check = autumn.check(check_params()).await.unwrap();
    assert!(check.is_fallback());
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn caller_supplied_http_client_is_used_as_is() {
    let server = MockServer::start().await;
    Mock::given(header("x-from-custom-client", "yes"))
        .and(path(CHECK))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(header("x-from-custom-client", "yes"))
        .and(path(GET_OR_CREATE))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("c")))
        .expect(1)
        .mount(&server)
        .await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-from-custom-client", "yes".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(defaults)
        .build()
        .unwrap();
    let autumn = Autumn::builder()
        .secret_key(KEY)
        .server_url(server.uri())
        .http_client(http)
        .build()
        .unwrap();
    let check = autumn.check(check_params()).await.unwrap();
    assert!(check.is_fallback());
    autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .await
        .unwrap();
}

// ---------------------------------------------------------------- pagination

#[tokio::test]
async fn pages_until_there_is_no_next_cursor() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Value| {
        ResponseTemplate::new(200).set_body_json(json!({
            "list": ids.iter().map(|id| customer_json(id)).collect::<Vec<_>>(),
            "next_cursor": next,
        }))
    };
    Mock::given(path("/v1/customers.list"))
        .and(body_json(json!({"limit": 2})))
        .respond_with(page(&["a", "b"], json!("c2")))
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers.list"))
        .and(body_json(json!({"limit": 2, "start_cursor": "c2"})))
        .respond_with(page(&["c", "d"], json!("c3")))
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers.list"))
        .and(body_json(json!({"limit": 2, "start_cursor": "c3"})))
        .respond_with(page(&["e"], json!(null)))
        .mount(&server)
        .await;
    let autumn = client(&server);
    let params = ListCustomersParams::new().limit(2);

    let ids: Vec<Option<String>> = autumn
        .customers()
        .list(params.clone())
        .header("x-trace", "t1")
        .timeout(Duration::from_secs(30))
        .stream()
        .map_ok(|customer| customer.id)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = ids.iter().map(|id| id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|r| header_of(r, "x-trace") == Some("t1")));
    assert!(sent
        .iter()
        .all(|r| header_of(r, "authorization") == Some(&format!("Bearer {KEY}"))));

    let pages: Vec<_> = autumn
        .customers()
        .list(params)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2].list.len(), 1);
    assert_eq!(pages[2].next_cursor, None);
    assert_eq!(requests(&server).await.len(), 6);
}

#[tokio::test]
async fn paging_stops_at_the_first_error_and_on_repeated_cursors() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/customers.list"))
        .and(body_json(json!({})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"list": [customer_json("a")], "next_cursor": "c2"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers.list"))
        .and(body_json(json!({"start_cursor": "c2"})))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let autumn = client(&server);
    let results: Vec<_> = autumn
        .customers()
        .list(ListCustomersParams::new())
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id.as_deref(), Some("a"));
    assert_eq!(status(results[1].as_ref().unwrap_err()), Some(500));

    // A server that keeps answering with the same cursor does not loop.
    let looping = MockServer::start().await;
    Mock::given(path("/v1/customers.list"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"list": [customer_json("x")], "next_cursor": "same"})),
        )
        .mount(&looping)
        .await;
    let pages: Vec<_> = client(&looping)
        .customers()
        .list(ListCustomersParams::new())
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
}

// ---------------------------------------------------------------- hooks

#[tokio::test(start_paused = true)]
async fn hooks_see_every_attempt_and_can_add_headers() {
    let server = MockServer::start().await;
    Mock::given(path(GET_OR_CREATE))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(GET_OR_CREATE))
        .and(header("x-hook", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("c")))
        .mount(&server)
        .await;
    let counter = Counter::default();
    let autumn = builder(&server.uri())
        .retry_policy(fast_retries())
        .hook(counter.clone())
        .build()
        .unwrap();
    autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .await
        .unwrap();
    assert_eq!(*counter.attempts.lock().unwrap(), [1, 2]);
    assert_eq!(counter.errors.load(Ordering::SeqCst), 1);
    assert_eq!(counter.successes.load(Ordering::SeqCst), 1);
}

struct Refuse;

impl Hook for Refuse {
    fn before_request(
        &self,
        _ctx: &HookContext,
        _request: &mut reqwest::Request,
    ) -> Result<(), Error> {
        Err(Error::hook("no token available"))
    }
}

#[tokio::test]
async fn a_hook_error_stops_the_call() {
    let server = MockServer::start().await;
    let autumn = Autumn::builder()
        .secret_key(KEY)
        .server_url(server.uri())
        .retry_policy(fast_retries().with_connection_errors(true))
        .hook(Refuse)
        .build()
        .unwrap();
    let err = autumn
        .customers()
        .get_or_create(get_or_create("c"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Hook(_)), "{err:?}");
    assert!(err.to_string().contains("no token available"));
    assert!(requests(&server).await.is_empty());
}
