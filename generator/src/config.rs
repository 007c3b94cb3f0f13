//! The publisher's configuration of a generated crate: a small TOML file
//! beside the spec (`<spec stem>.sdk.toml`, e.g. `spec/autumn.sdk.toml`) or
//! the file `--config` names, and the checks on the crate name.
//!
//! The document states what the API is (title, description, license, contact
//! and documentation links); this file states what only the publisher knows:
//! the crate's name and version, its repository, authors, keywords and
//! crates.io categories. A value set here wins over the document's.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkConfig {
    /// The `[package]` table: facts written into the crate's `Cargo.toml`.
    #[serde(default)]
    pub package: PackageConfig,
}

/// The `[package]` table. Every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackageConfig {
    /// The package name; `--crate-name` wins over it. Without either, the
    /// name comes from the document's title (`Autumn API` → `autumn-sdk`).
    pub name: Option<String>,
    /// The crate's version (semver); `0.1.0` when unset. The one place the
    /// version lives: the generator writes it into `Cargo.toml` and the README.
    pub version: Option<String>,
    /// `authors` in `Cargo.toml`.
    #[serde(default)]
    pub authors: Vec<String>,
    /// The source repository (also named in the README).
    pub repository: Option<String>,
    /// Overrides the document's `info.contact.url`.
    pub homepage: Option<String>,
    /// Overrides the document's `externalDocs.url` as the API's documentation link.
    pub api_docs: Option<String>,
    /// An SPDX expression; overrides the document's `info.license`.
    pub license: Option<String>,
    /// At most five crates.io keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// crates.io category slugs (<https://crates.io/category_slugs>).
    #[serde(default)]
    pub categories: Vec<String>,
}

/// The version a crate gets when the configuration names none.
pub const DEFAULT_VERSION: &str = "0.1.0";

impl PackageConfig {
    /// The crate's version.
    pub fn version(&self) -> &str {
        self.version.as_deref().unwrap_or(DEFAULT_VERSION)
    }
}

/// Where the configuration of `spec` is looked for when `--config` is not
/// given: `<dir>/<stem>.sdk.toml` (`spec/autumn.yaml` → `spec/autumn.sdk.toml`).
pub fn beside(spec: &Path) -> PathBuf {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    spec.with_file_name(format!("{stem}.sdk.toml"))
}

/// Reads the configuration: the file `explicit` names (which must exist), or
/// the one [`beside`] the spec when there is one, or the empty configuration.
pub fn load(spec: &Path, explicit: Option<&Path>) -> Result<(SdkConfig, Option<PathBuf>), String> {
    let (path, required) = match explicit {
        Some(p) => (p.to_path_buf(), true),
        None => (beside(spec), false),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok((SdkConfig::default(), None))
        }
        Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
    };
    let config = parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((config, Some(path)))
}

/// Parses and checks a configuration text; errors name the line.
pub fn parse(text: &str) -> Result<SdkConfig, String> {
    let config: SdkConfig = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|span| {
            text.as_bytes()[..span.start.min(text.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1
        });
        match line {
            Some(line) => format!("line {line}: {}", e.message()),
            None => e.message().to_owned(),
        }
    })?;
    check(&config.package)?;
    Ok(config)
}

/// The checks crates.io would make at publishing time, made before any work.
fn check(package: &PackageConfig) -> Result<(), String> {
    if let Some(name) = &package.name {
        check_crate_name(name).map_err(|e| format!("[package] name: {e}"))?;
    }
    if let Some(version) = &package.version {
        semver::Version::parse(version).map_err(|e| {
            format!("[package] version: `{version}` is not a semantic version (x.y.z): {e}")
        })?;
    }
    if package.keywords.len() > 5 {
        return Err(format!(
            "[package] keywords: crates.io allows at most 5, found {}",
            package.keywords.len()
        ));
    }
    for keyword in &package.keywords {
        let valid = keyword.len() <= 20
            && keyword.starts_with(|c: char| c.is_ascii_alphanumeric())
            && keyword
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'));
        if !valid {
            return Err(format!(
                "[package] keywords: `{keyword}` is not a crates.io keyword (up to 20 ASCII letters, digits, `-`, `_` or `+`, starting with a letter or digit)"
            ));
        }
    }
    Ok(())
}

/// Names Cargo or Rust reserve, which no package may take.
const RESERVED_NAMES: &[&str] = &["std", "core", "alloc", "proc_macro", "test", "build"];

/// Checks that `name` is a package name Cargo builds and crates.io accepts:
/// ASCII letters, digits, `-` and `_`, starting with a letter, at most 64
/// characters, and a library name (`-` → `_`) that is not a Rust keyword or
/// a standard crate.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let shown = format!("`{name}` is not a valid package name");
    if name.is_empty() {
        return Err("the package name is empty".into());
    }
    if name.len() > 64 {
        return Err(format!("{shown}: longer than 64 characters"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
    {
        return Err(format!(
            "{shown}: {bad:?} is not allowed (use ASCII letters, digits, `-` and `_`)"
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(format!("{shown}: it must start with a letter"));
    }
    let lib = name.replace('-', "_");
    if crate::naming::is_keyword(&lib) || RESERVED_NAMES.contains(&lib.as_str()) {
        return Err(format!(
            "{shown}: `{lib}` is reserved by Rust and cannot name a library"
        ));
    }
    Ok(())
}

/// The configuration's text with `[package] version` set to `version`,
/// everything else (comments, order) kept; `generator changes --write`
/// bumps the version with it.
pub fn with_version(text: &str, version: &str) -> Result<String, String> {
    let mut table = String::new();
    let mut done = false;
    let mut out = String::with_capacity(text.len() + 32);
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            if !done && table == "package" {
                // The table ends without a version: add one at its end.
                out.push_str(&format!("version = \"{version}\"\n"));
                done = true;
            }
            table = trimmed
                .trim_end()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim()
                .to_owned();
        } else if !done
            && table == "package"
            && trimmed.split_once('=').map(|(k, _)| k.trim()) == Some("version")
        {
            let indent = &line[..line.len() - trimmed.len()];
            let newline = if line.ends_with('\n') { "\n" } else { "" };
            out.push_str(&format!("{indent}version = \"{version}\"{newline}"));
            done = true;
            continue;
        }
        out.push_str(line);
    }
    if !done {
        if table != "package" {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str("\n[package]\n");
        } else if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!("version = \"{version}\"\n"));
    }
    parse(&out).map_err(|e| format!("the configuration with the new version: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_replaced_in_place_and_added_when_missing() {
        let text = "# facts\n[package]\nname = \"pets-sdk\"\n# the crate\nversion = \"0.1.0\"\nrepository = \"x\"\n";
        let out = with_version(text, "0.2.0").unwrap();
        assert_eq!(out, text.replace("\"0.1.0\"", "\"0.2.0\""));
        assert_eq!(parse(&out).unwrap().package.version(), "0.2.0");
        let out = with_version("[package]\nname = \"pets-sdk\"\n", "1.0.0").unwrap();
        assert_eq!(out, "[package]\nname = \"pets-sdk\"\nversion = \"1.0.0\"\n");
        let out = with_version("# nothing yet\n", "0.1.1").unwrap();
        assert_eq!(parse(&out).unwrap().package.version(), "0.1.1");
    }

    #[test]
    fn crate_names_are_checked_like_cargo_does() {
        for good in ["autumn-sdk", "my_sdk", "a", "sdk2", "Foo-Bar"] {
            assert_eq!(check_crate_name(good), Ok(()), "{good}");
        }
        for (bad, says) in [
            ("my sdk!", "' ' is not allowed"),
            ("", "empty"),
            ("2fast", "start with a letter"),
            ("-x", "start with a letter"),
            ("é-sdk", "'é' is not allowed"),
            ("self", "reserved"),
            ("fn", "reserved"),
            ("std", "reserved"),
            ("proc-macro", "reserved"),
        ] {
            let err = check_crate_name(bad).expect_err(bad);
            assert!(err.contains(says), "{bad}: {err}");
        }
        assert!(check_crate_name(&"a".repeat(65))
            .unwrap_err()
            .contains("64"));
    }

    #[test]
    fn a_configuration_is_read_and_checked() {
        let config = parse(
            "[package]\nname = \"x-sdk\"\nversion = \"1.2.3\"\nkeywords = [\"a\", \"b-c\"]\nrepository = \"https://example.com/x\"\n",
        )
        .unwrap();
        assert_eq!(config.package.version(), "1.2.3");
        assert_eq!(config.package.keywords, ["a", "b-c"]);
        assert_eq!(parse("").unwrap().package.version(), DEFAULT_VERSION);
        for (text, says) in [
            ("[package]\nversion = \"one\"\n", "not a semantic version"),
            (
                "[package]\nname = \"my sdk!\"\n",
                "not a valid package name",
            ),
            (
                "[package]\nkeywords = [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]\n",
                "at most 5",
            ),
            (
                "[package]\nkeywords = [\"no spaces\"]\n",
                "not a crates.io keyword",
            ),
            (
                "[package]\n\nhompage = \"x\"\n",
                "line 3: unknown field `hompage`",
            ),
            ("[pakage]\n", "unknown field `pakage`"),
        ] {
            let err = parse(text).expect_err(text);
            assert!(err.contains(says), "{text:?}: {err}");
        }
    }

    #[test]
    fn the_file_beside_the_spec_is_optional_but_a_named_one_is_not() {
        assert_eq!(
            beside(Path::new("spec/autumn.yaml")),
            Path::new("spec/autumn.sdk.toml")
        );
        let dir = std::env::temp_dir().join(format!("gen-config-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("api.json");
        assert_eq!(load(&spec, None).unwrap(), (SdkConfig::default(), None));
        let missing = dir.join("nope.toml");
        assert!(load(&spec, Some(&missing))
            .unwrap_err()
            .contains("cannot read"));
        std::fs::write(dir.join("api.sdk.toml"), "[package]\nversion = \"2.0.0\"\n").unwrap();
        let (config, path) = load(&spec, None).unwrap();
        assert_eq!(config.package.version(), "2.0.0");
        assert_eq!(path, Some(dir.join("api.sdk.toml")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
