//! Text → `serde_json::Value`, for YAML and JSON documents alike.
//!
//! YAML goes through serde_yaml into our own visitor rather than straight into
//! `serde_json::Value`, because real documents write integers outside the 64-bit
//! range (OpenAI's `minimum: -9223372036854776000`), which `serde_json::Value`
//! refuses without the `arbitrary_precision` feature; that feature would leak
//! into the SDK's build through cargo's feature unification. Such integers are
//! widened to `f64` here. The visitor also turns non-string mapping keys
//! (`200:` is an integer in YAML) into strings.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diagnostics::Diagnostic;

/// Parses `text` as JSON when it looks like JSON, else as YAML.
pub fn parse_document(text: &str) -> Result<Value, Diagnostic> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        // JSON is (nearly) YAML too, but serde_json is faster and gives exact positions.
        return serde_json::from_str(trimmed).map_err(|e| {
            let mut d = Diagnostic::new("", format!("not valid JSON: {e}"));
            d.line = Some(e.line());
            d
        });
    }
    let de = serde_yaml::Deserializer::from_str(text);
    match ValueSeed.deserialize(de) {
        Ok(Value::Object(map)) => Ok(Value::Object(map)),
        Ok(other) => Err(Diagnostic::new(
            "",
            format!(
                "the document must be a mapping (an OpenAPI object), found {}",
                kind_of(&other)
            ),
        )),
        Err(e) => {
            let mut d = Diagnostic::new("", format!("not valid YAML: {e}"));
            d.line = e.location().map(|l| l.line());
            Err(d)
        }
    }
}

/// A short name for the JSON type of `v`, for messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Deserializes any self-describing input into a `serde_json::Value`.
struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(float(v as f64))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(float(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(ValueSeed)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(ValueSeed)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A YAML tag such as `!foo bar`: keep the value, drop the tag.
        let (_tag, variant) = data.variant_seed(KeySeed)?;
        de::VariantAccess::newtype_variant_seed(variant, ValueSeed)
    }
}

/// JSON has no NaN or infinity; YAML's `.nan` / `.inf` become null.
fn float(v: f64) -> Value {
    Number::from_f64(v)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// Mapping keys: strings, or scalars rendered as text (`200` → `"200"`).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i128<E>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u128<E>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
    fn visit_none<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(de::Error::custom("a list cannot be a mapping key"))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(de::Error::custom("a mapping cannot be a mapping key"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_beyond_i64_are_widened() {
        let v =
            parse_document("a:\n  minimum: -9223372036854776000\n  max: 18446744073709551616\n")
                .unwrap();
        assert_eq!(v["a"]["minimum"].as_f64(), Some(-9223372036854776000.0));
        assert!(v["a"]["max"].is_f64());
    }

    #[test]
    fn integer_keys_become_strings() {
        let v = parse_document("responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(v["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn aliases_are_expanded() {
        let v = parse_document("a: &x {b: 1}\nc: *x\n").unwrap();
        assert_eq!(v["c"]["b"], 1);
    }

    #[test]
    fn json_is_read_with_lines() {
        let err = parse_document("{\n \"a\": 1,\n \"b\": }").unwrap_err();
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn non_mapping_documents_are_refused() {
        let err = parse_document("just a sentence").unwrap_err();
        assert!(err.message.contains("must be a mapping"), "{err}");
    }
}
