//! Where the change report's documents come from: a file, or a file as a
//! git revision holds it (`HEAD~3:spec/autumn.yaml`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A document named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// A path as a git revision holds it.
    Git {
        /// The revision, e.g. `HEAD~3`.
        rev: String,
        /// The path from the repository's root.
        path: String,
    },
}

impl Source {
    /// Reads `arg` as a file when one exists (as given, else from `root`),
    /// else as `rev:path` when it has a colon.
    pub fn parse(arg: &str, root: &Path) -> Source {
        let given = Path::new(arg);
        if given.exists() {
            return Source::File(given.to_path_buf());
        }
        if given.is_relative() && root.join(given).exists() {
            return Source::File(root.join(given));
        }
        match arg.split_once(':') {
            Some((rev, path)) if !rev.is_empty() && !path.is_empty() => Source::Git {
                rev: rev.to_owned(),
                path: path.to_owned(),
            },
            _ => Source::File(given.to_path_buf()),
        }
    }

    /// The same kind of source for a file beside this one, with `extension` in place of the spec's.
    pub fn beside(&self, extension: &str) -> Source {
        match self {
            Source::File(p) => Source::File(p.with_extension(extension)),
            Source::Git { rev, path } => Source::Git {
                rev: rev.clone(),
                path: Path::new(path)
                    .with_extension(extension)
                    .to_string_lossy()
                    .into_owned(),
            },
        }
    }

    /// Whether the document exists (on disk, or in the revision).
    pub fn exists(&self, root: &Path) -> bool {
        match self {
            Source::File(p) => p.exists(),
            Source::Git { rev, path } => Command::new("git")
                .arg("-C")
                .arg(root)
                .args(["cat-file", "-e", &format!("{rev}:{path}")])
                .output()
                .is_ok_and(|out| out.status.success()),
        }
    }

    /// The text, read from disk or with `git show` in the repository at `root`.
    pub fn read(&self, root: &Path) -> Result<String, String> {
        match self {
            Source::File(p) => {
                std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
            }
            Source::Git { rev, path } => {
                let spec = format!("{rev}:{path}");
                let out = Command::new("git")
                    .arg("-C")
                    .arg(root)
                    .args(["show", &spec])
                    .output()
                    .map_err(|e| format!("git show {spec}: {e}"))?;
                if !out.status.success() {
                    return Err(format!(
                        "git show {spec}: {}",
                        String::from_utf8_lossy(&out.stderr).trim()
                    ));
                }
                String::from_utf8(out.stdout).map_err(|_| format!("{spec} is not UTF-8 text"))
            }
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::File(p) => write!(f, "{}", p.display()),
            Source::Git { rev, path } => write!(f, "{rev}:{path}"),
        }
    }
}
