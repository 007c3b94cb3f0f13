//! Benchmarks of the generator: the whole command (load, lower, name, emit
//! with its formatting, write) and each stage alone, against the floor of a
//! plain `serde_yaml` parse of the same text.
//!
//! `cargo bench -p generator` measures `spec/autumn.yaml` and, when the shared
//! reference documents are there (`SHARED_SPECS`, default `../shared/specs`),
//! Autumn's upstream 2.3.0 document and OpenAI's (the largest of the corpus).
//! After criterion's figures a summary prints, per document, the median CPU
//! time (user + system, of this process) of the floor and of the whole
//! command, run in turns in the same process so a change in the machine's
//! load weighs on both alike, and their ratio with its target.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use generator::emit::{self, EmitOptions};
use generator::{load, lower, naming, write};

/// The workspace root.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// A document to measure.
struct Document {
    /// Group name.
    name: &'static str,
    /// Its text.
    text: String,
    /// The most CPU the whole command may take, as a multiple of the floor.
    target: Option<f64>,
}

/// The documents to measure.
fn documents() -> Vec<Document> {
    let mut docs = Vec::new();
    let ours = workspace().join("spec/autumn.yaml");
    match std::fs::read_to_string(&ours) {
        Ok(text) => docs.push(Document {
            name: "spec-autumn",
            text,
            target: None,
        }),
        Err(e) => eprintln!("note: {} unreadable ({e}); skipped", ours.display()),
    }
    let shared = std::env::var_os("SHARED_SPECS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/specs"));
    for (name, path, target) in [
        ("upstream-2.3.0", "autumn/autumn-2.3.0.yml", 5.0),
        ("openai", "corpus/openai.yaml", 6.0),
    ] {
        let path = shared.join(path);
        match std::fs::read_to_string(&path) {
            Ok(text) => docs.push(Document {
                name,
                text,
                target: Some(target),
            }),
            Err(_) => eprintln!(
                "note: {} not found; the {name} group is skipped (set SHARED_SPECS)",
                path.display()
            ),
        }
    }
    docs
}

fn options() -> EmitOptions {
    EmitOptions {
        crate_name: "bench-sdk".into(),
        spec_label: "bench.yaml".into(),
    }
}

fn scratch_dir() -> PathBuf {
    std::env::temp_dir().join(format!("generator-bench-{}", std::process::id()))
}

/// What `cargo run -p generator` does after reading the file: generate, then
/// replace the output directory.
fn whole_command(text: &str, out: &Path) {
    let generated = generator::generate_str(text, &options()).unwrap();
    write::write_atomically(out, &generated.files).unwrap();
}

fn floor(text: &str) {
    black_box(serde_yaml::from_str::<serde_yaml::Value>(text).unwrap());
}

fn bench_document(c: &mut Criterion, doc: &Document) {
    let text = doc.text.as_str();
    let loaded = load::load_str(text).expect("the document loads");
    let lowered = lower::lower(&loaded).expect("the document lowers").api;
    let mut named = lowered.clone();
    naming::assign(&mut named);
    let files = emit::emit(&named, &options())
        .expect("the document emits")
        .files;
    let out = scratch_dir().join(doc.name);

    let mut g = c.benchmark_group(doc.name);
    g.sample_size(10).measurement_time(Duration::from_secs(4));
    g.bench_function("floor: serde_yaml parse", |b| {
        b.iter(|| floor(black_box(text)))
    });
    g.bench_function("whole command", |b| {
        b.iter(|| whole_command(black_box(text), &out))
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
    g.bench_function("emit (with formatting)", |b| {
        b.iter(|| emit::emit(black_box(&named), &options()).unwrap())
    });
    g.bench_function("write", |b| {
        b.iter(|| write::write_atomically(&out, black_box(&files)).unwrap())
    });
    g.finish();
}

/// CPU time (user + system) this process has used so far.
fn cpu_time() -> Duration {
    // SAFETY: `getrusage` fills in the struct it is given and nothing else.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let of = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    of(usage.ru_utime) + of(usage.ru_stime)
}

/// Median CPU times of `a` and of `b`, run in turns `runs` times each.
fn interleaved_cpu_medians(
    runs: usize,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> (Duration, Duration) {
    a(); // warm-up
    b();
    let mut times_a = Vec::with_capacity(runs);
    let mut times_b = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = cpu_time();
        a();
        times_a.push(cpu_time() - start);
        let start = cpu_time();
        b();
        times_b.push(cpu_time() - start);
    }
    times_a.sort();
    times_b.sort();
    (times_a[runs / 2], times_b[runs / 2])
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1000.0)
}

/// One line per document: the floor, the whole command, their ratio and its target.
fn summary(docs: &[Document]) {
    let runs = 15;
    println!();
    println!("== CPU time (user + system), median of {runs} runs taken in turns");
    println!(
        "{:<16} {:>8} {:>12} {:>14} {:>7} {:>7}",
        "document", "KiB", "floor", "whole command", "ratio", "target"
    );
    for doc in docs {
        let out = scratch_dir().join(format!("{}-summary", doc.name));
        let (floor_t, whole_t) =
            interleaved_cpu_medians(runs, || floor(&doc.text), || whole_command(&doc.text, &out));
        let ratio = whole_t.as_secs_f64() / floor_t.as_secs_f64();
        let target = doc.target.map_or("-".to_owned(), |t| format!("≤ {t:.0}×"));
        println!(
            "{:<16} {:>8} {} {}    {:>5.2}× {:>7}",
            doc.name,
            doc.text.len() / 1024,
            ms(floor_t),
            ms(whole_t),
            ratio,
            target
        );
    }
}

fn main() {
    let docs = documents();
    let mut c = Criterion::default().configure_from_args();
    for doc in &docs {
        bench_document(&mut c, doc);
    }
    c.final_summary();
    // `cargo test --benches` runs benches once in test mode; the summary is for `cargo bench`.
    if std::env::args().any(|a| a == "--bench") {
        summary(&docs);
    }
    let _ = std::fs::remove_dir_all(scratch_dir());
}
