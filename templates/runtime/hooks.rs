//! Hooks: caller code that sees every call (to add headers, sign requests,
//! count errors...).

use std::fmt;

use crate::error::Error;
use crate::request::Operation;
use crate::response::RawResponse;

/// Code that runs around every HTTP attempt the client makes.
///
/// Register hooks with the client builder's `hook` method; they run in the
/// order they were added. Every method has a default that does nothing.
///
/// ```no_run
/// use autumn_sdk::{reqwest, Error, Hook, HookContext};
///
/// struct RequestId;
///
/// impl Hook for RequestId {
///     fn before_request(
///         &self,
///         ctx: &HookContext,
///         request: &mut reqwest::Request,
///     ) -> Result<(), Error> {
///         let id = format!("{}-{}", ctx.operation_id(), ctx.attempt());
///         let value = reqwest::header::HeaderValue::try_from(id).map_err(Error::hook)?;
///         request.headers_mut().insert("x-request-id", value);
///         Ok(())
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Runs before each attempt is sent, and may change the request (for
    /// example its headers). An error stops the call: nothing is sent, the
    /// call returns that error, and it is not retried.
    fn before_request(
        &self,
        ctx: &HookContext,
        request: &mut reqwest::Request,
    ) -> Result<(), Error> {
        let _ = (ctx, request);
        Ok(())
    }

    /// Runs after each attempt answered with a success status, before the
    /// body is decoded.
    fn after_success(&self, ctx: &HookContext, response: &RawResponse) {
        let _ = (ctx, response);
    }

    /// Runs after each attempt that failed: an error status, a timeout or a
    /// connection error. It runs before the client decides whether to retry
    /// or to fail open, so it sees every failure.
    fn after_error(&self, ctx: &HookContext, error: &Error) {
        let _ = (ctx, error);
    }
}

/// What a hook is told about the call it runs in.
#[derive(Clone)]
pub struct HookContext {
    operation: &'static Operation,
    attempt: u32,
}

impl HookContext {
    pub(crate) fn new(operation: &'static Operation, attempt: u32) -> Self {
        HookContext { operation, attempt }
    }

    /// The operation's id in the API description (`operationId`).
    pub fn operation_id(&self) -> &'static str {
        self.operation.id
    }

    /// The operation's name in this SDK, e.g. `customers.get_or_create`.
    pub fn operation_name(&self) -> &'static str {
        self.operation.name
    }

    /// The HTTP method.
    pub fn method(&self) -> &reqwest::Method {
        &self.operation.method
    }

    /// The path template, e.g. `/v1/customers/{customer_id}`.
    pub fn path_template(&self) -> &'static str {
        self.operation.path
    }

    /// Which try this is, starting at 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
}

impl fmt::Debug for HookContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookContext")
            .field("operation_id", &self.operation.id)
            .field("operation_name", &self.operation.name)
            .field("attempt", &self.attempt)
            .finish()
    }
}
