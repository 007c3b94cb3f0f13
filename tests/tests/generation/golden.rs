//! Golden tests: the committed `generated/` crate, and each fixture under
//! `tests/fixtures/`, must equal what the generator makes, byte for byte.

use std::path::Path;

use tests::{golden, options, workspace};

#[test]
fn generated_crate_matches_spec() {
    let root = workspace();
    let out = generator::generate(
        &root.join("spec/autumn.yaml"),
        &options("autumn-sdk", "spec/autumn.yaml"),
    )
    .unwrap_or_else(|e| panic!("spec/autumn.yaml does not generate:\n{e}"));
    if let Err(report) = golden(
        &root.join("generated"),
        &out.files,
        "cargo run -p generator",
    ) {
        panic!("{report}");
    }
}

#[test]
fn fixtures_match_their_golden_output() {
    let dir = workspace().join("tests/fixtures");
    let mut failures = Vec::new();
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fixtures exists") {
        let path = entry.expect("readable").path();
        let Some(spec) = ["spec.yaml", "spec.json"]
            .iter()
            .map(|f| path.join(f))
            .find(|p| p.exists())
        else {
            continue;
        };
        count += 1;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("fixture")
            .to_owned();
        let label = format!(
            "tests/fixtures/{name}/{}",
            spec.file_name().and_then(|n| n.to_str()).unwrap_or("")
        );
        match generator::generate(&spec, &options(&format!("{name}-sdk"), &label)) {
            Ok(mut out) => {
                // The runtime is copied verbatim and pinned by generated/; fixtures pin what the spec shapes.
                for runtime in generator::emit::runtime_paths() {
                    out.files.remove(&runtime);
                }
                if let Err(report) = golden(
                    &path.join("expected"),
                    &out.files,
                    "UPDATE_GOLDEN=1 cargo test -p tests --test generation golden::",
                ) {
                    failures.push(report);
                }
            }
            Err(e) => failures.push(format!("{label} does not generate:\n{e}")),
        }
    }
    assert!(count > 0, "no fixtures found in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn generation_is_deterministic_and_marked() {
    let root = workspace();
    let spec = root.join("spec/autumn.yaml");
    let opts = options("autumn-sdk", "spec/autumn.yaml");
    let first = generator::generate(&spec, &opts).expect("generates");
    let second = generator::generate(&spec, &opts).expect("generates");
    assert_eq!(
        first.files, second.files,
        "two runs must give byte-identical output"
    );
    for (path, text) in &first.files {
        assert!(
            text.contains("@generated"),
            "{} lacks the @generated header",
            path.display()
        );
        let head: String = text.lines().take(2).collect::<Vec<_>>().join("\n");
        assert!(
            head.contains("@generated"),
            "{}: the @generated header must come first",
            path.display()
        );
    }
    assert!(first.files.contains_key(Path::new("src/lib.rs")));
}
