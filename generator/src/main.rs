//! `generator`: regenerate the SDK crate from the spec, or check that it is current.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use generator::write::{differences, write_atomically, WriteOutcome};
use generator::{config, workspace, EmitOptions};

/// Generates the Rust SDK crate from an OpenAPI document.
///
/// With no arguments it regenerates this workspace's SDK: `spec/autumn.yaml`
/// into `generated/`.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
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
    /// The new document, in the same forms; the configuration beside it
    /// holds the crate's version.
    #[arg(long, default_value = "spec/autumn.yaml")]
    to: String,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Bump the version in the new document's configuration, add an entry
    /// to its changelog, and regenerate the crate (into `--out`, which a
    /// document other than this workspace's spec needs).
    #[arg(long)]
    write: bool,
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
    if let Some(Command::Changes(changes)) = &args.command {
        return run_changes(changes, &args);
    }
    generate(&args, args.spec.clone())
}

/// Generates the crate from `spec` (default: this workspace's) into `--out`, or checks it.
fn generate(args: &Args, spec: Option<PathBuf>) -> ExitCode {
    let (spec, out) = match (spec, args.out.clone()) {
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
        crate_name: args
            .crate_name
            .clone()
            .or_else(|| config.package.name.clone()),
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
    let config_source = match &args.config {
        Some(path) => Source::File(path.clone()),
        None => to.beside("sdk.toml"),
    };
    let package = if config_source.exists(&root) {
        config_source
            .read(&root)
            .and_then(|text| config::parse(&text))
            .map(|c| c.package)
            .map_err(|e| format!("the configuration ({config_source}): {e}"))
    } else {
        Ok(config::PackageConfig::default())
    };
    let (old, new, package) = match (api(&from), api(&to), package) {
        (Ok(old), Ok(new), Ok(package)) => (old, new, package),
        (old, new, package) => {
            for e in [old.err(), new.err(), package.err()].into_iter().flatten() {
                eprintln!("error: {e}");
            }
            return ExitCode::from(1);
        }
    };
    // `parse` checked the version; the default is one too.
    let Ok(version) = generator::changes::Version::parse(package.version()) else {
        eprintln!("error: `{}` is not a version", package.version());
        return ExitCode::from(1);
    };
    let crate_name = args
        .crate_name
        .clone()
        .or(package.name)
        .unwrap_or_else(|| new.info.client.crate_name.clone());
    let report = Report::new(&old, &new, &crate_name, &version);
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
    let config_path = args.config.clone().unwrap_or_else(|| config::beside(spec));
    match write_release(spec, &config_path, &report) {
        Ok(()) => {
            let default = std::fs::canonicalize(workspace().join("spec/autumn.yaml")).ok();
            let this = std::fs::canonicalize(spec).ok();
            let spec = if this.is_some() && this == default {
                None
            } else {
                Some(spec.clone())
            };
            generate(args, spec)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Bumps the version in the configuration (made when there is none) and
/// prepends the report's entry to the spec's changelog (beside the spec).
fn write_release(
    spec: &Path,
    config_path: &Path,
    report: &generator::changes::Report,
) -> Result<(), String> {
    use generator::changes::render;
    let changelog_path = generator::changes::changelog_beside(spec);
    let read = |path: &Path| match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    };
    let config = read(config_path)?.unwrap_or_default();
    let config = config::with_version(&config, &report.next_version)
        .map_err(|e| format!("{}: {e}", config_path.display()))?;
    let changelog = read(&changelog_path)?;
    let entry = render::changelog_entry(report, &render::today());
    let changelog = render::prepend_entry(changelog.as_deref(), &entry);
    std::fs::write(&changelog_path, changelog)
        .map_err(|e| format!("{}: {e}", changelog_path.display()))?;
    std::fs::write(config_path, config).map_err(|e| format!("{}: {e}", config_path.display()))?;
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
