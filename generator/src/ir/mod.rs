//! The generator's own model of an API: a table of types and a list of
//! operations, independent of OpenAPI and of Rust syntax.
//!
//! `lower/` builds it, `naming` fills in Rust names, `emit/` reads it.

mod operation;
mod types;
mod webhook;

pub use operation::*;
pub use types::*;
pub use webhook::*;

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
    /// The events of the document's `webhooks`, when it declares any with a JSON body.
    pub webhooks: Option<Webhooks>,
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
    /// The license as an SPDX expression: `info.license.identifier`, or its
    /// `name` when that is a single SPDX-like word (`MIT`, `Apache-2.0`).
    pub license: Option<String>,
    /// `info.contact.url`: the API's home page.
    pub homepage: Option<String>,
    /// `externalDocs.url`: where the API is documented.
    pub docs_url: Option<String>,
    /// Tags in document order, each the namespace of its operations.
    pub tags: Vec<Namespace>,
    /// Names of the client type and what derives from it, filled in by `naming`.
    pub client: ClientNames,
}

/// One tag of the API: the namespace its operations are grouped in.
///
/// `lower` fills in the tag and its docs; `naming` the Rust names, unique
/// among namespaces and clear of the client's own methods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Namespace {
    /// The tag as the spec writes it.
    pub tag: String,
    /// The tag's description.
    pub docs: Option<String>,
    /// Module of its file under `src/ops/` and folder under `docs/sdks/`.
    pub module: String,
    /// The namespace type the accessor returns, e.g. `Customers`.
    pub type_name: String,
    /// The client's accessor method, e.g. `customers` (may be a raw identifier).
    pub accessor: String,
    /// The cargo feature that compiles it.
    pub feature: String,
}

/// The client type's name and the names made from it, filled in by `naming`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientNames {
    /// The package name of the crate, e.g. `autumn-sdk`: the one asked for,
    /// or one made from the title.
    pub crate_name: String,
    /// The library name Cargo gives the package, e.g. `autumn_sdk`.
    pub lib_name: String,
    /// The client type, e.g. `Autumn`.
    pub type_name: String,
    /// Prefix of the environment variables it reads, e.g. `AUTUMN`.
    pub env_prefix: String,
    /// The variable that holds it in examples, e.g. `autumn`.
    pub example_var: String,
    /// Folder of its page under `docs/sdks/`.
    pub docs_dir: String,
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
    /// The client builder's setter for it, filled in by `naming`; `None` for
    /// headers the runtime sets itself (`fail-open`).
    pub setter: Option<String>,
    /// The environment variable read when the builder does not set it, filled in by `naming`.
    pub env_var: String,
}

impl GlobalHeader {
    /// Whether the runtime owns this header: `fail-open` names the client's own
    /// fail-open behaviour, so it gets no setter and is never sent (no
    /// operation declares it, and the official SDKs do not send it).
    pub fn is_runtime_owned(&self) -> bool {
        self.name == "fail-open"
    }
}

impl Api {
    /// The namespace of `tag`.
    pub fn namespace(&self, tag: &str) -> Option<&Namespace> {
        self.info.tags.iter().find(|n| n.tag == tag)
    }

    /// The namespace of an operation, `None` for operations on the client itself.
    pub fn namespace_of(&self, op: &Operation) -> Option<&Namespace> {
        op.tag.as_deref().and_then(|t| self.namespace(t))
    }
}
