//! Visits every schema object of a document, wherever the OpenAPI grammar puts one.
//!
//! Both the normaliser and the checks need "every schema, with its pointer";
//! this module is the one place that knows where schemas live (components,
//! parameters, media types, headers, path items, webhooks, callbacks) and
//! which schema keywords hold sub-schemas.

use serde_json::Value;

use crate::diagnostics::push_segment;

/// Keywords whose value is a single sub-schema.
#[rustfmt::skip]
const SCHEMA_KEYWORDS: &[&str] = &[
    "additionalProperties", "not", "propertyNames", "contains", "if", "then", "else",
    "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema",
];
/// Keywords whose value is a list of sub-schemas.
const SCHEMA_LIST_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value is a map of name → sub-schema.
#[rustfmt::skip]
const SCHEMA_MAP_KEYWORDS: &[&str] = &[
    "properties", "patternProperties", "dependentSchemas", "$defs", "definitions",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Calls `f(pointer, schema)` on every schema in the document, parents before children.
///
/// `f` may rewrite the schema in place; the walk then descends into the rewritten form.
pub fn for_each_schema(doc: &mut Value, f: &mut dyn FnMut(&str, &mut Value)) {
    let mut ptr = String::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        with(&mut ptr, "paths", |ptr| {
            for (k, item) in paths.iter_mut() {
                with(ptr, k, |ptr| path_item(ptr, item, f));
            }
        });
    }
    if let Some(hooks) = doc.get_mut("webhooks").and_then(Value::as_object_mut) {
        with(&mut ptr, "webhooks", |ptr| {
            for (k, item) in hooks.iter_mut() {
                with(ptr, k, |ptr| path_item(ptr, item, f));
            }
        });
    }
    let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) else {
        return;
    };
    with(&mut ptr, "components", |ptr| {
        for (section, entries) in components.iter_mut() {
            let Some(entries) = entries.as_object_mut() else {
                continue;
            };
            with(ptr, section, |ptr| {
                for (name, entry) in entries.iter_mut() {
                    with(ptr, name, |ptr| match section.as_str() {
                        "schemas" => schema(ptr, entry, f),
                        "parameters" | "headers" => parameter(ptr, entry, f),
                        "requestBodies" | "responses" => body_or_response(ptr, entry, f),
                        "pathItems" => path_item(ptr, entry, f),
                        "callbacks" => callback(ptr, entry, f),
                        _ => {}
                    });
                }
            });
        }
    });
}

/// Runs `body` with `segment` appended to the pointer, then restores it.
fn with<R>(ptr: &mut String, segment: &str, body: impl FnOnce(&mut String) -> R) -> R {
    let len = ptr.len();
    push_segment(ptr, segment);
    let r = body(ptr);
    ptr.truncate(len);
    r
}

fn path_item(ptr: &mut String, item: &mut Value, f: &mut dyn FnMut(&str, &mut Value)) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for (key, value) in item.iter_mut() {
        with(ptr, key, |ptr| {
            if key == "parameters" {
                each_item(ptr, value, |ptr, p| parameter(ptr, p, f));
            } else if METHODS.contains(&key.as_str()) {
                operation(ptr, value, f);
            }
        });
    }
}

fn operation(ptr: &mut String, op: &mut Value, f: &mut dyn FnMut(&str, &mut Value)) {
    let Some(op) = op.as_object_mut() else { return };
    for (key, value) in op.iter_mut() {
        with(ptr, key, |ptr| match key.as_str() {
            "parameters" => each_item(ptr, value, |ptr, p| parameter(ptr, p, f)),
            "requestBody" => body_or_response(ptr, value, f),
            "responses" => each_entry(ptr, value, |ptr, r| body_or_response(ptr, r, f)),
            "callbacks" => each_entry(ptr, value, |ptr, c| callback(ptr, c, f)),
            _ => {}
        });
    }
}

fn callback(ptr: &mut String, cb: &mut Value, f: &mut dyn FnMut(&str, &mut Value)) {
    each_entry(ptr, cb, |ptr, item| path_item(ptr, item, f));
}

fn parameter(ptr: &mut String, p: &mut Value, f: &mut dyn FnMut(&str, &mut Value)) {
    let Some(obj) = p.as_object_mut() else { return };
    if let Some(s) = obj.get_mut("schema") {
        with(ptr, "schema", |ptr| schema(ptr, s, f));
    }
    if let Some(c) = obj.get_mut("content") {
        with(ptr, "content", |ptr| content(ptr, c, f));
    }
}

fn body_or_response(ptr: &mut String, b: &mut Value, f: &mut dyn FnMut(&str, &mut Value)) {
    let Some(obj) = b.as_object_mut() else { return };
    if let Some(c) = obj.get_mut("content") {
        with(ptr, "content", |ptr| content(ptr, c, f));
    }
    if let Some(h) = obj.get_mut("headers") {
        with(ptr, "headers", |ptr| {
            each_entry(ptr, h, |ptr, h| parameter(ptr, h, f))
        });
    }
}

fn content(ptr: &mut String, c: &mut Value, f: &mut dyn FnMut(&str, &mut Value)) {
    each_entry(ptr, c, |ptr, media| {
        if let Some(s) = media.get_mut("schema") {
            with(ptr, "schema", |ptr| schema(ptr, s, f));
        }
    });
}

/// Visits a schema and then its sub-schemas.
pub fn schema(ptr: &mut String, s: &mut Value, f: &mut dyn FnMut(&str, &mut Value)) {
    f(ptr, s);
    let Some(obj) = s.as_object_mut() else { return };
    for (key, value) in obj.iter_mut() {
        let key = key.as_str();
        if SCHEMA_KEYWORDS.contains(&key) || (key == "items" && !value.is_array()) {
            with(ptr, key, |ptr| schema(ptr, value, f));
        } else if SCHEMA_LIST_KEYWORDS.contains(&key) || (key == "items" && value.is_array()) {
            with(ptr, key, |ptr| {
                each_item(ptr, value, |ptr, s| schema(ptr, s, f))
            });
        } else if SCHEMA_MAP_KEYWORDS.contains(&key) {
            with(ptr, key, |ptr| {
                each_entry(ptr, value, |ptr, s| schema(ptr, s, f))
            });
        }
    }
}

fn each_item(ptr: &mut String, v: &mut Value, mut f: impl FnMut(&mut String, &mut Value)) {
    if let Some(items) = v.as_array_mut() {
        for (i, item) in items.iter_mut().enumerate() {
            with(ptr, &i.to_string(), |ptr| f(ptr, item));
        }
    }
}

fn each_entry(ptr: &mut String, v: &mut Value, mut f: impl FnMut(&mut String, &mut Value)) {
    if let Some(map) = v.as_object_mut() {
        for (k, item) in map.iter_mut() {
            with(ptr, k, |ptr| f(ptr, item));
        }
    }
}
