//! Errors: the one `Error` type every call returns, the server's error
//! answers (`ApiError`, with the parsed `ErrorBody`), and answers that could
//! not be decoded (`DecodeError`).

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

/// Bodies longer than this are cut in messages (never in the stored body).
const MAX_BODY_IN_MESSAGE: usize = 10_000;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong with a call.
///
/// ```no_run
/// use std::fmt::Debug;
///
/// use autumn_sdk::{Error, RequestBuilder};
///
/// async fn show<T: Debug + Send + 'static>(request: RequestBuilder<T>) -> Result<(), Error> {
///     match request.await {
///         Ok(value) => println!("{value:?}"),
///         Err(Error::Api(err)) if err.status().as_u16() == 404 => println!("not found"),
///         Err(err) if err.is_retryable() => println!("try later: {err}"),
///         Err(err) => {
///             eprintln!("request id for support: {:?}", err.request_id());
///             return Err(err);
///         }
///     }
///     Ok(())
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status (4xx, 5xx, or any other
    /// status that is not a success).
    #[error(transparent)]
    Api(ApiError),
    /// An attempt took longer than its timeout.
    #[error("{}", timeout_message(*.timeout))]
    Timeout {
        /// The timeout that ran out, when it was the client's own (a timeout
        /// set on a caller-supplied HTTP client is not known).
        timeout: Option<Duration>,
    },
    /// The server could not be reached, or the connection broke before the
    /// whole answer arrived.
    #[error("connection error: {}", source_chain(.0))]
    Connection(#[source] reqwest::Error),
    /// The server answered with success, but the body is not what the
    /// operation returns.
    #[error(transparent)]
    Decode(DecodeError),
    /// The request could not be built (a parameter that cannot be
    /// serialized, an invalid header, a malformed server URL...). Nothing was
    /// sent.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client's configuration cannot work (missing key, malformed
    /// server URL or header). Nothing was sent.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A hook stopped the call.
    #[error("a hook stopped the request: {0}")]
    Hook(#[source] Box<dyn StdError + Send + Sync>),
}

impl Error {
    /// An error for a hook to return from `before_request`.
    pub fn hook(error: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Error::Hook(error.into())
    }

    /// The HTTP status of the answer, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(err) => Some(err.status()),
            Error::Decode(err) => Some(err.status()),
            _ => None,
        }
    }

    /// The server's error answer, if this is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(err) => Some(err),
            _ => None,
        }
    }

    /// The error code from the server's error body (`code`), if any.
    pub fn code(&self) -> Option<&str> {
        self.api_error().and_then(ApiError::code)
    }

    /// The message from the server's error body (`message`), if any.
    pub fn message(&self) -> Option<&str> {
        self.api_error().and_then(ApiError::message)
    }

    /// The request id the server gave its answer (`x-request-id` or
    /// `request-id`), if there was an answer with one: quote it in support
    /// tickets.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(err) => err.request_id(),
            Error::Decode(err) => err.request_id(),
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed: timeouts,
    /// connection errors, and answers with status 408, 429 or 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Connection(_) => true,
            Error::Api(err) => {
                let status = err.status();
                status.is_server_error()
                    || status == StatusCode::TOO_MANY_REQUESTS
                    || status == StatusCode::REQUEST_TIMEOUT
            }
            _ => false,
        }
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether this is a connection error.
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Connection(_))
    }

    /// Maps an error of the HTTP client.
    pub(crate) fn from_http(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Error::Timeout { timeout: None }
        } else if error.is_builder() {
            Error::InvalidRequest(source_chain(&error))
        } else {
            Error::Connection(error)
        }
    }

    /// Whether an operation that fails open hides this error behind its
    /// fallback: no answer at all, or a server error (5xx).
    pub(crate) fn triggers_fail_open(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Connection(_) => true,
            Error::Api(err) => err.status().is_server_error(),
            _ => false,
        }
    }
}

fn timeout_message(timeout: Option<Duration>) -> String {
    match timeout {
        Some(timeout) => format!("the request timed out after {timeout:?}"),
        None => "the request timed out".to_owned(),
    }
}

/// An error and its causes, joined by `: ` (the HTTP client's own message
/// alone rarely says what happened).
fn source_chain(error: &dyn StdError) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// An error answer from the server: its status, headers and body, and the
/// error body parsed when it has the usual shape.
///
/// Displays as `{message}: Status {status} Content-Type {type} Body: {body}`,
/// where the message is the server's, or "API error occurred", and the body
/// is cut after 10 kB.
#[derive(Clone)]
pub struct ApiError {
    inner: Box<ApiErrorInner>,
}

#[derive(Clone)]
struct ApiErrorInner {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    error_body: Option<ErrorBody>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let error_body = ErrorBody::parse(&body);
        ApiError {
            inner: Box::new(ApiErrorInner {
                status,
                headers,
                body,
                error_body,
            }),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// The answer's `Content-Type`, if it has a readable one.
    pub fn content_type(&self) -> Option<&str> {
        content_type(&self.inner.headers)
    }

    /// The raw body, as received.
    pub fn body(&self) -> &Bytes {
        &self.inner.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.inner.body)
    }

    /// The parsed error body, when the body is JSON with a `message`.
    pub fn error_body(&self) -> Option<&ErrorBody> {
        self.inner.error_body.as_ref()
    }

    /// The server's error message, if the body has one.
    pub fn message(&self) -> Option<&str> {
        self.error_body().map(|body| body.message.as_str())
    }

    /// The server's error code, if the body has one.
    pub fn code(&self) -> Option<&str> {
        self.error_body().and_then(|body| body.code.as_deref())
    }

    /// The request id the server gave this answer (`x-request-id` or
    /// `request-id`), if it sent one.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.inner.headers)
    }

    /// Decodes the body as JSON into a type of your own.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.inner.body)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.message().unwrap_or("API error occurred");
        let content_type = self.content_type().unwrap_or("\"\"");
        write!(
            f,
            "{message}: Status {} Content-Type {content_type} Body: ",
            self.status().as_u16()
        )?;
        write_body(f, &self.inner.body)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status())
            .field("request_id", &self.request_id())
            .field("content_type", &self.content_type())
            .field("error_body", &self.error_body())
            .field("body", &BodyDebug(&self.inner.body))
            .finish()
    }
}

impl StdError for ApiError {}

/// The usual shape of an error body: `{"message": ..., "code": ..., "env": ...}`.
///
/// Also read from `{"error": {"message": ..., "code": ...}}` and
/// `{"error": "..."}`, which other APIs use.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorBody {
    /// What went wrong, for people.
    pub message: String,
    /// What went wrong, for programs (numbers are given as text).
    pub code: Option<String>,
    /// The environment the server answered from (e.g. `live` or `sandbox`),
    /// when it says.
    pub env: Option<String>,
}

impl ErrorBody {
    fn parse(body: &[u8]) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        let top = value.as_object()?;
        let text = |value: Option<&serde_json::Value>| match value? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let env = text(top.get("env"));
        if let Some(message) = top.get("message").and_then(|m| m.as_str()) {
            return Some(ErrorBody {
                message: message.to_owned(),
                code: text(top.get("code")),
                env,
            });
        }
        match top.get("error")? {
            serde_json::Value::String(message) => Some(ErrorBody {
                message: message.clone(),
                code: text(top.get("code")),
                env,
            }),
            serde_json::Value::Object(nested) => Some(ErrorBody {
                message: nested.get("message")?.as_str()?.to_owned(),
                code: text(nested.get("code")).or_else(|| text(top.get("code"))),
                env,
            }),
            _ => None,
        }
    }
}

/// A success answer whose body is not what the operation returns.
///
/// Keeps the status and the raw body; the `source` is the JSON error, and
/// [`path`](Self::path) says where in the document it happened.
#[derive(Clone)]
pub struct DecodeError {
    inner: Box<DecodeErrorInner>,
}

#[derive(Clone)]
struct DecodeErrorInner {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    path: Option<String>,
    message: String,
    source: Option<std::sync::Arc<serde_json::Error>>,
}

impl DecodeError {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        message: String,
    ) -> Self {
        DecodeError {
            inner: Box::new(DecodeErrorInner {
                status,
                headers,
                body,
                path: None,
                message,
                source: None,
            }),
        }
    }

    pub(crate) fn with_json_error(mut self, path: String, error: serde_json::Error) -> Self {
        self.inner.message = error.to_string();
        if !path.is_empty() && path != "." {
            self.inner.path = Some(path);
        }
        self.inner.source = Some(std::sync::Arc::new(error));
        self
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// The answer's `Content-Type`, if it has a readable one.
    pub fn content_type(&self) -> Option<&str> {
        content_type(&self.inner.headers)
    }

    /// The raw body, as received.
    pub fn body(&self) -> &Bytes {
        &self.inner.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.inner.body)
    }

    /// The request id the server gave this answer (`x-request-id` or
    /// `request-id`), if it sent one.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.inner.headers)
    }

    /// Where in the JSON document decoding failed, e.g. `balance.remaining`
    /// or `list[3].id`, when known.
    pub fn path(&self) -> Option<&str> {
        self.inner.path.as_deref()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the answer (status {}",
            self.inner.status.as_u16()
        )?;
        if let Some(path) = &self.inner.path {
            write!(f, ", at `{path}`")?;
        }
        write!(f, "): {}", self.inner.message)
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.inner.status)
            .field("request_id", &self.request_id())
            .field("content_type", &self.content_type())
            .field("path", &self.inner.path)
            .field("message", &self.inner.message)
            .field("body", &BodyDebug(&self.inner.body))
            .finish()
    }
}

impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|err| err as &(dyn StdError + 'static))
    }
}

pub(crate) fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers.get(CONTENT_TYPE)?.to_str().ok()
}

/// The headers a server's request id is read from, in this order.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-request-id", "request-id"];

/// The request id of an answer, if it has a readable one.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
}

/// Writes a body for people: lossy text, `""` when empty, cut after
/// `MAX_BODY_IN_MESSAGE` bytes on a character boundary, with the cut marked.
fn write_body(f: &mut fmt::Formatter<'_>, body: &[u8]) -> fmt::Result {
    if body.is_empty() {
        return f.write_str("\"\"");
    }
    let text = String::from_utf8_lossy(body);
    if text.len() <= MAX_BODY_IN_MESSAGE {
        return f.write_str(&text);
    }
    let mut end = MAX_BODY_IN_MESSAGE;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    write!(f, "{}...and {} more bytes", &text[..end], text.len() - end)
}

/// Shows a body in `Debug` output the way `Display` does.
struct BodyDebug<'a>(&'a [u8]);

impl fmt::Debug for BodyDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_body(f, self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn api(status: u16, content_type: Option<&str>, body: &[u8]) -> ApiError {
        let mut headers = HeaderMap::new();
        if let Some(ct) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        }
        ApiError::new(
            StatusCode::from_u16(status).unwrap(),
            headers,
            Bytes::copy_from_slice(body),
        )
    }

    #[test]
    fn display_like_the_typescript_sdk() {
        let err = api(
            404,
            Some("application/json"),
            br#"{"message":"Customer not found","code":"customer_not_found","env":"sandbox"}"#,
        );
        assert_eq!(err.message(), Some("Customer not found"));
        assert_eq!(err.code(), Some("customer_not_found"));
        assert_eq!(err.error_body().unwrap().env.as_deref(), Some("sandbox"));
        assert_eq!(
            err.to_string(),
            r#"Customer not found: Status 404 Content-Type application/json Body: {"message":"Customer not found","code":"customer_not_found","env":"sandbox"}"#
        );
        let err = api(502, None, b"");
        assert_eq!(
            err.to_string(),
            r#"API error occurred: Status 502 Content-Type "" Body: """#
        );
        let err = api(503, Some("text/html"), b"<h1>down</h1>");
        assert_eq!(
            err.to_string(),
            "API error occurred: Status 503 Content-Type text/html Body: <h1>down</h1>"
        );
    }

    #[test]
    fn long_and_broken_bodies_do_not_panic() {
        let mut body = "é".repeat(6000).into_bytes(); // 12 000 bytes, 2-byte chars
        body.extend_from_slice(&[0xff, 0xfe]);
        let err = api(500, Some("text/plain"), &body);
        let text = err.to_string();
        assert!(text.ends_with("more bytes"), "{}", &text[text.len() - 40..]);
        assert!(text.len() < 10_200);
        assert!(format!("{err:?}").len() < 10_400);
        assert_eq!(err.error_body(), None);
    }

    #[test]
    fn other_error_shapes() {
        let err = api(
            401,
            Some("application/json"),
            br#"{"error":{"message":"bad key","type":"auth","code":401}}"#,
        );
        assert_eq!(err.message(), Some("bad key"));
        assert_eq!(err.code(), Some("401"));
        let err = api(400, None, br#"{"error":"nope"}"#);
        assert_eq!(err.message(), Some("nope"));
        let err = api(400, None, br#"{"code":"x"}"#);
        assert_eq!(err.error_body(), None);
        let err = api(400, None, br#"[1,2]"#);
        assert_eq!(err.error_body(), None);
    }

    #[test]
    fn error_helpers() {
        let err = Error::Api(api(
            429,
            None,
            br#"{"message":"slow down","code":"rate_limited"}"#,
        ));
        assert!(err.is_retryable());
        assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(err.code(), Some("rate_limited"));
        assert_eq!(err.message(), Some("slow down"));
        assert!(!Error::Api(api(400, None, b"")).is_retryable());
        assert!(Error::Timeout { timeout: None }.is_retryable());
        assert_eq!(
            Error::Timeout {
                timeout: Some(Duration::from_secs(5))
            }
            .to_string(),
            "the request timed out after 5s"
        );
        assert!(!Error::InvalidRequest("x".into()).is_retryable());
        let hook = Error::hook("no token");
        assert!(hook.to_string().contains("no token"));
        assert!(std::mem::size_of::<Error>() <= 32);
    }
}
