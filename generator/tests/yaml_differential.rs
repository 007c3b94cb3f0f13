//! The loader reads YAML as serde_yaml 0.9 reads it: both accept and refuse
//! the same texts, and give the same values, on real documents, on hand-made
//! corner cases and on thousands of seeded mutations of windows cut from the
//! documents (a window of lines is a document too, and mostly a broken one).
//!
//! What is compared: `generator::load::parse_yaml_value` (libyaml's events,
//! from `unsafe-libyaml` as in serde_yaml, read in one pass) against
//! [`reference`]. Run the shared documents' test with `SHARED_SPECS` set and
//! `--include-ignored`; each test prints how many texts both accepted and
//! both refused.
//!
//! The reference is serde_yaml's own deserializer driven into a
//! `serde_yaml::Value` by [`YamlSeed`], a copy of the visitor behind
//! `serde_yaml::from_str::<serde_yaml::Value>` (serde_yaml's `value/de.rs`,
//! keys written twice refused as its `Mapping` refuses them), then turned
//! into JSON by [`to_json`]: string keys; null, boolean and number keys in
//! the loader's string form (`~` → `"null"`, `1.0` → `"1"`); a tagged value
//! as its value without the tag (serde_yaml reads `!foo 5` as the number 5
//! under the tag `foo`, and the loader drops the tag); `.nan`/`.inf` → null.
//! `serde_yaml::Value` is the reference rather than
//! `from_str::<serde_json::Value>`, because the latter does not describe what
//! serde_yaml accepts: it keeps the last of two equal keys silently, refuses
//! every tagged value ("invalid type: enum"), and renders a key from its text
//! (`1.0` stays `"1.0"`) rather than from what it resolves to.
//!
//! Intentional differences, each checked exactly by [`compare`] (any other
//! difference fails the test):
//! 1. Integers beyond 64 bits (OpenAI's `minimum: -9223372036854776000`):
//!    `serde_yaml::Value` has no such numbers and refuses the whole document
//!    ("invalid type: integer `…` as i128"); the loader widens them to `f64`,
//!    as serde_yaml's deserializer offers them to any visitor that takes
//!    `i128`/`u128`. [`YamlSeed`] widens them the same way, and every text is
//!    also read by plain `from_str::<serde_yaml::Value>`, which must give the
//!    same result unless something was widened, and then refuse it with that
//!    message.
//! 2. Keys that `serde_yaml::Value` holds but a JSON object cannot: a list or
//!    mapping as a key, and two different keys that are the same string in
//!    JSON (`1` and `'1'`; `!t a` and `a`). The loader refuses them ("a
//!    mapping key must be a scalar", "written twice") rather than lose one.
//! 3. Aliases that expand a document beyond `MAX_ALIAS_NODES` nodes, which
//!    the loader refuses as an alias bomb before memory runs out; serde_yaml's
//!    own limit (aliases followed at most 100 times per event), which the
//!    loader also applies, lets a large document expand to far more.

use std::cell::Cell;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Value as Yaml};

use generator::load::{parse_yaml_value, MAX_ALIAS_NODES};

/// Why the reference has no JSON value for a text.
#[derive(Debug)]
#[allow(dead_code)] // The fields are read (through `Debug`) in failure messages.
enum Refusal {
    /// serde_yaml refuses the text.
    Yaml(String),
    /// serde_yaml holds a list or mapping as a key (difference 2).
    CollectionKey,
    /// serde_yaml holds two keys that are one string in JSON (difference 2).
    CollidingKeys(String),
}

thread_local! {
    /// Whether [`YamlSeed`] widened an integer beyond 64 bits (difference 1).
    static WIDENED: Cell<bool> = const { Cell::new(false) };
}

/// serde_yaml's reading of `text`, as JSON.
fn reference(text: &str) -> Result<Value, Refusal> {
    WIDENED.with(|w| w.set(false));
    let read = YamlSeed.deserialize(serde_yaml::Deserializer::from_str(text));
    // Difference 1, checked: plain `serde_yaml::Value` reads the text alike,
    // or refuses it for an integer that the seed widened.
    let plain = serde_yaml::from_str::<Yaml>(text);
    match (&read, &plain, WIDENED.with(Cell::get)) {
        (Ok(a), Ok(b), false) if a == b => {}
        (Err(_), Err(_), _) => {}
        (Ok(_), Err(e), true) if e.to_string().contains(" as i128") => {}
        (Ok(_), Err(e), true) if e.to_string().contains(" as u128") => {}
        _ => panic!(
            "serde_yaml::Value and the widening seed differ: {read:?} / {plain:?} on:\n{text}"
        ),
    }
    to_json(read.map_err(|e| Refusal::Yaml(e.to_string()))?)
}

/// A `serde_yaml::Value` as JSON (see the module doc).
fn to_json(v: Yaml) -> Result<Value, Refusal> {
    Ok(match v {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) if n.is_f64() => {
            Number::from_f64(n.as_f64().unwrap()).map_or(Value::Null, Value::Number)
        }
        Yaml::Number(n) => match n.as_u64() {
            Some(u) => u.into(),
            None => n.as_i64().unwrap().into(),
        },
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => items.into_iter().map(to_json).collect::<Result<_, _>>()?,
        Yaml::Tagged(tagged) => to_json(tagged.value)?,
        Yaml::Mapping(mapping) => {
            let mut map = Map::new();
            for (k, v) in mapping {
                let key = key_string(k)?;
                if map.contains_key(&key) {
                    return Err(Refusal::CollidingKeys(key));
                }
                map.insert(key, to_json(v)?);
            }
            Value::Object(map)
        }
    })
}

/// A scalar key in the loader's string form.
fn key_string(k: Yaml) -> Result<String, Refusal> {
    Ok(match k {
        Yaml::Null => "null".to_owned(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) if n.is_f64() => n.as_f64().unwrap().to_string(),
        Yaml::Number(n) => n.to_string(),
        Yaml::String(s) => s,
        Yaml::Tagged(tagged) => key_string(tagged.value)?,
        Yaml::Sequence(_) | Yaml::Mapping(_) => return Err(Refusal::CollectionKey),
    })
}

/// The visitor of serde_yaml's `impl Deserialize for Value` (and of its
/// `Mapping`), plus `i128`/`u128` widened to `f64` (difference 1).
#[derive(Clone, Copy)]
struct YamlSeed;

impl<'de> DeserializeSeed<'de> for YamlSeed {
    type Value = Yaml;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Yaml, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for YamlSeed {
    type Value = Yaml;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Yaml, E> {
        Ok(Yaml::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Yaml, E> {
        Ok(Yaml::Number(i.into()))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Yaml, E> {
        Ok(Yaml::Number(u.into()))
    }
    fn visit_i128<E>(self, i: i128) -> Result<Yaml, E> {
        WIDENED.with(|w| w.set(true));
        Ok(Yaml::Number((i as f64).into()))
    }
    fn visit_u128<E>(self, u: u128) -> Result<Yaml, E> {
        WIDENED.with(|w| w.set(true));
        Ok(Yaml::Number((u as f64).into()))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Yaml, E> {
        Ok(Yaml::Number(f.into()))
    }
    fn visit_str<E>(self, s: &str) -> Result<Yaml, E> {
        Ok(Yaml::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Yaml, E> {
        Ok(Yaml::String(s))
    }
    fn visit_unit<E>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_none<E>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Yaml, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Yaml, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Yaml::Sequence(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Yaml, A::Error> {
        let mut mapping = Mapping::new();
        while let Some(key) = access.next_key_seed(self)? {
            if mapping.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "duplicate entry with key {key:?}"
                )));
            }
            let value = access.next_value_seed(self)?;
            mapping.insert(key, value);
        }
        Ok(Yaml::Mapping(mapping))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Yaml, A::Error> {
        let (tag, contents) = data.variant::<String>()?;
        let value = de::VariantAccess::newtype_variant_seed(contents, self)?;
        Ok(Yaml::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

/// How a text was read by both.
#[derive(Debug, PartialEq, Eq)]
enum Agreement {
    Accepted,
    Rejected,
    /// Accepted alike with an integer beyond 64 bits, which plain
    /// `serde_yaml::Value` refuses (difference 1).
    AcceptedWidened,
    /// Refused by the loader only: a key JSON cannot hold (difference 2).
    RejectedKey,
    /// Refused by the loader only, as an alias bomb (difference 3).
    RejectedAliasBomb,
}

/// Reads `text` both ways; panics on any difference but the intentional ones.
fn compare(text: &str) -> Agreement {
    let ours = parse_yaml_value(text);
    let theirs = reference(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) if a == b && WIDENED.with(Cell::get) => return Agreement::AcceptedWidened,
        (Ok(a), Ok(b)) if a == b => return Agreement::Accepted,
        (Err(_), Err(Refusal::Yaml(_))) => return Agreement::Rejected,
        // Difference 2.
        (Err(d), Err(Refusal::CollectionKey)) if d.message.contains("key must be a scalar") => {
            return Agreement::RejectedKey
        }
        (Err(d), Err(Refusal::CollidingKeys(_))) if d.message.contains("written twice") => {
            return Agreement::RejectedKey
        }
        // Difference 3.
        (Err(d), Ok(v)) if d.message.contains("alias bomb") && nodes(v) > MAX_ALIAS_NODES => {
            return Agreement::RejectedAliasBomb
        }
        _ => {}
    }
    let ours = ours.map_err(|d| d.to_string());
    panic!("the loader and serde_yaml differ:\n  loader:     {ours:.300?}\n  serde_yaml: {theirs:.300?}\non this text:\n{text}");
}

fn nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(items) => items.iter().map(nodes).sum(),
        Value::Object(map) => map.values().map(nodes).sum(),
        _ => 0,
    }
}

/// Texts whose readings are easy to get wrong, each read both ways.
const CASES: &[&str] = &[
    // The document that yaml-rust2 refused: a flow mapping closed at its key's indentation.
    "paths:\n  /a:\n    get:\n      responses: {\n        \"200\": {description: ok}\n      }\n",
    "a: [1, -2, 0x1f, 0o17, 0b11, 1.5, 1e3, .inf, -.Inf, .nan, 0123, +7, -0, +0x1, -0x1f, 0x, 1_000]\n",
    "a: [true, False, TRUE, yes, on, ~, null, NULL, Null, '', '5', \"true\", 2001-01-01, 1e400, 12e]\n",
    "a: [18446744073709551616, -9223372036854775809, 99999999999999999999999999999999999999999]\n",
    "a: [!!str 5, !foo 6, !!int '7', !foo '8', !!float 1, !!null '~', !!bool true, !!binary aGk=, ! 9]\n",
    "a: [!foo, !foo \"\", !!str, !!str ~, !!int 0x1f, !!float .inf, !!int -0o7]\n",
    "a: !!float 1_0\n",
    "a: !!null ''\n",
    "a: !!int seven\n",
    "a: !!float x\n",
    "a: !!bool yes\n",
    "a: !!null 0\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!x 5\nb: !<tag:yaml.org,2002:int> 6\nc: !<!bar> 7\n",
    "!!map {a: !!seq [1], b: !foo {c: 1}, !foo d: 2, !!str e: 3}\n",
    "responses:\n  200:\n    description: ok\n  1.0: x\n  true: y\n  ~: z\n  0x10: w\n  .nan: n\n  -.inf: i\n",
    "&k 5: a\nb: *k\nc: {*k : d}\n",
    "? \n: e\n",
    "a: &x {b: 1}\nc: *x\nd: &s text\ne: *s\nf: &x [2]\ng: *x\n",
    "a: &x [1, *x]\n",
    "a: *nowhere\n",
    "a: 1\na: 2\n",
    "{1: a, '1': b}\n",
    "{!t a: 1, a: 2}\n",
    "{~: 1, null: 2}\n",
    "{0x10: 1, 16: 2}\n",
    "? [a, b]\n: 1\n",
    "a: &x [1]\n*x : 2\n",
    "? {a: 1}\n",
    "",
    "# only a comment\n",
    "---\n",
    "--- 5\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "a: 1\n...\n---\n",
    "\u{feff}a: 1\n",
    "\u{feff}\u{feff}a: 1\n",
    "a: 1\n\u{feff}b: 2\n",
    "a: \u{1}\n",
    "a:\tb\n",
    "a:\n\t- b\n",
    "key: \"\\ud83d\\udc4d\"\n",
    "key: 'it''s'\nlit: |\n  one\n   two\n\nfold: >-\n  three\n  four\n",
    "- a\n- b: c\n  d: e\n- - f\n",
    "a: {b: [c, {d: e}], f: }\n",
    "[a, b]: c\n",
    "a: b: c\n",
    "a: 'unclosed\n",
    "{\"a\": 1, \"b\": [true, null, 1.5e3, \"x\"]}",
    "{\"a\": 1, \"a\": 2}",
    "<<: {a: 1}\nb: 2\n",
];

#[test]
fn corner_cases_read_as_serde_yaml_reads_them() {
    for case in CASES {
        let agreement = compare(case);
        eprintln!("{agreement:?}: {case:?}");
    }
    // What serde_yaml accepts is accepted (the first case), and nothing else is assumed.
    assert_eq!(compare(CASES[0]), Agreement::Accepted);
}

#[test]
fn difference_3_alias_expansion_beyond_the_limit() {
    // 20,000 scalars aliased 101 times: within serde_yaml's repetition limit,
    // beyond the loader's node limit.
    let list = vec!["x"; 20_000].join(", ");
    let text = format!("a: &a [{list}]\nb: [{}]\n", vec!["*a"; 101].join(", "));
    assert!(serde_yaml::from_str::<Yaml>(&text).is_ok());
    assert_eq!(compare(&text), Agreement::RejectedAliasBomb);
}

/// A small deterministic generator (xorshift64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Characters that mean something to YAML.
const SIGNIFICANT: &[u8] = b":{}[],-\"'&*!#|> \n\t";

/// A window of `text`'s lines, edited once to a few times as a broken or
/// unusual document might be. Half the windows are a run of lines as it
/// stands (mostly broken: it starts indented and dedents), half a subtree:
/// lines from one at its own indentation until a line less indented, with
/// that indentation taken off (mostly a document in itself).
fn mutation(text: &str, rng: &mut Rng) -> String {
    let all: Vec<&str> = text.lines().collect();
    let len = (20 + rng.below(280)).min(all.len());
    let start = rng.below(all.len() - len + 1);
    let window = all[start..start + len].iter();
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let cut = indent(all[start]);
    let mut lines: Vec<String> = if rng.below(2) == 0 {
        window.map(|l| l.to_string()).collect()
    } else {
        window
            .take_while(|l| l.trim().is_empty() || indent(l) >= cut)
            .map(|l| l.get(cut..).unwrap_or("").to_owned())
            .collect()
    };
    for _ in 0..1 + rng.below(3) {
        let (at, other) = (rng.below(lines.len()), rng.below(lines.len()));
        match rng.below(8) {
            0 => lines.swap(at, other),
            1 => lines.insert(other, lines[at].clone()),
            2 if lines.len() > 1 => drop(lines.remove(at)),
            3 => lines[at].insert_str(0, &" ".repeat(1 + rng.below(4))),
            4 => {
                let indent = lines[at].len() - lines[at].trim_start().len();
                lines[at].replace_range(..indent.min(1 + rng.below(4)), "");
            }
            _ => {
                let mut joined = lines.join("\n");
                edit_character(&mut joined, rng);
                lines = joined.split('\n').map(str::to_owned).collect();
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    if rng.below(8) == 0 {
        let mut cut = rng.below(out.len());
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    out
}

/// Deletes, duplicates or inserts one YAML-significant character.
fn edit_character(text: &mut String, rng: &mut Rng) {
    let bytes = text.as_bytes();
    let from = rng.below(bytes.len());
    let found = (from..bytes.len())
        .chain(0..from)
        .find(|i| SIGNIFICANT.contains(&bytes[*i]));
    let inserted = SIGNIFICANT[rng.below(SIGNIFICANT.len())] as char;
    match (found, rng.below(3)) {
        (Some(at), 0) => drop(text.remove(at)),
        (Some(at), 1) => text.insert(at, bytes[at] as char),
        _ => {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert(at, inserted);
        }
    }
}

/// How many texts were read how.
#[derive(Clone, Copy, Default, Debug)]
struct Tally {
    texts: usize,
    accepted: usize,
    rejected: usize,
    /// Per intentional difference (1, 2, 3): how many texts it explains.
    differences: [usize; 3],
}

impl Tally {
    fn count(&mut self, agreement: Agreement) {
        self.texts += 1;
        match agreement {
            Agreement::Accepted => self.accepted += 1,
            Agreement::Rejected => self.rejected += 1,
            Agreement::AcceptedWidened => {
                self.accepted += 1;
                self.differences[0] += 1;
            }
            Agreement::RejectedKey => self.differences[1] += 1,
            Agreement::RejectedAliasBomb => self.differences[2] += 1,
        }
    }

    fn add(mut self, other: &Tally) -> Tally {
        self.texts += other.texts;
        self.accepted += other.accepted;
        self.rejected += other.rejected;
        for (a, b) in self.differences.iter_mut().zip(other.differences) {
            *a += b;
        }
        self
    }
}

/// Compares every document and `mutations` mutations of them.
fn run(documents: &[(PathBuf, String)], mutations: usize, seed: u64) -> Tally {
    let started = Instant::now();
    let mut whole = Tally::default();
    for (path, text) in documents {
        let agreement = compare(text);
        eprintln!("{}: {agreement:?}", path.display());
        whole.count(agreement);
    }
    // Mutations on two threads (the machine's cores), each with its own seeded share.
    let shares: Vec<Tally> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2u64)
            .map(|t| {
                s.spawn(move || {
                    let mut rng = Rng(seed ^ (t + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
                    let mut tally = Tally::default();
                    for _ in 0..mutations / 2 + (mutations % 2) * (t as usize) {
                        let (_, text) = &documents[rng.below(documents.len())];
                        tally.count(compare(&mutation(text, &mut rng)));
                    }
                    tally
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let total = shares.iter().fold(whole, Tally::add);
    let [widened, keys, bombs] = total.differences;
    eprintln!(
        "{} texts ({} documents, {mutations} mutations) in {:.1?}: {} accepted by both \
         ({widened} with integers beyond 64 bits, difference 1), {} rejected by both; \
         rejected by the loader only: {keys} for keys JSON cannot hold (difference 2), \
         {bombs} as alias bombs (difference 3)",
        total.texts,
        documents.len(),
        started.elapsed(),
        total.accepted,
        total.rejected,
    );
    total
}

/// The checks every run must pass: each text counted once, both outcomes common.
fn check(tally: Tally) {
    let explained = tally.accepted + tally.rejected + tally.differences[1] + tally.differences[2];
    assert_eq!(tally.texts, explained, "{tally:?}");
    let (accepted, rejected) = (tally.accepted, tally.rejected);
    assert!(
        accepted > tally.texts / 10 && rejected > tally.texts / 10,
        "the mutations must give both outcomes: {tally:?}"
    );
}

fn read_all(paths: impl IntoIterator<Item = PathBuf>) -> Vec<(PathBuf, String)> {
    let mut documents: Vec<(PathBuf, String)> = paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            (p, text)
        })
        .collect();
    documents.sort();
    documents
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
    {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn workspace_documents_and_their_mutations_read_as_serde_yaml_reads_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths = vec![root.join("spec/autumn.yaml")];
    for fixture in std::fs::read_dir(root.join("tests/fixtures")).unwrap() {
        let spec = fixture.unwrap().path().join("spec.yaml");
        if spec.exists() {
            paths.push(spec);
        }
    }
    let documents = read_all(paths);
    check(run(&documents, 2_000, 0x5eed_0001));
}

#[test]
#[ignore = "reads the shared reference specs (SHARED_SPECS); run with --include-ignored"]
fn shared_documents_and_their_mutations_read_as_serde_yaml_reads_them() {
    let Some(shared) = std::env::var_os("SHARED_SPECS").map(PathBuf::from) else {
        panic!("SHARED_SPECS is not set: point it at the shared reference specs (…/shared/specs)");
    };
    assert!(
        shared.is_dir(),
        "SHARED_SPECS={} is not a directory",
        shared.display()
    );
    let mut paths = Vec::new();
    files_under(&shared.join("autumn"), &mut paths);
    paths.retain(|p| {
        p.extension()
            .is_some_and(|e| e == "yml" || e == "yaml" || e == "json")
    });
    files_under(&shared.join("corpus"), &mut paths);
    let documents = read_all(paths);
    assert!(
        documents.len() > 10,
        "too few documents under {}",
        shared.display()
    );
    check(run(&documents, 10_000, 0x5eed_0002));
}
