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
        crate_name: Some(crate_name.to_owned()),
        spec_label: spec_label.to_owned(),
        ..EmitOptions::default()
    }
}

/// Options matching `cargo run -p generator` with no arguments: the
/// workspace's spec with its configuration, `spec/autumn.sdk.toml`.
pub fn autumn_options() -> EmitOptions {
    let spec = workspace().join("spec/autumn.yaml");
    let (config, _) = generator::config::load(&spec, None)
        .unwrap_or_else(|e| panic!("spec/autumn.sdk.toml is not usable: {e}"));
    EmitOptions {
        crate_name: config.package.name.clone(),
        spec_label: "spec/autumn.yaml".into(),
        package: config.package,
        own_workspace: false,
    }
}

/// Compares `files` with the directory `dir`. With `UPDATE_GOLDEN=1` the directory is rewritten instead.
///
/// On mismatch the error holds a unified diff per file and says how to accept the change.
pub fn golden(dir: &Path, files: &Files, accept_hint: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        write_atomically(dir, files, true)
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
        TypeRef::File => "autumn_sdk::FilePart".into(),
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
    generator::naming::assign(&mut api, None);
    api
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
        let func = format!("autumn_sdk::funcs::{}", op.func_name);
        let call = match &op.body {
            None => format!("{func}(client)"),
            Some(body) => {
                let ty = rust_type(&api.types, &body.ty);
                // An optional body is taken by value like a required one;
                // without an example, the empty one.
                let json = match &body.example {
                    Some(example) => serde_json::to_string(example).unwrap(),
                    None if !body.required => "{}".to_owned(),
                    None => panic!("{}: the request body has no example in the spec", op.id),
                };
                format!("{{ let p: {ty} = params({json:?})?; {func}(client, p) }}")
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
/// need them write such a crate and build or run it. Every such crate has
/// the same dependencies ([`HARNESS_DEPENDENCIES`]) and the same target
/// directory, `target/harness-target` (not the workspace's, which would
/// resolve the SDK's dependencies with other features), so the SDK and its
/// dependencies are built once for all of them; cargo's lock makes crates
/// built at the same time take turns. The workspace's `Cargo.lock` is copied
/// so dependency versions match.
pub struct Harness {
    /// The crate's directory.
    pub dir: PathBuf,
    /// Its target directory (shared by every harness).
    pub target: PathBuf,
}

/// The dependencies of every harness besides the SDK (TOML lines).
pub const HARNESS_DEPENDENCIES: &str = "serde = \"1\"\nserde_json = \"1\"\nserde_path_to_error = \"0.1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n";

/// The target directory of the crates that tests `cargo check` with warnings
/// denied (generated from mutated or corpus documents): one for all of them,
/// apart from the harnesses' because `RUSTFLAGS` differs.
pub fn check_target() -> PathBuf {
    workspace().join("target/check-target")
}

impl Harness {
    /// Writes the crate `name` at `target/<name>` with `Cargo.toml` (the SDK plus
    /// [`HARNESS_DEPENDENCIES`]) and `files` (relative path → contents).
    pub fn write(name: &str, files: &[(&str, &str)]) -> Harness {
        let dir = workspace().join("target").join(name);
        let target = workspace().join("target/harness-target");
        let sdk = workspace().join("generated");
        let manifest = format!(
            "[package]\nname = {name:?}\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\nautumn-sdk = {{ path = {:?} }}\n{HARNESS_DEPENDENCIES}",
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

    /// `cargo <args>` in the crate, with the harnesses' target directory and
    /// no debug info (a faster build; harnesses are never debugged).
    pub fn cargo(&self, args: &[&str]) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO"));
        command
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_PROFILE_DEV_DEBUG", "false");
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

/// The fixtures' golden crates made whole, so that cargo compiles them:
/// `tests/fixture_crates/crates/<fixture>/` is `tests/fixtures/<fixture>/expected/`
/// plus the SDK runtime (`templates/runtime/*.rs`, which the goldens leave
/// out because `generated/` pins it), made of symbolic links to those files
/// and two real ones:
///
/// - `src/lib.rs`, a copy of the golden one (rustfmt follows a linked crate
///   root to where it points, and then looks for the runtime modules there);
/// - `Cargo.toml`, the golden manifest with the library's own unit tests and
///   doctests off (the runtime's are run by `generated/`'s; these would cost
///   a build per fixture on every `cargo test`).
///
/// The crates are workspace members (everything under `tests/` is) and
/// dev-dependencies of `tests/fixture_crates`, whose tests round-trip JSON
/// through their models. The golden test checks them and, with
/// `UPDATE_GOLDEN=1`, writes them again after the goldens.
pub mod fixture_crates {
    use std::collections::BTreeMap;
    use std::io;
    use std::path::{Path, PathBuf};

    /// One entry of a fixture crate.
    #[derive(Debug, PartialEq, Eq)]
    pub enum Entry {
        /// A symbolic link with this (relative) target.
        Link(PathBuf),
        /// A file with these contents.
        File(String),
    }

    /// `tests/fixture_crates`.
    pub fn root() -> PathBuf {
        super::workspace().join("tests/fixture_crates")
    }

    /// The crate made of the fixture `name`.
    pub fn dir(name: &str) -> PathBuf {
        root().join("crates").join(name)
    }

    /// The golden manifest with the library's unit tests and doctests off.
    pub fn manifest(golden: &str) -> String {
        const OFF: &str = "# Added for tests/fixture_crates: no unit tests (the runtime's run in generated/)\n# and no doctests (they would cost a build per fixture on every `cargo test`).\ntest = false\ndoctest = false\n";
        let header = "# Written by the golden test (tests/src/lib.rs, `fixture_crates`): the fixture's\n# expected/Cargo.toml with `test` and `doctest` turned off under [lib].\n";
        match golden.find("\n[lib]\n") {
            Some(at) => {
                let at = at + "\n[lib]\n".len();
                format!("{header}{}{OFF}{}", &golden[..at], &golden[at..])
            }
            None => format!("{header}{golden}\n[lib]\n{OFF}"),
        }
    }

    /// What the crate of the fixture `name` must hold (paths relative to it),
    /// read from the fixture's `expected/`.
    pub fn layout(name: &str) -> io::Result<BTreeMap<PathBuf, Entry>> {
        let expected = super::workspace()
            .join("tests/fixtures")
            .join(name)
            .join("expected");
        let to_expected = PathBuf::from("../../../fixtures")
            .join(name)
            .join("expected");
        let mut entries = BTreeMap::new();
        for entry in sorted(&expected)? {
            match entry.as_str() {
                "Cargo.toml" => {
                    let golden = std::fs::read_to_string(expected.join(&entry))?;
                    entries.insert(PathBuf::from(&entry), Entry::File(manifest(&golden)));
                }
                // The marker speaks of expected/, not of this crate.
                "src" | generator::write::marker::MARKER => {}
                _ => {
                    entries.insert(PathBuf::from(&entry), Entry::Link(to_expected.join(&entry)));
                }
            }
        }
        for entry in sorted(&expected.join("src"))? {
            let path = PathBuf::from("src").join(&entry);
            let value = if entry == "lib.rs" {
                Entry::File(std::fs::read_to_string(expected.join("src/lib.rs"))?)
            } else {
                Entry::Link(Path::new("..").join(&to_expected).join("src").join(&entry))
            };
            entries.insert(path, value);
        }
        for runtime in generator::emit::runtime_paths() {
            let file = runtime.file_name().expect("a runtime file name");
            // Webhook verification is copied only for documents with webhooks.
            if file == "webhook.rs" && !expected.join("docs/webhooks.md").exists() {
                continue;
            }
            entries.insert(
                runtime.clone(),
                Entry::Link(Path::new("../../../../../templates/runtime").join(file)),
            );
        }
        Ok(entries)
    }

    fn sorted(dir: &Path) -> io::Result<Vec<String>> {
        let mut names = std::fs::read_dir(dir)?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<io::Result<Vec<_>>>()?;
        names.sort();
        Ok(names)
    }

    /// Writes the crate of the fixture `name` anew.
    pub fn write(name: &str) -> io::Result<()> {
        let dir = dir(name);
        let layout = layout(name)?;
        match std::fs::remove_dir_all(&dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        for (path, entry) in layout {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().expect("inside the crate"))?;
            match entry {
                Entry::File(text) => std::fs::write(&path, text)?,
                Entry::Link(target) => link(&target, &path)?,
            }
        }
        Ok(())
    }

    #[cfg(unix)]
    fn link(target: &Path, path: &Path) -> io::Result<()> {
        std::os::unix::fs::symlink(target, path)
    }

    #[cfg(not(unix))]
    fn link(_target: &Path, path: &Path) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!("{} must be a symbolic link", path.display()),
        ))
    }

    /// How the crate of the fixture `name` differs from its layout (empty when it does not).
    pub fn problems(name: &str) -> Vec<String> {
        let dir = dir(name);
        let shown = |p: &Path| format!("tests/fixture_crates/crates/{name}/{}", p.display());
        let layout = match layout(name) {
            Ok(layout) => layout,
            Err(e) => {
                return vec![format!(
                    "tests/fixtures/{name}/expected cannot be read: {e}"
                )]
            }
        };
        let mut problems = Vec::new();
        for (path, entry) in &layout {
            let at = dir.join(path);
            match entry {
                Entry::Link(target) => match std::fs::read_link(&at) {
                    Ok(actual) if actual == *target => {
                        if !at.exists() {
                            problems.push(format!(
                                "{} links to {}, which does not exist",
                                shown(path),
                                target.display()
                            ));
                        }
                    }
                    Ok(actual) => problems.push(format!(
                        "{} links to {}, not {}",
                        shown(path),
                        actual.display(),
                        target.display()
                    )),
                    Err(_) => problems.push(format!(
                        "{} is not a link to {}",
                        shown(path),
                        target.display()
                    )),
                },
                Entry::File(text) => match std::fs::symlink_metadata(&at) {
                    Ok(meta) if meta.is_file() => {
                        if std::fs::read_to_string(&at).ok().as_ref() != Some(text) {
                            problems.push(format!("{} is out of date", shown(path)));
                        }
                    }
                    _ => problems.push(format!("{} is missing (or not a plain file)", shown(path))),
                },
            }
        }
        for sub in ["", "src"] {
            if let Ok(names) = sorted(&dir.join(sub)) {
                for entry in names {
                    let path = Path::new(sub).join(entry);
                    if !layout.contains_key(&path) && path != Path::new("src") {
                        problems.push(format!("{} should not be there", shown(&path)));
                    }
                }
            }
        }
        problems
    }

    /// `name = "..."` under the section `[section]` of a manifest.
    pub fn name_in(manifest: &str, section: &str) -> Option<String> {
        let header = format!("[{section}]");
        manifest
            .lines()
            .skip_while(|l| l.trim() != header)
            .skip(1)
            .take_while(|l| !l.starts_with('['))
            .find_map(|l| l.strip_prefix("name = "))
            .map(|v| v.trim().trim_matches('"').to_owned())
    }
}
