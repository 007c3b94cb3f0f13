//! The background tracker: takes usage events without waiting and sends
//! them in batches through the API's batch operation, keeping each batch
//! until the server has taken it.
//!
//! Copied into a generated crate only when its API marks a batch operation
//! with `x-rust-sdk-tracker`; the generated `tracking` module ties it to that
//! operation.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{watch, Notify};
use tokio::time::Instant;

use crate::client::Client;
use crate::error::Error;
use crate::execute::loggable;
use crate::retry::Backoff;

/// One send of a batch, as the generated code starts it.
pub(crate) type Sending = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

/// The batch operation a tracker sends through, declared by generated code.
pub(crate) struct BatchSpec<E> {
    /// The operation's SDK name, for logs.
    pub operation: &'static str,
    /// The most events one call takes.
    pub max_batch: usize,
    /// Error statuses that mean nothing was taken.
    pub retry_statuses: &'static [u16],
    /// Stamps an event when it is taken: its time (Unix milliseconds) and,
    /// where the API has one, a fresh idempotency key; values the caller set
    /// are kept.
    pub stamp: fn(&mut E, u64),
    /// Sends one batch once, with this timeout.
    pub send: fn(&Client, Vec<E>, Option<Duration>) -> Sending,
}

impl<E> Clone for BatchSpec<E> {
    fn clone(&self) -> Self {
        BatchSpec {
            operation: self.operation,
            max_batch: self.max_batch,
            retry_statuses: self.retry_statuses,
            stamp: self.stamp,
            send: self.send,
        }
    }
}

/// What [`Tracker::track`] does when the queue is full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Overflow {
    /// Refuse the new event: `track` gives it back in
    /// [`TrackError::QueueFull`] (the default).
    DropNewest,
    /// Take the new event and drop the oldest one still queued.
    DropOldest,
}

/// What the tracker does with a batch whose fate is unknown: the call timed
/// out, the connection broke after the request was sent, or the server
/// answered with a 5xx that does not say "nothing was taken".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ambiguous {
    /// Send it again (the default). Every event carries an idempotency key
    /// when the API has one, so a batch the server did take is not counted
    /// twice.
    Retry,
    /// Give it up, counted in [`TrackerStats::dropped_ambiguous`].
    Drop,
}

/// A tracker's settings; every one has a default.
#[derive(Clone, Debug)]
pub struct TrackerConfig {
    max_batch: Option<usize>,
    flush_interval: Duration,
    capacity: usize,
    overflow: Overflow,
    ambiguous: Ambiguous,
    backoff: Backoff,
    timeout: Option<Duration>,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        TrackerConfig {
            max_batch: None,
            flush_interval: Duration::from_secs(1),
            capacity: 100_000,
            overflow: Overflow::DropNewest,
            ambiguous: Ambiguous::Retry,
            backoff: Backoff::default(),
            timeout: Some(Duration::from_secs(10)),
        }
    }
}

impl TrackerConfig {
    /// The most events in one call (default and upper bound: what the
    /// operation takes; at least 1).
    pub fn max_batch(mut self, events: usize) -> Self {
        self.max_batch = Some(events.max(1));
        self
    }

    /// How long an event may wait for its batch to fill before the batch
    /// is sent anyway (default 1 s).
    pub fn flush_interval(mut self, interval: Duration) -> Self {
        self.flush_interval = interval;
        self
    }

    /// How many events may wait to be sent, at most (default 100,000; at
    /// least 1).
    pub fn capacity(mut self, events: usize) -> Self {
        self.capacity = events.max(1);
        self
    }

    /// What happens to an event taken while the queue is full (default:
    /// refused).
    pub fn overflow(mut self, overflow: Overflow) -> Self {
        self.overflow = overflow;
        self
    }

    /// What happens to a batch whose fate is unknown (default: sent again).
    pub fn ambiguous(mut self, policy: Ambiguous) -> Self {
        self.ambiguous = policy;
        self
    }

    /// The waits between sends of a batch that was not taken (default: the
    /// retry policy's backoff; its total-time cap does not apply, a batch is
    /// kept until it is taken).
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// The timeout of one send of a batch (default 10 s; `None` waits as
    /// long as the HTTP client does).
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }
}

/// What happened to the events a tracker was given, so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TrackerStats {
    /// Events taken by `track`.
    pub taken: u64,
    /// Events in batches the server took.
    pub delivered: u64,
    /// Batches the server took.
    pub batches: u64,
    /// Sends of a batch after the first.
    pub retries: u64,
    /// Events refused or pushed out because the queue was full.
    pub dropped_full: u64,
    /// Events refused because the tracker was shut down.
    pub dropped_closed: u64,
    /// Events in batches the server refused (a 4xx it does not retry).
    pub dropped_refused: u64,
    /// Events in batches given up under [`Ambiguous::Drop`].
    pub dropped_ambiguous: u64,
    /// Events taken and not yet delivered or dropped.
    pub pending: u64,
}

/// Why [`Tracker::track`] did not take an event; the event comes back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrackError<E> {
    /// The queue is full and the tracker refuses new events
    /// ([`Overflow::DropNewest`]).
    #[error("the tracker's queue is full")]
    QueueFull(E),
    /// The tracker was shut down.
    #[error("the tracker is shut down")]
    Closed(E),
}

impl<E> TrackError<E> {
    /// The event that was not taken.
    pub fn into_event(self) -> E {
        match self {
            TrackError::QueueFull(event) | TrackError::Closed(event) => event,
        }
    }
}

/// Takes usage events without waiting and sends them in the background, in
/// batches, keeping every batch until the server has taken it.
///
/// Cheap to clone: clones share one queue and one background task. Build it
/// inside a Tokio runtime. Call [`shutdown`](Self::shutdown) before the
/// program ends to send what is still queued.
pub struct Tracker<E> {
    handle: Arc<Handle<E>>,
}

impl<E> Clone for Tracker<E> {
    fn clone(&self) -> Self {
        Tracker {
            handle: Arc::clone(&self.handle),
        }
    }
}

/// Held by the callers' clones only: when the last one goes, the
/// background task sends what is queued and stops.
struct Handle<E> {
    shared: Arc<Shared<E>>,
}

impl<E> Drop for Handle<E> {
    fn drop(&mut self) {
        self.shared.close();
    }
}

struct Shared<E> {
    client: Client,
    spec: BatchSpec<E>,
    config: TrackerConfig,
    max_batch: usize,
    state: Mutex<State<E>>,
    /// Wakes the background task: a batch is full, a flush is wanted, or
    /// the tracker is closing.
    wake: Notify,
    /// Every event numbered below this value is delivered or dropped.
    settled: watch::Sender<u64>,
    counts: Counts,
}

struct State<E> {
    queue: VecDeque<(u64, E)>,
    next: u64,
    in_flight: Option<u64>,
    flush_wanted: bool,
    closed: bool,
}

#[derive(Default)]
struct Counts {
    taken: AtomicU64,
    delivered: AtomicU64,
    batches: AtomicU64,
    retries: AtomicU64,
    dropped_full: AtomicU64,
    dropped_closed: AtomicU64,
    dropped_refused: AtomicU64,
    dropped_ambiguous: AtomicU64,
}

impl<E: Clone + Send + 'static> Tracker<E> {
    /// Starts a tracker and its background task.
    pub(crate) fn start(
        client: &Client,
        spec: &'static BatchSpec<E>,
        config: TrackerConfig,
    ) -> Result<Self, Error> {
        if let Some(message) = &client.inner.config_error {
            return Err(Error::Config(message.clone()));
        }
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
            Error::Config("a tracker must be started inside a Tokio runtime".to_owned())
        })?;
        let max_batch = config
            .max_batch
            .unwrap_or(spec.max_batch)
            .clamp(1, spec.max_batch.max(1));
        let shared = Arc::new(Shared {
            client: client.clone(),
            spec: spec.clone(),
            config,
            max_batch,
            state: Mutex::new(State {
                queue: VecDeque::new(),
                next: 0,
                in_flight: None,
                flush_wanted: false,
                closed: false,
            }),
            wake: Notify::new(),
            settled: watch::Sender::new(0),
            counts: Counts::default(),
        });
        runtime.spawn(run(Arc::clone(&shared)));
        Ok(Tracker {
            handle: Arc::new(Handle { shared }),
        })
    }
}

impl<E> Tracker<E> {
    /// Takes an event and returns at once; the background task sends it.
    ///
    /// The event is stamped now with its time (unless it has one), so a late
    /// delivery still records when the usage happened. When the queue is
    /// full, the configured [`Overflow`] applies; every event dropped is
    /// counted in [`stats`](Self::stats) and logged at warn level.
    pub fn track(&self, mut event: E) -> Result<(), TrackError<E>> {
        let shared = &self.handle.shared;
        (shared.spec.stamp)(&mut event, now_ms());
        let mut state = shared.lock();
        if state.closed {
            drop(state);
            shared.counts.dropped_closed.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                operation = shared.spec.operation,
                "tracker: event dropped, the tracker is shut down"
            );
            return Err(TrackError::Closed(event));
        }
        if state.queue.len() >= shared.config.capacity {
            match shared.config.overflow {
                Overflow::DropNewest => {
                    drop(state);
                    shared.counts.dropped_full.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(
                        operation = shared.spec.operation,
                        capacity = shared.config.capacity,
                        "tracker: queue full, new event dropped"
                    );
                    return Err(TrackError::QueueFull(event));
                }
                Overflow::DropOldest => {
                    state.queue.pop_front();
                    shared.counts.dropped_full.fetch_add(1, Ordering::Relaxed);
                    shared.publish_settled(&state);
                    tracing::warn!(
                        operation = shared.spec.operation,
                        capacity = shared.config.capacity,
                        "tracker: queue full, oldest event dropped"
                    );
                }
            }
        }
        let number = state.next;
        state.next += 1;
        state.queue.push_back((number, event));
        let len = state.queue.len();
        drop(state);
        shared.counts.taken.fetch_add(1, Ordering::Relaxed);
        // The first event starts the flush interval; a full batch goes now.
        if len == 1 || len >= shared.max_batch {
            shared.wake.notify_one();
        }
        Ok(())
    }

    /// Sends everything taken so far, without waiting for the flush
    /// interval, and waits until each event is delivered or dropped.
    ///
    /// While the server cannot be reached this waits (batches are kept until
    /// taken); wrap it in `tokio::time::timeout` to bound the wait.
    pub async fn flush(&self) {
        let shared = &self.handle.shared;
        let target = {
            let mut state = shared.lock();
            if state.queue.is_empty() && state.in_flight.is_none() {
                return;
            }
            state.flush_wanted = true;
            state.next
        };
        shared.wake.notify_one();
        let mut settled = shared.settled.subscribe();
        // The sender lives as long as `shared`, so this only ends when done.
        let _ = settled.wait_for(|below| *below >= target).await;
    }

    /// Stops taking events, sends everything queued, and waits until each
    /// event is delivered or dropped; returns the final counts.
    ///
    /// Events given to `track` afterwards (on any clone) are refused with
    /// [`TrackError::Closed`]. Like [`flush`](Self::flush), this waits while
    /// the server cannot be reached.
    pub async fn shutdown(&self) -> TrackerStats {
        let shared = &self.handle.shared;
        shared.close();
        let target = shared.lock().next;
        let mut settled = shared.settled.subscribe();
        let _ = settled.wait_for(|below| *below >= target).await;
        self.stats()
    }

    /// What happened to the events so far.
    pub fn stats(&self) -> TrackerStats {
        let shared = &self.handle.shared;
        let counts = &shared.counts;
        let pending = {
            let state = shared.lock();
            let first = state
                .in_flight
                .or_else(|| state.queue.front().map(|(n, _)| *n))
                .unwrap_or(state.next);
            state.next - first
        };
        let load = |count: &AtomicU64| count.load(Ordering::Relaxed);
        TrackerStats {
            taken: load(&counts.taken),
            delivered: load(&counts.delivered),
            batches: load(&counts.batches),
            retries: load(&counts.retries),
            dropped_full: load(&counts.dropped_full),
            dropped_closed: load(&counts.dropped_closed),
            dropped_refused: load(&counts.dropped_refused),
            dropped_ambiguous: load(&counts.dropped_ambiguous),
            pending,
        }
    }
}

impl<E> fmt::Debug for Tracker<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.handle.shared;
        f.debug_struct("Tracker")
            .field("operation", &shared.spec.operation)
            .field("max_batch", &shared.max_batch)
            .field("config", &shared.config)
            .field("stats", &self.stats())
            .finish()
    }
}

impl<E> Shared<E> {
    fn lock(&self) -> MutexGuard<'_, State<E>> {
        // A panic elsewhere while holding the lock leaves a usable queue.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn close(&self) {
        self.lock().closed = true;
        self.wake.notify_one();
    }

    /// Tells waiting flushes how far every event is settled.
    fn publish_settled(&self, state: &State<E>) {
        let below = state
            .in_flight
            .or_else(|| state.queue.front().map(|(n, _)| *n))
            .unwrap_or(state.next);
        self.settled.send_if_modified(|value| {
            let changed = *value != below;
            *value = below;
            changed
        });
    }
}

/// The background task: waits for a batch to be due, sends it until it is
/// taken or dropped, and ends once the tracker is closed and empty.
async fn run<E: Clone + Send + 'static>(shared: Arc<Shared<E>>) {
    loop {
        // Wait for a first event.
        loop {
            let (empty, closed) = {
                let state = shared.lock();
                (state.queue.is_empty(), state.closed)
            };
            if !empty {
                break;
            }
            if closed {
                return;
            }
            shared.wake.notified().await;
        }
        // Wait for the batch to fill, a flush, closing, or the interval.
        let deadline = Instant::now() + shared.config.flush_interval;
        loop {
            let due = {
                let state = shared.lock();
                state.queue.len() >= shared.max_batch || state.flush_wanted || state.closed
            };
            if due {
                break;
            }
            if tokio::time::timeout_at(deadline, shared.wake.notified())
                .await
                .is_err()
            {
                break;
            }
        }
        let batch: Vec<E> = {
            let mut state = shared.lock();
            let count = state.queue.len().min(shared.max_batch);
            state.in_flight = state.queue.front().map(|(n, _)| *n);
            let batch = state.queue.drain(..count).map(|(_, e)| e).collect();
            if state.queue.is_empty() {
                state.flush_wanted = false;
            }
            batch
        };
        deliver(&shared, batch).await;
        let mut state = shared.lock();
        state.in_flight = None;
        shared.publish_settled(&state);
        drop(state);
    }
}

/// How one send of a batch ended.
enum Outcome {
    /// The server took it (any 2XX): never send it again.
    Taken,
    /// Nothing was taken: send it again.
    NotTaken,
    /// Unknown: the [`Ambiguous`] policy decides.
    Unknown,
    /// Refused for good (a client error, or a request that cannot be sent).
    Refused,
}

fn outcome<E>(spec: &BatchSpec<E>, error: &Error) -> Outcome {
    match error {
        // A success status with an unexpected body: still taken.
        Error::Decode(_) => Outcome::Taken,
        Error::Api(err) if spec.retry_statuses.contains(&err.status().as_u16()) => {
            Outcome::NotTaken
        }
        Error::Api(err) if err.status().is_server_error() => Outcome::Unknown,
        Error::Api(_) => Outcome::Refused,
        // The connection was never made: nothing reached the server.
        Error::Connection(err) if err.is_connect() => Outcome::NotTaken,
        Error::Connection(_) | Error::Timeout { .. } => Outcome::Unknown,
        _ => Outcome::Refused,
    }
}

/// Sends one batch until it is taken, refused, or given up by policy.
async fn deliver<E: Clone>(shared: &Shared<E>, batch: Vec<E>) {
    let spec = &shared.spec;
    let count = batch.len() as u64;
    let counts = &shared.counts;
    let mut retry: u32 = 0;
    loop {
        let result = (spec.send)(&shared.client, batch.clone(), shared.config.timeout).await;
        let error = match result {
            Ok(()) => Outcome::Taken,
            Err(ref err) => outcome(spec, err),
        };
        let dropped = match error {
            Outcome::Taken => {
                counts.delivered.fetch_add(count, Ordering::Relaxed);
                counts.batches.fetch_add(1, Ordering::Relaxed);
                tracing::debug!(
                    operation = spec.operation,
                    events = count,
                    "tracker: batch delivered"
                );
                return;
            }
            Outcome::Refused => Some((&counts.dropped_refused, "refused")),
            Outcome::Unknown if shared.config.ambiguous == Ambiguous::Drop => Some((
                &counts.dropped_ambiguous,
                "its fate is unknown and the policy drops it",
            )),
            Outcome::NotTaken | Outcome::Unknown => None,
        };
        let reason = result.err().map(|err| loggable(&err)).unwrap_or_default();
        if let Some((counter, why)) = dropped {
            counter.fetch_add(count, Ordering::Relaxed);
            tracing::warn!(
                operation = spec.operation,
                events = count,
                error = %reason,
                "tracker: batch dropped: {why}"
            );
            return;
        }
        counts.retries.fetch_add(1, Ordering::Relaxed);
        let delay = shared.config.backoff.delay(retry, None);
        retry = retry.saturating_add(1);
        tracing::warn!(
            operation = spec.operation,
            events = count,
            retry,
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            error = %reason,
            "tracker: batch not taken, sending it again"
        );
        tokio::time::sleep(delay).await;
    }
}

/// Now, in Unix milliseconds (0 if the system clock is before 1970).
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        })
}

/// A fresh idempotency key: 128 random bits in hex.
#[allow(dead_code)] // only for APIs whose events have an idempotency key
pub(crate) fn idempotency_key() -> String {
    format!("{:032x}", fastrand::u128(..))
}
