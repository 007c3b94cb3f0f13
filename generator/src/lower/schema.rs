//! Schemas → IR types: classification, structs (with `allOf` merged), string
//! enums, unions, and structural dedup of identical inline schemas.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::facts::Facts;
use crate::diagnostics::{escape_segment, Diagnostic};
use crate::ir::{
    EnumValue, Field, IntKind, NameHint, StringEnum, Struct, TypeId, TypeKind, TypeRef, TypeSpace,
    Union, Variant, VariantPayload,
};

/// A schema position: a `$ref` or an inline schema.
#[derive(Clone, Copy)]
pub enum Node<'s> {
    /// `$ref: ...`
    Ref(&'s str),
    /// An inline schema.
    Inline(&'s Schema),
}

impl<'s> Node<'s> {
    /// The node for a `ReferenceOr<Schema>`.
    pub fn of(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(s) => Node::Inline(s),
        }
    }

    /// The node for a boxed `ReferenceOr<Box<Schema>>`.
    pub fn of_boxed(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(s) => Node::Inline(s),
        }
    }
}

/// How a schema maps to Rust, decided before anything is lowered.
enum Class<'s> {
    /// Needs a named type (struct, enum or union).
    Named,
    /// A list of the item schema (or of anything).
    List(Option<Node<'s>>),
    /// A string-keyed map of the value schema (or of anything).
    Map(Option<Node<'s>>),
    /// Exactly another schema (`allOf`/`anyOf` of one branch).
    Same(Node<'s>),
    /// A primitive.
    Primitive(TypeRef),
}

/// Deepest nesting of schemas (inline or through `$ref`) that is lowered.
const MAX_NESTING: usize = 200;

/// Lowers schemas into a [`TypeSpace`].
pub struct SchemaLowerer<'a> {
    api: &'a openapiv3::OpenAPI,
    doc: &'a Value,
    /// The types made so far.
    pub space: TypeSpace,
    refs: HashMap<String, TypeRef>,
    shapes: HashMap<ShapeKey, TypeId>,
    resolving: HashSet<String>,
    /// How many schemas the current lowering is nested in (through `$ref`s too).
    depth: usize,
    /// Errors that stop generation.
    pub errors: Vec<Diagnostic>,
    /// Remarks that do not.
    pub warnings: Vec<Diagnostic>,
}

impl<'a> SchemaLowerer<'a> {
    /// A lowerer for one document.
    pub fn new(api: &'a openapiv3::OpenAPI, doc: &'a Value) -> Self {
        SchemaLowerer {
            api,
            doc,
            space: TypeSpace::default(),
            refs: HashMap::new(),
            shapes: HashMap::new(),
            resolving: HashSet::new(),
            depth: 0,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Lowers a schema position; `hint` names an inline schema that needs a type.
    pub fn lower(&mut self, node: Node<'_>, hint: NameHint, ptr: &str) -> TypeRef {
        self.one_level_deeper(ptr, |this| match node {
            Node::Ref(r) => this.lower_ref(r, ptr),
            Node::Inline(s) => this.lower_schema(s, hint, ptr),
        })
    }

    /// Runs `f` one nesting level deeper, or refuses past [`MAX_NESTING`]:
    /// lowering recurses per nested schema and per `$ref` hop, and a chain of
    /// thousands would exhaust the stack.
    fn one_level_deeper(&mut self, ptr: &str, f: impl FnOnce(&mut Self) -> TypeRef) -> TypeRef {
        if self.depth >= MAX_NESTING {
            self.errors.push(Diagnostic::new(
                ptr,
                format!("schemas nest more than {MAX_NESTING} levels deep here (counting `$ref`s); such documents are refused"),
            ));
            return TypeRef::Any;
        }
        self.depth += 1;
        let ty = f(self);
        self.depth -= 1;
        ty
    }

    /// Lowers the schema behind a `$ref`, once per target.
    pub fn lower_ref(&mut self, target: &str, at: &str) -> TypeRef {
        if let Some(t) = self.refs.get(target) {
            return t.clone();
        }
        if !self.resolving.insert(target.to_owned()) {
            self.errors.push(Diagnostic::new(
                at,
                format!("`$ref` cycle through `{target}` with no schema in between"),
            ));
            return TypeRef::Any;
        }
        let result = match self.resolve(target) {
            None => {
                self.errors.push(Diagnostic::new(
                    at,
                    format!("cannot resolve `$ref` `{target}`"),
                ));
                TypeRef::Any
            }
            Some(ResolvedRef::Ref(next)) => {
                let at = target.trim_start_matches('#');
                self.one_level_deeper(at, |this| this.lower_ref(&next, at))
            }
            Some(ResolvedRef::Schema(schema)) => self.lower_named_target(target, &schema),
        };
        self.resolving.remove(target);
        self.refs.insert(target.to_owned(), result.clone());
        result
    }

    /// A referenced schema always becomes a named type (an alias when it is not an object, enum or union).
    fn lower_named_target(&mut self, target: &str, schema: &Schema) -> TypeRef {
        let ptr = target.trim_start_matches('#').to_owned();
        let key = target
            .rsplit('/')
            .next()
            .unwrap_or(target)
            .replace("~1", "/")
            .replace("~0", "~");
        let id = self.space.reserve(NameHint::Component(key), ptr.clone());
        self.space.get_mut(id).title = title_of(&schema.schema_data);
        // Register before lowering the body so recursive references find it.
        self.refs.insert(target.to_owned(), TypeRef::Named(id));
        let facts = Facts::of(schema);
        self.space.get_mut(id).docs = docs_of(&facts);
        let nullable = facts.data.nullable;
        let kind = match self.classify(&facts) {
            Class::Named => self.lower_kind(&facts, id, &ptr),
            other => {
                let inner = self.lower_class(
                    other,
                    NameHint::Context {
                        parent: id,
                        part: String::new(),
                    },
                    &ptr,
                );
                TypeKind::Alias(inner.non_null().clone())
            }
        };
        self.space.get_mut(id).kind = kind;
        if nullable {
            TypeRef::Nullable(Box::new(TypeRef::Named(id)))
        } else {
            TypeRef::Named(id)
        }
    }

    /// Lowers an inline schema.
    fn lower_schema(&mut self, schema: &Schema, hint: NameHint, ptr: &str) -> TypeRef {
        let facts = Facts::of(schema);
        let ty = match self.classify(&facts) {
            Class::Named => {
                let id = self.space.reserve(hint, ptr.to_owned());
                // A title is the schema author's own name for it: naming tries it first.
                self.space.get_mut(id).title = title_of(facts.data);
                self.space.get_mut(id).docs = docs_of(&facts);
                let kind = self.lower_kind(&facts, id, ptr);
                TypeRef::Named(self.dedup(id, kind, facts.data.title.as_deref()))
            }
            other => self.lower_class(other, hint, ptr),
        };
        if facts.data.nullable && !ty.is_nullable() {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    fn lower_class(&mut self, class: Class<'_>, hint: NameHint, ptr: &str) -> TypeRef {
        match class {
            Class::Named => unreachable!("named classes are lowered by the caller"),
            Class::Primitive(t) => t,
            Class::Same(node) => self.lower(node, hint, ptr),
            Class::List(items) => {
                let item = match items {
                    Some(n) => self.lower(n, singular_hint(hint), &format!("{ptr}/items")),
                    None => TypeRef::Any,
                };
                TypeRef::List(Box::new(item))
            }
            Class::Map(values) => {
                let value = match values {
                    Some(n) => {
                        self.lower(n, value_hint(hint), &format!("{ptr}/additionalProperties"))
                    }
                    None => TypeRef::Any,
                };
                TypeRef::Map(Box::new(value))
            }
        }
    }

    /// Keeps one type per distinct inline shape; a later identical one reuses the first.
    fn dedup(&mut self, id: TypeId, kind: TypeKind, title: Option<&str>) -> TypeId {
        let key = ShapeKey::of(&kind, title);
        if let Some(&existing) = self.shapes.get(&key) {
            if id.0 + 1 == self.space.len() {
                self.space.pop();
            } else {
                // Children were made after it; keep the id as a plain alias of the twin.
                self.space.get_mut(id).kind = TypeKind::Alias(TypeRef::Named(existing));
            }
            return existing;
        }
        self.shapes.insert(key, id);
        self.space.get_mut(id).kind = kind;
        id
    }

    /// Decides how a schema maps to Rust, from its keywords alone.
    fn classify<'s>(&mut self, f: &Facts<'s>) -> Class<'s> {
        if f.is_null_only() {
            return Class::Primitive(TypeRef::Any);
        }
        let branches = f.one_of.len() + f.any_of.len();
        let has_props = !f.properties.is_empty();
        if !f.all_of.is_empty() {
            if f.all_of.len() == 1 && !has_props && branches == 0 && f.additional.is_none() {
                return Class::Same(Node::of(&f.all_of[0]));
            }
            return Class::Named;
        }
        if branches > 0 && !has_props {
            if branches == 1 {
                let only = f.one_of.first().or(f.any_of.first()).map(Node::of);
                return only
                    .map(Class::Same)
                    .unwrap_or(Class::Primitive(TypeRef::Any));
            }
            return Class::Named;
        }
        if !f.enum_values.is_empty() {
            let strings = f
                .enum_values
                .iter()
                .filter(|v| !v.is_null())
                .all(Value::is_string);
            if strings && !f.is_const() && f.enum_values.iter().any(Value::is_string) {
                return Class::Named;
            }
        }
        match f.ty {
            Some("object") | None if has_props => Class::Named,
            Some("object") => Class::Map(self.map_values(f)),
            Some("array") => Class::List(f.items.map(Node::of_boxed)),
            Some("string") => Class::Primitive(TypeRef::String),
            Some("integer") => Class::Primitive(TypeRef::Integer(int_kind(f.format.as_deref()))),
            Some("number") => Class::Primitive(TypeRef::Number),
            Some("boolean") => Class::Primitive(TypeRef::Boolean),
            None if f.items.is_some() => Class::List(f.items.map(Node::of_boxed)),
            None if f.additional.is_some() || f.has_map_keywords() => {
                Class::Map(self.map_values(f))
            }
            _ => Class::Primitive(TypeRef::Any),
        }
    }

    fn map_values<'s>(&self, f: &Facts<'s>) -> Option<Node<'s>> {
        match f.additional {
            Some(AdditionalProperties::Schema(s)) => Some(Node::of(s)),
            _ => None,
        }
    }

    /// The body of a named type.
    fn lower_kind(&mut self, f: &Facts<'_>, id: TypeId, ptr: &str) -> TypeKind {
        let has_props = !f.properties.is_empty();
        if f.all_of.is_empty() && !has_props {
            if f.one_of.len() + f.any_of.len() > 1 {
                return self.lower_union(f, id, ptr);
            }
            if !f.enum_values.is_empty() {
                return TypeKind::Enum(string_enum(&f.enum_values));
            }
        }
        TypeKind::Struct(self.lower_struct(f, id, ptr))
    }

    /// An object, with the properties of every `allOf` branch merged in.
    fn lower_struct(&mut self, f: &Facts<'_>, id: TypeId, ptr: &str) -> Struct {
        let mut out = Struct::default();
        let mut required: Vec<String> = Vec::new();
        self.collect_fields(f, id, ptr, &mut out, &mut required, 0);
        for field in &mut out.fields {
            field.required = required.contains(&field.wire);
        }
        out
    }

    fn collect_fields(
        &mut self,
        f: &Facts<'_>,
        id: TypeId,
        ptr: &str,
        out: &mut Struct,
        required: &mut Vec<String>,
        depth: usize,
    ) {
        if depth > 32 {
            self.errors.push(Diagnostic::new(
                ptr,
                "`allOf` nests more than 32 levels deep (a cycle?)",
            ));
            return;
        }
        for (i, branch) in f.all_of.iter().enumerate() {
            let bptr = format!("{ptr}/allOf/{i}");
            match self.schema_of(Node::of(branch), &bptr) {
                Some((schema, at)) => {
                    let bf = Facts::of(&schema);
                    self.collect_fields(&bf, id, &at, out, required, depth + 1);
                }
                None => continue,
            }
        }
        // Union branches next to properties only add optional properties.
        for (kw, list) in [("oneOf", f.one_of), ("anyOf", f.any_of)] {
            if f.properties.is_empty() {
                continue;
            }
            for (i, branch) in list.iter().enumerate() {
                if let Some((schema, at)) =
                    self.schema_of(Node::of(branch), &format!("{ptr}/{kw}/{i}"))
                {
                    let bf = Facts::of(&schema);
                    let mut ignored = Vec::new();
                    self.collect_fields(&bf, id, &at, out, &mut ignored, depth + 1);
                }
            }
        }
        required.extend(f.required.iter().cloned());
        for (name, prop) in &f.properties {
            if out.fields.iter().any(|existing| existing.wire == *name) {
                continue;
            }
            let pptr = format!("{ptr}/properties/{}", escape_segment(name));
            let node = Node::of_boxed(prop);
            let (docs, default, deprecated) = match node {
                Node::Inline(s) => {
                    let pf = Facts::of(s);
                    (
                        docs_of(&pf),
                        s.schema_data.default.clone(),
                        s.schema_data.deprecated,
                    )
                }
                Node::Ref(_) => (None, None, false),
            };
            let constant = self.constant_of(node, &pptr);
            let (read_only, write_only) = self.direction_of(node);
            let ty = self.lower(
                node,
                NameHint::Context {
                    parent: id,
                    part: (*name).to_owned(),
                },
                &pptr,
            );
            out.fields.push(Field {
                wire: (*name).to_owned(),
                name: String::new(),
                ty,
                required: false,
                presence: Default::default(),
                setter: None,
                clearer: None,
                docs,
                default,
                constant,
                deprecated,
                read_only,
                write_only,
            });
        }
        if let Some(AdditionalProperties::Schema(s)) = f.additional {
            let ty = self.lower(
                Node::of(s),
                value_hint(NameHint::Context {
                    parent: id,
                    part: "Extra".into(),
                }),
                ptr,
            );
            if ty != TypeRef::Any {
                out.additional = Some(ty);
            }
        }
    }

    /// The schema at a node, following `$ref`s; with the pointer it lives at.
    fn schema_of<'s>(&mut self, node: Node<'s>, at: &str) -> Option<(Cow<'s, Schema>, String)>
    where
        'a: 's,
    {
        match node {
            Node::Inline(s) => Some((Cow::Borrowed(s), at.to_owned())),
            Node::Ref(r) => {
                let mut target = r.to_owned();
                for _ in 0..32 {
                    match self.resolve(&target) {
                        Some(ResolvedRef::Schema(s)) => {
                            return Some((*s, target.trim_start_matches('#').to_owned()))
                        }
                        Some(ResolvedRef::Ref(next)) => target = next,
                        None => break,
                    }
                }
                self.errors
                    .push(Diagnostic::new(at, format!("cannot resolve `$ref` `{r}`")));
                None
            }
        }
    }

    /// Whether a property's schema (or the schema its `$ref` leads to) is
    /// `readOnly` and whether it is `writeOnly`.
    fn direction_of(&self, node: Node<'_>) -> (bool, bool) {
        let flags = |s: &Schema| (s.schema_data.read_only, s.schema_data.write_only);
        match node {
            Node::Inline(s) => flags(s),
            Node::Ref(r) => {
                let mut target = r.to_owned();
                for _ in 0..32 {
                    match self.resolve(&target) {
                        Some(ResolvedRef::Schema(s)) => return flags(&s),
                        Some(ResolvedRef::Ref(next)) => target = next,
                        None => break,
                    }
                }
                (false, false)
            }
        }
    }

    /// The single value a `const` schema allows.
    fn constant_of(&mut self, node: Node<'_>, at: &str) -> Option<Value> {
        let (schema, _) = self.schema_of(node, at)?;
        let f = Facts::of(&schema);
        (f.is_const() && f.enum_values.len() == 1).then(|| f.enum_values[0].clone())
    }

    /// The property that tells a union's object branches apart, and each branch's value of it:
    /// the `discriminator` when the spec gives one, else a required string `const`
    /// property that every branch has, with a different value in each.
    fn union_tag(
        &mut self,
        f: &Facts<'_>,
        nodes: &[(Node<'_>, String)],
    ) -> Option<(String, Vec<String>)> {
        if let Some(d) = &f.data.discriminator {
            let mut values = Vec::new();
            for (node, at) in nodes {
                let from_mapping = match node {
                    Node::Ref(r) => d
                        .mapping
                        .iter()
                        .find(|(_, target)| target.as_str() == *r)
                        .map(|(k, _)| k.clone()),
                    Node::Inline(_) => None,
                };
                let value = from_mapping
                    .or_else(|| self.branch_constant(*node, at, &d.property_name))
                    .or_else(|| match node {
                        Node::Ref(r) => r.rsplit('/').next().map(str::to_owned),
                        Node::Inline(_) => None,
                    })?;
                values.push(value);
            }
            return distinct(&values).then(|| (d.property_name.clone(), values));
        }
        let (first, first_at) = nodes.first()?;
        let (schema, _) = self.schema_of(*first, first_at)?;
        let candidates: Vec<String> = Facts::of(&schema)
            .properties
            .iter()
            .map(|(k, _)| (*k).to_owned())
            .collect();
        for prop in candidates {
            let values: Option<Vec<String>> = nodes
                .iter()
                .map(|(node, at)| self.branch_constant(*node, at, &prop))
                .collect();
            if let Some(values) = values.filter(|v| distinct(v)) {
                return Some((prop, values));
            }
        }
        None
    }

    /// A branch's required string `const` value of property `prop`.
    fn branch_constant(&mut self, node: Node<'_>, at: &str, prop: &str) -> Option<String> {
        let (schema, bptr) = self.schema_of(node, at)?;
        let bf = Facts::of(&schema);
        if !bf.required.iter().any(|r| r == prop) {
            return None;
        }
        let (_, p) = bf.properties.iter().find(|(k, _)| *k == prop)?;
        match self.constant_of(Node::of_boxed(p), &bptr)? {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A union: merged string enum, or variants tried in order.
    fn lower_union(&mut self, f: &Facts<'_>, id: TypeId, ptr: &str) -> TypeKind {
        let mut nodes: Vec<(Node<'_>, String)> = Vec::new();
        for (kw, list) in [("oneOf", f.one_of), ("anyOf", f.any_of)] {
            for (i, b) in list.iter().enumerate() {
                nodes.push((Node::of(b), format!("{ptr}/{kw}/{i}")));
            }
        }
        // All branches string enums or string constants: one merged enum.
        let mut merged: Vec<Value> = Vec::new();
        let mut all_strings = true;
        for (node, at) in &nodes {
            match self.schema_of(*node, at) {
                Some((s, _)) => {
                    let bf = Facts::of(&s);
                    let values: Vec<&Value> =
                        bf.enum_values.iter().filter(|v| !v.is_null()).collect();
                    if values.is_empty() || !values.iter().all(|v| v.is_string()) {
                        all_strings = false;
                        break;
                    }
                    for v in values {
                        if !merged.contains(v) {
                            merged.push(v.clone());
                        }
                    }
                }
                None => all_strings = false,
            }
        }
        if all_strings && !merged.is_empty() {
            return TypeKind::Enum(string_enum(&merged));
        }
        if let Some((tag, values)) = self.union_tag(f, &nodes) {
            let variants = nodes
                .iter()
                .zip(values)
                .map(|((node, at), value)| {
                    let ty = self.lower(
                        *node,
                        NameHint::Context {
                            parent: id,
                            part: value.clone(),
                        },
                        at,
                    );
                    Variant {
                        name: String::new(),
                        hint: value.clone(),
                        payload: VariantPayload::Tagged {
                            tag_value: value,
                            ty,
                        },
                    }
                })
                .collect();
            return TypeKind::Union(Union {
                tag: Some(tag),
                variants,
            });
        }
        let mut variants = Vec::new();
        // What each branch requires, read once (not once per branch: unions can have thousands).
        let mut required: Option<Vec<(String, Vec<String>)>> = None;
        for (node, at) in &nodes {
            let Some((schema, _)) = self.schema_of(*node, at) else {
                continue;
            };
            let bf = Facts::of(&schema);
            if bf.is_const() && bf.enum_values.len() == 1 {
                let value = bf.enum_values[0].clone();
                let hint = match &value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                variants.push(Variant {
                    name: String::new(),
                    hint,
                    payload: VariantPayload::Constant(value),
                });
                continue;
            }
            let required = required.get_or_insert_with(|| {
                nodes
                    .iter()
                    .filter_map(|(n, a)| {
                        let (s, _) = self.schema_of(*n, a)?;
                        Some((a.clone(), Facts::of(&s).required.to_vec()))
                    })
                    .collect()
            });
            let hint = variant_hint(*node, &bf, required, at);
            let ty = self.lower(
                *node,
                NameHint::Context {
                    parent: id,
                    part: hint.clone(),
                },
                at,
            );
            let hint = match ty.non_null() {
                TypeRef::Named(_) => hint,
                other => type_word(other).to_owned(),
            };
            variants.push(Variant {
                name: String::new(),
                hint,
                payload: VariantPayload::Type(ty),
            });
        }
        variants.sort_by_key(|v| decode_rank(&v.payload, &self.space));
        TypeKind::Union(Union {
            tag: None,
            variants,
        })
    }

    /// The first example a schema gives (`examples`, carried as `x-examples`, else `example`).
    pub fn example_of(&mut self, node: Node<'_>, at: &str) -> Option<Value> {
        let (schema, _) = self.schema_of(node, at)?;
        let data = &schema.schema_data;
        data.extensions
            .get("x-examples")
            .and_then(|e| e.as_array())
            .and_then(|e| e.first())
            .cloned()
            .or_else(|| data.example.clone())
    }

    /// What a `$ref` points at.
    fn resolve(&self, target: &str) -> Option<ResolvedRef<'a>> {
        if let Some(name) = target.strip_prefix("#/components/schemas/") {
            let name = name.replace("~1", "/").replace("~0", "~");
            if let Some(s) = self
                .api
                .components
                .as_ref()
                .and_then(|c| c.schemas.get(&name))
            {
                return Some(match s {
                    ReferenceOr::Reference { reference } => ResolvedRef::Ref(reference.clone()),
                    ReferenceOr::Item(s) => ResolvedRef::Schema(Box::new(Cow::Borrowed(s))),
                });
            }
        }
        let value = crate::load::resolve(self.doc, target.strip_prefix('#')?)?;
        if let Some(r) = value.get("$ref").and_then(Value::as_str) {
            return Some(ResolvedRef::Ref(r.to_owned()));
        }
        serde_json::from_value::<Schema>(value.clone())
            .ok()
            .map(|s| ResolvedRef::Schema(Box::new(Cow::Owned(s))))
    }
}

/// A schema's `title`, when it reads as a name (not blank, not a sentence).
fn title_of(data: &openapiv3::SchemaData) -> Option<String> {
    data.title.clone().filter(|t| {
        let words = t.split_whitespace().count();
        (1..=4).contains(&words) && !t.contains(['.', ',', ':', ';', '(', '!', '?'])
    })
}

/// Whether all values differ.
fn distinct(values: &[String]) -> bool {
    let mut seen = HashSet::new();
    values.iter().all(|v| seen.insert(v))
}

/// A name for a union branch: its title, its component name, or what sets it
/// apart from the other branches (`required`: each branch's pointer and required properties).
fn variant_hint(
    node: Node<'_>,
    bf: &Facts<'_>,
    required: &[(String, Vec<String>)],
    at: &str,
) -> String {
    if let Some(t) = bf.data.title.as_ref().filter(|t| !t.trim().is_empty()) {
        return t.clone();
    }
    if let Node::Ref(r) = node {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    if bf.properties.is_empty() {
        return bf.ty.unwrap_or("value").to_owned();
    }
    // The first property this branch requires that no other branch requires.
    let others: Vec<&Vec<String>> = required
        .iter()
        .filter(|(a, _)| a != at)
        .map(|(_, r)| r)
        .collect();
    let distinct = bf
        .required
        .iter()
        .find(|r| others.iter().all(|o| !o.contains(r)));
    match distinct {
        Some(p) => format!("with_{p}"),
        None if bf.required.len() < others.iter().map(|o| o.len()).max().unwrap_or(0) => {
            "partial".to_owned()
        }
        None => "object".to_owned(),
    }
}

/// A resolved `$ref`: a schema, or another `$ref`.
enum ResolvedRef<'a> {
    Schema(Box<Cow<'a, Schema>>),
    Ref(String),
}

/// Order in which untagged variants are tried: exact constants first, loose catch-alls last.
fn decode_rank(p: &VariantPayload, space: &TypeSpace) -> u8 {
    match p {
        VariantPayload::Constant(_) => 0,
        VariantPayload::Tagged { .. } => 1,
        VariantPayload::Type(t) => match t.non_null() {
            TypeRef::Boolean => 2,
            TypeRef::Integer(_) => 3,
            TypeRef::Number => 4,
            TypeRef::Named(id) => match &space.get(*id).kind {
                TypeKind::Enum(_) => 5,
                TypeKind::Struct(_) => 6,
                _ => 7,
            },
            TypeRef::String => 8,
            TypeRef::List(_) => 9,
            TypeRef::Map(_) => 10,
            TypeRef::Bytes | TypeRef::File | TypeRef::Nullable(_) => 11,
            TypeRef::Any => 12,
        },
    }
}

/// A word for a type, used to name union variants that hold it.
fn type_word(t: &TypeRef) -> &'static str {
    match t {
        TypeRef::String => "string",
        TypeRef::Integer(_) => "integer",
        TypeRef::Number => "number",
        TypeRef::Boolean => "boolean",
        TypeRef::List(_) => "list",
        TypeRef::Map(_) => "map",
        TypeRef::Bytes => "bytes",
        TypeRef::File => "file",
        TypeRef::Any | TypeRef::Nullable(_) | TypeRef::Named(_) => "value",
    }
}

fn string_enum(values: &[Value]) -> StringEnum {
    // A value listed twice is one value (two variants would make an unreachable match arm).
    let mut seen = HashSet::new();
    StringEnum {
        values: values
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| seen.insert(*s))
            .map(|s| EnumValue {
                wire: s.to_owned(),
                name: String::new(),
            })
            .collect(),
    }
}

fn int_kind(format: Option<&str>) -> IntKind {
    match format {
        Some("int32") => IntKind::I32,
        Some("uint32") => IntKind::U32,
        Some("uint64") => IntKind::U64,
        _ => IntKind::I64,
    }
}

/// The description of a schema, or its title when that is all it has.
pub fn docs_of(f: &Facts<'_>) -> Option<String> {
    let d = f
        .data
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    d.map(str::to_owned)
}

/// List items are named after the singular of the list's name.
fn singular_hint(hint: NameHint) -> NameHint {
    match hint {
        NameHint::Context { parent, part } => NameHint::Context {
            parent,
            part: singular(&part),
        },
        NameHint::Operation { operation, role } => NameHint::Operation {
            operation,
            role: format!("{role}Item"),
        },
        other => other,
    }
}

/// Map values are named after the map plus `Value`.
fn value_hint(hint: NameHint) -> NameHint {
    match hint {
        NameHint::Context { parent, part } => NameHint::Context {
            parent,
            part: format!("{part}_value"),
        },
        NameHint::Operation { operation, role } => NameHint::Operation {
            operation,
            role: format!("{role}Value"),
        },
        other => other,
    }
}

/// English singular of a snake_case or plain word, for list item names.
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if let Some(stem) = word.strip_suffix("ies").filter(|_| lower.len() > 4) {
        format!("{stem}y")
    } else if lower.ends_with("sses")
        || lower.ends_with("uses")
        || lower.ends_with("xes")
        || lower.ends_with("ches")
        || lower.ends_with("shes")
    {
        word[..word.len() - 2].to_owned()
    } else if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && lower.len() > 3
    {
        word[..word.len() - 1].to_owned()
    } else {
        format!("{word}_item")
    }
}

/// The identity of a named type: its title and everything about it that
/// reaches the wire (field types, constants, defaults, requiredness, enum
/// values, extra properties...). Only documentation is left out, so two
/// schemas that differ in what they send or accept never share a type.
#[derive(PartialEq, Eq, Hash)]
struct ShapeKey {
    title: Option<String>,
    kind: TypeKind,
}

impl ShapeKey {
    fn of(kind: &TypeKind, title: Option<&str>) -> Self {
        let mut kind = kind.clone();
        if let TypeKind::Struct(s) = &mut kind {
            for f in &mut s.fields {
                f.docs = None;
                f.deprecated = false;
            }
        }
        ShapeKey {
            title: title.map(str::to_owned),
            kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::singular;

    #[test]
    fn singulars() {
        assert_eq!(singular("auto_topups"), "auto_topup");
        assert_eq!(singular("entities"), "entity");
        assert_eq!(singular("status"), "status_item");
        assert_eq!(singular("statuses"), "status");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("list"), "list_item");
    }
}
