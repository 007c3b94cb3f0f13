//! Checks that every `$ref` in the document points at something.
//!
//! Runs on the document as written (before normalisation), so the pointers in
//! its messages are the user's own.

use std::fmt::Write;

use serde_json::Value;

use crate::diagnostics::{push_segment, Diagnostic};

/// Reports every `$ref` that is not a string, is external, or dangles, in
/// document order.
pub fn check_refs(doc: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    visit(doc, doc, &mut String::new(), &mut out);
    out
}

/// Keys whose values are free-form data: a `$ref` there is not a reference.
fn skipped(key: &str) -> bool {
    key == "example" || key == "examples" || key.starts_with("x-")
}

fn visit(doc: &Value, v: &Value, ptr: &mut String, out: &mut Vec<Diagnostic>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let len = ptr.len();
                push_segment(ptr, k);
                if k == "$ref" && !map.contains_key("x-ignore-ref") {
                    check_one(doc, child, ptr, out);
                } else if !skipped(k) {
                    visit(doc, child, ptr, out);
                }
                ptr.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = ptr.len();
                let _ = write!(ptr, "/{i}");
                visit(doc, child, ptr, out);
                ptr.truncate(len);
            }
        }
        _ => {}
    }
}

fn check_one(doc: &Value, target: &Value, ptr: &str, out: &mut Vec<Diagnostic>) {
    let Some(target) = target.as_str() else {
        out.push(Diagnostic::new(ptr, "`$ref` must be a string"));
        return;
    };
    match target.strip_prefix('#') {
        Some(pointer) => {
            if resolve(doc, pointer).is_none() {
                out.push(Diagnostic::new(ptr, format!("`$ref` points at `{target}`, which does not exist")));
            }
        }
        None => out.push(Diagnostic::new(
            ptr,
            format!("`$ref` to another document (`{target}`) is not supported; bundle the document first"),
        )),
    }
}

/// Resolves a local JSON pointer (the part after `#`), decoding `%XX` escapes.
pub fn resolve<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.contains('%') {
        doc.pointer(&percent_decode(pointer))
    } else {
        doc.pointer(pointer)
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dangling_ref_is_reported_with_its_pointer() {
        let doc = json!({"components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}}}});
        let errs = check_refs(&doc);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].pointer, "/components/schemas/A/$ref");
        assert!(errs[0].message.contains("#/components/schemas/B"));
    }

    #[test]
    fn good_refs_and_examples_pass() {
        let doc = json!({"components": {"schemas": {"A": {"type": "string", "example": {"$ref": "nope"}}, "B": {"$ref": "#/components/schemas/A"}}}});
        assert!(check_refs(&doc).is_empty());
    }

    #[test]
    fn external_refs_are_refused() {
        let doc = json!({"a": {"$ref": "other.yaml#/x"}});
        assert!(check_refs(&doc)[0].message.contains("another document"));
    }

    #[test]
    fn problems_come_in_document_order_with_their_pointers() {
        let doc = json!({
            "paths": {
                "/b": {"get": {"responses": {"200": {"$ref": "#/nope/1"}}}},
                "x-skip": {"$ref": "#/nope/x"},
                "/a~c": {"parameters": [{"$ref": 5}]}
            },
            "components": {"schemas": {"A": {"$ref": "#/nope/2"}}},
            "x-top": {"$ref": "#/nope/x"}
        });
        let pointers: Vec<String> = check_refs(&doc).into_iter().map(|d| d.pointer).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1b/get/responses/200/$ref",
                "/paths/~1a~0c/parameters/0/$ref",
                "/components/schemas/A/$ref"
            ]
        );
    }

    #[test]
    fn percent_escapes_resolve() {
        let doc = json!({"paths": {"/a{b}": {"x": 1}}});
        assert!(resolve(&doc, "/paths/~1a%7Bb%7D/x").is_some());
    }
}
