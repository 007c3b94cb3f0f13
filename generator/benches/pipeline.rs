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
        crate_name: Some("bench-sdk".into()),
        spec_label: "bench.yaml".into(),
        ..Default::default()
    }
}

/// Where the benchmarks write, on the workspace's disk as `generated/` is.
fn scratch_dir() -> PathBuf {
    workspace().join(format!("target/generator-bench-{}", std::process::id()))
}

/// What `cargo run -p generator` does after reading a changed spec: generate,
/// compare with the output directory, write the new tree and swap it in,
/// deleting the old one.
fn whole_command(text: &str, out: &Path) {
    let generated = generator::generate_str(text, &options()).unwrap();
    let outcome = write::write_atomically(out, &generated.files, false).unwrap();
    assert_eq!(outcome, write::WriteOutcome::Replaced);
}

/// Makes the output at `out` stale (one file the generator does not make),
/// so the next run replaces it as after a spec change.
/// Leaves at `out` the output of an earlier spec: `files` and one file more.
fn make_stale(out: &Path, files: &generator::Files) {
    let mut earlier = files.clone();
    earlier.insert("stale.txt".into(), "from an earlier spec".into());
    write::write_atomically(out, &earlier, false).unwrap();
}

fn floor(text: &str) {
    black_box(serde_yaml::from_str::<serde_yaml::Value>(text).unwrap());
}

/// The text the floor parses: the document itself, except that an integer
/// beyond 128 bits' reach of `serde_yaml::Value` (OpenAI's
/// `minimum: -9223372036854776000`) is written as a float, so serde_yaml
/// reads the whole file instead of refusing it; each such edit adds `.0`.
fn floor_text(text: &str) -> String {
    let mut text = text.to_owned();
    for _ in 0..100 {
        let Err(e) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
            return text;
        };
        let Some(at) = e.location().filter(|_| e.to_string().contains("as i128")) else {
            panic!("serde_yaml refuses the document: {e}");
        };
        // The number starts at the error's line and column (both from 1).
        let line_start: usize = text
            .split_inclusive('\n')
            .take(at.line() - 1)
            .map(str::len)
            .sum();
        let start = line_start + at.column() - 1;
        let end = text[start..]
            .find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '+'))
            .map_or(text.len(), |n| start + n);
        text.insert_str(end, ".0");
    }
    panic!("serde_yaml refuses the document after 100 edits");
}

fn bench_document(c: &mut Criterion, doc: &Document) {
    let text = doc.text.as_str();
    let loaded = load::load_str(text).expect("the document loads");
    let lowered = lower::lower(&loaded).expect("the document lowers").api;
    let mut named = lowered.clone();
    naming::assign(&mut named, None);
    let files = emit::emit(&named, &options())
        .expect("the document emits")
        .files;
    let out = scratch_dir().join(doc.name);
    let floor_text = floor_text(text);

    let mut g = c.benchmark_group(doc.name);
    g.sample_size(10).measurement_time(Duration::from_secs(4));
    g.bench_function("floor: serde_yaml parse", |b| {
        b.iter(|| floor(black_box(&floor_text)))
    });
    g.bench_function("whole command", |b| {
        b.iter_batched(
            || make_stale(&out, &files),
            |()| whole_command(black_box(text), &out),
            BatchSize::PerIteration,
        )
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
            |mut api| naming::assign(&mut api, None),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("emit (with formatting)", |b| {
        b.iter(|| emit::emit(black_box(&named), &options()).unwrap())
    });
    g.bench_function("write (replacing a stale output)", |b| {
        b.iter_batched(
            || make_stale(&out, &files),
            |()| write::write_atomically(&out, black_box(&files), false).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

/// CPU time this process has used so far: (user, system).
fn cpu_time() -> (Duration, Duration) {
    // SAFETY: `getrusage` fills in the struct it is given and nothing else.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let of = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (of(usage.ru_utime), of(usage.ru_stime))
}

/// The user and system CPU time of one call of `f`.
fn cpu_of(f: impl FnOnce()) -> (Duration, Duration) {
    let (user, sys) = cpu_time();
    f();
    let (user_after, sys_after) = cpu_time();
    (user_after - user, sys_after - sys)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:6.1} ms", d.as_secs_f64() * 1000.0)
}

/// Per document: the floor, generation in memory, and the whole command
/// (user and system time apart: the system time is the file system's work
/// of writing the tree and deleting the old one, and varies with the
/// machine's other I/O), each the median of runs taken in turns.
fn summary(docs: &[Document]) {
    let runs = 15;
    println!();
    println!("== CPU time, median of {runs} runs taken in turns (ratios to the floor)");
    println!("document        floor      generate (in memory)   whole command: user + system = total       target");
    for doc in docs {
        let out = scratch_dir().join(format!("{}-summary", doc.name));
        let floor_text = floor_text(&doc.text);
        let files = generator::generate_str(&doc.text, &options())
            .unwrap()
            .files;
        let generate = || {
            black_box(generator::generate_str(&doc.text, &options()).unwrap());
        };
        let (mut floor_t, mut gen_t, mut user_t, mut sys_t, mut total_t) =
            (vec![], vec![], vec![], vec![], vec![]);
        floor(&floor_text); // warm-up
        for _ in 0..runs {
            let (user, sys) = cpu_of(|| floor(&floor_text));
            floor_t.push(user + sys);
            let (user, sys) = cpu_of(generate);
            gen_t.push(user + sys);
            make_stale(&out, &files);
            let (user, sys) = cpu_of(|| whole_command(&doc.text, &out));
            user_t.push(user);
            sys_t.push(sys);
            total_t.push(user + sys);
        }
        let floor_t = median(floor_t);
        let ratio = |d: Duration| d.as_secs_f64() / floor_t.as_secs_f64();
        let (gen_t, user_t, sys_t, total_t) = (
            median(gen_t),
            median(user_t),
            median(sys_t),
            median(total_t),
        );
        let target = doc.target.map_or("-".to_owned(), |t| format!("≤ {t:.0}×"));
        println!(
            "{:<15} {}  {} = {:5.2}×  {} + {} = {} = {:5.2}×  {:>6}",
            doc.name,
            ms(floor_t),
            ms(gen_t),
            ratio(gen_t),
            ms(user_t),
            ms(sys_t),
            ms(total_t),
            ratio(total_t),
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
