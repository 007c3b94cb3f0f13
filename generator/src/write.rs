//! Stage 5: put the file set on disk atomically, or compare it with what is there.
//!
//! The whole crate is written into a fresh sibling directory, which then
//! replaces the old one by rename, so an interrupted or failed run leaves the
//! previous output intact and files the generator no longer makes disappear.
//! When nothing changed, nothing is touched (cargo's fingerprints stay valid).

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::emit::Files;

/// What writing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The output already matched; nothing was written.
    Unchanged,
    /// The output directory was replaced.
    Replaced,
}

/// Writes `files` as the complete contents of `out`.
pub fn write_atomically(out: &Path, files: &Files) -> io::Result<WriteOutcome> {
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
    result.map(|()| WriteOutcome::Replaced)
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

/// Moves `staging` into place at `out`, keeping the old tree until the new one is in.
fn swap(out: &Path, staging: &Path, backup: &Path) -> io::Result<()> {
    if out.exists() {
        fs::rename(out, backup)?;
        if let Err(e) = fs::rename(staging, out) {
            // Put the old output back before reporting.
            let _ = fs::rename(backup, out);
            return Err(e);
        }
        fs::remove_dir_all(backup)
    } else {
        fs::rename(staging, out)
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

/// Compares `out` with `files` without writing anything.
pub fn differences(out: &Path, files: &Files) -> io::Result<Vec<Difference>> {
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

/// Every file under `root`, relative to it (none when `root` does not exist).
fn list_files(root: &Path) -> io::Result<BTreeSet<PathBuf>> {
    let mut out = BTreeSet::new();
    if !root.exists() {
        return Ok(out);
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.insert(rel.to_path_buf());
            }
        }
    }
    Ok(out)
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
            write_atomically(&out, &files(&[("a.rs", "1"), ("b/c.rs", "2")])).unwrap(),
            WriteOutcome::Replaced
        );
        assert_eq!(
            write_atomically(&out, &files(&[("a.rs", "1"), ("b/c.rs", "2")])).unwrap(),
            WriteOutcome::Unchanged
        );
        write_atomically(&out, &files(&[("a.rs", "3")])).unwrap();
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
                let bytes = fs::read(root.join(&rel)).unwrap();
                (rel, bytes)
            })
            .collect()
    }

    #[test]
    fn a_write_that_fails_midway_leaves_the_previous_output_intact() {
        let dir = std::env::temp_dir().join(format!("gen-write-fail-{}", std::process::id()));
        let out = dir.join("out");
        let _ = fs::remove_dir_all(&dir);
        write_atomically(&out, &files(&[("a.rs", "old a"), ("b/c.rs", "old c")])).unwrap();
        let before = snapshot(&out);
        // `a.rs` is written first, then `a.rs/x.rs` needs `a.rs` to be a directory: the
        // write fails after some files of the new set are already on disk (in staging).
        let bad = files(&[("a.rs", "new a"), ("a.rs/x.rs", "x"), ("z.rs", "never")]);
        assert!(write_atomically(&out, &bad).is_err());
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
        write_atomically(&out, &files(&[("a.rs", "new a")])).unwrap();
        assert_eq!(
            snapshot(&out),
            vec![(PathBuf::from("a.rs"), b"new a".to_vec())]
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
        assert!(write_atomically(&out, &files(&[("a.rs", "1")])).is_err());
        assert_eq!(fs::read_to_string(dir.join("parent")).unwrap(), "a file");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn differences_name_each_file() {
        let dir = std::env::temp_dir().join(format!("gen-diff-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        write_atomically(&dir, &files(&[("a.rs", "x\n"), ("old.rs", "")])).unwrap();
        let d = differences(&dir, &files(&[("a.rs", "y\n"), ("new.rs", "")])).unwrap();
        assert!(
            matches!(&d[0], Difference::Changed(p, diff) if p == Path::new("a.rs") && diff.contains("-x") && diff.contains("+y"))
        );
        assert!(d.contains(&Difference::Missing("new.rs".into())));
        assert!(d.contains(&Difference::Stale("old.rs".into())));
        fs::remove_dir_all(&dir).unwrap();
    }
}
