//! Every response example in the upstream 2.3.0 document that is valid
//! against its own schema decodes into our generated type and re-encodes to
//! the same JSON. Examples that fail their own schema are counted and listed,
//! not trusted. Needs `SHARED_SPECS`.
//!
//! Our spec states the same facts as upstream (see the fidelity test), so the
//! type our SDK gives an operation's answer is the type upstream's examples
//! must fit. The test writes a small crate with one test per example (types
//! are only known once the generator has named them) and runs it.

use std::fmt::Write as _;

use serde_json::Value;
use tests::{our_api, rust_type, shared_specs, Harness, JSON_DIFFERENCE};

/// Replaces every `$ref` with its target (cycles stop at a depth limit).
fn inline_refs(doc: &Value, v: &Value, depth: usize) -> Value {
    match v {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                if depth > 40 {
                    return Value::Bool(true);
                }
                let target = doc
                    .pointer(r.trim_start_matches('#'))
                    .cloned()
                    .unwrap_or(Value::Bool(true));
                let mut resolved = inline_refs(doc, &target, depth + 1);
                // 3.1: keywords next to `$ref` apply too.
                if let Value::Object(out) = &mut resolved {
                    for (k, sibling) in map.iter().filter(|(k, _)| *k != "$ref") {
                        out.insert(k.clone(), inline_refs(doc, sibling, depth + 1));
                    }
                }
                return resolved;
            }
            Value::Object(
                map.iter()
                    .map(|(k, x)| (k.clone(), inline_refs(doc, x, depth)))
                    .collect(),
            )
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|x| inline_refs(doc, x, depth)).collect())
        }
        other => other.clone(),
    }
}

/// The harness's `round_trip`: decodes `json` as `T`, encodes it again and
/// compares (with [`JSON_DIFFERENCE`]'s `difference`).
const ROUND_TRIP: &str = r#"
/// Decodes `json` as `T`, encodes it again, and compares: a `null` and an
/// absent key are the same answer, numbers compare by value.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) {
    let original: serde_json::Value = serde_json::from_str(json).unwrap();
    let decoded: T = serde_path_to_error::deserialize(&original).unwrap_or_else(|e| panic!("does not decode: {e}"));
    let again = serde_json::to_value(&decoded).unwrap();
    if let Some((at, what)) = difference("", &original, &again) {
        panic!("re-encodes differently at {at}: {what}");
    }
}
"#;

#[test]
#[ignore = "reads the upstream document (SHARED_SPECS) and builds a harness crate; run with --include-ignored"]
fn upstream_response_examples_decode_and_round_trip() {
    let upstream_path = shared_specs().join("autumn/autumn-2.3.0.yml");
    let upstream: Value =
        serde_yaml::from_str(&std::fs::read_to_string(&upstream_path).expect("upstream is there"))
            .expect("YAML");
    // Our types, by operation id and status.
    let api = our_api();

    let mut tests = String::new();
    let (mut valid, mut invalid) = (0, Vec::new());
    for (path, item) in upstream["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let Some(ours) = api.operations.iter().find(|o| o.id == id) else {
                panic!("{id} is missing from our spec")
            };
            for (status, resp) in op["responses"].as_object().into_iter().flatten() {
                let Some(media) = resp.pointer("/content/application~1json") else {
                    continue;
                };
                let schema = inline_refs(&upstream, &media["schema"], 0);
                let mut examples: Vec<Value> = Vec::new();
                examples.extend(media.get("example").cloned());
                if let Some(map) = media.get("examples").and_then(Value::as_object) {
                    examples.extend(map.values().filter_map(|e| e.get("value").cloned()));
                }
                if let Some(list) = schema.get("examples").and_then(Value::as_array) {
                    examples.extend(list.iter().cloned());
                }
                examples.extend(schema.get("example").cloned());
                if examples.is_empty() {
                    continue;
                }
                let validator =
                    jsonschema::draft202012::new(&schema).expect("upstream schema compiles");
                let ty = ours
                    .success
                    .iter()
                    .find(|r| r.status == *status)
                    .and_then(|r| r.ty.as_ref());
                let Some(ty) = ty else {
                    panic!("{id} {status}: no answer type in our SDK")
                };
                let ty = rust_type(&api.types, ty);
                for (i, example) in examples.iter().enumerate() {
                    let place = format!("{method} {path} {status} example {i}");
                    if let Some(err) = validator.iter_errors(example).next() {
                        invalid.push(format!("{place}: {} at {}", err, err.instance_path));
                        continue;
                    }
                    valid += 1;
                    let json = serde_json::to_string(example).unwrap();
                    let _ = writeln!(
                        tests,
                        "#[test]\nfn {}_{}_{i}() {{\n    // {place}\n    round_trip::<{ty}>({json:?});\n}}\n",
                        id.to_lowercase(),
                        status.to_lowercase()
                    );
                }
            }
        }
    }
    println!(
        "upstream response examples: {valid} valid against their own schema, {} invalid:",
        invalid.len()
    );
    for line in &invalid {
        println!("  invalid (not trusted): {line}");
    }
    assert!(valid > 0, "no usable examples found");

    let examples = format!("{ROUND_TRIP}{JSON_DIFFERENCE}\n{tests}");
    let harness = Harness::write(
        "decode-examples",
        &[
            ("src/lib.rs", "//! Harness for the upstream examples.\n"),
            ("tests/examples.rs", &examples),
        ],
    );
    let output = harness
        .cargo(&["test", "--quiet", "--test", "examples"])
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in stdout.lines().filter(|l| {
        l.contains("test result")
            || l.contains("panicked")
            || l.contains("re-encodes")
            || l.contains("does not decode")
    }) {
        println!("{line}");
    }
    assert!(
        output.status.success(),
        "some valid upstream examples do not decode or round-trip:\n{stdout}\n{stderr}"
    );
}
