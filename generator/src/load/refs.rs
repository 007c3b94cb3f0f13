//! Checks that every `$ref` in the document points at something.
//!
//! Runs on the document as written (before normalisation), so the pointers in
//! its messages are the user's own.

use serde_json::Value;

use crate::diagnostics::{escape_segment, Diagnostic};

/// Reports every `$ref` that is not a string, is external, or dangles.
pub fn check_refs(doc: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut ptr = String::new();
    visit(doc, doc, &mut ptr, &mut out);
    out
}

fn visit(doc: &Value, v: &Value, ptr: &mut String, out: &mut Vec<Diagnostic>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&escape_segment(k));
                if k == "$ref" && !map.contains_key("x-ignore-ref") {
                    check_one(doc, child, ptr, out);
                } else if !(k == "example" || k == "examples" || k.starts_with("x-")) {
                    // Examples and extensions are free-form data: `$ref` there is not a reference.
                    visit(doc, child, ptr, out);
                }
                ptr.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&i.to_string());
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
    fn percent_escapes_resolve() {
        let doc = json!({"paths": {"/a{b}": {"x": 1}}});
        assert!(resolve(&doc, "/paths/~1a%7Bb%7D/x").is_some());
    }
}
