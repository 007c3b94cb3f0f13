//! `generator changes` as a user runs it: a report from a git revision, and
//! `--write`, which bumps the version in the configuration beside the spec,
//! prepends a changelog entry, and regenerates the crate with both.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator sits in the workspace")
        .to_path_buf()
}

fn generator() -> Command {
    Command::new(env!("CARGO_BIN_EXE_generator"))
}

/// A fresh directory under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

#[test]
fn write_bumps_the_version_and_prepends_the_changelog() {
    let dir = scratch("changes-write");
    let pair = workspace().join("tests/changes/field_removed");
    std::fs::copy(pair.join("old.yaml"), dir.join("old.yaml")).unwrap();
    std::fs::copy(pair.join("new.yaml"), dir.join("pets.yaml")).unwrap();
    std::fs::write(
        dir.join("pets.sdk.toml"),
        "# The crate.\n[package]\nversion = \"0.3.1\"\n",
    )
    .unwrap();
    let out = dir.join("crate");
    let run = generator()
        .args(["--quiet", "--crate-name", "pet-shop-sdk", "--out"])
        .arg(&out)
        .args(["changes", "--write", "--from"])
        .arg(dir.join("old.yaml"))
        .arg("--to")
        .arg(dir.join("pets.yaml"))
        .output()
        .expect("the generator runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("pet-shop-sdk 0.3.1 → 0.4.0"), "{stdout}");
    let config = std::fs::read_to_string(dir.join("pets.sdk.toml")).unwrap();
    assert_eq!(config, "# The crate.\n[package]\nversion = \"0.4.0\"\n");
    let changelog = std::fs::read_to_string(dir.join("pets.changelog.md")).unwrap();
    assert!(changelog.starts_with("# Changelog\n"), "{changelog}");
    assert!(changelog.contains("\n## [0.4.0] - "), "{changelog}");
    assert!(
        changelog.contains("### Removed\n\n- **Breaking:** Field `Pet.tag`."),
        "{changelog}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("CHANGELOG.md")).unwrap(),
        changelog
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\nversion = \"0.4.0\"\n"), "{manifest}");

    // A second release goes above the first.
    std::fs::copy(
        workspace().join("tests/changes/operation_added/new.yaml"),
        dir.join("next.yaml"),
    )
    .unwrap();
    std::fs::rename(dir.join("pets.yaml"), dir.join("old.yaml")).unwrap();
    std::fs::copy(dir.join("next.yaml"), dir.join("pets.yaml")).unwrap();
    let run = generator()
        .args(["--quiet", "--crate-name", "pet-shop-sdk", "--out"])
        .arg(&out)
        .args(["changes", "--write", "--json", "--from"])
        .arg(dir.join("old.yaml"))
        .arg("--to")
        .arg(dir.join("pets.yaml"))
        .output()
        .expect("the generator runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(report["next_version"], "0.4.1");
    let changelog = std::fs::read_to_string(out.join("CHANGELOG.md")).unwrap();
    let (newer, older) = (
        changelog.find("## [0.4.1]").unwrap(),
        changelog.find("## [0.4.0]").unwrap(),
    );
    assert!(newer < older, "{changelog}");
}

#[test]
fn from_takes_a_git_revision() {
    let run = generator()
        .args(["changes", "--json", "--from", "HEAD:spec/autumn.yaml"])
        .args(["--to", "HEAD:spec/autumn.yaml"])
        .output()
        .expect("the generator runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(report["verdict"], "none");
    assert_eq!(report["changes"], serde_json::json!([]));
    assert_eq!(report["api_to"], "2.5.0");
    let bad = generator()
        .args(["changes", "--from", "no-such-revision:spec/autumn.yaml"])
        .output()
        .expect("the generator runs");
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("git show no-such-revision:spec/autumn.yaml")
    );
}
