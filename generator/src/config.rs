//! The configuration beside a spec: `autumn.sdk.toml` beside `autumn.yaml`.
//! Its `[package]` table holds the publisher's facts about the generated
//! crate; the change report reads and bumps `version` there.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The version of a crate whose document has no configuration beside it.
pub const DEFAULT_VERSION: &str = "0.1.0";

/// The configuration beside the spec at `spec`, when there is one.
pub fn read_beside(spec: &Path) -> Result<Option<Config>, String> {
    let path = path_beside(spec);
    match std::fs::read_to_string(&path) {
        Ok(text) => Config::parse(&text)
            .and_then(|c| c.version().map(|_| c))
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The configuration file of the spec at `spec`: the same stem, `.sdk.toml`.
pub fn path_beside(spec: &Path) -> PathBuf {
    spec.with_extension("sdk.toml")
}

/// The configuration as read.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// Facts about the generated package.
    pub package: Package,
}

/// The `[package]` table.
#[derive(Debug, Clone, Deserialize)]
pub struct Package {
    /// The crate's version, as Cargo writes it.
    pub version: String,
}

impl Config {
    /// Reads a configuration's text.
    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// The crate's version, checked.
    pub fn version(&self) -> Result<semver::Version, String> {
        semver::Version::parse(&self.package.version)
            .map_err(|e| format!("`[package] version = {:?}`: {e}", self.package.version))
    }
}

/// The configuration's text with `[package] version` set to `version`,
/// everything else (comments, order) kept.
pub fn with_version(text: &str, version: &str) -> Result<String, String> {
    let mut table = String::new();
    let mut done = false;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            table = trimmed
                .trim_end()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim()
                .to_owned();
        } else if !done && table == "package" && key_of(trimmed) == Some("version") {
            let indent = &line[..line.len() - trimmed.len()];
            let newline = if line.ends_with('\n') { "\n" } else { "" };
            out.push_str(&format!("{indent}version = \"{version}\"{newline}"));
            done = true;
            continue;
        }
        out.push_str(line);
    }
    if done {
        Ok(out)
    } else {
        Err("no `version` key in the `[package]` table".into())
    }
}

/// The key of a `key = value` line.
fn key_of(line: &str) -> Option<&str> {
    line.split_once('=').map(|(k, _)| k.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_replaced_in_the_package_table_only() {
        let text = "# facts\n[other]\nversion = \"9.9.9\"\n\n[package]\n# the crate\nversion = \"0.1.0\"\nrepository = \"x\"\n";
        let out = with_version(text, "0.2.0").unwrap();
        assert_eq!(out, text.replace("\"0.1.0\"", "\"0.2.0\""));
        assert_eq!(Config::parse(&out).unwrap().package.version, "0.2.0");
        assert!(with_version("[package]\nname = \"x\"\n", "1.0.0").is_err());
    }
}
