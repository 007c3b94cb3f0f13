//! Operations in the IR: one HTTP call each.

use super::TypeRef;

/// One API operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's `operationId` (or one derived from method and path).
    pub id: String,
    /// Namespace (first tag), or `None` for operations on the client itself.
    pub tag: Option<String>,
    /// Method name in snake_case (`x-speakeasy-name-override`, else operationId).
    pub method_name: String,
    /// HTTP method, upper case.
    pub http_method: String,
    /// Path template, e.g. `/v1/customers/{id}`.
    pub path: String,
    /// Summary line.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Marked deprecated.
    pub deprecated: bool,
    /// Parameters other than hidden globals.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// Successful answers, by status code.
    pub success: Vec<SuccessResponse>,
    /// Vendor extensions, verbatim.
    pub extensions: serde_json::Map<String, serde_json::Value>,
    /// Answer with a fallback instead of failing on server trouble (`x-fail-open`).
    pub fail_open: Option<FailOpen>,
    /// Cursor pagination, when the operation pages through a list.
    pub pagination: Option<Pagination>,
    /// JSON pointer of the operation object.
    pub pointer: String,
}

/// What a fail-open operation answers when the server cannot (`x-fail-open`).
#[derive(Debug, Clone, PartialEq)]
pub struct FailOpen {
    /// The fallback answer, as compact JSON text.
    pub fallback: String,
    /// Timeout applied when the caller sets none, in milliseconds.
    pub timeout_ms: Option<u64>,
}

/// How a list operation pages: the request carries a cursor, the answer the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The request property (JSON body, else query) that takes the cursor.
    pub request_field: String,
    /// The answer type (a struct).
    pub page_type: super::TypeId,
    /// Its field holding the next cursor (Rust name), and whether it is optional or nullable.
    pub cursor_field: String,
    /// Whether the cursor field is an `Option`.
    pub cursor_optional: bool,
    /// Its field holding the items (Rust name is filled in by naming; this is the wire name).
    pub items_field: String,
    /// The item type.
    pub item: super::TypeRef,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// As a header.
    Header,
    /// As a cookie.
    Cookie,
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name on the wire.
    pub wire: String,
    /// Rust argument name, filled in by `naming`.
    pub name: String,
    /// Location.
    pub location: ParamLocation,
    /// Type.
    pub ty: TypeRef,
    /// Whether the caller must give it.
    pub required: bool,
    /// Documentation.
    pub docs: Option<String>,
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` and `+json` types.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Anything else, sent or received as bytes with this media type.
    Bytes,
    /// `text/*`.
    Text,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// The body's type.
    pub ty: TypeRef,
    /// Encoding.
    pub encoding: BodyEncoding,
    /// The media type as written in the spec.
    pub media_type: String,
    /// Whether the body is required.
    pub required: bool,
    /// An example body from the spec (media type `example(s)`, else the schema's `examples`/`example`).
    pub example: Option<serde_json::Value>,
}

/// One successful answer.
#[derive(Debug, Clone)]
pub struct SuccessResponse {
    /// Status code, e.g. `200`, or `2XX`.
    pub status: String,
    /// The body type, or `None` when the answer has no body.
    pub ty: Option<TypeRef>,
    /// Encoding of the body.
    pub encoding: BodyEncoding,
    /// The media type as written in the spec, when there is a body.
    pub media_type: Option<String>,
    /// Description.
    pub docs: Option<String>,
}
