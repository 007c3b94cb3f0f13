//! The normalised JSON value → the typed `openapiv3::OpenAPI` document.
//!
//! The document is read once, fast; only when that fails is it read again,
//! slowly, to find the JSON pointer of the problem.

use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::Diagnostic;

/// Deserializes the normalised document; a shape error names its JSON pointer.
pub fn openapi_of(value: &Value) -> Result<OpenAPI, Diagnostic> {
    if let Ok(api) = OpenAPI::deserialize(value) {
        return Ok(api);
    }
    // Tracking the path costs time on every node; only a failed attempt needs it.
    // A path item is tracked on its own: read as part of `paths` (flattened
    // by openapiv3) its errors would only say `/paths`.
    if let Some(problem) = first_bad_path_item(value) {
        return Err(problem);
    }
    match serde_path_to_error::deserialize::<_, OpenAPI>(value) {
        Ok(api) => Ok(api),
        Err(e) => Err(shape_error(String::new(), &e)),
    }
}

/// The first path item that is not valid, with the pointer of its problem.
fn first_bad_path_item(value: &Value) -> Option<Diagnostic> {
    let paths = value.get("paths")?.as_object()?;
    paths
        .iter()
        .filter(|(key, _)| key.starts_with('/'))
        .find_map(|(key, item)| {
            ReferenceOr::<PathItem>::deserialize(item).err()?;
            let at = crate::diagnostics::pointer_of(["paths", key.as_str()]);
            Some(
                match serde_path_to_error::deserialize::<_, PathItem>(item) {
                    Err(e) => shape_error(at, &e),
                    Ok(_) => {
                        Diagnostic::new(at, "not a valid OpenAPI document here: not a path item")
                    }
                },
            )
        })
}

/// A deserialization error at `prefix` + the error's own path.
fn shape_error<E: std::fmt::Display>(
    prefix: String,
    e: &serde_path_to_error::Error<E>,
) -> Diagnostic {
    Diagnostic::new(
        format!("{prefix}{}", pointer_of_path(e.path())),
        format!("not a valid OpenAPI document here: {}", e.inner()),
    )
}

/// Turns serde_path_to_error's path into a JSON pointer.
fn pointer_of_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<String> = path
        .iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    crate::diagnostics::pointer_of(segments.iter().map(String::as_str))
}
