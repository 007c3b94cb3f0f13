//! How each struct field is held and sent ([`Presence`]), decided once from
//! `required`, nullability, a string `const` and whether callers send the type.

use serde_json::Value;

use crate::ir::{Field, Presence, TypeKind, TypeRef, TypeSpace};

/// Fills in `presence` on every field; runs after usage is known.
pub fn assign(space: &mut TypeSpace) {
    let ids: Vec<_> = space.iter().map(|(id, _)| id).collect();
    for id in ids {
        let def = space.get_mut(id);
        let request = def.usage.request;
        if let TypeKind::Struct(s) = &mut def.kind {
            for f in &mut s.fields {
                f.presence = presence_of(f, request);
            }
        }
    }
}

/// The rule: optional and nullable fields of request types are tri-state;
/// a nullable untyped value is held bare (`serde_json::Value` holds `null`);
/// a required string constant is filled in by the builder.
fn presence_of(f: &Field, in_request: bool) -> Presence {
    let nullable = f.ty.is_nullable();
    let untyped = *f.ty.non_null() == TypeRef::Any;
    match (f.required, nullable) {
        (true, false) => match &f.constant {
            Some(Value::String(s)) if f.ty == TypeRef::String => Presence::Fixed(s.clone()),
            _ => Presence::Required,
        },
        (true, true) if untyped => Presence::Required,
        (true, true) => Presence::RequiredNullable,
        (false, true) if in_request && !untyped => Presence::TriState,
        (false, _) => Presence::Optional,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(ty: TypeRef, required: bool, constant: Option<Value>) -> Field {
        Field {
            wire: "f".into(),
            name: String::new(),
            ty,
            required,
            presence: Presence::Required,
            setter: None,
            clearer: None,
            docs: None,
            default: None,
            constant,
            deprecated: false,
            read_only: false,
            write_only: false,
        }
    }

    fn nullable(t: TypeRef) -> TypeRef {
        TypeRef::Nullable(Box::new(t))
    }

    #[test]
    fn each_combination_has_one_presence() {
        let text = Some(Value::String("v".into()));
        #[rustfmt::skip]
        let rows: &[(TypeRef, bool, Option<Value>, bool, Presence)] = &[
            (TypeRef::String, true, None, false, Presence::Required),
            (TypeRef::String, true, text.clone(), true, Presence::Fixed("v".into())),
            (TypeRef::Number, true, Some(Value::from(1)), true, Presence::Required),
            (nullable(TypeRef::String), true, text.clone(), true, Presence::RequiredNullable),
            (nullable(TypeRef::String), true, None, false, Presence::RequiredNullable),
            (nullable(TypeRef::Any), true, None, true, Presence::Required),
            (TypeRef::String, false, None, true, Presence::Optional),
            (nullable(TypeRef::String), false, None, false, Presence::Optional),
            (nullable(TypeRef::String), false, None, true, Presence::TriState),
            (nullable(TypeRef::Any), false, None, true, Presence::Optional),
        ];
        for (ty, required, constant, request, want) in rows {
            let f = field(ty.clone(), *required, constant.clone());
            assert_eq!(
                &presence_of(&f, *request),
                want,
                "{ty:?} required={required} request={request}"
            );
        }
    }
}
