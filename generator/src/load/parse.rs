//! Text → `serde_json::Value`, for YAML and JSON documents alike.
//!
//! YAML is read in one pass over libyaml's events that builds the value and
//! the [`LineIndex`] together, on one thread, so reporting a problem by line
//! never parses the text a second time. The events come from the parser
//! serde_yaml is built on (see [`super::libyaml`]), so both accept the same
//! texts; `tests/yaml_differential.rs` checks it against serde_yaml on real
//! documents and thousands of mutations of them.
//!
//! What the rest of the pipeline relies on:
//! - The pass is a loop with an explicit stack (no recursion), and it refuses
//!   documents nested deeper than [`MAX_DEPTH`] with the pointer of the node
//!   that is too deep, so no later recursive walk can run out of stack
//!   (serde_yaml stops at the same depth).
//! - Scalars are resolved as serde_yaml 0.9 resolves them (its `de.rs`): the
//!   YAML 1.2 core schema for plain scalars, quoted ones are text, the core
//!   tags `!!bool`, `!!int`, `!!float`, `!!null` must parse as what they say,
//!   other `!!` tags give text, and a local tag (`!foo`) is dropped.
//! - Real documents write integers outside the 64-bit range (OpenAI's
//!   `minimum: -9223372036854776000`), which `serde_json::Value` refuses
//!   without the `arbitrary_precision` feature (that feature would leak into
//!   the SDK's build through cargo's feature unification), so such integers
//!   are widened to `f64`. YAML's `.inf` and `.nan` become null.
//! - Non-string mapping keys (`200:` is an integer in YAML) become strings; a
//!   list or mapping as a key is refused, and so is a key written twice in
//!   one mapping (as serde_yaml refuses it: keeping either would lose data).
//! - Aliases are expanded, within serde_yaml's own limit (each alias followed
//!   at most 100 times per event of the document) and a limit of our own on
//!   the nodes they add, which stops alias bombs before memory runs out.
//! - The file must hold one document; a leading byte-order mark is skipped.

use std::collections::HashMap;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use super::libyaml::{Event, Parser};
use super::locate::LineIndex;
use crate::diagnostics::{pointer_of, push_segment, Diagnostic};

/// Deepest nesting of mappings and lists accepted (serde_json and serde_yaml stop at the same depth).
pub const MAX_DEPTH: usize = 128;

/// Most nodes that aliases may add to a document in total (a 2 MB document makes about 200,000).
pub const MAX_ALIAS_NODES: usize = 2_000_000;

/// serde_yaml refuses a document whose aliases are followed more often than this per event.
const JUMPS_PER_EVENT: usize = 100;

/// A parsed document.
#[derive(Debug)]
pub struct Parsed {
    /// The document.
    pub value: Value,
    /// Lines of its nodes; `None` for JSON, whose lines are found only when needed.
    pub lines: Option<LineIndex>,
}

/// Parses a document: a YAML (or JSON) text whose top node is a mapping.
pub fn parse_document(text: &str) -> Result<Parsed, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    let (value, lines) = if trimmed.starts_with('{') {
        // A fast path: JSON is (nearly) YAML too, but serde_json reads it
        // several times faster. It keeps no lines; `line_index` reads the text
        // as YAML for them when a diagnostic needs one. Whatever serde_json
        // refuses is read as YAML, which decides: a YAML flow mapping need
        // not be JSON, and YAML names the pointer of a key written twice or
        // of a node nested too deep.
        match read_json(trimmed) {
            Ok(value) => (value, None),
            Err(e) => match read_yaml(text) {
                Ok((value, lines)) => (value, Some(lines)),
                Err(d) if !d.pointer.is_empty() => return Err(d),
                Err(_) => {
                    let skipped = text[..text.len() - trimmed.len()].matches('\n').count();
                    let mut d = Diagnostic::new("", format!("not valid JSON: {e}"));
                    d.line = Some(e.line() + skipped);
                    return Err(d);
                }
            },
        }
    } else {
        let (value, lines) = read_yaml(text)?;
        (value, Some(lines))
    };
    match value {
        Value::Object(_) => Ok(Parsed { value, lines }),
        other => Err(Diagnostic::new(
            "",
            format!(
                "the document must be a mapping (an OpenAPI object), found {}",
                kind_of(&other)
            ),
        )),
    }
}

/// Reads a YAML text (any top node; an empty text is null) as the loader
/// reads documents, without their line index. A problem comes with its JSON
/// pointer and line. This is the reading that the differential test compares
/// with serde_yaml's.
pub fn parse_yaml_value(text: &str) -> Result<Value, Diagnostic> {
    read_yaml(text).map(|(value, _)| value)
}

/// The lines of a document's nodes (for JSON, which is parsed without them).
pub fn line_index(text: &str) -> Option<LineIndex> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    read_yaml(text).ok().map(|(_, lines)| lines)
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

/// The one reading of YAML: libyaml's events → value and line index.
fn read_yaml(text: &str) -> Result<(Value, LineIndex), Diagnostic> {
    let mut parser = Parser::new(text);
    let mut b = Builder::default();
    let mut documents = 0;
    loop {
        let (event, line) = parser
            .next()
            .map_err(|(message, line)| at_line("", line, format!("not valid YAML: {message}")))?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(at_line(
                        "",
                        line,
                        "the file holds more than one YAML document; put the OpenAPI document alone in it",
                    ));
                }
            }
            Event::Scalar {
                anchor,
                tag,
                value,
                plain,
            } => {
                b.events += 1;
                let scalar = resolve(value, plain, tag.as_deref()).map_err(|m| b.error(line, m))?;
                if let Some(anchor) = anchor {
                    b.anchors.insert(anchor, Anchored::Scalar(scalar.clone()));
                }
                b.place(Node::Scalar(scalar), 0, line)?
            }
            Event::Alias(anchor) => b.alias(&anchor, line)?,
            Event::SequenceStart(anchor) => b.start(Container::Seq(Vec::new()), anchor, line)?,
            Event::MappingStart(anchor) => {
                b.start(Container::Map(Map::new(), None), anchor, line)?
            }
            Event::End => b.end()?,
            Event::Other => {}
        }
    }
    if b.jumps > b.events * JUMPS_PER_EVENT {
        return Err(b.over.unwrap_or_else(|| Diagnostic::new("", "")));
    }
    Ok((b.root.unwrap_or(Value::Null), b.lines))
}

fn at_line(pointer: impl Into<String>, line: usize, message: impl Into<String>) -> Diagnostic {
    let mut d = Diagnostic::new(pointer, message);
    d.line = Some(line);
    d
}

enum Container {
    /// A mapping, and the key whose value comes next.
    Map(Map<String, Value>, Option<String>),
    Seq(Vec<Value>),
}

/// What aliases count on a finished node.
#[derive(Clone, Copy, Default)]
struct Counts {
    /// Nodes in the subtree (for [`MAX_ALIAS_NODES`]).
    nodes: usize,
    /// Aliases followed while reading it, counted as serde_yaml counts them.
    jumps: usize,
    /// Levels of lists and mappings in it (0 for a scalar), for [`MAX_DEPTH`].
    height: usize,
}

struct Frame {
    container: Container,
    anchor: Option<String>,
    /// This node's entry in the line index.
    entry: usize,
    /// For a mapping: the line-index entry and line of the member whose key was just read.
    member: (usize, usize),
    counts: Counts,
}

/// What an anchor names. A scalar keeps its resolution, so that an alias
/// to it can also be a mapping key, as in serde_yaml, which replays it.
enum Anchored {
    /// A list or mapping not finished yet: an alias to it would contain itself.
    Open,
    Scalar(Scalar),
    Node(Value, Counts),
}

/// A node ready to be put in its parent.
enum Node {
    Scalar(Scalar),
    Collection(Value),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    anchors: HashMap<String, Anchored>,
    lines: LineIndex,
    /// Events of the document, aliases followed, and nodes they added.
    events: usize,
    jumps: usize,
    alias_nodes: usize,
    /// Where aliases were first followed more often than the events so far allow.
    over: Option<Diagnostic>,
}

impl Builder {
    /// The JSON pointer of the node being read.
    fn pointer(&self) -> String {
        let segments: Vec<String> = self
            .stack
            .iter()
            .filter_map(|f| match &f.container {
                Container::Map(_, key) => key.clone(),
                Container::Seq(items) => Some(items.len().to_string()),
            })
            .collect();
        pointer_of(segments.iter().map(String::as_str))
    }

    fn error(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        at_line(self.pointer(), line, message)
    }

    /// Whether the next node is a mapping key.
    fn expecting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                container: Container::Map(_, None),
                ..
            })
        )
    }

    /// Opens the line entry of a value node that starts on `line`.
    fn open_value(&mut self, line: usize) -> usize {
        match self.stack.last() {
            Some(Frame {
                container: Container::Map(..),
                member,
                ..
            }) => member.0,
            Some(Frame {
                container: Container::Seq(items),
                ..
            }) => self.lines.open_item(items.len(), line),
            None => self.lines.open("", line),
        }
    }

    fn start(
        &mut self,
        container: Container,
        anchor: Option<String>,
        line: usize,
    ) -> Result<(), Diagnostic> {
        self.events += 1;
        if self.expecting_key() {
            return Err(self.error(line, "a mapping key must be a scalar"));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.too_deep(line));
        }
        if let Some(anchor) = &anchor {
            self.anchors.insert(anchor.clone(), Anchored::Open);
        }
        let entry = self.open_value(line);
        self.stack.push(Frame {
            container,
            anchor,
            entry,
            member: (0, 0),
            counts: Counts {
                nodes: 1,
                jumps: 0,
                height: 1,
            },
        });
        Ok(())
    }

    fn too_deep(&self, line: usize) -> Diagnostic {
        self.error(
            line,
            format!("the document nests deeper than {MAX_DEPTH} levels here; such documents are refused"),
        )
    }

    fn end(&mut self) -> Result<(), Diagnostic> {
        self.events += 1;
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        self.lines.close(frame.entry);
        let value = match frame.container {
            Container::Map(map, _) => Value::Object(map),
            Container::Seq(items) => Value::Array(items),
        };
        if let Some(anchor) = frame.anchor {
            self.anchors
                .insert(anchor, Anchored::Node(value.clone(), frame.counts));
        }
        self.attach(value, frame.counts)
    }

    fn alias(&mut self, name: &str, line: usize) -> Result<(), Diagnostic> {
        self.events += 1;
        let (node, counts) = match self.anchors.get(name) {
            None => return Err(self.error(line, format!("alias `*{name}` to an unknown anchor"))),
            Some(Anchored::Open) => {
                return Err(self.error(line, format!("alias `*{name}` inside the node it names")))
            }
            Some(Anchored::Scalar(s)) => (Node::Scalar(s.clone()), Counts::default()),
            Some(Anchored::Node(value, counts)) => (Node::Collection(value.clone()), *counts),
        };
        self.jumps += 1 + counts.jumps;
        if self.jumps > self.events * JUMPS_PER_EVENT && self.over.is_none() {
            self.over = Some(self.error(
                line,
                "aliases are followed too often (serde_yaml's repetition limit)",
            ));
        }
        self.alias_nodes += counts.nodes;
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(self.error(
                line,
                format!(
                    "aliases expand the document beyond {MAX_ALIAS_NODES} nodes (an alias bomb?)"
                ),
            ));
        }
        if self.stack.len() + counts.height > MAX_DEPTH {
            return Err(self.too_deep(line));
        }
        match node {
            Node::Collection(value) if !self.expecting_key() => {
                let entry = self.open_value(line);
                self.lines.close(entry);
                self.attach(
                    value,
                    Counts {
                        jumps: 1 + counts.jumps,
                        ..counts
                    },
                )
            }
            node => self.place(node, 1, line),
        }
    }

    /// Puts a scalar (or an alias to a collection, as a key) where the next node goes.
    fn place(&mut self, node: Node, jumps: usize, line: usize) -> Result<(), Diagnostic> {
        let scalar = match node {
            Node::Scalar(s) => s,
            Node::Collection(_) => return Err(self.error(line, "a mapping key must be a scalar")),
        };
        if !self.expecting_key() {
            let entry = self.open_value(line);
            self.lines.close(entry);
            let counts = Counts {
                nodes: 1,
                jumps,
                height: 0,
            };
            return self.attach(scalar.into_value(), counts);
        }
        let key = scalar.into_key();
        let entry = self.lines.open(&key, line);
        if let Some(frame) = self.stack.last_mut() {
            frame.member = (entry, line);
            frame.counts.jumps += jumps;
            if let Container::Map(_, slot) = &mut frame.container {
                *slot = Some(key);
            }
        }
        Ok(())
    }

    /// Puts a finished node into its parent.
    fn attach(&mut self, value: Value, counts: Counts) -> Result<(), Diagnostic> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(value);
            return Ok(());
        };
        frame.counts.nodes += counts.nodes;
        frame.counts.jumps += counts.jumps;
        frame.counts.height = frame.counts.height.max(counts.height + 1);
        let line = frame.member.1;
        let (map, key) = match &mut frame.container {
            Container::Seq(items) => {
                items.push(value);
                return Ok(());
            }
            Container::Map(map, key) => (map, key.take().unwrap_or_default()),
        };
        let key = match map.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(value);
                return Ok(());
            }
            Entry::Occupied(slot) => slot.key().clone(),
        };
        let mut pointer = self.pointer();
        push_segment(&mut pointer, &key);
        Err(at_line(
            pointer,
            line,
            format!("the key `{key}` is written twice in this mapping"),
        ))
    }
}

/// A resolved scalar.
#[derive(Clone)]
enum Scalar {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    /// Integers beyond 64 bits, and floats.
    F64(f64),
    Str(String),
}

impl Scalar {
    fn into_value(self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::U64(n) => Value::Number(n.into()),
            Scalar::I64(n) => Value::Number(n.into()),
            // JSON has no NaN or infinity; YAML's `.nan` / `.inf` become null.
            Scalar::F64(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
            Scalar::Str(s) => Value::String(s),
        }
    }

    /// Mapping keys: strings, or scalars rendered as text (`200` → `"200"`, `~` → `"null"`).
    fn into_key(self) -> String {
        match self {
            Scalar::Null => "null".to_owned(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::U64(n) => n.to_string(),
            Scalar::I64(n) => n.to_string(),
            Scalar::F64(f) => f.to_string(),
            Scalar::Str(s) => s,
        }
    }
}

/// What a scalar means, as serde_yaml's `visit_scalar` decides it.
fn resolve(text: String, plain: bool, tag: Option<&str>) -> Result<Scalar, String> {
    let what = match tag {
        // serde_yaml reads a value with a local tag (`!foo`) as an untagged one.
        None => return Ok(untagged(text, plain)),
        Some(t) if t.starts_with('!') => return Ok(untagged(text, plain)),
        Some("tag:yaml.org,2002:bool") => parse_bool(&text).map(Scalar::Bool).ok_or("a boolean"),
        Some("tag:yaml.org,2002:int") => int(&text).ok_or("an integer"),
        Some("tag:yaml.org,2002:float") => parse_f64(&text).map(Scalar::F64).ok_or("a float"),
        Some("tag:yaml.org,2002:null") => parse_null(&text).then_some(Scalar::Null).ok_or("null"),
        Some(_) => return Ok(Scalar::Str(text)),
    };
    what.map_err(|what| {
        format!(
            "`{text}` is tagged `{}` but is not {what}",
            tag.unwrap_or("")
        )
    })
}

/// A scalar without a core tag: plain ones by the YAML 1.2 core schema, quoted ones are text.
fn untagged(text: String, plain: bool) -> Scalar {
    // Only these first characters can start anything but a string.
    let maybe_special = text.as_bytes().first().map_or(true, |b| {
        matches!(
            b,
            b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F'
        )
    });
    if !plain || !maybe_special {
        return Scalar::Str(text);
    }
    if text.is_empty() || parse_null(&text) {
        return Scalar::Null;
    }
    if let Some(b) = parse_bool(&text) {
        return Scalar::Bool(b);
    }
    if let Some(n) = int(&text) {
        return n;
    }
    if !digits_but_not_number(&text) {
        if let Some(f) = parse_f64(&text) {
            return Scalar::F64(f);
        }
    }
    Scalar::Str(text)
}

// The functions below follow serde_yaml 0.9.34 (`de.rs`).

fn parse_null(s: &str) -> bool {
    matches!(s, "null" | "Null" | "NULL" | "~")
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn int(s: &str) -> Option<Scalar> {
    if let Some(n) = parse_unsigned_int(s, u64::from_str_radix) {
        return Some(Scalar::U64(n));
    }
    if let Some(n) = parse_negative_int(s, i64::from_str_radix) {
        return Some(Scalar::I64(n));
    }
    if let Some(n) = parse_unsigned_int(s, u128::from_str_radix) {
        return Some(Scalar::F64(n as f64));
    }
    if let Some(n) = parse_negative_int(s, i128::from_str_radix) {
        return Some(Scalar::F64(n as f64));
    }
    None
}

type Radix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

fn parse_unsigned_int<T>(s: &str, from_str_radix: Radix<T>) -> Option<T> {
    let unpositive = s.strip_prefix('+').unwrap_or(s);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(n) = from_str_radix(rest, radix) {
                return Some(n);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(s) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

fn parse_negative_int<T>(s: &str, from_str_radix: Radix<T>) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = s.strip_prefix(prefix) {
            if let Ok(n) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(n);
            }
        }
    }
    if digits_but_not_number(s) {
        return None;
    }
    from_str_radix(s, 10).ok()
}

fn parse_f64(s: &str) -> Option<f64> {
    let unpositive = match s.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => s,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = s {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = s {
        return Some(f64::NAN);
    }
    unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Leading zeros followed by digits are a string in YAML 1.2 (`0123`).
fn digits_but_not_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    s.len() > 1 && s.starts_with('0') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

/// serde_json's reading of `text`, except that a key written twice in one
/// object is an error, as it is in YAML.
fn read_json(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Json.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

struct Json;

impl<'de> DeserializeSeed<'de> for Json {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Json {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
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
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
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
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Json)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(Json)?;
            if map.insert(key, value).is_some() {
                return Err(de::Error::custom("a key is written twice in one object"));
            }
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        parse_document(text).unwrap().value
    }

    #[test]
    fn integers_beyond_i64_are_widened() {
        let v = value("a:\n  minimum: -9223372036854776000\n  max: 18446744073709551616\n");
        assert_eq!(v["a"]["minimum"].as_f64(), Some(-9223372036854776000.0));
        assert!(v["a"]["max"].is_f64());
    }

    #[test]
    fn scalar_keys_become_strings() {
        let v = value("responses:\n  200:\n    description: ok\n  1.0: x\n  true: y\n  ~: z\n  &k 0x10: w\nalias: *k\n");
        assert_eq!(v["responses"]["200"]["description"], "ok");
        assert_eq!(v["responses"]["1"], "x");
        assert_eq!(v["responses"]["true"], "y");
        assert_eq!(v["responses"]["null"], "z");
        assert_eq!(v["responses"]["16"], "w");
        assert_eq!(
            v["alias"], 16,
            "an anchored key is still a number as a value"
        );
    }

    #[test]
    fn scalars_resolve_like_serde_yaml() {
        let v = value(
            "a: [1, -2, 0x1f, 0o17, 0b11, 1.5, 1e3, .inf, .nan, 0123, +7, true, False, ~, null, '', '5', \"true\", 2001-01-01, !!str 5, !foo 6, !!int '7', !foo '8']\nb:\nc: name\n",
        );
        let expected = serde_json::json!([
            1,
            -2,
            31,
            15,
            3,
            1.5,
            1000.0,
            null,
            null,
            "0123",
            7,
            true,
            false,
            null,
            null,
            "",
            "5",
            "true",
            "2001-01-01",
            "5",
            6,
            7,
            "8"
        ]);
        assert_eq!(v["a"], expected);
        assert_eq!(v["b"], Value::Null);
        assert_eq!(v["c"], "name");
        let err = parse_document("a: !!int seven\n").unwrap_err();
        assert!(err.message.contains("is not an integer"), "{err}");
        assert_eq!((err.pointer.as_str(), err.line), ("/a", Some(1)));
    }

    #[test]
    fn a_flow_mapping_may_close_at_its_keys_indentation() {
        let text = "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses: {\n        \"200\": {description: ok}\n      }\n";
        let v = value(text);
        assert_eq!(
            v["paths"]["/a"]["get"]["responses"]["200"]["description"],
            "ok"
        );
    }

    #[test]
    fn aliases_are_expanded() {
        let v = value("a: &x {b: 1}\nc: *x\nd: &s text\ne: *s\n*s : key\n");
        assert_eq!(v["c"]["b"], 1);
        assert_eq!(v["e"], "text");
        assert_eq!(v["text"], "key");
        let err = parse_document("a: &x [1, *x]\n").unwrap_err();
        assert!(err.message.contains("inside the node it names"), "{err}");
        let err = parse_document("a: *nowhere\n").unwrap_err();
        assert!(err.message.contains("unknown anchor"), "{err}");
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = format!("*a{}", i - 1);
            text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        let err = parse_document(&text).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{err}");
        assert!(err.pointer.starts_with("/a"), "{err}");
        // serde_yaml's own limit: a small document whose aliases repeat a lot.
        let mut text = String::from("a: &a x\n");
        for (name, prev) in [("b", "a"), ("c", "b"), ("d", "c"), ("e", "d")] {
            text.push_str(&format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 10].join(", ")
            ));
        }
        let err = parse_document(&text).unwrap_err();
        assert!(err.message.contains("repetition limit"), "{err}");
        assert!(
            err.pointer.starts_with("/e/") && err.line == Some(5),
            "{err}"
        );
    }

    #[test]
    fn keys_written_twice_are_refused() {
        let err = parse_document("a:\n  b: 1\n  c: 2\n  b: 3\n").unwrap_err();
        assert_eq!((err.pointer.as_str(), err.line), ("/a/b", Some(4)));
        assert!(err.message.contains("written twice"), "{err}");
        let err = parse_document("{\"a\": {\"b\": 1,\n \"b\": 2}}").unwrap_err();
        assert_eq!((err.pointer.as_str(), err.line), ("/a/b", Some(2)));
        assert!(parse_document("a: {1: x, '1': y}\n").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_with_a_pointer() {
        let depth = 100_000;
        let text = format!("a: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        let err = parse_document(&text).unwrap_err();
        assert!(err.message.contains("deeper than"), "{err}");
        assert!(err.pointer.starts_with("/a/0/0"), "{err}");
        let block: String = (0..200)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect();
        let err = parse_document(&block).unwrap_err();
        assert!(err.message.contains("deeper than"), "{err}");
        assert!(err.pointer.starts_with("/k/k/k/k"), "{err}");
        let json = format!("{{\"a\": {}1{}}}", "[".repeat(depth), "]".repeat(depth));
        let err = parse_document(&json).unwrap_err();
        assert!(err.message.contains("deeper than"), "{err}");
        assert!(
            err.pointer.starts_with("/a/0/0") && err.line == Some(1),
            "{err}"
        );
        // An alias counts the depth of what it names where it is used.
        let nested = format!("a: &x {}1{}\n", "[".repeat(100), "]".repeat(100));
        assert!(parse_document(&format!("{nested}b: *x\n")).is_ok());
        let deeper = format!("{nested}b: {}*x{}\n", "[".repeat(28), "]".repeat(28));
        let err = parse_document(&deeper).unwrap_err();
        assert!(err.message.contains("deeper than"), "{err}");
    }

    #[test]
    fn json_is_read_with_lines() {
        let err = parse_document("{\n \"a\": 1,\n \"b\": [}").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.starts_with("not valid JSON"), "{err}");
        let err = parse_document("\n\n{\n \"a\": 1,\n \"b\": [}").unwrap_err();
        assert_eq!(err.line, Some(5), "leading blank lines count");
        // Not JSON (a missing value) but YAML: `b` is null.
        assert_eq!(value("{\"a\": 1, \"b\": }")["b"], Value::Null);
        // Not JSON, but a YAML flow mapping.
        assert_eq!(value("{a: 1, b: [x]} # c\n")["b"][0], "x");
        // JSON that libyaml refuses (a surrogate pair) is read all the same.
        assert_eq!(value("{\"a\": \"\\ud83d\\udc4d\"}")["a"], "\u{1f44d}");
    }

    #[test]
    fn yaml_errors_name_their_line() {
        let err = parse_document("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(err.message.starts_with("not valid YAML"), "{err}");
        assert!(err.line.is_some());
        let err = parse_document("a: 1\nb: \u{1}\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
    }

    #[test]
    fn several_documents_are_refused() {
        let err = parse_document("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(err.message.contains("more than one"), "{err}");
    }

    #[test]
    fn non_mapping_documents_are_refused() {
        let err = parse_document("just a sentence").unwrap_err();
        assert!(err.message.contains("must be a mapping"), "{err}");
        let err = parse_document("").unwrap_err();
        assert!(err.message.contains("must be a mapping"), "{err}");
        assert_eq!(value("\u{feff}a: 1\n")["a"], 1);
    }

    #[test]
    fn complex_keys_are_refused() {
        let err = parse_document("? [a, b]\n: 1\n").unwrap_err();
        assert!(err.message.contains("key must be a scalar"), "{err}");
        let err = parse_document("a: &x [1]\n*x : 2\n").unwrap_err();
        assert!(err.message.contains("key must be a scalar"), "{err}");
    }
}
