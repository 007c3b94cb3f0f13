//! `generator`: regenerate the SDK crate from the spec, or check that it is current.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use generator::write::{differences, write_atomically, WriteOutcome};
use generator::EmitOptions;

/// Generates the Rust SDK crate from an OpenAPI document.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// The OpenAPI 3.0/3.1 document (YAML or JSON).
    #[arg(long, default_value_os_t = workspace().join("spec/autumn.yaml"))]
    spec: PathBuf,
    /// The directory that receives the crate (replaced as a whole).
    #[arg(long, default_value_os_t = workspace().join("generated"))]
    out: PathBuf,
    /// The package name of the generated crate.
    #[arg(long, default_value = "autumn-sdk")]
    crate_name: String,
    /// Write nothing; exit non-zero with a short diff when the output is stale.
    #[arg(long)]
    check: bool,
    /// Do not print warnings about the document.
    #[arg(long)]
    quiet: bool,
}

/// The workspace root (this crate's parent directory).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// How the spec is named in file headers: relative to the workspace when inside it.
fn spec_label(spec: &Path) -> String {
    let abs = std::fs::canonicalize(spec).unwrap_or_else(|_| spec.to_path_buf());
    let root = std::fs::canonicalize(workspace()).unwrap_or_else(|_| workspace());
    match abs.strip_prefix(&root) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let opts = EmitOptions {
        crate_name: args.crate_name.clone(),
        spec_label: spec_label(&args.spec),
    };
    let generated = match generator::generate(&args.spec, &opts) {
        Ok(g) => g,
        Err(errors) => {
            eprintln!(
                "error: {} is not usable; nothing was written:",
                args.spec.display()
            );
            for e in &errors.0 {
                eprintln!("  {e}");
            }
            return ExitCode::from(1);
        }
    };
    if !args.quiet {
        for w in &generated.warnings {
            eprintln!("warning: {w}");
        }
    }
    if args.check {
        return check(&args.out, &generated.files);
    }
    match write_atomically(&args.out, &generated.files) {
        Ok(WriteOutcome::Unchanged) => {
            eprintln!(
                "{} is up to date ({} files)",
                args.out.display(),
                generated.files.len()
            );
            ExitCode::SUCCESS
        }
        Ok(WriteOutcome::Replaced) => {
            eprintln!(
                "wrote {} ({} files, {} operations, {} types)",
                args.out.display(),
                generated.files.len(),
                generated.operations,
                generated.types
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "error: could not write {}: {e}; the previous output is unchanged",
                args.out.display()
            );
            ExitCode::from(2)
        }
    }
}

/// `--check`: compare, print a short diff, never write.
fn check(out: &Path, files: &generator::Files) -> ExitCode {
    match differences(out, files) {
        Ok(diffs) if diffs.is_empty() => {
            eprintln!("{} is up to date", out.display());
            ExitCode::SUCCESS
        }
        Ok(diffs) => {
            eprintln!("{} is stale ({} files differ):", out.display(), diffs.len());
            let mut budget = 80usize;
            for d in &diffs {
                let text = d.to_string();
                for line in text.lines() {
                    if budget == 0 {
                        break;
                    }
                    eprintln!("{line}");
                    budget -= 1;
                }
            }
            if budget == 0 {
                eprintln!("... (diff cut; run the generator to see everything)");
            }
            eprintln!("run `cargo run -p generator` to regenerate");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: could not read {}: {e}", out.display());
            ExitCode::from(2)
        }
    }
}
