//! Fail-open: operations whose callers would rather get a documented
//! fallback answer than an error when the server is unreachable, slow or
//! failing (5xx).

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

use crate::error::Error;
use crate::pagination::Page;

/// How an operation fails open: its fallback answer and its default timeout.
// Constructed only by generated code, and only for APIs with such operations.
#[allow(dead_code)]
#[derive(Debug)]
pub(crate) struct FailOpenSpec {
    /// The fallback answer, as JSON text of the operation's return type.
    pub fallback: &'static str,
    /// The timeout of each attempt when neither the call nor the client sets
    /// one.
    pub default_timeout: Option<Duration>,
}

/// The answer of an operation that can fail open: the server's, or the
/// operation's fallback when the call failed and failing open is on.
///
/// Dereferences to the answer, so it reads like the plain value:
///
/// ```no_run
/// use std::fmt::Debug;
///
/// use autumn_sdk::{Error, FailOpen, RequestBuilder};
///
/// async fn show<T>(request: RequestBuilder<FailOpen<T>>) -> Result<(), Error>
/// where
///     T: Debug + Send + 'static,
/// {
///     let answer = request.await?;
///     if answer.is_fallback() {
///         // Not the server's answer: for an operation that records
///         // something (such as usage), nothing was recorded.
///         eprintln!("served the fallback: {:?}", answer.fallback_reason());
///     }
///     let value: &T = &answer; // reads like the plain value
///     println!("{value:?}");
///     Ok(())
/// }
/// ```
///
/// A fallback is not the server's answer: treat whatever the call would have
/// recorded (such as usage) as not recorded.
///
/// Only failures without a usable answer are hidden: connection errors,
/// timeouts and server errors (5xx), after any retries. Client errors (4xx)
/// and answers that cannot be decoded are returned as errors.
#[derive(Clone)]
pub struct FailOpen<T> {
    value: T,
    reason: Option<Arc<Error>>,
}

impl<T> FailOpen<T> {
    pub(crate) fn new(value: T, reason: Option<Arc<Error>>) -> Self {
        FailOpen { value, reason }
    }

    /// Whether this is the fallback rather than the server's answer.
    pub fn is_fallback(&self) -> bool {
        self.reason.is_some()
    }

    /// The error the fallback stands in for, if this is the fallback.
    pub fn fallback_reason(&self) -> Option<&Error> {
        self.reason.as_deref()
    }

    /// The answer itself.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> Deref for FailOpen<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for FailOpen<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T> AsRef<T> for FailOpen<T> {
    fn as_ref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for FailOpen<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FailOpen")
            .field("value", &self.value)
            .field("fallback_reason", &self.reason)
            .finish()
    }
}

/// A list operation that fails open pages like the list itself; the
/// fallback has no next page.
impl<T: Page> Page for FailOpen<T> {
    type Item = T::Item;

    fn next_cursor(&self) -> Option<&str> {
        self.value.next_cursor()
    }

    fn into_items(self) -> Vec<T::Item> {
        self.value.into_items()
    }
}
