//! Fidelity of `spec/autumn.yaml` to the upstream Autumn 2.3.0 document.
//!
//! Every fact of the API must match upstream after resolving `$ref`s (with
//! OpenAPI 3.1 sibling keywords layered over the target): paths and methods,
//! operation ids, `x-speakeasy-name-override`, `x-speakeasy-ignore`, tags,
//! parameters, and for every request and response schema (every status code
//! and content type) the property names, types, formats, `required`,
//! nullability, enums, consts, defaults, limits, `items`,
//! `additionalProperties`, `propertyNames`, `prefixItems` and so on.
//! Descriptions, summaries and examples are ours and are not compared.
//!
//! The only differences allowed are the ones `spec/README.md` lists under
//! "Intentional differences from upstream", each naming the upstream JSON
//! pointer it covers; a listed difference that no longer occurs fails too.
//!
//! The comparison rules are the ones agreed for the throwaway Python check
//! that was used while writing the spec.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::path::Path;

use serde_json::{json, Map, Value};

/// Keywords that carry no fact about the API: our own words and examples.
///
/// `title` is *not* among them: the README counts schema titles as facts
/// (the generator names types after them, inline ones included), and
/// inline schemas carry a title exactly where upstream has one.
const ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "example",
    "examples",
    "externalDocs",
    "$comment",
];

/// Keywords whose value is one schema.
const ONE_SCHEMA: &[&str] = &[
    "items",
    "additionalProperties",
    "propertyNames",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentSchema",
];

/// Keywords whose value is a list of schemas (order matters).
const SCHEMA_LISTS: &[&str] = &["anyOf", "oneOf", "allOf", "prefixItems"];

/// Keywords whose value maps names (data) to schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Top-level keys of ours that carry no upstream fact (README: "Additions that carry no upstream fact").
const OUR_TOP_LEVEL_ADDITIONS: &[&str] = &["tags"];

/// Operation keys of ours that carry no upstream fact.
const OUR_OPERATION_ADDITIONS: &[&str] = &["x-fail-open"];

/// One fact that differs, with where it is written in each document
/// (`None`: the document does not have it).
#[derive(Clone, Debug, PartialEq)]
struct Difference {
    ours: Option<String>,
    upstream: Option<String>,
    what: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |p: &Option<String>| match p {
            Some(p) if p.is_empty() => "(document root)".to_owned(),
            Some(p) => p.clone(),
            None => "(absent)".to_owned(),
        };
        write!(
            f,
            "{}\n      ours:     {}\n      upstream: {}",
            self.what,
            at(&self.ours),
            at(&self.upstream)
        )
    }
}

/// A JSON pointer token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn child(ptr: &str, token: &str) -> String {
    format!("{ptr}/{}", escape(token))
}

/// `value` as short JSON, for messages.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 120 {
        let cut: String = text.chars().take(117).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// An object with its `$ref`s followed: each keyword, its value, and the
/// pointer where that keyword is written.
struct View<'a> {
    /// Pointer of the schema the view resolves to (the last `$ref` target),
    /// identifying it for cycle detection.
    id: String,
    entries: Vec<(&'a str, &'a Value, String)>,
}

impl<'a> View<'a> {
    fn get(&self, key: &str) -> Option<(&'a Value, &str)> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, v, p)| (*v, p.as_str()))
    }
}

/// Looks up a local `$ref` (`#/a/b`).
fn lookup<'a>(doc: &'a Value, reference: &str) -> Option<(&'a Value, String)> {
    let ptr = reference.strip_prefix('#')?;
    doc.pointer(ptr).map(|v| (v, ptr.to_owned()))
}

/// Resolves `value` (written at `ptr`) into a [`View`]; `None` if it is not an object.
fn view<'a>(doc: &'a Value, value: &'a Value, ptr: &str) -> Result<Option<View<'a>>, String> {
    view_at_depth(doc, value, ptr, 0)
}

fn view_at_depth<'a>(
    doc: &'a Value,
    value: &'a Value,
    ptr: &str,
    depth: usize,
) -> Result<Option<View<'a>>, String> {
    let Some(object) = value.as_object() else {
        return Ok(None);
    };
    let Some(reference) = object.get("$ref") else {
        return Ok(Some(View {
            id: ptr.to_owned(),
            entries: object
                .iter()
                .map(|(k, v)| (k.as_str(), v, child(ptr, k)))
                .collect(),
        }));
    };
    if depth > 64 {
        return Err(format!("{ptr}: `$ref` chain longer than 64"));
    }
    let reference = reference
        .as_str()
        .ok_or_else(|| format!("{ptr}/$ref: not a string"))?;
    let (target, target_ptr) =
        lookup(doc, reference).ok_or_else(|| format!("{ptr}/$ref: `{reference}` not found"))?;
    let mut resolved = view_at_depth(doc, target, &target_ptr, depth + 1)?
        .ok_or_else(|| format!("{ptr}/$ref: `{reference}` is not an object"))?;
    // 3.1: keywords next to `$ref` apply too; where both say something, the sibling wins.
    for (key, sibling) in object {
        if key == "$ref" {
            continue;
        }
        resolved.entries.retain(|(k, _, _)| k != key);
        resolved
            .entries
            .push((key.as_str(), sibling, child(ptr, key)));
    }
    Ok(Some(resolved))
}

/// Walks both documents side by side and collects every difference.
struct Comparison<'a> {
    ours: &'a Value,
    upstream: &'a Value,
    differences: Vec<Difference>,
    /// Pairs of schemas being compared further up (recursive schemas).
    active: HashSet<(String, String)>,
    /// How many request and response schemas were compared.
    schemas: usize,
    operations: usize,
}

impl<'a> Comparison<'a> {
    fn new(ours: &'a Value, upstream: &'a Value) -> Self {
        Comparison {
            ours,
            upstream,
            differences: Vec::new(),
            active: HashSet::new(),
            schemas: 0,
            operations: 0,
        }
    }

    fn differ(&mut self, ours: Option<&str>, upstream: Option<&str>, what: impl Into<String>) {
        self.differences.push(Difference {
            ours: ours.map(str::to_owned),
            upstream: upstream.map(str::to_owned),
            what: what.into(),
        });
    }

    /// Reports a key present on one side only.
    fn one_sided(
        &mut self,
        key: &str,
        ours: Option<(&Value, &str)>,
        upstream: Option<(&Value, &str)>,
    ) {
        match (ours, upstream) {
            (Some((value, ptr)), None) => self.differ(
                Some(ptr),
                None,
                format!("`{key}` only in ours: {}", short(value)),
            ),
            (None, Some((value, ptr))) => self.differ(
                None,
                Some(ptr),
                format!("`{key}` only in upstream: {}", short(value)),
            ),
            _ => {}
        }
    }

    /// Plain data (enum values, defaults, limits...): must be equal, exactly.
    fn data(&mut self, what: &str, o: &Value, o_ptr: &str, u: &Value, u_ptr: &str) {
        if o != u {
            self.differ(
                Some(o_ptr),
                Some(u_ptr),
                format!("{what}: ours {} vs upstream {}", short(o), short(u)),
            );
        }
    }

    fn views(
        &mut self,
        o: &'a Value,
        o_ptr: &str,
        u: &'a Value,
        u_ptr: &str,
    ) -> Option<(Option<View<'a>>, Option<View<'a>>)> {
        let ours = match view(self.ours, o, o_ptr) {
            Ok(v) => v,
            Err(err) => {
                self.differ(
                    Some(o_ptr),
                    Some(u_ptr),
                    format!("broken `$ref` in ours: {err}"),
                );
                return None;
            }
        };
        let upstream = match view(self.upstream, u, u_ptr) {
            Ok(v) => v,
            Err(err) => {
                self.differ(
                    Some(o_ptr),
                    Some(u_ptr),
                    format!("broken `$ref` upstream: {err}"),
                );
                return None;
            }
        };
        Some((ours, upstream))
    }

    /// Compares two schemas: every keyword but the annotations.
    fn schema(&mut self, o: &'a Value, o_ptr: &str, u: &'a Value, u_ptr: &str) {
        let Some((ours, upstream)) = self.views(o, o_ptr, u, u_ptr) else {
            return;
        };
        let (ours, upstream) = match (ours, upstream) {
            (Some(ours), Some(upstream)) => (ours, upstream),
            // Boolean schemas, or a schema against a non-schema.
            _ => return self.data("schema", o, o_ptr, u, u_ptr),
        };
        let pair = (ours.id.clone(), upstream.id.clone());
        if !self.active.insert(pair.clone()) {
            return; // already being compared further up: a recursive schema
        }
        for key in union_keys(&ours, &upstream) {
            if ANNOTATIONS.contains(&key) {
                continue;
            }
            match (ours.get(key), upstream.get(key)) {
                (Some((ov, op)), Some((uv, up))) => {
                    let (op, up) = (op.to_owned(), up.to_owned());
                    self.keyword(key, ov, &op, uv, &up);
                }
                (o, u) => self.one_sided(key, o, u),
            }
        }
        self.active.remove(&pair);
    }

    fn keyword(&mut self, key: &str, o: &'a Value, o_ptr: &str, u: &'a Value, u_ptr: &str) {
        if ONE_SCHEMA.contains(&key) {
            self.schema(o, o_ptr, u, u_ptr);
        } else if SCHEMA_LISTS.contains(&key) {
            match (o.as_array(), u.as_array()) {
                (Some(os), Some(us)) if os.len() == us.len() => {
                    for (i, (ov, uv)) in os.iter().zip(us).enumerate() {
                        let i = i.to_string();
                        self.schema(ov, &child(o_ptr, &i), uv, &child(u_ptr, &i));
                    }
                }
                (Some(os), Some(us)) => self.differ(
                    Some(o_ptr),
                    Some(u_ptr),
                    format!(
                        "`{key}` has {} schemas in ours, {} upstream: {} vs {}",
                        os.len(),
                        us.len(),
                        short(o),
                        short(u)
                    ),
                ),
                _ => self.data(key, o, o_ptr, u, u_ptr),
            }
        } else if SCHEMA_MAPS.contains(&key) {
            match (o.as_object(), u.as_object()) {
                (Some(om), Some(um)) => {
                    for name in union_map_keys(om, um) {
                        let (op, up) = (child(o_ptr, name), child(u_ptr, name));
                        match (om.get(name), um.get(name)) {
                            (Some(ov), Some(uv)) => self.schema(ov, &op, uv, &up),
                            (ov, uv) => self.one_sided(
                                &format!("{key}/{name}"),
                                ov.map(|v| (v, op.as_str())),
                                uv.map(|v| (v, up.as_str())),
                            ),
                        }
                    }
                }
                _ => self.data(key, o, o_ptr, u, u_ptr),
            }
        } else if key == "required" {
            self.name_set(key, o, o_ptr, u, u_ptr);
        } else {
            // type, format, enum, const, default, nullable, minimum, maximum,
            // exclusiveMinimum/Maximum, minLength, maxLength, minItems, pattern,
            // title, discriminator, x-...: data.
            self.data(key, o, o_ptr, u, u_ptr);
        }
    }

    /// `required`: a set of names.
    fn name_set(&mut self, key: &str, o: &Value, o_ptr: &str, u: &Value, u_ptr: &str) {
        let set = |v: &Value| -> Option<BTreeSet<String>> {
            v.as_array()?
                .iter()
                .map(|x| x.as_str().map(str::to_owned))
                .collect()
        };
        match (set(o), set(u)) {
            (Some(os), Some(us)) => {
                for name in os.difference(&us) {
                    self.differ(
                        Some(o_ptr),
                        Some(u_ptr),
                        format!("`{key}` lists `{name}` only in ours"),
                    );
                }
                for name in us.difference(&os) {
                    self.differ(
                        Some(o_ptr),
                        Some(u_ptr),
                        format!("`{key}` lists `{name}` only upstream"),
                    );
                }
            }
            _ => self.data(key, o, o_ptr, u, u_ptr),
        }
    }

    /// An object that is not a schema (parameter, media type, header,
    /// security scheme...): annotations skipped, `schema` compared as a
    /// schema, `content` as media types, the rest as data.
    fn object(&mut self, what: &str, o: &'a Value, o_ptr: &str, u: &'a Value, u_ptr: &str) {
        let Some((ours, upstream)) = self.views(o, o_ptr, u, u_ptr) else {
            return;
        };
        let (ours, upstream) = match (ours, upstream) {
            (Some(ours), Some(upstream)) => (ours, upstream),
            _ => return self.data(what, o, o_ptr, u, u_ptr),
        };
        for key in union_keys(&ours, &upstream) {
            if ANNOTATIONS.contains(&key) {
                continue;
            }
            match (ours.get(key), upstream.get(key)) {
                (Some((ov, op)), Some((uv, up))) => {
                    let (op, up) = (op.to_owned(), up.to_owned());
                    match key {
                        "schema" => self.schema(ov, &op, uv, &up),
                        "content" => self.content(ov, &op, uv, &up),
                        "headers" => self.named_objects("header", ov, &op, uv, &up),
                        _ => self.data(&format!("{what} `{key}`"), ov, &op, uv, &up),
                    }
                }
                (o, u) => self.one_sided(key, o, u),
            }
        }
    }

    /// A map of name → object (media types, headers, response codes...).
    fn named_objects(&mut self, what: &str, o: &'a Value, o_ptr: &str, u: &'a Value, u_ptr: &str) {
        let (Some(om), Some(um)) = (o.as_object(), u.as_object()) else {
            return self.data(what, o, o_ptr, u, u_ptr);
        };
        for name in union_map_keys(om, um) {
            let (op, up) = (child(o_ptr, name), child(u_ptr, name));
            match (om.get(name), um.get(name)) {
                (Some(ov), Some(uv)) => self.object(what, ov, &op, uv, &up),
                (ov, uv) => self.one_sided(
                    &format!("{what} {name}"),
                    ov.map(|v| (v, op.as_str())),
                    uv.map(|v| (v, up.as_str())),
                ),
            }
        }
    }

    /// `content`: media types, each with its schema.
    fn content(&mut self, o: &'a Value, o_ptr: &str, u: &'a Value, u_ptr: &str) {
        if let (Some(om), Some(um)) = (o.as_object(), u.as_object()) {
            self.schemas += om.keys().filter(|k| um.contains_key(*k)).count();
        }
        self.named_objects("content type", o, o_ptr, u, u_ptr);
    }

    /// A `parameters` list: matched by (`in`, `name`), order not a fact.
    fn parameters(&mut self, o: &'a Value, o_ptr: &str, u: &'a Value, u_ptr: &str) {
        let o_list = self.parameter_list(self.ours, o, o_ptr);
        let u_list = self.parameter_list(self.upstream, u, u_ptr);
        let (Some(o_list), Some(u_list)) = (o_list, u_list) else {
            return self.data("parameters", o, o_ptr, u, u_ptr);
        };
        for (key, (ov, op)) in &o_list {
            match u_list.iter().find(|(k, _)| k == key) {
                Some((_, (uv, up))) => self.object(&format!("parameter {key}"), ov, op, uv, up),
                None => self.one_sided(&format!("parameter {key}"), Some((ov, op)), None),
            }
        }
        for (key, (uv, up)) in &u_list {
            if !o_list.iter().any(|(k, _)| k == key) {
                self.one_sided(&format!("parameter {key}"), None, Some((uv, up)));
            }
        }
    }

    /// Each parameter keyed by `in` and `name` (following `$ref`s).
    #[allow(clippy::type_complexity)]
    fn parameter_list(
        &mut self,
        doc: &'a Value,
        list: &'a Value,
        ptr: &str,
    ) -> Option<Vec<(String, (&'a Value, String))>> {
        let mut out = Vec::new();
        for (i, p) in list.as_array()?.iter().enumerate() {
            let p_ptr = child(ptr, &i.to_string());
            let v = view(doc, p, &p_ptr).ok()??;
            let field = |k: &str| v.get(k).and_then(|(v, _)| v.as_str()).unwrap_or("?");
            out.push((format!("{}:{}", field("in"), field("name")), (p, p_ptr)));
        }
        Some(out)
    }

    fn operation(&mut self, o: &'a Value, o_ptr: &str, u: &'a Value, u_ptr: &str) {
        self.operations += 1;
        let (Some(om), Some(um)) = (o.as_object(), u.as_object()) else {
            return self.data("operation", o, o_ptr, u, u_ptr);
        };
        for key in union_map_keys(om, um) {
            let (op, up) = (child(o_ptr, key), child(u_ptr, key));
            let (ov, uv) = (om.get(key), um.get(key));
            if ANNOTATIONS.contains(&key)
                || (uv.is_none() && OUR_OPERATION_ADDITIONS.contains(&key))
            {
                continue;
            }
            let (Some(ov), Some(uv)) = (ov, uv) else {
                self.one_sided(
                    key,
                    ov.map(|v| (v, op.as_str())),
                    uv.map(|v| (v, up.as_str())),
                );
                continue;
            };
            match key {
                "parameters" => self.parameters(ov, &op, uv, &up),
                "requestBody" => self.object("requestBody", ov, &op, uv, &up),
                "responses" => self.named_objects("response", ov, &op, uv, &up),
                // operationId, x-speakeasy-name-override, x-speakeasy-ignore,
                // tags, deprecated, security, servers, callbacks...
                _ => self.data(&format!("operation `{key}`"), ov, &op, uv, &up),
            }
        }
    }

    fn paths(&mut self) {
        let (Some(om), Some(um)) = (
            self.ours.get("paths").and_then(Value::as_object),
            self.upstream.get("paths").and_then(Value::as_object),
        ) else {
            return self.differ(Some("/paths"), Some("/paths"), "`paths` missing");
        };
        let ours_order: Vec<&String> = om.keys().filter(|k| um.contains_key(*k)).collect();
        let upstream_order: Vec<&String> = um.keys().filter(|k| om.contains_key(*k)).collect();
        if ours_order != upstream_order {
            self.differ(
                Some("/paths"),
                Some("/paths"),
                "paths are not in upstream's order",
            );
        }
        for path in union_map_keys(om, um) {
            let (op, up) = (child("/paths", path), child("/paths", path));
            let (Some(o_item), Some(u_item)) = (om.get(path), um.get(path)) else {
                self.one_sided(
                    &format!("path {path}"),
                    om.get(path).map(|v| (v, op.as_str())),
                    um.get(path).map(|v| (v, up.as_str())),
                );
                continue;
            };
            let (Some(oi), Some(ui)) = (o_item.as_object(), u_item.as_object()) else {
                self.data("path item", o_item, &op, u_item, &up);
                continue;
            };
            for key in union_map_keys(oi, ui) {
                if ANNOTATIONS.contains(&key) {
                    continue;
                }
                let (okp, ukp) = (child(&op, key), child(&up, key));
                let (Some(ov), Some(uv)) = (oi.get(key), ui.get(key)) else {
                    self.one_sided(
                        &format!("{} {path}", key.to_uppercase()),
                        oi.get(key).map(|v| (v, okp.as_str())),
                        ui.get(key).map(|v| (v, ukp.as_str())),
                    );
                    continue;
                };
                if METHODS.contains(&key) {
                    self.operation(ov, &okp, uv, &ukp);
                } else if key == "parameters" {
                    self.parameters(ov, &okp, uv, &ukp);
                } else {
                    self.data(&format!("path item `{key}`"), ov, &okp, uv, &ukp);
                }
            }
        }
    }

    fn top_level(&mut self) {
        let (Some(om), Some(um)) = (self.ours.as_object(), self.upstream.as_object()) else {
            return self.differ(Some(""), Some(""), "a document is not an object");
        };
        for key in union_map_keys(om, um) {
            let ptr = child("", key);
            let (Some(ov), Some(uv)) = (om.get(key), um.get(key)) else {
                if !(um.get(key).is_none() && OUR_TOP_LEVEL_ADDITIONS.contains(&key)) {
                    self.one_sided(
                        key,
                        om.get(key).map(|v| (v, ptr.as_str())),
                        um.get(key).map(|v| (v, ptr.as_str())),
                    );
                }
                continue;
            };
            match key {
                "paths" => self.paths(),
                "components" => self.components(ov, uv),
                "info" => {
                    for field in ["title", "version"] {
                        let fp = child(&ptr, field);
                        match (ov.get(field), uv.get(field)) {
                            (Some(a), Some(b)) => {
                                self.data(&format!("info {field}"), a, &fp, b, &fp)
                            }
                            (a, b) => self.one_sided(
                                field,
                                a.map(|v| (v, fp.as_str())),
                                b.map(|v| (v, fp.as_str())),
                            ),
                        }
                    }
                }
                "servers" => {
                    let urls = |v: &Value| -> Value {
                        v.as_array()
                            .map(|a| {
                                a.iter()
                                    .map(|s| s.get("url").cloned().unwrap_or(Value::Null))
                                    .collect()
                            })
                            .unwrap_or(Value::Null)
                    };
                    self.data("server URLs", &urls(ov), &ptr, &urls(uv), &ptr);
                }
                "x-speakeasy-globals" => match (ov.as_object(), uv.as_object()) {
                    (Some(og), Some(ug)) => {
                        for field in union_map_keys(og, ug) {
                            let fp = child(&ptr, field);
                            match (og.get(field), ug.get(field)) {
                                (Some(a), Some(b)) if field == "parameters" => {
                                    self.parameters(a, &fp, b, &fp)
                                }
                                (Some(a), Some(b)) => self.data(field, a, &fp, b, &fp),
                                (a, b) => self.one_sided(
                                    field,
                                    a.map(|v| (v, fp.as_str())),
                                    b.map(|v| (v, fp.as_str())),
                                ),
                            }
                        }
                    }
                    _ => self.data(key, ov, &ptr, uv, &ptr),
                },
                // openapi, security, webhooks, jsonSchemaDialect...
                _ => self.data(key, ov, &ptr, uv, &ptr),
            }
        }
    }

    /// Upstream's named components must exist in ours, with the same facts.
    /// Ours has more (shared shapes made components); their facts are checked
    /// where the operations use them.
    fn components(&mut self, o: &'a Value, u: &'a Value) {
        let Some(um) = u.as_object() else {
            return self.data("components", o, "/components", u, "/components");
        };
        for (section, entries) in um {
            let Some(entries) = entries.as_object() else {
                continue;
            };
            for (name, uv) in entries {
                let ptr = child(&child("/components", section), name);
                let Some(ov) = o.get(section).and_then(|s| s.get(name)) else {
                    self.one_sided(
                        &format!("component {section}/{name}"),
                        None,
                        Some((uv, &ptr)),
                    );
                    continue;
                };
                if section == "schemas" {
                    self.schemas += 1;
                    self.schema(ov, &ptr, uv, &ptr);
                } else {
                    self.object(&format!("component {section}/{name}"), ov, &ptr, uv, &ptr);
                }
            }
        }
    }
}

/// Keys of both views: upstream's order first, then ours-only keys.
fn union_keys<'a>(ours: &View<'a>, upstream: &View<'a>) -> Vec<&'a str> {
    let mut keys: Vec<&'a str> = upstream.entries.iter().map(|(k, _, _)| *k).collect();
    for (k, _, _) in &ours.entries {
        if !keys.contains(k) {
            keys.push(k);
        }
    }
    keys
}

fn union_map_keys<'m>(
    ours: &'m Map<String, Value>,
    upstream: &'m Map<String, Value>,
) -> Vec<&'m str> {
    let mut keys: Vec<&'m str> = upstream.keys().map(String::as_str).collect();
    keys.extend(
        ours.keys()
            .map(String::as_str)
            .filter(|k| !upstream.contains_key(*k)),
    );
    keys
}

struct Report {
    differences: Vec<Difference>,
    operations: usize,
    schemas: usize,
}

fn compare(ours: &Value, upstream: &Value) -> Report {
    let mut comparison = Comparison::new(ours, upstream);
    comparison.top_level();
    Report {
        differences: comparison.differences,
        operations: comparison.operations,
        schemas: comparison.schemas,
    }
}

/// The upstream pointers listed in the README section "Intentional
/// differences from upstream": one bullet per difference, its upstream
/// pointer in the first code span that starts with `/`.
fn allowed_differences(readme: &str) -> Result<Vec<String>, String> {
    const HEADING: &str = "## Intentional differences from upstream";
    let start = readme
        .find(HEADING)
        .ok_or_else(|| format!("spec/README.md has no section `{HEADING}`"))?;
    let section = &readme[start + HEADING.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut bullets: Vec<String> = Vec::new();
    let mut in_bullet = false;
    for line in section.lines() {
        if let Some(rest) = line.strip_prefix("- ") {
            bullets.push(rest.to_owned());
            in_bullet = true;
        } else if in_bullet && line.starts_with("  ") && !line.trim().is_empty() {
            let last = bullets.last_mut().expect("in a bullet");
            last.push(' ');
            last.push_str(line.trim());
        } else {
            in_bullet = false;
        }
    }
    bullets
        .iter()
        .map(|bullet| {
            bullet
                .split('`')
                .skip(1)
                .step_by(2)
                .find(|span| span.starts_with('/'))
                .map(str::to_owned)
                .ok_or_else(|| {
                    format!(
                        "spec/README.md, \"Intentional differences from upstream\": the bullet \
                         `- {bullet}` names no upstream JSON pointer (a code span starting with `/`)"
                    )
                })
        })
        .collect()
}

/// Whether `pointer` is `allowed` or inside it.
fn covers(allowed: &str, pointer: &str) -> bool {
    pointer == allowed
        || pointer
            .strip_prefix(allowed)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Splits differences into the allowed ones and the rest; also returns the
/// allow-list entries that matched nothing.
fn apply_allow_list(
    differences: Vec<Difference>,
    allowed: &[String],
) -> (Vec<Difference>, Vec<Difference>, Vec<String>) {
    let mut used = vec![false; allowed.len()];
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    for d in differences {
        let hit = d
            .upstream
            .as_deref()
            .and_then(|p| allowed.iter().position(|a| covers(a, p)));
        match hit {
            Some(i) => {
                used[i] = true;
                ok.push(d);
            }
            None => bad.push(d),
        }
    }
    let stale = allowed
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(a, _)| a.clone())
        .collect();
    (ok, bad, stale)
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()))
}

/// Compares the two documents and returns the report text and whether it passed.
fn check(ours: &Value, upstream: &Value, readme: &str) -> (String, bool) {
    let allowed = match allowed_differences(readme) {
        Ok(allowed) => allowed,
        Err(err) => return (err, false),
    };
    let report = compare(ours, upstream);
    let (ok, bad, stale) = apply_allow_list(report.differences, &allowed);
    let mut text = format!(
        "compared {} operations and {} schemas (request, response and upstream component schemas)\n",
        report.operations, report.schemas
    );
    text.push_str(&format!(
        "{} allowed difference(s) (spec/README.md, \"Intentional differences from upstream\"):\n",
        ok.len()
    ));
    for d in &ok {
        text.push_str(&format!("  - {d}\n"));
    }
    text.push_str(&format!("{} other difference(s):\n", bad.len()));
    for d in &bad {
        text.push_str(&format!("  - {d}\n"));
    }
    for s in &stale {
        text.push_str(&format!(
            "  - the README allows a difference at upstream `{s}`, but there is none: update the list\n"
        ));
    }
    (text, bad.is_empty() && stale.is_empty())
}

#[test]
#[ignore = "reads the upstream document from SHARED_SPECS; .ci/run runs it"]
fn fidelity_spec_states_every_fact_of_upstream_2_3_0() {
    let root = tests::workspace();
    let upstream_path = tests::shared_specs().join("autumn/autumn-2.3.0.yml");
    let ours = load(&root.join("spec/autumn.yaml"));
    let upstream = load(&upstream_path);
    let readme = std::fs::read_to_string(root.join("spec/README.md")).expect("spec/README.md");

    let (text, passed) = check(&ours, &upstream, &readme);
    println!("spec/autumn.yaml vs {}\n{text}", upstream_path.display());
    assert!(passed, "spec/autumn.yaml differs from upstream:\n{text}");

    // The check can fail: a copy with one fact changed deep inside a
    // component that many operations reach, and one required name dropped.
    let mut broken = ours.clone();
    let check_params = broken
        .pointer_mut("/components/schemas/CheckParams")
        .expect("CheckParams component");
    check_params["properties"]["required_balance"]["type"] = json!("integer");
    check_params["required"] = json!(["customer_id"]);
    let report = compare(&broken, &upstream);
    let upstream_body =
        "/paths/~1v1~1balances.check/post/requestBody/content/application~1json/schema";
    let found = |ours_ptr: &str, upstream_ptr: &str| {
        report.differences.iter().any(|d| {
            d.ours.as_deref() == Some(ours_ptr) && d.upstream.as_deref() == Some(upstream_ptr)
        })
    };
    assert!(
        found(
            "/components/schemas/CheckParams/properties/required_balance/type",
            &format!("{upstream_body}/properties/required_balance/type"),
        ),
        "{:#?}",
        report.differences
    );
    assert!(
        found(
            "/components/schemas/CheckParams/required",
            &format!("{upstream_body}/required"),
        ),
        "{:#?}",
        report.differences
    );
    let (_, passed) = check(&broken, &upstream, &readme);
    assert!(!passed);
}

// ---------------------------------------------------------------- the comparison itself, on small documents

fn small_upstream() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Small", "version": "1.0.0", "description": "theirs"},
        "servers": [{"url": "https://api.example.com", "description": "theirs"}],
        "security": [{"key": []}],
        "paths": {
            "/v1/things.get": {"post": {
                "operationId": "getThing",
                "x-speakeasy-name-override": "get",
                "tags": ["things"],
                "summary": "theirs",
                "parameters": [{"name": "x-api-version", "in": "header", "required": true,
                                "schema": {"type": "string", "default": "1.0.0"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "title": "GetThingParams",
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "minLength": 1, "description": "theirs"},
                        "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
                    },
                    "required": ["id"],
                }}}},
                "responses": {
                    "200": {"description": "theirs", "content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "string"},
                            "status": {"type": "string", "enum": ["active", "archived"]},
                            "parent": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                            "tags": {"type": "array", "items": {"type": "string"}},
                            "meta": {"type": "object", "propertyNames": {"type": "string"},
                                     "additionalProperties": {"type": "number"}},
                        },
                        "required": ["id", "status", "parent"],
                        "examples": [{"id": "theirs"}],
                    }}}},
                    "202": {"description": "theirs", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"ok": {"const": true}}, "required": ["ok"],
                    }}}},
                },
            }},
        },
        "components": {
            "schemas": {"Status": {"type": "string", "enum": ["active", "archived"]}},
            "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}},
        },
        "webhooks": {"thing.created": {"post": {"requestBody": {}}}},
    })
}

/// The same facts as [`small_upstream`], stated our way: `$ref`s with
/// sibling descriptions, our own words and examples, our additions.
fn small_ours() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Small", "version": "1.0.0", "description": "ours", "license": {"name": "x"}},
        "servers": [{"url": "https://api.example.com", "description": "ours"}],
        "security": [{"key": []}],
        "tags": [{"name": "things", "description": "ours"}],
        "paths": {
            "/v1/things.get": {"post": {
                "operationId": "getThing",
                "x-speakeasy-name-override": "get",
                "tags": ["things"],
                "summary": "ours",
                "description": "ours",
                "x-fail-open": {"fallback": {}},
                "parameters": [{"$ref": "#/components/parameters/Version"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/GetThingParams",
                }}}},
                "responses": {
                    "200": {"description": "ours", "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Thing", "description": "ours",
                    }}}},
                    "202": {"description": "ours", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"ok": {"const": true}}, "required": ["ok"],
                    }}}},
                },
            }},
        },
        "components": {
            "parameters": {"Version": {"name": "x-api-version", "in": "header", "required": true,
                                       "description": "ours",
                                       "schema": {"type": "string", "default": "1.0.0"}}},
            "schemas": {
                "GetThingParams": {
                    "title": "GetThingParams",
                    "type": "object",
                    "description": "ours",
                    "properties": {
                        "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
                        "id": {"type": "string", "minLength": 1, "description": "ours"},
                    },
                    "required": ["id"],
                    "examples": [{"id": "ours"}],
                },
                "Thing": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "status": {"$ref": "#/components/schemas/Status", "description": "ours"},
                        "parent": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "meta": {"type": "object", "propertyNames": {"type": "string"},
                                 "additionalProperties": {"type": "number"}},
                    },
                    "required": ["status", "parent", "id"],
                },
                "Status": {"type": "string", "enum": ["active", "archived"], "description": "ours"},
            },
            "securitySchemes": {"key": {"type": "http", "scheme": "bearer", "description": "ours"}},
        },
    })
}

const SMALL_README: &str = "\
# spec

## Intentional differences from upstream

- **Webhooks are not described** (upstream `/webhooks`). They would
  need a receiving API (`thing.created`, ...).

Nothing else deviates.

## Next section

- `/paths` is not an allowed difference: it is outside the section.
";

#[test]
fn same_facts_in_other_words_pass() {
    let report = compare(&small_ours(), &small_upstream());
    let only_webhooks: Vec<_> = report
        .differences
        .iter()
        .map(|d| (d.ours.as_deref(), d.upstream.as_deref()))
        .collect();
    assert_eq!(
        only_webhooks,
        [(None, Some("/webhooks"))],
        "{:#?}",
        report.differences
    );
    assert_eq!(report.operations, 1);
    let (text, passed) = check(&small_ours(), &small_upstream(), SMALL_README);
    assert!(passed, "{text}");
    assert!(text.contains("1 allowed difference"), "{text}");
}

#[test]
fn allow_list_is_read_from_the_readme_section_only() {
    assert_eq!(allowed_differences(SMALL_README).unwrap(), ["/webhooks"]);
    assert!(allowed_differences("# no section\n").is_err());
    let no_pointer = "## Intentional differences from upstream\n\n- **Something** differs.\n";
    assert!(allowed_differences(no_pointer)
        .unwrap_err()
        .contains("names no upstream JSON pointer"));
    assert!(covers("/webhooks", "/webhooks/thing.created/post"));
    assert!(!covers("/webhooks", "/webhooksX"));
}

#[test]
fn an_unlisted_difference_fails_and_a_stale_entry_fails() {
    // Without the allow-list entry, the missing webhooks fail.
    let readme = "## Intentional differences from upstream\n\nNone.\n";
    let (text, passed) = check(&small_ours(), &small_upstream(), readme);
    assert!(!passed);
    assert!(text.contains("`webhooks` only in upstream"), "{text}");

    // An entry that matches nothing is stale.
    let mut upstream = small_upstream();
    upstream.as_object_mut().unwrap().remove("webhooks");
    let (text, passed) = check(&small_ours(), &upstream, SMALL_README);
    assert!(!passed);
    assert!(text.contains("but there is none"), "{text}");
}

/// Breaks one fact of [`small_ours`] and returns the differences found.
fn differences_after(change: impl FnOnce(&mut Value)) -> Vec<Difference> {
    let mut ours = small_ours();
    change(&mut ours);
    compare(&ours, &small_upstream())
        .differences
        .into_iter()
        .filter(|d| d.upstream.as_deref() != Some("/webhooks"))
        .collect()
}

const UP_200: &str = "/paths/~1v1~1things.get/post/responses/200/content/application~1json/schema";
const UP_BODY: &str = "/paths/~1v1~1things.get/post/requestBody/content/application~1json/schema";

fn one(differences: &[Difference], ours: Option<&str>, upstream: Option<&str>) {
    assert_eq!(differences.len(), 1, "{differences:#?}");
    assert_eq!(differences[0].ours.as_deref(), ours, "{differences:#?}");
    assert_eq!(
        differences[0].upstream.as_deref(),
        upstream,
        "{differences:#?}"
    );
}

#[test]
fn every_kind_of_fact_is_compared_with_both_pointers() {
    let thing = "/components/schemas/Thing";
    let params = "/components/schemas/GetThingParams";

    // type
    let d = differences_after(|o| {
        o["components"]["schemas"]["Thing"]["properties"]["id"]["type"] = json!("integer")
    });
    one(
        &d,
        Some(&format!("{thing}/properties/id/type")),
        Some(&format!("{UP_200}/properties/id/type")),
    );
    // a property only on one side
    let d = differences_after(|o| {
        o["components"]["schemas"]["Thing"]["properties"]["extra"] = json!({"type": "string"})
    });
    one(&d, Some(&format!("{thing}/properties/extra")), None);
    let d = differences_after(|o| {
        o["components"]["schemas"]["Thing"]["properties"]
            .as_object_mut()
            .unwrap()
            .remove("tags");
    });
    one(&d, None, Some(&format!("{UP_200}/properties/tags")));
    // required, as a set
    let d = differences_after(|o| {
        o["components"]["schemas"]["Thing"]["required"] = json!(["id", "status"])
    });
    one(
        &d,
        Some(&format!("{thing}/required")),
        Some(&format!("{UP_200}/required")),
    );
    assert!(d[0].what.contains("`parent` only upstream"), "{}", d[0]);
    // nullability
    let d = differences_after(|o| {
        o["components"]["schemas"]["Thing"]["properties"]["parent"] = json!({"type": "string"})
    });
    assert!(
        d.iter()
            .any(|d| d.upstream.as_deref() == Some(&format!("{UP_200}/properties/parent/anyOf"))),
        "{d:#?}"
    );
    // enum values, through a `$ref` with a sibling description
    let d = differences_after(|o| {
        o["components"]["schemas"]["Status"]["enum"] = json!(["active", "archived", "deleted"])
    });
    // (found where the operation uses it, and in the upstream component of that name)
    let pointers: Vec<_> = d
        .iter()
        .map(|d| (d.ours.as_deref(), d.upstream.as_deref()))
        .collect();
    let in_operation = format!("{UP_200}/properties/status/enum");
    assert_eq!(
        pointers,
        [
            (
                Some("/components/schemas/Status/enum"),
                Some(in_operation.as_str())
            ),
            (
                Some("/components/schemas/Status/enum"),
                Some("/components/schemas/Status/enum")
            ),
        ],
        "{d:#?}"
    );
    // a sibling next to `$ref` overrides the target
    let d = differences_after(|o| {
        o["components"]["schemas"]["Thing"]["properties"]["status"]["enum"] = json!(["active"])
    });
    one(
        &d,
        Some(&format!("{thing}/properties/status/enum")),
        Some(&format!("{UP_200}/properties/status/enum")),
    );
    // numeric limits, defaults, formats, consts
    for (field, value) in [
        ("minimum", json!(0)),
        ("maximum", json!(100.0)),
        ("exclusiveMinimum", json!(0)),
        ("default", json!(20)),
        ("format", json!("int64")),
    ] {
        let d = differences_after(|o| {
            o["components"]["schemas"]["GetThingParams"]["properties"]["limit"][field] =
                value.clone()
        });
        let ours_ptr = format!("{params}/properties/limit/{field}");
        let upstream_ptr = format!("{UP_BODY}/properties/limit/{field}");
        // Upstream states no `exclusiveMinimum` or `format` here: ours only.
        let upstream_has = !matches!(field, "exclusiveMinimum" | "format");
        one(
            &d,
            Some(&ours_ptr),
            upstream_has.then_some(upstream_ptr.as_str()),
        );
    }
    let d = differences_after(|o| {
        o["paths"]["/v1/things.get"]["post"]["responses"]["202"]["content"]["application/json"]
            ["schema"]["properties"]["ok"]["const"] = json!(false)
    });
    assert_eq!(d.len(), 1, "{d:#?}");
    // items, additionalProperties, propertyNames
    for (field, value) in [
        ("items", json!({"type": "integer"})),
        ("additionalProperties", json!({"type": "string"})),
        ("propertyNames", json!({"type": "string", "pattern": "^a"})),
    ] {
        let d = differences_after(|o| {
            let prop = if field == "items" { "tags" } else { "meta" };
            o["components"]["schemas"]["Thing"]["properties"][prop][field] = value.clone()
        });
        assert_eq!(d.len(), 1, "{field}: {d:#?}");
    }
    // titles are facts
    let d = differences_after(|o| {
        o["components"]["schemas"]["GetThingParams"]["title"] = json!("ThingParams")
    });
    one(
        &d,
        Some(&format!("{params}/title")),
        Some(&format!("{UP_BODY}/title")),
    );
    // operation facts
    for (field, value) in [
        ("operationId", json!("fetchThing")),
        ("x-speakeasy-name-override", json!("fetch")),
        ("tags", json!(["other"])),
    ] {
        let d = differences_after(|o| o["paths"]["/v1/things.get"]["post"][field] = value.clone());
        let ptr = format!("/paths/~1v1~1things.get/post/{field}");
        one(&d, Some(&ptr), Some(&ptr));
    }
    let d = differences_after(|o| {
        o["paths"]["/v1/things.get"]["post"]["x-speakeasy-ignore"] = json!(true)
    });
    one(
        &d,
        Some("/paths/~1v1~1things.get/post/x-speakeasy-ignore"),
        None,
    );
    // methods, paths, status codes, content types, parameters
    let d = differences_after(|o| {
        let item = o["paths"]["/v1/things.get"].as_object_mut().unwrap();
        let op = item.remove("post").unwrap();
        item.insert("put".into(), op);
    });
    assert_eq!(d.len(), 2, "{d:#?}");
    let d = differences_after(|o| {
        o["paths"]["/v1/things.get"]["post"]["responses"]
            .as_object_mut()
            .unwrap()
            .remove("202");
    });
    one(&d, None, Some("/paths/~1v1~1things.get/post/responses/202"));
    let d = differences_after(|o| {
        let content = o["paths"]["/v1/things.get"]["post"]["requestBody"]["content"]
            .as_object_mut()
            .unwrap();
        let schema = content.remove("application/json").unwrap();
        content.insert("application/x-www-form-urlencoded".into(), schema);
    });
    assert_eq!(d.len(), 2, "{d:#?}");
    let d = differences_after(|o| {
        o["components"]["parameters"]["Version"]["schema"]["default"] = json!("2.0.0")
    });
    one(
        &d,
        Some("/components/parameters/Version/schema/default"),
        Some("/paths/~1v1~1things.get/post/parameters/0/schema/default"),
    );
    let d = differences_after(|o| {
        o["paths"]["/v1/things.get"]["post"]["requestBody"]["required"] = json!(false)
    });
    assert_eq!(d.len(), 1, "{d:#?}");
    // top level
    let d = differences_after(|o| o["servers"][0]["url"] = json!("https://example.com"));
    assert_eq!(d.len(), 1, "{d:#?}");
    let d =
        differences_after(|o| o["components"]["securitySchemes"]["key"]["scheme"] = json!("basic"));
    one(
        &d,
        Some("/components/securitySchemes/key/scheme"),
        Some("/components/securitySchemes/key/scheme"),
    );
    let d = differences_after(|o| o["x-unknown"] = json!(1));
    one(&d, Some("/x-unknown"), None);
    // an upstream component missing in ours
    let d = differences_after(|o| {
        o["components"]["schemas"]
            .as_object_mut()
            .unwrap()
            .remove("Status");
    });
    assert!(
        d.iter().any(
            |d| d.upstream.as_deref() == Some("/components/schemas/Status") && d.ours.is_none()
        ),
        "{d:#?}"
    );
    // a broken `$ref` is a difference, not a panic
    let d = differences_after(|o| {
        o["components"]["schemas"]["Thing"]["properties"]["id"] = json!({"$ref": "#/nowhere"})
    });
    assert!(d[0].what.contains("broken `$ref`"), "{d:#?}");

    // descriptions, summaries and examples are not facts
    let d = differences_after(|o| {
        o["components"]["schemas"]["Thing"]["description"] = json!("changed");
        o["components"]["schemas"]["Thing"]["examples"] = json!([{"id": "x"}]);
        o["paths"]["/v1/things.get"]["post"]["summary"] = json!("changed");
        o["paths"]["/v1/things.get"]["post"]["responses"]["200"]["description"] = json!("changed");
    });
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn recursive_schemas_terminate() {
    let doc = json!({
        "paths": {},
        "components": {"schemas": {"Node": {
            "type": "object",
            "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}},
        }}},
    });
    assert!(compare(&doc, &doc).differences.is_empty());
}
