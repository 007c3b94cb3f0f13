//! Operations in the IR: one HTTP call each.

use super::TypeRef;

/// One API operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's `operationId` (or one derived from method and path).
    pub id: String,
    /// Namespace (first tag), or `None` for operations on the client itself.
    pub tag: Option<String>,
    /// Method name in snake_case (`x-speakeasy-name-override`, else operationId);
    /// `naming` makes it a unique Rust identifier in its namespace.
    pub method_name: String,
    /// The standalone function in `funcs`, e.g. `customers_get_or_create`, filled in by `naming`.
    pub func_name: String,
    /// How the SDK names the call in logs and errors, e.g. `customers.get_or_create`, filled in by `naming`.
    pub sdk_name: String,
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
    /// The struct callers give the parameters in (one field per entry of
    /// `params`, in the same order), when there are any.
    pub params_type: Option<super::TypeId>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// Successful answers, by status code.
    pub success: Vec<SuccessResponse>,
    /// What the call returns, decided from `success` and `fail_open`.
    pub returns: Returns,
    /// The `Accept` media type to ask for when the answer is not JSON.
    pub accept: Option<String>,
    /// Vendor extensions, verbatim.
    pub extensions: serde_json::Map<String, serde_json::Value>,
    /// Answer with a fallback instead of failing on server trouble (`x-fail-open`).
    pub fail_open: Option<FailOpen>,
    /// Cursor pagination, when the operation pages through a list.
    pub pagination: Option<Pagination>,
    /// The background tracker built on this operation (`x-rust-sdk-tracker`).
    pub tracker: Option<Tracker>,
    /// JSON pointer of the operation object.
    pub pointer: String,
}

/// A batch operation that takes usage events, for the SDK's background
/// `Tracker` (`x-rust-sdk-tracker`; see `lower/tracker.rs`).
#[derive(Debug, Clone, PartialEq)]
pub struct Tracker {
    /// The event type: the items of the body's list (a struct).
    pub event: super::TypeId,
    /// Index (in the event's fields) of the optional integer stamped with the
    /// time an event is taken, in Unix milliseconds.
    pub timestamp_field: usize,
    /// Index of the optional string filled with a fresh idempotency key, if any.
    pub idempotency_field: Option<usize>,
    /// The most events one call takes.
    pub max_batch: u64,
    /// Error statuses that mean nothing was taken, so the batch may be sent again.
    pub retry_statuses: Vec<u16>,
}

/// What a fail-open operation answers when the server cannot (`x-fail-open`).
#[derive(Debug, Clone, PartialEq)]
pub struct FailOpen {
    /// The fallback answer, as compact JSON text.
    pub fallback: String,
    /// Timeout applied when the caller sets none, in milliseconds.
    pub timeout_ms: Option<u64>,
}

/// What a call returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Returns {
    /// The decoded body.
    pub shape: ReturnShape,
    /// Whether the value comes wrapped in `FailOpen` (a fail-open operation with a typed answer).
    pub fail_open: bool,
}

impl Returns {
    /// Whether the call yields `()`.
    pub fn is_nothing(&self) -> bool {
        self.shape == ReturnShape::Empty && !self.fail_open
    }
}

/// The body a call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum ReturnShape {
    /// No body.
    Empty,
    /// A JSON body of this type.
    Json(TypeRef),
    /// Raw bytes.
    Bytes,
    /// Text.
    Text,
    /// The statuses answer with different shapes: the body as untyped JSON.
    Mixed,
}

/// How a list operation pages: the request carries a cursor, the answer the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The request property (JSON body, else query) that takes the cursor.
    pub request_field: String,
    /// The answer type (a struct).
    pub page_type: super::TypeId,
    /// Index (in the answer struct's fields) of the field holding the next cursor.
    pub cursor_field: usize,
    /// Index (in the answer struct's fields) of the field holding the items.
    pub items_field: usize,
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
    /// `multipart/form-data`: the body's struct, a part per field.
    Multipart,
}

/// How one field of a multipart body is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartField {
    /// The field's wire name (the part's name).
    pub wire: String,
    /// What the part holds.
    pub kind: PartKind,
    /// The media type the document gives the part (`encoding.<name>.contentType`).
    pub content_type: Option<String>,
}

/// What a multipart part holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// A file (`FilePart`), or one part per file of a list.
    File,
    /// A scalar as text, or one part per item of a list of scalars.
    Text,
    /// Anything else, as JSON text.
    Json,
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
    /// How each field is sent, for a multipart body (empty otherwise).
    pub parts: Vec<MultipartField>,
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
