//! What the SDK writes to `tracing`, on the wire against a local mock
//! server: the warning (with operation and reason) when `check`,
//! `plans().list` and `entities().get` fail open on a 5xx, a timeout and a
//! refused connection; the request span's fields; and the secret key never
//! appearing in `Debug` or tracing output.
//!
//! These tests have a binary of their own, and every one of them installs its
//! capturing subscriber before its first call: `tracing` caches, per
//! callsite and process-wide, whether any subscriber is interested, and a
//! test thread without a subscriber that hits a callsite for the first time
//! while another thread installs its subscriber can leave that callsite
//! switched off for the other thread (seen as a flaky missing warning when
//! these tests ran next to subscriber-less ones in `sdk/runtime_wire.rs`).

use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use autumn_sdk::models::*;
use autumn_sdk::{reqwest, Autumn, Backoff, Error, RetryPolicy, StatusPattern};
use serde_json::json;
use wiremock::matchers::{body_json, body_partial_json, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_test_wire_0123456789";
const SHORT: Duration = Duration::from_millis(200);
const SLOW_SERVER: Duration = Duration::from_secs(5);
const GET_OR_CREATE: &str = "/v1/customers.get_or_create";
const CHECK: &str = "/v1/balances.check";

/// A client whose connection pool keeps no timer: on Tokio's paused clock
/// (the timeout tests), the only timer is then the call's own timeout.
fn client(server: &MockServer) -> Autumn {
    let http = reqwest::Client::builder()
        .pool_idle_timeout(None)
        .no_proxy()
        .build()
        .unwrap();
    Autumn::builder()
        .secret_key(KEY)
        .server_url(server.uri())
        .http_client(http)
        .build()
        .unwrap()
}

/// Asserts that a call on the paused clock ended when its timeout ran out.
fn ended_at_timeout(started: tokio::time::Instant) {
    let elapsed = started.elapsed();
    assert!(elapsed >= SHORT, "{elapsed:?}");
    assert!(elapsed < SHORT + Duration::from_millis(50), "{elapsed:?}");
}

/// Retries without waiting (the tests that retry call `check`, whose
/// default timeout keeps them on the real clock).
fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard().with_backoff(
        Backoff::default()
            .with_initial_interval(Duration::ZERO)
            .with_jitter(Duration::ZERO),
    )
}

fn check_params() -> CheckParams {
    CheckParams::new("cus_1", "messages")
}

fn get_or_create(id: &str) -> GetOrCreateCustomerParams {
    GetOrCreateCustomerParams::new(id)
}

/// A local address nothing listens on.
fn closed_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn status(err: &Error) -> Option<u16> {
    err.status().map(|s| s.as_u16())
}

/// Captures everything `tracing` prints on this thread (the tests run on a
/// current-thread runtime).
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

impl Capture {
    fn install(&self) -> tracing::subscriber::DefaultGuard {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(self.clone())
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_default(subscriber)
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// The log says the call failed open, for which operation, and why.
fn assert_failed_open(logs: &str, operation: &str, why: &str) {
    assert!(logs.contains("WARN"), "{logs}");
    assert!(logs.contains("failing open"), "{logs}");
    assert!(
        logs.contains(&format!("operation=\"{operation}\""))
            || logs.contains(&format!("operation={operation}")),
        "{logs}"
    );
    assert!(logs.contains(why), "{logs}");
}

#[tokio::test]
async fn check_fails_open_on_a_server_error() {
    let capture = Capture::default();
    let _guard = capture.install();
    let server = MockServer::start().await;
    Mock::given(path(CHECK))
        .respond_with(ResponseTemplate::new(503).set_body_string("db-4f2-unavailable"))
        .expect(1)
        .mount(&server)
        .await;
    let check = client(&server).check(check_params()).await.unwrap();
    assert!(check.is_fallback());
    assert!(check.allowed);
    assert_eq!(check.customer_id, "");
    assert!(check.balance.is_none());
    assert!(check.flag.is_none());
    assert_eq!(check.fallback_reason().and_then(status), Some(503));
    let logs = capture.text();
    assert_failed_open(&logs, "check", "status 503");
    // The server's error body is never logged.
    assert!(!logs.contains("db-4f2"), "{logs}");
}

// On the paused clock: the timeout fires as soon as the client waits.
#[tokio::test(start_paused = true)]
async fn check_fails_open_on_a_timeout() {
    let capture = Capture::default();
    let _guard = capture.install();
    let server = MockServer::start().await;
    Mock::given(path(CHECK))
        .respond_with(ResponseTemplate::new(200).set_delay(SLOW_SERVER))
        .mount(&server)
        .await;
    let started = tokio::time::Instant::now();
    let check = client(&server)
        .check(check_params())
        .timeout(SHORT)
        .await
        .unwrap();
    ended_at_timeout(started);
    assert!(check.is_fallback());
    assert!(check.fallback_reason().unwrap().is_timeout());
    assert_failed_open(&capture.text(), "check", "timed out");
}

#[tokio::test]
async fn check_fails_open_on_a_refused_connection() {
    let capture = Capture::default();
    let _guard = capture.install();
    let autumn = Autumn::builder()
        .secret_key(KEY)
        .server_url(closed_url())
        .build()
        .unwrap();
    let check = autumn.check(check_params()).await.unwrap();
    assert!(check.is_fallback());
    assert!(check.fallback_reason().unwrap().is_connection());
    assert_failed_open(&capture.text(), "check", "connection error");
    let plain = check.into_inner();
    assert!(plain.allowed);
}

// On the paused clock: the timeout fires as soon as the client waits.
#[tokio::test(start_paused = true)]
async fn plans_list_fails_open() {
    let capture = Capture::default();
    let _guard = capture.install();
    let server = MockServer::start().await;
    Mock::given(path("/v1/plans.list"))
        .and(body_partial_json(json!({"customer_id": "down"})))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/plans.list"))
        .and(body_partial_json(json!({"customer_id": "slow"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"list": []}))
                .set_delay(SLOW_SERVER),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1/plans.list"))
        .and(body_partial_json(json!({"customer_id": "bad"})))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"message": "unknown customer"})),
        )
        .mount(&server)
        .await;
    let autumn = client(&server);
    let list = |customer: &str| {
        autumn
            .plans()
            .list(ListPlansParams::new().customer_id(customer))
    };

    let plans = list("down").await.unwrap();
    assert!(plans.is_fallback());
    assert!(plans.list.is_empty());
    assert_eq!(plans.fallback_reason().and_then(status), Some(503));
    assert_failed_open(&capture.text(), "plans.list", "status 503");

    let started = tokio::time::Instant::now();
    let plans = list("slow").timeout(SHORT).await.unwrap();
    ended_at_timeout(started);
    assert!(plans.is_fallback());
    assert!(plans.fallback_reason().unwrap().is_timeout());

    let refused = Autumn::builder()
        .secret_key(KEY)
        .server_url(closed_url())
        .build()
        .unwrap();
    let plans = refused.plans().list(ListPlansParams::new()).await.unwrap();
    assert!(plans.fallback_reason().unwrap().is_connection());

    // A client error is never hidden.
    let err = list("bad").await.unwrap_err();
    assert_eq!(status(&err), Some(400));
    assert_eq!(err.message(), Some("unknown customer"));
}

// On the paused clock: the timeout fires as soon as the client waits.
#[tokio::test(start_paused = true)]
async fn entities_get_fails_open() {
    let capture = Capture::default();
    let _guard = capture.install();
    let server = MockServer::start().await;
    Mock::given(path("/v1/entities.get"))
        .and(body_json(json!({"entity_id": "seat_1"})))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/entities.get"))
        .and(body_json(json!({"entity_id": "slow"})))
        .respond_with(ResponseTemplate::new(200).set_delay(SLOW_SERVER))
        .mount(&server)
        .await;
    Mock::given(path("/v1/entities.get"))
        .and(body_json(json!({"entity_id": "gone"})))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"message": "Entity not found", "code": "entity_not_found"})),
        )
        .mount(&server)
        .await;
    let autumn = client(&server);

    let entity = autumn
        .entities()
        .get(GetEntityParams::new("seat_1"))
        .await
        .unwrap();
    assert!(entity.is_fallback());
    assert_eq!(entity.id, None);
    assert_eq!(entity.customer_id, None);
    assert_eq!(entity.created_at, 0.0);
    assert_eq!(entity.env, Environment::Live);
    assert!(entity.subscriptions.is_empty() && entity.balances.is_empty());
    assert_failed_open(&capture.text(), "entities.get", "status 502");

    let started = tokio::time::Instant::now();
    let entity = autumn
        .entities()
        .get(GetEntityParams::new("slow"))
        .timeout(SHORT)
        .await
        .unwrap();
    ended_at_timeout(started);
    assert!(entity.fallback_reason().unwrap().is_timeout());

    let refused = Autumn::builder()
        .secret_key(KEY)
        .server_url(closed_url())
        .build()
        .unwrap();
    let entity = refused
        .entities()
        .get(GetEntityParams::new("seat_1"))
        .await
        .unwrap();
    assert!(entity.fallback_reason().unwrap().is_connection());

    let err = autumn
        .entities()
        .get(GetEntityParams::new("gone"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("entity_not_found"));
}

#[tokio::test]
async fn the_key_never_shows_in_debug_or_tracing_output() {
    let capture = Capture::default();
    let _guard = capture.install();
    let server = MockServer::start().await;
    Mock::given(path(GET_OR_CREATE))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "bad key"})))
        .mount(&server)
        .await;
    Mock::given(path(CHECK))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let autumn = Autumn::builder()
        .secret_key(KEY)
        .server_url(server.uri())
        .retry_policy(
            fast_retries()
                .with_status_codes([StatusPattern::Exact(401)])
                .with_max_attempts(2),
        )
        .build()
        .unwrap();
    let builder_debug = format!(
        "{:?}",
        Autumn::builder().secret_key(KEY).server_url(server.uri())
    );
    let client_debug = format!("{autumn:?}");
    let request = autumn.customers().get_or_create(get_or_create("c"));
    let request_debug = format!("{request:?}");
    let err = request.await.unwrap_err();
    let error_debug = format!("{err:?} {err}");
    let check = autumn.check(check_params()).await.unwrap();
    let fallback_debug = format!("{check:?}");
    let logs = capture.text();

    for text in [
        &builder_debug,
        &client_debug,
        &request_debug,
        &error_debug,
        &fallback_debug,
        &logs,
    ] {
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains("0123456789"), "{text}");
    }
    assert!(client_debug.starts_with("Autumn {"), "{client_debug}");
    assert!(client_debug.contains("<redacted>"), "{client_debug}");
    assert!(
        builder_debug.starts_with("AutumnBuilder {"),
        "{builder_debug}"
    );
    // The span names the operation and records the outcome.
    assert!(logs.contains("customers.get_or_create"), "{logs}");
    assert!(logs.contains("status=401"), "{logs}");
    assert!(logs.contains("attempt=2"), "{logs}");
    assert!(logs.contains("elapsed_ms="), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(logs.contains("failing open"), "{logs}");
    // Bodies are never logged, not even in the debug events of retries and
    // failures; the status is.
    assert!(!logs.contains("bad key"), "{logs}");
    assert!(logs.contains("API error, status 401"), "{logs}");
}

// The tracker's background task runs on this test's one thread, so the
// subscriber sees its events. On the paused clock its backoff takes no time.
#[tokio::test(start_paused = true)]
async fn the_tracker_logs_every_drop_and_every_batch_sent_again() {
    let capture = Capture::default();
    let _guard = capture.install();
    let autumn = Autumn::builder()
        .secret_key(KEY)
        .server_url(closed_url())
        .build()
        .unwrap();
    let tracker = autumn
        .tracker_with(
            autumn_sdk::TrackerConfig::default()
                .capacity(1)
                .flush_interval(Duration::from_millis(10))
                .timeout(None),
        )
        .unwrap();
    let event = || autumn_sdk::models::BatchTrackParamsItem::new("cus_1").feature_id("f");
    tracker.track(event()).unwrap();
    assert!(tracker.track(event()).is_err());
    while tracker.stats().retries < 2 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let logs = capture.text();
    assert!(
        logs.contains("tracker: queue full, new event dropped"),
        "{logs}"
    );
    assert!(
        logs.matches("tracker: batch not taken, sending it again")
            .count()
            >= 2,
        "{logs}"
    );
    assert!(logs.contains("connection error"), "{logs}");
    assert!(logs.contains("WARN"), "{logs}");
}
