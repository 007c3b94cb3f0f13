//! A whole answer from the server (status, headers, body), as decoders and
//! hooks see it.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{content_type, request_id, DecodeError, Error};

/// An answer from the server, read in full.
///
/// Hooks receive it after each successful attempt; the generated code decodes
/// it into the operation's return type.
#[derive(Clone)]
pub struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    fallback_reason: Option<Arc<Error>>,
}

impl RawResponse {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse {
            status,
            headers,
            body,
            fallback_reason: None,
        }
    }

    /// A made-up success answer carrying an operation's fail-open fallback.
    pub(crate) fn fallback(body: &'static str, reason: Arc<Error>) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        RawResponse {
            status: StatusCode::OK,
            headers,
            body: Bytes::from_static(body.as_bytes()),
            fallback_reason: Some(reason),
        }
    }

    /// Status, headers and body, for an error that keeps them.
    pub(crate) fn into_parts(self) -> (StatusCode, HeaderMap, Bytes) {
        (self.status, self.headers, self.body)
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Type`, if the answer has a readable one.
    pub fn content_type(&self) -> Option<&str> {
        content_type(&self.headers)
    }

    /// The body, as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The request id the server gave this answer (`x-request-id` or
    /// `request-id`), if it sent one.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// Whether this is not a real answer but an operation's fail-open
    /// fallback, made up because the real call failed.
    pub fn is_fallback(&self) -> bool {
        self.fallback_reason.is_some()
    }

    /// Why the call failed, when this is a fail-open fallback.
    pub(crate) fn fallback_reason(&self) -> Option<&Arc<Error>> {
        self.fallback_reason.as_ref()
    }

    /// Decodes the body as JSON. On failure the error says where in the
    /// document decoding stopped, and keeps the status and body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
            let path = err.path().to_string();
            self.decode_error(String::new())
                .with_json_error(path, err.into_inner())
        })?;
        // Trailing characters after the document are an error too.
        deserializer.end().map_err(|err| {
            self.decode_error(String::new())
                .with_json_error(String::new(), err)
        })?;
        Ok(value)
    }

    /// The body as UTF-8 text.
    pub fn text(&self) -> Result<String, DecodeError> {
        String::from_utf8(self.body.to_vec())
            .map_err(|_| self.decode_error("the body is not valid UTF-8"))
    }

    /// An error saying this answer is not what the operation returns (for
    /// example, a success status the operation does not document).
    pub fn decode_error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError::new(
            self.status,
            self.headers.clone(),
            self.body.clone(),
            message.into(),
        )
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("content_type", &self.content_type())
            .field("body_len", &self.body.len())
            .field("is_fallback", &self.is_fallback())
            .finish()
    }
}

/// A call's decoded value with the answer's status and headers, from
/// [`RequestBuilder::send_with_response`](crate::RequestBuilder::send_with_response).
///
/// For a fail-open fallback there was no answer: the status is `200`, the
/// headers hold only `content-type`, and the value says it is the fallback.
#[derive(Clone)]
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, status: StatusCode, headers: HeaderMap) -> Self {
        Response {
            value,
            status,
            headers,
        }
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, without the status and headers.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id the server gave this answer (`x-request-id` or
    /// `request-id`), if it sent one: quote it in support tickets.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The value, status and headers.
    pub fn into_parts(self) -> (T, StatusCode, HeaderMap) {
        (self.value, self.status, self.headers)
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("request_id", &self.request_id())
            .field("value", &self.value)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        list: Vec<Inner>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        id: String,
    }

    fn raw(body: &'static [u8]) -> RawResponse {
        RawResponse::new(StatusCode::OK, HeaderMap::new(), Bytes::from_static(body))
    }

    #[test]
    fn json_errors_carry_the_path_and_body() {
        let err = raw(br#"{"list":[{"id":"a"},{"id":3}]}"#)
            .json::<Outer>()
            .unwrap_err();
        assert_eq!(err.path(), Some("list[1].id"));
        assert!(err.to_string().contains("list[1].id"), "{err}");
        assert!(std::error::Error::source(&err).is_some());
        assert_eq!(err.body().as_ref(), br#"{"list":[{"id":"a"},{"id":3}]}"#);
        assert_eq!(err.status(), StatusCode::OK);
    }

    #[test]
    fn trailing_garbage_and_empty_bodies_fail() {
        assert!(raw(br#"{"list":[]} x"#).json::<Outer>().is_err());
        assert!(raw(b"").json::<Outer>().is_err());
        assert!(raw(b"<html>").json::<Outer>().is_err());
        assert!(raw(&[0xff]).text().is_err());
        assert_eq!(raw(b"hi").text().unwrap(), "hi");
    }
}
