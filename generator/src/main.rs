//! `generator`: regenerate the SDK crate from the spec, or check that it is current.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use generator::write::{differences, write_atomically, WriteOutcome};
use generator::EmitOptions;

/// Generates the Rust SDK crate from an OpenAPI document.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
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

/// What to do instead of generating.
#[derive(Subcommand, Debug)]
enum Command {
    /// Report what a spec change changes in the crate's public API, each
    /// change compatible or breaking, and the version bump it needs.
    Changes(ChangesArgs),
}

/// Arguments of `generator changes`.
#[derive(clap::Args, Debug)]
struct ChangesArgs {
    /// The old document: a file, or a git revision and a path in the
    /// workspace's repository (`HEAD~3:spec/autumn.yaml`).
    #[arg(long)]
    from: String,
    /// The new document, in the same forms; its configuration holds the crate's version.
    #[arg(long, default_value = "spec/autumn.yaml")]
    to: String,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Bump the version in the new document's configuration, add an entry
    /// to its changelog, and regenerate the crate.
    #[arg(long)]
    write: bool,
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
    if let Some(Command::Changes(changes)) = &args.command {
        return run_changes(changes, &args);
    }
    generate(&args, &args.spec)
}

/// Generates the crate from `spec` into `args.out` (or checks it).
fn generate(args: &Args, spec: &Path) -> ExitCode {
    let opts = EmitOptions {
        crate_name: args.crate_name.clone(),
        spec_label: spec_label(spec),
        version: None,
    };
    let generated = match generator::generate(spec, &opts) {
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

/// `changes`: the report on going from `--from` to `--to`; with `--write`,
/// the version bump, the changelog entry and the regenerated crate.
fn run_changes(c: &ChangesArgs, args: &Args) -> ExitCode {
    use generator::changes::{render, source::Source, Report};
    let root = workspace();
    let (from, to) = (Source::parse(&c.from, &root), Source::parse(&c.to, &root));
    let api = |source: &Source| -> Result<generator::ir::Api, String> {
        let text = source.read(&root)?;
        generator::named_api_str(&text).map_err(|errors| {
            let lines: Vec<String> = errors.0.iter().map(|e| format!("  {e}")).collect();
            format!("{source} is not usable:\n{}", lines.join("\n"))
        })
    };
    let config_source = to.beside("sdk.toml");
    let version = if config_source.exists(&root) {
        config_source
            .read(&root)
            .and_then(|text| generator::config::Config::parse(&text))
            .and_then(|config| config.version())
            .map_err(|e| format!("the crate's version ({config_source}): {e}"))
    } else {
        eprintln!(
            "note: no {config_source}; the crate's version is taken as {}",
            generator::config::DEFAULT_VERSION
        );
        generator::changes::Version::parse(generator::config::DEFAULT_VERSION)
            .map_err(|e| e.to_string())
    };
    let (old, new, version) = match (api(&from), api(&to), version) {
        (Ok(old), Ok(new), Ok(version)) => (old, new, version),
        (old, new, version) => {
            for e in [old.err(), new.err(), version.err()].into_iter().flatten() {
                eprintln!("error: {e}");
            }
            return ExitCode::from(1);
        }
    };
    let report = Report::new(&old, &new, &args.crate_name, &version);
    if c.json {
        print!("{}", render::json(&report));
    } else {
        print!("{}", render::text(&report));
    }
    if !c.write {
        return ExitCode::SUCCESS;
    }
    let Source::File(spec) = &to else {
        eprintln!("error: --write needs --to to be a file, not {to}");
        return ExitCode::from(2);
    };
    match write_release(spec, &report) {
        Ok(()) => generate(args, spec),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Bumps the version in the spec's configuration and prepends the report's
/// entry to the spec's changelog (both beside the spec).
fn write_release(spec: &Path, report: &generator::changes::Report) -> Result<(), String> {
    use generator::changes::render;
    let config_path = generator::config::path_beside(spec);
    let changelog_path = generator::changes::changelog_beside(spec);
    let config = std::fs::read_to_string(&config_path)
        .map_err(|e| format!("{}: {e}", config_path.display()))?;
    let config = generator::config::with_version(&config, &report.next_version)
        .map_err(|e| format!("{}: {e}", config_path.display()))?;
    let changelog = match std::fs::read_to_string(&changelog_path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("{}: {e}", changelog_path.display())),
    };
    let entry = render::changelog_entry(report, &render::today());
    let changelog = render::prepend_entry(changelog.as_deref(), &entry);
    std::fs::write(&changelog_path, changelog)
        .map_err(|e| format!("{}: {e}", changelog_path.display()))?;
    std::fs::write(&config_path, config).map_err(|e| format!("{}: {e}", config_path.display()))?;
    eprintln!(
        "{} {} → {}; wrote {} and {}",
        report.crate_name,
        report.crate_version,
        report.next_version,
        config_path.display(),
        changelog_path.display()
    );
    Ok(())
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
