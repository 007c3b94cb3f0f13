//! The `generator` command line: bad input fails with pointers and leaves the
//! output untouched; `--check` reports staleness without writing.

use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("generator-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An output directory holding a sentinel file, to prove nothing was touched.
fn previous_output(dir: &Path) -> PathBuf {
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("src/lib.rs"), "// previous output\n").unwrap();
    out
}

fn run(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_untouched(out: &Path) {
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
        "// previous output\n"
    );
    assert_eq!(std::fs::read_dir(out).unwrap().count(), 1);
    let parent = out.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging directories left behind: {leftovers:?}"
    );
}

#[test]
fn dangling_ref_fails_with_pointer_and_line_and_writes_nothing() {
    let dir = scratch("dangling");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Nope'\n",
    )
    .unwrap();
    let out = previous_output(&dir);
    let (code, stderr) = run(&[
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains(
            "/paths/~1a/get/responses/200/content/application~1json/schema/$ref (line 14)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("#/components/schemas/Nope"), "{stderr}");
    assert_untouched(&out);
}

#[test]
fn text_that_is_not_yaml_fails_with_a_line_and_writes_nothing() {
    let dir = scratch("notyaml");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: T\n  version: [1, 2\n::: not yaml at all\n",
    )
    .unwrap();
    let out = previous_output(&dir);
    let (code, stderr) = run(&[
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_ne!(code, 0);
    assert!(stderr.contains("not valid YAML"), "{stderr}");
    assert!(stderr.contains("(line "), "{stderr}");
    assert_untouched(&out);
}

#[test]
fn prose_instead_of_a_document_is_refused() {
    let dir = scratch("prose");
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, "This is not an API description.\n").unwrap();
    let out = previous_output(&dir);
    let (code, stderr) = run(&[
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_ne!(code, 0);
    assert!(stderr.contains("(document root)"), "{stderr}");
    assert_untouched(&out);
}

#[test]
fn check_reports_a_stale_file_and_writes_nothing() {
    let dir = scratch("check");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: Tiny API, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    let out = dir.join("out");
    let (code, stderr) = run(&[
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "tiny",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _) = run(&[
        "--check",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "tiny",
    ]);
    assert_eq!(code, 0);
    std::fs::write(out.join("src/lib.rs"), "// edited by hand\n").unwrap();
    let (code, stderr) = run(&[
        "--check",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "tiny",
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("changed: src/lib.rs"), "{stderr}");
    assert!(stderr.contains("-// edited by hand"), "{stderr}");
    assert!(stderr.contains("cargo run -p generator"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
        "// edited by hand\n"
    );
}
