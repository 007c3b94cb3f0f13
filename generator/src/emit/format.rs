//! Final formatting: prettyplease for every file, then one `rustfmt` run over
//! the whole set so the committed crate is exactly what `cargo fmt` would keep.
//!
//! rustfmt ships with every rustup toolchain; if it is missing, the
//! prettyplease text is kept and the caller is told.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::Files;

/// Puts a blank line between items and between methods, as a person would:
/// prettyplease prints them back to back, and rustfmt keeps what it is given.
pub fn space_items(text: &str) -> String {
    const STARTS: &[&str] = &[
        "#[",
        "///",
        "pub ",
        "pub(",
        "impl",
        "fn ",
        "mod ",
        "const ",
        "static ",
        "type ",
        "enum ",
        "struct ",
        "trait ",
        "async fn ",
        "unsafe ",
        "use ",
    ];
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev: Option<&str> = None;
    for line in text.lines() {
        if let Some(p) = prev {
            let indent = line.len() - line.trim_start().len();
            let p_indent = p.len() - p.trim_start().len();
            let body = line.trim_start();
            let starts_item = STARTS.iter().any(|s| body.starts_with(s));
            let after_block =
                (p.trim() == "}" || p.trim() == "};") && indent == p_indent && starts_item;
            let is_use = |l: &str| {
                let l = l.trim_start();
                l.starts_with("use ") || l.starts_with("pub use ")
            };
            let after_uses = indent == 0
                && is_use(p)
                && !is_use(line)
                && !body.starts_with("#[cfg")
                && !body.is_empty();
            let after_inner_docs =
                p.starts_with("//!") && !line.starts_with("//!") && !body.is_empty();
            if after_block || after_uses || after_inner_docs {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}

/// Runs rustfmt (default configuration, edition 2021) over every `.rs` file in `files`.
///
/// Returns a message when rustfmt could not be run; the files are then left as they were.
pub fn rustfmt_all(files: &mut Files) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("sdk-gen-fmt-{}-{}", std::process::id(), unique()));
    let result = run(&dir, files);
    let _ = std::fs::remove_dir_all(&dir);
    result.err()
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn run(dir: &std::path::Path, files: &mut Files) -> Result<(), String> {
    let rust: Vec<PathBuf> = files
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .cloned()
        .collect();
    if rust.is_empty() {
        return Ok(());
    }
    // Flat names keep the temporary tree simple; rustfmt does not follow `mod` here.
    let mut on_disk = Vec::with_capacity(rust.len());
    std::fs::create_dir_all(dir).map_err(|e| format!("rustfmt skipped: {e}"))?;
    for (i, rel) in rust.iter().enumerate() {
        let path = dir.join(format!("f{i}.rs"));
        std::fs::write(&path, &files[rel]).map_err(|e| format!("rustfmt skipped: {e}"))?;
        on_disk.push(path);
    }
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    // One rustfmt process per core, each with an equal share of the files.
    let processes = std::thread::available_parallelism().map_or(1, usize::from);
    let share = on_disk.len().div_ceil(processes);
    let children = on_disk
        .chunks(share.max(1))
        .map(|files| {
            Command::new(&rustfmt)
                .args(["--edition", "2021", "--config", "skip_children=true"])
                .args(files)
                .current_dir(dir)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
        })
        .collect::<Vec<_>>();
    let mut failure = None;
    for child in children {
        let output = child.and_then(|c| c.wait_with_output()).map_err(|e| {
            format!("rustfmt not found ({e}); generated code is formatted by prettyplease only")
        });
        match output {
            Ok(out) if out.status.success() => {}
            Ok(out) => {
                failure.get_or_insert(format!(
                    "rustfmt failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    }
    if let Some(failure) = failure {
        return Err(failure);
    }
    for (rel, path) in rust.iter().zip(&on_disk) {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("rustfmt output unreadable: {e}"))?;
        files.insert(rel.clone(), text);
    }
    Ok(())
}
