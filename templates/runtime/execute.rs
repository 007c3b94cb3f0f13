//! Making a call: attempts with their timeout, hooks, retries with backoff,
//! failing open, decoding, and the tracing span around it all.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, CONTENT_LENGTH, CONTENT_TYPE};
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::Instrument;

use crate::api_info;
use crate::client::Client;
use crate::error::{ApiError, DecodeError, Error};
use crate::hooks::HookContext;
use crate::multipart::Parts;
use crate::request::{Decoder, Operation};
use crate::response::{RawResponse, Response};
use crate::retry::{self, RetryPolicy};

/// A call ready to go: everything checked, the body kept so every try
/// sends the same one.
pub(crate) struct Prepared {
    pub http: reqwest::Client,
    pub url: reqwest::Url,
    pub headers: HeaderMap,
    pub body: Option<PreparedBody>,
    pub timeout: Option<Duration>,
    pub retry: RetryPolicy,
}

/// A body as each try sends it.
pub(crate) enum PreparedBody {
    /// These bytes, with the content type among the headers.
    Bytes(Bytes),
    /// A `multipart/form-data` body, whose form (and boundary) each try
    /// builds anew: a form is sent once.
    Multipart(Parts),
}

/// One try's request: method, URL, headers and body.
fn build_request(
    operation: &'static Operation,
    prepared: &Prepared,
) -> Result<reqwest::Request, Error> {
    let mut request = reqwest::Request::new(operation.method.clone(), prepared.url.clone());
    *request.headers_mut() = prepared.headers.clone();
    match &prepared.body {
        None => {}
        Some(PreparedBody::Bytes(bytes)) => *request.body_mut() = Some(bytes.clone().into()),
        Some(PreparedBody::Multipart(parts)) => {
            let form = parts.form().map_err(Error::InvalidRequest)?;
            // reqwest makes the body, its `Content-Type` (with the boundary)
            // and its length.
            let mut with_form = prepared
                .http
                .request(operation.method.clone(), prepared.url.clone())
                .multipart(form)
                .build()
                .map_err(Error::from_http)?;
            for name in [CONTENT_TYPE, CONTENT_LENGTH] {
                if let Some(value) = with_form.headers_mut().remove(&name) {
                    request.headers_mut().insert(name, value);
                }
            }
            *request.body_mut() = with_form.body_mut().take();
        }
    }
    Ok(request)
}

/// Makes the call and decodes its answer, inside a tracing span.
pub(crate) async fn execute<T>(
    client: &Client,
    operation: &'static Operation,
    prepared: Prepared,
    decode: Decoder<T>,
) -> Result<Response<T>, Error> {
    let span = tracing::info_span!(
        "request",
        sdk = api_info::CRATE_NAME,
        operation = operation.name,
        method = %operation.method,
        path = operation.path,
        status = Empty,
        attempt = Empty,
        elapsed_ms = Empty,
    );
    run(client, operation, prepared, decode)
        .instrument(span)
        .await
}

async fn run<T>(
    client: &Client,
    operation: &'static Operation,
    prepared: Prepared,
    decode: Decoder<T>,
) -> Result<Response<T>, Error> {
    let span = tracing::Span::current();
    let started = Instant::now();
    let (outcome, attempts) = attempts(client, operation, &prepared, started).await;
    span.record("attempt", attempts);
    span.record("elapsed_ms", elapsed_ms(started));
    if let Some(status) = match &outcome {
        Ok(response) => Some(response.status()),
        Err(err) => err.status(),
    } {
        span.record("status", status.as_u16());
    }

    match outcome {
        Ok(response) => match decode(&response) {
            Ok(value) => {
                let (status, headers, _) = response.into_parts();
                Ok(Response::new(value, status, headers))
            }
            Err(err) => {
                tracing::debug!(
                    error = %loggable_decode(&err),
                    "could not decode the answer"
                );
                Err(Error::Decode(err))
            }
        },
        Err(err) => match operation.fail_open {
            Some(spec) if client.inner.fail_open && err.triggers_fail_open() => {
                let reason = Arc::new(err);
                tracing::warn!(
                    operation = operation.name,
                    reason = %loggable(&reason),
                    "{} request failed; failing open with the operation's fallback answer",
                    api_info::CLIENT_NAME,
                );
                let fallback = RawResponse::fallback(spec.fallback, Arc::clone(&reason));
                let decoded = decode(&fallback);
                let (status, headers, _) = fallback.into_parts();
                decoded
                    .map(|value| Response::new(value, status, headers))
                    .map_err(|decode_error| {
                        // The fallback does not fit the return type: a bug in
                        // the API description. Report the real failure.
                        tracing::error!(
                            operation = operation.name,
                            error = %decode_error,
                            "the fail-open fallback does not decode"
                        );
                        Arc::try_unwrap(reason).unwrap_or(Error::Decode(decode_error))
                    })
            }
            _ => {
                tracing::debug!(error = %loggable(&err), "request failed");
                Err(err)
            }
        },
    }
}

/// Tries the call until it succeeds, fails in a way the policy does not
/// retry, or runs out of tries or time. Returns the last outcome (a success
/// answer, or the error) and the number of tries.
async fn attempts(
    client: &Client,
    operation: &'static Operation,
    prepared: &Prepared,
    started: Instant,
) -> (Result<RawResponse, Error>, u32) {
    let hooks = &client.inner.hooks;
    let policy = &prepared.retry;
    let mut attempt: u32 = 0;
    loop {
        attempt = attempt.saturating_add(1);
        let ctx = HookContext::new(operation, attempt);

        let mut request = match build_request(operation, prepared) {
            Ok(request) => request,
            Err(err) => return (Err(err), attempt),
        };
        for hook in hooks {
            if let Err(err) = hook.before_request(&ctx, &mut request) {
                return (Err(err), attempt);
            }
        }

        tracing::debug!(attempt, url = %redact_query(request.url()), "sending request");
        let attempt_started = Instant::now();
        let result = match prepared.timeout {
            Some(timeout) => {
                match tokio::time::timeout(timeout, send(&prepared.http, request)).await {
                    Ok(result) => result,
                    Err(_) => Err(Error::Timeout {
                        timeout: Some(timeout),
                    }),
                }
            }
            None => send(&prepared.http, request).await,
        };

        let (error, retryable, retry_after) = match result {
            Ok(response) if response.status().is_success() => {
                tracing::debug!(
                    attempt,
                    status = response.status().as_u16(),
                    elapsed_ms = elapsed_ms(attempt_started),
                    "received answer"
                );
                for hook in hooks {
                    hook.after_success(&ctx, &response);
                }
                return (Ok(response), attempt);
            }
            Ok(response) => {
                let status = response.status();
                tracing::debug!(
                    attempt,
                    status = status.as_u16(),
                    elapsed_ms = elapsed_ms(attempt_started),
                    "received error answer"
                );
                let wait = retry::retry_after(response.headers());
                let (status, headers, body) = response.into_parts();
                (
                    Error::Api(ApiError::new(status, headers, body)),
                    policy.retries_status(status),
                    wait,
                )
            }
            Err(err) => {
                tracing::debug!(
                    attempt,
                    error = %loggable(&err),
                    elapsed_ms = elapsed_ms(attempt_started),
                    "no answer"
                );
                let retryable = policy.retries_no_answer()
                    && matches!(err, Error::Timeout { .. } | Error::Connection(_));
                (err, retryable, None)
            }
        };

        for hook in hooks {
            hook.after_error(&ctx, &error);
        }
        if !retryable || !policy.allows_attempt_after(attempt) {
            return (Err(error), attempt);
        }
        let delay = policy.backoff().delay(attempt - 1, retry_after);
        let retry_at = started.elapsed().checked_add(delay);
        if retry_at.map_or(true, |at| at > policy.backoff().max_elapsed_time) {
            tracing::debug!(
                attempt,
                "not retrying: the retry policy's total time would run out"
            );
            return (Err(error), attempt);
        }
        tracing::debug!(
            attempt,
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            error = %loggable(&error),
            "retrying"
        );
        tokio::time::sleep(delay).await;
    }
}

/// Sends one attempt and reads the whole answer.
async fn send(http: &reqwest::Client, request: reqwest::Request) -> Result<RawResponse, Error> {
    let response = http.execute(request).await.map_err(Error::from_http)?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(Error::from_http)?;
    Ok(RawResponse::new(status, headers, body))
}

/// An error as logs show it: never the body of an answer (which may hold
/// personal data), but its status, error code and request id.
pub(crate) fn loggable(error: &Error) -> String {
    match error {
        Error::Api(err) => {
            let mut text = format!("API error, status {}", err.status().as_u16());
            if let Some(code) = err.code() {
                text.push_str(&format!(", code `{code}`"));
            }
            if let Some(id) = err.request_id() {
                text.push_str(&format!(", request id `{id}`"));
            }
            text
        }
        Error::Decode(err) => loggable_decode(err),
        other => other.to_string(),
    }
}

/// A decode error as logs show it: the status and the JSON path, without
/// the body or the JSON error (which may quote it).
fn loggable_decode(error: &DecodeError) -> String {
    let mut text = format!(
        "could not decode the answer (status {}",
        error.status().as_u16()
    );
    if let Some(path) = error.path() {
        text.push_str(&format!(", at `{path}`"));
    }
    text.push(')');
    text
}

/// The URL without its query, which may carry personal data.
fn redact_query(url: &reqwest::Url) -> String {
    if url.query().is_none() {
        return url.to_string();
    }
    let mut url = url.clone();
    url.set_query(None);
    format!("{url}?…")
}

fn elapsed_ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}
