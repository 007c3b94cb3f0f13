//! Text → `serde_json::Value`, for YAML and JSON documents alike.
//!
//! YAML is read in one pass over libyaml's events (see [`super::libyaml`])
//! that builds the value and the [`LineIndex`] together, on one thread. It
//! reads as serde_yaml 0.9 reads (`tests/yaml_differential.rs` compares both
//! on real documents and thousands of mutations of them), which is what the
//! rest of the pipeline relies on:
//! - scalars resolve as in serde_yaml's `de.rs` (YAML 1.2 core schema; the
//!   core tags must parse as what they say; a local tag `!foo` is dropped);
//! - integers beyond 64 bits (OpenAI's `minimum: -9223372036854776000`) are
//!   widened to `f64`, as `serde_json::Value` holds no others without the
//!   `arbitrary_precision` feature, which would leak into the SDK's build;
//!   `.inf` and `.nan` become null;
//! - scalar keys become strings (`200` → `"200"`, `~` → `"null"`); a list or
//!   mapping as a key, and a key written twice, are refused (serde_yaml
//!   refuses the latter too: keeping either value would lose data);
//! - aliases are expanded within serde_yaml's limit (each followed at most
//!   100 times per event) and ours on the nodes they add (alias bombs);
//! - nesting deeper than [`MAX_DEPTH`] is refused with the pointer of the
//!   node, so no later recursive walk runs out of stack; the pass itself is
//!   a loop with an explicit stack;
//! - one document per file; a leading byte-order mark is skipped.

use std::collections::HashMap;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use super::libyaml::{Event, Parser, ScalarEvent};
use super::locate::LineIndex;
use crate::diagnostics::{pointer_of, push_segment, Diagnostic};

/// Deepest nesting of mappings and lists accepted (serde_json and serde_yaml stop at the same depth).
pub const MAX_DEPTH: usize = 128;

/// Most nodes that aliases may add to a document in total (a 2 MB document makes about 200,000).
pub const MAX_ALIAS_NODES: usize = 2_000_000;

/// serde_yaml refuses a document whose aliases are followed more often than this per event.
const JUMPS_PER_EVENT: usize = 100;

/// Parses a document, a YAML (or JSON) text whose top node is a mapping,
/// with the lines of its nodes (`None` for JSON: see below).
pub fn parse_document(text: &str) -> Result<(Value, Option<LineIndex>), Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    let (value, lines) = if trimmed.starts_with('{') {
        // A fast path: JSON is (nearly) YAML too, but serde_json reads it
        // several times faster. It keeps no lines: `line_index` reads the
        // text as YAML for them when a diagnostic needs one. What serde_json
        // refuses (a key written twice included) is read as YAML, which
        // decides: a YAML flow mapping need not be JSON, and YAML names the
        // pointer of a key written twice or of a node too deep.
        match read_json(trimmed) {
            Ok(value) => (value, None),
            Err(json) => match read_yaml(text) {
                Ok((value, lines)) => (value, Some(lines)),
                Err(d) if !d.pointer.is_empty() => return Err(d),
                Err(_) => {
                    let skipped = text[..text.len() - trimmed.len()].matches('\n').count();
                    return Err(at_line(
                        "",
                        json.line() + skipped,
                        format!("not valid JSON: {json}"),
                    ));
                }
            },
        }
    } else {
        let (value, lines) = read_yaml(text)?;
        (value, Some(lines))
    };
    let found = match value {
        Value::Object(_) => return Ok((value, lines)),
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
    };
    let message = format!("the document must be a mapping (an OpenAPI object), found {found}");
    Err(Diagnostic::new("", message))
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

/// The one reading of YAML: libyaml's events → value and line index.
fn read_yaml(text: &str) -> Result<(Value, LineIndex), Diagnostic> {
    let mut parser = Parser::new(text);
    let mut b = Builder::default();
    let mut started = false;
    loop {
        let (event, line) = parser
            .next()
            .map_err(|(message, line)| at_line("", line, format!("not valid YAML: {message}")))?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart if std::mem::replace(&mut started, true) => {
                let message = "the file holds more than one YAML document; put the OpenAPI document alone in it";
                return Err(at_line("", line, message));
            }
            Event::Scalar(s) => b.scalar(s, line)?,
            Event::Alias(a) => b.alias(&a, line)?,
            Event::SequenceStart(a) => b.start(Container::Seq(Vec::new()), a, line)?,
            Event::MappingStart(a) => b.start(Container::Map(Map::new(), None), a, line)?,
            Event::End => b.end(line)?,
            Event::DocumentStart | Event::Other => {}
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

/// What a node's reading left to go on: `Ok`, or the problem.
type Done = Result<(), Diagnostic>;

/// What aliases count on a node.
#[derive(Clone, Copy)]
struct Counts {
    /// Nodes in it (for [`MAX_ALIAS_NODES`]).
    nodes: usize,
    /// Aliases followed while reading it, counted as serde_yaml counts them.
    jumps: usize,
    /// Levels of lists and mappings in it (0 for a scalar), for [`MAX_DEPTH`].
    height: usize,
}

const fn counts(nodes: usize, jumps: usize, height: usize) -> Counts {
    Counts {
        nodes,
        jumps,
        height,
    }
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

/// A finished node, and what an anchor names: a scalar keeps its resolution,
/// so that an alias to it can also be a key (serde_yaml replays it).
#[derive(Clone)]
enum Node {
    Scalar(Scalar),
    Collection(Value),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    /// Anchors of finished nodes (an alias to an unfinished one would contain itself).
    anchors: HashMap<String, (Node, Counts)>,
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

    fn too_deep(&self, line: usize) -> Diagnostic {
        let message = format!("the document nests deeper than {MAX_DEPTH} levels here; refused");
        self.error(line, message)
    }

    /// Whether the next node is a mapping key.
    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(f) if matches!(f.container, Container::Map(_, None)))
    }

    /// Opens the line entry of a value node that starts on `line`.
    fn open_value(&mut self, line: usize) -> usize {
        match self.stack.last() {
            Some(f) => match &f.container {
                Container::Map(..) => f.member.0,
                Container::Seq(items) => self.lines.open(&items.len().to_string(), line),
            },
            None => self.lines.open("", line),
        }
    }

    fn start(&mut self, container: Container, anchor: Option<String>, line: usize) -> Done {
        self.events += 1;
        if self.expecting_key() {
            return Err(self.error(line, "a mapping key must be a scalar"));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.too_deep(line));
        }
        if let Some(anchor) = &anchor {
            self.anchors.remove(anchor);
        }
        let entry = self.open_value(line);
        let (member, counts) = ((0, 0), counts(1, 0, 1));
        let frame = Frame {
            container,
            anchor,
            entry,
            member,
            counts,
        };
        self.stack.push(frame);
        Ok(())
    }

    fn end(&mut self, line: usize) -> Done {
        self.events += 1;
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let node = Node::Collection(match frame.container {
            Container::Map(map, _) => Value::Object(map),
            Container::Seq(items) => Value::Array(items),
        });
        if let Some(anchor) = frame.anchor {
            self.anchors.insert(anchor, (node.clone(), frame.counts));
        }
        self.put(node, frame.counts, line, Some(frame.entry))
    }

    fn scalar(&mut self, s: ScalarEvent, line: usize) -> Done {
        self.events += 1;
        let scalar =
            resolve(s.value, s.plain, s.tag.as_deref()).map_err(|m| self.error(line, m))?;
        let node = Node::Scalar(scalar);
        if let Some(anchor) = s.anchor {
            self.anchors.insert(anchor, (node.clone(), counts(1, 0, 0)));
        }
        self.put(node, counts(1, 0, 0), line, None)
    }

    fn alias(&mut self, name: &str, line: usize) -> Done {
        self.events += 1;
        let Some((node, anchored)) = self.anchors.get(name).cloned() else {
            let message = format!("alias `*{name}` to an unknown anchor, or inside its node");
            return Err(self.error(line, message));
        };
        let counts = counts(anchored.nodes, 1 + anchored.jumps, anchored.height);
        self.jumps += counts.jumps;
        if self.jumps > self.events * JUMPS_PER_EVENT && self.over.is_none() {
            let message = "aliases are followed too often (serde_yaml's repetition limit)";
            self.over = Some(self.error(line, message));
        }
        self.alias_nodes += counts.nodes;
        if self.alias_nodes > MAX_ALIAS_NODES {
            let message = format!(
                "aliases expand the document beyond {MAX_ALIAS_NODES} nodes (an alias bomb?)"
            );
            return Err(self.error(line, message));
        }
        if self.stack.len() + counts.height > MAX_DEPTH {
            return Err(self.too_deep(line));
        }
        self.put(node, counts, line, None)
    }

    /// Puts a finished node where the next one goes: the pending key of a
    /// mapping, or a value (whose line entry, for a list or mapping, is `entry`).
    fn put(&mut self, node: Node, counts: Counts, line: usize, entry: Option<usize>) -> Done {
        if self.expecting_key() {
            let Node::Scalar(key) = node else {
                return Err(self.error(line, "a mapping key must be a scalar"));
            };
            let key = key.into_key();
            let member = self.lines.open(&key, line);
            if let Some(frame) = self.stack.last_mut() {
                frame.member = (member, line);
                frame.counts.jumps += counts.jumps;
                if let Container::Map(_, slot) = &mut frame.container {
                    *slot = Some(key);
                }
            }
            return Ok(());
        }
        let entry = entry.unwrap_or_else(|| self.open_value(line));
        self.lines.close(entry);
        let value = match node {
            Node::Scalar(s) => s.into_value(),
            Node::Collection(v) => v,
        };
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
        let message = format!("the key `{key}` is written twice in this mapping");
        Err(at_line(pointer, line, message))
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
    let wide = |n: f64| Scalar::F64(n);
    (parse_unsigned_int(s, u64::from_str_radix).map(Scalar::U64))
        .or_else(|| parse_negative_int(s, i64::from_str_radix).map(Scalar::I64))
        .or_else(|| parse_unsigned_int(s, u128::from_str_radix).map(|n| wide(n as f64)))
        .or_else(|| parse_negative_int(s, i128::from_str_radix).map(|n| wide(n as f64)))
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

/// serde_json's reading of `text`, refusing a key written twice (serde_json's
/// own `Value` would keep the last and lose the first without a word).
fn read_json(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = UniqueKeys.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Builds a `serde_json::Value` as serde_json does, but fails on a repeated key.
struct UniqueKeys;

impl<'de> DeserializeSeed<'de> for UniqueKeys {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
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
        while let Some(item) = seq.next_element_seed(UniqueKeys)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            match out.entry(key) {
                Entry::Occupied(e) => {
                    let message = format!("the key `{}` is written twice", e.key());
                    return Err(serde::de::Error::custom(message));
                }
                Entry::Vacant(e) => {
                    e.insert(map.next_value_seed(UniqueKeys)?);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values are checked against serde_yaml by `tests/yaml_differential.rs`;
    /// these check the loader's own words: message, pointer and line.
    #[test]
    fn problems_name_their_pointer_and_line() {
        let [open, close] = ["[", "]"].map(|b| b.repeat(100_000));
        let deep = format!("a: {open}1{close}\n");
        let deep_json = format!("{{\"a\": {open}1{close}}}");
        let block: String = (0..200)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect();
        let [open, close] = ["[", "]"].map(|b| b.repeat(100));
        let aliased_deep = format!(
            "a: &x {open}1{close}\nb: {}*x{}\n",
            &open[..28],
            &close[..28]
        );
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        let mut repeats = String::from("a: &a x\n");
        for i in 1..9 {
            bomb += &format!(
                "a{i}: &a{i} [{}]\n",
                vec![format!("*a{}", i - 1); 10].join(", ")
            );
        }
        for (name, prev) in [("b", "a"), ("c", "b"), ("d", "c"), ("e", "d")] {
            repeats += &format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 10].join(", ")
            );
        }
        for (text, message, pointer, line) in [
            ("a: !!int seven\n", "is not an integer", "/a", 1),
            ("a:\n  b: 1\n  c: 2\n  b: 3\n", "written twice", "/a/b", 4),
            (
                "{\"a\": {\"b\": 1,\n \"b\": 2}}",
                "written twice",
                "/a/b",
                2,
            ),
            ("a: &x [1, *x]\n", "unknown anchor", "/a/1", 1),
            ("? [a, b]\n: 1\n", "key must be a scalar", "", 1),
            ("a: &x [1]\n*x : 2\n", "key must be a scalar", "", 2),
            (&deep, "deeper than 128", "/a/0/0/0", 1),
            (&deep_json, "deeper than 128", "/a/0/0/0", 1),
            (&block, "deeper than 128", "/k/k/k/k", 129),
            (&aliased_deep, "deeper than 128", "/b/0/0", 2),
            (&bomb, "alias bomb", "/a", 7),
            (&repeats, "repetition limit", "/e/", 5),
            ("a: 1\nb: [1, 2\nc: 3\n", "not valid YAML", "", 3),
            ("a: 1\nb: \u{1}\n", "not valid YAML", "", 2),
            ("a: 1\n---\nb: 2\n", "more than one", "", 2),
            ("{\n \"a\": 1,\n \"b\": [}", "not valid JSON", "", 3),
            ("\n\n{\n \"a\": 1,\n \"b\": [}", "not valid JSON", "", 5),
            ("just a sentence", "must be a mapping", "", 0),
        ] {
            let err = parse_document(text).unwrap_err();
            let at = (
                err.message.contains(message),
                err.pointer.starts_with(pointer),
            );
            assert_eq!(at, (true, true), "{err} for {:.60?}", text);
            assert_eq!(err.line.unwrap_or(0), line, "{err} for {:.60?}", text);
        }
    }

    #[test]
    fn json_is_read_as_json_and_what_it_refuses_as_yaml() {
        let read = |text| parse_document(text).unwrap();
        let (json, lines) = read("{\"a\": \"\\ud83d\\udc4d\", \"b\": [1]}");
        assert_eq!(
            (json["a"].as_str(), lines.is_none()),
            (Some("\u{1f44d}"), true)
        );
        let index = line_index("{\n\"a\": {\n \"b\": [1,\n 2]}}").unwrap();
        assert_eq!(index.line_of("/a/b/1"), Some(4));
        assert_eq!(read("{\"a\": 1, \"b\": } # YAML\n").0["b"], Value::Null);
        assert_eq!(read("\u{feff}a: 1\n").0["a"], 1);
    }
}
