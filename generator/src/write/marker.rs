//! The marker the generator leaves in every folder it writes: the list of
//! the files it wrote there, each with its SHA-256. It is how a later run
//! knows that a folder holds its own output, unchanged, and nothing else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::emit::Files;

/// The marker's file name, at the top of the output folder.
pub const MARKER: &str = ".generated-files";

/// The first line of every marker; a file without it is not a marker.
const HEADER: &str =
    "# Written by the SDK generator: every file it made in this folder, with its SHA-256.";

/// `files` and the marker that lists them: the complete set written to disk.
pub fn with_marker(files: &Files) -> Files {
    let mut text = format!(
        "{HEADER}\n# The generator replaces this folder only while it holds these files and nothing\n# else (a `target/` folder and `Cargo.lock` are kept). Do not edit.\n"
    );
    for (path, contents) in files {
        text.push_str(&format!(
            "{}  {}\n",
            digest(contents.as_bytes()),
            slashed(path)
        ));
    }
    let mut all = files.clone();
    all.insert(PathBuf::from(MARKER), text);
    all
}

/// The files a marker lists, with their digests; `None` when `text` is not a marker.
pub fn read(text: &str) -> Option<BTreeMap<PathBuf, String>> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return None;
    }
    let mut listed = BTreeMap::new();
    for line in lines.filter(|l| !l.starts_with('#')) {
        let (sum, path) = line.split_once("  ")?;
        let well_formed = sum.len() == 64 && sum.bytes().all(|b| b.is_ascii_hexdigit());
        if !well_formed || path.is_empty() {
            return None;
        }
        listed.insert(PathBuf::from(path), sum.to_owned());
    }
    Some(listed)
}

/// The SHA-256 of `bytes`, in lower-case hex.
pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `path` with `/` between its parts on every platform.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_lists_every_file_with_its_digest_and_reads_back() {
        let files: Files = [
            (PathBuf::from("Cargo.toml"), "[package]\n".to_owned()),
            (PathBuf::from("src/lib.rs"), String::new()),
        ]
        .into();
        let all = with_marker(&files);
        let listed = read(&all[Path::new(MARKER)]).unwrap();
        assert_eq!(
            listed.keys().collect::<Vec<_>>(),
            [Path::new("Cargo.toml"), Path::new("src/lib.rs")]
        );
        assert_eq!(
            listed[Path::new("src/lib.rs")],
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(read("[package]\n"), None);
        assert_eq!(read(&format!("{HEADER}\nnot a line\n")), None);
    }
}
