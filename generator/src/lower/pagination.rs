//! Recognises cursor-paged list operations from their shapes.
//!
//! A list operation pages when its request has an optional cursor property
//! (`start_cursor`, `cursor`, `page_token`, `starting_after` or `after`) and its
//! answer is an object with exactly one list property and a next-cursor
//! property (`next_cursor`, `next_page_token` or `next`). Anything else is left
//! as an ordinary call.

use crate::ir::{Operation, Pagination, TypeKind, TypeRef, TypeSpace};

const REQUEST_CURSORS: &[&str] = &[
    "start_cursor",
    "cursor",
    "page_token",
    "starting_after",
    "after",
];
const NEXT_CURSORS: &[&str] = &["next_cursor", "next_page_token", "next"];

/// Fills in `pagination` for every operation that pages.
pub fn detect(space: &TypeSpace, operations: &mut [Operation]) {
    for op in operations {
        op.pagination = detect_one(space, op);
    }
}

fn detect_one(space: &TypeSpace, op: &Operation) -> Option<Pagination> {
    let request_field = request_cursor(space, op)?;
    let answer = op.success.iter().find_map(|r| r.ty.as_ref())?;
    if op.success.iter().any(|r| r.ty.as_ref() != Some(answer)) {
        return None;
    }
    let TypeRef::Named(page_type) = answer else {
        return None;
    };
    let TypeKind::Struct(s) = &space.get(*page_type).kind else {
        return None;
    };
    let cursor = s.fields.iter().position(|f| {
        NEXT_CURSORS.contains(&f.wire.as_str()) && *f.ty.non_null() == TypeRef::String
    })?;
    let mut lists = s
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.required && matches!(f.ty, TypeRef::List(_)));
    let (items, items_field) = lists.next()?;
    if lists.next().is_some() {
        return None;
    }
    let TypeRef::List(item) = &items_field.ty else {
        return None;
    };
    Some(Pagination {
        request_field,
        page_type: *page_type,
        cursor_field: cursor,
        items_field: items,
        item: (**item).clone(),
    })
}

/// The cursor property of the request: in the JSON body, or a query parameter.
fn request_cursor(space: &TypeSpace, op: &Operation) -> Option<String> {
    if let Some(body) = &op.body {
        if let TypeRef::Named(id) = body.ty.non_null() {
            if let TypeKind::Struct(s) = &space.get(*id).kind {
                return s
                    .fields
                    .iter()
                    .find(|f| !f.required && REQUEST_CURSORS.contains(&f.wire.as_str()))
                    .map(|f| f.wire.clone());
            }
        }
        return None;
    }
    op.params
        .iter()
        .find(|p| !p.required && REQUEST_CURSORS.contains(&p.wire.as_str()))
        .map(|p| p.wire.clone())
}
