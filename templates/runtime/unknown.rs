//! `UnknownValue`: what an open enumeration holds for a value this version
//! of the SDK does not know.

use std::fmt;

/// A value of a string enumeration that this version of the SDK does not know.
///
/// It is opaque: callers cannot build one, so `Unknown` only ever holds a
/// value that no known variant stands for (decoding, `From<&str>` and
/// `str::parse` map known values to their variants). Read it with
/// [`UnknownValue::as_str`] or through the enum's own `as_str()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a value that the caller has checked is not a known one.
    // Unused in a crate whose API has no string enumeration.
    #[allow(dead_code)]
    pub(crate) fn new(value: &str) -> Self {
        Self(value.to_owned())
    }

    /// The value as it appears on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for UnknownValue {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for UnknownValue {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}
