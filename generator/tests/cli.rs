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

/// A tiny valid document with the package facts a document can state.
const FACTS_SPEC: &str = "openapi: 3.1.0\ninfo:\n  title: Pet Shop API\n  version: '2'\n  license: {name: MIT License, identifier: MIT}\n  contact: {url: 'https://pets.example'}\nexternalDocs: {url: 'https://docs.pets.example'}\npaths: {}\n";

/// A scratch folder with [`FACTS_SPEC`] in it as `file`.
fn facts_spec(name: &str, file: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let spec = dir.join(file);
    std::fs::write(&spec, FACTS_SPEC).unwrap();
    (dir, spec)
}

/// `--spec spec --out out`.
fn spec_and_out<'a>(spec: &'a Path, out: &'a Path) -> Vec<&'a str> {
    vec![
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]
}

/// Every file under `root` (and every empty folder) with its contents.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        if entries.is_empty() {
            out.push((dir.clone(), b"(empty folder)".to_vec()));
        }
        for path in entries {
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn run_in(cwd: &Path, home: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .current_dir(cwd)
        .env("HOME", home)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_bad_crate_name_is_refused_before_any_work() {
    let dir = scratch("crate-name");
    let out = dir.join("out");
    // The spec does not even exist: the name is checked first.
    for name in ["my sdk!", "2fast", "self", ""] {
        let (code, stderr) = run(&[
            "--spec",
            dir.join("missing.yaml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--crate-name",
            name,
        ]);
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(stderr.contains("package name"), "{name}: {stderr}");
        assert!(!stderr.contains("missing.yaml"), "{name}: {stderr}");
    }
    assert!(!out.exists());
}

#[test]
fn an_existing_project_is_refused_and_left_byte_for_byte() {
    let (dir, spec) = facts_spec("project", "spec.yaml");
    let project = dir.join("project");
    std::fs::create_dir_all(project.join(".git/refs")).unwrap();
    std::fs::write(project.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(project.join("src/main.rs"), "fn main() {}\n").unwrap();
    std::fs::write(project.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    let before = snapshot(&project);
    for force in [false, true] {
        let mut args = spec_and_out(&spec, &project);
        if force {
            args.push("--force");
        }
        let (code, stderr) = run(&args);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("not written by the generator"), "{stderr}");
        assert_eq!(snapshot(&project), before, "force: {force}");
    }
}

#[test]
fn the_current_directory_its_parents_the_root_and_home_are_refused() {
    let (dir, spec) = facts_spec("reserved", "spec.yaml");
    let home = dir.join("home");
    let cwd = home.join("work/project");
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::write(cwd.join("notes.txt"), "mine\n").unwrap();
    std::fs::write(home.join(".profile"), "mine\n").unwrap();
    let before = snapshot(&dir);
    for out in [".", "..", "../..", "/", home.to_str().unwrap()] {
        for force in [false, true] {
            let mut args = vec!["--spec", spec.to_str().unwrap(), "--out", out];
            if force {
                args.push("--force");
            }
            let (code, stderr) = run_in(&cwd, &home, &args);
            assert_eq!(code, 2, "{out}: {stderr}");
            assert!(stderr.contains("refusing to write into"), "{out}: {stderr}");
        }
    }
    assert_eq!(snapshot(&dir), before);
    // An empty home directory is refused all the same, and stays empty.
    let empty_home = dir.join("empty-home");
    std::fs::create_dir_all(&empty_home).unwrap();
    let (code, stderr) = run_in(
        &cwd,
        &empty_home,
        &[
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            empty_home.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(std::fs::read_dir(&empty_home).unwrap().count(), 0);
}

#[test]
fn earlier_output_is_replaced_and_edits_need_force() {
    let (dir, spec) = facts_spec("force", "spec.yaml");
    let out = dir.join("out");
    let args = spec_and_out(&spec, &out);
    assert_eq!(run(&args).0, 0);
    assert!(out.join(".generated-files").exists());
    // A second run over its own output is allowed.
    assert_eq!(run(&args).0, 0);
    std::fs::write(out.join("src/lib.rs"), "// my edit\n").unwrap();
    let (code, stderr) = run(&args);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("src/lib.rs") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
        "// my edit\n"
    );
    let mut forced = args.clone();
    forced.push("--force");
    assert_eq!(run(&forced).0, 0);
    assert_ne!(
        std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
        "// my edit\n"
    );
}

#[test]
fn spec_without_out_is_refused() {
    let (_dir, spec) = facts_spec("no-out", "spec.yaml");
    let (code, stderr) = run(&["--spec", spec.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`--spec` needs `--out`"), "{stderr}");
}

/// The `[package]` table of the generated manifest.
fn package_table(out: &Path) -> String {
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    manifest[..manifest.find("\n[lib]").unwrap()].to_owned()
}

#[test]
fn package_facts_come_from_the_document_and_the_configuration_beside_it() {
    let (dir, spec) = facts_spec("facts", "pets.yaml");
    let out = dir.join("out");
    let args = spec_and_out(&spec, &out);
    // Without configuration: the document's facts only, nothing of Autumn's.
    assert_eq!(run(&args).0, 0);
    let package = package_table(&out);
    assert!(package.contains("name = \"pet-shop-sdk\""), "{package}");
    assert!(package.contains("version = \"0.1.0\""), "{package}");
    assert!(package.contains("license = \"MIT\""), "{package}");
    assert!(
        package.contains("homepage = \"https://pets.example\""),
        "{package}"
    );
    for absent in [
        "autumn",
        "Autumn",
        "repository",
        "keywords",
        "categories",
        "authors",
        "Apache",
    ] {
        assert!(!package.contains(absent), "{absent}: {package}");
    }
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        readme.contains("<https://docs.pets.example>"),
        "the API docs link"
    );
    assert!(
        !readme.contains("autumn"),
        "the README names no other project"
    );
    // The configuration beside the spec adds the publisher's facts.
    std::fs::write(
        dir.join("pets.sdk.toml"),
        "[package]\nname = \"petshop\"\nversion = \"1.4.0\"\nauthors = [\"Pet Shop <dev@pets.example>\"]\nrepository = \"https://git.example/petshop\"\nkeywords = [\"pets\"]\ncategories = [\"api-bindings\"]\nlicense = \"MIT OR Apache-2.0\"\n",
    )
    .unwrap();
    assert_eq!(run(&args).0, 0);
    let package = package_table(&out);
    for expected in [
        "name = \"petshop\"",
        "version = \"1.4.0\"",
        "authors = [\"Pet Shop <dev@pets.example>\"]",
        "license = \"MIT OR Apache-2.0\"",
        "repository = \"https://git.example/petshop\"",
        "keywords = [\"pets\"]",
        "categories = [\"api-bindings\"]",
    ] {
        assert!(package.contains(expected), "{expected}: {package}");
    }
    // `--crate-name` wins over the configuration; `--config` names another file.
    let other = dir.join("other.toml");
    std::fs::write(&other, "[package]\nversion = \"3.0.0\"\n").unwrap();
    let mut with_flags = args.clone();
    with_flags.extend([
        "--crate-name",
        "pets-client",
        "--config",
        other.to_str().unwrap(),
    ]);
    assert_eq!(run(&with_flags).0, 0);
    let package = package_table(&out);
    assert!(package.contains("name = \"pets-client\""), "{package}");
    assert!(package.contains("version = \"3.0.0\""), "{package}");
    assert!(!package.contains("repository"), "{package}");
    // A broken configuration names its file and line, and nothing is written.
    let before = snapshot(&out);
    std::fs::write(
        dir.join("pets.sdk.toml"),
        "[package]\nversion = \"1.4.0\"\nrepo = \"x\"\n",
    )
    .unwrap();
    let (code, stderr) = run(&args);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("pets.sdk.toml: line 3: unknown field `repo`"),
        "{stderr}"
    );
    assert_eq!(snapshot(&out), before);
}

/// The workspace this crate belongs to.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
#[ignore = "slow: compiles a generated crate; .ci/run runs it with --include-ignored"]
fn a_crate_generated_inside_this_workspace_builds() {
    let root = workspace_root();
    let dir = root.join(format!("target/in-workspace-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("pets.yaml");
    std::fs::write(&spec, FACTS_SPEC).unwrap();
    let out = dir.join("sdk");
    let (code, stderr) = run(&[
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::read_to_string(out.join("Cargo.toml"))
        .unwrap()
        .contains("\n[workspace]\n"));
    // The workspace's lock file pins the versions the SDK builds with.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--quiet", "--offline"])
        .env("CARGO_TARGET_DIR", root.join("target/check-target"))
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The lock file is a build product: the next run keeps it.
    assert_eq!(
        run(&[
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap()
        ])
        .0,
        0
    );
    assert!(out.join("Cargo.lock").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_workspace_own_sdk_is_a_member_and_declares_no_workspace() {
    let manifest = std::fs::read_to_string(workspace_root().join("generated/Cargo.toml")).unwrap();
    assert!(!manifest.contains("[workspace]"));
}
