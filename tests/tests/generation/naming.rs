//! Type names are stable: adding unrelated schemas or operations never moves
//! an existing name. Also: no numbered names in our spec, and schemas that
//! share a title but differ in shape are never merged.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use tests::workspace;

/// JSON pointer of each type's schema → its Rust name.
fn names(doc: &Value) -> BTreeMap<String, String> {
    let text = serde_json::to_string(doc).expect("serializes");
    let loaded = generator::load::load_str(&text).expect("loads");
    let mut api = generator::lower::lower(&loaded).expect("lowers").api;
    generator::naming::assign(&mut api, None);
    api.types
        .iter()
        .map(|(_, d)| (d.pointer.clone(), d.name.clone()))
        .collect()
}

fn autumn() -> Value {
    let text =
        std::fs::read_to_string(workspace().join("spec/autumn.yaml")).expect("spec is there");
    serde_yaml::from_str(&text).expect("spec is YAML")
}

fn assert_kept(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) {
    let moved: Vec<String> = before
        .iter()
        .filter_map(|(ptr, name)| match after.get(ptr) {
            Some(new) if new == name => None,
            Some(new) => Some(format!("{ptr}: {name} -> {new}")),
            None => Some(format!("{ptr}: {name} -> (gone)")),
        })
        .collect();
    assert!(moved.is_empty(), "names moved:\n{}", moved.join("\n"));
}

/// A schema whose words appear nowhere in the Autumn spec.
fn unrelated_schema() -> Value {
    json!({
        "type": "object",
        "required": ["zeppelin_id"],
        "properties": {
            "zeppelin_id": {"type": "string"},
            "gondola_layout": {"type": "object", "properties": {"berth_count": {"type": "integer"}}},
            "hangar_status": {"type": "string", "enum": ["moored", "aloft"]}
        }
    })
}

#[test]
fn adding_an_unrelated_component_moves_no_name() {
    let base = autumn();
    let before = names(&base);
    // At the end of the components...
    let mut at_end = base.clone();
    at_end["components"]["schemas"]["Zeppelin"] = unrelated_schema();
    assert_kept(&before, &names(&at_end));
    // ...and at the start, which changes the order every later schema is met in.
    let mut at_start = base.clone();
    let mut schemas = serde_json::Map::new();
    schemas.insert("Zeppelin".into(), unrelated_schema());
    for (k, v) in base["components"]["schemas"].as_object().unwrap() {
        schemas.insert(k.clone(), v.clone());
    }
    at_start["components"]["schemas"] = Value::Object(schemas);
    assert_kept(&before, &names(&at_start));
}

#[test]
fn adding_an_unrelated_operation_moves_no_name() {
    let base = autumn();
    let before = names(&base);
    let mut doc = base.clone();
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/v1/zeppelins.launch".into(),
        json!({"post": {
            "operationId": "launchZeppelin",
            "tags": ["zeppelins"],
            "requestBody": {"required": true, "content": {"application/json": {"schema": unrelated_schema()}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": unrelated_schema()}}}}
        }}),
    );
    for (k, v) in base["paths"].as_object().unwrap() {
        paths.insert(k.clone(), v.clone());
    }
    doc["paths"] = Value::Object(paths);
    assert_kept(&before, &names(&doc));
}

#[test]
fn our_spec_has_no_numbered_or_overlong_names() {
    let all = names(&autumn());
    for name in all.values() {
        assert!(
            !name.ends_with(|c: char| c.is_ascii_digit()),
            "numbered name: {name}"
        );
        assert!(
            name.len() <= 48,
            "overlong name ({} chars): {name}",
            name.len()
        );
    }
}

#[test]
fn same_title_different_shapes_are_never_merged() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/a": {"post": {"operationId": "a", "requestBody": {"content": {"application/json": {"schema":
                {"title": "Item", "type": "object", "properties": {"x": {"type": "string"}}}}}},
                "responses": {"200": {"description": "ok"}}}},
            "/b": {"post": {"operationId": "b", "requestBody": {"content": {"application/json": {"schema":
                {"title": "Item", "type": "object", "properties": {"y": {"type": "integer"}}}}}},
                "responses": {"200": {"description": "ok"}}}}
        }
    });
    let all = names(&doc);
    let items: Vec<&String> = all.values().collect();
    assert_eq!(items.len(), 2, "{all:?}");
    assert_ne!(
        items[0], items[1],
        "two different shapes got one name: {all:?}"
    );
}

#[test]
fn identical_inline_shapes_share_one_type() {
    let shape = json!({"type": "object", "properties": {"x": {"type": "string"}}});
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/a": {"post": {"operationId": "a", "requestBody": {"content": {"application/json": {"schema":
                {"type": "object", "properties": {"point": shape}}}}}, "responses": {"200": {"description": "ok"}}}},
            "/b": {"post": {"operationId": "b", "requestBody": {"content": {"application/json": {"schema":
                {"type": "object", "properties": {"point": shape, "other": {"type": "integer"}}}}}}, "responses": {"200": {"description": "ok"}}}}
        }
    });
    let all = names(&doc);
    // Two bodies and one shared `point` type: the second `point` reuses the first.
    assert_eq!(all.len(), 3, "{all:?}");
    let points: Vec<&String> = all.values().filter(|n| n.ends_with("Point")).collect();
    assert_eq!(points.len(), 1, "{all:?}");
}
