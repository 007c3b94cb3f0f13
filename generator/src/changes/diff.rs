//! The comparison of two named IRs.
//!
//! Operations are matched by their function in `funcs` (unique in the
//! crate), models by their Rust name, fields by their wire name, enum values
//! by their wire value and union variants by their Rust name. Types are
//! compared by the Rust text the crate would hold (`render_field` and
//! friends), so "changed" means "changed in the crate".
//!
//! A type is **renamed** when its old name is gone and exactly one new type
//! has exactly its shape (the same fields with the same wire names, Rust
//! types and presence; the same enum values; the same union variants), and
//! no other gone type has that shape too. Renames are found repeatedly, so
//! a struct whose inline types were renamed with it (`Pet` → `Animal`,
//! `PetKind` → `AnimalKind`) is found once its parts are.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, ChangeKind, Compatibility};
use crate::emit::rust::{
    contains_directly, render_body, render_field, render_returns, render_type, render_value, LOCAL,
};
use crate::ir::{
    Api, Field, Operation, Presence, Struct, TypeDef, TypeId, TypeKind, TypeSpace, Union,
    VariantPayload,
};

/// Every change to the public API from `old` to `new`, in no particular order.
pub fn compare(old: &Api, new: &Api) -> Vec<Change> {
    // Renames are applied to a copy of the old IR, so every later comparison
    // of rendered types sees the new names.
    let mut old = old.clone();
    let mut out = Vec::new();
    let renames = find_renames(&mut old.types, &new.types);
    compare_operations(&old, new, &mut out);
    let old_by_name = by_name(&old.types);
    let new_by_name = by_name(&new.types);
    for (name, &old_id) in &old_by_name {
        let def = old.types.get(old_id);
        match new_by_name.get(name) {
            Some(&new_id) => {
                if let Some(before) = renames.get(name) {
                    out.push(change(
                        Compatibility::Breaking,
                        ChangeKind::TypeRenamed,
                        name,
                        None,
                        Some(before.clone()),
                        Some(name.clone()),
                        None,
                    ));
                }
                let pair = Pair {
                    old: &old.types,
                    new: &new.types,
                    old_id,
                    new_id,
                };
                pair.compare(&mut out);
            }
            None => out.push(change(
                Compatibility::Breaking,
                ChangeKind::TypeRemoved,
                name,
                None,
                Some(kind_word(def).to_owned()),
                None,
                None,
            )),
        }
    }
    for (name, &new_id) in &new_by_name {
        if !old_by_name.contains_key(name) {
            out.push(change(
                Compatibility::Compatible,
                ChangeKind::TypeAdded,
                name,
                None,
                None,
                Some(kind_word(new.types.get(new_id)).to_owned()),
                None,
            ));
        }
    }
    out
}

fn by_name(space: &TypeSpace) -> BTreeMap<String, TypeId> {
    space.iter().map(|(id, d)| (d.name.clone(), id)).collect()
}

/// Finds renamed types, renames them in `old`, and answers new name → old name.
fn find_renames(old: &mut TypeSpace, new: &TypeSpace) -> BTreeMap<String, String> {
    let mut renames = BTreeMap::new();
    let new_names: BTreeSet<String> = new.iter().map(|(_, d)| d.name.clone()).collect();
    loop {
        let old_names: BTreeSet<String> = old.iter().map(|(_, d)| d.name.clone()).collect();
        let mut gone: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
        for (id, def) in old.iter() {
            if !new_names.contains(&def.name) {
                gone.entry(shape(old, id)).or_default().push(id);
            }
        }
        let mut fresh: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
        for (id, def) in new.iter() {
            if !old_names.contains(&def.name) {
                fresh.entry(shape(new, id)).or_default().push(id);
            }
        }
        let found: Vec<(TypeId, String)> = gone
            .iter()
            .filter_map(|(sig, olds)| match (olds.as_slice(), fresh.get(sig)) {
                ([one_old], Some(news)) if news.len() == 1 => {
                    Some((*one_old, new.get(news[0]).name.clone()))
                }
                _ => None,
            })
            .collect();
        if found.is_empty() {
            return renames;
        }
        for (id, name) in found {
            let def = old.get_mut(id);
            renames.insert(name.clone(), std::mem::replace(&mut def.name, name));
        }
    }
}

/// A type's shape without its own name: what a rename keeps.
fn shape(space: &TypeSpace, id: TypeId) -> String {
    let def = space.get(id);
    match &def.kind {
        TypeKind::Struct(s) => {
            let fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| format!("{}: {} {:?}", f.wire, field_type(space, id, f), f.presence))
                .collect();
            let extra = s
                .additional
                .as_ref()
                .map(|t| render_type(space, t, &LOCAL))
                .unwrap_or_default();
            format!(
                "struct {} {{{}}} [{extra}]",
                def.usage.request,
                fields.join(", ")
            )
        }
        TypeKind::Enum(e) => {
            let values: Vec<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();
            format!("enum {{{}}}", values.join(", "))
        }
        TypeKind::Union(u) => {
            let variants: Vec<String> = u
                .variants
                .iter()
                .map(|v| format!("{}{}", v.name, variant_payload(space, id, &v.payload)))
                .collect();
            format!("union {:?} {{{}}}", u.tag, variants.join(", "))
        }
        TypeKind::Alias(t) => format!("alias {}", render_type(space, t, &LOCAL)),
    }
}

/// A field's Rust type, as the struct holds it.
fn field_type(space: &TypeSpace, owner: TypeId, f: &Field) -> String {
    render_field(space, f, contains_directly(space, &f.ty, owner), &LOCAL)
}

/// The value a field holds, without `Option` or `Nullable`.
fn field_value(space: &TypeSpace, owner: TypeId, f: &Field) -> String {
    render_value(
        space,
        f.ty.non_null(),
        contains_directly(space, &f.ty, owner),
        &LOCAL,
    )
}

/// What a union variant holds, as Rust text.
fn variant_payload(space: &TypeSpace, owner: TypeId, payload: &VariantPayload) -> String {
    match payload {
        VariantPayload::Type(t) => format!(
            "({})",
            render_value(space, t, contains_directly(space, t, owner), &LOCAL)
        ),
        VariantPayload::Constant(value) => format!(" = {value}"),
        VariantPayload::Tagged { tag_value, ty } => format!(
            "({}) when {tag_value:?}",
            render_value(space, ty, contains_directly(space, ty, owner), &LOCAL)
        ),
    }
}

fn kind_word(def: &TypeDef) -> &'static str {
    match def.kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "type alias",
    }
}

/// Whether a field must be given or is always present.
fn required(p: &Presence) -> bool {
    !matches!(p, Presence::Optional | Presence::TriState)
}

fn change(
    compatibility: Compatibility,
    kind: ChangeKind,
    item: &str,
    member: Option<&str>,
    before: Option<String>,
    after: Option<String>,
    note: Option<&str>,
) -> Change {
    Change {
        compatibility,
        kind,
        item: item.to_owned(),
        member: member.map(str::to_owned),
        before,
        after,
        note: note.map(str::to_owned),
    }
}

/// The same model in both versions.
struct Pair<'a> {
    old: &'a TypeSpace,
    new: &'a TypeSpace,
    old_id: TypeId,
    new_id: TypeId,
}

impl Pair<'_> {
    fn compare(&self, out: &mut Vec<Change>) {
        let (old, new) = (self.old.get(self.old_id), self.new.get(self.new_id));
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => self.structs(a, b, out),
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                let known: BTreeSet<&str> = a.values.iter().map(|v| v.wire.as_str()).collect();
                let now: BTreeSet<&str> = b.values.iter().map(|v| v.wire.as_str()).collect();
                for v in a.values.iter().filter(|v| !now.contains(v.wire.as_str())) {
                    out.push(self.member(
                        Compatibility::Breaking,
                        ChangeKind::ValueRemoved,
                        &v.name,
                        Some(format!("{:?}", v.wire)),
                        None,
                        None,
                    ));
                }
                for v in b.values.iter().filter(|v| !known.contains(v.wire.as_str())) {
                    out.push(self.member(
                        Compatibility::Compatible,
                        ChangeKind::ValueAdded,
                        &v.name,
                        None,
                        Some(format!("{:?}", v.wire)),
                        None,
                    ));
                }
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => self.unions(a, b, out),
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                let (before, after) = (
                    render_type(self.old, a, &LOCAL),
                    render_type(self.new, b, &LOCAL),
                );
                if before != after {
                    out.push(self.whole(ChangeKind::TypeReshaped, before, after, None));
                }
            }
            _ => out.push(self.whole(
                ChangeKind::TypeReshaped,
                kind_word(old).to_owned(),
                kind_word(new).to_owned(),
                None,
            )),
        }
    }

    fn name(&self) -> &str {
        &self.new.get(self.new_id).name
    }

    fn whole(&self, kind: ChangeKind, before: String, after: String, note: Option<&str>) -> Change {
        change(
            Compatibility::Breaking,
            kind,
            self.name(),
            None,
            Some(before),
            Some(after),
            note,
        )
    }

    fn member(
        &self,
        compatibility: Compatibility,
        kind: ChangeKind,
        member: &str,
        before: Option<String>,
        after: Option<String>,
        note: Option<&str>,
    ) -> Change {
        change(
            compatibility,
            kind,
            self.name(),
            Some(crate::naming::unraw(member)),
            before,
            after,
            note,
        )
    }

    fn structs(&self, a: &Struct, b: &Struct, out: &mut Vec<Change>) {
        let (old_def, new_def) = (self.old.get(self.old_id), self.new.get(self.new_id));
        let (built_before, built_now) = (old_def.usage.request, new_def.usage.request);
        if built_before && !built_now {
            out.push(self.whole(
                ChangeKind::TypeReshaped,
                "built with new() and setters".into(),
                "answers only".into(),
                Some("`new` and the setters are gone"),
            ));
        }
        let now: BTreeMap<&str, &Field> = b.fields.iter().map(|f| (f.wire.as_str(), f)).collect();
        let before: BTreeMap<&str, &Field> =
            a.fields.iter().map(|f| (f.wire.as_str(), f)).collect();
        for f in &a.fields {
            match now.get(f.wire.as_str()) {
                None => out.push(self.member(
                    Compatibility::Breaking,
                    ChangeKind::FieldRemoved,
                    &f.name,
                    Some(field_type(self.old, self.old_id, f)),
                    None,
                    None,
                )),
                Some(g) => self.field(f, g, built_before, built_now, out),
            }
        }
        let lost_default = a.all_optional() && !b.all_optional();
        for f in b
            .fields
            .iter()
            .filter(|f| !before.contains_key(f.wire.as_str()))
        {
            let (compatibility, note) = if built_now && f.presence.is_constructor_arg() {
                (
                    Compatibility::Breaking,
                    Some("a required field: `new` takes one more argument"),
                )
            } else if lost_default && required(&f.presence) {
                (
                    Compatibility::Breaking,
                    Some("a required field: the type no longer implements `Default`"),
                )
            } else {
                (Compatibility::Compatible, None)
            };
            out.push(self.member(
                compatibility,
                ChangeKind::FieldAdded,
                &f.name,
                None,
                Some(field_type(self.new, self.new_id, f)),
                note,
            ));
        }
        match (&a.additional, &b.additional) {
            (Some(_), None) => out.push(self.member(
                Compatibility::Breaking,
                ChangeKind::FieldRemoved,
                "additional_properties",
                None,
                None,
                None,
            )),
            (None, Some(_)) => out.push(self.member(
                Compatibility::Compatible,
                ChangeKind::FieldAdded,
                "additional_properties",
                None,
                None,
                None,
            )),
            (Some(x), Some(y)) => {
                let (x, y) = (
                    render_type(self.old, x, &LOCAL),
                    render_type(self.new, y, &LOCAL),
                );
                if x != y {
                    out.push(self.member(
                        Compatibility::Breaking,
                        ChangeKind::FieldRetyped,
                        "additional_properties",
                        Some(x),
                        Some(y),
                        None,
                    ));
                }
            }
            (None, None) => {}
        }
    }

    fn field(
        &self,
        f: &Field,
        g: &Field,
        built_before: bool,
        built_now: bool,
        out: &mut Vec<Change>,
    ) {
        let before = field_type(self.old, self.old_id, f);
        let after = field_type(self.new, self.new_id, g);
        // When the type stops (or starts) being built by callers, that change
        // is reported once for the type, not again for each field.
        let built = built_before && built_now;
        let arg_before = built && f.presence.is_constructor_arg();
        let arg_now = built && g.presence.is_constructor_arg();
        let value_changed =
            field_value(self.old, self.old_id, f) != field_value(self.new, self.new_id, g);
        let kind = if value_changed {
            ChangeKind::FieldRetyped
        } else if before == after && arg_before == arg_now && (!built || f.setter == g.setter) {
            return;
        } else if required(&f.presence) != required(&g.presence) || arg_before != arg_now {
            if required(&g.presence) || arg_now {
                ChangeKind::FieldMadeRequired
            } else {
                ChangeKind::FieldMadeOptional
            }
        } else {
            ChangeKind::FieldRetyped
        };
        let note = match (arg_before, arg_now) {
            (false, true) => Some("`new` takes it as an argument"),
            (true, false) => Some("`new` no longer takes it; it has a setter"),
            _ => None,
        };
        out.push(self.member(
            Compatibility::Breaking,
            kind,
            &g.name,
            Some(before),
            Some(after),
            note,
        ));
    }

    fn unions(&self, a: &Union, b: &Union, out: &mut Vec<Change>) {
        if a.tag != b.tag {
            out.push(self.whole(
                ChangeKind::TypeReshaped,
                format!("union tagged by {:?}", a.tag),
                format!("union tagged by {:?}", b.tag),
                None,
            ));
            return;
        }
        let payloads = |space: &TypeSpace, id: TypeId, u: &Union| -> BTreeMap<String, String> {
            u.variants
                .iter()
                .map(|v| (v.name.clone(), variant_payload(space, id, &v.payload)))
                .collect()
        };
        let before = payloads(self.old, self.old_id, a);
        let now = payloads(self.new, self.new_id, b);
        for (name, payload) in &before {
            match now.get(name) {
                None => out.push(self.member(
                    Compatibility::Breaking,
                    ChangeKind::VariantRemoved,
                    name,
                    Some(format!("{name}{payload}")),
                    None,
                    None,
                )),
                Some(p) if p != payload => out.push(self.member(
                    Compatibility::Breaking,
                    ChangeKind::VariantRetyped,
                    name,
                    Some(format!("{name}{payload}")),
                    Some(format!("{name}{p}")),
                    None,
                )),
                Some(_) => {}
            }
        }
        for (name, payload) in now.iter().filter(|(n, _)| !before.contains_key(*n)) {
            out.push(self.member(
                Compatibility::Compatible,
                ChangeKind::VariantAdded,
                name,
                None,
                Some(format!("{name}{payload}")),
                None,
            ));
        }
    }
}

/// An operation's signature as Rust text: argument types and answer.
fn signature(api: &Api, op: &Operation) -> String {
    // The parameters travel in one struct, whose fields are compared as a type.
    let mut args: Vec<String> = op
        .params_type
        .iter()
        .map(|id| render_type(&api.types, &crate::ir::TypeRef::Named(*id), &LOCAL))
        .collect();
    if let Some(body) = &op.body {
        args.push(render_body(&api.types, body, &LOCAL));
    }
    format!(
        "({}) -> {}",
        args.join(", "),
        render_returns(&api.types, &op.returns, &LOCAL)
    )
}

fn compare_operations(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let index = |api: &Api| -> BTreeMap<String, usize> {
        api.operations
            .iter()
            .enumerate()
            .map(|(i, o)| (o.func_name.clone(), i))
            .collect()
    };
    let (before, now) = (index(old), index(new));
    for (func, &i) in &before {
        let op = &old.operations[i];
        match now.get(func) {
            None => out.push(change(
                Compatibility::Breaking,
                ChangeKind::OperationRemoved,
                &op.sdk_name,
                None,
                Some(signature(old, op)),
                None,
                None,
            )),
            Some(&j) => {
                let (x, y) = (signature(old, op), signature(new, &new.operations[j]));
                if x != y {
                    out.push(change(
                        Compatibility::Breaking,
                        ChangeKind::OperationSignatureChanged,
                        &new.operations[j].sdk_name,
                        None,
                        Some(x),
                        Some(y),
                        None,
                    ));
                }
            }
        }
    }
    for (func, &j) in &now {
        if !before.contains_key(func) {
            let op = &new.operations[j];
            out.push(change(
                Compatibility::Compatible,
                ChangeKind::OperationAdded,
                &op.sdk_name,
                None,
                None,
                Some(signature(new, op)),
                None,
            ));
        }
    }
}
