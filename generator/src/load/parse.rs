//! Text → `serde_json::Value`, for YAML and JSON documents alike.
//!
//! YAML is read in one pass over yaml-rust2's events that builds the value and
//! the [`LineIndex`] together, so reporting a problem by line never parses the
//! text a second time. The pass is a loop with an explicit stack (no recursion),
//! and it refuses documents nested deeper than [`MAX_DEPTH`], so no later
//! recursive walk can run out of stack. Scalars are resolved as serde_yaml
//! resolves them (YAML 1.2 core schema). Real documents write integers outside
//! the 64-bit range (OpenAI's `minimum: -9223372036854776000`), which
//! `serde_json::Value` refuses without the `arbitrary_precision` feature (that
//! feature would leak into the SDK's build through cargo's feature
//! unification), so such integers are widened to `f64`. Non-string mapping keys
//! (`200:` is an integer in YAML) become strings; aliases are expanded, up to a
//! limit that stops alias bombs.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

use rayon::prelude::*;

use super::locate::{Graft, LineIndex};
use super::split;
use crate::diagnostics::{pointer_of, Diagnostic};

/// Deepest nesting of mappings and lists accepted (serde_json and serde_yaml stop at the same depth).
pub const MAX_DEPTH: usize = 128;

/// Shortest `paths` block worth reading in pieces: below this, starting the
/// pieces costs about what it saves.
const SPLIT_MIN_LEN: usize = 64 * 1024;

/// Most nodes that aliases may add to a document in total (a 2 MB document makes about 200,000).
const MAX_ALIAS_NODES: usize = 2_000_000;

/// A parsed document.
#[derive(Debug)]
pub struct Parsed {
    /// The document.
    pub value: Value,
    /// Lines of its nodes; `None` for JSON, whose lines are found only when needed.
    pub lines: Option<LineIndex>,
}

/// Parses `text` as JSON when it looks like JSON, else as YAML.
pub fn parse_document(text: &str) -> Result<Parsed, Diagnostic> {
    let text = text.trim_start_matches('\u{feff}');
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        // JSON is (nearly) YAML too, but serde_json is much faster.
        return match serde_json::from_str(trimmed) {
            Ok(value) => Ok(Parsed { value, lines: None }),
            Err(e) => {
                if e.to_string().starts_with("recursion limit exceeded") {
                    // Say where: the YAML reader names the pointer of the node that is too deep.
                    parse_yaml(text)?;
                }
                let skipped = text[..text.len() - trimmed.len()].matches('\n').count();
                let mut d = Diagnostic::new("", format!("not valid JSON: {e}"));
                d.line = Some(e.line() + skipped);
                Err(d)
            }
        };
    }
    let (value, lines) = match parse_yaml_split(text) {
        Some(read) => read,
        None => parse_yaml(text)?,
    };
    match value {
        Value::Object(_) => Ok(Parsed {
            value,
            lines: Some(lines),
        }),
        other => Err(Diagnostic::new(
            "",
            format!(
                "the document must be a mapping (an OpenAPI object), found {}",
                kind_of(&other)
            ),
        )),
    }
}

/// The lines of a document's nodes (for JSON, which is parsed without them).
pub fn line_index(text: &str) -> Option<LineIndex> {
    parse_yaml(text.trim_start_matches('\u{feff}'))
        .ok()
        .map(|(_, lines)| lines)
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

fn parse_yaml(text: &str) -> Result<(Value, LineIndex), Diagnostic> {
    read_yaml(text, 0).map(|read| (read.value, read.lines))
}

/// A YAML text read into a value.
struct Read {
    value: Value,
    lines: LineIndex,
    /// Nodes that aliases added.
    alias_nodes: usize,
}

/// Reads YAML whose top node sits `base_depth` levels deep in the document.
fn read_yaml(text: &str, base_depth: usize) -> Result<Read, Diagnostic> {
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder {
        base_depth,
        ..Builder::default()
    };
    let mut documents = 0;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| syntax_error(e, &b))?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(at_line(
                        "",
                        mark,
                        "the file holds more than one YAML document; put the OpenAPI document alone in it",
                    ));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                b.scalar(text, style, anchor, tag.as_ref(), mark)?
            }
            Event::Alias(id) => b.alias(id, mark)?,
            Event::MappingStart(anchor, _) => {
                b.start(Container::Map(Map::new(), None), anchor, mark)?
            }
            Event::SequenceStart(anchor, _) => b.start(Container::Seq(Vec::new()), anchor, mark)?,
            Event::MappingEnd | Event::SequenceEnd => b.end(),
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    Ok(Read {
        value: b.root.unwrap_or(Value::Null),
        lines: b.lines,
        alias_nodes: b.alias_nodes,
    })
}

/// Reads a large document with its `paths` items cut into pieces read in
/// parallel (see [`split`]); `None` when it cannot be cut, or when any piece
/// does not read cleanly on its own, and the caller reads it in one pass.
fn parse_yaml_split(text: &str) -> Option<(Value, LineIndex)> {
    let threads = rayon::current_num_threads();
    // On one core the pieces would only add work.
    (threads > 1).then(|| read_split(text, threads * 2, SPLIT_MIN_LEN))?
}

/// [`parse_yaml_split`] with about `pieces` pieces, for a `paths` block of at least `min_len` bytes.
fn read_split(text: &str, pieces: usize, min_len: usize) -> Option<(Value, LineIndex)> {
    let split = split::split(text, pieces, min_len)?;
    let (rest, pieces) = rayon::join(
        || read_yaml(&split.rest, 0).ok(),
        || {
            split
                .pieces
                .par_iter()
                .map(|p| read_yaml(&p.source(), 1).ok())
                .collect::<Option<Vec<_>>>()
        },
    );
    let (mut rest, pieces) = (rest?, pieces?);
    let alias_nodes = rest.alias_nodes + pieces.iter().map(|p| p.alias_nodes).sum::<usize>();
    // Exactly the `paths` key that was cut, left empty, and pieces that are
    // mappings with no key written twice (so their preludes come first).
    let [(entry, line)] = rest.lines.root_members("paths")[..] else {
        return None;
    };
    let whole = |p: &Read| {
        p.value
            .as_object()
            .is_some_and(|m| m.len() == p.lines.root_member_count())
    };
    if line != split.paths_line || alias_nodes > MAX_ALIAS_NODES || !pieces.iter().all(whole) {
        return None;
    }
    let slot = rest.value.as_object_mut()?.get_mut("paths")?;
    if !slot.is_null() {
        return None;
    }
    let mut items = Map::new();
    let mut grafts = Vec::with_capacity(pieces.len());
    for (read, piece) in pieces.into_iter().zip(&split.pieces) {
        let Value::Object(mut map) = read.value else {
            return None;
        };
        // The closing member must be the last, and the prelude's items (read
        // again where they belong) the first.
        let skip = piece.prelude.len();
        if map.keys().next_back().map(String::as_str) != Some(split::END_KEY) || map.len() <= skip {
            return None;
        }
        // The last entry: removing it moves no other.
        map.remove(split::END_KEY);
        let members = skip..map.len();
        items.extend(map.into_iter().skip(skip));
        grafts.push(Graft {
            index: read.lines,
            members,
            line_offset: piece.lines_before as i64 - piece.prelude_lines() as i64,
        });
    }
    *slot = Value::Object(items);
    rest.lines.graft(entry, grafts);
    Some((rest.value, rest.lines))
}

fn syntax_error(e: ScanError, b: &Builder) -> Diagnostic {
    let m = e.marker();
    if e.info().contains("recursion limit") {
        // yaml-rust2 looks ahead through flow collections (`[[[...`) and stops at its own limit.
        return at_line(
            b.pointer(),
            *m,
            format!("the document nests deeper than {MAX_DEPTH} levels here; such documents are refused"),
        );
    }
    at_line(
        "",
        *m,
        format!(
            "not valid YAML: {} at line {} column {}",
            e.info(),
            m.line(),
            m.col() + 1
        ),
    )
}

fn at_line(pointer: impl Into<String>, mark: Marker, message: impl Into<String>) -> Diagnostic {
    let mut d = Diagnostic::new(pointer, message);
    d.line = Some(mark.line());
    d
}

enum Container {
    /// A mapping, and the key whose value comes next.
    Map(Map<String, Value>, Option<String>),
    Seq(Vec<Value>),
}

struct Frame {
    container: Container,
    /// Anchor id (0: none).
    anchor: usize,
    /// This node's entry in the line index.
    entry: usize,
    /// Nodes in this subtree, for the alias limit.
    nodes: usize,
    /// For a mapping: the line-index entry of the member whose key was just read.
    member: usize,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    /// Anchor id → (value, nodes in it).
    anchors: HashMap<usize, (Value, usize)>,
    lines: LineIndex,
    alias_nodes: usize,
    /// How deep in the document the text's top node sits (for [`MAX_DEPTH`]).
    base_depth: usize,
}

impl Builder {
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

    /// Opens the line entry of a value node that starts at `mark`.
    fn open_value(&mut self, mark: Marker) -> usize {
        match self.stack.last() {
            Some(Frame {
                container: Container::Map(..),
                member,
                ..
            }) => *member,
            Some(Frame {
                container: Container::Seq(items),
                ..
            }) => {
                let index = items.len();
                self.lines.open_item(index, mark.line())
            }
            None => self.lines.open("", mark.line()),
        }
    }

    fn scalar(
        &mut self,
        text: String,
        style: TScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        mark: Marker,
    ) -> Result<(), Diagnostic> {
        let scalar = resolve(text, style, tag).map_err(|m| at_line(self.pointer(), mark, m))?;
        if self.expecting_key() {
            let key = scalar.into_key();
            if anchor != 0 {
                self.anchors.insert(anchor, (Value::String(key.clone()), 1));
            }
            let member = self.lines.open(&key, mark.line());
            if let Some(Frame {
                container: Container::Map(_, slot),
                member: m,
                ..
            }) = self.stack.last_mut()
            {
                *slot = Some(key);
                *m = member;
            }
            return Ok(());
        }
        let value = scalar.into_value();
        if anchor != 0 {
            self.anchors.insert(anchor, (value.clone(), 1));
        }
        let entry = self.open_value(mark);
        self.lines.close(entry);
        self.attach(value, 1);
        Ok(())
    }

    fn alias(&mut self, id: usize, mark: Marker) -> Result<(), Diagnostic> {
        let Some((value, nodes)) = self.anchors.get(&id) else {
            return Err(at_line(self.pointer(), mark, "alias to an unknown anchor"));
        };
        let (value, nodes) = (value.clone(), *nodes);
        self.alias_nodes += nodes;
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(at_line(
                self.pointer(),
                mark,
                format!(
                    "aliases expand the document beyond {MAX_ALIAS_NODES} nodes (an alias bomb?)"
                ),
            ));
        }
        if self.expecting_key() {
            let key = match value {
                Value::String(s) => s,
                Value::Array(_) | Value::Object(_) => {
                    return Err(at_line(
                        self.pointer(),
                        mark,
                        "a mapping key must be a scalar",
                    ))
                }
                other => other.to_string(),
            };
            let member = self.lines.open(&key, mark.line());
            if let Some(Frame {
                container: Container::Map(_, slot),
                member: m,
                ..
            }) = self.stack.last_mut()
            {
                *slot = Some(key);
                *m = member;
            }
            return Ok(());
        }
        let entry = self.open_value(mark);
        self.lines.close(entry);
        self.attach(value, nodes);
        Ok(())
    }

    fn start(
        &mut self,
        container: Container,
        anchor: usize,
        mark: Marker,
    ) -> Result<(), Diagnostic> {
        if self.expecting_key() {
            return Err(at_line(
                self.pointer(),
                mark,
                "a mapping key must be a scalar",
            ));
        }
        if self.base_depth + self.stack.len() >= MAX_DEPTH {
            return Err(at_line(
                self.pointer(),
                mark,
                format!("the document nests deeper than {MAX_DEPTH} levels here; such documents are refused"),
            ));
        }
        let entry = self.open_value(mark);
        self.stack.push(Frame {
            container,
            anchor,
            entry,
            nodes: 1,
            member: 0,
        });
        Ok(())
    }

    fn end(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        self.lines.close(frame.entry);
        let value = match frame.container {
            Container::Map(map, _) => Value::Object(map),
            Container::Seq(items) => Value::Array(items),
        };
        if frame.anchor != 0 {
            self.anchors
                .insert(frame.anchor, (value.clone(), frame.nodes));
        }
        self.attach(value, frame.nodes);
    }

    /// Puts a finished node into its parent.
    fn attach(&mut self, value: Value, nodes: usize) {
        match self.stack.last_mut() {
            Some(frame) => {
                frame.nodes += nodes;
                match &mut frame.container {
                    Container::Map(map, key) => {
                        if let Some(k) = key.take() {
                            map.insert(k, value);
                        }
                    }
                    Container::Seq(items) => items.push(value),
                }
            }
            None => self.root = Some(value),
        }
    }
}

/// A resolved scalar.
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
            Scalar::F64(f) => Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Scalar::Str(s) => Value::String(s),
        }
    }

    /// Mapping keys: strings, or scalars rendered as text (`200` → `"200"`).
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

/// What a scalar means, as serde_yaml decides it: plain scalars by the YAML 1.2
/// core schema, quoted ones are text, and the core tags `!!bool`, `!!int`,
/// `!!float`, `!!null` must parse as what they say.
fn resolve(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Result<Scalar, String> {
    let plain = matches!(style, TScalarStyle::Plain);
    let Some(tag) = tag else {
        return Ok(if plain {
            untagged(text)
        } else {
            Scalar::Str(text)
        });
    };
    let full = format!("{}{}", tag.handle, tag.suffix);
    let expected = match full.as_str() {
        "tag:yaml.org,2002:bool" => parse_bool(&text).map(Scalar::Bool).ok_or("a boolean"),
        "tag:yaml.org,2002:int" => int(&text).ok_or("an integer"),
        "tag:yaml.org,2002:float" => parse_f64(&text).map(Scalar::F64).ok_or("a float"),
        "tag:yaml.org,2002:null" => parse_null(&text).then_some(Scalar::Null).ok_or("null"),
        // A local tag (`!foo bar`) is dropped; the value is read as if untagged.
        t if t.starts_with('!') && plain => return Ok(untagged(text)),
        _ => return Ok(Scalar::Str(text)),
    };
    expected.map_err(|what| format!("`{text}` is tagged `{full}` but is not {what}"))
}

/// A plain scalar without a tag.
fn untagged(text: String) -> Scalar {
    // Only these first characters can start anything but a string.
    let maybe_special = match text.as_bytes().first() {
        None => true,
        Some(b) => matches!(
            b,
            b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F'
        ),
    };
    if !maybe_special {
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

// The functions below follow serde_yaml 0.9 (`de.rs`), so documents read as they always did.

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

/// The serde_yaml reading this module replaced, kept to check that both read documents alike.
#[cfg(test)]
mod reference {
    use std::fmt;

    use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Number, Value};

    /// serde_yaml's reading of `text`.
    pub fn read(text: &str) -> Value {
        ValueSeed
            .deserialize(serde_yaml::Deserializer::from_str(text))
            .expect("serde_yaml reads it")
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
    fn integer_keys_become_strings() {
        let v = value("responses:\n  200:\n    description: ok\n  1.0: x\n  true: y\n  ~: z\n");
        assert_eq!(v["responses"]["200"]["description"], "ok");
        assert_eq!(v["responses"]["1"], "x");
        assert_eq!(v["responses"]["true"], "y");
        assert_eq!(v["responses"]["null"], "z");
    }

    #[test]
    fn scalars_resolve_like_serde_yaml() {
        let v = value(
            "a: [1, -2, 0x1f, 0o17, 0b11, 1.5, 1e3, .inf, .nan, 0123, +7, true, False, ~, null, '', '5', \"true\", 2001-01-01, !!str 5, !foo 6, !!int '7']\nb:\nc: name\n",
        );
        let a = v["a"].as_array().unwrap();
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
            7
        ]);
        assert_eq!(&Value::Array(a.clone()), &expected);
        assert_eq!(v["b"], Value::Null);
        assert_eq!(v["c"], "name");
    }

    #[test]
    fn aliases_are_expanded() {
        let v = value("a: &x {b: 1}\nc: *x\nd: &s text\ne: *s\n");
        assert_eq!(v["c"]["b"], 1);
        assert_eq!(v["e"], "text");
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
    }

    #[test]
    fn deep_nesting_is_refused_with_a_pointer() {
        let depth = 100_000;
        let text = format!("a: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        let err = parse_document(&text).unwrap_err();
        assert!(err.message.contains("deeper than"), "{err}");
        assert!(err.pointer.starts_with("/a"), "{err}");
        let block: String = (0..200)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect();
        let err = parse_document(&block).unwrap_err();
        assert!(err.message.contains("deeper than"), "{err}");
        assert!(err.pointer.starts_with("/k/k/k/k"), "{err}");
        let json = format!("{{\"a\": {}1{}}}", "[".repeat(depth), "]".repeat(depth));
        let err = parse_document(&json).unwrap_err();
        assert!(err.message.contains("deeper than"), "{err}");
        // JSON is one flow collection: the reader looks ahead from its start, so only the line is known.
        assert!(err.line.is_some(), "{err}");
    }

    #[test]
    fn json_is_read_with_lines() {
        let err = parse_document("{\n \"a\": 1,\n \"b\": }").unwrap_err();
        assert_eq!(err.line, Some(3));
        let err = parse_document("\n\n{\n \"a\": 1,\n \"b\": }").unwrap_err();
        assert_eq!(err.line, Some(5), "leading blank lines count");
    }

    #[test]
    fn yaml_errors_name_their_line() {
        let err = parse_document("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(err.message.starts_with("not valid YAML"), "{err}");
        assert!(err.line.is_some());
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
    }

    /// Every YAML document at hand reads exactly as serde_yaml read it.
    fn same_as_serde_yaml(path: &std::path::Path) {
        let text = std::fs::read_to_string(path).unwrap();
        let ours = parse_document(&text).unwrap().value;
        assert!(
            ours == reference::read(&text),
            "{} reads differently",
            path.display()
        );
        // Read in pieces, every node has the line it has when read in one pass.
        if let Some((_, split_lines)) = read_split(&text, 16, 0) {
            let (value, lines) = parse_yaml(&text).unwrap();
            same_lines(&value, &split_lines, &lines, &path.display().to_string());
        }
    }

    #[test]
    fn workspace_documents_read_as_serde_yaml_read_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        same_as_serde_yaml(&root.join("spec/autumn.yaml"));
        for fixture in std::fs::read_dir(root.join("tests/fixtures")).unwrap() {
            let spec = fixture.unwrap().path().join("spec.yaml");
            if spec.exists() {
                same_as_serde_yaml(&spec);
            }
        }
    }

    #[test]
    #[ignore = "reads the shared reference specs (SHARED_SPECS); run with --include-ignored"]
    fn shared_documents_read_as_serde_yaml_read_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let shared = std::env::var_os("SHARED_SPECS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/specs"));
        let mut count = 0;
        for dir in ["autumn", "corpus"] {
            for entry in std::fs::read_dir(shared.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    same_as_serde_yaml(&path);
                    count += 1;
                }
            }
        }
        assert!(
            count > 5,
            "too few documents found under {}",
            shared.display()
        );
        // The benchmarks' document is read in pieces (its anchor included).
        let upstream = std::fs::read_to_string(shared.join("autumn/autumn-2.3.0.yml")).unwrap();
        assert!(read_split(&upstream, 4, SPLIT_MIN_LEN).is_some());
    }

    /// Every JSON pointer in `v`.
    fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
        out.push(at.clone());
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let at = format!("{at}/{}", crate::diagnostics::escape_segment(k));
                    pointers(child, at, out)
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    pointers(child, format!("{at}/{i}"), out)
                }
            }
            _ => {}
        }
    }

    /// Reads `text` in pieces and in one pass, and checks both agree on every node and its line.
    fn assert_split_reads_as_one_pass(text: &str, inside_aliases: usize) {
        let (split_value, split_lines) = read_split(text, 16, 0).expect("the document splits");
        let (value, lines) = parse_yaml(text).unwrap();
        assert_eq!(split_value, value);
        let (nodes, with_lines) = same_lines(&value, &split_lines, &lines, text);
        // Only the insides of an expanded alias have no line of their own.
        assert_eq!(with_lines + inside_aliases, nodes);
    }

    /// Checks that both indexes give every node of `value` the same line;
    /// returns how many nodes there are and how many have a line.
    fn same_lines(
        value: &Value,
        split: &LineIndex,
        one_pass: &LineIndex,
        what: &str,
    ) -> (usize, usize) {
        let mut all = Vec::new();
        pointers(value, String::new(), &mut all);
        let mut with_lines = 0;
        for pointer in &all {
            let line = one_pass.line_of(pointer);
            with_lines += usize::from(line.is_some());
            assert_eq!(split.line_of(pointer), line, "{pointer} in {what}");
        }
        (all.len(), with_lines)
    }

    #[test]
    fn documents_read_in_pieces_as_in_one_pass() {
        assert_split_reads_as_one_pass(
            "openapi: 3.1.0\ninfo: {title: t}\npaths:\n  # the first\n  /a:\n    get:\n      description: |\n        text\n\n         more\n      x: &anchor [1, 2]\n      y: *anchor\n  \"/b\":\n    post: {responses: {}}\n  /c: {}\n  /d:\n    put: {}\ncomponents:\n  schemas: {A: {type: string}}\n",
            2,
        );
        assert_split_reads_as_one_pass(
            "paths: # all\r\n  /a: 1\r\n  /b:\r\n    - x\r\n    - y\r\n",
            0,
        );
        // Aliases to anchors in earlier pieces, one of them set twice.
        assert_split_reads_as_one_pass(
            "paths:\n  /a:\n    get: &p {name: one}\n  /b:\n    x: 1\n  /c:\n    get: *p\n  /d:\n    post: &p {name: two}\n  /e:\n    - *p\n    - &q [1]\n    - *q\nafter: 1\n",
            3,
        );
        // A key written twice: the later value wins, in the first one's place.
        let twice = "paths:\n  /a: 1\n  /b: 2\n  /a: 3\n";
        assert_eq!(
            read_split(twice, 16, 0).unwrap().0,
            parse_yaml(twice).unwrap().0
        );
        assert_split_reads_as_one_pass(
            "a: 1\npaths:\n    /x: {k: 1}\n    /y: {k: 2}\n    /z: {k: 3}\n",
            0,
        );
    }

    /// A document with the YAML that matters to splitting: anchors and
    /// aliases across items, block and quoted scalars, flow collections,
    /// comments, odd keys.
    const MUTATION_BASE: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A: &schema {type: string}\npaths:\n  # operations\n  /a:\n    get:\n      parameters:\n        - &header\n          name: x-version\n          in: header\n      description: |\n        first\n\n          indented\n      responses: {'200': {description: ok}}\n  \"/b\":\n    post:\n      parameters:\n        - *header\n      summary: \"quoted\n        on two lines\"\n      x: [1, {y: *header}]\n  /c: {get: {summary: plain}}\n  ? /d\n  : put:\n      - *header\n  /e:\n    description: >-\n      folded\n      text\n    list:\n    - one\n    - &two two\n  /f: *two\nwebhooks:\n  w: {post: {summary: hook}}\n";

    /// A small deterministic generator for the mutation test.
    struct XorShift(u64);

    impl XorShift {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    /// Edits one line of `text` at random, as a broken or unusual document might.
    fn mutate(text: &str, rng: &mut XorShift) -> String {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let at = rng.below(lines.len());
        let other = rng.below(lines.len());
        const INSERTS: &[&str] = &[
            "&header ",
            "*header ",
            "*two ",
            "&two ",
            "\"",
            "'",
            "[",
            "{",
            "- ",
            "? ",
            "# ",
            "\t",
            ": ",
            "|",
            ">",
            "|+",
            "!!str ",
            "!local ",
            "--- ",
            "... ",
            "<<: *header",
            "%",
            "\\",
        ];
        const LINES: &[&str] = &[
            "---",
            "...",
            "  /new: {}",
            "  &n",
            "paths:",
            "  - x",
            "%YAML 1.2",
            "  |",
            "x: *two",
        ];
        match rng.below(9) {
            8 => lines.insert(at, LINES[rng.below(LINES.len())].to_owned()),
            0 => {
                lines.remove(at);
            }
            1 => {
                let line = lines[at].clone();
                lines.insert(other, line);
            }
            2 => lines.swap(at, other),
            3 => lines[at].insert_str(0, &" ".repeat(1 + rng.below(3))),
            4 => {
                let line = &mut lines[at];
                let cut = line.len() - line.trim_start().len();
                line.replace_range(..cut.min(1 + rng.below(3)), "");
            }
            _ => {
                let line = &mut lines[at];
                let mut pos = rng.below(line.len() + 1);
                while !line.is_char_boundary(pos) {
                    pos -= 1;
                }
                line.insert_str(pos, INSERTS[rng.below(INSERTS.len())]);
            }
        }
        let mut out = lines.join("\n");
        out.push('\n');
        out
    }

    /// Mutated documents read in pieces read as in one pass, value and lines.
    /// (While the splitter was written, seven seeds of 200,000 cases each
    /// found four ways to differ; each is now a rule in `split.rs` with its
    /// own test.)
    #[test]
    fn reading_in_pieces_never_changes_the_result() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        let mut split_cases = 0;
        for case in 0..20_000 {
            let mut text = MUTATION_BASE.to_owned();
            for _ in 0..1 + rng.below(4) {
                text = mutate(&text, &mut rng);
            }
            let Some((split_value, split_lines)) = read_split(&text, 1 + rng.below(8), 0) else {
                continue;
            };
            split_cases += 1;
            let Ok((value, lines)) = parse_yaml(&text) else {
                panic!("case {case}: read in pieces, refused in one pass:\n{text}");
            };
            assert_eq!(split_value, value, "case {case}:\n{text}");
            same_lines(
                &value,
                &split_lines,
                &lines,
                &format!("case {case}:\n{text}"),
            );
        }
        // The test must exercise the split, not only its refusals.
        eprintln!("{split_cases} of 20000 read in pieces");
        assert!(
            split_cases > 2000,
            "only {split_cases} cases were read in pieces"
        );
    }

    #[test]
    fn pieces_that_do_not_read_alone_fall_back_to_one_pass() {
        // An alias to an anchor set before `paths`.
        let text = "components: &shared {get: {}}\npaths:\n  /a: *shared\n  /b: {}\n";
        assert!(read_split(text, 16, 0).is_none());
        let parsed = parse_document(text).unwrap();
        assert_eq!(parsed.value["paths"]["/a"], parsed.value["components"]);
        // A quoted scalar continued at an item's indentation (more than YAML allows).
        let text = "paths:\n  /a:\n    description: \"one\n  two\"\n  /b: {}\n";
        assert!(read_split(text, 16, 0).is_none());
        assert_eq!(
            parse_document(text).map(|p| p.value).ok(),
            parse_yaml(text).map(|(v, _)| v).ok()
        );
        // Not a mapping of items.
        assert!(read_split("paths:\n  - /a\n  - /b\n", 16, 0).is_none());
        // Too deep once the pieces' depth in the document counts.
        let mut deep = String::from("paths:\n  /a: 1\n  /b: ");
        deep.push_str(&"[".repeat(MAX_DEPTH - 1));
        deep.push_str(&"]".repeat(MAX_DEPTH - 1));
        deep.push('\n');
        assert!(read_split(&deep, 16, 0).is_none());
        assert!(parse_document(&deep).is_err());
    }

    #[test]
    fn complex_keys_are_refused() {
        let err = parse_document("? [a, b]\n: 1\n").unwrap_err();
        assert!(err.message.contains("key must be a scalar"), "{err}");
    }
}
