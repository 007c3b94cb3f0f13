//! The generator's own model of an API: a table of types and a list of
//! operations, independent of OpenAPI and of Rust syntax.
//!
//! `lower/` builds it, `naming` fills in Rust names, `emit/` reads it.

mod operation;
mod types;

pub use operation::*;
pub use types::*;

/// Everything the emitter needs to know about one API.
#[derive(Debug, Clone)]
pub struct Api {
    /// Title, version, servers and auth.
    pub info: ApiInfo,
    /// Every named type, addressed by [`TypeId`].
    pub types: TypeSpace,
    /// Operations in document order.
    pub operations: Vec<Operation>,
    /// Headers sent on every call and hidden from method signatures.
    pub globals: Vec<GlobalHeader>,
}

/// Facts about the API as a whole.
#[derive(Debug, Clone)]
pub struct ApiInfo {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The first server URL, if any.
    pub server_url: Option<String>,
    /// Whether the API authenticates with a bearer token (or API key) by default.
    pub bearer_auth: bool,
    /// Tags in document order, with their descriptions.
    pub tags: Vec<(String, Option<String>)>,
}

/// A header the client sends on every call (`x-speakeasy-globals` style).
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalHeader {
    /// The header name on the wire.
    pub name: String,
    /// Its default value, as text.
    pub default: Option<String>,
    /// Whether it is left out of method signatures.
    pub hidden: bool,
    /// What it is for.
    pub docs: Option<String>,
    /// Whether the value is a boolean.
    pub boolean: bool,
}
