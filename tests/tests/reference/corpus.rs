//! Every upstream Autumn document and every corpus document generates a crate
//! that compiles with warnings denied. Needs `SHARED_SPECS`.
//!
//! The crates are written into one scratch workspace under `target/corpus`
//! and checked in the target directory that `robustness::mutated_specs_compile`
//! uses too (`tests::check_target`), so their dependencies compile once; a
//! table of figures is printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use tests::{check_target, options, shared_specs, workspace};

struct Row {
    spec: String,
    operations: usize,
    types: usize,
    lines: usize,
    millis: u128,
    result: String,
    longest: String,
}

fn documents() -> Vec<PathBuf> {
    let mut docs = Vec::new();
    for sub in ["autumn", "corpus"] {
        let dir = shared_specs().join(sub);
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e} (set SHARED_SPECS)", dir.display()));
        for e in entries {
            let p = e.expect("readable").path();
            if p.extension()
                .is_some_and(|x| x == "yml" || x == "yaml" || x == "json")
            {
                docs.push(p);
            }
        }
    }
    docs.sort();
    docs
}

fn crate_name(spec: &Path) -> String {
    let stem = spec.file_stem().unwrap().to_string_lossy().to_lowercase();
    let clean: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("corpus-{clean}")
}

#[test]
#[ignore = "reads the shared reference specs (SHARED_SPECS) and compiles 14 crates; run with --include-ignored"]
fn every_document_generates_a_crate_that_compiles() {
    let root = workspace().join("target/corpus");
    std::fs::create_dir_all(&root).unwrap();
    let mut rows = Vec::new();
    let mut members = Vec::new();
    for spec in documents() {
        let name = crate_name(&spec);
        let label = spec.file_name().unwrap().to_string_lossy().into_owned();
        let start = Instant::now();
        let generated = generator::generate(&spec, &options(&name, &label));
        let millis = start.elapsed().as_millis();
        match generated {
            Ok(out) => {
                let lines = out
                    .files
                    .iter()
                    .filter(|(p, _)| p.extension().is_some_and(|e| e == "rs"))
                    .map(|(_, t)| t.lines().count())
                    .sum();
                let longest = out
                    .files
                    .keys()
                    .filter(|p| p.starts_with("src/models"))
                    .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                    .max_by_key(|s| (s.len(), s.clone()))
                    .unwrap_or_default();
                // Output of an older generator (no marker) would be refused.
                let _ = std::fs::remove_dir_all(root.join(&name));
                generator::write::write_atomically(&root.join(&name), &out.files, false).unwrap();
                members.push(name.clone());
                rows.push(Row {
                    spec: label,
                    operations: out.operations,
                    types: out.types,
                    lines,
                    millis,
                    result: String::new(),
                    longest,
                });
            }
            Err(e) => rows.push(Row {
                spec: label,
                operations: 0,
                types: 0,
                lines: 0,
                millis,
                result: format!(
                    "refused: {}",
                    e.0.first().map(|d| d.to_string()).unwrap_or_default()
                ),
                longest: String::new(),
            }),
        }
    }
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members
            .iter()
            .map(|m| format!("{m:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    // Share the main lockfile so dependency versions match the SDK's.
    let _ = std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock"));
    for row in rows.iter_mut().filter(|r| r.result.is_empty()) {
        let name = crate_name(Path::new(&row.spec));
        let output = Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--all-features", "-p", &name])
            .current_dir(&root)
            .env("RUSTFLAGS", "-D warnings")
            .env("CARGO_TARGET_DIR", check_target())
            .output()
            .expect("cargo runs");
        row.result = if output.status.success() {
            "compiles".into()
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first: Vec<&str> = stderr
                .lines()
                .filter(|l| l.starts_with("error") || l.starts_with("warning"))
                .take(3)
                .collect();
            format!("FAILS: {}", first.join(" | "))
        };
    }
    println!(
        "\n| spec | operations | types | lines | generation ms | longest model file | result |"
    );
    println!("|---|---|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.spec, r.operations, r.types, r.lines, r.millis, r.longest, r.result
        );
    }
    let failed: Vec<&Row> = rows.iter().filter(|r| r.result != "compiles").collect();
    assert!(
        failed.is_empty(),
        "{} documents do not give a compiling crate: {:?}",
        failed.len(),
        failed.iter().map(|r| &r.spec).collect::<Vec<_>>()
    );
}
