//! What `tracker.track(event)` costs the caller while the server is down.
//!
//! `cargo bench -p tests --bench tracker` starts a tracker whose server
//! refuses every connection (its background task keeps sending the first
//! batch again, with backoff), gives it events built beforehand, and prints
//! per event the CPU time of the calling thread (`getrusage`, user and
//! system) and the wall time, for several rounds. Not a test: it asserts
//! nothing about time, it prints figures.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use autumn_sdk::models::BatchTrackParamsItem;
use autumn_sdk::{Autumn, TrackerConfig};

const EVENTS_PER_ROUND: usize = 200_000;
const ROUNDS: usize = 7;

/// CPU time of the calling thread, user and system.
fn thread_cpu() -> (Duration, Duration) {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `usage` is a valid, writable `rusage`.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_THREAD, usage.as_mut_ptr());
        usage.assume_init()
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    (time(usage.ru_utime), time(usage.ru_stime))
}

fn events(round: usize) -> Vec<BatchTrackParamsItem> {
    (0..EVENTS_PER_ROUND)
        .map(|i| {
            BatchTrackParamsItem::new(format!("cus_{round}_{i}"))
                .feature_id("api_calls")
                .value(1.0)
        })
        .collect()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let _entered = runtime.enter();
    let port = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", port.local_addr().unwrap());
    drop(port);
    let autumn = Autumn::builder()
        .secret_key("sk_bench")
        .server_url(url)
        .build()
        .unwrap();
    let tracker = autumn
        .tracker_with(TrackerConfig::default().capacity(EVENTS_PER_ROUND * (ROUNDS + 1)))
        .unwrap();
    // Warm up: the queue's first growth, the first failed sends.
    for event in events(ROUNDS) {
        tracker.track(event).unwrap();
    }
    std::thread::sleep(Duration::from_millis(200));

    let mut cpu_ns = Vec::new();
    let mut wall_ns = Vec::new();
    println!("tracker.track(..) with the server down, {EVENTS_PER_ROUND} events a round:");
    for round in 0..ROUNDS {
        let batch = events(round);
        let (user0, sys0) = thread_cpu();
        let started = Instant::now();
        for event in batch {
            tracker.track(event).unwrap();
        }
        let wall = started.elapsed();
        let (user1, sys1) = thread_cpu();
        let per = |d: Duration| d.as_nanos() as f64 / EVENTS_PER_ROUND as f64;
        let (user, sys) = (per(user1 - user0), per(sys1 - sys0));
        println!(
            "  round {round}: CPU {:.0} ns/event (user {user:.0} + system {sys:.0}), wall {:.0} ns/event",
            user + sys,
            per(wall)
        );
        cpu_ns.push(user + sys);
        wall_ns.push(per(wall));
    }
    let stats = tracker.stats();
    assert_eq!(stats.delivered, 0, "the server was meant to be down");
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "median: CPU {:.0} ns/event, wall {:.0} ns/event (target: under 2000 ns); \
         the background task sent the first batch {} times meanwhile",
        median(&mut cpu_ns),
        median(&mut wall_ns),
        stats.retries + 1
    );
}
