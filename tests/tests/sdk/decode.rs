//! Models decode real server answers, built here from the spec itself in the
//! hardest legal form: every nullable field `null`, every string enum a value
//! this SDK has never seen, every union on its constant branch (a tier whose
//! `to` is `"inf"`), and an unknown extra field in every object.

use std::collections::BTreeSet;

use autumn_sdk::models::{Customer, Plan, PriceTierTo};
use serde_json::{json, Map, Value};
use tests::workspace;

fn spec() -> Value {
    let text =
        std::fs::read_to_string(workspace().join("spec/autumn.yaml")).expect("spec is there");
    serde_yaml::from_str(&text).expect("spec is YAML")
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(
            doc,
            doc.pointer(r.trim_start_matches('#'))
                .expect("ref resolves"),
        ),
        None => schema,
    }
}

/// Nullable properties kept non-null so the instance reaches a price tier; every other one is `null`.
const PATH_TO_TIERS: &[&str] = &["plan", "price", "tiers"];

/// The hardest legal instance of `schema`; `seen` stops recursion through `$ref` cycles.
fn hardest(doc: &Value, schema: &Value, seen: &mut BTreeSet<String>, depth: usize) -> Value {
    hardest_in(doc, schema, seen, depth, "")
}

fn hardest_in(
    doc: &Value,
    schema: &Value,
    seen: &mut BTreeSet<String>,
    depth: usize,
    property: &str,
) -> Value {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        if !seen.insert(r.to_owned()) {
            return Value::Null;
        }
        let v = hardest(doc, resolve(doc, schema), seen, depth + 1);
        seen.remove(r);
        return v;
    }
    if let Some(c) = schema.get("const") {
        return c.clone();
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let is_null = |b: &Value| b.get("type") == Some(&json!("null"));
            if branches.iter().any(is_null) && !PATH_TO_TIERS.contains(&property) {
                return Value::Null;
            }
            let branches: Vec<&Value> = branches.iter().filter(|b| !is_null(b)).collect();
            // A constant branch (`"inf"`) is the one a careless decoder gets wrong.
            let pick = branches
                .iter()
                .find(|b| resolve(doc, b).get("const").is_some())
                .unwrap_or(&branches[0]);
            return hardest(doc, pick, seen, depth + 1);
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in all {
            if let Value::Object(o) = hardest(doc, part, seen, depth + 1) {
                merged.extend(o);
            }
        }
        return Value::Object(merged);
    }
    if schema.get("enum").is_some() {
        return json!("a_value_added_next_year");
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => json!("text"),
        Some("integer") => json!(7),
        Some("number") => json!(2.5),
        Some("boolean") => json!(true),
        Some("array") => match schema.get("items") {
            Some(items) if depth < 12 => json!([hardest(doc, items, seen, depth + 1)]),
            _ => json!([]),
        },
        _ => {
            let mut out = Map::new();
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (name, prop) in props {
                    // Optional properties too, so that deep shapes (plans, tiers) are reached.
                    let v = hardest_in(doc, prop, seen, depth + 1, name);
                    if required.contains(&name.as_str()) || !v.is_null() || depth < 8 {
                        out.insert(name.clone(), v);
                    }
                }
                out.insert("field_from_the_future".into(), json!({"nested": [1, 2]}));
            } else if let Some(values) =
                schema.get("additionalProperties").filter(|a| a.is_object())
            {
                out.insert("some_key".into(), hardest(doc, values, seen, depth + 1));
            }
            Value::Object(out)
        }
    }
}

fn hardest_component(name: &str) -> Value {
    let doc = spec();
    let schema = json!({"$ref": format!("#/components/schemas/{name}")});
    hardest(&doc, &schema, &mut BTreeSet::new(), 0)
}

#[test]
fn the_hardest_customer_decodes() {
    let value = hardest_component("Customer");
    let text = value.to_string();
    assert!(
        text.contains("\"inf\""),
        "the instance reaches a price tier"
    );
    let customer: Customer =
        serde_path_to_error::deserialize(&value).unwrap_or_else(|e| panic!("does not decode: {e}"));
    assert_eq!(customer.name, None);
    assert_eq!(customer.email, None);
    assert!(
        matches!(customer.env, autumn_sdk::models::Environment::Unknown(ref v) if v == "a_value_added_next_year")
    );
}

#[test]
fn a_plan_with_an_infinite_tier_decodes_and_round_trips_the_tier() {
    let value = hardest_component("Plan");
    let plan: Plan =
        serde_path_to_error::deserialize(&value).unwrap_or_else(|e| panic!("does not decode: {e}"));
    let back = serde_json::to_value(&plan).expect("encodes");
    assert!(
        back.to_string().contains("\"inf\""),
        "the infinite tier survives a round trip"
    );
    assert_eq!(
        serde_json::from_value::<PriceTierTo>(json!("inf")).unwrap(),
        PriceTierTo::Inf
    );
    assert_eq!(
        serde_json::from_value::<PriceTierTo>(json!(100)).unwrap(),
        PriceTierTo::Number(100.0)
    );
    assert!(serde_json::from_value::<PriceTierTo>(json!("infinity")).is_err());
}
