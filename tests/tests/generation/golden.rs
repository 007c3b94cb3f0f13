//! Golden tests: the committed `generated/` crate, and each fixture under
//! `tests/fixtures/`, must equal what the generator makes, byte for byte; and
//! each fixture's crate under `tests/fixture_crates/crates` (the golden made
//! whole with the runtime, compiled by `cargo test`) must be that golden.

use std::path::Path;
use std::sync::OnceLock;

use generator::Generated;

use tests::{fixture_crates, golden, options, workspace};

/// How to accept a change of the fixtures' output (it also writes their crates again).
const ACCEPT_FIXTURES: &str = "UPDATE_GOLDEN=1 cargo test -p tests --test generation golden::";

/// `spec/autumn.yaml` generated as `cargo run -p generator` does it, once for
/// the tests that need it (a run is the most expensive step here).
fn ours() -> &'static Generated {
    static OURS: OnceLock<Generated> = OnceLock::new();
    OURS.get_or_init(|| {
        generator::generate(
            &workspace().join("spec/autumn.yaml"),
            &tests::autumn_options(),
        )
        .unwrap_or_else(|e| panic!("spec/autumn.yaml does not generate:\n{e}"))
    })
}

#[test]
fn generated_crate_matches_spec() {
    if let Err(report) = golden(
        &workspace().join("generated"),
        &ours().files,
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
                if let Err(report) = golden(&path.join("expected"), &out.files, ACCEPT_FIXTURES) {
                    failures.push(report);
                } else if updating() {
                    if let Err(e) = fixture_crates::write(&name) {
                        failures.push(format!("cannot write the crate of fixture {name}: {e}"));
                    }
                }
            }
            Err(e) => failures.push(format!("{label} does not generate:\n{e}")),
        }
    }
    assert!(count > 0, "no fixtures found in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1")
}

/// The names of the fixtures (directories of `tests/fixtures` with a spec and a golden crate).
fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(workspace().join("tests/fixtures"))
        .expect("tests/fixtures exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.join("expected/Cargo.toml").exists())
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// Each fixture's crate is its golden made whole, a dev-dependency of
/// `tests/fixture_crates` under its own package and library names.
#[test]
fn fixture_crates_are_the_goldens_made_whole() {
    if updating() {
        // `fixtures_match_their_golden_output` is writing them.
        return;
    }
    let mut problems = Vec::new();
    let names = fixtures();
    assert!(!names.is_empty(), "no fixtures with a golden crate");
    for name in &names {
        problems.extend(fixture_crates::problems(name));
    }
    let stale: Vec<String> = std::fs::read_dir(fixture_crates::root().join("crates"))
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| !names.contains(n))
                .collect()
        })
        .unwrap_or_default();
    for name in stale {
        problems.push(format!(
            "tests/fixture_crates/crates/{name} belongs to no fixture"
        ));
    }
    if !problems.is_empty() {
        panic!(
            "the fixture crates are not their goldens made whole:\n{}\n\nWrite them again with: {ACCEPT_FIXTURES}",
            problems.join("\n")
        );
    }

    // Package and library names come from the generator; cargo needs each once.
    let manifest = std::fs::read_to_string(fixture_crates::root().join("Cargo.toml"))
        .expect("tests/fixture_crates/Cargo.toml");
    let mut packages = vec![("autumn-sdk".to_owned(), "generated".to_owned())];
    let mut libraries = vec![("autumn_sdk".to_owned(), "generated".to_owned())];
    for package in ["generator", "tests", "fixture-crates"] {
        packages.push((package.to_owned(), "the workspace".to_owned()));
        libraries.push((package.replace('-', "_"), "the workspace".to_owned()));
    }
    for name in &names {
        let golden = std::fs::read_to_string(fixture_crates::dir(name).join("Cargo.toml"))
            .expect("checked above");
        let package = fixture_crates::name_in(&golden, "package").expect("a package name");
        let library =
            fixture_crates::name_in(&golden, "lib").unwrap_or_else(|| package.replace('-', "_"));
        let dependency = format!("{package} = {{ path = \"crates/{name}\" }}");
        assert!(
            manifest.lines().any(|l| l.trim() == dependency),
            "tests/fixture_crates/Cargo.toml lacks the dev-dependency `{dependency}`"
        );
        for (taken, what) in [(&mut packages, &package), (&mut libraries, &library)] {
            if let Some((_, by)) = taken
                .iter()
                .find(|(n, _)| n.replace('-', "_") == what.replace('-', "_"))
            {
                panic!("fixture {name}: the name `{what}` is already taken by {by}");
            }
            taken.push((what.clone(), format!("fixture {name}")));
        }
    }
}

#[test]
fn generation_is_deterministic_and_marked() {
    let first = ours();
    let second = generator::generate(
        &workspace().join("spec/autumn.yaml"),
        &tests::autumn_options(),
    )
    .expect("generates");
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
