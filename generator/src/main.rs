//! `generator`: regenerate the SDK crate from the spec, or check that it is current.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use generator::write::{differences, write_atomically, WriteOutcome};
use generator::{config, workspace, EmitOptions};

/// Generates the Rust SDK crate from an OpenAPI document.
///
/// With no arguments it regenerates this workspace's SDK: `spec/autumn.yaml`
/// into `generated/`.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// The OpenAPI 3.0/3.1 document (YAML or JSON). Default:
    /// `spec/autumn.yaml` of this workspace.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The folder that receives the crate. It must be new, empty, or hold
    /// the generator's earlier output and nothing else; it is replaced as a
    /// whole. Required with `--spec`; default: `generated/` of this workspace.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The package name of the generated crate. Default: `[package] name`
    /// of the configuration, else one made from the document's title.
    #[arg(long, value_parser = crate_name)]
    crate_name: Option<String>,
    /// The publisher's configuration (TOML). Default: `<spec stem>.sdk.toml`
    /// beside the spec, when there is one.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Replace generated files that were edited since they were written.
    /// Never replaces files the generator did not write.
    #[arg(long)]
    force: bool,
    /// Write nothing; exit non-zero with a short diff when the output is stale.
    #[arg(long)]
    check: bool,
    /// Do not print warnings about the document.
    #[arg(long)]
    quiet: bool,
}

/// `--crate-name`, checked before any work.
fn crate_name(name: &str) -> Result<String, String> {
    config::check_crate_name(name).map(|()| name.to_owned())
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
    let (spec, out) = match (args.spec, args.out) {
        (None, out) => (
            workspace().join("spec/autumn.yaml"),
            out.unwrap_or_else(|| workspace().join("generated")),
        ),
        (Some(spec), Some(out)) => (spec, out),
        (Some(_), None) => {
            eprintln!("error: `--spec` needs `--out`: name the folder that receives the crate");
            return ExitCode::from(2);
        }
    };
    let (config, _) = match config::load(&spec, args.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("error: the configuration is not usable; nothing was written:\n  {e}");
            return ExitCode::from(2);
        }
    };
    let opts = EmitOptions {
        crate_name: args.crate_name.or_else(|| config.package.name.clone()),
        spec_label: spec_label(&spec),
        package: config.package,
        own_workspace: workspace::needs_own_workspace(&out),
    };
    let generated = match generator::generate(&spec, &opts) {
        Ok(g) => g,
        Err(errors) => {
            eprintln!(
                "error: {} is not usable; nothing was written:",
                spec.display()
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
        return check(&out, &generated.files);
    }
    match write_atomically(&out, &generated.files, args.force) {
        Ok(WriteOutcome::Unchanged) => {
            eprintln!(
                "{} is up to date ({} files)",
                out.display(),
                generated.files.len()
            );
            ExitCode::SUCCESS
        }
        Ok(WriteOutcome::Replaced) => {
            eprintln!(
                "wrote {} ({} files, {} operations, {} types)",
                out.display(),
                generated.files.len(),
                generated.operations,
                generated.types
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {} was not written: {e}", out.display());
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
