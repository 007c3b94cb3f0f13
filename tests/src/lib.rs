//! Support code shared by the workspace's integration tests: where things
//! are, how to run the generator in memory, and the golden comparison.

use std::fmt::Write as _;
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

/// `funcs::<tag>_<method>`, as naming named it.
pub fn func_name(op: &generator::ir::Operation) -> String {
    op.func_name.clone()
}

/// The arms of a harness's `call(client, index)` match: one per operation of
/// `api` (by its index there), sending the operation's spec example as its
/// params, each `{index} => Ok(<call>.await.map(drop)),`.
///
/// The harness defines `params::<T>(example: &str) -> Result<T, String>`,
/// which decodes the example (an `Err` when it does not fit the params type).
pub fn call_arms(api: &generator::ir::Api) -> String {
    let mut arms = String::new();
    for (index, op) in api.operations.iter().enumerate() {
        assert!(
            op.params.is_empty(),
            "{}: parameters outside the body are not handled by this test yet",
            op.id
        );
        let func = format!("autumn_sdk::funcs::{}", func_name(op));
        let call = match &op.body {
            None => format!("{func}(client)"),
            Some(body) => {
                let ty = rust_type(&api.types, &body.ty);
                let arg = if body.required { "p" } else { "Some(p)" };
                match &body.example {
                    Some(example) => {
                        let json = serde_json::to_string(example).unwrap();
                        format!("{{ let p: {ty} = params({json:?})?; {func}(client, {arg}) }}")
                    }
                    None if !body.required => format!("{func}(client, None)"),
                    None => panic!("{}: the request body has no example in the spec", op.id),
                }
            }
        };
        let _ = writeln!(arms, "        {index} => Ok({call}.await.map(drop)),");
    }
    arms
}

/// Rust source of `difference(at, a, b) -> Option<(String, String)>` for
/// harness crates: where two JSON values first differ (a JSON pointer under
/// `at`) and how (`{a} became {b}`), with a `null` and an absent key taken as
/// the same and numbers compared by value. `None` when they are equal so.
pub const JSON_DIFFERENCE: &str = r#"
/// Where `a` and `b` first differ (a JSON pointer under `at`) and how;
/// `null` and absent are alike, numbers compare by value.
fn difference(at: &str, a: &serde_json::Value, b: &serde_json::Value) -> Option<(String, String)> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let (l, r) = (x.get(key).unwrap_or(&Value::Null), y.get(key).unwrap_or(&Value::Null));
                if let Some(d) = difference(&format!("{at}/{key}"), l, r) {
                    return Some(d);
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (l, r))| difference(&format!("{at}/{i}"), l, r))
        }
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => None,
        _ if a == b => None,
        _ => Some((at.to_owned(), format!("{a} became {b}"))),
    }
}
"#;

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

/// Checks of wire-test data against `spec/autumn.yaml`, shared by the wire tests.
pub mod spec_check {
    use std::sync::OnceLock;

    use serde_json::{json, Value};

    /// `spec/autumn.yaml`, parsed once.
    pub fn spec() -> &'static Value {
        static SPEC: OnceLock<Value> = OnceLock::new();
        SPEC.get_or_init(|| {
            let text = std::fs::read_to_string(super::workspace().join("spec/autumn.yaml"))
                .expect("spec/autumn.yaml");
            serde_yaml::from_str(&text).expect("spec/autumn.yaml parses")
        })
    }

    /// What is wrong with `instance` against the schema at `pointer` in the
    /// spec (JSON Schema 2020-12, `$ref`s resolved inside the spec).
    pub fn schema_errors(pointer: &str, instance: &Value) -> Vec<String> {
        let mut root = spec().clone();
        assert!(root.pointer(pointer).is_some(), "no schema at {pointer}");
        root.as_object_mut()
            .expect("the spec is an object")
            .insert("$ref".into(), Value::String(format!("#{pointer}")));
        let validator = jsonschema::draft202012::new(&root)
            .unwrap_or_else(|e| panic!("schema at {pointer} does not compile: {e}"));
        validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect()
    }

    /// Panics, listing what is wrong, when `instance` does not fit the schema at `pointer`.
    pub fn assert_fits(pointer: &str, instance: &Value) {
        let errors = schema_errors(pointer, instance);
        assert!(
            errors.is_empty(),
            "does not fit {pointer}:\n{}\n{instance:#}",
            errors.join("\n")
        );
    }

    /// `path` as one JSON pointer token (`/v1/a.b` → `~1v1~1a.b`).
    pub fn escape(path: &str) -> String {
        path.replace('~', "~0").replace('/', "~1")
    }

    /// Servers add fields; the SDK must ignore the ones it does not know.
    pub fn with_unknown_field(mut answer: Value) -> Value {
        if let Some(object) = answer.as_object_mut() {
            object.insert(
                "x_added_in_a_later_version".into(),
                json!({"nested": [1, "two", null]}),
            );
        }
        answer
    }
}
