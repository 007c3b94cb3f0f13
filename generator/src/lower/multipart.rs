//! `multipart/form-data` request bodies: which fields are files (sent as
//! `FilePart`s), which are text and which are JSON.

use std::collections::HashSet;

use openapiv3::{
    MediaType, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::operations::resolve_as;
use super::schema::SchemaLowerer;
use crate::ir::{MultipartField, PartKind, TypeKind, TypeRef, TypeSpace};

/// Deepest `allOf` nesting searched for file properties.
const MAX_DEPTH: usize = 16;

/// Marks the body's struct as multipart, turns its binary properties into
/// files and says how each field is sent; `None` when the body is not an
/// object with fields (the caller then encodes it).
pub(super) fn lower_parts(
    doc: &Value,
    schema: &ReferenceOr<Schema>,
    ty: &TypeRef,
    media: &MediaType,
    schemas: &mut SchemaLowerer<'_>,
) -> Option<Vec<MultipartField>> {
    let TypeRef::Named(id) = ty.non_null() else {
        return None;
    };
    let mut binary = HashSet::new();
    if let Some(schema) = resolve(doc, schema) {
        binary_properties(doc, &schema, &mut binary, 0);
    }
    let TypeKind::Struct(s) = &mut schemas.space.get_mut(*id).kind else {
        return None;
    };
    s.multipart = true;
    // Parts have names; properties beyond the listed ones have no part.
    s.additional = None;
    for f in &mut s.fields {
        if binary.contains(&f.wire) {
            f.ty = to_file(&f.ty);
        }
    }
    let fields = s.fields.clone();
    let parts = fields
        .iter()
        .map(|f| MultipartField {
            wire: f.wire.clone(),
            kind: kind(&schemas.space, &f.ty, 0),
            content_type: media
                .encoding
                .get(&f.wire)
                .and_then(|e| e.content_type.clone())
                // A list or a wildcard names what the server takes, not one
                // type to send.
                .filter(|ct| !ct.contains(',') && !ct.contains('*')),
        })
        .collect();
    Some(parts)
}

/// The schema itself, behind any `$ref`s.
fn resolve(doc: &Value, schema: &ReferenceOr<Schema>) -> Option<Schema> {
    match schema {
        ReferenceOr::Item(s) => Some(s.clone()),
        ReferenceOr::Reference { reference } => resolve_as::<Schema>(doc, reference),
    }
}

/// Names of the properties (of the schema or its `allOf` parts) that hold a
/// file or a list of files.
fn binary_properties(doc: &Value, schema: &Schema, out: &mut HashSet<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            for (name, prop) in &o.properties {
                let prop = match prop {
                    ReferenceOr::Item(s) => Some((**s).clone()),
                    ReferenceOr::Reference { reference } => resolve_as::<Schema>(doc, reference),
                };
                if prop.is_some_and(|p| holds_files(doc, &p)) {
                    out.insert(name.clone());
                }
            }
        }
        SchemaKind::AllOf { all_of } => {
            for part in all_of {
                if let Some(part) = resolve(doc, part) {
                    binary_properties(doc, &part, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// A binary string, or a list of them.
fn holds_files(doc: &Value, schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(a)) => a.items.as_ref().is_some_and(|items| {
            let item = match items {
                ReferenceOr::Item(s) => Some((**s).clone()),
                ReferenceOr::Reference { reference } => resolve_as::<Schema>(doc, reference),
            };
            item.is_some_and(|i| is_binary(&i))
        }),
        _ => is_binary(schema),
    }
}

/// `format: binary`, or (3.1) `contentMediaType` / `contentEncoding` on a string.
fn is_binary(schema: &Schema) -> bool {
    let ext = &schema.schema_data.extensions;
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            s.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
                || ext.contains_key("x-content-media-type")
                || ext.contains_key("x-content-encoding")
        }
        SchemaKind::Any(_) => {
            ext.contains_key("x-content-media-type") || ext.contains_key("x-content-encoding")
        }
        _ => false,
    }
}

/// The type with its text (or list of text) made files.
fn to_file(t: &TypeRef) -> TypeRef {
    match t {
        TypeRef::String => TypeRef::File,
        TypeRef::List(inner) => TypeRef::List(Box::new(to_file(inner))),
        TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(to_file(inner))),
        other => other.clone(),
    }
}

/// How a field of this type is sent.
fn kind(space: &TypeSpace, t: &TypeRef, depth: usize) -> PartKind {
    match t.non_null() {
        TypeRef::File => PartKind::File,
        TypeRef::String | TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => {
            PartKind::Text
        }
        TypeRef::List(inner) => match kind(space, inner, depth + 1) {
            PartKind::File => PartKind::File,
            PartKind::Text if !matches!(inner.non_null(), TypeRef::List(_)) => PartKind::Text,
            _ => PartKind::Json,
        },
        TypeRef::Named(id) if depth < MAX_DEPTH => match &space.get(*id).kind {
            TypeKind::Enum(_) => PartKind::Text,
            TypeKind::Alias(inner) => kind(space, inner, depth + 1),
            _ => PartKind::Json,
        },
        _ => PartKind::Json,
    }
}
