//! Small helpers for building Rust tokens: identifiers, doc attributes, type paths.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{IntKind, TypeId, TypeKind, TypeRef, TypeSpace};

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

/// The Rust type for a type reference, as the models module sees it. `boxed`
/// wraps a named type in `Box` (recursion).
pub fn type_tokens(space: &TypeSpace, t: &TypeRef, boxed: bool) -> TokenStream {
    type_path(space, t, boxed, false)
}

/// The Rust type for a type reference with models named by full path
/// (`crate::models::Customer`), for code outside the models module.
pub fn qualified_type_tokens(space: &TypeSpace, t: &TypeRef) -> TokenStream {
    type_path(space, t, false, true)
}

fn type_path(space: &TypeSpace, t: &TypeRef, boxed: bool, qualified: bool) -> TokenStream {
    match t {
        TypeRef::Named(id) => {
            let name = ident(&space.get(*id).name);
            let name = if qualified {
                quote!(crate::models::#name)
            } else {
                quote!(#name)
            };
            if boxed {
                quote!(Box<#name>)
            } else {
                quote!(#name)
            }
        }
        TypeRef::String => quote!(String),
        TypeRef::Integer(IntKind::I32) => quote!(i32),
        TypeRef::Integer(IntKind::I64) => quote!(i64),
        TypeRef::Integer(IntKind::U32) => quote!(u32),
        TypeRef::Integer(IntKind::U64) => quote!(u64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Bytes => quote!(bytes::Bytes),
        TypeRef::List(inner) => {
            let inner = type_path(space, inner, false, qualified);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_path(space, inner, false, qualified);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => match inner.as_ref() {
            // `serde_json::Value` holds null itself.
            TypeRef::Any => quote!(serde_json::Value),
            other => {
                let inner = type_path(space, other, boxed, qualified);
                quote!(Option<#inner>)
            }
        },
    }
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

/// `#[cfg(...)]` for an item used only by operations of some tags; nothing when always needed.
pub fn cfg_for_tags(tags: &[String]) -> TokenStream {
    if tags.is_empty() || tags.iter().any(String::is_empty) {
        return TokenStream::new();
    }
    let features: Vec<String> = tags.iter().map(|t| super::feature_name(t)).collect();
    if features.len() == 1 {
        let f = &features[0];
        quote!(#[cfg(feature = #f)])
    } else {
        quote!(#[cfg(any( #( feature = #features ),* ))])
    }
}
