//! Stage 5: put the file set on disk atomically, or compare it with what is there.
//!
//! The whole crate is written into a fresh sibling directory, which then
//! replaces the old one by rename, so an interrupted or failed run leaves the
//! previous output intact and files the generator no longer makes disappear.
//! When nothing changed, nothing is touched (cargo's fingerprints stay valid).
//! A marker ([`marker::MARKER`]) lists what was written; [`guard`] refuses
//! to replace a folder holding anything else.

pub mod guard;
pub mod marker;

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::emit::Files;
pub use guard::Refusal;

/// What writing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The output already matched; nothing was written.
    Unchanged,
    /// The output directory was replaced.
    Replaced,
}

/// Why the output was not written. In every case the folder is as it was.
#[derive(Debug)]
pub enum WriteError {
    /// The folder may not be replaced.
    Refused(Refusal),
    /// Reading or writing failed.
    Io(io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Refused(refusal) => refusal.fmt(f),
            WriteError::Io(e) => write!(f, "{e}; the folder is as it was"),
        }
    }
}

impl std::error::Error for WriteError {}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// Writes `files` (and the marker) as the complete contents of `out`, when
/// [`guard::check`] allows it; `force` replaces generated files edited since.
pub fn write_atomically(
    out: &Path,
    files: &Files,
    force: bool,
) -> Result<WriteOutcome, WriteError> {
    guard::check(out, force)?.map_err(WriteError::Refused)?;
    let files = &marker::with_marker(files);
    if is_current(out, files)? {
        return Ok(WriteOutcome::Unchanged);
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let backup = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = write_tree(&staging, files).and_then(|()| swap(out, &staging, &backup));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
        .map(|()| WriteOutcome::Replaced)
        .map_err(WriteError::Io)
}

fn write_tree(root: &Path, files: &Files) -> io::Result<()> {
    let mut made = BTreeSet::new();
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            if !made.contains(dir) {
                fs::create_dir_all(dir)?;
                made.insert(dir.to_path_buf());
            }
        }
        fs::write(&path, text)?;
    }
    Ok(())
}

/// Moves `staging` into place at `out`, keeping the old tree until the new
/// one is in, and carrying the [`guard::BUILD_PRODUCTS`] over.
fn swap(out: &Path, staging: &Path, backup: &Path) -> io::Result<()> {
    if !out.exists() {
        return fs::rename(staging, out);
    }
    let mut carried = Vec::new();
    for name in guard::BUILD_PRODUCTS {
        if fs::symlink_metadata(out.join(name)).is_ok() {
            if let Err(e) = fs::rename(out.join(name), staging.join(name)) {
                put_back(&carried, staging, out);
                return Err(e);
            }
            carried.push(*name);
        }
    }
    if let Err(e) = fs::rename(out, backup) {
        put_back(&carried, staging, out);
        return Err(e);
    }
    if let Err(e) = fs::rename(staging, out) {
        // Put the old output back before reporting.
        let _ = fs::rename(backup, out);
        put_back(&carried, staging, out);
        return Err(e);
    }
    fs::remove_dir_all(backup)
}

/// Moves carried build products back from `staging` to `out` after a failed swap.
fn put_back(carried: &[&str], staging: &Path, out: &Path) {
    for name in carried {
        let _ = fs::rename(staging.join(name), out.join(name));
    }
}

/// One way in which the directory differs from the file set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The generator makes this file but it is not there.
    Missing(PathBuf),
    /// The file is there but the generator no longer makes it.
    Stale(PathBuf),
    /// The file differs; a unified diff from what is there to what would be written.
    Changed(PathBuf, String),
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Missing(p) => write!(f, "missing: {}", p.display()),
            Difference::Stale(p) => write!(f, "stale (no longer generated): {}", p.display()),
            Difference::Changed(p, diff) => write!(f, "changed: {}\n{diff}", p.display()),
        }
    }
}

/// Whether `out` holds exactly `files`; stops at the first difference.
fn is_current(out: &Path, files: &Files) -> io::Result<bool> {
    if list_files(out)?.iter().ne(files.keys()) {
        return Ok(false);
    }
    for (rel, text) in files {
        match fs::read(out.join(rel)) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            Ok(_) => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Compares `out` with `files` (and their marker) without writing anything.
pub fn differences(out: &Path, files: &Files) -> io::Result<Vec<Difference>> {
    let files = &marker::with_marker(files);
    let mut diffs = Vec::new();
    let existing = list_files(out)?;
    for (rel, text) in files {
        match fs::read(out.join(rel)) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            Ok(bytes) => {
                let old = String::from_utf8_lossy(&bytes);
                let diff = TextDiff::from_lines(old.as_ref(), text.as_str())
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("a/{}", rel.display()),
                        &format!("b/{}", rel.display()),
                    )
                    .to_string();
                diffs.push(Difference::Changed(rel.clone(), diff));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                diffs.push(Difference::Missing(rel.clone()))
            }
            Err(e) => return Err(e),
        }
    }
    for rel in existing {
        if !files.contains_key(&rel) {
            diffs.push(Difference::Stale(rel));
        }
    }
    Ok(diffs)
}

/// Every file and empty folder under `root`, relative to it, but the build
/// products (none when `root` does not exist).
fn list_files(root: &Path) -> io::Result<BTreeSet<PathBuf>> {
    if !root.exists() {
        return Ok(BTreeSet::new());
    }
    guard::entries(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Files {
        pairs
            .iter()
            .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
            .collect()
    }

    #[test]
    fn writes_replaces_and_removes_stale_files() {
        let dir = std::env::temp_dir().join(format!("gen-write-{}", std::process::id()));
        let out = dir.join("out");
        let _ = fs::remove_dir_all(&dir);
        assert_eq!(
            write_atomically(&out, &files(&[("a.rs", "1"), ("b/c.rs", "2")]), false).unwrap(),
            WriteOutcome::Replaced
        );
        assert_eq!(
            write_atomically(&out, &files(&[("a.rs", "1"), ("b/c.rs", "2")]), false).unwrap(),
            WriteOutcome::Unchanged
        );
        write_atomically(&out, &files(&[("a.rs", "3")]), false).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.rs")).unwrap(), "3");
        assert!(!out.join("b/c.rs").exists());
        let leftovers: Vec<_> = fs::read_dir(&dir).unwrap().collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no staging or backup directory is left behind"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Every file under `root` with its contents.
    fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        list_files(root)
            .unwrap()
            .into_iter()
            .map(|rel| {
                let path = root.join(&rel);
                let bytes = if path.is_dir() {
                    b"(an empty folder)".to_vec()
                } else {
                    fs::read(path).unwrap()
                };
                (rel, bytes)
            })
            .collect()
    }

    #[test]
    fn a_write_that_fails_midway_leaves_the_previous_output_intact() {
        let dir = std::env::temp_dir().join(format!("gen-write-fail-{}", std::process::id()));
        let out = dir.join("out");
        let _ = fs::remove_dir_all(&dir);
        write_atomically(
            &out,
            &files(&[("a.rs", "old a"), ("b/c.rs", "old c")]),
            false,
        )
        .unwrap();
        let before = snapshot(&out);
        // `a.rs` is written first, then `a.rs/x.rs` needs `a.rs` to be a directory: the
        // write fails after some files of the new set are already on disk (in staging).
        let bad = files(&[("a.rs", "new a"), ("a.rs/x.rs", "x"), ("z.rs", "never")]);
        assert!(write_atomically(&out, &bad, false).is_err());
        assert_eq!(
            snapshot(&out),
            before,
            "the previous output is byte for byte intact"
        );
        let entries: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            entries,
            vec!["out"],
            "no staging or backup directory is left"
        );
        // The next good run replaces it as usual.
        write_atomically(&out, &files(&[("a.rs", "new a")]), false).unwrap();
        assert_eq!(
            snapshot(&out)[1],
            (PathBuf::from("a.rs"), b"new a".to_vec())
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_write_that_fails_at_the_start_leaves_no_output() {
        let dir = std::env::temp_dir().join(format!("gen-write-fail0-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        // The output's parent is a file: nothing can be staged next to it.
        fs::write(dir.join("parent"), "a file").unwrap();
        let out = dir.join("parent/out");
        assert!(write_atomically(&out, &files(&[("a.rs", "1")]), false).is_err());
        assert_eq!(fs::read_to_string(dir.join("parent")).unwrap(), "a file");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn differences_name_each_file() {
        let dir = std::env::temp_dir().join(format!("gen-diff-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        write_atomically(&dir, &files(&[("a.rs", "x\n"), ("old.rs", "")]), false).unwrap();
        let d = differences(&dir, &files(&[("a.rs", "y\n"), ("new.rs", "")])).unwrap();
        assert!(d.iter().any(
            |d| matches!(d, Difference::Changed(p, diff) if p == Path::new("a.rs") && diff.contains("-x") && diff.contains("+y"))
        ));
        assert!(d.contains(&Difference::Missing("new.rs".into())));
        assert!(d.contains(&Difference::Stale("old.rs".into())));
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A scratch folder holding `out`, written once by the generator.
    fn written_once(name: &str) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("gen-guard-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let out = dir.join("out");
        write_atomically(
            &out,
            &files(&[("Cargo.toml", "1"), ("src/lib.rs", "2")]),
            false,
        )
        .unwrap();
        (dir, out)
    }

    fn refusal(result: Result<WriteOutcome, WriteError>) -> Refusal {
        match result {
            Err(WriteError::Refused(r)) => r,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_folder_the_generator_did_not_write_is_left_byte_for_byte() {
        let dir = std::env::temp_dir().join(format!("gen-guard-user-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let out = dir.join("project");
        fs::create_dir_all(out.join(".git/objects")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::create_dir_all(out.join("src")).unwrap();
        fs::write(out.join("src/main.rs"), "fn main() {}\n").unwrap();
        fs::write(out.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
        let before = snapshot(&out);
        for force in [false, true] {
            let r = refusal(write_atomically(
                &out,
                &files(&[("Cargo.toml", "x")]),
                force,
            ));
            assert!(
                matches!(&r, Refusal::Unmarked { entries } if entries.contains(&PathBuf::from("src/main.rs"))),
                "{r}"
            );
            assert!(
                r.to_string().contains("not written by the generator"),
                "{r}"
            );
        }
        assert_eq!(snapshot(&out), before);
        assert!(
            out.join(".git/objects").is_dir(),
            "even an empty folder is kept"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn files_added_to_earlier_output_are_never_replaced_even_with_force() {
        let (dir, out) = written_once("added");
        fs::write(out.join("src/main.rs"), "fn main() {}\n").unwrap();
        fs::create_dir_all(out.join(".git")).unwrap();
        let before = snapshot(&out);
        for force in [false, true] {
            let r = refusal(write_atomically(
                &out,
                &files(&[("Cargo.toml", "new")]),
                force,
            ));
            assert_eq!(
                r,
                Refusal::Foreign {
                    entries: vec![PathBuf::from(".git"), PathBuf::from("src/main.rs")]
                }
            );
        }
        assert_eq!(snapshot(&out), before);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn edited_output_is_replaced_only_with_force() {
        let (dir, out) = written_once("edited");
        fs::write(out.join("src/lib.rs"), "// my change\n").unwrap();
        let before = snapshot(&out);
        let r = refusal(write_atomically(
            &out,
            &files(&[("Cargo.toml", "new")]),
            false,
        ));
        assert_eq!(
            r,
            Refusal::Edited {
                entries: vec![PathBuf::from("src/lib.rs")]
            }
        );
        assert!(r.to_string().contains("--force"), "{r}");
        assert_eq!(snapshot(&out), before);
        write_atomically(&out, &files(&[("Cargo.toml", "new")]), true).unwrap();
        assert_eq!(fs::read_to_string(out.join("Cargo.toml")).unwrap(), "new");
        assert!(!out.join("src/lib.rs").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn earlier_output_is_replaced_and_build_products_are_carried_over() {
        let (dir, out) = written_once("build");
        fs::create_dir_all(out.join("target/debug")).unwrap();
        fs::write(out.join("target/debug/artifact"), "bin").unwrap();
        fs::write(out.join("Cargo.lock"), "lock").unwrap();
        write_atomically(&out, &files(&[("Cargo.toml", "new")]), false).unwrap();
        assert_eq!(fs::read_to_string(out.join("Cargo.toml")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(out.join("target/debug/artifact")).unwrap(),
            "bin"
        );
        assert_eq!(fs::read_to_string(out.join("Cargo.lock")).unwrap(), "lock");
        assert!(differences(&out, &files(&[("Cargo.toml", "new")]))
            .unwrap()
            .is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_in_place_of_the_folder_is_refused() {
        let dir = std::env::temp_dir().join(format!("gen-guard-file-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("out"), "notes").unwrap();
        let r = refusal(write_atomically(
            &dir.join("out"),
            &files(&[("a.rs", "1")]),
            true,
        ));
        assert_eq!(r, Refusal::NotAFolder);
        assert_eq!(fs::read_to_string(dir.join("out")).unwrap(), "notes");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_current_directory_is_never_written() {
        let r = refusal(write_atomically(
            Path::new("."),
            &files(&[("a.rs", "1")]),
            true,
        ));
        assert!(matches!(r, Refusal::Reserved { .. }), "{r}");
    }
}
