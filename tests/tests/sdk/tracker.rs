//! The background tracker (`autumn.tracker()`), on the wire: an outage then
//! recovery delivers every event exactly once, in its batch, with the time
//! it was taken; a full queue says what it dropped; ambiguous and refused
//! batches follow the documented policy; flush and shutdown deliver
//! everything queued.
//!
//! Every test runs on Tokio's paused clock, so backoff waits and flush
//! intervals take no real time. The trackers send without a timeout and the
//! HTTP clients keep no idle-connection timer: with the clock paused, Tokio
//! jumps to the next timer whenever the test waits for the network, and such
//! a timer would fire in the middle of a request.

use std::net::TcpListener;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use autumn_sdk::models::BatchTrackParamsItem;
use autumn_sdk::{Ambiguous, Autumn, Backoff, Overflow, TrackError, Tracker, TrackerConfig};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_test_wire_0123456789";
const BATCH_TRACK: &str = "/v1/balances.batch_track";

fn now_ms() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(since.as_millis()).unwrap()
}

/// A client whose connection pool keeps no timer (see the module docs).
fn client(url: &str) -> Autumn {
    super::runtime_wire::builder(url).build().unwrap()
}

fn config() -> TrackerConfig {
    TrackerConfig::default()
        .flush_interval(Duration::from_millis(100))
        .backoff(
            Backoff::default()
                .with_initial_interval(Duration::from_millis(100))
                .with_max_interval(Duration::from_secs(1))
                .with_jitter(Duration::ZERO),
        )
        .timeout(None)
}

fn event(i: usize) -> BatchTrackParamsItem {
    BatchTrackParamsItem::new(format!("cus_{i}"))
        .feature_id("api_calls")
        .value(i as f64)
}

fn accepted() -> ResponseTemplate {
    ResponseTemplate::new(202).set_body_json(json!({"success": true}))
}

/// The events of each batch the server received, in order.
fn batches(requests: &[Request]) -> Vec<Vec<Value>> {
    requests
        .iter()
        .filter(|r| r.url.path() == BATCH_TRACK)
        .map(|r| {
            assert_eq!(r.headers["authorization"], format!("Bearer {KEY}"));
            r.body_json::<Vec<Value>>().unwrap()
        })
        .collect()
}

async fn wait_until(tracker: &Tracker<BatchTrackParamsItem>, done: impl Fn(u64) -> bool) {
    while !done(tracker.stats().retries) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(start_paused = true)]
async fn an_outage_then_recovery_delivers_every_event_once_with_its_time() {
    // Nothing listens on the port at first: every connection is refused.
    let port = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = port.local_addr().unwrap();
    drop(port);
    let autumn = client(&format!("http://{addr}"));
    let tracker = autumn.tracker_with(config()).unwrap();

    let before = now_ms();
    for i in 0..2499 {
        tracker.track(event(i)).unwrap();
    }
    // A time and a key the caller set are kept.
    tracker
        .track(
            event(2499)
                .timestamp(1_767_225_600_000_i64)
                .idempotency_key("mine"),
        )
        .unwrap();
    let after = now_ms();
    // Let the tracker fail a few times, then bring the server up.
    wait_until(&tracker, |retries| retries >= 3).await;
    let stats = tracker.stats();
    assert_eq!(
        (stats.taken, stats.delivered, stats.pending),
        (2500, 0, 2500)
    );
    while now_ms() <= after {
        std::hint::spin_loop();
    }
    let server = MockServer::builder()
        .listener(TcpListener::bind(addr).unwrap())
        .start()
        .await;
    Mock::given(method("POST"))
        .and(path(BATCH_TRACK))
        .respond_with(accepted())
        .mount(&server)
        .await;
    tracker.flush().await;

    let got = batches(&server.received_requests().await.unwrap());
    // Whole batches, in order, each sent once.
    let sizes: Vec<usize> = got.iter().map(Vec::len).collect();
    assert_eq!(sizes, [1000, 1000, 500]);
    let events: Vec<&Value> = got.iter().flatten().collect();
    let mut keys = std::collections::HashSet::new();
    for (i, sent) in events.iter().enumerate() {
        assert_eq!(sent["customer_id"], format!("cus_{i}"));
        assert_eq!(sent["value"], json!(i as f64));
        let key = sent["idempotency_key"].as_str().unwrap();
        assert!(keys.insert(key.to_owned()), "key {key} sent twice");
        let stamped = sent["timestamp"].as_i64().unwrap();
        if i < 2499 {
            // Stamped when taken, not when sent.
            assert!((before..=after).contains(&stamped), "{stamped}");
        }
    }
    assert_eq!(events[2499]["timestamp"], json!(1_767_225_600_000_i64));
    assert_eq!(events[2499]["idempotency_key"], "mine");
    let stats = tracker.stats();
    assert_eq!(stats.delivered, 2500);
    assert_eq!(stats.batches, 3);
    assert_eq!(stats.pending, 0);
    assert!(stats.retries >= 3, "{stats:?}");
    assert_eq!(
        stats.dropped_full + stats.dropped_refused + stats.dropped_ambiguous,
        0
    );
}

#[tokio::test(start_paused = true)]
async fn a_503_is_sent_again_and_a_2xx_never_is() {
    let server = MockServer::start().await;
    Mock::given(path(BATCH_TRACK))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(BATCH_TRACK))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
        .mount(&server)
        .await;
    let tracker = client(&server.uri()).tracker_with(config()).unwrap();
    for i in 0..3 {
        tracker.track(event(i)).unwrap();
    }
    let stats = tracker.shutdown().await;
    let got = batches(&server.received_requests().await.unwrap());
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|batch| batch == &got[0]));
    assert_eq!((stats.delivered, stats.batches, stats.retries), (3, 1, 2));
}

#[tokio::test(start_paused = true)]
async fn ambiguous_failures_follow_the_policy_and_refusals_are_counted() {
    let server = MockServer::start().await;
    Mock::given(path(BATCH_TRACK))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(BATCH_TRACK))
        .respond_with(accepted())
        .mount(&server)
        .await;
    let autumn = client(&server.uri());

    // Retry (the default): the batch goes again, with the same keys.
    let tracker = autumn.tracker_with(config()).unwrap();
    tracker.track(event(0)).unwrap();
    let stats = tracker.shutdown().await;
    let got = batches(&server.received_requests().await.unwrap());
    assert_eq!(got.len(), 2);
    assert_eq!(got[0], got[1]);
    assert_eq!((stats.delivered, stats.retries), (1, 1));

    // Drop: given up and counted.
    server.reset().await;
    Mock::given(path(BATCH_TRACK))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let tracker = autumn
        .tracker_with(config().ambiguous(Ambiguous::Drop))
        .unwrap();
    tracker.track(event(0)).unwrap();
    tracker.track(event(1)).unwrap();
    let stats = tracker.shutdown().await;
    assert_eq!(
        (stats.dropped_ambiguous, stats.delivered, stats.retries),
        (2, 0, 0)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // A 400 is refused for good: never sent again, counted.
    server.reset().await;
    Mock::given(path(BATCH_TRACK))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"message": "bad"})))
        .mount(&server)
        .await;
    let tracker = autumn.tracker_with(config()).unwrap();
    tracker.track(event(0)).unwrap();
    let stats = tracker.shutdown().await;
    assert_eq!(
        (stats.dropped_refused, stats.retries, stats.pending),
        (1, 0, 0)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_full_queue_reports_what_it_dropped() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", port.local_addr().unwrap());
    drop(port);
    let autumn = client(&url);

    let tracker = autumn.tracker_with(config().capacity(5)).unwrap();
    for i in 0..5 {
        tracker.track(event(i)).unwrap();
    }
    let refused = tracker.track(event(5)).unwrap_err();
    assert!(matches!(refused, TrackError::QueueFull(_)), "{refused:?}");
    assert_eq!(refused.into_event().customer_id, "cus_5");
    let stats = tracker.stats();
    assert_eq!((stats.taken, stats.dropped_full, stats.pending), (5, 1, 5));

    let oldest = autumn
        .tracker_with(config().capacity(3).overflow(Overflow::DropOldest))
        .unwrap();
    for i in 0..4 {
        oldest.track(event(i)).unwrap();
    }
    let stats = oldest.stats();
    assert_eq!((stats.taken, stats.dropped_full), (4, 1));
    assert!(stats.pending <= 3, "{stats:?}");
}

#[tokio::test(start_paused = true)]
async fn flush_and_shutdown_deliver_everything_queued() {
    let server = MockServer::start().await;
    Mock::given(path(BATCH_TRACK))
        .respond_with(accepted())
        .mount(&server)
        .await;
    let autumn = client(&server.uri());
    // A long interval: only flush sends these.
    let tracker = autumn
        .tracker_with(
            config()
                .max_batch(2)
                .flush_interval(Duration::from_secs(3600)),
        )
        .unwrap();
    let clone = tracker.clone();
    for i in 0..5 {
        clone.track(event(i)).unwrap();
    }
    tracker.flush().await;
    let sizes: Vec<usize> = batches(&server.received_requests().await.unwrap())
        .iter()
        .map(Vec::len)
        .collect();
    assert_eq!(sizes, [2, 2, 1]);

    tracker.track(event(5)).unwrap();
    let stats = tracker.shutdown().await;
    assert_eq!((stats.taken, stats.delivered, stats.pending), (6, 6, 0));
    assert_eq!(batches(&server.received_requests().await.unwrap()).len(), 4);
    // Shut down: refused, and counted.
    let late = clone.track(event(6)).unwrap_err();
    assert!(matches!(late, TrackError::Closed(_)), "{late:?}");
    assert_eq!(tracker.stats().dropped_closed, 1);
}

#[tokio::test]
async fn a_tracker_needs_a_usable_client() {
    let err = Autumn::new("").tracker().unwrap_err();
    assert!(matches!(err, autumn_sdk::Error::Config(_)), "{err}");
    let outside = std::thread::spawn(|| Autumn::new(KEY).tracker().map(drop))
        .join()
        .unwrap()
        .unwrap_err();
    assert!(outside.to_string().contains("Tokio runtime"), "{outside}");
}

#[tokio::test(start_paused = true)]
async fn dropping_the_last_clone_sends_what_is_queued() {
    let server = MockServer::start().await;
    Mock::given(path(BATCH_TRACK))
        .respond_with(accepted())
        .mount(&server)
        .await;
    let tracker = client(&server.uri())
        .tracker_with(config().flush_interval(Duration::from_secs(3600)))
        .unwrap();
    let clone = tracker.clone();
    for i in 0..3 {
        tracker.track(event(i)).unwrap();
    }
    drop(tracker);
    clone.track(event(3)).unwrap();
    drop(clone);
    // The task closes the tracker and sends the queue at once, not after
    // the hour-long interval.
    let started = tokio::time::Instant::now();
    while batches(&server.received_requests().await.unwrap()).is_empty() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(started.elapsed() < Duration::from_secs(60));
    let got = batches(&server.received_requests().await.unwrap());
    assert_eq!(got.iter().map(Vec::len).collect::<Vec<_>>(), [4]);
}
