//! Stage 1: read a YAML/JSON document into `openapiv3::OpenAPI`, keeping the
//! normalised JSON value for `$ref` lookups and extensions, and reporting every
//! problem with its JSON pointer and line.

mod libyaml;
mod locate;
mod normalize;
mod parse;
mod refs;
mod typed;
mod walk;

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};

pub use normalize::normalize_schema;
pub use parse::{parse_yaml_value, MAX_ALIAS_NODES, MAX_DEPTH};
pub use refs::resolve;

/// A document ready for lowering.
#[derive(Debug)]
pub struct Loaded {
    /// The typed document.
    pub api: openapiv3::OpenAPI,
    /// The same document as a normalised JSON value, for `$ref` targets outside components.
    pub value: Value,
    /// Problems that do not stop generation (ignored keywords and the like).
    pub warnings: Vec<Diagnostic>,
}

/// Reads and loads the document at `path`.
pub fn load_file(path: &Path) -> Result<Loaded, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            "",
            format!("cannot read {}: {e}", path.display()),
        )])
    })?;
    load_str(&text)
}

/// Loads a document from its text.
pub fn load_str(text: &str) -> Result<Loaded, Diagnostics> {
    let (mut value, lines) = parse::parse_document(text).map_err(|d| Diagnostics(vec![d]))?;
    let lines = Lines { text, index: lines };
    let mut errors = refs::check_refs(&value);
    check_version(&value, &mut errors);
    if !errors.is_empty() {
        return Err(lines.fill(errors));
    }
    let warnings = normalize::normalize(&mut value);
    let api = match typed::openapi_of(&value) {
        Ok(api) => api,
        Err(d) => return Err(lines.fill(vec![d])),
    };
    Ok(Loaded {
        api,
        value,
        warnings: lines.fill(warnings).0,
    })
}

/// Only OpenAPI 3.0 and 3.1 are understood; say so early for Swagger 2.0 and others.
fn check_version(doc: &Value, errors: &mut Vec<Diagnostic>) {
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") || v.starts_with("3.1") => {}
        Some(v) => errors.push(Diagnostic::new(
            "/openapi",
            format!("OpenAPI version `{v}` is not supported (3.0 and 3.1 are)"),
        )),
        None if doc.get("swagger").is_some() => errors.push(Diagnostic::new(
            "/swagger",
            "Swagger 2.0 is not supported; convert the document to OpenAPI 3 first",
        )),
        None => errors.push(Diagnostic::new(
            "/openapi",
            "missing the `openapi` version field (is this an OpenAPI document?)",
        )),
    }
}

/// The source lines of a document, found when a diagnostic needs them.
struct Lines<'t> {
    text: &'t str,
    /// Made while parsing YAML; JSON is indexed only when something is reported.
    index: Option<locate::LineIndex>,
}

impl Lines<'_> {
    /// Fills in source lines for the diagnostics' pointers.
    fn fill(self, mut diags: Vec<Diagnostic>) -> Diagnostics {
        if diags.iter().any(|d| d.line.is_none()) {
            if let Some(index) = self.index.or_else(|| parse::line_index(self.text)) {
                for d in &mut diags {
                    if d.line.is_none() {
                        d.line = index.line_of(&d.pointer);
                    }
                }
            }
        }
        Diagnostics(diags)
    }
}
