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

/// The Rust type the generated SDK (`autumn_sdk`) uses for `t`, as a path usable from another crate.
pub fn rust_type(space: &generator::ir::TypeSpace, t: &generator::ir::TypeRef) -> String {
    use generator::ir::{IntKind, TypeRef};
    match t {
        TypeRef::Named(id) => format!("autumn_sdk::models::{}", space.get(*id).name),
        TypeRef::String => "String".into(),
        TypeRef::Integer(IntKind::I32) => "i32".into(),
        TypeRef::Integer(IntKind::U32) => "u32".into(),
        TypeRef::Integer(IntKind::U64) => "u64".into(),
        TypeRef::Integer(IntKind::I64) => "i64".into(),
        TypeRef::Number => "f64".into(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::Any | TypeRef::Bytes => "serde_json::Value".into(),
        TypeRef::List(i) => format!("Vec<{}>", rust_type(space, i)),
        TypeRef::Map(i) => format!(
            "std::collections::BTreeMap<String, {}>",
            rust_type(space, i)
        ),
        TypeRef::Nullable(i) => format!("Option<{}>", rust_type(space, i)),
    }
}

/// `spec/autumn.yaml` as the SDK sees it: loaded, lowered and named, as
/// `cargo run -p generator` does before emitting.
pub fn our_api() -> generator::ir::Api {
    let loaded =
        generator::load::load_file(&workspace().join("spec/autumn.yaml")).expect("our spec loads");
    let mut api = generator::lower::lower(&loaded).expect("lowers").api;
    generator::naming::assign(&mut api);
    api
}

/// A throwaway crate under `target/` that depends on the generated SDK by path.
///
/// Types are only known once the generator has named them, so tests that
/// need them write such a crate and build or run it with its own target
/// directory (the workspace's stays untouched; the workspace's `Cargo.lock`
/// is copied so dependency versions match).
pub struct Harness {
    /// The crate's directory.
    pub dir: PathBuf,
    /// Its target directory.
    pub target: PathBuf,
}

impl Harness {
    /// Writes the crate `name` at `target/<name>` with `Cargo.toml` (the SDK plus
    /// `dependencies`, TOML lines) and `files` (relative path → contents).
    pub fn write(name: &str, dependencies: &str, files: &[(&str, &str)]) -> Harness {
        let dir = workspace().join("target").join(name);
        let target = workspace().join("target").join(format!("{name}-target"));
        let sdk = workspace().join("generated");
        let manifest = format!(
            "[package]\nname = {name:?}\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\nautumn-sdk = {{ path = {:?} }}\n{dependencies}",
            sdk.display().to_string()
        );
        let write = |path: &Path, text: &str| {
            std::fs::create_dir_all(path.parent().expect("a file in the crate"))
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
            // Unchanged files keep their times, so cargo does not rebuild them.
            if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
                std::fs::write(path, text)
                    .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
            }
        };
        write(&dir.join("Cargo.toml"), &manifest);
        if let Ok(lock) = std::fs::read_to_string(workspace().join("Cargo.lock")) {
            write(&dir.join("Cargo.lock"), &lock);
        }
        for (path, text) in files {
            write(&dir.join(path), text);
        }
        Harness { dir, target }
    }

    /// `cargo <args>` in the crate, with its own target directory.
    pub fn cargo(&self, args: &[&str]) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO"));
        command
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target);
        command
    }
}
