//! `multipart/form-data` bodies: files, text fields and JSON fields, kept as
//! parts so every try of a call builds the same form again.

use std::fmt;

use bytes::Bytes;
use serde::Serialize;

use crate::encode::{self, Node};
use crate::nullable::Nullable;

/// A file sent as one part of a `multipart/form-data` body.
///
/// ```
/// use autumn_sdk::FilePart;
///
/// let file = FilePart::new(b"id,amount\n1,20\n".to_vec())
///     .file_name("usage.csv")
///     .content_type("text/csv");
/// assert_eq!(file.bytes.len(), 15);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FilePart {
    /// The file name sent with the part, if any.
    pub file_name: Option<String>,
    /// The part's media type; `application/octet-stream` (or the one the API
    /// names) when not set.
    pub content_type: Option<String>,
    /// The file's content.
    pub bytes: Bytes,
}

impl FilePart {
    /// A file with this content, without a name or media type.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            file_name: None,
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Sets the file name sent with the part.
    #[must_use]
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the part's media type, e.g. `image/png`.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        FilePart::new(bytes)
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        FilePart::new(bytes)
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .finish()
    }
}

/// The files a field holds: one, maybe one, or several.
pub(crate) trait Files {
    /// Each file, in order.
    fn files(&self) -> Vec<&FilePart>;
}

impl Files for FilePart {
    fn files(&self) -> Vec<&FilePart> {
        vec![self]
    }
}

impl<T: Files> Files for Option<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.as_ref().map(Files::files).unwrap_or_default()
    }
}

impl<T: Files> Files for Nullable<T> {
    fn files(&self) -> Vec<&FilePart> {
        match self {
            Nullable::Value(value) => value.files(),
            _ => Vec::new(),
        }
    }
}

impl<T: Files> Files for Vec<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.iter().flat_map(Files::files).collect()
    }
}

/// One part, ready to be sent.
#[derive(Clone, Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Bytes,
}

/// The parts of a `multipart/form-data` body, in order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Parts {
    parts: Vec<Part>,
}

/// The media type of file parts that name none.
const OCTET_STREAM: &str = "application/octet-stream";

impl Parts {
    /// Adds one part per file; `content_type` is the API's media type for
    /// the field, used when a file names none.
    pub(crate) fn files<F: Files + ?Sized>(
        &mut self,
        name: &str,
        value: &F,
        content_type: Option<&str>,
    ) -> Result<(), String> {
        for file in value.files() {
            let content_type = file
                .content_type
                .as_deref()
                .or(content_type)
                .unwrap_or(OCTET_STREAM);
            self.push(
                name,
                file.file_name.clone(),
                content_type,
                file.bytes.clone(),
            )?;
        }
        Ok(())
    }

    /// Adds a text part (one per item of a list); nothing when null.
    pub(crate) fn text<V: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
        content_type: Option<&str>,
    ) -> Result<(), String> {
        let node = Node::from_value(value).map_err(|err| format!("field `{name}`: {err}"))?;
        let items = match node {
            Node::Array(items) => items,
            other => vec![other],
        };
        for item in &items {
            if let Some(text) = encode::scalar_text(item) {
                self.push(name, None, content_type.unwrap_or_default(), text.into())?;
            }
        }
        Ok(())
    }

    /// Adds a JSON part (`application/json` unless the API names another
    /// media type); nothing when null.
    pub(crate) fn json<V: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
        content_type: Option<&str>,
    ) -> Result<(), String> {
        let json = serde_json::to_value(value).map_err(|err| format!("field `{name}`: {err}"))?;
        if json.is_null() {
            return Ok(());
        }
        let text = serde_json::to_vec(&json).map_err(|err| format!("field `{name}`: {err}"))?;
        self.push(
            name,
            None,
            content_type.unwrap_or("application/json"),
            text.into(),
        )
    }

    /// Adds a part; an empty `content_type` sends none. A media type that
    /// is not one is refused here, before anything is sent.
    fn push(
        &mut self,
        name: &str,
        file_name: Option<String>,
        content_type: &str,
        bytes: Bytes,
    ) -> Result<(), String> {
        let content_type = if content_type.is_empty() {
            None
        } else {
            reqwest::multipart::Part::text("")
                .mime_str(content_type)
                .map_err(|_| format!("field `{name}`: invalid media type `{content_type}`"))?;
            Some(content_type.to_owned())
        };
        self.parts.push(Part {
            name: name.to_owned(),
            file_name,
            content_type,
            bytes,
        });
        Ok(())
    }

    /// A new form with every part (a form is sent once, so each try builds
    /// its own).
    pub(crate) fn form(&self) -> Result<reqwest::multipart::Form, String> {
        let mut form = reqwest::multipart::Form::new();
        for part in &self.parts {
            let length = u64::try_from(part.bytes.len()).unwrap_or(u64::MAX);
            let mut built =
                reqwest::multipart::Part::stream_with_length(part.bytes.clone(), length);
            if let Some(content_type) = &part.content_type {
                built = built.mime_str(content_type).map_err(|_| {
                    format!("field `{}`: invalid media type `{content_type}`", part.name)
                })?;
            }
            if let Some(file_name) = &part.file_name {
                built = built.file_name(file_name.clone());
            }
            form = form.part(part.name.clone(), built);
        }
        Ok(form)
    }
}
