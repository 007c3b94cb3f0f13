//! IR types → one Rust file per model under `src/models/`.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::rust::{
    cfg_for_tags, contains_directly, docs, ident, named_in, render_field, type_of_text,
    type_tokens, LOCAL,
};
use crate::ir::{
    Api, Field, NameHint, Pagination, Presence, StringEnum, Struct, TypeDef, TypeId, TypeKind,
    TypeRef, TypeSpace, Union, VariantPayload,
};

/// Method names of std traits that clippy's `should_implement_trait` lint
/// claims for a method taking `self` and one argument, as every setter does.
const NAMES_OF_STD_TRAIT_METHODS: &[&str] = &[
    "add",
    "bitand",
    "bitor",
    "bitxor",
    "div",
    "mul",
    "rem",
    "shl",
    "shr",
    "sub",
    "eq",
    "cmp",
    "index",
    "index_mut",
    "from_iter",
    "from_str",
    "borrow",
    "deref",
    "hash",
    "neg",
    "not",
    "next",
    "clone",
    "default",
    "drop",
    "as_mut",
    "as_ref",
    "borrow_mut",
    "deref_mut",
    "into_iter",
];

/// `impl Page` for an answer type that list operations page through.
fn page_impl(space: &TypeSpace, def: &TypeDef, p: &Pagination) -> TokenStream {
    let TypeKind::Struct(s) = &def.kind else {
        return quote!();
    };
    let (Some(cursor), Some(items)) = (s.fields.get(p.cursor_field), s.fields.get(p.items_field))
    else {
        return quote!();
    };
    let name = ident(&def.name);
    let next = match cursor.presence {
        Presence::Required | Presence::Fixed(_) => {
            let cursor = ident(&cursor.name);
            quote!(Some(self.#cursor.as_str()))
        }
        Presence::RequiredNullable | Presence::Optional => {
            let cursor = ident(&cursor.name);
            quote!(self.#cursor.as_deref())
        }
        Presence::TriState => {
            let cursor = ident(&cursor.name);
            quote!(self.#cursor.as_ref().map(String::as_str))
        }
    };
    let items = ident(&items.name);
    let item = type_tokens(space, &p.item, false);
    quote! {
        impl crate::pagination::Page for #name {
            type Item = #item;

            fn next_cursor(&self) -> Option<&str> {
                #next
            }

            fn into_items(self) -> Vec<Self::Item> {
                self.#items
            }
        }
    }
}

/// The module file of one model.
pub fn model_file(api: &Api, id: TypeId, paging: Option<&Pagination>) -> TokenStream {
    let space = &api.types;
    let def = space.get(id);
    let body = match &def.kind {
        TypeKind::Struct(s) => emit_struct(space, id, def, s),
        TypeKind::Enum(e) => emit_enum(space, def, e),
        TypeKind::Union(u) => emit_union(space, id, def, u),
        TypeKind::Alias(t) => {
            let doc = type_docs(space, def);
            let name = ident(&def.name);
            let target = type_tokens(space, t, false);
            quote! { #doc pub type #name = #target; }
        }
    };
    let mut used = Vec::new();
    match &def.kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                named_in(&f.ty, &mut used);
            }
            if let Some(a) = &s.additional {
                named_in(a, &mut used);
            }
        }
        TypeKind::Union(u) => {
            for v in &u.variants {
                if let VariantPayload::Type(t) | VariantPayload::Tagged { ty: t, .. } = &v.payload {
                    named_in(t, &mut used);
                }
            }
        }
        TypeKind::Alias(t) => named_in(t, &mut used),
        TypeKind::Enum(_) => {}
    }
    let mut names: Vec<String> = used
        .into_iter()
        .filter(|u| *u != id)
        .map(|u| space.get(u).name.clone())
        .collect();
    names.sort();
    names.dedup();
    let imports: Vec<_> = names.iter().map(|n| ident(n)).collect();
    let uses = if imports.is_empty() {
        quote!()
    } else {
        quote!( use super::{ #(#imports),* }; )
    };
    let page = paging.map(|p| page_impl(space, def, p)).unwrap_or_default();
    quote! { #uses #body #page }
}

/// The lines of `models/mod.rs` that declare a type's file and re-export the type.
pub fn mod_line(api: &Api, def: &TypeDef) -> TokenStream {
    let stem = ident(&def.module);
    let name = ident(&def.name);
    let cfg = cfg_for_tags(api, &def.tags);
    quote! { #cfg mod #stem; #cfg pub use #stem::#name; }
}

/// The type's docs, or a sentence saying where it is used when the spec has none.
pub fn type_docs(space: &TypeSpace, def: &TypeDef) -> TokenStream {
    if def.docs.is_some() {
        return docs(def.docs.as_deref());
    }
    let text = match &def.hint {
        NameHint::Context { parent, part } => {
            let parent = &space.get(*parent).name;
            if part.is_empty() {
                format!("The value of [`{parent}`].")
            } else {
                format!("The `{part}` part of [`{parent}`].")
            }
        }
        NameHint::Operation { operation, role } => {
            format!(
                "The {} of the `{operation}` operation.",
                heck::ToLowerCamelCase::to_lower_camel_case(role.as_str()).to_lowercase()
            )
        }
        NameHint::Component(name) => {
            format!("The `{name}` schema of the API.")
        }
        NameHint::Input { of } => {
            let of = &space.get(*of).name;
            format!("[`{of}`] as requests send it, without its read-only properties.")
        }
    };
    docs(Some(&text))
}

fn emit_struct(space: &TypeSpace, id: TypeId, def: &TypeDef, s: &Struct) -> TokenStream {
    let doc = type_docs(space, def);
    let name = ident(&def.name);
    let default = if s.all_optional() {
        quote!(Default,)
    } else {
        quote!()
    };
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = type_of_text(&render_field(
            space,
            f,
            contains_directly(space, &f.ty, id),
            &LOCAL,
        ));
        let mut serde_args: Vec<TokenStream> = Vec::new();
        if crate::naming::unraw(&f.name) != f.wire {
            let wire = &f.wire;
            serde_args.push(quote!(rename = #wire));
        }
        match f.presence {
            Presence::TriState => {
                serde_args.push(quote!(default));
                serde_args.push(quote!(skip_serializing_if = "crate::Nullable::is_absent"));
            }
            Presence::Optional => {
                serde_args.push(quote!(default));
                serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
            }
            // Required but nullable: tolerate an absent key as null when decoding.
            Presence::RequiredNullable => serde_args.push(quote!(default)),
            Presence::Required | Presence::Fixed(_) => {}
        }
        // A multipart body is sent part by part, never as JSON.
        let serde_attr = if serde_args.is_empty() || s.multipart {
            quote!()
        } else {
            quote!(#[serde( #(#serde_args),* )])
        };
        let doc = docs(field_doc(space, f).as_deref());
        let deprecated = if f.deprecated {
            quote!(#[deprecated])
        } else {
            quote!()
        };
        quote! { #doc #deprecated #serde_attr pub #fname: #ty, }
    });
    let additional = s.additional.as_ref().map(|t| {
        let ty = type_tokens(space, t, false);
        quote! {
            /// Properties beyond the ones listed above.
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    let builder = if def.usage.request {
        builder(space, id, def, s)
    } else {
        quote!()
    };
    let serde = if s.multipart {
        quote!()
    } else {
        quote!(serde::Serialize, serde::Deserialize)
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default #serde)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #builder
    }
}

/// A field's docs (else its type's first paragraph) plus its default value, when the spec gives one.
fn field_doc(space: &TypeSpace, f: &Field) -> Option<String> {
    let from_type = match f.ty.non_null() {
        TypeRef::Named(id) => space
            .get(*id)
            .docs
            .as_deref()
            .and_then(|d| d.split("\n\n").next())
            .map(str::to_owned),
        _ => None,
    };
    let base = f
        .docs
        .clone()
        .or(from_type)
        .or_else(|| Some(format!("The `{}` property.", f.wire)));
    let base = match (&f.constant, base) {
        (Some(c), Some(b)) => Some(format!("{b}\n\nAlways `{}`.", compact(c))),
        (_, b) => b,
    };
    match (&f.default, base) {
        (Some(d), Some(b)) => Some(format!(
            "{b}\n\nThe server uses `{}` when this is not set.",
            compact(d)
        )),
        (Some(d), None) => Some(format!(
            "The server uses `{}` when this is not set.",
            compact(d)
        )),
        (None, b) => b,
    }
}

fn compact(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 60 {
        format!(
            "{}…",
            &s[..s.char_indices().nth(57).map_or(s.len(), |(i, _)| i)]
        )
    } else {
        s.replace('`', "'")
    }
}

/// `new(required...)` and one setter per optional field, for types callers build.
fn builder(space: &TypeSpace, id: TypeId, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let required: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| f.presence.is_constructor_arg())
        .collect();
    let args = required.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = type_tokens(space, f.ty.non_null(), contains_directly(space, &f.ty, id));
        quote!(#fname: impl Into<#ty>)
    });
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        match &f.presence {
            Presence::Fixed(text) => quote!(#fname: #text.to_owned()),
            Presence::TriState => quote!(#fname: crate::Nullable::Absent),
            Presence::Optional => quote!(#fname: None),
            Presence::RequiredNullable => quote!(#fname: Some(#fname.into())),
            Presence::Required => quote!(#fname: #fname.into()),
        }
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(additional_properties: Default::default(),));
    let too_many = if required.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let setters = s
        .fields
        .iter()
        .filter_map(|f| f.setter.as_ref().map(|setter| (f, setter)))
        .map(|(f, setter)| {
            let fname = ident(&f.name);
            let setter_name = ident(setter);
            let ty = type_tokens(space, f.ty.non_null(), contains_directly(space, &f.ty, id));
            let doc = docs(field_doc(space, f).as_deref());
            let deprecated = if f.deprecated {
                quote!(#[deprecated])
            } else {
                quote!()
            };
            let deprecated = if NAMES_OF_STD_TRAIT_METHODS.contains(&setter.as_str()) {
                // A setter named after a field `add` or `not` is not an operator.
                quote!(#deprecated #[allow(clippy::should_implement_trait)])
            } else {
                deprecated
            };
            if f.presence != Presence::TriState {
                return quote! {
                    #doc
                    #deprecated
                    #[must_use]
                    pub fn #setter_name(mut self, value: impl Into<#ty>) -> Self {
                        self.#fname = Some(value.into());
                        self
                    }
                };
            }
            let clear_doc = format!(" Sends `{}` as `null`, clearing it.", f.wire);
            let clear_fn = match &f.clearer {
                None => quote!(),
                Some(clear) => {
                    let clear = ident(clear);
                    quote! {
                    #[doc = #clear_doc]
                    #deprecated
                    #[must_use]
                    pub fn #clear(mut self) -> Self {
                        self.#fname = crate::Nullable::Null;
                        self
                    }
                    }
                }
            };
            quote! {
                #doc
                #deprecated
                #[must_use]
                pub fn #setter_name(mut self, value: impl Into<#ty>) -> Self {
                    self.#fname = crate::Nullable::Value(value.into());
                    self
                }
                #clear_fn
            }
        });
    let new_doc = if required.is_empty() {
        " Creates a value with every field unset.".to_owned()
    } else {
        let list: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
        format!(
            " Creates a value from its required fields ({}); the others start unset.",
            list.join(", ")
        )
    };
    let allow_deprecated = if s.fields.iter().any(|f| f.deprecated) {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    quote! {
        #allow_deprecated
        impl #name {
            #[doc = #new_doc]
            #too_many
            pub fn new( #(#args),* ) -> Self {
                Self { #(#inits,)* #additional }
            }
            #(#setters)*
        }
    }
}

fn emit_enum(space: &TypeSpace, def: &TypeDef, e: &StringEnum) -> TokenStream {
    let doc = type_docs(space, def);
    let name = ident(&def.name);
    let variants: Vec<_> = e.values.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| format!(" `{w}`"));
    quote! {
        #doc
        ///
        /// Values the API adds later decode as `Unknown`; match it with a
        /// wildcard arm and read the value with `as_str()`. Only decoding,
        /// `From<&str>` and `parse` make an `Unknown`, and only for a value
        /// that no variant stands for.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this version of the SDK does not know; kept as sent.
            Unknown(crate::UnknownValue),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the SDK knows, in the spec's order.
            pub const fn values() -> &'static [&'static str] {
                &[ #(#wires),* ]
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::Unknown(crate::UnknownValue::new(other)),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}

fn emit_union(space: &TypeSpace, id: TypeId, def: &TypeDef, u: &Union) -> TokenStream {
    if let Some(tag) = &u.tag {
        return emit_tagged_union(space, id, def, u, tag);
    }
    let doc = type_docs(space, def);
    let name = ident(&def.name);
    let type_name = &def.name;
    let mut variants = Vec::new();
    let mut ser_arms = Vec::new();
    let mut de_steps = Vec::new();
    for v in &u.variants {
        let vname = ident(&v.name);
        match &v.payload {
            VariantPayload::Constant(value) => {
                let vdoc = format!(" Exactly `{value}`.");
                variants.push(quote!( #[doc = #vdoc] #vname ));
                let (ser, test) = constant_tokens(value);
                ser_arms.push(quote!( Self::#vname => #ser ));
                de_steps.push(quote!( if #test { return Ok(Self::#vname); } ));
            }
            VariantPayload::Type(t) | VariantPayload::Tagged { ty: t, .. } => {
                let boxed = contains_directly(space, t, id);
                let ty = type_tokens(space, t, boxed);
                let vdoc = variant_doc(space, t);
                variants.push(quote!( #[doc = #vdoc] #vname(#ty) ));
                ser_arms.push(quote!( Self::#vname(value) => value.serialize(serializer) ));
                de_steps.push(quote! {
                    if let Ok(value) = <#ty as serde::Deserialize>::deserialize(&value) {
                        return Ok(Self::#vname(value));
                    }
                });
            }
        }
    }
    let msg = format!("the value matches no variant of `{type_name}`");
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants,)*
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms,)*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // Buffer once, then try each variant from the most to the least specific.
                let value = serde_json::Value::deserialize(deserializer)?;
                #(#de_steps)*
                Err(serde::de::Error::custom(#msg))
            }
        }
    }
}

/// A union whose variants are told apart by the value of property `tag`;
/// unknown tags decode into `Unknown`, so a new kind never breaks decoding.
fn emit_tagged_union(
    space: &TypeSpace,
    id: TypeId,
    def: &TypeDef,
    u: &Union,
    tag: &str,
) -> TokenStream {
    let doc = type_docs(space, def);
    let name = ident(&def.name);
    let mut variants = Vec::new();
    let mut ser_arms = Vec::new();
    let mut de_arms = Vec::new();
    for v in &u.variants {
        let VariantPayload::Tagged { tag_value, ty: t } = &v.payload else {
            continue;
        };
        let vname = ident(&v.name);
        let ty = type_tokens(space, t, contains_directly(space, t, id));
        let vdoc = format!(
            " `{tag}: \"{tag_value}\"`: {}",
            variant_doc(space, t).trim_start()
        );
        variants.push(quote!( #[doc = #vdoc] #vname(#ty) ));
        ser_arms.push(quote!( Self::#vname(value) => value.serialize(serializer) ));
        de_arms.push(quote! {
            Some(#tag_value) => <#ty as serde::Deserialize>::deserialize(&value)
                .map(Self::#vname)
                .map_err(serde::de::Error::custom)
        });
    }
    let unknown_doc = format!(" A `{tag}` this version of the SDK does not know; kept as sent.");
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants,)*
            #[doc = #unknown_doc]
            Unknown(crate::UnknownJson),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms,)*
                    Self::Unknown(value) => value.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                match value.get(#tag).and_then(serde_json::Value::as_str) {
                    #(#de_arms,)*
                    _ => Ok(Self::Unknown(crate::UnknownJson::new(value))),
                }
            }
        }
    }
}

fn variant_doc(space: &TypeSpace, t: &TypeRef) -> String {
    match t.non_null() {
        TypeRef::Named(id) => format!(" A [`{}`].", space.get(*id).name),
        TypeRef::String => " A string.".into(),
        TypeRef::Integer(_) => " An integer.".into(),
        TypeRef::Number => " A number.".into(),
        TypeRef::Boolean => " A boolean.".into(),
        TypeRef::List(_) => " A list.".into(),
        TypeRef::Map(_) => " A map.".into(),
        TypeRef::Bytes => " Raw bytes.".into(),
        TypeRef::File => " A file.".into(),
        TypeRef::Any | TypeRef::Nullable(_) => " Any JSON value.".into(),
    }
}

/// How to serialize a constant, and how to recognise it in a buffered `serde_json::Value`.
fn constant_tokens(value: &Value) -> (TokenStream, TokenStream) {
    match value {
        Value::String(s) => (quote!(serializer.serialize_str(#s)), quote!(value == #s)),
        Value::Bool(b) => (quote!(serializer.serialize_bool(#b)), quote!(value == #b)),
        Value::Number(n) if n.as_i64().is_some() => {
            let i = n.as_i64().unwrap_or_default();
            (quote!(serializer.serialize_i64(#i)), quote!(value == #i))
        }
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or_default();
            (quote!(serializer.serialize_f64(#f)), quote!(value == #f))
        }
        _ => (quote!(serializer.serialize_unit()), quote!(value.is_null())),
    }
}
