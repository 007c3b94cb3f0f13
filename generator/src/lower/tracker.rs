//! The background tracker: an operation that takes usage events in batches
//! says so with `x-rust-sdk-tracker`, and the SDK gets a `Tracker` that
//! queues events and sends them through it.
//!
//! The rule is explicit, never a guess from names:
//!
//! ```yaml
//! x-rust-sdk-tracker:
//!   timestamp: timestamp            # stamped with the time an event is taken (Unix ms)
//!   idempotency_key: idempotency_key # optional: filled in when unset, so a resend is not counted twice
//!   max_batch: 1000                 # most events in one call
//!   retry_statuses: [503]           # answers that mean nothing was taken
//! ```
//!
//! The operation's body must be a list of objects (the events); `timestamp`
//! must name an optional integer property of them, `idempotency_key` an
//! optional string one. At most one operation may carry the extension.

use crate::diagnostics::Diagnostic;
use crate::ir::{Operation, Presence, Tracker, TypeId, TypeKind, TypeRef, TypeSpace};

/// The extension's key.
pub const EXTENSION: &str = "x-rust-sdk-tracker";

/// Fills in `tracker` for the operation that declares one; problems are
/// returned as diagnostics at the extension's pointer.
pub fn detect(space: &TypeSpace, operations: &mut [Operation]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut seen: Option<String> = None;
    for op in operations.iter_mut() {
        let Some(ext) = op.extensions.get(EXTENSION) else {
            continue;
        };
        let at = format!("{}/{EXTENSION}", op.pointer);
        if let Some(first) = &seen {
            errors.push(Diagnostic::new(
                at,
                format!("only one operation may declare `{EXTENSION}`; `{first}` already does"),
            ));
            continue;
        }
        seen = Some(op.id.clone());
        match read(space, op, ext) {
            Ok(tracker) => op.tracker = Some(tracker),
            Err((part, message)) => {
                let at = if part.is_empty() {
                    at
                } else {
                    format!("{at}/{part}")
                };
                errors.push(Diagnostic::new(at, message));
            }
        }
    }
    errors
}

fn read(
    space: &TypeSpace,
    op: &Operation,
    ext: &serde_json::Value,
) -> Result<Tracker, (&'static str, String)> {
    let ext = ext
        .as_object()
        .ok_or(("", "must be a mapping".to_owned()))?;
    for key in ext.keys() {
        if ![
            "timestamp",
            "idempotency_key",
            "max_batch",
            "retry_statuses",
        ]
        .contains(&key.as_str())
        {
            return Err(("", format!("unknown key `{key}`")));
        }
    }
    if !op.params.is_empty() {
        return Err((
            "",
            "the operation must have no parameters besides its body".to_owned(),
        ));
    }
    let event = event_type(space, op).ok_or((
        "",
        "the operation's body must be a JSON list of objects (the events)".to_owned(),
    ))?;
    let TypeKind::Struct(s) = &space.get(event).kind else {
        return Err(("", "the events must be objects".to_owned()));
    };
    let field = |key: &'static str, want: fn(&TypeRef) -> bool, what: &str| {
        let Some(name) = ext.get(key) else {
            return Ok(None);
        };
        let name = name
            .as_str()
            .ok_or((key, "must be a property name".to_owned()))?;
        let index = s
            .fields
            .iter()
            .position(|f| f.wire == name)
            .ok_or((key, format!("the events have no property `{name}`")))?;
        let f = &s.fields[index];
        if f.presence != Presence::Optional || !want(f.ty.non_null()) {
            return Err((key, format!("`{name}` must be an optional {what} property")));
        }
        Ok(Some(index))
    };
    let timestamp_field = field("timestamp", |t| matches!(t, TypeRef::Integer(_)), "integer")?
        .ok_or((
            "",
            "needs `timestamp`, the property stamped with the time an event is taken".to_owned(),
        ))?;
    let idempotency_field = field("idempotency_key", |t| *t == TypeRef::String, "string")?;
    let max_batch = match ext.get("max_batch") {
        None => {
            return Err((
                "",
                "needs `max_batch`, the most events in one call".to_owned(),
            ))
        }
        Some(v) => v.as_u64().filter(|n| (1..=1_000_000).contains(n)).ok_or((
            "max_batch",
            "must be a whole number from 1 to 1000000".to_owned(),
        ))?,
    };
    let retry_statuses = match ext.get("retry_statuses") {
        None => Vec::new(),
        Some(v) => v
            .as_array()
            .and_then(|list| {
                list.iter()
                    .map(|s| {
                        s.as_u64()
                            .filter(|s| (400..=599).contains(s))
                            .map(|s| s as u16)
                    })
                    .collect::<Option<Vec<u16>>>()
            })
            .ok_or((
                "retry_statuses",
                "must be a list of error statuses (400 to 599)".to_owned(),
            ))?,
    };
    Ok(Tracker {
        event,
        timestamp_field,
        idempotency_field,
        max_batch,
        retry_statuses,
    })
}

/// The named object type of the body's list items, through aliases.
fn event_type(space: &TypeSpace, op: &Operation) -> Option<TypeId> {
    let mut ty = &op.body.as_ref()?.ty;
    for _ in 0..32 {
        match ty {
            TypeRef::Named(id) => match &space.get(*id).kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => return None,
            },
            TypeRef::List(item) => {
                return match item.as_ref() {
                    TypeRef::Named(id) => Some(*id),
                    _ => None,
                }
            }
            _ => return None,
        }
    }
    None
}
