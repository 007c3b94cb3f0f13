//! Marks which types requests and responses use, and under which tags.

use std::collections::BTreeSet;

use crate::ir::{Operation, TypeId, TypeKind, TypeRef, TypeSpace, VariantPayload};

/// Fills in `usage` and `tags` of every type reachable from an operation.
pub fn mark(space: &mut TypeSpace, operations: &[Operation]) {
    let mut tags: Vec<BTreeSet<String>> = vec![BTreeSet::new(); space.len()];
    for op in operations {
        let tag = op.tag.clone().unwrap_or_default();
        let mut request = Vec::new();
        for p in &op.params {
            collect(space, &p.ty, &mut request);
        }
        if let Some(b) = &op.body {
            collect(space, &b.ty, &mut request);
        }
        let mut response = Vec::new();
        for r in &op.success {
            if let Some(t) = &r.ty {
                collect(space, t, &mut response);
            }
        }
        for id in &request {
            space.get_mut(*id).usage.request = true;
            tags[id.0].insert(tag.clone());
        }
        for id in &response {
            space.get_mut(*id).usage.response = true;
            tags[id.0].insert(tag.clone());
        }
    }
    for (i, t) in tags.into_iter().enumerate() {
        space.get_mut(TypeId(i)).tags = t.into_iter().collect();
    }
}

/// Every named type reachable from `t`, each once.
fn collect(space: &TypeSpace, t: &TypeRef, out: &mut Vec<TypeId>) {
    match t {
        TypeRef::Named(id) => {
            if out.contains(id) {
                return;
            }
            out.push(*id);
            match &space.get(*id).kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        collect(space, &f.ty, out);
                    }
                    if let Some(a) = &s.additional {
                        collect(space, a, out);
                    }
                }
                TypeKind::Union(u) => {
                    for v in &u.variants {
                        match &v.payload {
                            VariantPayload::Type(t) | VariantPayload::Tagged { ty: t, .. } => {
                                collect(space, t, out)
                            }
                            VariantPayload::Constant(_) => {}
                        }
                    }
                }
                TypeKind::Alias(t) => collect(space, t, out),
                TypeKind::Enum(_) => {}
            }
        }
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            collect(space, inner, out)
        }
        _ => {}
    }
}
