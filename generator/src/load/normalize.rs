//! Rewrites an OpenAPI 3.1 (or 3.0) document, in place, into the 3.0 shape the
//! `openapiv3` crate can hold, without losing anything.
//!
//! What 3.0 cannot say travels in `x-` extensions that `openapiv3` keeps and
//! `lower/` reads back. Each rewrite is one small function below; all of them
//! are no-ops on a document that is already in 3.0 shape.

use serde_json::{json, Map, Value};

use super::walk::for_each_schema;
use crate::diagnostics::Diagnostic;

/// Schema keywords `openapiv3` holds as they are.
#[rustfmt::skip]
const KNOWN: &[&str] = &[
    "type", "format", "title", "description", "default", "example", "nullable", "readOnly",
    "writeOnly", "deprecated", "externalDocs", "discriminator", "xml", "enum", "multipleOf",
    "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "maxLength", "minLength",
    "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "required",
    "properties", "additionalProperties", "items", "allOf", "anyOf", "oneOf", "not", "$ref",
];
/// 3.1 keywords we read back from an `x-` extension of the same name.
#[rustfmt::skip]
const CARRIED: &[(&str, &str)] = &[
    ("examples", "x-examples"), ("prefixItems", "x-prefix-items"),
    ("propertyNames", "x-property-names"), ("patternProperties", "x-pattern-properties"),
    ("contentMediaType", "x-content-media-type"), ("contentEncoding", "x-content-encoding"),
];
/// Keywords that carry no meaning for code generation.
#[rustfmt::skip]
const ANNOTATIONS: &[&str] = &[
    "$schema", "$id", "$comment", "$anchor", "$dynamicAnchor", "$defs", "definitions",
];

/// Normalises `doc` in place; returns warnings about keywords the generator ignores.
pub fn normalize(doc: &mut Value) -> Vec<Diagnostic> {
    if let Some(root) = doc.as_object_mut() {
        // 3.1 documents may have only webhooks; openapiv3 requires `paths`.
        root.entry("paths").or_insert_with(|| json!({}));
    }
    let mut warnings = Vec::new();
    for_each_schema(doc, &mut |ptr, schema| {
        normalize_schema(ptr, schema, &mut warnings)
    });
    warnings
}

/// All rewrites of one schema object, in the order they depend on each other.
pub fn normalize_schema(ptr: &str, schema: &mut Value, warnings: &mut Vec<Diagnostic>) {
    boolean_schema(schema);
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    ref_with_siblings(obj);
    type_array(obj);
    null_branches(obj, "anyOf");
    null_branches(obj, "oneOf");
    null_in_enum(obj);
    constant(obj);
    numeric_exclusive_bound(obj, "exclusiveMinimum", "minimum");
    numeric_exclusive_bound(obj, "exclusiveMaximum", "maximum");
    tuple_items(obj);
    carried_keywords(obj);
    unknown_keywords(ptr, obj, warnings);
}

/// `true` is the empty schema; `false` matches nothing (`not: {}`).
fn boolean_schema(schema: &mut Value) {
    match schema {
        Value::Bool(true) => *schema = json!({}),
        Value::Bool(false) => *schema = json!({ "not": {} }),
        _ => {}
    }
}

/// `{$ref, description, ...}` → `{allOf: [{$ref}], description, ...}` (3.0 ignores siblings of `$ref`).
fn ref_with_siblings(obj: &mut Map<String, Value>) {
    if obj.len() > 1 {
        if let Some(r) = obj.remove("$ref") {
            let mut branches = vec![json!({ "$ref": r })];
            if let Some(Value::Array(existing)) = obj.remove("allOf") {
                branches.extend(existing);
            }
            obj.insert("allOf".into(), Value::Array(branches));
        }
    }
}

/// `type: [X, "null"]` → `type: X` + `nullable`; several types → `anyOf` of each.
fn type_array(obj: &mut Map<String, Value>) {
    let types: Vec<String> = match obj.get("type") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(t)) if t == "null" => vec!["null".to_owned()],
        _ => return,
    };
    obj.remove("type");
    let (nulls, rest): (Vec<_>, Vec<_>) = types.into_iter().partition(|t| t == "null");
    if !nulls.is_empty() {
        obj.insert("nullable".into(), Value::Bool(true));
    }
    match rest.len() {
        0 => {
            obj.insert("x-null-type".into(), Value::Bool(true));
        }
        1 => {
            obj.insert("type".into(), Value::String(rest[0].clone()));
        }
        _ => {
            let branches: Vec<Value> = rest.into_iter().map(|t| json!({ "type": t })).collect();
            if obj.contains_key("anyOf") || obj.contains_key("oneOf") {
                // Already a union: keep both constraints by intersecting.
                let mut all = vec![json!({ "anyOf": branches })];
                if let Some(Value::Array(existing)) = obj.remove("allOf") {
                    all.extend(existing);
                }
                obj.insert("allOf".into(), Value::Array(all));
            } else {
                obj.insert("anyOf".into(), Value::Array(branches));
            }
        }
    }
}

/// Whether `v` is a schema that only admits `null`.
fn is_null_schema(v: &Value) -> bool {
    let Some(o) = v.as_object() else { return false };
    let only_annotations = o
        .keys()
        .all(|k| matches!(k.as_str(), "type" | "description" | "title" | "nullable"));
    let null_type = match o.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        _ => false,
    };
    (null_type && only_annotations)
        || (o.len() == 1
            && (o.get("const") == Some(&Value::Null) || o.get("enum") == Some(&json!([null]))))
}

/// `anyOf: [X, {type: null}]` → `anyOf: [X]` + `nullable: true`.
fn null_branches(obj: &mut Map<String, Value>, keyword: &str) {
    let Some(Value::Array(branches)) = obj.get_mut(keyword) else {
        return;
    };
    let before = branches.len();
    branches.retain(|b| !is_null_schema(b));
    if branches.len() != before {
        if branches.is_empty() {
            obj.remove(keyword);
            obj.insert("x-null-type".into(), Value::Bool(true));
        }
        obj.insert("nullable".into(), Value::Bool(true));
    }
}

/// `enum: [a, b, null]` admits null: mark it `nullable` too.
fn null_in_enum(obj: &mut Map<String, Value>) {
    if let Some(Value::Array(values)) = obj.get("enum") {
        if values.iter().any(Value::is_null) {
            obj.insert("nullable".into(), Value::Bool(true));
        }
    }
}

/// `const: a` → `enum: [a]` + `x-const: true`.
fn constant(obj: &mut Map<String, Value>) {
    if let Some(c) = obj.remove("const") {
        if c.is_null() {
            obj.insert("nullable".into(), Value::Bool(true));
            obj.insert("x-null-type".into(), Value::Bool(true));
            return;
        }
        if obj.get("type").is_none() {
            let t = match &c {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_f64() => Some("number"),
                Value::Number(_) => Some("integer"),
                _ => None,
            };
            if let Some(t) = t {
                obj.insert("type".into(), Value::String(t.into()));
            }
        }
        obj.insert("enum".into(), Value::Array(vec![c]));
        obj.insert("x-const".into(), Value::Bool(true));
    }
}

/// 3.1 numeric `exclusiveMinimum: 0` → `minimum: 0` + `exclusiveMinimum: true`.
fn numeric_exclusive_bound(obj: &mut Map<String, Value>, exclusive: &str, bound: &str) {
    if let Some(n) = obj.get(exclusive).filter(|v| v.is_number()).cloned() {
        obj.insert(bound.into(), n);
        obj.insert(exclusive.into(), Value::Bool(true));
    }
}

/// Draft-4 tuple `items: [A, B]` is 3.1's `prefixItems`.
fn tuple_items(obj: &mut Map<String, Value>) {
    if obj.get("items").is_some_and(Value::is_array) {
        let items = obj.remove("items").unwrap_or_default();
        obj.insert("prefixItems".into(), items);
    }
}

/// 3.1 keywords `openapiv3` has no field for move to `x-` extensions.
fn carried_keywords(obj: &mut Map<String, Value>) {
    for (from, to) in CARRIED {
        if let Some(v) = obj.remove(*from) {
            obj.insert((*to).into(), v);
        }
    }
}

/// Anything else is kept as `x-unsupported-<keyword>` and reported once.
fn unknown_keywords(ptr: &str, obj: &mut Map<String, Value>, warnings: &mut Vec<Diagnostic>) {
    let unknown: Vec<String> = obj
        .keys()
        .filter(|k| !k.starts_with("x-") && !KNOWN.contains(&k.as_str()))
        .cloned()
        .collect();
    for key in unknown {
        let v = obj.remove(&key).unwrap_or_default();
        if !ANNOTATIONS.contains(&key.as_str()) {
            warnings.push(Diagnostic::new(
                format!("{ptr}/{}", crate::diagnostics::escape_segment(&key)),
                format!("schema keyword `{key}` is not used for code generation"),
            ));
        }
        obj.insert(format!("x-unsupported-{key}"), v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(v: Value) -> Value {
        let mut v = v;
        normalize_schema("", &mut v, &mut Vec::new());
        v
    }

    #[test]
    fn type_array_with_null_becomes_nullable() {
        assert_eq!(
            norm(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn several_types_become_any_of() {
        let v = norm(json!({"type": ["string", "integer"]}));
        assert_eq!(v["anyOf"], json!([{"type": "string"}, {"type": "integer"}]));
    }

    #[test]
    fn any_of_with_null_branch_becomes_nullable() {
        let v = norm(json!({"anyOf": [{"type": "string"}, {"type": "null"}], "description": "d"}));
        assert_eq!(
            v,
            json!({"anyOf": [{"type": "string"}], "nullable": true, "description": "d"})
        );
    }

    #[test]
    fn const_becomes_single_enum() {
        let v = norm(json!({"const": "card"}));
        assert_eq!(
            v,
            json!({"enum": ["card"], "type": "string", "x-const": true})
        );
    }

    #[test]
    fn numeric_exclusive_minimum_becomes_boolean() {
        let v = norm(json!({"type": "number", "exclusiveMinimum": 0}));
        assert_eq!(v["minimum"], json!(0));
        assert_eq!(v["exclusiveMinimum"], json!(true));
    }

    #[test]
    fn ref_with_siblings_becomes_all_of() {
        let v = norm(json!({"$ref": "#/components/schemas/A", "description": "d"}));
        assert_eq!(
            v,
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "description": "d"})
        );
    }

    #[test]
    fn lone_ref_is_untouched() {
        let v = norm(json!({"$ref": "#/components/schemas/A"}));
        assert_eq!(v, json!({"$ref": "#/components/schemas/A"}));
    }

    #[test]
    fn carried_keywords_move_to_extensions() {
        let v =
            norm(json!({"type": "object", "propertyNames": {"type": "string"}, "examples": [1]}));
        assert_eq!(v["x-property-names"], json!({"type": "string"}));
        assert_eq!(v["x-examples"], json!([1]));
    }

    #[test]
    fn unknown_keywords_warn_with_pointer() {
        let mut warnings = Vec::new();
        let mut v = json!({"if": {}, "$comment": "c"});
        normalize_schema("/components/schemas/A", &mut v, &mut warnings);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "/components/schemas/A/if");
        assert!(v.get("x-unsupported-if").is_some());
    }

    #[test]
    fn boolean_schemas_become_objects() {
        assert_eq!(norm(json!(true)), json!({}));
        assert_eq!(norm(json!(false)), json!({"not": {}}));
    }
}
