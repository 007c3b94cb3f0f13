//! `UnknownValue` and `UnknownJson`: what an open enumeration or a tagged
//! union holds for a value this version of the SDK does not know.

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

/// A member of a tagged union whose tag this version of the SDK does not
/// know, kept as sent.
///
/// It is opaque like [`UnknownValue`]: callers cannot build one, so a
/// union's `Unknown` only ever holds JSON that no known variant stands for.
/// Read it with [`UnknownJson::as_json`], or compare it with a
/// `serde_json::Value`.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownJson(serde_json::Value);

impl UnknownJson {
    /// Wraps JSON whose tag the caller has checked is not a known one.
    // Unused in a crate whose API has no tagged union.
    #[allow(dead_code)]
    pub(crate) fn new(value: serde_json::Value) -> Self {
        Self(value)
    }

    /// The JSON as it was received.
    pub fn as_json(&self) -> &serde_json::Value {
        &self.0
    }

    /// The JSON as it was received, owned.
    pub fn into_json(self) -> serde_json::Value {
        self.0
    }
}

impl fmt::Display for UnknownJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl PartialEq<serde_json::Value> for UnknownJson {
    fn eq(&self, other: &serde_json::Value) -> bool {
        self.0 == *other
    }
}

impl serde::Serialize for UnknownJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}
