//! Stage 2: OpenAPI (3.0, and 3.1 as normalised by `load`) → IR.
//!
//! The only stage that knows OpenAPI. Schemas become entries in the type
//! table (`schema`), paths become operations (`operations`), `webhooks` one
//! event enum (`webhooks`), and the usage of each type (request, response,
//! tags) is worked out last (`usage`).

mod alias_cycles;
mod direction;
mod facts;
mod multipart;
mod operations;
mod pagination;
mod presence;
mod schema;
mod tracker;
mod usage;
mod webhooks;

#[cfg(test)]
mod tests;

pub(crate) use schema::singular;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Api, ApiInfo, GlobalHeader, Namespace};
use crate::load::Loaded;

/// The IR and the remarks made while building it.
#[derive(Debug)]
pub struct Lowered {
    /// The API.
    pub api: Api,
    /// Problems that did not stop lowering.
    pub warnings: Vec<Diagnostic>,
}

/// Lowers a loaded document. Fails with every error found, never half-way.
pub fn lower(loaded: &Loaded) -> Result<Lowered, Diagnostics> {
    let doc = &loaded.api;
    let globals = globals(&loaded.value);
    let mut schemas = schema::SchemaLowerer::new(doc, &loaded.value);
    // Components first, in document order, so their names are claimed by their own keys.
    if let Some(components) = &doc.components {
        for name in components.schemas.keys() {
            let target = format!(
                "#/components/schemas/{}",
                crate::diagnostics::escape_segment(name)
            );
            schemas.lower_ref(&target, &target[1..]);
        }
    }
    let mut operations = operations::lower_operations(doc, &loaded.value, &globals, &mut schemas);
    let webhooks = webhooks::lower_webhooks(doc, &loaded.value, &globals, &mut schemas);
    if !schemas.errors.is_empty() {
        return Err(Diagnostics(schemas.errors));
    }
    let mut types = schemas.space;
    let cycle_warnings = alias_cycles::break_cycles(&mut types);
    direction::split(&mut types, &mut operations);
    usage::mark(&mut types, &operations);
    presence::assign(&mut types);
    pagination::detect(&types, &mut operations);
    let tracker_errors = tracker::detect(&types, &mut operations);
    if !tracker_errors.is_empty() {
        return Err(Diagnostics(tracker_errors));
    }
    let info = info(doc, &loaded.value, &operations);
    let mut warnings = loaded.warnings.clone();
    warnings.extend(schemas.warnings);
    warnings.extend(cycle_warnings);
    Ok(Lowered {
        api: Api {
            info,
            types,
            operations,
            globals,
            webhooks,
        },
        warnings,
    })
}

fn info(doc: &openapiv3::OpenAPI, raw: &Value, operations: &[crate::ir::Operation]) -> ApiInfo {
    let mut tags: Vec<Namespace> = doc
        .tags
        .iter()
        .map(|t| Namespace {
            tag: t.name.clone(),
            docs: t.description.clone(),
            ..Namespace::default()
        })
        .collect();
    for op in operations {
        if let Some(tag) = &op.tag {
            if !tags.iter().any(|n| &n.tag == tag) {
                tags.push(Namespace {
                    tag: tag.clone(),
                    ..Namespace::default()
                });
            }
        }
    }
    tags.retain(|n| operations.iter().any(|o| o.tag.as_deref() == Some(&n.tag)));
    let bearer_auth = doc.components.as_ref().is_some_and(|c| {
        c.security_schemes.values().any(|s| {
            matches!(s, openapiv3::ReferenceOr::Item(openapiv3::SecurityScheme::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("bearer"))
        })
    });
    ApiInfo {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        server_url: doc
            .servers
            .first()
            .map(|s| s.url.trim_end_matches('/').to_owned()),
        bearer_auth,
        license: license(raw),
        homepage: text_at(raw, "/info/contact/url"),
        docs_url: text_at(raw, "/externalDocs/url"),
        tags,
        client: Default::default(),
    }
}

/// The non-empty string at `pointer`, trimmed.
fn text_at(raw: &Value, pointer: &str) -> Option<String> {
    let text = raw.pointer(pointer)?.as_str()?.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// `info.license` as an SPDX expression, when the document gives one: the
/// 3.1 `identifier`, else a `name` that is one SPDX-like word. A name such
/// as "Proprietary license" is not guessed at.
fn license(raw: &Value) -> Option<String> {
    if let Some(id) = text_at(raw, "/info/license/identifier") {
        return Some(id);
    }
    let name = text_at(raw, "/info/license/name")?;
    let spdx_like = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+'));
    spdx_like.then_some(name)
}

/// Headers from the root `x-speakeasy-globals` extension.
fn globals(doc: &Value) -> Vec<GlobalHeader> {
    let Some(params) = doc
        .pointer("/x-speakeasy-globals/parameters")
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    params
        .iter()
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("header"))
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?.to_owned();
            let schema = p.get("schema");
            let default = schema.and_then(|s| s.get("default")).map(|d| match d {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            Some(GlobalHeader {
                name,
                default,
                hidden: p.get("x-speakeasy-globals-hidden") == Some(&Value::Bool(true)),
                docs: p
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                boolean: schema.and_then(|s| s.get("type"))
                    == Some(&Value::String("boolean".into())),
                setter: None,
                env_var: String::new(),
            })
        })
        .collect()
}
