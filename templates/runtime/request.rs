//! One call: the operation it calls, its parameters and body (set by the
//! generated code), the caller's per-call options, and the decoders that turn
//! the answer into the operation's return type.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::Client;
use crate::encode::{self, Node};
use crate::error::{DecodeError, Error};
use crate::execute::{self, Prepared, PreparedBody};
use crate::fail_open::{FailOpen, FailOpenSpec};
use crate::multipart::{Files, Parts};
use crate::pagination::Cursor;
use crate::response::{RawResponse, Response};
use crate::retry::{RetryPolicy, StatusPattern};

/// An operation of the API, as the generated code declares it (in a
/// `const`).
#[derive(Debug)]
pub(crate) struct Operation {
    /// The `operationId` of the API description.
    pub id: &'static str,
    /// The SDK name, e.g. `customers.get_or_create` (for tracing and hooks).
    pub name: &'static str,
    /// The HTTP method.
    pub method: reqwest::Method,
    /// The path, with `{param}` placeholders.
    pub path: &'static str,
    /// How the operation fails open, if it does.
    pub fail_open: Option<&'static FailOpenSpec>,
    /// How the operation pages, if it is a cursor-paged list.
    pub pagination: Option<Cursor>,
}

/// Turns an answer into an operation's return type.
pub(crate) type Decoder<T> = fn(&RawResponse) -> Result<T, DecodeError>;

/// A call being set up: await it (or call [`send`](Self::send)) to make it.
///
/// The generated method has already set the operation's parameters; the
/// methods below change how this one call is made, overriding the client's
/// settings:
///
/// ```no_run
/// use std::time::Duration;
///
/// use autumn_sdk::{Error, RequestBuilder, RetryPolicy};
///
/// async fn call<T: Send + 'static>(request: RequestBuilder<T>) -> Result<T, Error> {
///     request
///         .timeout(Duration::from_secs(5))
///         .retries(RetryPolicy::standard())
///         .header("idempotency-key", "signup-42")
///         .await
/// }
/// ```
///
/// Problems with the parameters (a value that cannot be serialized, an
/// invalid header) do not panic: the call returns `Error::InvalidRequest`
/// when awaited, without sending anything.
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct RequestBuilder<T> {
    client: Client,
    operation: &'static Operation,
    decode: Decoder<T>,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Body>,
    cursor: Option<String>,
    options: Options,
    /// The first problem met while building; reported when sent.
    error: Option<String>,
}

#[derive(Clone)]
enum Body {
    /// A body sent as these bytes.
    Bytes {
        bytes: Bytes,
        content_type: HeaderValue,
        is_json: bool,
    },
    /// A `multipart/form-data` body, built again for each try.
    Multipart(Parts),
}

#[derive(Clone, Default)]
struct Options {
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    retry_codes: Option<Vec<StatusPattern>>,
    server_url: Option<String>,
    headers: HeaderMap,
}

/// Builders of the request itself, used by the generated code.
// Each API uses only some of them.
#[allow(dead_code)]
impl<T> RequestBuilder<T> {
    /// Starts a call of `operation` whose answer `decode` decodes.
    pub(crate) fn new(client: &Client, operation: &'static Operation, decode: Decoder<T>) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        RequestBuilder {
            client: client.clone(),
            operation,
            decode,
            path: operation.path.to_owned(),
            query: Vec::new(),
            headers,
            body: None,
            cursor: None,
            options: Options::default(),
            error: None,
        }
    }

    /// Fills the path placeholder `{name}` with `value`, percent-encoded.
    pub(crate) fn path_param<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        let placeholder = format!("{{{name}}}");
        // OpenAPI's default `simple` style: scalars as text, lists comma-separated.
        let value = match encode::Node::from_value(value) {
            Ok(node) => encode::header_text(&node).unwrap_or_default(),
            Err(err) => {
                self.fail(format!("path parameter `{name}` cannot be encoded: {err}"));
                return self;
            }
        };
        if value.is_empty() || value == "." || value == ".." {
            // Such a segment would silently call another endpoint (URLs
            // resolve `.` and `..`, even percent-encoded).
            self.fail(format!("path parameter `{name}` is `{value}`"));
        } else if !self.path.contains(&placeholder) {
            self.fail(format!(
                "path parameter `{name}` is not in `{}`",
                self.operation.path
            ));
        } else {
            self.path = self
                .path
                .replace(&placeholder, &encode::path_segment(&value));
        }
        self
    }

    /// Adds query parameter `name`: left out when null; sequences repeat the
    /// key; objects become `name[key]=value`.
    pub(crate) fn query_param<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        match Node::from_value(value) {
            Ok(value) => encode::pairs(name, &value, &mut self.query),
            Err(err) => self.fail(format!("query parameter `{name}`: {err}")),
        }
        self
    }

    /// Sets header parameter `name`: left out when null; sequences are
    /// comma-separated.
    pub(crate) fn header_param<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        if let Some(text) = self.simple_text("header", name, value) {
            match header(name, &text) {
                Ok((name, value)) => {
                    self.headers.insert(name, value);
                }
                Err(err) => self.fail(err),
            }
        }
        self
    }

    /// Adds cookie parameter `name` to the `Cookie` header (`name=value`,
    /// pairs joined by `; `): left out when null; sequences are
    /// comma-separated; the value is percent-encoded.
    pub(crate) fn cookie_param<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        if let Some(text) = self.simple_text("cookie", name, value) {
            let pair = format!("{name}={}", encode::path_segment(&text));
            let cookie = match self.headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                Some(before) => format!("{before}; {pair}"),
                None => pair,
            };
            match HeaderValue::from_str(&cookie) {
                Ok(value) => {
                    self.headers.insert(COOKIE, value);
                }
                Err(_) => self.fail(format!("cookie parameter `{name}` is not a valid cookie")),
            }
        }
        self
    }

    /// A header or cookie parameter's value in OpenAPI's `simple` style
    /// (`None` when null, or when it cannot be encoded: then the call fails).
    fn simple_text<V: Serialize + ?Sized>(
        &mut self,
        place: &str,
        name: &str,
        value: &V,
    ) -> Option<String> {
        match Node::from_value(value) {
            Ok(value) => encode::header_text(&value),
            Err(err) => {
                self.fail(format!("{place} parameter `{name}`: {err}"));
                None
            }
        }
    }

    /// Sets a JSON body.
    pub(crate) fn json_body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(Body::Bytes {
                    bytes: bytes.into(),
                    content_type: HeaderValue::from_static("application/json"),
                    is_json: true,
                });
            }
            Err(err) => self.fail(format!("request body: {err}")),
        }
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body (encoded like query
    /// parameters).
    pub(crate) fn form_body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match Node::from_value(body).and_then(|value| encode::form(&value)) {
            Ok(text) => {
                self.body = Some(Body::Bytes {
                    bytes: text.into(),
                    content_type: HeaderValue::from_static("application/x-www-form-urlencoded"),
                    is_json: false,
                });
            }
            Err(err) => self.fail(format!("request body: {err}")),
        }
        self
    }

    /// Sets a body of any other media type, sent as is.
    pub(crate) fn raw_body(mut self, bytes: impl Into<Bytes>, content_type: &'static str) -> Self {
        match HeaderValue::try_from(content_type) {
            Ok(content_type) => {
                self.body = Some(Body::Bytes {
                    bytes: bytes.into(),
                    content_type,
                    is_json: false,
                });
            }
            Err(_) => self.fail(format!("invalid content type `{content_type}`")),
        }
        self
    }

    /// Starts a `multipart/form-data` body with no parts; the `*_part`
    /// methods add them.
    pub(crate) fn multipart_body(mut self) -> Self {
        self.body = Some(Body::Multipart(Parts::default()));
        self
    }

    /// Adds a part per file of a multipart body's field.
    pub(crate) fn file_part<F: Files + ?Sized>(
        self,
        name: &str,
        value: &F,
        content_type: Option<&str>,
    ) -> Self {
        self.with_parts(|parts| parts.files(name, value, content_type))
    }

    /// Adds a multipart body's text field (a part per item of a list).
    pub(crate) fn text_part<V: Serialize + ?Sized>(
        self,
        name: &str,
        value: &V,
        content_type: Option<&str>,
    ) -> Self {
        self.with_parts(|parts| parts.text(name, value, content_type))
    }

    /// Adds a multipart body's field sent as JSON.
    pub(crate) fn json_part<V: Serialize + ?Sized>(
        self,
        name: &str,
        value: &V,
        content_type: Option<&str>,
    ) -> Self {
        self.with_parts(|parts| parts.json(name, value, content_type))
    }

    fn with_parts(mut self, add: impl FnOnce(&mut Parts) -> Result<(), String>) -> Self {
        let result = match &mut self.body {
            Some(Body::Multipart(parts)) => add(parts),
            _ => Err("a multipart part was added to a body that is not multipart".to_owned()),
        };
        if let Err(err) = result {
            self.fail(format!("request body: {err}"));
        }
        self
    }

    /// Sets the `Accept` header (default `application/json`), for operations
    /// that answer with another media type.
    pub(crate) fn accept(mut self, media_type: &'static str) -> Self {
        match HeaderValue::try_from(media_type) {
            Ok(value) => {
                self.headers.insert(ACCEPT, value);
            }
            Err(_) => self.fail(format!("invalid media type `{media_type}`")),
        }
        self
    }
}

impl<T> RequestBuilder<T> {
    /// Sets the timeout of each attempt of this call (connecting, sending
    /// and reading the whole answer), replacing the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Sets the retry policy of this call, replacing the client's.
    pub fn retries(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Makes this call once, whatever the client's retry policy.
    pub fn no_retries(self) -> Self {
        self.retries(RetryPolicy::disabled())
    }

    /// Replaces the status codes the retry policy retries for this call.
    /// This does not turn retries on.
    pub fn retry_codes(mut self, codes: impl IntoIterator<Item = StatusPattern>) -> Self {
        self.options.retry_codes = Some(codes.into_iter().collect());
        self
    }

    /// Sends this call to another server (base URL), replacing the client's.
    pub fn server_url(mut self, server_url: impl Into<String>) -> Self {
        self.options.server_url = Some(server_url.into());
        self
    }

    /// Adds a header to this call, replacing any header of that name the
    /// client or the operation would send. An invalid name or value makes
    /// the call fail with `Error::InvalidRequest`.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        match header(name.as_ref(), value.as_ref()) {
            Ok((name, value)) => {
                self.options.headers.insert(name, value);
            }
            Err(err) => self.fail(err),
        }
        self
    }

    /// Makes the call and decodes the answer. Awaiting the builder does the
    /// same.
    pub async fn send(self) -> Result<T, Error> {
        self.send_with_response().await.map(Response::into_inner)
    }

    /// Makes the call and returns the decoded value with the answer's status
    /// and headers (and so its request id).
    pub async fn send_with_response(self) -> Result<Response<T>, Error> {
        let prepared = self.prepare()?;
        execute::execute(&self.client, self.operation, prepared, self.decode).await
    }

    /// The same call asking for the page after `cursor`, if the operation
    /// pages.
    pub(crate) fn with_cursor(mut self, cursor: &str) -> Option<Self> {
        let field = self.operation.pagination?.request_field;
        match &mut self.body {
            Some(Body::Bytes {
                bytes,
                is_json: true,
                ..
            }) => {
                let result = Node::from_json(bytes).and_then(|mut node| {
                    node.set_field(field, Node::String(cursor.to_owned()))?;
                    serde_json::to_vec(&node).map_err(|err| err.to_string())
                });
                match result {
                    Ok(json) => *bytes = json.into(),
                    Err(err) => self.fail(format!("cannot set the page cursor: {err}")),
                }
            }
            _ => {
                self.query.retain(|(name, _)| name != field);
                self.query.push((field.to_owned(), cursor.to_owned()));
            }
        }
        self.cursor = Some(cursor.to_owned());
        Some(self)
    }

    /// The cursor this call was given by [`with_cursor`](Self::with_cursor).
    pub(crate) fn cursor_sent(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// Everything the call needs, checked: URL, headers, body, timeout and
    /// retry policy.
    fn prepare(&self) -> Result<Prepared, Error> {
        let client = &self.client.inner;
        if let Some(message) = &client.config_error {
            return Err(Error::Config(message.clone()));
        }
        if let Some(message) = &self.error {
            return Err(Error::InvalidRequest(message.clone()));
        }
        if let Some(start) = self.path.find('{') {
            let rest = &self.path[start..];
            let name = rest[1..].split('}').next().unwrap_or(rest);
            return Err(Error::InvalidRequest(format!(
                "path parameter `{name}` is not set"
            )));
        }
        let http = client
            .http
            .clone()
            .ok_or_else(|| Error::Config("no HTTP client".to_owned()))?;

        let base = match &self.options.server_url {
            Some(url) => url.trim().trim_end_matches('/'),
            None => client.server_url.as_str(),
        };
        let mut url = reqwest::Url::parse(&format!("{base}{}", self.path))
            .map_err(|err| Error::InvalidRequest(format!("invalid URL `{base}`: {err}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::InvalidRequest(format!(
                "invalid URL `{base}`: not http or https"
            )));
        }
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }

        let mut headers = client.headers.clone();
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
        // A multipart body's type names its boundary: it is set with the form.
        if let Some(Body::Bytes { content_type, .. }) = &self.body {
            headers.insert(CONTENT_TYPE, content_type.clone());
        }
        for (name, value) in &self.options.headers {
            headers.insert(name.clone(), value.clone());
        }

        let timeout = self
            .options
            .timeout
            .or(client.timeout)
            .or_else(|| self.operation.fail_open?.default_timeout);
        let mut retry = self
            .options
            .retry
            .clone()
            .unwrap_or_else(|| client.retry.clone());
        if let Some(codes) = &self.options.retry_codes {
            retry = retry.with_status_codes(codes.iter().copied());
        }

        Ok(Prepared {
            http,
            url,
            headers,
            body: self.body.as_ref().map(|body| match body {
                Body::Bytes { bytes, .. } => PreparedBody::Bytes(bytes.clone()),
                Body::Multipart(parts) => PreparedBody::Multipart(parts.clone()),
            }),
            timeout,
            retry,
        })
    }
}

impl<T> Clone for RequestBuilder<T> {
    fn clone(&self) -> Self {
        RequestBuilder {
            client: self.client.clone(),
            operation: self.operation,
            decode: self.decode,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            cursor: self.cursor.clone(),
            options: self.options.clone(),
            error: self.error.clone(),
        }
    }
}

impl<T> fmt::Debug for RequestBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("operation", &self.operation.name)
            .field("method", &self.operation.method)
            .field("path", &self.path)
            .field("timeout", &self.options.timeout)
            .field("retries", &self.options.retry)
            .field("server_url", &self.options.server_url)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> IntoFuture for RequestBuilder<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let header_name =
        HeaderName::try_from(name).map_err(|_| format!("invalid header name `{name}`"))?;
    let header_value =
        HeaderValue::try_from(value).map_err(|_| format!("invalid value for header `{name}`"))?;
    Ok((header_name, header_value))
}

/// Decodes a JSON answer.
#[allow(dead_code)] // each API uses only some decoders
pub(crate) fn decode_json<T: DeserializeOwned>(response: &RawResponse) -> Result<T, DecodeError> {
    response.json()
}

/// Ignores the answer's body (operations that return nothing).
#[allow(dead_code)] // each API uses only some decoders
pub(crate) fn decode_empty(_response: &RawResponse) -> Result<(), DecodeError> {
    Ok(())
}

/// Decodes a text answer.
#[allow(dead_code)] // each API uses only some decoders
pub(crate) fn decode_text(response: &RawResponse) -> Result<String, DecodeError> {
    response.text()
}

/// Returns the answer's body as it is.
#[allow(dead_code)] // each API uses only some decoders
pub(crate) fn decode_bytes(response: &RawResponse) -> Result<Bytes, DecodeError> {
    Ok(response.body().clone())
}

/// Decodes the JSON answer of an operation that fails open, marking the
/// fallback as such.
#[allow(dead_code)] // each API uses only some decoders
pub(crate) fn decode_fail_open<T: DeserializeOwned>(
    response: &RawResponse,
) -> Result<FailOpen<T>, DecodeError> {
    let value = response.json()?;
    Ok(FailOpen::new(value, response.fallback_reason().cloned()))
}
