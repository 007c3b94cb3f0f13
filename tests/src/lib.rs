//! Support code shared by the workspace's integration tests: where things
//! are, how to run the generator in memory, and the golden comparison.

use std::path::{Path, PathBuf};

use generator::write::{differences, write_atomically};
use generator::{EmitOptions, Files};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// The shared reference specs (`SHARED_SPECS`, default `../shared/specs` from the workspace root).
pub fn shared_specs() -> PathBuf {
    match std::env::var_os("SHARED_SPECS") {
        Some(dir) => PathBuf::from(dir),
        None => workspace().join("../shared/specs"),
    }
}

/// Options matching `cargo run -p generator` for the spec at `spec_label`.
pub fn options(crate_name: &str, spec_label: &str) -> EmitOptions {
    EmitOptions {
        crate_name: crate_name.to_owned(),
        spec_label: spec_label.to_owned(),
        rustfmt: true,
    }
}

/// Compares `files` with the directory `dir`. With `UPDATE_GOLDEN=1` the directory is rewritten instead.
///
/// On mismatch the error holds a unified diff per file and says how to accept the change.
pub fn golden(dir: &Path, files: &Files, accept_hint: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        write_atomically(dir, files)
            .map_err(|e| format!("cannot update {}: {e}", dir.display()))?;
        return Ok(());
    }
    let diffs =
        differences(dir, files).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    if diffs.is_empty() {
        return Ok(());
    }
    let mut report = format!(
        "{} differs from what the generator makes ({} files):\n\n",
        dir.display(),
        diffs.len()
    );
    for d in &diffs {
        report.push_str(&d.to_string());
        report.push('\n');
    }
    report.push_str(&format!(
        "\nIf the change is intended, accept it with: {accept_hint}\n"
    ));
    Err(report)
}
