//! Small helpers for building Rust tokens: identifiers, doc attributes, type paths.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{
    Api, Body, BodyEncoding, Field, IntKind, ReturnShape, Returns, TypeDef, TypeId, TypeKind,
    TypeRef, TypeSpace,
};

/// An identifier, raw (`r#type`) when the name says so.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "..."]` attributes for `text`, made safe for rustdoc.
pub fn docs(text: Option<&str>) -> TokenStream {
    match text {
        Some(t) if !t.trim().is_empty() => doc_lines(&super::docs::sanitize(t)),
        _ => TokenStream::new(),
    }
}

/// `#[doc = "..."]` attributes, one per line, taken as they are.
pub fn doc_lines(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// How [`render_type`] writes the parts of a type that differ between code and docs.
#[derive(Debug, Clone, Copy)]
pub struct TypeStyle<'a> {
    /// How a model is written.
    pub named: Named<'a>,
    /// Code spells std and runtime items by path (`std::collections::BTreeMap`,
    /// `crate::FailOpen`); docs by their short names.
    pub code: bool,
}

/// How a model is written.
#[derive(Debug, Clone, Copy)]
pub enum Named<'a> {
    /// By name, as inside `src/models/`.
    Name,
    /// By path, `crate::models::Customer`.
    Path,
    /// As a Markdown link to its page: `[Customer](<prefix>customer.md)`.
    Link(&'a str),
}

impl Named<'_> {
    fn write(&self, def: &TypeDef) -> String {
        match self {
            Named::Name => def.name.clone(),
            Named::Path => format!("crate::models::{}", def.name),
            Named::Link(prefix) => format!("[{}]({prefix}{}.md)", def.name, def.module),
        }
    }
}

/// The one rendering of a type reference as Rust text; code, docs and
/// examples all go through it.
pub fn render_type(space: &TypeSpace, t: &TypeRef, style: &TypeStyle<'_>) -> String {
    match t {
        TypeRef::Named(id) => style.named.write(space.get(*id)),
        TypeRef::String => "String".into(),
        TypeRef::Integer(IntKind::I32) => "i32".into(),
        TypeRef::Integer(IntKind::I64) => "i64".into(),
        TypeRef::Integer(IntKind::U32) => "u32".into(),
        TypeRef::Integer(IntKind::U64) => "u64".into(),
        TypeRef::Number => "f64".into(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::Any => "serde_json::Value".into(),
        TypeRef::Bytes => "bytes::Bytes".into(),
        TypeRef::File if style.code => "crate::FilePart".into(),
        TypeRef::File => "FilePart".into(),
        TypeRef::List(inner) => format!("Vec<{}>", render_type(space, inner, style)),
        TypeRef::Map(inner) => format!(
            "{}<String, {}>",
            if style.code {
                "std::collections::BTreeMap"
            } else {
                "BTreeMap"
            },
            render_type(space, inner, style)
        ),
        // `serde_json::Value` holds null itself.
        TypeRef::Nullable(inner) if **inner == TypeRef::Any => "serde_json::Value".into(),
        TypeRef::Nullable(inner) => format!("Option<{}>", render_type(space, inner, style)),
    }
}

/// The Rust type of a call's answer, in `style`.
pub fn render_returns(space: &TypeSpace, returns: &Returns, style: &TypeStyle<'_>) -> String {
    let body = match &returns.shape {
        ReturnShape::Empty => "()".to_owned(),
        ReturnShape::Json(t) => render_type(space, t, style),
        ReturnShape::Bytes => "bytes::Bytes".to_owned(),
        ReturnShape::Text => "String".to_owned(),
        ReturnShape::Mixed => "serde_json::Value".to_owned(),
    };
    if returns.fail_open {
        wrapped("FailOpen", &body, style.code)
    } else {
        body
    }
}

/// The Rust type of a struct field, in `style`, as its [`crate::ir::Presence`] holds it.
/// `boxed` puts a directly recursive named type in a `Box`.
pub fn render_field(space: &TypeSpace, f: &Field, boxed: bool, style: &TypeStyle<'_>) -> String {
    let inner = render_value(space, f.ty.non_null(), boxed, style);
    match f.presence.wrapper() {
        Some(wrapper) => wrapped(wrapper, &inner, style.code),
        None => inner,
    }
}

/// The type a field's setter or constructor takes: the value without `Option`.
pub fn render_value(space: &TypeSpace, t: &TypeRef, boxed: bool, style: &TypeStyle<'_>) -> String {
    let text = render_type(space, t, style);
    if boxed && matches!(t, TypeRef::Named(_)) {
        format!("Box<{text}>")
    } else {
        text
    }
}

/// The Rust type of a request body, in `style`: `Option` unless required.
pub fn render_body(space: &TypeSpace, body: &Body, style: &TypeStyle<'_>) -> String {
    let inner = match body.encoding {
        BodyEncoding::Bytes => "bytes::Bytes".to_owned(),
        BodyEncoding::Text => "String".to_owned(),
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
            render_type(space, &body.ty, style)
        }
    };
    // One rule for every body, required or not: the operation takes it by
    // value and always sends it (an empty one asks for the server's
    // defaults), so no call reads `op(None)` or `op(Some(..))`.
    inner
}

/// `Wrapper<inner>`, with the runtime's own wrappers by path in code.
fn wrapped(wrapper: &str, inner: &str, code: bool) -> String {
    if code && wrapper != "Option" {
        format!("crate::{wrapper}<{inner}>")
    } else {
        format!("{wrapper}<{inner}>")
    }
}

/// Rendered Rust type text as tokens.
pub fn type_of_text(text: &str) -> TokenStream {
    text.parse()
        .unwrap_or_else(|e| panic!("internal error: `{text}` is not a Rust type: {e}"))
}

/// Style of code inside `src/models/`: models by name.
pub const LOCAL: TypeStyle<'static> = TypeStyle {
    named: Named::Name,
    code: true,
};

/// Style of code outside `src/models/`: models by path.
pub const QUALIFIED: TypeStyle<'static> = TypeStyle {
    named: Named::Path,
    code: true,
};

/// The Rust type for a type reference, as the models module sees it. `boxed`
/// wraps a named type in `Box` (recursion).
pub fn type_tokens(space: &TypeSpace, t: &TypeRef, boxed: bool) -> TokenStream {
    type_of_text(&render_value(space, t, boxed, &LOCAL))
}

/// Named types a reference mentions, for `use` lines.
pub fn named_in(t: &TypeRef, out: &mut Vec<TypeId>) {
    match t {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::List(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => named_in(i, out),
        _ => {}
    }
}

/// Whether a value of `from` contains a value of `to` without indirection (so a field needs `Box`).
pub fn contains_directly(space: &TypeSpace, from: &TypeRef, to: TypeId) -> bool {
    let mut seen = Vec::new();
    direct(space, from, to, &mut seen)
}

fn direct(space: &TypeSpace, t: &TypeRef, to: TypeId, seen: &mut Vec<TypeId>) -> bool {
    match t {
        TypeRef::Named(id) => {
            if *id == to {
                return true;
            }
            if seen.contains(id) {
                return false;
            }
            seen.push(*id);
            match &space.get(*id).kind {
                TypeKind::Struct(s) => s.fields.iter().any(|f| direct(space, &f.ty, to, seen)),
                TypeKind::Union(u) => u.variants.iter().any(|v| match &v.payload {
                    crate::ir::VariantPayload::Type(t)
                    | crate::ir::VariantPayload::Tagged { ty: t, .. } => direct(space, t, to, seen),
                    crate::ir::VariantPayload::Constant(_) => false,
                }),
                TypeKind::Alias(t) => direct(space, t, to, seen),
                TypeKind::Enum(_) => false,
            }
        }
        TypeRef::Nullable(inner) => direct(space, inner, to, seen),
        // Vec and BTreeMap already put their items on the heap.
        _ => false,
    }
}

/// `#[deprecated]` when the spec marks the item deprecated.
pub fn deprecated_attr(deprecated: bool) -> TokenStream {
    if deprecated {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    }
}

/// Allows clippy's argument-count lint on functions that mirror an operation with many parameters.
pub fn many_args_attr(count: usize) -> TokenStream {
    if count > 6 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        TokenStream::new()
    }
}

/// The cargo features of some tags, as naming chose them.
pub fn features_of(api: &Api, tags: &[String]) -> Vec<String> {
    if tags.iter().any(String::is_empty) {
        return Vec::new();
    }
    tags.iter()
        .filter_map(|t| api.namespace(t))
        .map(|n| n.feature.clone())
        .collect()
}

/// `#[cfg(...)]` for an item used only by operations of some tags; nothing when always needed.
pub fn cfg_for_tags(api: &Api, tags: &[String]) -> TokenStream {
    let features = features_of(api, tags);
    if features.is_empty() {
        return TokenStream::new();
    }
    if features.len() == 1 {
        let f = &features[0];
        quote!(#[cfg(feature = #f)])
    } else {
        quote!(#[cfg(any( #( feature = #features ),* ))])
    }
}
