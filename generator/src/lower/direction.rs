//! `readOnly` and `writeOnly`: what requests send and what answers hold.
//!
//! A request never carries a `readOnly` property (ids, timestamps) and an
//! answer never a `writeOnly` one (secrets). A type that only requests use
//! loses its `readOnly` fields, one that only answers use its `writeOnly`
//! fields. A type that both use, and whose two forms differ (itself or
//! through a type inside it), is split: answers keep the type without its
//! `writeOnly` fields, requests get a new type ([`NameHint::Input`], named
//! `…Input` by `naming`) without its `readOnly` fields and with the request
//! forms of the types inside it.

use std::collections::HashMap;

use crate::ir::{NameHint, Operation, TypeId, TypeKind, TypeRef, TypeSpace, VariantPayload};

/// Splits and trims types by direction; runs before usage is marked.
pub fn split(space: &mut TypeSpace, operations: &mut [Operation]) {
    let sensitive = sensitive(space);
    if !sensitive.contains(&true) {
        return;
    }
    let response_roots: Vec<TypeRef> = operations
        .iter()
        .flat_map(|op| op.success.iter().filter_map(|r| r.ty.clone()))
        .collect();
    let answers = reach(space, &response_roots);
    let mut forms = Forms {
        sensitive: &sensitive,
        answers: &answers,
        memo: HashMap::new(),
    };
    for op in operations.iter_mut() {
        for p in &mut op.params {
            p.ty = forms.request_ref(space, &p.ty);
        }
        if let Some(id) = op.params_type {
            forms.request_form(space, id);
        }
        if let Some(b) = &mut op.body {
            b.ty = forms.request_ref(space, &b.ty);
        }
    }
    // What answers reach is now only ever an answer's form.
    for (i, answered) in answers.iter().enumerate() {
        if *answered && sensitive[i] {
            if let TypeKind::Struct(s) = &mut space.get_mut(TypeId(i)).kind {
                s.fields.retain(|f| !f.write_only);
            }
        }
    }
}

/// The request forms made so far.
struct Forms<'x> {
    sensitive: &'x [bool],
    answers: &'x [bool],
    memo: HashMap<TypeId, TypeId>,
}

impl Forms<'_> {
    /// The request form of a type reference.
    fn request_ref(&mut self, space: &mut TypeSpace, t: &TypeRef) -> TypeRef {
        match t {
            TypeRef::Named(id) => TypeRef::Named(self.request_form(space, *id)),
            TypeRef::List(inner) => TypeRef::List(Box::new(self.request_ref(space, inner))),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(self.request_ref(space, inner))),
            TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(self.request_ref(space, inner))),
            other => other.clone(),
        }
    }

    /// The request form of a named type: itself when its forms do not
    /// differ, trimmed in place when no answer uses it, else a new type.
    fn request_form(&mut self, space: &mut TypeSpace, id: TypeId) -> TypeId {
        if !self.sensitive[id.0] {
            return id;
        }
        if let Some(&form) = self.memo.get(&id) {
            return form;
        }
        let form = if self.answers[id.0] {
            let original = space.get(id);
            let pointer = original.pointer.clone();
            let docs = original.docs.clone();
            let form = space.reserve(NameHint::Input { of: id }, pointer);
            space.get_mut(form).docs = docs;
            form
        } else {
            id
        };
        // Registered first, so a type that contains itself finds its form.
        self.memo.insert(id, form);
        let mut kind = space.get(id).kind.clone();
        match &mut kind {
            TypeKind::Struct(s) => {
                s.fields.retain(|f| !f.read_only);
                for f in &mut s.fields {
                    f.ty = self.request_ref(space, &f.ty);
                }
                if let Some(a) = &s.additional {
                    s.additional = Some(self.request_ref(space, a));
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    if let VariantPayload::Type(t) | VariantPayload::Tagged { ty: t, .. } =
                        &mut v.payload
                    {
                        *t = self.request_ref(space, t);
                    }
                }
            }
            TypeKind::Alias(t) => *t = self.request_ref(space, t),
            TypeKind::Enum(_) => {}
        }
        space.get_mut(form).kind = kind;
        form
    }
}

/// The types directly inside a type.
fn children(kind: &TypeKind) -> Vec<TypeId> {
    fn walk(t: &TypeRef, out: &mut Vec<TypeId>) {
        match t {
            TypeRef::Named(id) => out.push(*id),
            TypeRef::List(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => walk(i, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                walk(&f.ty, &mut out);
            }
            if let Some(a) = &s.additional {
                walk(a, &mut out);
            }
        }
        TypeKind::Union(u) => {
            for v in &u.variants {
                if let VariantPayload::Type(t) | VariantPayload::Tagged { ty: t, .. } = &v.payload {
                    walk(t, &mut out);
                }
            }
        }
        TypeKind::Alias(t) => walk(t, &mut out),
        TypeKind::Enum(_) => {}
    }
    out
}

/// Whether each type's request and answer forms differ: it has a
/// `readOnly` or `writeOnly` field, or holds a type that does.
fn sensitive(space: &TypeSpace) -> Vec<bool> {
    let mut out: Vec<bool> = space
        .iter()
        .map(|(_, def)| match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().any(|f| f.read_only || f.write_only),
            _ => false,
        })
        .collect();
    let edges: Vec<Vec<TypeId>> = space.iter().map(|(_, d)| children(&d.kind)).collect();
    let mut changed = true;
    while changed {
        changed = false;
        for (i, kids) in edges.iter().enumerate() {
            if !out[i] && kids.iter().any(|k| out[k.0]) {
                out[i] = true;
                changed = true;
            }
        }
    }
    out
}

/// Which types the given references reach.
fn reach(space: &TypeSpace, roots: &[TypeRef]) -> Vec<bool> {
    let mut seen = vec![false; space.len()];
    let mut stack: Vec<TypeId> = Vec::new();
    for r in roots {
        stack.extend(children(&TypeKind::Alias(r.clone())));
    }
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id.0], true) {
            continue;
        }
        stack.extend(children(&space.get(id).kind));
    }
    seen
}
