//! What the generator may replace. It writes into a folder that does not
//! exist, an empty one, or one that holds its own earlier output and nothing
//! else; it never replaces the current directory or a parent of it, the
//! root of the file system, or the home directory.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::marker::{self, MARKER};

/// Top-level entries of an output folder that a build puts there; they are
/// not the generator's and are carried over, untouched, into the new output.
pub const BUILD_PRODUCTS: &[&str] = &["target", "Cargo.lock"];

/// Why the generator refuses to replace a folder. Nothing has been written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The folder is one the generator never replaces.
    Reserved {
        /// The folder, resolved.
        path: PathBuf,
        /// What it is.
        what: &'static str,
    },
    /// The path names something that is not a folder.
    NotAFolder,
    /// The folder holds files and no marker: it is not the generator's output.
    Unmarked {
        /// Some of what it holds.
        entries: Vec<PathBuf>,
    },
    /// The folder holds the generator's output and files it did not write.
    Foreign {
        /// What it did not write.
        entries: Vec<PathBuf>,
    },
    /// Files the generator wrote have been changed since; `--force` replaces them.
    Edited {
        /// The changed files.
        entries: Vec<PathBuf>,
    },
}

/// At most this many entries are named in a message.
const SHOWN: usize = 5;

fn list(entries: &[PathBuf]) -> String {
    let mut text = entries
        .iter()
        .take(SHOWN)
        .map(|p| format!("`{}`", p.display()))
        .collect::<Vec<_>>()
        .join(", ");
    if entries.len() > SHOWN {
        text.push_str(&format!(" and {} more", entries.len() - SHOWN));
    }
    text
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Reserved { path, what } => write!(
                f,
                "refusing to write into {}: it is {what}; the generator replaces the folder it writes as a whole, so name a folder of its own (e.g. `--out my-sdk`)",
                path.display()
            ),
            Refusal::NotAFolder => write!(f, "it exists and is not a folder"),
            Refusal::Unmarked { entries } => write!(
                f,
                "the folder is not empty and was not written by the generator (it has no `{MARKER}`); it holds {}. Choose a new or empty folder; if it is output of an older generator, delete it yourself first",
                list(entries)
            ),
            Refusal::Foreign { entries } => write!(
                f,
                "the folder holds files the generator did not write: {}. Move them out, or choose another folder; nothing was changed",
                list(entries)
            ),
            Refusal::Edited { entries } => write!(
                f,
                "files the generator wrote were changed since: {}. Pass `--force` to replace them with newly generated ones; nothing was changed",
                list(entries)
            ),
        }
    }
}

/// Checks that `out` may be replaced by new output. `force` allows
/// replacing files the generator wrote that were edited since; nothing
/// allows replacing what it did not write.
pub fn check(out: &Path, force: bool) -> io::Result<Result<(), Refusal>> {
    if let Some(refusal) = reserved(out) {
        return Ok(Err(refusal));
    }
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Ok(())),
        Err(e) => return Err(e),
        Ok(meta) if !meta.is_dir() => return Ok(Err(Refusal::NotAFolder)),
        Ok(_) => {}
    }
    let entries = entries(out)?;
    if entries.is_empty() {
        return Ok(Ok(()));
    }
    let listed = match fs::read_to_string(out.join(MARKER)) {
        Ok(text) => marker::read(&text),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::InvalidData
            ) =>
        {
            None
        }
        Err(e) => return Err(e),
    };
    let Some(listed) = listed else {
        let entries = entries.into_iter().collect();
        return Ok(Err(Refusal::Unmarked { entries }));
    };
    let foreign: Vec<PathBuf> = entries
        .iter()
        .filter(|p| p.as_path() != Path::new(MARKER) && !listed.contains_key(*p))
        .cloned()
        .collect();
    if !foreign.is_empty() {
        return Ok(Err(Refusal::Foreign { entries: foreign }));
    }
    if !force {
        let mut edited = Vec::new();
        for (path, sum) in &listed {
            match fs::read(out.join(path)) {
                Ok(bytes) if marker::digest(&bytes) == *sum => {}
                Ok(_) => edited.push(path.clone()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        if !edited.is_empty() {
            return Ok(Err(Refusal::Edited { entries: edited }));
        }
    }
    Ok(Ok(()))
}

/// Every file and every empty folder under `root` (relative), leaving out
/// the [`BUILD_PRODUCTS`] at its top.
pub fn entries(root: &Path) -> io::Result<BTreeSet<PathBuf>> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut empty = true;
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            if dir == root && BUILD_PRODUCTS.iter().any(|k| entry.file_name() == *k) {
                continue;
            }
            empty = false;
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                out.insert(rel.to_path_buf());
            }
        }
        if empty && dir != root {
            if let Ok(rel) = dir.strip_prefix(root) {
                out.insert(rel.to_path_buf());
            }
        }
    }
    Ok(out)
}

/// The folders the generator never replaces, whatever they hold: the
/// current directory and its parents (`.`, `..`, `/`), and the home
/// directory and its parents.
fn reserved(out: &Path) -> Option<Refusal> {
    let path = resolved(out);
    let refuse = |what| {
        Some(Refusal::Reserved {
            path: path.clone(),
            what,
        })
    };
    if path.parent().is_none() {
        return refuse("the root of the file system");
    }
    if let Ok(cwd) = std::env::current_dir() {
        if resolved(&cwd).starts_with(&path) {
            return refuse("the current directory or one of its parents");
        }
    }
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"));
    if let Some(home) = home.filter(|h| !h.is_empty()) {
        if resolved(Path::new(&home)).starts_with(&path) {
            return refuse("the home directory or one of its parents");
        }
    }
    None
}

/// `path` made absolute, with `.` and `..` taken out and symbolic links
/// resolved as far as the path exists.
pub fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut plain = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                plain.pop();
            }
            other => plain.push(other),
        }
    }
    let mut existing = plain.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => {
                rest.push(name.to_owned());
                existing.pop();
            }
            None => break,
        }
    }
    let mut resolved = fs::canonicalize(&existing).unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_directory_its_parents_the_root_and_home_are_reserved() {
        let cwd = std::env::current_dir().unwrap();
        for path in [
            PathBuf::from("."),
            PathBuf::from(".."),
            PathBuf::from("/"),
            PathBuf::from("./sub/../."),
            cwd.clone(),
            cwd.parent().unwrap().to_path_buf(),
        ] {
            assert!(
                matches!(reserved(&path), Some(Refusal::Reserved { .. })),
                "{}",
                path.display()
            );
        }
        if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            let refusal = reserved(Path::new(&home)).expect("home is reserved");
            assert!(refusal.to_string().contains("home directory"), "{refusal}");
        }
        for path in ["generated", "./sub/out", "../sibling-folder-of-the-crate"] {
            assert_eq!(reserved(Path::new(path)), None, "{path}");
        }
    }
}
