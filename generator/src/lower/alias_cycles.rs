//! Aliases that contain themselves (`A = list of A`, `A = map of B` with
//! `B = A`) cannot be written in Rust: `type A = Vec<A>;` is an error. The
//! occurrence that closes the loop becomes any JSON value, with a warning.

use crate::diagnostics::Diagnostic;
use crate::ir::{TypeId, TypeKind, TypeRef, TypeSpace};

/// Breaks every alias cycle in `space`; one warning per alias changed.
pub fn break_cycles(space: &mut TypeSpace) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for i in 0..space.len() {
        let id = TypeId(i);
        let TypeKind::Alias(t) = &space.get(id).kind else {
            continue;
        };
        let mut t = t.clone();
        if cut(space, &mut t, id) {
            warnings.push(Diagnostic::new(
                space.get(id).pointer.clone(),
                "this schema contains itself only through lists, maps or other plain references; the inner occurrence is typed as any JSON value",
            ));
            space.get_mut(id).kind = TypeKind::Alias(t);
        }
    }
    warnings
}

/// Replaces, in alias `of`'s own type, each reference that leads back to `of`.
fn cut(space: &TypeSpace, t: &mut TypeRef, of: TypeId) -> bool {
    match t {
        TypeRef::Named(n) if *n == of || leads_to(space, *n, of) => {
            *t = TypeRef::Any;
            true
        }
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            cut(space, inner, of)
        }
        _ => false,
    }
}

/// Whether alias `from` reaches `to` through aliases, lists, maps and nullables alone.
fn leads_to(space: &TypeSpace, from: TypeId, to: TypeId) -> bool {
    let mut seen = vec![from];
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        let TypeKind::Alias(t) = &space.get(id).kind else {
            continue;
        };
        let mut t = t;
        loop {
            match t {
                TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => t = inner,
                TypeRef::Named(n) if *n == to => return true,
                TypeRef::Named(n) => {
                    if !seen.contains(n) {
                        seen.push(*n);
                        stack.push(*n);
                    }
                    break;
                }
                _ => break,
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::NameHint;

    #[test]
    fn self_containing_aliases_are_cut() {
        let mut space = TypeSpace::default();
        let a = space.reserve(
            NameHint::Component("A".into()),
            "/components/schemas/A".into(),
        );
        let b = space.reserve(
            NameHint::Component("B".into()),
            "/components/schemas/B".into(),
        );
        space.get_mut(a).kind = TypeKind::Alias(TypeRef::List(Box::new(TypeRef::Named(b))));
        space.get_mut(b).kind = TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::Named(a))));
        let warnings = break_cycles(&mut space);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "/components/schemas/A");
        assert!(
            matches!(&space.get(a).kind, TypeKind::Alias(TypeRef::List(t)) if **t == TypeRef::Any)
        );
        assert!(
            matches!(&space.get(b).kind, TypeKind::Alias(TypeRef::Map(t)) if **t == TypeRef::Named(a))
        );
    }
}
