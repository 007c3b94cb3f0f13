//! Fidelity of `spec/autumn.yaml` to Autumn's official Python SDK,
//! `autumn-sdk` 1.2.0 (API 2.5.0), the reference for the API's facts.
//!
//! `tests/official_sdk/facts.py` prints what the SDK knows: every operation
//! (operationId, HTTP method, path, request model, the model of each response
//! status) and the facts of every model (property names, types, required,
//! nullability, enums, consts, defaults). This test reads the same kind of
//! facts from our spec (`spec/autumn.yaml`, or the document `FIDELITY_SPEC`
//! names, relative to the workspace root) and compares them:
//!
//! - every SDK operation must be ours under its operationId, with the same
//!   method and path; an operation of ours the SDK lacks is a difference
//!   unless it carries `x-speakeasy-ignore: true` (the SDK leaves those out);
//! - the request body: none on either side, or the request model against our
//!   `application/json` schema, an `Optional[...]` model meaning
//!   `requestBody.required: false`;
//! - each response status with a model against our schema for that status
//!   (and a 2XX schema of ours needs an SDK model).
//!
//! Our schemas are read as facts: `$ref`s followed (OpenAPI 3.1 siblings over
//! the target; descriptions, titles and examples are ours, not facts),
//! `anyOf`/`oneOf` with a `{type: "null"}` arm and `type: [x, "null"]` are
//! the rest made nullable, `allOf` is merged into one object, `enum` values
//! lose `null`, an object with neither properties nor `additionalProperties`
//! is the SDK's empty model, `{}` is anything. A union whose members are enums
//! or consts is one enum (on both sides; in a mixed union they become its
//! last member, as the SDK has it), and enum values compare as sets. Union
//! members are paired by kind first (a `string` with a `string`, an object
//! with an object), then in order.
//!
//! Speakeasy, which generates the SDK, makes every `const` property optional
//! with the constant as its default (`tests/official_sdk/README.md`), so
//! `required` and `default` are not compared for a property whose SDK schema
//! is a const and whose SDK default equals it. The SDK marks a model inside
//! itself with `{"ref": ClassName}`; the comparison stops there.
//!
//! A difference names our JSON pointer along the operation (the request or
//! response schema, then `properties/...`, `items`, `anyOf/0`...) and, where
//! a `$ref` was followed, the pointer where the fact is written. The only
//! differences allowed are the ones `spec/README.md` lists under
//! "Intentional differences from the official SDK", each naming our pointer
//! it covers; a listed difference that no longer occurs fails too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use tests::spec_check::escape;

/// The README section that lists the allowed differences.
const SECTION: &str = "## Intentional differences from the official SDK";

/// How deep a comparison (or a chain of `$ref`s, unions and `allOf`s in our
/// document) may go before it is taken for a loop.
const MAX_DEPTH: usize = 64;

/// The HTTP methods of an OpenAPI path item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The schema `true` (anything), for an array without `items`.
static ANYTHING: Value = Value::Bool(true);

// ---------------------------------------------------------------- helpers

/// `ptr` with one more token.
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

/// Equal JSON, numbers compared by value (`10` and `10.0` are the same).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, a)| y.get(k).is_some_and(|b| same_value(a, b)))
        }
        _ => a == b,
    }
}

/// The values of `a` that are not in `b`.
fn values_not_in(a: &[Value], b: &[Value]) -> Vec<Value> {
    a.iter()
        .filter(|x| !b.iter().any(|y| same_value(x, y)))
        .cloned()
        .collect()
}

/// `yes` or `no`.
fn yes_no(flag: bool) -> &'static str {
    if flag {
        "yes"
    } else {
        "no"
    }
}

// ---------------------------------------------------------------- the SDK's facts

/// A node of the SDK's facts tree (the format is documented in
/// `tests/official_sdk/facts.py`).
#[derive(Clone, Debug, PartialEq)]
enum Fact {
    /// `string`, `number`, `integer` or `boolean`.
    Scalar(String),
    /// Anything.
    Any,
    /// The inner node or `null`.
    Nullable(Box<Fact>),
    /// One of these values (`null` left out).
    Enum(Vec<Value>),
    /// Exactly this value.
    Const(Value),
    /// A list of the inner node.
    Array(Box<Fact>),
    /// A map from strings to the inner node.
    Map(Box<Fact>),
    /// One of these members, in the document's order.
    Union(Vec<Fact>),
    /// A model (class name) with its properties.
    Object(String, Vec<SdkProperty>),
    /// A model inside itself: the facts stop here.
    Ref(String),
}

/// A property of an SDK model.
#[derive(Clone, Debug, PartialEq)]
struct SdkProperty {
    name: String,
    required: bool,
    default: Option<Value>,
    schema: Fact,
}

impl Fact {
    /// Reads one node of `facts.py`'s output.
    fn parse(node: &Value) -> Result<Fact, String> {
        let bad = || format!("not a facts node: {}", short(node));
        let object = node.as_object().ok_or_else(bad)?;
        let nodes = |v: &Value| -> Result<Vec<Fact>, String> {
            v.as_array()
                .ok_or_else(bad)?
                .iter()
                .map(Fact::parse)
                .collect()
        };
        let name = |v: &Value| v.as_str().map(str::to_owned).ok_or_else(bad);
        if let Some(t) = object.get("type") {
            return Ok(Fact::Scalar(name(t)?));
        }
        if object.contains_key("any") {
            return Ok(Fact::Any);
        }
        if let Some(inner) = object.get("nullable") {
            return Ok(Fact::Nullable(Box::new(Fact::parse(inner)?)));
        }
        if let Some(values) = object.get("enum") {
            let values = values.as_array().ok_or_else(bad)?;
            return Ok(Fact::Enum(
                values.iter().filter(|v| !v.is_null()).cloned().collect(),
            ));
        }
        if let Some(value) = object.get("const") {
            return Ok(Fact::Const(value.clone()));
        }
        if let Some(inner) = object.get("array") {
            return Ok(Fact::Array(Box::new(Fact::parse(inner)?)));
        }
        if let Some(inner) = object.get("map") {
            return Ok(Fact::Map(Box::new(Fact::parse(inner)?)));
        }
        if let Some(members) = object.get("union") {
            return Ok(sdk_union(nodes(members)?));
        }
        if let Some(class) = object.get("ref") {
            return Ok(Fact::Ref(name(class)?));
        }
        if let Some(class) = object.get("object") {
            let properties = object
                .get("properties")
                .and_then(Value::as_object)
                .ok_or_else(bad)?
                .iter()
                .map(|(name, entry)| {
                    Ok(SdkProperty {
                        name: name.clone(),
                        required: entry
                            .get("required")
                            .and_then(Value::as_bool)
                            .ok_or_else(bad)?,
                        default: entry.get("default").filter(|d| !d.is_null()).cloned(),
                        schema: Fact::parse(entry.get("schema").ok_or_else(bad)?)?,
                    })
                })
                .collect::<Result<_, String>>()?;
            return Ok(Fact::Object(name(class)?, properties));
        }
        Err(bad())
    }

    /// The class of node this is, for pairing union members.
    fn class(&self) -> String {
        match strip_nullable(self).1 {
            Fact::Scalar(t) => t.clone(),
            Fact::Enum(_) | Fact::Const(_) => "literal".into(),
            Fact::Object(..) | Fact::Ref(_) => "object".into(),
            other => other.kind(),
        }
    }

    /// What kind of node this is, for messages.
    fn kind(&self) -> String {
        match self {
            Fact::Scalar(t) => t.clone(),
            Fact::Any => "any".into(),
            Fact::Nullable(inner) => format!("nullable {}", inner.kind()),
            Fact::Enum(values) => format!("enum {}", short(&Value::from(values.clone()))),
            Fact::Const(value) => format!("const {}", short(value)),
            Fact::Array(_) => "array".into(),
            Fact::Map(_) => "map".into(),
            Fact::Union(members) => format!("union of {}", members.len()),
            Fact::Object(class, _) => format!("object `{class}`"),
            Fact::Ref(class) => format!("`{class}`"),
        }
    }
}

/// A union of the SDK, flattened, with its enum and const members merged
/// into one enum (its last member), as `facts.py` does.
fn sdk_union(members: Vec<Fact>) -> Fact {
    fn flatten(fact: Fact, nullable: &mut bool, out: &mut Vec<Fact>) {
        match fact {
            Fact::Nullable(inner) => {
                *nullable = true;
                flatten(*inner, nullable, out);
            }
            Fact::Union(members) => {
                for m in members {
                    flatten(m, nullable, out);
                }
            }
            other => out.push(other),
        }
    }
    let (mut nullable, mut flat) = (false, Vec::new());
    for m in members {
        flatten(m, &mut nullable, &mut flat);
    }
    let mut literals = Vec::new();
    let mut others: Vec<Fact> = Vec::new();
    for m in flat {
        match m {
            Fact::Enum(values) => literals.extend(values),
            Fact::Const(value) => literals.push(value),
            other => others.push(other),
        }
    }
    match literals.len() {
        0 => {}
        1 => others.push(Fact::Const(literals.remove(0))),
        _ => others.push(Fact::Enum(literals)),
    }
    let inner = if others.len() == 1 {
        others.remove(0)
    } else {
        Fact::Union(others)
    };
    if nullable {
        Fact::Nullable(Box::new(inner))
    } else {
        inner
    }
}

/// An operation of the SDK.
#[derive(Clone, Debug)]
struct SdkOperation {
    operation_id: String,
    http: String,
    path: String,
    /// A Python expression over `models` (`Optional[...]` for an optional
    /// body), `None` when the method sends no body.
    request_model: Option<String>,
    /// Each status the SDK handles, with its model (`None`: no body read).
    responses: Vec<(String, Option<String>)>,
}

/// Everything `facts.py` prints.
#[derive(Debug)]
struct SdkFacts {
    operations: Vec<SdkOperation>,
    models: BTreeMap<String, Fact>,
}

impl SdkFacts {
    /// Reads `facts.py`'s output.
    fn parse(facts: &Value) -> Result<SdkFacts, String> {
        let text = |op: &Value, key: &str| -> Result<String, String> {
            op.get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("operation without `{key}`: {}", short(op)))
        };
        let operations = facts
            .get("operations")
            .and_then(Value::as_array)
            .ok_or("no `operations`")?
            .iter()
            .map(|op| {
                Ok(SdkOperation {
                    operation_id: text(op, "operation_id")?,
                    http: text(op, "http")?,
                    path: text(op, "path")?,
                    request_model: op
                        .get("request_model")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    responses: op
                        .get("responses")
                        .and_then(Value::as_object)
                        .ok_or_else(|| format!("operation without `responses`: {}", short(op)))?
                        .iter()
                        .map(|(status, model)| (status.clone(), model.as_str().map(str::to_owned)))
                        .collect(),
                })
            })
            .collect::<Result<_, String>>()?;
        let models = facts
            .get("models")
            .and_then(Value::as_object)
            .ok_or("no `models`")?
            .iter()
            .map(|(expression, node)| {
                Fact::parse(node)
                    .map(|fact| (expression.clone(), fact))
                    .map_err(|e| format!("model `{expression}`: {e}"))
            })
            .collect::<Result<_, String>>()?;
        Ok(SdkFacts { operations, models })
    }
}

// ---------------------------------------------------------------- our facts

/// Where a schema of ours is: `at` along the operation (request or response
/// schema, then `properties/...`), `written` where its keywords are written
/// (the target of the last `$ref` followed; the same as `at` without one).
#[derive(Clone, Debug, PartialEq)]
struct Place {
    at: String,
    written: String,
}

impl Place {
    /// A place that is written where it is.
    fn new(at: &str) -> Place {
        Place {
            at: at.to_owned(),
            written: at.to_owned(),
        }
    }

    /// The same token added to both pointers.
    fn child(&self, token: &str) -> Place {
        Place {
            at: child(&self.at, token),
            written: child(&self.written, token),
        }
    }
}

/// An object of our document with its `$ref`s followed: each keyword, its
/// value, and the pointer where that keyword is written.
struct View<'a> {
    /// Pointer of the object the view resolves to (the last `$ref` target).
    id: String,
    entries: Vec<(&'a str, &'a Value, String)>,
}

impl<'a> View<'a> {
    /// A keyword's value and the pointer where it is written.
    fn get(&self, key: &str) -> Option<(&'a Value, &str)> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, v, p)| (*v, p.as_str()))
    }
}

/// Resolves `value` (written at `ptr`) into a [`View`]; `None` if it is not
/// an object. OpenAPI 3.1: keywords next to a `$ref` apply too and win over
/// the target's.
fn view<'a>(doc: &'a Value, value: &'a Value, ptr: &str) -> Result<Option<View<'a>>, String> {
    view_at_depth(doc, value, ptr, 0)
}

/// [`view`], `depth` `$ref`s down a chain.
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
    if depth > MAX_DEPTH {
        return Err(format!("`$ref` chain longer than {MAX_DEPTH} at {ptr}"));
    }
    let reference = reference
        .as_str()
        .ok_or_else(|| format!("{ptr}/$ref is not a string"))?;
    let target_ptr = reference
        .strip_prefix('#')
        .ok_or_else(|| format!("{ptr}/$ref: `{reference}` is not local"))?;
    let target = doc
        .pointer(target_ptr)
        .ok_or_else(|| format!("{ptr}/$ref: `{reference}` not found"))?;
    let mut resolved = view_at_depth(doc, target, target_ptr, depth + 1)?
        .ok_or_else(|| format!("{ptr}/$ref: `{reference}` is not an object"))?;
    for (key, sibling) in object {
        if key != "$ref" {
            resolved.entries.retain(|(k, _, _)| k != key);
            resolved
                .entries
                .push((key.as_str(), sibling, child(ptr, key)));
        }
    }
    Ok(Some(resolved))
}

/// A schema of ours not read yet (read on demand, so that recursive schemas
/// are read only as deep as the SDK's facts go).
#[derive(Clone, Debug)]
struct Schema<'a> {
    value: &'a Value,
    place: Place,
}

/// A schema of ours read as facts, one level deep.
#[derive(Debug)]
struct Node<'a> {
    shape: Shape<'a>,
    place: Place,
    /// Its `default` (not `null`) and where that is written.
    default: Option<(&'a Value, String)>,
}

impl<'a> Node<'a> {
    /// A node without a default.
    fn new(shape: Shape<'a>, place: &Place) -> Node<'a> {
        Node {
            shape,
            place: place.clone(),
            default: None,
        }
    }

    /// Whether it is nullable, and the node without the nullability.
    fn strip_nullable(&self) -> (bool, &Node<'a>) {
        match &self.shape {
            Shape::Nullable(inner) => (true, inner.strip_nullable().1),
            _ => (false, self),
        }
    }
}

/// The facts of one schema of ours, the schemas inside left unread.
#[derive(Debug)]
enum Shape<'a> {
    /// `{}`: anything.
    Any,
    /// `string`, `number`, `integer` or `boolean`.
    Scalar(String),
    /// `{type: "null"}`.
    Null,
    /// The inner node or `null`.
    Nullable(Box<Node<'a>>),
    /// `enum` (without `null`) or a union of enums and consts.
    Enum(Vec<Value>),
    /// `const`.
    Const(Value),
    /// An array of `items`.
    Array(Schema<'a>),
    /// An object without properties whose `additionalProperties` is a schema.
    Map(Schema<'a>),
    /// `anyOf`/`oneOf` (more than one member besides `null`).
    Union(Vec<Node<'a>>),
    /// An object with these properties (none: the SDK's empty model).
    Object(Vec<Property<'a>>),
}

impl Shape<'_> {
    /// The class of schema this is, for pairing union members (as [`Fact::class`]).
    fn class(&self) -> String {
        match self {
            Shape::Nullable(inner) => inner.shape.class(),
            Shape::Enum(_) | Shape::Const(_) => "literal".into(),
            Shape::Object(_) => "object".into(),
            other => other.kind(),
        }
    }

    /// What kind of schema this is, for messages.
    fn kind(&self) -> String {
        match self {
            Shape::Any => "any".into(),
            Shape::Scalar(t) => t.clone(),
            Shape::Null => "null".into(),
            Shape::Nullable(inner) => format!("nullable {}", inner.shape.kind()),
            Shape::Enum(values) => format!("enum {}", short(&Value::from(values.clone()))),
            Shape::Const(value) => format!("const {}", short(value)),
            Shape::Array(_) => "array".into(),
            Shape::Map(_) => "map".into(),
            Shape::Union(members) => format!("union of {}", members.len()),
            Shape::Object(properties) if properties.is_empty() => {
                "object without properties".into()
            }
            Shape::Object(_) => "object".into(),
        }
    }

    /// The values of an enum or a const.
    fn literals(&self) -> Option<Vec<Value>> {
        match self {
            Shape::Enum(values) => Some(values.clone()),
            Shape::Const(value) => Some(vec![value.clone()]),
            _ => None,
        }
    }
}

/// A property of an object of ours.
#[derive(Clone, Debug)]
struct Property<'a> {
    name: String,
    required: bool,
    /// Where the object's `required` list is written (or would be).
    required_at: String,
    schema: Schema<'a>,
}

/// Reads schemas of our document as facts.
struct Reader<'a> {
    doc: &'a Value,
}

impl<'a> Reader<'a> {
    /// The facts of `schema`, one level deep; `depth` counts the schemas read
    /// on the way here without a level of the SDK's facts in between.
    fn node(&self, schema: &Schema<'a>, depth: usize) -> Result<Node<'a>, String> {
        if depth > MAX_DEPTH {
            return Err(format!(
                "unions, `allOf`s and `$ref`s nested deeper than {MAX_DEPTH}"
            ));
        }
        if schema.value == &Value::Bool(true) {
            return Ok(Node::new(Shape::Any, &schema.place));
        }
        let v = view(self.doc, schema.value, &schema.place.written)?
            .ok_or_else(|| format!("not a schema: {}", short(schema.value)))?;
        let place = Place {
            at: schema.place.at.clone(),
            written: v.id.clone(),
        };
        let mut node = self.of_view(&v, &place, None, depth)?;
        if let Some((default, ptr)) = v.get("default").filter(|(d, _)| !d.is_null()) {
            node.default = Some((default, ptr.to_owned()));
        }
        Ok(node)
    }

    /// The facts of a resolved schema; `ty` is one of the types of a
    /// `type: [...]` list, read on its own.
    fn of_view(
        &self,
        v: &View<'a>,
        place: &Place,
        ty: Option<&str>,
        depth: usize,
    ) -> Result<Node<'a>, String> {
        let declared = v.get("type");
        if let (None, Some((Value::Array(types), ptr))) = (ty, declared) {
            let names: Vec<&str> = types
                .iter()
                .map(|t| t.as_str().ok_or_else(|| format!("{ptr}: not a type name")))
                .collect::<Result<_, _>>()?;
            let rest: Vec<&str> = names.iter().copied().filter(|t| *t != "null").collect();
            let inner = match rest.as_slice() {
                [] => Node::new(Shape::Null, place),
                [one] => self.of_view(v, place, Some(*one), depth + 1)?,
                many => Node::new(
                    Shape::Union(
                        many.iter()
                            .map(|t| self.of_view(v, place, Some(*t), depth + 1))
                            .collect::<Result<_, _>>()?,
                    ),
                    place,
                ),
            };
            return Ok(if rest.len() < names.len() && !rest.is_empty() {
                Node::new(Shape::Nullable(Box::new(inner)), place)
            } else {
                inner
            });
        }
        if let Some((value, _)) = v.get("const") {
            return Ok(Node::new(Shape::Const(value.clone()), place));
        }
        if let Some((values, ptr)) = v.get("enum") {
            let values = values
                .as_array()
                .ok_or_else(|| format!("{ptr}: not a list"))?;
            let values = values.iter().filter(|x| !x.is_null()).cloned().collect();
            return Ok(Node::new(Shape::Enum(values), place));
        }
        for key in ["anyOf", "oneOf"] {
            if let Some((members, ptr)) = v.get(key) {
                let members_place = Place {
                    at: child(&place.at, key),
                    written: ptr.to_owned(),
                };
                return self.union(members, place, &members_place, depth);
            }
        }
        if let Some((members, ptr)) = v.get("allOf") {
            let members_place = Place {
                at: child(&place.at, "allOf"),
                written: ptr.to_owned(),
            };
            return self.all_of(v, members, place, &members_place, depth);
        }
        let ty = match (ty, declared) {
            (Some(ty), _) => ty,
            (None, Some((Value::String(ty), _))) => ty.as_str(),
            (None, Some((_, ptr))) => return Err(format!("{ptr}: not a type")),
            (None, None) => {
                let has = |keys: &[&str]| keys.iter().any(|k| v.get(k).is_some());
                if has(&["properties", "additionalProperties", "propertyNames"]) {
                    "object"
                } else if has(&["items", "prefixItems"]) {
                    "array"
                } else {
                    return Ok(Node::new(Shape::Any, place));
                }
            }
        };
        let shape = match ty {
            "string" | "number" | "integer" | "boolean" => Shape::Scalar(ty.to_owned()),
            "null" => Shape::Null,
            "array" => Shape::Array(match v.get("items") {
                Some((items, ptr)) => Schema {
                    value: items,
                    place: Place {
                        at: child(&place.at, "items"),
                        written: ptr.to_owned(),
                    },
                },
                None => Schema {
                    value: &ANYTHING,
                    place: place.child("items"),
                },
            }),
            "object" => self.object(v, place)?,
            other => return Err(format!("unknown type `{other}`")),
        };
        Ok(Node::new(shape, place))
    }

    /// An object: its properties, or a map, or the empty model.
    fn object(&self, v: &View<'a>, place: &Place) -> Result<Shape<'a>, String> {
        let properties = self.properties(v, place)?;
        if !properties.is_empty() {
            return Ok(Shape::Object(properties));
        }
        Ok(match v.get("additionalProperties") {
            None | Some((Value::Bool(false), _)) => Shape::Object(Vec::new()),
            Some((value, ptr)) => Shape::Map(Schema {
                value,
                place: Place {
                    at: child(&place.at, "additionalProperties"),
                    written: ptr.to_owned(),
                },
            }),
        })
    }

    /// The properties of an object, each with whether `required` names it.
    fn properties(&self, v: &View<'a>, place: &Place) -> Result<Vec<Property<'a>>, String> {
        let Some((properties, properties_ptr)) = v.get("properties") else {
            return Ok(Vec::new());
        };
        let properties = properties
            .as_object()
            .ok_or_else(|| format!("{properties_ptr}: not an object"))?;
        let (required, required_at) = match v.get("required") {
            Some((list, ptr)) => (
                list.as_array()
                    .ok_or_else(|| format!("{ptr}: not a list"))?
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<BTreeSet<_>>(),
                ptr.to_owned(),
            ),
            None => (BTreeSet::new(), child(&place.written, "required")),
        };
        Ok(properties
            .iter()
            .map(|(name, value)| Property {
                name: name.clone(),
                required: required.contains(name.as_str()),
                required_at: required_at.clone(),
                schema: Schema {
                    value,
                    place: Place {
                        at: child(&child(&place.at, "properties"), name),
                        written: child(properties_ptr, name),
                    },
                },
            })
            .collect())
    }

    /// `anyOf`/`oneOf`: flattened, `null` members made nullability, enum and
    /// const members merged into one enum at the end, one member left alone.
    fn union(
        &self,
        members: &'a Value,
        place: &Place,
        members_place: &Place,
        depth: usize,
    ) -> Result<Node<'a>, String> {
        fn flatten<'a>(node: Node<'a>, nullable: &mut bool, out: &mut Vec<Node<'a>>) {
            match node.shape {
                Shape::Null => *nullable = true,
                Shape::Nullable(inner) => {
                    *nullable = true;
                    flatten(*inner, nullable, out);
                }
                Shape::Union(members) => {
                    for m in members {
                        flatten(m, nullable, out);
                    }
                }
                _ => out.push(node),
            }
        }
        let members = members
            .as_array()
            .ok_or_else(|| format!("{}: not a list", members_place.written))?;
        let (mut nullable, mut flat) = (false, Vec::new());
        for (i, member) in members.iter().enumerate() {
            let schema = Schema {
                value: member,
                place: members_place.child(&i.to_string()),
            };
            flatten(self.node(&schema, depth + 1)?, &mut nullable, &mut flat);
        }
        let (mut literals, mut sources) = (Vec::new(), Vec::new());
        let mut others = Vec::new();
        for member in flat {
            match member.shape.literals() {
                Some(values) => {
                    literals.extend(values);
                    sources.push(member.place);
                }
                None => others.push(member),
            }
        }
        // Named by the member it comes from when there is one.
        let literals_place = match sources.as_slice() {
            [one] => one,
            _ => members_place,
        };
        match literals.len() {
            0 => {}
            1 => others.push(Node::new(Shape::Const(literals.remove(0)), literals_place)),
            _ => others.push(Node::new(Shape::Enum(literals), literals_place)),
        }
        let inner = match others.len() {
            0 => return Ok(Node::new(Shape::Null, place)),
            1 => others.remove(0),
            _ => Node::new(Shape::Union(others), place),
        };
        Ok(if nullable {
            Node::new(Shape::Nullable(Box::new(inner)), place)
        } else {
            inner
        })
    }

    /// `allOf`: its members' properties (and the schema's own) merged into
    /// one object; a single member without properties next to it is that
    /// member.
    fn all_of(
        &self,
        v: &View<'a>,
        members: &'a Value,
        place: &Place,
        members_place: &Place,
        depth: usize,
    ) -> Result<Node<'a>, String> {
        let members = members
            .as_array()
            .ok_or_else(|| format!("{}: not a list", members_place.written))?;
        let schema = |i: usize, member: &'a Value| Schema {
            value: member,
            place: members_place.child(&i.to_string()),
        };
        if let ([member], None) = (members.as_slice(), v.get("properties")) {
            return self.node(&schema(0, member), depth + 1);
        }
        let mut merged: Vec<Property<'a>> = Vec::new();
        let mut required: BTreeSet<&str> = BTreeSet::new();
        let mut add = |properties: Vec<Property<'a>>| {
            for p in properties {
                match merged.iter_mut().find(|m| m.name == p.name) {
                    Some(m) => m.required |= p.required,
                    None => merged.push(p),
                }
            }
        };
        for (i, member) in members.iter().enumerate() {
            let schema = schema(i, member);
            if let Some(member_view) = view(self.doc, member, &schema.place.written)? {
                if let Some((Value::Array(names), _)) = member_view.get("required") {
                    required.extend(names.iter().filter_map(Value::as_str));
                }
            }
            match self.node(&schema, depth + 1)?.shape {
                Shape::Object(properties) => add(properties),
                Shape::Any => {} // constraints only, such as `required`
                other => {
                    return Err(format!(
                        "{}: an `allOf` member that is not an object ({})",
                        schema.place.at,
                        other.kind()
                    ))
                }
            }
        }
        add(self.properties(v, place)?);
        if let Some((Value::Array(names), _)) = v.get("required") {
            required.extend(names.iter().filter_map(Value::as_str));
        }
        for p in &mut merged {
            p.required |= required.contains(p.name.as_str());
        }
        Ok(Node::new(Shape::Object(merged), place))
    }
}

// ---------------------------------------------------------------- the comparison

/// One fact that differs, with our pointer along the operation (`at`) and,
/// when that is elsewhere, where the fact is written in our document.
#[derive(Clone, Debug, PartialEq)]
struct Difference {
    at: String,
    written: Option<String>,
    what: String,
}

impl Difference {
    /// Our pointers this difference is found at.
    fn pointers(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.at.as_str()).chain(self.written.as_deref())
    }
}

/// An operation of ours.
struct OurOperation<'a> {
    method: &'a str,
    path: &'a str,
    value: &'a Value,
    ptr: String,
}

/// Walks the SDK's operations and our document side by side.
struct Comparison<'a> {
    doc: &'a Value,
    reader: Reader<'a>,
    sdk: &'a SdkFacts,
    differences: Vec<Difference>,
    /// Operations compared (found on both sides).
    operations: usize,
    /// Schema nodes compared.
    schemas: usize,
    /// Properties found on both sides and compared.
    properties: usize,
    /// Our operations the SDK leaves out (`x-speakeasy-ignore`).
    ignored: Vec<String>,
}

impl<'a> Comparison<'a> {
    /// Records a difference at `place`, with a `written` pointer (if other than `at`).
    fn differ(&mut self, place: &Place, what: impl Into<String>) {
        self.differences.push(Difference {
            at: place.at.clone(),
            written: (place.written != place.at).then(|| place.written.clone()),
            what: what.into(),
        });
    }

    /// Our operations by operationId.
    fn our_operations(&self) -> BTreeMap<&'a str, OurOperation<'a>> {
        let mut found = BTreeMap::new();
        let Some(paths) = self.doc.get("paths").and_then(Value::as_object) else {
            return found;
        };
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                let id = op.get("operationId").and_then(Value::as_str);
                if let (true, Some(id)) = (METHODS.contains(&method.as_str()), id) {
                    let ptr = child(&child("/paths", path), method);
                    found.insert(
                        id,
                        OurOperation {
                            method,
                            path,
                            value: op,
                            ptr,
                        },
                    );
                }
            }
        }
        found
    }

    /// Compares every operation.
    fn run(&mut self) {
        let mut ours = self.our_operations();
        let sdk = self.sdk;
        for sdk_op in &sdk.operations {
            let Some(op) = ours.remove(sdk_op.operation_id.as_str()) else {
                let ptr = child(&child("/paths", &sdk_op.path), &sdk_op.http.to_lowercase());
                self.differ(
                    &Place::new(&ptr),
                    format!(
                        "operation `{}` ({} {}) only in the SDK",
                        sdk_op.operation_id, sdk_op.http, sdk_op.path
                    ),
                );
                continue;
            };
            self.operation(sdk_op, &op);
        }
        for (id, op) in ours {
            if op.value.get("x-speakeasy-ignore") == Some(&Value::Bool(true)) {
                self.ignored.push(id.to_owned());
            } else {
                self.differ(
                    &Place::new(&op.ptr),
                    format!("operation `{id}` only in ours"),
                );
            }
        }
    }

    /// One operation found on both sides.
    fn operation(&mut self, sdk_op: &SdkOperation, op: &OurOperation<'a>) {
        self.operations += 1;
        let here = Place::new(&op.ptr);
        if op.method != sdk_op.http.to_lowercase() {
            self.differ(
                &here,
                format!(
                    "HTTP method: ours {}, SDK {}",
                    op.method.to_uppercase(),
                    sdk_op.http
                ),
            );
        }
        if op.path != sdk_op.path {
            self.differ(
                &here,
                format!("path: ours {}, SDK {}", op.path, sdk_op.path),
            );
        }
        self.request_body(sdk_op, op);
        self.responses(sdk_op, op);
    }

    /// The request body against the SDK's request model.
    fn request_body(&mut self, sdk_op: &SdkOperation, op: &OurOperation<'a>) {
        let place = Place::new(&child(&op.ptr, "requestBody"));
        let body = match op.value.get("requestBody") {
            Some(body) => match view(self.doc, body, &place.written) {
                Ok(body) => body,
                Err(err) => return self.differ(&place, format!("broken `$ref`: {err}")),
            },
            None => None,
        };
        let (model, body) = match (&sdk_op.request_model, body) {
            (None, None) => return,
            (Some(model), None) => {
                return self.differ(&place, format!("request body only in the SDK ({model})"))
            }
            (None, Some(_)) => return self.differ(&place, "request body only in ours"),
            (Some(model), Some(body)) => (model, body),
        };
        let place = Place {
            at: place.at,
            written: body.id.clone(),
        };
        let sdk_required = !model.starts_with("Optional[");
        let ours_required = body.get("required").and_then(|(v, _)| v.as_bool()) == Some(true);
        if sdk_required != ours_required {
            self.differ(
                &place.child("required"),
                format!(
                    "request body required: ours {}, SDK {} ({model})",
                    yes_no(ours_required),
                    yes_no(sdk_required)
                ),
            );
        }
        self.content(model, &body, &place);
    }

    /// Each response status the SDK reads a model for, and our 2XX bodies.
    fn responses(&mut self, sdk_op: &SdkOperation, op: &OurOperation<'a>) {
        let place = Place::new(&child(&op.ptr, "responses"));
        let ours = op.value.get("responses").and_then(Value::as_object);
        for (status, model) in &sdk_op.responses {
            let Some(model) = model else {
                continue;
            };
            let status_place = place.child(status);
            let response = ours
                .and_then(|r| r.get(status))
                .map(|r| view(self.doc, r, &status_place.written));
            match response {
                None | Some(Ok(None)) => self.differ(
                    &status_place,
                    format!("response {status} only in the SDK ({model})"),
                ),
                Some(Err(err)) => self.differ(&status_place, format!("broken `$ref`: {err}")),
                Some(Ok(Some(response))) => {
                    let place = Place {
                        at: status_place.at,
                        written: response.id.clone(),
                    };
                    self.content(model, &response, &place);
                }
            }
        }
        for (status, response) in ours.into_iter().flatten() {
            let has_model = sdk_op
                .responses
                .iter()
                .any(|(s, m)| s == status && m.is_some());
            if status.starts_with('2') && response.get("content").is_some() && !has_model {
                self.differ(
                    &place.child(status),
                    format!("response {status} with a body only in ours"),
                );
            }
        }
    }

    /// The `application/json` schema of a request body or response (`owner`)
    /// against the SDK's `model`.
    fn content(&mut self, model: &str, owner: &View<'a>, place: &Place) {
        let schema = owner.get("content").and_then(|(content, ptr)| {
            let schema = content.get("application/json")?.get("schema")?;
            let written = child(&child(ptr, "application/json"), "schema");
            Some((schema, written))
        });
        let place = place
            .child("content")
            .child("application/json")
            .child("schema");
        let Some((value, written)) = schema else {
            return self.differ(
                &place,
                format!("no `application/json` schema ({model} in the SDK)"),
            );
        };
        let sdk = self.sdk;
        let Some(fact) = sdk.models.get(model) else {
            return self.differ(&place, format!("the SDK's facts have no model `{model}`"));
        };
        let schema = Schema {
            value,
            place: Place {
                at: place.at,
                written,
            },
        };
        self.schema(fact, &schema, 0);
    }

    /// Reads `schema` and compares it with `fact`.
    fn schema(&mut self, fact: &Fact, schema: &Schema<'a>, depth: usize) {
        if matches!(fact, Fact::Ref(_)) {
            return;
        }
        if depth > MAX_DEPTH {
            return self.differ(
                &schema.place,
                format!("nested deeper than {MAX_DEPTH} levels"),
            );
        }
        match self.reader.node(schema, 0) {
            Ok(node) => self.node(fact, &node, depth),
            Err(err) => self.differ(&schema.place, format!("unreadable schema: {err}")),
        }
    }

    /// Compares one read schema of ours with the SDK's node.
    fn node(&mut self, fact: &Fact, ours: &Node<'a>, depth: usize) {
        let (sdk_nullable, fact) = strip_nullable(fact);
        if matches!(fact, Fact::Ref(_)) {
            return;
        }
        self.schemas += 1;
        let outer = ours.place.clone();
        let (ours_nullable, ours) = ours.strip_nullable();
        if sdk_nullable != ours_nullable {
            self.differ(
                &outer,
                format!(
                    "nullable: ours {}, SDK {}",
                    yes_no(ours_nullable),
                    yes_no(sdk_nullable)
                ),
            );
        }
        if typeless_const_in_the_sdk(fact, &ours.shape) {
            return;
        }
        let sdk_literals = match fact {
            Fact::Enum(values) => Some(values.clone()),
            Fact::Const(value) => Some(vec![value.clone()]),
            _ => None,
        };
        match (fact, &ours.shape) {
            (Fact::Any, Shape::Any) => {}
            (Fact::Scalar(a), Shape::Scalar(b)) => {
                if a != b {
                    self.differ(&ours.place, format!("type: ours {b}, SDK {a}"));
                }
            }
            (Fact::Const(a), Shape::Const(b)) => {
                if !same_value(a, b) {
                    self.differ(
                        &ours.place,
                        format!("const: ours {}, SDK {}", short(b), short(a)),
                    );
                }
            }
            (Fact::Array(items), Shape::Array(schema)) | (Fact::Map(items), Shape::Map(schema)) => {
                self.schema(items, schema, depth + 1)
            }
            (Fact::Union(members), Shape::Union(arms)) => {
                if members.len() != arms.len() {
                    let kinds = |k: Vec<String>| k.join(", ");
                    self.differ(
                        &ours.place,
                        format!(
                            "union members: ours {} ({}), SDK {} ({})",
                            arms.len(),
                            kinds(arms.iter().map(|a| a.shape.kind()).collect()),
                            members.len(),
                            kinds(members.iter().map(Fact::kind).collect()),
                        ),
                    );
                } else {
                    for (member, arm) in pair_members(members, arms) {
                        self.node(member, arm, depth + 1);
                    }
                }
            }
            (Fact::Object(_, properties), Shape::Object(ours_properties)) => {
                self.properties(properties, ours_properties, &ours.place, depth)
            }
            _ => match (sdk_literals, ours.shape.literals()) {
                (Some(sdk), Some(mine)) => {
                    let added = values_not_in(&mine, &sdk);
                    let removed = values_not_in(&sdk, &mine);
                    if !added.is_empty() || !removed.is_empty() {
                        self.differ(
                            &ours.place,
                            format!(
                                "enum values: only in ours {}, only in the SDK {}",
                                short(&Value::from(added)),
                                short(&Value::from(removed))
                            ),
                        );
                    }
                }
                _ => self.differ(
                    &ours.place,
                    format!("type: ours {}, SDK {}", ours.shape.kind(), fact.kind()),
                ),
            },
        }
    }

    /// The properties of an object.
    fn properties(
        &mut self,
        sdk: &[SdkProperty],
        ours: &[Property<'a>],
        place: &Place,
        depth: usize,
    ) {
        for property in sdk {
            let Some(mine) = ours.iter().find(|p| p.name == property.name) else {
                self.differ(
                    &place.child("properties").child(&property.name),
                    format!("property `{}` only in the SDK", property.name),
                );
                continue;
            };
            self.properties += 1;
            let node = match self.reader.node(&mine.schema, 0) {
                Ok(node) => node,
                Err(err) => {
                    self.differ(&mine.schema.place, format!("unreadable schema: {err}"));
                    continue;
                }
            };
            // Speakeasy makes every const optional with the constant as default.
            let speakeasy_const = match (&property.schema, &property.default) {
                (Fact::Const(value), Some(default)) => same_value(value, default),
                _ => false,
            };
            if !speakeasy_const {
                if property.required != mine.required {
                    let written = Place {
                        at: node.place.at.clone(),
                        written: mine.required_at.clone(),
                    };
                    self.differ(
                        &written,
                        format!(
                            "required: ours {}, SDK {}",
                            yes_no(mine.required),
                            yes_no(property.required)
                        ),
                    );
                }
                let ours_default = node.default.as_ref().map(|(d, _)| *d);
                let same = match (ours_default, &property.default) {
                    (Some(a), Some(b)) => same_value(a, b),
                    (a, b) => a.is_none() && b.is_none(),
                };
                if !same {
                    let written = match &node.default {
                        Some((_, ptr)) => ptr.clone(),
                        None => child(&node.place.written, "default"),
                    };
                    let show = |d: Option<&Value>| d.map_or("none".to_owned(), short);
                    self.differ(
                        &Place {
                            at: child(&node.place.at, "default"),
                            written,
                        },
                        format!(
                            "default: ours {}, SDK {}",
                            show(ours_default),
                            show(property.default.as_ref())
                        ),
                    );
                }
            }
            self.node(&property.schema, &node, depth + 1);
        }
        for mine in ours {
            if !sdk.iter().any(|p| p.name == mine.name) {
                self.differ(
                    &mine.schema.place,
                    format!("property `{}` only in ours", mine.name),
                );
            }
        }
    }
}

/// Pairs the members of two unions of the same size: each SDK member with
/// the first unpaired member of ours of the same class (`string`, an enum,
/// an object...), then the rest in order. Speakeasy orders the members of a
/// union its own way; `facts.py` restores the document's order only for
/// members that are numbered model classes.
fn pair_members<'f, 'n, 'a>(
    members: &'f [Fact],
    arms: &'n [Node<'a>],
) -> Vec<(&'f Fact, &'n Node<'a>)> {
    let mut paired: Vec<Option<usize>> = vec![None; members.len()];
    let mut taken = vec![false; arms.len()];
    for (i, member) in members.iter().enumerate() {
        let class = member.class();
        if let Some(j) = (0..arms.len()).find(|&j| !taken[j] && arms[j].shape.class() == class) {
            paired[i] = Some(j);
            taken[j] = true;
        }
    }
    let mut rest = (0..arms.len()).filter(|&j| !taken[j]);
    members
        .iter()
        .zip(paired)
        .map(|(member, j)| {
            let j = j.or_else(|| rest.next()).expect("as many members as arms");
            (member, &arms[j])
        })
        .collect()
}

/// Whether the SDK's plain `str` stands for a string constant of ours.
///
/// Speakeasy turns a `const` written without `type` (upstream's
/// `{const: "inf"}` for an open top tier, `{const: "now"}`, `{const:
/// "multiple"}`) into `str` (tests/official_sdk/README.md), alone or as one
/// member of a union whose other members are the rest of our literals.
fn typeless_const_in_the_sdk(fact: &Fact, ours: &Shape<'_>) -> bool {
    let is_string = |v: &Value| v.is_string();
    match fact {
        Fact::Scalar(t) if t == "string" => matches!(ours, Shape::Const(v) if is_string(v)),
        Fact::Union(members) => {
            let strings = members
                .iter()
                .filter(|m| matches!(m, Fact::Scalar(t) if t == "string"))
                .count();
            let mut sdk_literals = Vec::new();
            for member in members {
                match member {
                    Fact::Scalar(t) if t == "string" => {}
                    Fact::Enum(values) => sdk_literals.extend(values.iter().cloned()),
                    Fact::Const(value) => sdk_literals.push(value.clone()),
                    _ => return false,
                }
            }
            let Some(mine) = ours.literals() else {
                return false;
            };
            let extra = values_not_in(&mine, &sdk_literals);
            strings == 1
                && values_not_in(&sdk_literals, &mine).is_empty()
                && !extra.is_empty()
                && extra.iter().all(is_string)
        }
        _ => false,
    }
}

/// Whether an SDK node is nullable, and the node without the nullability.
fn strip_nullable(fact: &Fact) -> (bool, &Fact) {
    match fact {
        Fact::Nullable(inner) => (true, strip_nullable(inner).1),
        other => (false, other),
    }
}

/// What a comparison found.
struct Report {
    differences: Vec<Difference>,
    operations: usize,
    schemas: usize,
    properties: usize,
    ignored: Vec<String>,
}

/// Compares our document with the SDK's facts.
fn compare(doc: &Value, sdk: &SdkFacts) -> Report {
    let mut comparison = Comparison {
        doc,
        reader: Reader { doc },
        sdk,
        differences: Vec::new(),
        operations: 0,
        schemas: 0,
        properties: 0,
        ignored: Vec::new(),
    };
    comparison.run();
    Report {
        differences: comparison.differences,
        operations: comparison.operations,
        schemas: comparison.schemas,
        properties: comparison.properties,
        ignored: comparison.ignored,
    }
}

// ---------------------------------------------------------------- the allow-list

/// Our pointers listed in the README section [`SECTION`]: one bullet per
/// difference, its pointer in the first code span that starts with `/`.
fn allowed_differences(readme: &str) -> Result<Vec<String>, String> {
    let start = readme
        .find(SECTION)
        .ok_or_else(|| format!("spec/README.md has no section `{SECTION}`"))?;
    let section = &readme[start + SECTION.len()..];
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
                        "spec/README.md, \"{}\": the bullet `- {bullet}` names no JSON pointer \
                         of ours (a code span starting with `/`)",
                        SECTION.trim_start_matches("## ")
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
        let hit = allowed
            .iter()
            .position(|a| d.pointers().any(|p| covers(a, p)));
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

/// Differences as report lines, grouped by what differs and where it is
/// written (a fact of a component is reached along many operations).
fn grouped(differences: &[Difference]) -> String {
    let mut groups: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for d in differences {
        let written = d.written.as_deref().unwrap_or(&d.at);
        match groups
            .iter_mut()
            .find(|(w, what, _)| *w == written && *what == d.what)
        {
            Some((_, _, places)) => places.push(&d.at),
            None => groups.push((written, &d.what, vec![&d.at])),
        }
    }
    let mut text = String::new();
    for (written, what, places) in groups {
        text.push_str(&format!("  - {what}\n"));
        if places == [written] {
            text.push_str(&format!("      at {written}\n"));
        } else {
            text.push_str(&format!(
                "      written at {written}, reached at {} place(s):\n",
                places.len()
            ));
            for at in places {
                text.push_str(&format!("        {at}\n"));
            }
        }
    }
    text
}

/// Compares our document with the SDK's facts and returns the report text
/// and whether it passed (no unlisted difference, no stale entry).
fn check(doc: &Value, sdk: &SdkFacts, readme: &str) -> (String, bool) {
    let allowed = match allowed_differences(readme) {
        Ok(allowed) => allowed,
        Err(err) => return (err, false),
    };
    let report = compare(doc, sdk);
    let (ok, bad, stale) = apply_allow_list(report.differences, &allowed);
    let mut text = format!(
        "compared {} operations of the official SDK ({} of ours are not in it: {}), \
         {} schemas and {} properties\n",
        report.operations,
        report.ignored.len(),
        if report.ignored.is_empty() {
            "none".to_owned()
        } else {
            format!("{}, x-speakeasy-ignore", report.ignored.join(", "))
        },
        report.schemas,
        report.properties,
    );
    text.push_str(&format!(
        "{} allowed difference(s) (spec/README.md, \"{}\"):\n{}",
        ok.len(),
        SECTION.trim_start_matches("## "),
        grouped(&ok)
    ));
    text.push_str(&format!(
        "{} other difference(s):\n{}",
        bad.len(),
        grouped(&bad)
    ));
    for s in &stale {
        text.push_str(&format!(
            "  - the README allows a difference at `{s}`, but there is none: update the list\n"
        ));
    }
    (text, bad.is_empty() && stale.is_empty())
}

// ---------------------------------------------------------------- against the official SDK

/// Reads a YAML document as JSON.
fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: Value = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
    assert!(
        doc.get("paths").is_some_and(Value::is_object),
        "{} has no `paths`",
        path.display()
    );
    doc
}

/// The spec to check: `FIDELITY_SPEC` (relative to the workspace root) or `spec/autumn.yaml`.
fn spec_path() -> PathBuf {
    let relative = std::env::var_os("FIDELITY_SPEC").unwrap_or_else(|| "spec/autumn.yaml".into());
    tests::workspace().join(relative)
}

/// The official SDK's facts: `setup.sh` makes the virtualenv, `facts.py` prints them.
fn official_facts() -> SdkFacts {
    let dir = tests::workspace().join("tests/official_sdk");
    let setup = Command::new(dir.join("setup.sh"))
        .stderr(Stdio::inherit())
        .output()
        .expect("tests/official_sdk/setup.sh runs");
    let stdout = String::from_utf8_lossy(&setup.stdout);
    assert!(
        setup.status.success(),
        "tests/official_sdk/setup.sh failed ({}); it needs python3 with venv and PyPI:\n{stdout}",
        setup.status
    );
    let python = stdout
        .lines()
        .last()
        .expect("setup.sh prints the python path")
        .trim();
    let facts = Command::new(python)
        .arg("facts.py")
        .current_dir(&dir)
        .stderr(Stdio::inherit())
        .output()
        .expect("facts.py runs");
    assert!(facts.status.success(), "facts.py failed ({})", facts.status);
    let facts: Value = serde_json::from_slice(&facts.stdout).expect("facts.py prints JSON");
    SdkFacts::parse(&facts).expect("facts.py's output has the documented format")
}

#[test]
#[ignore = "needs the official Python SDK (tests/official_sdk/setup.sh); .ci/run runs it"]
fn fidelity_spec_states_the_facts_of_the_official_sdk() {
    let path = spec_path();
    let ours = load(&path);
    let sdk = official_facts();
    let readme =
        std::fs::read_to_string(tests::workspace().join("spec/README.md")).expect("spec/README.md");

    let (text, passed) = check(&ours, &sdk, &readme);
    println!("{} vs autumn-sdk 1.2.0 (API 2.5.0)\n{text}", path.display());
    assert!(
        passed,
        "{} differs from the official SDK: see the report above",
        path.display()
    );

    // The check can fail: a type changed and a required name dropped in a
    // component, found along the operation that uses it.
    let mut broken = ours.clone();
    let check_params = broken
        .pointer_mut("/components/schemas/CheckParams")
        .expect("CheckParams component");
    check_params["properties"]["required_balance"]["type"] = json!("string");
    check_params["required"] = json!(["customer_id"]);
    let report = compare(&broken, &sdk);
    let body = "/paths/~1v1~1balances.check/post/requestBody/content/application~1json/schema";
    let found = |at: &str, written: &str, what: &str| {
        report.differences.iter().any(|d| {
            d.at == at && d.written.as_deref() == Some(written) && d.what.starts_with(what)
        })
    };
    assert!(
        found(
            &format!("{body}/properties/required_balance"),
            "/components/schemas/CheckParams/properties/required_balance",
            "type: ours string, SDK number",
        ),
        "{:#?}",
        report.differences
    );
    assert!(
        found(
            &format!("{body}/properties/feature_id"),
            "/components/schemas/CheckParams/required",
            "required: ours no, SDK yes",
        ),
        "{:#?}",
        report.differences
    );
    assert!(!check(&broken, &sdk, &readme).1);
}

// ---------------------------------------------------------------- the comparison itself, on small documents

/// The SDK's facts for a small API: three operations, models with every
/// kind of node.
fn small_sdk() -> Value {
    json!({
        "operations": [
            {"operation_id": "getThing", "http": "POST", "path": "/v1/things.get",
             "request_model": "models.GetThingParams",
             "responses": {"200": "models.Thing", "202": null, "4XX": null}},
            {"operation_id": "listThings", "http": "POST", "path": "/v1/things.list",
             "request_model": "Optional[models.ListThingsParams]",
             "responses": {"200": "models.ListThingsResponse", "4XX": null}},
            {"operation_id": "ping", "http": "POST", "path": "/v1/ping",
             "request_model": null, "responses": {"200": "models.Pong"}},
        ],
        "models": {
            "models.GetThingParams": {"object": "GetThingParams", "properties": {
                "id": {"required": true, "schema": {"type": "string"}},
                "limit": {"required": false, "schema": {"type": "integer"}, "default": 10},
                "mode": {"required": false, "schema": {"const": "fast"}, "default": "fast"},
                "expand": {"required": false, "schema": {"array": {"enum": ["owner", "children"]}}},
            }},
            "models.Thing": {"object": "Thing", "properties": {
                "id": {"required": true, "schema": {"type": "string"}},
                "status": {"required": true, "schema": {"nullable": {"enum": ["active", "archived"]}}},
                "parent": {"required": true, "schema": {"nullable": {"type": "string"}}},
                "score": {"required": false, "schema": {"nullable": {"type": "number"}}},
                "tags": {"required": false, "schema": {"array": {"type": "string"}}},
                "meta": {"required": false, "schema": {"map": {"type": "number"}}},
                "extra": {"required": false, "schema": {"any": true}},
                "settings": {"required": false, "schema": {"object": "Settings", "properties": {}}},
                "level": {"required": false, "schema": {"union": [
                    {"const": "low"}, {"enum": ["high", 3]},
                ]}},
                "owner": {"required": false, "schema": {"nullable": {"union": [
                    {"object": "Owner1", "properties": {
                        "kind": {"required": false, "schema": {"const": "user"}, "default": "user"},
                        "name": {"required": true, "schema": {"type": "string"}},
                    }},
                    {"type": "string"},
                    {"enum": ["system", "unknown"]},
                ]}}},
                "audit": {"required": true, "schema": {"object": "Audit", "properties": {
                    "by": {"required": true, "schema": {"type": "string"}},
                    "at": {"required": true, "schema": {"type": "integer"}},
                }}},
                "children": {"required": false, "schema": {"array": {"ref": "Thing"}}},
            }},
            "Optional[models.ListThingsParams]": {"object": "ListThingsParams", "properties": {
                "cursor": {"required": false, "schema": {"type": "string"}},
            }},
            "models.ListThingsResponse": {"object": "ListThingsResponse", "properties": {
                "list": {"required": true, "schema": {"array": {"object": "Thing", "properties": {
                    "id": {"required": true, "schema": {"type": "string"}},
                }}}},
            }},
            "models.Pong": {"object": "Pong", "properties": {
                "ok": {"required": false, "schema": {"const": true}, "default": true},
            }},
        },
    })
}

/// The same facts as [`small_sdk`], stated in OpenAPI our way: `$ref`s with
/// sibling descriptions, `anyOf` with `null`, `type` lists, `allOf`, `enum`
/// with `null`, const members, our own words and examples.
fn small_spec() -> Value {
    json!({
        "openapi": "3.1.0",
        "paths": {
            "/v1/things.get": {"post": {
                "operationId": "getThing",
                "summary": "ours",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/GetThingParams",
                }}}},
                "responses": {
                    "200": {"description": "ours", "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Thing", "description": "ours",
                    }}}},
                    "202": {"description": "accepted, no body"},
                },
            }},
            "/v1/things.list": {"post": {
                "operationId": "listThings",
                "requestBody": {"$ref": "#/components/requestBodies/ListThings"},
                "responses": {"200": {"description": "ours", "content": {"application/json": {
                    "schema": {"type": "object", "required": ["list"], "properties": {
                        "list": {"type": "array", "items": {"type": "object", "required": ["id"],
                                 "properties": {"id": {"type": "string"}}}},
                    }},
                }}}},
            }},
            "/v1/ping": {"post": {
                "operationId": "ping",
                "responses": {"200": {"description": "ours", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"ok": {"const": true}},
                               "required": ["ok"]},
                }}}},
            }},
            "/v1/secret": {"post": {
                "operationId": "secret",
                "x-speakeasy-ignore": true,
                "responses": {"200": {"description": "ours"}},
            }},
        },
        "components": {
            "requestBodies": {"ListThings": {"required": false, "content": {"application/json": {
                "schema": {"type": "object", "properties": {"cursor": {"type": "string"}}},
            }}}},
            "schemas": {
                "GetThingParams": {
                    "title": "GetThingParams",
                    "type": "object",
                    "description": "ours",
                    "properties": {
                        "limit": {"type": "integer", "minimum": 1, "default": 10},
                        "id": {"type": "string", "minLength": 1, "description": "ours"},
                        "mode": {"type": "string", "const": "fast"},
                        "expand": {"type": "array", "items": {"anyOf": [
                            {"const": "owner"}, {"const": "children"},
                        ]}},
                    },
                    "required": ["id", "mode"],
                    "examples": [{"id": "ours"}],
                },
                "Thing": {
                    "allOf": [
                        {"$ref": "#/components/schemas/ThingBase"},
                        {"type": "object", "required": ["status", "parent", "audit"], "properties": {
                            "status": {"$ref": "#/components/schemas/Status", "description": "ours"},
                            "parent": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                            "score": {"type": ["number", "null"]},
                            "tags": {"type": "array", "items": {"type": "string"}},
                            "meta": {"type": "object", "propertyNames": {"type": "string"},
                                     "additionalProperties": {"type": "number"}},
                            "extra": {"description": "anything"},
                            "settings": {"type": "object", "description": "no properties"},
                            "level": {"anyOf": [{"enum": ["low", "high"]}, {"const": 3}]},
                            "owner": {"anyOf": [
                                {"type": "object", "required": ["name"], "properties": {
                                    "kind": {"const": "user"}, "name": {"type": "string"},
                                }},
                                {"const": "system"},
                                {"type": "string"},
                                {"type": "null"},
                                {"const": "unknown"},
                            ]},
                            "audit": {"$ref": "#/components/schemas/Audit"},
                            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                        }},
                    ],
                },
                "ThingBase": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
                "Status": {"type": ["string", "null"], "enum": ["archived", "active", null],
                           "description": "ours"},
                "Audit": {"type": "object", "required": ["by", "at"], "properties": {
                    "by": {"type": "string"}, "at": {"type": "integer"},
                }},
            },
        },
    })
}

/// [`small_sdk`], parsed.
fn small_facts() -> SdkFacts {
    SdkFacts::parse(&small_sdk()).expect("small facts parse")
}

/// A README with the allow-list section between two others.
const SMALL_README: &str = "\
# spec

## Changing the spec

- `/paths` is not an allowed difference: it is outside the section.

## Intentional differences from the official SDK

One bullet per difference.

- **The status may be null in ours** (`/components/schemas/Status`): upstream
  says so, and the SDK's model does not.

## Next section

- `/components` is not an allowed difference either.
";

/// Where the small spec's `getThing` request and response schemas are.
const BODY: &str = "/paths/~1v1~1things.get/post/requestBody/content/application~1json/schema";
const RESPONSE: &str =
    "/paths/~1v1~1things.get/post/responses/200/content/application~1json/schema";

/// The response schema's `allOf` member with the properties, along the operation.
fn response_properties(name: &str) -> String {
    format!("{RESPONSE}/allOf/1/properties/{name}")
}

/// Changes the small spec (and the facts) and returns the differences found.
fn differences_after(
    change_spec: impl FnOnce(&mut Value),
    change_sdk: impl FnOnce(&mut Value),
) -> Vec<Difference> {
    let (mut spec, mut sdk) = (small_spec(), small_sdk());
    change_spec(&mut spec);
    change_sdk(&mut sdk);
    compare(&spec, &SdkFacts::parse(&sdk).expect("facts parse")).differences
}

/// [`differences_after`] with the spec changed only.
fn spec_differences_after(change: impl FnOnce(&mut Value)) -> Vec<Difference> {
    differences_after(change, |_| {})
}

/// Asserts exactly one difference, at `at` (written at `written`), whose
/// message contains `what`.
fn one(differences: &[Difference], at: &str, written: Option<&str>, what: &str) {
    assert_eq!(differences.len(), 1, "{differences:#?}");
    let d = &differences[0];
    assert_eq!(d.at, at, "{d:#?}");
    assert_eq!(d.written.as_deref(), written, "{d:#?}");
    assert!(d.what.contains(what), "`{what}` not in {d:#?}");
}

#[test]
fn same_facts_in_other_words_pass() {
    let report = compare(&small_spec(), &small_facts());
    assert_eq!(report.differences, [], "{:#?}", report.differences);
    assert_eq!(report.operations, 3);
    assert_eq!(report.ignored, ["secret"]);
    // id, limit, mode, expand; 12 of Thing (ThingBase's id included), kind,
    // name, by, at; cursor; list, id; ok.
    assert_eq!(report.properties, 4 + 12 + 4 + 1 + 2 + 1);
    assert!(report.schemas > report.properties, "{}", report.schemas);
    let readme = "## Intentional differences from the official SDK\n\nNone.\n";
    let (text, passed) = check(&small_spec(), &small_facts(), readme);
    assert!(passed, "{text}");
    assert!(text.contains("compared 3 operations"), "{text}");
    assert!(text.contains("(1 of ours are not in it: secret"), "{text}");
    assert!(text.contains("0 other difference(s)"), "{text}");
}

#[test]
fn a_type_difference_is_found_where_the_operation_reaches_it() {
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["Audit"]["properties"]["at"]["type"] = json!("number")
    });
    one(
        &d,
        &format!("{}/properties/at", response_properties("audit")),
        Some("/components/schemas/Audit/properties/at"),
        "type: ours number, SDK integer",
    );
    // A kind of schema against another: an object for a string.
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["ThingBase"]["properties"]["id"] = json!({"type": "object"})
    });
    one(
        &d,
        &format!("{RESPONSE}/allOf/0/properties/id"),
        Some("/components/schemas/ThingBase/properties/id"),
        "type: ours object without properties, SDK string",
    );
    // An array item, in the request body.
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["GetThingParams"]["properties"]["expand"]["items"] =
            json!({"type": "string"})
    });
    one(
        &d,
        &format!("{BODY}/properties/expand/items"),
        Some("/components/schemas/GetThingParams/properties/expand/items"),
        "type: ours string, SDK enum",
    );
    // Map values.
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["Thing"]["allOf"][1]["properties"]["meta"]
            ["additionalProperties"] = json!({"type": "string"})
    });
    one(
        &d,
        &format!("{}/additionalProperties", response_properties("meta")),
        Some("/components/schemas/Thing/allOf/1/properties/meta/additionalProperties"),
        "type: ours string, SDK number",
    );
}

#[test]
fn a_required_difference_names_the_required_list() {
    let d =
        spec_differences_after(|s| s["components"]["schemas"]["Audit"]["required"] = json!(["by"]));
    one(
        &d,
        &format!("{}/properties/at", response_properties("audit")),
        Some("/components/schemas/Audit/required"),
        "required: ours no, SDK yes",
    );
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["GetThingParams"]["required"] = json!(["id", "mode", "limit"])
    });
    one(
        &d,
        &format!("{BODY}/properties/limit"),
        Some("/components/schemas/GetThingParams/required"),
        "required: ours yes, SDK no",
    );
}

#[test]
fn a_nullable_difference_is_found() {
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["Thing"]["allOf"][1]["properties"]["parent"] =
            json!({"type": "string"})
    });
    one(
        &d,
        &response_properties("parent"),
        Some("/components/schemas/Thing/allOf/1/properties/parent"),
        "nullable: ours no, SDK yes",
    );
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["Audit"]["properties"]["by"]["type"] = json!(["string", "null"])
    });
    one(
        &d,
        &format!("{}/properties/by", response_properties("audit")),
        Some("/components/schemas/Audit/properties/by"),
        "nullable: ours yes, SDK no",
    );
}

#[test]
fn enum_values_added_and_removed_are_found() {
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["Status"]["enum"] = json!(["active", "deleted", null])
    });
    one(
        &d,
        &response_properties("status"),
        Some("/components/schemas/Status"),
        "enum values: only in ours [\"deleted\"], only in the SDK [\"archived\"]",
    );
    // In a union of enums and consts.
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["Thing"]["allOf"][1]["properties"]["level"]["anyOf"][1] =
            json!({"const": 4})
    });
    one(
        &d,
        &format!("{}/anyOf", response_properties("level")),
        Some("/components/schemas/Thing/allOf/1/properties/level/anyOf"),
        "only in ours [4], only in the SDK [3]",
    );
}

#[test]
fn a_const_difference_is_found() {
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["GetThingParams"]["properties"]["mode"]["const"] = json!("slow")
    });
    one(
        &d,
        &format!("{BODY}/properties/mode"),
        Some("/components/schemas/GetThingParams/properties/mode"),
        "const: ours \"slow\", SDK \"fast\"",
    );
}

#[test]
fn a_default_difference_is_found() {
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["GetThingParams"]["properties"]["limit"]["default"] = json!(20)
    });
    one(
        &d,
        &format!("{BODY}/properties/limit/default"),
        Some("/components/schemas/GetThingParams/properties/limit/default"),
        "default: ours 20, SDK 10",
    );
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["GetThingParams"]["properties"]["limit"]
            .as_object_mut()
            .unwrap()
            .remove("default");
    });
    one(
        &d,
        &format!("{BODY}/properties/limit/default"),
        Some("/components/schemas/GetThingParams/properties/limit/default"),
        "default: ours none, SDK 10",
    );
    // 10.0 is 10.
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["GetThingParams"]["properties"]["limit"]["default"] = json!(10.0)
    });
    assert_eq!(d, [], "{d:#?}");
}

#[test]
fn a_property_on_one_side_only_is_found() {
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["Audit"]["properties"]["note"] = json!({"type": "string"})
    });
    one(
        &d,
        &format!("{}/properties/note", response_properties("audit")),
        Some("/components/schemas/Audit/properties/note"),
        "property `note` only in ours",
    );
    let d = spec_differences_after(|s| {
        let audit = &mut s["components"]["schemas"]["Audit"];
        audit["properties"].as_object_mut().unwrap().remove("by");
        audit["required"] = json!(["at"]);
    });
    one(
        &d,
        &format!("{}/properties/by", response_properties("audit")),
        Some("/components/schemas/Audit/properties/by"),
        "property `by` only in the SDK",
    );
}

#[test]
fn a_union_with_other_members_is_found() {
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["Thing"]["allOf"][1]["properties"]["owner"]["anyOf"]
            .as_array_mut()
            .unwrap()
            .push(json!({"type": "integer"}))
    });
    one(
        &d,
        &response_properties("owner"),
        Some("/components/schemas/Thing/allOf/1/properties/owner"),
        "union members: ours 4 (object, string, integer, enum [\"system\",\"unknown\"]), \
         SDK 3 (object `Owner1`, string, enum [\"system\",\"unknown\"])",
    );
    // Members are paired by kind first: the order of scalar members is not a fact.
    let anchor = |members: Value| {
        differences_after(
            |s| {
                s["components"]["schemas"]["GetThingParams"]["properties"]["anchor"] =
                    json!({"anyOf": members})
            },
            |sdk| {
                sdk["models"]["models.GetThingParams"]["properties"]["anchor"] = json!({
                    "required": false,
                    "schema": {"union": [{"type": "string"}, {"type": "integer"}]},
                })
            },
        )
    };
    let d = anchor(json!([{"type": "integer"}, {"type": "string"}]));
    assert_eq!(d, [], "{d:#?}");
    // A string constant would be the SDK's `str` (see
    // the_sdks_plain_string_stands_for_a_typeless_string_const); a boolean is not.
    let d = anchor(json!([{"type": "integer"}, {"const": true}]));
    one(
        &d,
        &format!("{BODY}/properties/anchor/anyOf/1"),
        Some("/components/schemas/GetThingParams/properties/anchor/anyOf/1"),
        "type: ours const true, SDK string",
    );
    // Inside a member, with the member's pointer.
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["Thing"]["allOf"][1]["properties"]["owner"]["anyOf"][0]
            ["properties"]["name"]["type"] = json!("integer")
    });
    one(
        &d,
        &format!("{}/anyOf/0/properties/name", response_properties("owner")),
        Some("/components/schemas/Thing/allOf/1/properties/owner/anyOf/0/properties/name"),
        "type: ours integer, SDK string",
    );
}

#[test]
fn operations_are_matched_by_id_with_method_path_and_bodies() {
    // Missing (its id changed): the SDK's one is missing, ours is extra.
    let d =
        spec_differences_after(|s| s["paths"]["/v1/ping"]["post"]["operationId"] = json!("pong"));
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(d[0].at, "/paths/~1v1~1ping/post");
    assert!(
        d[0].what.contains("`ping` (POST /v1/ping) only in the SDK"),
        "{d:#?}"
    );
    assert!(d[1].what.contains("`pong` only in ours"), "{d:#?}");
    // A wrong path.
    let d = spec_differences_after(|s| {
        let paths = s["paths"].as_object_mut().unwrap();
        let item = paths.remove("/v1/ping").unwrap();
        paths.insert("/v1/ping.get".into(), item);
    });
    one(
        &d,
        "/paths/~1v1~1ping.get/post",
        None,
        "path: ours /v1/ping.get, SDK /v1/ping",
    );
    // A wrong method.
    let d = spec_differences_after(|s| {
        let item = s["paths"]["/v1/ping"].as_object_mut().unwrap();
        let op = item.remove("post").unwrap();
        item.insert("get".into(), op);
    });
    one(
        &d,
        "/paths/~1v1~1ping/get",
        None,
        "HTTP method: ours GET, SDK POST",
    );
    // The request body: optional for an `Optional[...]` model, through a `$ref`.
    let d = spec_differences_after(|s| {
        s["components"]["requestBodies"]["ListThings"]["required"] = json!(true)
    });
    one(
        &d,
        "/paths/~1v1~1things.list/post/requestBody/required",
        Some("/components/requestBodies/ListThings/required"),
        "request body required: ours yes, SDK no",
    );
    let d = spec_differences_after(|s| {
        s["paths"]["/v1/ping"]["post"]["requestBody"] = json!({"content": {}})
    });
    one(
        &d,
        "/paths/~1v1~1ping/post/requestBody",
        None,
        "request body only in ours",
    );
    // Responses: a missing status, and a body the SDK does not read.
    let d = spec_differences_after(|s| {
        s["paths"]["/v1/ping"]["post"]["responses"] = json!({"201": {"description": "x"}})
    });
    one(
        &d,
        "/paths/~1v1~1ping/post/responses/200",
        None,
        "response 200 only in the SDK (models.Pong)",
    );
    let d = spec_differences_after(|s| {
        s["paths"]["/v1/things.get"]["post"]["responses"]["202"]["content"] =
            json!({"application/json": {"schema": {}}})
    });
    one(
        &d,
        "/paths/~1v1~1things.get/post/responses/202",
        None,
        "response 202 with a body only in ours",
    );
    // A broken `$ref` is a difference, not a panic.
    let d = spec_differences_after(|s| {
        s["components"]["schemas"]["Audit"]["properties"]["by"] = json!({"$ref": "#/nowhere"})
    });
    one(
        &d,
        &format!("{}/properties/by", response_properties("audit")),
        Some("/components/schemas/Audit/properties/by"),
        "`#/nowhere` not found",
    );
}

#[test]
fn the_speakeasy_const_default_is_ignored_and_only_that() {
    // `mode` is required in ours; the SDK's const with the constant as
    // default says nothing about that. Neither does `ok` of `ping`, nor
    // `kind` of the owner (optional in both, no default in ours).
    assert_eq!(compare(&small_spec(), &small_facts()).differences, []);
    // A const without that default is compared like any property.
    let d = differences_after(
        |_| {},
        |sdk| {
            sdk["models"]["models.GetThingParams"]["properties"]["mode"]
                .as_object_mut()
                .unwrap()
                .remove("default");
        },
    );
    one(
        &d,
        &format!("{BODY}/properties/mode"),
        Some("/components/schemas/GetThingParams/required"),
        "required: ours yes, SDK no",
    );
    // A default other than the constant is not Speakeasy's doing.
    let d = differences_after(
        |_| {},
        |sdk| sdk["models"]["models.GetThingParams"]["properties"]["mode"]["default"] = json!("x"),
    );
    assert_eq!(d.len(), 2, "{d:#?}");
    assert!(
        d[0].what.starts_with("required: ours yes, SDK no"),
        "{d:#?}"
    );
    assert!(
        d[1].what.starts_with("default: ours none, SDK \"x\""),
        "{d:#?}"
    );
}

#[test]
fn recursion_stops_at_the_sdk_ref() {
    // `children` refers to `Thing` again in ours; the SDK says `ref`.
    let report = compare(&small_spec(), &small_facts());
    assert_eq!(report.differences, []);
    // A schema that contains itself without an SDK ref is guarded.
    let mut spec = small_spec();
    spec["components"]["schemas"]["Loop"] = json!({"$ref": "#/components/schemas/Loop"});
    spec["components"]["schemas"]["Audit"]["properties"]["by"] =
        json!({"$ref": "#/components/schemas/Loop"});
    let d = compare(&spec, &small_facts()).differences;
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].what.contains("`$ref` chain longer than"), "{d:#?}");
    let mut spec = small_spec();
    spec["components"]["schemas"]["Loop"] =
        json!({"anyOf": [{"$ref": "#/components/schemas/Loop"}, {"type": "null"}]});
    spec["components"]["schemas"]["Audit"]["properties"]["by"] =
        json!({"$ref": "#/components/schemas/Loop"});
    let d = compare(&spec, &small_facts()).differences;
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].what.contains("nested deeper than"), "{d:#?}");
}

#[test]
fn allow_list_is_read_from_the_readme_section_only() {
    assert_eq!(
        allowed_differences(SMALL_README).unwrap(),
        ["/components/schemas/Status"]
    );
    assert!(allowed_differences("# no section\n")
        .unwrap_err()
        .contains("has no section"));
    let no_pointer = format!("{SECTION}\n\n- **Something** differs.\n");
    assert!(allowed_differences(&no_pointer)
        .unwrap_err()
        .contains("names no JSON pointer"));
    assert!(covers(
        "/components/schemas/Status",
        "/components/schemas/Status/enum"
    ));
    assert!(!covers(
        "/components/schemas/Status",
        "/components/schemas/StatusCode"
    ));
}

#[test]
fn an_unlisted_difference_fails_and_a_listed_one_passes() {
    // Status nullable in ours: found along the operation, written in the component.
    let mut sdk = small_sdk();
    sdk["models"]["models.Thing"]["properties"]["status"]["schema"] =
        json!({"enum": ["active", "archived"]});
    let mut spec = small_spec();
    spec["components"]["schemas"]["Status"] =
        json!({"anyOf": [{"enum": ["archived", "active"]}, {"type": "null"}]});
    let sdk = SdkFacts::parse(&sdk).unwrap();
    let (text, passed) = check(&spec, &sdk, SMALL_README);
    assert!(passed, "{text}");
    assert!(text.contains("1 allowed difference(s)"), "{text}");
    assert!(text.contains("nullable: ours yes, SDK no"), "{text}");
    let readme = format!("{SECTION}\n\nNone.\n");
    let (text, passed) = check(&spec, &sdk, &readme);
    assert!(!passed, "{text}");
    assert!(text.contains("1 other difference(s)"), "{text}");
}

#[test]
fn a_stale_allow_list_entry_fails() {
    let (text, passed) = check(&small_spec(), &small_facts(), SMALL_README);
    assert!(!passed, "{text}");
    assert!(
        text.contains("allows a difference at `/components/schemas/Status`, but there is none"),
        "{text}"
    );
}

#[test]
fn the_sdks_plain_string_stands_for_a_typeless_string_const() {
    // Alone: the SDK has `str` where ours is `{const: "fast"}`.
    let d = differences_after(
        |_| {},
        |sdk| {
            sdk["models"]["models.GetThingParams"]["properties"]["mode"] =
                json!({"required": true, "schema": {"type": "string"}})
        },
    );
    assert!(d.is_empty(), "{d:#?}");
    // In a union: ours `low | high | 3 | "extra"`, the SDK `str | low | high | 3`.
    let d = differences_after(
        |spec| {
            spec["components"]["schemas"]["Thing"]["allOf"][1]["properties"]["level"]["anyOf"]
                .as_array_mut()
                .expect("level is a union")
                .push(json!({"const": "extra"}));
        },
        |sdk| {
            sdk["models"]["models.Thing"]["properties"]["level"]["schema"] =
                json!({"union": [{"type": "string"}, {"const": "low"}, {"enum": ["high", 3]}]})
        },
    );
    assert!(d.is_empty(), "{d:#?}");
    // A number constant is no string: still a difference.
    let d = differences_after(
        |spec| {
            spec["components"]["schemas"]["GetThingParams"]["properties"]["mode"]["const"] =
                json!(7)
        },
        |sdk| {
            sdk["models"]["models.GetThingParams"]["properties"]["mode"] =
                json!({"required": true, "schema": {"type": "string"}})
        },
    );
    assert!(!d.is_empty());
}
