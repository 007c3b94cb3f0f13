//! The SDK generator: reads an OpenAPI 3.0/3.1 document and emits a Rust SDK crate.
//!
//! The pipeline runs one way: [`load`] (text → checked, normalised document),
//! [`lower`] (document → [`ir`]), [`naming`] (Rust names in the IR), [`emit`]
//! (IR → files in memory) and [`write`] (files → disk, atomically, or a diff
//! for `--check`).

pub mod changes;
pub mod config;
pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod workspace;
pub mod write;

use std::path::Path;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::{EmitOptions, Files};

/// The generated files, and remarks that did not stop generation.
#[derive(Debug)]
pub struct Generated {
    /// Relative path → contents.
    pub files: Files,
    /// Warnings with their places in the document.
    pub warnings: Vec<Diagnostic>,
    /// Number of operations.
    pub operations: usize,
    /// Number of named types.
    pub types: usize,
}

/// Runs the pipeline on the document at `spec`, in memory.
///
/// The changelog beside the spec (`autumn.changelog.md` beside
/// `autumn.yaml`), when there is one, becomes the crate's `CHANGELOG.md`.
pub fn generate(spec: &Path, opts: &EmitOptions) -> Result<Generated, Diagnostics> {
    let mut generated = with_deep_stack(|| generate_loaded(load::load_file(spec)?, opts))?;
    let changelog = changes::changelog_beside(spec);
    if let Ok(text) = std::fs::read_to_string(&changelog) {
        generated.files.insert("CHANGELOG.md".into(), text);
    }
    Ok(generated)
}

/// Runs the pipeline on a document's text, in memory.
pub fn generate_str(text: &str, opts: &EmitOptions) -> Result<Generated, Diagnostics> {
    with_deep_stack(|| generate_loaded(load::load_str(text)?, opts))
}

/// Stack of the thread the pipeline runs on: documents may nest 128 levels
/// deep and every stage walks them recursively, which the 2 MiB stack of a
/// spawned thread (a test's, say) does not always hold in a debug build.
const STACK_SIZE: usize = 64 << 20;

/// Runs `f` on one thread with a [`STACK_SIZE`] stack, while the caller waits.
fn with_deep_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("generator".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, f)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => panic!("internal error: no thread for the generator could be started"),
        }
    })
}

/// Runs the pipeline on a document's text as far as naming: the IR the
/// crate would be emitted from (the change report compares two of them).
pub fn named_api_str(text: &str) -> Result<ir::Api, Diagnostics> {
    with_deep_stack(|| {
        let loaded = load::load_str(text)?;
        let mut api = lower::lower(&loaded)?.api;
        naming::assign(&mut api, None);
        Ok(api)
    })
}

fn generate_loaded(loaded: load::Loaded, opts: &EmitOptions) -> Result<Generated, Diagnostics> {
    let lowered = lower::lower(&loaded);
    // The document is not needed past lowering.
    drop(loaded);
    let lower::Lowered { mut api, warnings } = lowered?;
    naming::assign(&mut api, opts.crate_name.as_deref());
    let emitted = emit::emit(&api, opts)?;
    let mut warnings = warnings;
    warnings.extend(emitted.notes);
    let generated = Generated {
        files: emitted.files,
        warnings,
        operations: api.operations.len(),
        types: api.types.len(),
    };
    Ok(generated)
}
