//! The loader's refusals through its public entry point: each names the JSON
//! pointer (and the line, where the text has lines) of the problem.

use generator::load::load_str;
use serde_json::{json, Value};

#[test]
fn dangling_ref_names_pointer_and_line() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/Missing'\n";
    let err = load_str(text).unwrap_err();
    assert_eq!(err.0[0].pointer, "/components/schemas/A/$ref");
    assert_eq!(err.0[0].line, Some(7));
}

#[test]
fn shape_errors_name_a_pointer() {
    let text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 5\n";
    let err = load_str(text).unwrap_err();
    assert!(err.0[0].pointer.starts_with("/paths"), "{err}");
}

#[test]
fn a_flow_mapping_closed_at_its_keys_indentation_loads() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {\n        \"200\": {description: ok}\n      }\n";
    let loaded = load_str(text).unwrap();
    assert_eq!(
        loaded.value["paths"]["/a"]["get"]["responses"]["200"]["description"],
        "ok"
    );
}

#[test]
fn a_document_with_dedented_flow_mappings_generates() {
    // JSON-style flow mappings closed at their key's indentation, as a real
    // and widely used document writes them; libyaml reads these, and so do we.
    let text = "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses: {\n        \"200\": {\n          description: ok,\n          content: {\"application/json\": {schema: {$ref: '#/components/schemas/Pet'}}}\n        }\n      }\ncomponents:\n  schemas:\n    Pet: {\n      type: object,\n      properties: {name: {type: string}}\n    }\n";
    let opts = generator::EmitOptions {
        crate_name: Some("pets-sdk".into()),
        spec_label: "pets.yaml".into(),
        ..Default::default()
    };
    let generated = generator::generate_str(text, &opts).expect("generates");
    assert_eq!(generated.operations, 1);
    assert!(generated
        .files
        .contains_key(std::path::Path::new("src/models/pet.rs")));
}

#[test]
fn swagger_two_is_refused() {
    let err = load_str("swagger: '2.0'\ninfo: {title: t, version: '1'}\n").unwrap_err();
    assert!(err.to_string().contains("Swagger 2.0"));
}

#[test]
fn a_key_written_twice_is_refused_in_yaml_and_in_json() {
    let yaml = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: {}\n  /a: {}\n";
    let err = load_str(yaml).unwrap_err();
    assert_eq!(
        (err.0[0].pointer.as_str(), err.0[0].line),
        ("/paths/~1a", Some(5))
    );
    let json = "{\n\"openapi\": \"3.1.0\",\n\"info\": {\"title\": \"t\", \"version\": \"1\"},\n\"paths\": {\"/a\": {}, \"/a\": {}}\n}";
    let err = load_str(json).unwrap_err();
    assert_eq!(
        (err.0[0].pointer.as_str(), err.0[0].line),
        ("/paths/~1a", Some(4))
    );
    assert!(err.to_string().contains("written twice"), "{err}");
}

/// A JSON document whose parts the tests below break one at a time.
fn document() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": { "title": "t", "version": "1", "x-logo": "l" },
        "paths": {
            "/a": { "get": { "operationId": "a", "responses": { "200": { "description": "ok" } } } },
            "x-note": { "kept": true },
            "/c": { "post": { "x-fail-open": true, "responses": {} } }
        },
        "components": { "schemas": { "S": { "type": "string" } } },
        "x-top": 1
    })
}

fn pointer_of_refusal(value: &Value) -> String {
    load_str(&serde_json::to_string_pretty(value).unwrap())
        .unwrap_err()
        .0[0]
        .pointer
        .clone()
}

#[test]
fn the_document_as_given_loads() {
    load_str(&document().to_string()).unwrap();
}

#[test]
fn a_bad_path_item_is_reported_at_its_pointer() {
    let mut value = document();
    value["paths"]["/c"]["post"]["responses"] = Value::from(5);
    let pointer = pointer_of_refusal(&value);
    assert!(pointer.starts_with("/paths/~1c/post"), "{pointer}");
}

#[test]
fn a_bad_component_is_reported_at_its_pointer() {
    let mut value = document();
    value["components"]["securitySchemes"] = json!({ "k": { "type": 5 } });
    let pointer = pointer_of_refusal(&value);
    assert!(
        pointer.starts_with("/components/securitySchemes/k"),
        "{pointer}"
    );
}

#[test]
fn a_bad_top_level_is_reported() {
    let mut value = document();
    value["info"] = Value::from("no");
    assert_eq!(pointer_of_refusal(&value), "/info");
}
