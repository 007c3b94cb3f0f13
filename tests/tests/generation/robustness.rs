//! Robustness: real specs, mutated in every way we could think of, never make
//! the generator panic or hang. Each case either generates a crate or is
//! refused with diagnostics whose pointers are JSON pointers into the document.
//!
//! Seeds are three small specs (two written below, plus the `minimal` fixture)
//! and `spec/autumn.yaml`. Each class of bad input is one named test (cut and
//! garbage text four, so they run side by side); together they draw more than
//! 10,000 cases (counts below), about 7,300 distinct documents: a document a
//! test has already run is not generated again (see `run`). Cases run in memory
//! (`generate_str`), each on a worker thread with the stack of a
//! main thread, under a watchdog: a case that panics, or does not finish within
//! its time limit, fails the test. The proptest seed is fixed so CI is
//! repeatable; set `PROPTEST_RNG_SEED` to explore other cases.
//!
//! `mutated_specs_compile` (ignored: slow) writes a sample of accepted
//! mutations to disk and runs `cargo check` on them with warnings denied.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, OnceLock};
use std::time::Duration;

use generator::{Diagnostics, EmitOptions, Generated};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngSeed};
use serde_json::{json, Value};

/// Time one small-spec case may take (debug build, shared machine).
const LIMIT: Duration = Duration::from_secs(10);
/// Time one case built on `spec/autumn.yaml` may take.
const BIG_LIMIT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------- seeds

/// A 3.1 spec with most shapes the generator handles.
const STORE: &str = r##"
openapi: 3.1.0
info: {title: Store API, version: '1.0', description: Orders and items.}
servers: [{url: 'https://store.example.com/v1'}]
tags: [{name: orders, description: Orders.}, {name: items}]
security: [{key: []}]
components:
  securitySchemes: {key: {type: http, scheme: bearer}}
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer, format: int32, minimum: 1, maximum: 100}}
  schemas:
    Money:
      type: object
      required: [amount, currency]
      properties:
        amount: {type: integer, format: int64}
        currency: {type: string, enum: [usd, eur, gbp], default: usd}
    Item:
      type: object
      required: [id, kind]
      properties:
        id: {type: string}
        kind: {const: item}
        price: {$ref: '#/components/schemas/Money'}
        tags: {type: array, items: {type: string}}
        attributes: {type: object, additionalProperties: {type: [string, number, 'null']}}
        parent: {anyOf: [{$ref: '#/components/schemas/Item'}, {type: 'null'}]}
    Bundle:
      allOf:
        - $ref: '#/components/schemas/Item'
        - type: object
          properties:
            items: {type: array, items: {$ref: '#/components/schemas/Item'}}
            discount: {type: number, exclusiveMinimum: 0}
    Entry:
      oneOf:
        - {$ref: '#/components/schemas/Item'}
        - {$ref: '#/components/schemas/Bundle'}
      discriminator: {propertyName: kind}
    Status: {type: string, enum: [open, paid, shipped, cancelled]}
    Order:
      type: object
      required: [id, status, entries]
      properties:
        id: {type: string, description: The order id.}
        status: {$ref: '#/components/schemas/Status'}
        entries: {type: array, items: {$ref: '#/components/schemas/Entry'}}
        note: {type: [string, 'null'], description: A free note.}
        total: {$ref: '#/components/schemas/Money', description: Sum of the entries.}
        created: {type: string, format: date-time}
        quantity: {oneOf: [{type: integer}, {type: string, enum: [unlimited]}]}
paths:
  /orders:
    get:
      operationId: listOrders
      tags: [orders]
      parameters:
        - $ref: '#/components/parameters/Limit'
        - {name: starting_after, in: query, schema: {type: string}}
        - {name: status, in: query, schema: {$ref: '#/components/schemas/Status'}}
      responses:
        '200':
          description: A page of orders.
          content:
            application/json:
              schema:
                type: object
                required: [list, has_more]
                properties:
                  list: {type: array, items: {$ref: '#/components/schemas/Order'}}
                  has_more: {type: boolean}
                  next_cursor: {type: [string, 'null']}
        default:
          description: Error.
          content:
            application/json:
              schema: {type: object, properties: {message: {type: string}, code: {type: string}}}
    post:
      operationId: createOrder
      tags: [orders]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [entries]
              properties:
                entries: {type: array, items: {$ref: '#/components/schemas/Entry'}}
                note: {type: string}
            example: {entries: [{id: i1, kind: item}], note: gift}
      responses:
        '201':
          description: Created.
          content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}
  /orders/{order_id}:
    parameters:
      - {name: order_id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getOrder
      tags: [orders]
      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        '200': {description: The order., content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}
    delete:
      operationId: deleteOrder
      tags: [orders]
      responses:
        '204': {description: Deleted.}
  /items/search:
    post:
      operationId: searchItems
      tags: [items]
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {q: {type: string}}}
      responses:
        '200':
          description: Matches.
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Item'}}}}
  /ping:
    get:
      operationId: ping
      responses:
        '200': {description: Pong., content: {text/plain: {schema: {type: string}}}}
"##;

/// A 3.0 spec: `nullable`, boolean `exclusiveMinimum`, discriminator mappings, shared responses.
const ZOO: &str = r##"
openapi: 3.0.3
info: {title: Legacy Zoo, version: '2'}
paths:
  /animals/{id}:
    get:
      operationId: getAnimal
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: expand, in: query, schema: {type: array, items: {type: string}}, explode: false}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Animal'}}}}
        '404': {$ref: '#/components/responses/NotFound'}
    put:
      operationId: updateAnimal
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      requestBody: {$ref: '#/components/requestBodies/AnimalBody'}
      responses: {'200': {description: ok}}
  /pets:
    get:
      operationId: listPets
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}}
components:
  responses:
    NotFound: {description: not found, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  requestBodies:
    AnimalBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Animal'}}}}
  schemas:
    Problem: {type: object, properties: {title: {type: string}, status: {type: integer, format: int32}}}
    Animal:
      type: object
      required: [id, species]
      discriminator: {propertyName: species, mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}
      properties:
        id: {type: integer, format: int64}
        species: {type: string}
        name: {type: string, nullable: true}
        weight: {type: number, minimum: 0, exclusiveMinimum: true}
        birth: {type: string, format: date}
        photo: {type: string, format: binary}
        friends: {type: array, items: {$ref: '#/components/schemas/Animal'}}
        extra: {type: object, additionalProperties: true}
    Cat:
      allOf: [{$ref: '#/components/schemas/Animal'}, {type: object, properties: {indoor: {type: boolean, default: true}}}]
    Dog:
      allOf: [{$ref: '#/components/schemas/Animal'}, {type: object, properties: {breed: {type: string, enum: [lab, pug, null], nullable: true}}}]
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
"##;

/// A document to mutate, with the places mutations pick from.
struct Seed {
    name: &'static str,
    doc: Value,
    /// Every node but the root.
    nodes: Vec<String>,
    /// Every `$ref` that is a reference (not inside an example or extension).
    refs: Vec<String>,
    /// `doc` as JSON and as YAML text, made when first asked for.
    texts: [OnceLock<String>; 2],
}

impl Seed {
    /// The unchanged document as text (`text_of`), made once.
    fn text(&self, yaml: bool) -> &str {
        self.texts[usize::from(yaml)].get_or_init(|| text_of(&self.doc, yaml))
    }

    fn new(name: &'static str, text: &str) -> Seed {
        let doc: Value = serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut nodes = Vec::new();
        let mut refs = Vec::new();
        collect(&doc, &mut String::new(), false, &mut nodes, &mut refs);
        Seed {
            name,
            doc,
            nodes,
            refs,
            texts: Default::default(),
        }
    }
}

fn collect(
    v: &Value,
    ptr: &mut String,
    free: bool,
    nodes: &mut Vec<String>,
    refs: &mut Vec<String>,
) {
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, c)| (k.clone(), c)).collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, c)| (i.to_string(), c))
            .collect(),
        _ => return,
    };
    for (key, child) in children {
        let len = ptr.len();
        ptr.push('/');
        ptr.push_str(&escape(&key));
        nodes.push(ptr.clone());
        if key == "$ref" && child.is_string() && !free {
            refs.push(ptr.clone());
        }
        let free = free || key == "example" || key == "examples" || key.starts_with("x-");
        collect(child, ptr, free, nodes, refs);
        ptr.truncate(len);
    }
}

fn seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let read = |rel: &str| {
            std::fs::read_to_string(tests::workspace().join(rel))
                .unwrap_or_else(|e| panic!("{rel}: {e}"))
        };
        vec![
            Seed::new("store", STORE),
            Seed::new("zoo", ZOO),
            Seed::new("minimal fixture", &read("tests/fixtures/minimal/spec.yaml")),
            Seed::new("spec/autumn.yaml", &read("spec/autumn.yaml")),
        ]
    })
}

/// The small seeds, cheap enough for thousands of cases.
fn small() -> &'static [Seed] {
    &seeds()[..3]
}

/// A small seed for case number `pick`: mostly the minimal fixture, whose
/// crate is the cheapest to emit (a debug build emits the others' ten times slower).
fn small_seed(pick: usize) -> &'static Seed {
    &small()[[0, 1, 2, 2, 2, 2][pick % 6]]
}

/// `spec/autumn.yaml`.
fn big() -> &'static Seed {
    &seeds()[3]
}

// ---------------------------------------------------------------- running one case

fn options() -> EmitOptions {
    EmitOptions {
        crate_name: Some("fuzz-sdk".into()),
        spec_label: "fuzz.yaml".into(),
        ..Default::default()
    }
}

/// Proptest settings: `cases` cases from a fixed seed (unless `PROPTEST_RNG_SEED` is set).
fn config(cases: u32) -> Config {
    let mut c = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(0x0a07_0a07);
    }
    c
}

/// The document as text: JSON, or YAML to go through the YAML reader.
fn text_of(doc: &Value, yaml: bool) -> String {
    if yaml {
        serde_yaml::to_string(doc).expect("a JSON value is YAML")
    } else {
        serde_json::to_string(doc).expect("a JSON value serializes")
    }
}

/// What the documents already run gave (by a hash of the text and the time
/// limit): the refusal, or `None` for a crate, whose files were checked then.
type Seen = std::collections::HashMap<(u64, Duration), Option<Diagnostics>>;

fn seen() -> &'static std::sync::Mutex<Seen> {
    static SEEN: OnceLock<std::sync::Mutex<Seen>> = OnceLock::new();
    SEEN.get_or_init(Default::default)
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Runs the generator on `text` on a worker thread; fails on a panic or when `limit` passes.
///
/// The generator is deterministic, and random cases often repeat a document
/// (three in four of `broken_refs_report_pointers`' draws do): a text already
/// run is not run again. Its outcome is given back instead, a refusal as it
/// was and a crate with no files (its files passed their checks the first
/// time), so every caller's own assertions still hold for every case.
fn run(text: String, limit: Duration, what: &dyn Fn() -> String) -> Result<Generated, Diagnostics> {
    let key = (text_hash(&text), limit);
    let earlier = seen().lock().unwrap().get(&key).cloned();
    if std::env::var_os("ROBUST_TRACE").is_some() {
        let again = if earlier.is_some() {
            " (run before)"
        } else {
            ""
        };
        eprintln!("case: {}{again}", what());
    }
    if let Some(earlier) = earlier {
        return match earlier {
            Some(errors) => Err(errors),
            None => Ok(Generated {
                files: Default::default(),
                warnings: Vec::new(),
                operations: 0,
                types: 0,
            }),
        };
    }
    let result = run_once(text, limit, what);
    seen()
        .lock()
        .unwrap()
        .insert(key, result.as_ref().err().cloned());
    result
}

fn run_once(
    text: String,
    limit: Duration,
    what: &dyn Fn() -> String,
) -> Result<Generated, Diagnostics> {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .name("generator".into())
        // The stack of a main thread, where the CLI runs; debug frames make this the harder test.
        .stack_size(8 << 20)
        .spawn(move || {
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                generator::generate_str(&text, &options())
            }));
            let _ = tx.send((result, text));
        })
        .expect("a thread starts");
    match rx.recv_timeout(limit) {
        Ok((Ok(result), text)) => {
            let _ = worker.join();
            if let Err(errors) = &result {
                assert_refusal(errors, &text, what);
            }
            result
        }
        Ok((Err(panic), text)) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            panic!(
                "the generator panicked ({msg}) on {}\n--- document (start) ---\n{}",
                what(),
                cut(&text, 3000)
            );
        }
        Err(_) => panic!(
            "the generator did not finish within {limit:?} on {}",
            what()
        ),
    }
}

fn cut(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Every refusal names at least one problem, each with a JSON pointer (or `""` for the whole document).
fn assert_refusal(errors: &Diagnostics, text: &str, what: &dyn Fn() -> String) {
    assert!(
        !errors.0.is_empty(),
        "refused with no diagnostics: {}",
        what()
    );
    for d in &errors.0 {
        assert!(
            is_json_pointer(&d.pointer),
            "a diagnostic without a valid JSON pointer: {d:?}\non {}\n{}",
            what(),
            cut(text, 2000)
        );
        assert!(
            !d.message.trim().is_empty(),
            "a diagnostic without a message: {d:?} on {}",
            what()
        );
        assert!(
            !d.message.contains("internal error"),
            "the generator failed on its own output: {d}\non {}\n{}",
            what(),
            cut(text, 2000)
        );
    }
}

/// RFC 6901: empty, or `/`-separated segments where `~` is only `~0` or `~1`.
fn is_json_pointer(p: &str) -> bool {
    if p.is_empty() {
        return true;
    }
    if !p.starts_with('/') {
        return false;
    }
    let b = p.as_bytes();
    (0..b.len()).all(|i| b[i] != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
}

/// Runs a mutated document, as JSON or YAML text.
fn check(
    doc: &Value,
    yaml: bool,
    limit: Duration,
    what: &dyn Fn() -> String,
) -> Result<Generated, Diagnostics> {
    run(text_of(doc, yaml), limit, what)
}

/// On success the Rust files the generator does not build as tokens must parse
/// (every other `.rs` file went through syn inside the generator, which refuses
/// invalid tokens with an "internal error", and the runtime is copied verbatim).
fn assert_valid_rust(generated: &Generated, what: &dyn Fn() -> String) {
    for (path, text) in &generated.files {
        if path == Path::new("src/lib.rs") {
            if let Err(e) = syn::parse_file(text) {
                panic!(
                    "{} is not valid Rust ({e}) for {}\n{}",
                    path.display(),
                    what(),
                    cut(text, 3000)
                );
            }
        }
    }
}

// ---------------------------------------------------------------- document surgery

fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn unescape(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
}

/// Splits a pointer into its parent and last segment.
fn split(ptr: &str) -> (&str, String) {
    let i = ptr.rfind('/').unwrap_or(0);
    (&ptr[..i], unescape(&ptr[i + 1..]))
}

/// Removes the node at `ptr`; false when it is not there (an earlier mutation moved it).
fn remove(doc: &mut Value, ptr: &str) -> bool {
    let (parent, key) = split(ptr);
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => m.remove(&key).is_some(),
        Some(Value::Array(a)) => match key.parse::<usize>() {
            Ok(i) if i < a.len() => {
                a.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// Replaces the node at `ptr`; false when it is not there.
fn replace(doc: &mut Value, ptr: &str, with: Value) -> bool {
    match doc.pointer_mut(ptr) {
        Some(slot) => {
            *slot = with;
            true
        }
        None => false,
    }
}

/// Renames the member at `ptr` (an object key), keeping its value.
fn rename(doc: &mut Value, ptr: &str, to: &str) -> bool {
    let (parent, key) = split(ptr);
    let Some(Value::Object(m)) = doc.pointer_mut(parent) else {
        return false;
    };
    let Some(v) = m.remove(&key) else {
        return false;
    };
    m.insert(to.to_owned(), v);
    true
}

/// Values of every JSON type, for type changes.
fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(""),
        json!("x"),
        json!("#/components/schemas"),
        json!("3.1.0"),
        json!([]),
        json!([null]),
        json!([1, "a", {}]),
        json!({}),
        json!({"type": "string"}),
        json!({"$ref": "#/components/schemas/Nope"}),
        json!({"a": {"b": {"c": []}}}),
    ]
}

// ---------------------------------------------------------------- the bad-input classes

proptest! {
    #![proptest_config(config(800))]

    /// Keys and list items removed anywhere: required fields, schema keywords, whole sections.
    #[test]
    fn dropped_keys_never_panic(
        seed in 0..6usize,
        picks in prop::collection::vec(any::<Index>(), 1..4),
        yaml in any::<bool>(),
    ) {
        let s = small_seed(seed);
        let mut doc = s.doc.clone();
        let dropped: Vec<&String> = picks
            .iter()
            .map(|p| p.get(&s.nodes))
            .filter(|ptr| remove(&mut doc, ptr))
            .collect();
        check(&doc, yaml, LIMIT, &|| format!("{} without {dropped:?}", s.name)).ok();
    }
}

proptest! {
    #![proptest_config(config(1500))]

    /// Any node replaced by a value of another type (a schema by a number, a list by a string...).
    #[test]
    fn type_changes_never_panic(
        seed in 0..6usize,
        picks in prop::collection::vec((any::<Index>(), any::<Index>()), 1..3),
        yaml in any::<bool>(),
    ) {
        let s = small_seed(seed);
        let values = odd_values();
        let mut doc = s.doc.clone();
        let mut changes = Vec::new();
        for (node, value) in &picks {
            let ptr = node.get(&s.nodes);
            let v = value.get(&values).clone();
            if replace(&mut doc, ptr, v.clone()) {
                changes.push(format!("{ptr} = {v}"));
            }
        }
        check(&doc, yaml, LIMIT, &|| format!("{} with {changes:?}", s.name)).ok();
    }
}

/// `$ref` targets that cannot exist: each must be refused with the `$ref`'s own pointer.
const DANGLING: &[&str] = &[
    "#/components/schemas/DoesNotExist",
    "#/components/schemas/",
    "#/nope",
    "#/paths/~1nope",
    "#/components/schemas/Item/properties/nope",
    "#/~2bad",
    "#/components/schemas/%zz",
    "other.yaml#/components/schemas/A",
    "https://example.com/spec.yaml#/A",
    "",
    "components/schemas/A",
];

/// `$ref` targets that exist but are not what the place needs, or are not strings.
fn misplaced_refs() -> Vec<Value> {
    vec![
        json!("#"),
        json!("#/info"),
        json!("#/paths"),
        json!("#/components"),
        json!("#/components/schemas"),
        json!("#/openapi"),
        json!("#/servers/0"),
        json!("#/components/schemas/Item/properties"),
        json!("#/components/schemas/Item/required"),
        json!("#/components/schemas/Pet/properties/id"),
        json!("#/components/schemas/Order/properties/status"),
        json!("#/paths/~1orders/get"),
        json!("#/components/parameters/Limit"),
        json!(5),
        json!(null),
        json!(["#/components/schemas/Item"]),
        json!({"$ref": "#/components/schemas/Item"}),
    ]
}

proptest! {
    #![proptest_config(config(2500))]

    /// Dangling, external, malformed or misplaced `$ref`s.
    #[test]
    fn broken_refs_report_pointers(
        seed in 0..6usize,
        at in any::<Index>(),
        dangling in prop::bool::weighted(0.8),
        target in any::<Index>(),
        yaml in any::<bool>(),
    ) {
        let s = small_seed(seed);
        let ptr = at.get(&s.refs);
        let mut doc = s.doc.clone();
        if dangling {
            let t = *target.get(DANGLING);
            replace(&mut doc, ptr, json!(t));
            let what = || format!("{}: {ptr} = {t:?}", s.name);
            match check(&doc, yaml, LIMIT, &what) {
                Ok(_) => panic!("a dangling `$ref` was accepted: {}", what()),
                Err(errors) => prop_assert!(
                    errors.0.iter().any(|d| d.pointer == *ptr),
                    "no diagnostic points at the `$ref` ({}):\n{errors}",
                    what()
                ),
            }
        } else {
            let v = target.get(&misplaced_refs()).clone();
            replace(&mut doc, ptr, v.clone());
            check(&doc, yaml, LIMIT, &|| format!("{}: {ptr} = {v}", s.name)).ok();
        }
    }
}

/// Ways to make `$ref` cycles in a document with component schemas `a` and `b`.
fn make_cycle(doc: &mut Value, kind: usize, a: &str, b: &str, n: usize) -> String {
    let target = |name: &str| format!("#/components/schemas/{}", escape(name));
    let (ra, rb) = (target(a), target(b));
    let schemas = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .expect("seeds have component schemas");
    match kind {
        0 => {
            schemas.insert(a.into(), json!({"$ref": ra}));
            format!("{a} = $ref itself")
        }
        1 => {
            schemas.insert(a.into(), json!({"$ref": rb}));
            schemas.insert(b.into(), json!({"$ref": ra}));
            format!("{a} <-> {b} by bare $ref")
        }
        2 => {
            // A ring of n bare references.
            for i in 0..n {
                let next = if i + 1 == n {
                    ra.clone()
                } else {
                    target(&format!("Ring{}", i + 1))
                };
                let name = if i == 0 {
                    a.to_owned()
                } else {
                    format!("Ring{i}")
                };
                schemas.insert(name, json!({"$ref": next}));
            }
            format!("ring of {n} bare $refs through {a}")
        }
        3 => {
            schemas.insert(a.into(), json!({"allOf": [{"$ref": ra}]}));
            format!("{a} = allOf [itself]")
        }
        4 => {
            schemas.insert(
                a.into(),
                json!({"allOf": [{"$ref": rb}, {"type": "object"}]}),
            );
            schemas.insert(b.into(), json!({"allOf": [{"$ref": ra}, {"type": "object", "properties": {"x": {"type": "string"}}}]}));
            format!("{a} <-> {b} by allOf")
        }
        5 => {
            schemas.insert(a.into(), json!({"oneOf": [{"$ref": ra}, {"$ref": rb}]}));
            schemas.insert(b.into(), json!({"anyOf": [{"$ref": ra}, {"type": "null"}]}));
            format!("{a} <-> {b} by oneOf/anyOf")
        }
        6 => {
            schemas.insert(a.into(), json!({"type": "array", "items": {"$ref": ra}}));
            format!("{a} = list of itself")
        }
        7 => {
            schemas.insert(
                a.into(),
                json!({"type": "object", "additionalProperties": {"$ref": ra}}),
            );
            format!("{a} = map of itself")
        }
        8 => {
            schemas.insert(a.into(), json!({"type": "object", "required": ["me"], "properties": {"me": {"$ref": ra}, "other": {"$ref": rb}}}));
            schemas.insert(b.into(), json!({"type": "object", "required": ["back"], "properties": {"back": {"$ref": ra}}}));
            format!("{a} <-> {b} by required properties (infinite size without Box)")
        }
        9 => {
            schemas.insert(a.into(), json!({"type": "object", "properties": {"x": {"allOf": [{"$ref": ra}], "description": "d"}}}));
            format!("{a}.x = allOf [{a}] with a sibling")
        }
        10 => {
            schemas.insert(a.into(), json!({"not": {"$ref": ra}}));
            format!("{a} = not itself")
        }
        11 => {
            schemas.insert(a.into(), json!({"$ref": format!("{ra}/properties/x")}));
            format!("{a} = $ref into itself")
        }
        12 => {
            doc["components"]["parameters"] = json!({"P": {"$ref": "#/components/parameters/P"}});
            doc["components"]["responses"] = json!({"R": {"$ref": "#/components/responses/R"}});
            doc["components"]["requestBodies"] =
                json!({"B": {"$ref": "#/components/requestBodies/B"}});
            if let Some(op) = first_operation(doc) {
                op["parameters"] = json!([{"$ref": "#/components/parameters/P"}]);
                op["responses"] = json!({"200": {"$ref": "#/components/responses/R"}});
                op["requestBody"] = json!({"$ref": "#/components/requestBodies/B"});
            }
            "parameter, response and request body that are $refs to themselves".to_owned()
        }
        _ => {
            if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
                paths.insert("/loop".into(), json!({"$ref": "#/paths/~1loop"}));
            }
            "a path item that is a $ref to itself".to_owned()
        }
    }
}

fn first_operation(doc: &mut Value) -> Option<&mut Value> {
    let paths = doc.get_mut("paths")?.as_object_mut()?;
    let item = paths.values_mut().next()?;
    let item = item.as_object_mut()?;
    let key = ["get", "post", "put", "delete", "patch"]
        .into_iter()
        .find(|m| item.contains_key(*m))?;
    item.get_mut(key)
}

proptest! {
    #![proptest_config(config(500))]

    /// `$ref` cycles of every shape: bare, through allOf/oneOf/items/maps/properties, rings, non-schema.
    #[test]
    fn ref_cycles_terminate(
        seed in 0..6usize,
        kind in 0..14usize,
        a in any::<Index>(),
        b in any::<Index>(),
        n in 2..40usize,
        yaml in any::<bool>(),
    ) {
        let s = small_seed(seed);
        let mut doc = s.doc.clone();
        let names: Vec<String> = doc["components"]["schemas"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let (a, b) = (a.get(&names).clone(), b.get(&names).clone());
        let how = make_cycle(&mut doc, kind, &a, &b, n);
        let result = check(&doc, yaml, LIMIT, &|| format!("{}: {how}", s.name));
        // A cycle made only of `$ref`s describes no value: it must be refused.
        if matches!(kind, 0..=2) {
            prop_assert!(result.is_err(), "{}: {how} was accepted", s.name);
        }
    }
}

/// One schema nested `depth` times in the given way, around `{type: string}`.
fn nested_schema(shape: usize, depth: usize) -> String {
    let (open, close) = match shape {
        0 => (r#"{"type":"object","properties":{"p":"#, "}}"),
        1 => (r#"{"type":"array","items":"#, "}"),
        2 => (r#"{"allOf":["#, "]}"),
        3 => (r#"{"anyOf":[{"type":"null"},"#, "]}"),
        4 => (r#"{"type":"object","additionalProperties":"#, "}"),
        5 => (r#"{"not":"#, "}"),
        6 => (r#"{"oneOf":[{"type":"integer"},"#, "]}"),
        _ => (
            r#"{"type":"object","properties":{"a":{"type":"string"},"b":"#,
            "}}",
        ),
    };
    format!(
        "{}{}{}",
        open.repeat(depth),
        r#"{"type":"string"}"#,
        close.repeat(depth)
    )
}

/// A whole document whose schema `Deep` (used by an operation) is `schema`.
fn deep_document(schema: &str, extra: &str) -> String {
    format!(
        r##"{{"openapi":"3.1.0","info":{{"title":"Deep","version":"1"}},"paths":{{"/deep":{{"post":{{"operationId":"deep","requestBody":{{"content":{{"application/json":{{"schema":{{"$ref":"#/components/schemas/Deep"}}}}}}}},"responses":{{"200":{{"description":"ok","content":{{"application/json":{{"schema":{{"$ref":"#/components/schemas/Deep"}}}}}}}}}}{extra}}}}}}},"components":{{"schemas":{{"Deep":{schema}}}}}}}"##
    )
}

/// Nesting deeper than the reader accepts (128 levels of mappings and lists) must be refused with a pointer.
const DEPTH_LIMIT: usize = 128;

#[test]
fn deep_nesting_is_refused_or_generated() {
    let mut cases = 0;
    for shape in 0..8 {
        for depth in [
            1, 5, 20, 40, 60, 100, 126, 127, 128, 129, 200, 1_000, 100_000,
        ] {
            let schema = nested_schema(shape, depth);
            let json = deep_document(&schema, "");
            // The same text through the YAML reader (flow style), and in block style when small.
            let yaml_flow = format!("# yaml\n{json}");
            let mut texts = vec![("json", json.clone()), ("yaml flow", yaml_flow)];
            if depth <= 200 {
                let doc: Result<Value, _> = serde_json::from_str(&json);
                if let Ok(doc) = doc {
                    texts.push(("yaml block", text_of(&doc, true)));
                }
            }
            for (format, text) in texts {
                cases += 1;
                let what = || format!("shape {shape}, depth {depth}, {format}");
                match run(text, LIMIT, &what) {
                    Ok(_) => assert!(
                        depth < DEPTH_LIMIT,
                        "nesting beyond the limit was accepted: {}",
                        what()
                    ),
                    Err(errors) if depth > DEPTH_LIMIT => assert!(
                        errors
                            .0
                            .iter()
                            .any(|d| d.message.contains("deeper than") && d.line.is_some()),
                        "deep nesting refused without saying so ({}):\n{errors}",
                        what()
                    ),
                    Err(_) => {}
                }
            }
        }
    }
    // Deep non-schema data: examples and extensions.
    for depth in [100, 127, 129, 100_000] {
        let deep_list = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        for extra in [
            format!(r#","x-deep":{deep_list}"#),
            format!(r#","description":"d","summary":{deep_list}"#),
        ] {
            cases += 1;
            let schema = format!(r#"{{"type":"object","example":{deep_list}}}"#);
            let text = deep_document(&schema, &extra);
            run(text, LIMIT, &|| format!("deep data, depth {depth}")).ok();
        }
    }
    assert!(cases > 250);
}

/// A chain of `n` component schemas, each holding the next, lowered from either end.
fn chain_document(n: usize, reverse: bool, by_ref_only: bool) -> String {
    let mut schemas: Vec<String> = (0..n)
        .map(|i| {
            let next = if i + 1 < n {
                format!(r##"{{"$ref":"#/components/schemas/S{}"}}"##, i + 1)
            } else {
                r#"{"type":"string"}"#.to_owned()
            };
            if by_ref_only {
                format!(r#""S{i}":{next}"#)
            } else {
                format!(r#""S{i}":{{"type":"object","required":["next"],"properties":{{"next":{next}}}}}"#)
            }
        })
        .collect();
    if reverse {
        schemas.reverse();
    }
    deep_document(r##"{"$ref":"#/components/schemas/S0"}"##, "").replace(
        r#""schemas":{"Deep":"#,
        &format!(r#""schemas":{{{},"Deep":"#, schemas.join(",")),
    )
}

#[test]
fn deep_ref_chains_are_refused_or_generated() {
    // Lowered from the first link, a chain deeper than 200 schemas is refused; from the last
    // link every step is shallow, so long reversed chains generate (and exercise emission).
    for (n, reverse) in [
        (10, false),
        (199, false),
        (201, false),
        (5_000, false),
        (10, true),
        (201, true),
        (400, true),
    ] {
        for by_ref_only in [false, true] {
            let what =
                || format!("a chain of {n} schemas (reverse: {reverse}, bare refs: {by_ref_only})");
            let result = run(chain_document(n, reverse, by_ref_only), BIG_LIMIT, &what);
            if n > 200 && !reverse && !by_ref_only {
                let errors = result.expect_err("a chain deeper than the limit is refused");
                assert!(
                    errors.to_string().contains("levels deep"),
                    "{}:\n{errors}",
                    what()
                );
            }
        }
    }
}

/// Enum values: odd, colliding once cased, empty, duplicated, and not strings at all.
fn enum_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => "[a-z_]{1,8}".prop_map(Value::from),
        2 => "\\PC{0,8}".prop_map(Value::from),
        1 => prop::sample::select(ODD_NAMES).prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => Just(Value::Null),
        1 => Just(json!(true)),
    ]
}

proptest! {
    #![proptest_config(config(40))]

    /// Enumerations with thousands of values, as plain enums, as unions of constants, and as big unions of objects.
    #[test]
    fn huge_enums(
        values in prop::collection::vec(enum_value(), 0..300),
        repeat in 1..20usize,
        shape in 0..4usize,
        yaml in any::<bool>(),
    ) {
        // Up to 6,000 values, with many duplicates when repeated.
        let all: Vec<Value> = values.iter().cycle().take(values.len() * repeat).cloned().collect();
        let schema = match shape {
            0 => json!({"type": "string", "enum": all}),
            1 => json!({"enum": all}),
            2 => json!({"anyOf": all.iter().map(|v| json!({"const": v})).collect::<Vec<_>>()}),
            _ => json!({"oneOf": all.iter().take(600).enumerate().map(|(i, v)| json!({
                "type": "object",
                "title": v.as_str().unwrap_or(""),
                "required": [format!("p{i}")],
                "properties": {format!("p{i}"): {"type": "string"}},
            })).collect::<Vec<_>>()}),
        };
        let mut doc = seeds()[0].doc.clone();
        doc["components"]["schemas"]["Status"] = schema;
        let result = check(&doc, yaml, LIMIT, &|| format!("{} values in shape {shape}", all.len()));
        if let Ok(generated) = result {
            if all.len() < 500 {
                assert_valid_rust(&generated, &|| format!("{} enum values in shape {shape}", all.len()));
            }
        }
    }
}

/// Names that trip up code generators.
const ODD_NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "_",
    "__",
    "fn",
    "match",
    "async",
    "await",
    "dyn",
    "try",
    "gen",
    "union",
    "macro_rules",
    "r#type",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "std",
    "core",
    "serde",
    "models",
    "Error",
    "Client",
    "",
    " ",
    "1",
    "123abc",
    "2fa",
    "0",
    "-1",
    "é",
    "日本語",
    "🎉",
    "Ωmega",
    "ǅ",
    "ß",
    "İ",
    "a b",
    "a-b",
    "a.b",
    "a/b",
    "a~b",
    "{id}",
    "[]",
    "#",
    "%20",
    "$ref",
    "x-",
    "userId",
    "user_id",
    "UserID",
    "user-id",
    "USER_ID",
    "Unknown",
    "unknown",
    "value",
    "Value",
    "new",
    "builder",
    "send",
    "into_future",
    "list",
    "page",
    "config",
];

fn odd_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(ODD_NAMES).prop_map(str::to_owned),
        1 => "\\PC{0,12}",
        1 => "[0-9][a-z0-9_-]{0,6}",
        1 => Just("a".repeat(300)),
    ]
}

/// Where a name goes in the document.
fn place_name(doc: &mut Value, place: usize, pick: usize, name: &str) -> Option<String> {
    let choose = |list: &[String]| -> Option<String> {
        (!list.is_empty()).then(|| list[pick % list.len()].clone())
    };
    match place {
        // A component schema key, with every `$ref` to it rewritten.
        0 => {
            let keys: Vec<String> = doc["components"]["schemas"]
                .as_object()?
                .keys()
                .cloned()
                .collect();
            let old = choose(&keys)?;
            let from = format!("#/components/schemas/{}", escape(&old));
            let to = format!("#/components/schemas/{}", escape(name).replace('%', "%25"));
            rename(doc, &format!("/components/schemas/{}", escape(&old)), name);
            rewrite_refs(doc, &from, &to);
            Some(format!("schema {old:?} -> {name:?}"))
        }
        // A property, in `properties` and `required`.
        1 => {
            let mut props = Vec::new();
            find_members(doc, "properties", &mut String::new(), &mut props);
            let at = choose(&props)?;
            let (parent, old) = split(&at);
            rename(doc, &at, name);
            if let Some(Value::Array(req)) =
                doc.pointer_mut(&format!("{}/required", split(parent).0))
            {
                for r in req.iter_mut().filter(|r| **r == json!(old)) {
                    *r = json!(name);
                }
            }
            Some(format!("property {at} -> {name:?}"))
        }
        // An enum value.
        2 => {
            let mut enums = Vec::new();
            find_members(doc, "enum", &mut String::new(), &mut enums);
            let at = choose(&enums)?;
            let items = doc.pointer_mut(&at)?.as_array_mut()?;
            let i = (pick / 7) % items.len().max(1);
            if items.is_empty() {
                return None;
            }
            items[i] = json!(name);
            Some(format!("enum value {at}/{i} -> {name:?}"))
        }
        // An operationId, name override or tag.
        3 => {
            let key = ["operationId", "x-speakeasy-name-override", "tags"][pick % 3];
            let op = first_operation(doc)?;
            op[key] = if key == "tags" {
                json!([name])
            } else {
                json!(name)
            };
            Some(format!("{key} -> {name:?}"))
        }
        // A parameter name.
        4 => {
            let mut params = Vec::new();
            find_members(doc, "parameters", &mut String::new(), &mut params);
            let at = choose(&params)?;
            let list = doc.pointer_mut(&at)?.as_array_mut()?;
            let p = list.iter_mut().find(|p| p.get("name").is_some())?;
            p["name"] = json!(name);
            Some(format!("a parameter in {at} -> {name:?}"))
        }
        // A title (the strongest name hint).
        5 => {
            let keys: Vec<String> = doc["components"]["schemas"]
                .as_object()?
                .keys()
                .cloned()
                .collect();
            let key = choose(&keys)?;
            doc["components"]["schemas"][&key]["title"] = json!(name);
            Some(format!("title of {key} -> {name:?}"))
        }
        // The API title and a path.
        _ => {
            doc["info"]["title"] = json!(name);
            let paths = doc.get_mut("paths")?.as_object_mut()?;
            let old = paths.keys().next()?.clone();
            let v = paths.remove(&old)?;
            paths.insert(format!("/{name}{old}"), v);
            Some(format!("info.title and path prefix -> {name:?}"))
        }
    }
}

/// Pointers of every value under a key named `key`.
fn find_members(v: &Value, key: &str, ptr: &mut String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, c)| (k.clone(), c)).collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, c)| (i.to_string(), c))
            .collect(),
        _ => return,
    };
    for (k, child) in children {
        let len = ptr.len();
        ptr.push('/');
        ptr.push_str(&escape(&k));
        if k == key {
            if let Value::Object(m) = child {
                out.extend(m.keys().map(|name| format!("{ptr}/{}", escape(name))));
            } else if child.is_array() {
                out.push(ptr.clone());
            }
        }
        if !(k == "example" || k == "examples" || k.starts_with("x-")) {
            find_members(child, key, ptr, out);
        }
        ptr.truncate(len);
    }
}

fn rewrite_refs(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::Object(m) => {
            for (k, c) in m.iter_mut() {
                if k == "$ref" && c.as_str() == Some(from) {
                    *c = json!(to);
                } else {
                    rewrite_refs(c, from, to);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| rewrite_refs(c, from, to)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(config(500))]

    /// Keywords, unicode, leading digits, empty strings and collisions as schema, property,
    /// enum, operation, tag and parameter names: whatever is generated must be valid Rust.
    #[test]
    fn odd_names_make_valid_rust(
        seed in 0..6usize,
        renames in prop::collection::vec((0..7usize, any::<usize>(), odd_name()), 1..6),
        yaml in any::<bool>(),
    ) {
        let s = small_seed(seed);
        let mut doc = s.doc.clone();
        let done: Vec<String> = renames
            .iter()
            .filter_map(|(place, pick, name)| place_name(&mut doc, *place, *pick, name))
            .collect();
        let what = || format!("{} with {done:?}", s.name);
        if let Ok(generated) = check(&doc, yaml, LIMIT, &what) {
            assert_valid_rust(&generated, &what);
        }
    }
}

/// A small seed's text (YAML for even `seed`s, JSON for odd ones) changed by
/// `kind`: 0 cut at a byte, 1 with lines removed, 2 with noise inserted;
/// 3 is the noise alone, 4 random bytes. Gives the text and what was done.
fn text_mutation(
    seed: usize,
    kind: usize,
    at: Index,
    len: usize,
    noise: &str,
    bytes: &[u8],
) -> (String, String) {
    let s = small_seed(seed);
    let full = s.text(seed.is_multiple_of(2));
    let mut cut_at = at.index(full.len() + 1);
    while !full.is_char_boundary(cut_at) {
        cut_at -= 1;
    }
    let text = match kind {
        0 => full[..cut_at].to_owned(),
        1 => {
            let lines: Vec<&str> = full.lines().collect();
            let drop = at.index(lines.len().max(1));
            lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i < drop || *i > drop + len / 40)
                .map(|(_, l)| *l)
                .collect::<Vec<_>>()
                .join("\n")
        }
        2 => format!("{}{noise}{}", &full[..cut_at], &full[cut_at..]),
        3 => noise.to_owned(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    };
    (
        text,
        format!("{}: text mutation {kind} at byte {cut_at}", s.name),
    )
}

// Not a document at all, or a real one cut short, with lines lost, or with
// noise inserted: 4,000 cases in all, in four tests (800 per kind, as one
// test drawing the kind would give), so that they run side by side.

proptest! {
    #![proptest_config(config(800))]

    /// A real document cut short at any byte.
    #[test]
    fn garbage_and_truncated_text_cut(
        seed in 0..6usize,
        at in any::<Index>(),
    ) {
        let (text, what) = text_mutation(seed, 0, at, 0, "", &[]);
        run(text, LIMIT, &|| what.clone()).ok();
    }
}

proptest! {
    #![proptest_config(config(800))]

    /// A real document with a run of its lines lost.
    #[test]
    fn garbage_and_truncated_text_lines_lost(
        seed in 0..6usize,
        at in any::<Index>(),
        len in 0..400usize,
    ) {
        let (text, what) = text_mutation(seed, 1, at, len, "", &[]);
        run(text, LIMIT, &|| what.clone()).ok();
    }
}

proptest! {
    #![proptest_config(config(800))]

    /// A real document with noise inserted at any byte.
    #[test]
    fn garbage_and_truncated_text_noise_inserted(
        seed in 0..6usize,
        at in any::<Index>(),
        noise in "\\PC{0,200}",
    ) {
        let (text, what) = text_mutation(seed, 2, at, 0, &noise, &[]);
        run(text, LIMIT, &|| what.clone()).ok();
    }
}

proptest! {
    #![proptest_config(config(1600))]

    /// Not a document at all: printable noise, or random bytes.
    #[test]
    fn garbage_and_truncated_text_garbage(
        seed in 0..6usize,
        kind in 3..5usize,
        at in any::<Index>(),
        noise in "\\PC{0,200}",
        bytes in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let (text, what) = text_mutation(seed, kind, at, 0, &noise, &bytes);
        run(text, LIMIT, &|| what.clone()).ok();
    }
}

proptest! {
    #![proptest_config(config(6))]

    /// The same mutations on `spec/autumn.yaml`, fewer times (it is large).
    #[test]
    fn mutations_of_the_autumn_spec_never_panic(
        drops in prop::collection::vec(any::<Index>(), 0..3),
        changes in prop::collection::vec((any::<Index>(), any::<Index>()), 0..3),
        broken_ref in any::<Option<Index>>(),
        yaml in any::<bool>(),
    ) {
        let s = big();
        let mut doc = s.doc.clone();
        let mut done = Vec::new();
        for p in &drops {
            let ptr = p.get(&s.nodes);
            if remove(&mut doc, ptr) {
                done.push(format!("drop {ptr}"));
            }
        }
        let values = odd_values();
        for (node, value) in &changes {
            let ptr = node.get(&s.nodes);
            let v = value.get(&values).clone();
            if replace(&mut doc, ptr, v.clone()) {
                done.push(format!("{ptr} = {v}"));
            }
        }
        if let Some(r) = broken_ref {
            let ptr = r.get(&s.refs);
            if replace(&mut doc, ptr, json!("#/components/schemas/DoesNotExist")) {
                done.push(format!("{ptr} dangles"));
            }
        }
        check(&doc, yaml, BIG_LIMIT, &|| format!("{} with {done:?}", s.name)).ok();
    }
}

// ---------------------------------------------------------------- on disk

/// A refused document leaves the previous output exactly as it was.
#[test]
fn refused_documents_leave_previous_output_intact() {
    let dir = std::env::temp_dir().join(format!("robustness-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("generated");
    let good = generator::generate_str(STORE, &options()).expect("the store spec generates");
    generator::write::write_atomically(&out, &good.files, false).expect("writes");
    let before = snapshot(&out);
    let s = &small()[0];
    let mut refused = 0;
    for (i, ptr) in s.refs.iter().enumerate() {
        let mut doc = s.doc.clone();
        replace(&mut doc, ptr, json!(DANGLING[i % DANGLING.len()]));
        // What `cargo run -p generator` does: generate, and write only what was generated.
        if let Ok(g) = generator::generate_str(&text_of(&doc, false), &options()) {
            generator::write::write_atomically(&out, &g.files, false).expect("writes");
        } else {
            refused += 1;
        }
        assert_eq!(
            snapshot(&out),
            before,
            "output changed after refusing {ptr}"
        );
    }
    assert!(refused > 5);
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "staging directories left behind");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every file under `root` with its bytes.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Accepted mutations, deterministic, for the compile check.
fn compile_samples() -> Vec<(&'static str, Value)> {
    let mut samples = Vec::new();
    // Odd names everywhere in the minimal fixture.
    let mut doc = seeds()[2].doc.clone();
    let mut i = 0;
    for place in 0..7 {
        for _ in 0..3 {
            let name = ODD_NAMES[(i * 7) % ODD_NAMES.len()];
            i += 1;
            place_name(&mut doc, place, i * 5, name);
        }
    }
    samples.push(("odd names", doc));
    // A big enum of odd and colliding values, and a union of constants.
    let mut doc = seeds()[0].doc.clone();
    let values: Vec<Value> = ODD_NAMES
        .iter()
        .chain(["a_b", "a-b", "A B", "aB"].iter())
        .map(|s| json!(s))
        .collect();
    doc["components"]["schemas"]["Status"] = json!({"type": "string", "enum": values});
    doc["components"]["schemas"]["Money"]["properties"]["currency"] =
        json!({"anyOf": values.iter().map(|v| json!({"const": v})).collect::<Vec<_>>()});
    samples.push(("huge enums", doc));
    // Recursion through required properties, lists and maps.
    let mut doc = seeds()[1].doc.clone();
    make_cycle(&mut doc, 8, "Problem", "Animal", 0);
    make_cycle(&mut doc, 7, "Cat", "Dog", 0);
    samples.push(("recursive types", doc));
    // Nesting as deep as is accepted.
    let deep: Value = serde_json::from_str(&deep_document(&nested_schema(0, 40), "")).unwrap();
    samples.push(("deep nesting", deep));
    samples
}

#[test]
#[ignore = "slow: compiles generated crates; .ci/run runs it with --include-ignored"]
fn mutated_specs_compile() {
    let target = tests::check_target();
    for (name, doc) in compile_samples() {
        let generated = generator::generate_str(
            &text_of(&doc, false),
            &EmitOptions {
                crate_name: Some("fuzz-sdk".into()),
                spec_label: "fuzz.yaml".into(),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{name}: refused:\n{e}"));
        let dir = std::env::temp_dir().join(format!(
            "robustness-crate-{}-{}",
            name.replace(' ', "-"),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        generator::write::write_atomically(&dir, &generated.files, false).expect("writes");
        // The workspace's lock file pins the same dependency versions the SDK builds with.
        std::fs::copy(
            tests::workspace().join("Cargo.lock"),
            dir.join("Cargo.lock"),
        )
        .expect("copies");
        let output =
            std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(["check", "--quiet", "--all-targets", "--offline"])
                .current_dir(&dir)
                .env("CARGO_TARGET_DIR", &target)
                .env("RUSTFLAGS", "-D warnings")
                .output()
                .expect("cargo runs");
        assert!(
            output.status.success(),
            "{name}: the generated crate does not compile without warnings:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
