//! Benchmarks of the generator pipeline: the whole run and each stage alone,
//! against the floor of a plain `serde_yaml` parse of the same text.
//!
//! `cargo bench -p generator` measures `spec/autumn.yaml` and, when the shared
//! reference documents are there (`SHARED_SPECS`, default `../shared/specs`),
//! Autumn's upstream 2.3.0 document. After criterion's figures a summary prints
//! the median of each stage and the ratio of full generation (without the
//! rustfmt pass) to the floor, all measured in the same run.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion};
use generator::emit::{self, EmitOptions};
use generator::{load, lower, naming, write};

/// The allocator the `generator` binary uses, so the figures are the binary's;
/// the floor is measured under it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The workspace root.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The documents to measure: (group name, text).
fn documents() -> Vec<(&'static str, String)> {
    let mut docs = Vec::new();
    let ours = workspace().join("spec/autumn.yaml");
    match std::fs::read_to_string(&ours) {
        Ok(text) => docs.push(("spec-autumn", text)),
        Err(e) => eprintln!("note: {} unreadable ({e}); skipped", ours.display()),
    }
    let shared = std::env::var_os("SHARED_SPECS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/specs"));
    let upstream = shared.join("autumn/autumn-2.3.0.yml");
    match std::fs::read_to_string(&upstream) {
        Ok(text) => docs.push(("upstream-2.3.0", text)),
        Err(_) => eprintln!(
            "note: {} not found; the upstream 2.3.0 group is skipped (set SHARED_SPECS)",
            upstream.display()
        ),
    }
    docs
}

fn options(rustfmt: bool) -> EmitOptions {
    EmitOptions {
        crate_name: "bench-sdk".into(),
        spec_label: "bench.yaml".into(),
        rustfmt,
    }
}

fn scratch_dir() -> PathBuf {
    std::env::temp_dir().join(format!("generator-bench-{}", std::process::id()))
}

fn bench_document(c: &mut Criterion, name: &str, text: &str) {
    let loaded = load::load_str(text).expect("the document loads");
    let lowered = lower::lower(&loaded).expect("the document lowers").api;
    let mut named = lowered.clone();
    naming::assign(&mut named);
    let files = emit::emit(&named, &options(false))
        .expect("the document emits")
        .files;
    let out = scratch_dir().join(name);

    let mut g = c.benchmark_group(name);
    g.sample_size(10).measurement_time(Duration::from_secs(4));
    g.bench_function("floor: serde_yaml parse", |b| {
        b.iter(|| serde_yaml::from_str::<serde_yaml::Value>(black_box(text)).unwrap())
    });
    g.bench_function("full generation (no rustfmt)", |b| {
        b.iter(|| generator::generate_str(black_box(text), &options(false)).unwrap())
    });
    g.bench_function("load", |b| {
        b.iter(|| load::load_str(black_box(text)).unwrap())
    });
    g.bench_function("lower", |b| {
        b.iter(|| lower::lower(black_box(&loaded)).unwrap())
    });
    g.bench_function("naming", |b| {
        b.iter_batched(
            || lowered.clone(),
            |mut api| naming::assign(&mut api),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("emit (no rustfmt)", |b| {
        b.iter(|| emit::emit(black_box(&named), &options(false)).unwrap())
    });
    g.bench_function("rustfmt pass", |b| {
        b.iter_batched(
            || files.clone(),
            |mut f| emit::format::rustfmt_all(&mut f),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("write (fresh directory)", |b| {
        b.iter(|| {
            let _ = std::fs::remove_dir_all(&out);
            write::write_atomically(&out, black_box(&files)).unwrap()
        })
    });
    g.finish();
}

/// Median wall time of `runs` calls of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f(); // warm-up
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// Median wall times of `a` and of `b`, run in turns `runs` times each.
fn interleaved_medians(
    runs: usize,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> (Duration, Duration) {
    a(); // warm-up
    b();
    let mut times_a = Vec::with_capacity(runs);
    let mut times_b = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        a();
        times_a.push(start.elapsed());
        let start = Instant::now();
        b();
        times_b.push(start.elapsed());
    }
    times_a.sort();
    times_b.sort();
    (times_a[runs / 2], times_b[runs / 2])
}

fn ms(d: Duration) -> String {
    format!("{:8.2} ms", d.as_secs_f64() * 1000.0)
}

/// One table per document: the median of each stage and the ratio to the floor.
fn summary(name: &str, text: &str) {
    let runs = 21;
    let loaded = load::load_str(text).expect("loads");
    let lowered = lower::lower(&loaded).expect("lowers").api;
    let mut named = lowered.clone();
    naming::assign(&mut named);
    let files = emit::emit(&named, &options(false)).expect("emits").files;
    let out = scratch_dir().join(format!("{name}-summary"));

    // The floor and full generation take turns, so a change in the machine's
    // load during the run weighs on both alike.
    let (floor, full) = interleaved_medians(
        runs,
        || {
            black_box(serde_yaml::from_str::<serde_yaml::Value>(text).unwrap());
        },
        || {
            black_box(generator::generate_str(text, &options(false)).unwrap());
        },
    );
    let load_t = median(runs, || {
        black_box(load::load_str(text).unwrap());
    });
    let lower_t = median(runs, || {
        black_box(lower::lower(&loaded).unwrap());
    });
    let naming_t = median(runs, || {
        let mut api = lowered.clone();
        naming::assign(&mut api);
        black_box(api);
    });
    let emit_t = median(runs, || {
        black_box(emit::emit(&named, &options(false)).unwrap());
    });
    let fmt_t = median(5, || {
        let mut f = files.clone();
        black_box(emit::format::rustfmt_all(&mut f));
    });
    let write_t = median(runs, || {
        let _ = std::fs::remove_dir_all(&out);
        write::write_atomically(&out, &files).unwrap();
    });
    let _ = std::fs::remove_dir_all(&out);
    let ratio = full.as_secs_f64() / floor.as_secs_f64();
    println!();
    println!(
        "== summary: {name} ({} KiB, {} files), median of {runs} runs",
        text.len() / 1024,
        files.len()
    );
    println!("floor (serde_yaml parse)      {}", ms(floor));
    println!(
        "full generation (no rustfmt)  {}   = {ratio:.2}x the floor (target: at most 3x)",
        ms(full)
    );
    println!("  load                        {}", ms(load_t));
    println!("  lower                       {}", ms(lower_t));
    println!("  naming (incl. IR clone)     {}", ms(naming_t));
    println!("  emit (no rustfmt)           {}", ms(emit_t));
    println!("rustfmt pass (separately)     {}", ms(fmt_t));
    println!("write (fresh directory)       {}", ms(write_t));
}

fn main() {
    let docs = documents();
    let mut c = Criterion::default().configure_from_args();
    for (name, text) in &docs {
        bench_document(&mut c, name, text);
    }
    c.final_summary();
    let _ = std::fs::remove_dir_all(scratch_dir());
    // `cargo test --benches` runs benches once in test mode; the summary is for `cargo bench`.
    if std::env::args().any(|a| a == "--bench") {
        for (name, text) in &docs {
            summary(name, text);
        }
    }
}
