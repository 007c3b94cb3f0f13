//! Marks which types requests and responses use, and under which tags.

use std::collections::BTreeSet;

use crate::ir::{Operation, TypeId, TypeKind, TypeRef, TypeSpace, VariantPayload};

/// Fills in `usage` and `tags` of every type reachable from an operation,
/// and makes what unreached types refer to independent of tags.
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
    // A type no operation reaches (a schema only webhooks use, say) is
    // compiled whatever the features, so everything it refers to must be too:
    // the empty tag means "always" (see `emit::rust::cfg_for_tags`).
    let unreached: Vec<TypeId> = (0..space.len())
        .filter(|&i| tags[i].is_empty())
        .map(TypeId)
        .collect();
    let mut always = Vec::new();
    for id in unreached {
        collect(space, &TypeRef::Named(id), &mut always);
    }
    for id in always {
        tags[id.0].insert(String::new());
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

#[cfg(test)]
mod tests {
    use crate::ir::TypeSpace;

    /// The tags of the type named `name`.
    fn tags_of(space: &TypeSpace, name: &str) -> Vec<String> {
        (0..space.len())
            .map(crate::ir::TypeId)
            .map(|id| space.get(id))
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no type {name}"))
            .tags
            .clone()
    }

    #[test]
    fn what_an_unreached_type_refers_to_is_always_compiled() {
        let doc = r##"
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /pets:
    post:
      operationId: addPet
      tags: [pets]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
      responses:
        "200": {description: ok}
components:
  schemas:
    Pet:
      type: object
      properties: {name: {type: string}}
    Owner:
      type: object
      properties: {name: {type: string}}
    PetEvent:
      type: object
      properties:
        pet: {$ref: "#/components/schemas/Pet"}
"##;
        let loaded = crate::load::load_str(doc).expect("loads");
        let mut api = crate::lower::lower(&loaded).expect("lowers").api;
        crate::naming::assign(&mut api, None);
        // `Pet` serves the `pets` operation and the unreached `PetEvent`.
        assert_eq!(tags_of(&api.types, "Pet"), ["", "pets"]);
        assert_eq!(tags_of(&api.types, "PetEvent"), [""]);
        // Nothing refers to `Owner`, and nothing needs a feature for it.
        assert_eq!(tags_of(&api.types, "Owner"), [""]);
    }
}
