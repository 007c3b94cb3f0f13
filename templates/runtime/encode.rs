//! Parameter encoding: path segments, query strings and form bodies
//! (sequences repeat the key, objects become `name[key]`), header values.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Everything but the unreserved characters of RFC 3986 is escaped in a path
/// segment, so a value can never add a segment (`/`) or a query (`?`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment.
pub(crate) fn path_segment(value: &str) -> String {
    utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// A serialized parameter, the common form the encoders below work from.
///
/// Unlike `serde_json::Value`, objects keep their fields in serialization
/// order whatever features `serde_json` is built with, so the wire format is
/// the same in every build.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    /// A number, as JSON writes it.
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    /// Serializes a value (through JSON text, which keeps field order).
    pub(crate) fn from_value<V: Serialize + ?Sized>(value: &V) -> Result<Node, String> {
        let text = serde_json::to_vec(value).map_err(|err| err.to_string())?;
        Node::from_json(&text)
    }

    /// Parses JSON text.
    pub(crate) fn from_json(text: &[u8]) -> Result<Node, String> {
        serde_json::from_slice(text).map_err(|err| err.to_string())
    }

    /// Sets field `name` of an object (replacing it, or adding it last).
    pub(crate) fn set_field(&mut self, name: &str, value: Node) -> Result<(), String> {
        let Node::Object(fields) = self else {
            return Err("not a JSON object".to_owned());
        };
        match fields.iter_mut().find(|(field, _)| field == name) {
            Some((_, slot)) => *slot = value,
            None => fields.push((name.to_owned(), value)),
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Bool(value))
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Node, E> {
        Ok(Node::Number(value.to_string()))
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Node, E> {
        Ok(Node::Number(value.to_string()))
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Node, E> {
        Ok(serde_json::Number::from_f64(value)
            .map_or(Node::Null, |number| Node::Number(number.to_string())))
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Node, E> {
        Ok(Node::String(value.to_owned()))
    }
    fn visit_string<E: de::Error>(self, value: String) -> Result<Node, E> {
        Ok(Node::String(value))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut fields = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            fields.push((key, value));
        }
        Ok(Node::Object(fields))
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(value) => serializer.serialize_bool(*value),
            Node::Number(text) => match text.parse::<serde_json::Number>() {
                Ok(number) => number.serialize(serializer),
                Err(_) => serializer.serialize_unit(),
            },
            Node::String(text) => serializer.serialize_str(text),
            Node::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, value) in fields {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// Appends the query (or form) pairs of parameter `name`: nulls are left
/// out, scalars are plain text, sequences repeat the key, objects become
/// `name[key]` (deepObject style, nested as deep as the value goes).
pub(crate) fn pairs(name: &str, value: &Node, out: &mut Vec<(String, String)>) {
    match value {
        Node::Null => {}
        Node::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                match item {
                    Node::Array(_) | Node::Object(_) => {
                        pairs(&format!("{name}[{index}]"), item, out);
                    }
                    _ => pairs(name, item, out),
                }
            }
        }
        Node::Object(fields) => {
            for (key, field) in fields {
                pairs(&format!("{name}[{key}]"), field, out);
            }
        }
        scalar => {
            if let Some(text) = scalar_text(scalar) {
                out.push((name.to_owned(), text));
            }
        }
    }
}

/// Encodes a form body (`application/x-www-form-urlencoded`): each field of
/// the object is a parameter, encoded as [`pairs`] says.
pub(crate) fn form(value: &Node) -> Result<String, String> {
    let Node::Object(fields) = value else {
        return Err("a form body must be an object".to_owned());
    };
    let mut out = Vec::new();
    for (name, field) in fields {
        pairs(name, field, &mut out);
    }
    serde_urlencoded::to_string(&out).map_err(|err| err.to_string())
}

/// The text of a header parameter (OpenAPI `simple` style): `None` for
/// null, scalars as text, sequences comma-separated, objects as
/// `key,value,key,value`.
pub(crate) fn header_text(value: &Node) -> Option<String> {
    match value {
        Node::Null => None,
        Node::Array(items) => Some(
            items
                .iter()
                .filter_map(scalar_text)
                .collect::<Vec<_>>()
                .join(","),
        ),
        Node::Object(fields) => Some(
            fields
                .iter()
                .filter_map(|(key, field)| Some(format!("{key},{}", scalar_text(field)?)))
                .collect::<Vec<_>>()
                .join(","),
        ),
        scalar => scalar_text(scalar),
    }
}

/// A scalar as text; `None` for null and for containers.
pub(crate) fn scalar_text(value: &Node) -> Option<String> {
    match value {
        Node::String(text) | Node::Number(text) => Some(text.clone()),
        Node::Bool(flag) => Some(flag.to_string()),
        Node::Null | Node::Array(_) | Node::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn node(value: Value) -> Node {
        Node::from_value(&value).unwrap()
    }

    fn encode(name: &str, value: Value) -> Vec<(String, String)> {
        let mut out = Vec::new();
        pairs(name, &node(value), &mut out);
        out
    }

    fn pair(name: &str, value: &str) -> (String, String) {
        (name.to_owned(), value.to_owned())
    }

    #[test]
    fn query_pairs() {
        assert_eq!(encode("a", json!(null)), vec![]);
        assert_eq!(encode("a", json!(true)), vec![pair("a", "true")]);
        assert_eq!(encode("a", json!(1.5)), vec![pair("a", "1.5")]);
        assert_eq!(
            encode("ids", json!(["x", null, 2])),
            vec![pair("ids", "x"), pair("ids", "2")]
        );
        assert_eq!(
            encode("f", json!({"a": 1, "b": {"c": "d"}, "n": null})),
            vec![pair("f[a]", "1"), pair("f[b][c]", "d")]
        );
        assert_eq!(
            encode("items", json!([{"price": "p"}])),
            vec![pair("items[0][price]", "p")]
        );
    }

    #[test]
    fn form_bodies() {
        assert_eq!(
            form(&node(json!({"a": "x y", "b": ["1", "2"], "m": {"k": "&"}}))).unwrap(),
            "a=x+y&b=1&b=2&m%5Bk%5D=%26"
        );
        assert!(form(&node(json!([1]))).is_err());
    }

    #[test]
    fn headers_and_paths() {
        assert_eq!(header_text(&node(json!(null))), None);
        assert_eq!(header_text(&node(json!("v"))).as_deref(), Some("v"));
        assert_eq!(header_text(&node(json!([1, 2]))).as_deref(), Some("1,2"));
        assert_eq!(header_text(&node(json!({"a": 1}))).as_deref(), Some("a,1"));
        assert_eq!(path_segment("a/b?c d#é"), "a%2Fb%3Fc%20d%23%C3%A9");
        assert_eq!(path_segment("cus_1-2.3~"), "cus_1-2.3~");
    }

    #[derive(serde::Serialize)]
    struct Ordered {
        zebra: u8,
        apple: Option<f64>,
        mango: Vec<bool>,
    }

    #[test]
    fn field_order_is_kept_and_round_trips() {
        let value = Ordered {
            zebra: 1,
            apple: Some(0.1),
            mango: vec![true],
        };
        let mut node = Node::from_value(&value).unwrap();
        assert_eq!(form(&node).unwrap(), "zebra=1&apple=0.1&mango=true");
        node.set_field("apple", Node::String("c".into())).unwrap();
        node.set_field("cursor", Node::String("x".into())).unwrap();
        assert_eq!(
            serde_json::to_string(&node).unwrap(),
            r#"{"zebra":1,"apple":"c","mango":[true],"cursor":"x"}"#
        );
        let big = Node::from_json(br#"{"n":18446744073709551615,"m":-5,"f":1e300}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&big).unwrap(),
            r#"{"n":18446744073709551615,"m":-5,"f":1e+300}"#
        );
        assert!(Node::String("s".into()).set_field("a", Node::Null).is_err());
    }
}
