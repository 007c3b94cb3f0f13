//! Paths → IR operations: parameters, bodies, success responses, globals.

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{
    Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response, StatusCode,
};
use serde_json::Value;

use super::schema::{Node, SchemaLowerer};
use crate::diagnostics::{escape_segment, Diagnostic};
use crate::ir::{
    Body, BodyEncoding, FailOpen, Field, GlobalHeader, NameHint, Operation, Param, ParamLocation,
    ReturnShape, Returns, Struct, SuccessResponse, TypeId, TypeKind, TypeRef,
};

/// Lowers every operation under `paths`, in document order.
pub fn lower_operations(
    api: &openapiv3::OpenAPI,
    doc: &Value,
    globals: &[GlobalHeader],
    schemas: &mut SchemaLowerer<'_>,
) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in api.paths.paths.iter() {
        let item_ptr = format!("/paths/{}", escape_segment(path));
        let item = match item {
            ReferenceOr::Item(item) => item.clone(),
            ReferenceOr::Reference { reference } => match resolve_as::<PathItem>(doc, reference) {
                Some(item) => item,
                None => {
                    schemas.errors.push(Diagnostic::new(
                        &item_ptr,
                        format!("cannot resolve path item `{reference}`"),
                    ));
                    continue;
                }
            },
        };
        for (method, op) in item.iter() {
            let ptr = format!("{item_ptr}/{method}");
            let ctx = OpContext {
                api,
                doc,
                globals,
                path,
                method,
                ptr: &ptr,
            };
            out.push(lower_operation(&ctx, &item, op, schemas));
        }
    }
    out
}

/// Where an operation (or a webhook) sits, for lowering its parts.
pub(super) struct OpContext<'c> {
    pub(super) api: &'c openapiv3::OpenAPI,
    pub(super) doc: &'c Value,
    pub(super) globals: &'c [GlobalHeader],
    pub(super) path: &'c str,
    pub(super) method: &'c str,
    pub(super) ptr: &'c str,
}

fn lower_operation(
    ctx: &OpContext<'_>,
    item: &PathItem,
    op: &openapiv3::Operation,
    schemas: &mut SchemaLowerer<'_>,
) -> Operation {
    let id = op
        .operation_id
        .clone()
        .unwrap_or_else(|| format!("{}_{}", ctx.method, ctx.path).to_snake_case());
    let method_name = op
        .extensions
        .get("x-speakeasy-name-override")
        .and_then(Value::as_str)
        .unwrap_or(&id)
        .to_snake_case();
    let type_base = id.to_upper_camel_case();
    let params = lower_params(ctx, item, op, &type_base, schemas);
    let params_type = params_struct(&params, &type_base, ctx.ptr, schemas);
    let body = op
        .request_body
        .as_ref()
        .and_then(|b| lower_body(ctx, b, &type_base, "Request", schemas));
    let success = lower_success(ctx, op, &type_base, schemas);
    let extensions = op
        .extensions
        .iter()
        .filter(|(k, _)| k.starts_with("x-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let fail_open = fail_open(op, ctx.ptr, schemas);
    let returns = returns(&success, fail_open.is_some());
    // JSON is the runtime's default `Accept`; say so when the answer is something else.
    let accept = success.iter().find_map(|r| {
        r.media_type
            .clone()
            .filter(|_| r.encoding != BodyEncoding::Json)
    });
    Operation {
        id,
        tag: op.tags.first().cloned(),
        method_name,
        func_name: String::new(),
        sdk_name: String::new(),
        http_method: ctx.method.to_ascii_uppercase(),
        path: ctx.path.to_owned(),
        summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
        description: op.description.clone().filter(|s| !s.trim().is_empty()),
        deprecated: op.deprecated,
        params,
        params_type,
        body,
        success,
        returns,
        accept,
        fail_open,
        pagination: None,
        tracker: None,
        extensions,
        pointer: ctx.ptr.to_owned(),
    }
}

/// What a call returns: one shape when every successful answer has the same
/// one, untyped JSON when they differ; wrapped in `FailOpen` when the
/// operation fails open and its answer is typed.
fn returns(success: &[SuccessResponse], fails_open: bool) -> Returns {
    let shape = match success.first() {
        None => ReturnShape::Empty,
        Some(first)
            if !success
                .iter()
                .all(|r| r.ty == first.ty && r.encoding == first.encoding) =>
        {
            ReturnShape::Mixed
        }
        Some(first) => match (&first.ty, first.encoding) {
            (None, _) => ReturnShape::Empty,
            (Some(_), BodyEncoding::Bytes) => ReturnShape::Bytes,
            (Some(_), BodyEncoding::Text) => ReturnShape::Text,
            (Some(t), _) => ReturnShape::Json(t.clone()),
        },
    };
    Returns {
        fail_open: fails_open && shape != ReturnShape::Mixed,
        shape,
    }
}

/// A word for a success status, for naming its answer type.
fn status_word(status: &str) -> String {
    match status {
        "200" => "Ok".into(),
        "201" => "Created".into(),
        "202" => "Accepted".into(),
        "203" => "NonAuthoritative".into(),
        "204" => "NoContent".into(),
        "206" => "PartialContent".into(),
        "207" => "MultiStatus".into(),
        "2XX" => "Success".into(),
        other => format!("Status{other}"),
    }
}

/// Reads `x-fail-open: {fallback: {...}, timeout_ms: 5000}`.
fn fail_open(
    op: &openapiv3::Operation,
    ptr: &str,
    schemas: &mut SchemaLowerer<'_>,
) -> Option<FailOpen> {
    let ext = op.extensions.get("x-fail-open")?;
    let at = format!("{ptr}/x-fail-open");
    let Some(fallback) = ext.get("fallback") else {
        schemas.errors.push(Diagnostic::new(
            at,
            "`x-fail-open` needs a `fallback` answer",
        ));
        return None;
    };
    let timeout_ms = match ext.get("timeout_ms") {
        None => None,
        Some(v) => match v.as_u64() {
            Some(ms) => Some(ms),
            None => {
                schemas.errors.push(Diagnostic::new(
                    format!("{at}/timeout_ms"),
                    "must be a whole number of milliseconds",
                ));
                None
            }
        },
    };
    Some(FailOpen {
        fallback: fallback.to_string(),
        timeout_ms,
    })
}

/// The struct that holds an operation's parameters, one field per parameter:
/// callers build it with `new(required..)` and setters, like a body.
fn params_struct(
    params: &[Param],
    type_base: &str,
    ptr: &str,
    schemas: &mut SchemaLowerer<'_>,
) -> Option<TypeId> {
    if params.is_empty() {
        return None;
    }
    let id = schemas.space.reserve(
        NameHint::Operation {
            operation: type_base.to_owned(),
            role: "Params".into(),
        },
        ptr.to_owned(),
    );
    let fields = params
        .iter()
        .map(|p| Field {
            wire: p.wire.clone(),
            name: String::new(),
            // Absent and `null` are one thing in a path, query, header or cookie.
            ty: p.ty.non_null().clone(),
            required: p.required,
            presence: Default::default(),
            setter: None,
            clearer: None,
            docs: Some(p.docs.clone().unwrap_or_else(|| {
                let place = match p.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                    ParamLocation::Cookie => "cookie",
                };
                format!("The `{}` {place} parameter.", p.wire)
            })),
            default: None,
            constant: None,
            deprecated: false,
            read_only: false,
            write_only: false,
        })
        .collect();
    schemas.space.get_mut(id).kind = TypeKind::Struct(Struct {
        fields,
        additional: None,
        multipart: false,
    });
    Some(id)
}

/// Path-level parameters, overridden by operation-level ones of the same name and place.
fn lower_params(
    ctx: &OpContext<'_>,
    item: &PathItem,
    op: &openapiv3::Operation,
    type_base: &str,
    schemas: &mut SchemaLowerer<'_>,
) -> Vec<Param> {
    let mut resolved: Vec<(Parameter, String)> = Vec::new();
    let sources = item
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                p,
                format!(
                    "{}/parameters/{i}",
                    ctx.ptr.rsplit_once('/').map_or(ctx.ptr, |(a, _)| a)
                ),
            )
        })
        .chain(
            op.parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (p, format!("{}/parameters/{i}", ctx.ptr))),
        );
    for (p, ptr) in sources {
        let param = match p {
            ReferenceOr::Item(p) => p.clone(),
            ReferenceOr::Reference { reference } => match resolve_parameter(ctx, reference) {
                Some(p) => p,
                None => {
                    schemas.errors.push(Diagnostic::new(
                        &ptr,
                        format!("cannot resolve parameter `{reference}`"),
                    ));
                    continue;
                }
            },
        };
        let key = (param.parameter_data_ref().name.clone(), location(&param));
        resolved.retain(|(q, _)| (q.parameter_data_ref().name.clone(), location(q)) != key);
        resolved.push((param, ptr));
    }
    let mut out = Vec::new();
    for (param, ptr) in resolved {
        let loc = location(&param);
        let data = param.parameter_data_ref();
        let hidden = data.extensions.get("x-speakeasy-globals-hidden") == Some(&Value::Bool(true))
            || ctx
                .globals
                .iter()
                .any(|g| g.name.eq_ignore_ascii_case(&data.name) && loc == ParamLocation::Header);
        if hidden {
            continue;
        }
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(s) => schemas.lower(
                Node::of(s),
                NameHint::Operation {
                    operation: type_base.to_owned(),
                    role: data.name.to_upper_camel_case(),
                },
                &format!("{ptr}/schema"),
            ),
            ParameterSchemaOrContent::Content(_) => TypeRef::Any,
        };
        out.push(Param {
            wire: data.name.clone(),
            location: loc,
            ty,
            required: data.required || loc == ParamLocation::Path,
            docs: data.description.clone().filter(|d| !d.trim().is_empty()),
        });
    }
    out
}

fn location(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn resolve_parameter(ctx: &OpContext<'_>, reference: &str) -> Option<Parameter> {
    if let Some(name) = reference.strip_prefix("#/components/parameters/") {
        if let Some(ReferenceOr::Item(p)) = ctx
            .api
            .components
            .as_ref()
            .and_then(|c| c.parameters.get(name))
        {
            return Some(p.clone());
        }
    }
    resolve_as::<Parameter>(ctx.doc, reference)
}

/// Deserializes the value a local `$ref` points at, following one more `$ref` hop at most 16 times.
pub(super) fn resolve_as<T: serde::de::DeserializeOwned>(
    doc: &Value,
    reference: &str,
) -> Option<T> {
    let mut target = reference.to_owned();
    for _ in 0..16 {
        let value = crate::load::resolve(doc, target.strip_prefix('#')?)?;
        match value.get("$ref").and_then(Value::as_str) {
            Some(next) => target = next.to_owned(),
            None => return serde_json::from_value(value.clone()).ok(),
        }
    }
    None
}

/// Picks the media type the SDK will send or read, JSON first.
fn pick_media<V>(content: &indexmap::IndexMap<String, V>) -> Option<(&str, &V, BodyEncoding)> {
    let ranked = content.iter().map(|(k, v)| {
        let lower = k.to_ascii_lowercase();
        let enc =
            if lower.starts_with("application/json") || lower.contains("+json") || lower == "*/*" {
                (0, BodyEncoding::Json)
            } else if lower.starts_with("application/x-www-form-urlencoded") {
                (1, BodyEncoding::Form)
            } else if lower.starts_with("multipart/form-data") {
                (2, BodyEncoding::Multipart)
            } else if lower.starts_with("text/") {
                (4, BodyEncoding::Text)
            } else {
                (3, BodyEncoding::Bytes)
            };
        (enc.0, k.as_str(), v, enc.1)
    });
    ranked
        .min_by_key(|(rank, ..)| *rank)
        .map(|(_, k, v, e)| (k, v, e))
}

/// The body an operation receives; an inline schema is named `{type_base}{role}`.
pub(super) fn lower_body(
    ctx: &OpContext<'_>,
    body: &ReferenceOr<RequestBody>,
    type_base: &str,
    role: &str,
    schemas: &mut SchemaLowerer<'_>,
) -> Option<Body> {
    let ptr = format!("{}/requestBody", ctx.ptr);
    let body = match body {
        ReferenceOr::Item(b) => b.clone(),
        ReferenceOr::Reference { reference } => match resolve_as::<RequestBody>(ctx.doc, reference)
        {
            Some(b) => b,
            None => {
                schemas.errors.push(Diagnostic::new(
                    &ptr,
                    format!("cannot resolve request body `{reference}`"),
                ));
                return None;
            }
        },
    };
    let (media, mt, mut encoding) = pick_media(&body.content)?;
    let mut parts = Vec::new();
    let ty = match (&mt.schema, encoding) {
        (Some(s), BodyEncoding::Multipart) => {
            let ty = schemas.lower(
                Node::of(s),
                NameHint::Operation {
                    operation: type_base.to_owned(),
                    role: role.into(),
                },
                &format!("{ptr}/content/{}/schema", escape_segment(media)),
            );
            match super::multipart::lower_parts(ctx.doc, s, &ty, mt, schemas) {
                Some(found) => {
                    parts = found;
                    ty
                }
                // Not an object of fields: the caller encodes the body.
                None => {
                    encoding = BodyEncoding::Bytes;
                    TypeRef::Bytes
                }
            }
        }
        (None, BodyEncoding::Multipart) => {
            encoding = BodyEncoding::Bytes;
            TypeRef::Bytes
        }
        (_, BodyEncoding::Bytes) => TypeRef::Bytes,
        (_, BodyEncoding::Text) => TypeRef::String,
        (Some(s), _) => schemas.lower(
            Node::of(s),
            NameHint::Operation {
                operation: type_base.to_owned(),
                role: role.into(),
            },
            &format!("{ptr}/content/{}/schema", escape_segment(media)),
        ),
        (None, _) => TypeRef::Any,
    };
    let example = mt
        .example
        .clone()
        .or_else(|| {
            mt.examples.values().find_map(|e| match e {
                ReferenceOr::Item(e) => e.value.clone(),
                ReferenceOr::Reference { .. } => None,
            })
        })
        .or_else(|| {
            let s = mt.schema.as_ref()?;
            schemas.example_of(Node::of(s), &ptr)
        });
    Some(Body {
        ty,
        encoding,
        media_type: media.to_owned(),
        required: body.required,
        parts,
        example,
    })
}

fn lower_success(
    ctx: &OpContext<'_>,
    op: &openapiv3::Operation,
    type_base: &str,
    schemas: &mut SchemaLowerer<'_>,
) -> Vec<SuccessResponse> {
    let mut out: Vec<SuccessResponse> = Vec::new();
    for (code, resp) in &op.responses.responses {
        let status = match code {
            StatusCode::Code(c) if (200..300).contains(c) => c.to_string(),
            StatusCode::Range(2) => "2XX".to_owned(),
            _ => continue,
        };
        // The first success answer is the `...Response`; others are named by their status.
        let role = if out.is_empty() {
            "Response".to_owned()
        } else {
            format!("{}Response", status_word(&status))
        };
        let ptr = format!("{}/responses/{status}", ctx.ptr);
        let resp = match resp {
            ReferenceOr::Item(r) => r.clone(),
            ReferenceOr::Reference { reference } => {
                match resolve_as::<Response>(ctx.doc, reference) {
                    Some(r) => r,
                    None => {
                        schemas.errors.push(Diagnostic::new(
                            &ptr,
                            format!("cannot resolve response `{reference}`"),
                        ));
                        continue;
                    }
                }
            }
        };
        let docs = Some(resp.description.clone()).filter(|d| !d.trim().is_empty());
        let media_type = pick_media(&resp.content).map(|(m, ..)| m.to_owned());
        let (ty, encoding) = match pick_media(&resp.content) {
            None => (None, BodyEncoding::Json),
            Some((_, _, BodyEncoding::Bytes | BodyEncoding::Multipart)) => {
                (Some(TypeRef::Bytes), BodyEncoding::Bytes)
            }
            Some((_, _, BodyEncoding::Text)) => (Some(TypeRef::String), BodyEncoding::Text),
            Some((media, mt, enc)) => {
                let ty = match &mt.schema {
                    Some(s) => schemas.lower(
                        Node::of(s),
                        NameHint::Operation {
                            operation: type_base.to_owned(),
                            role: role.clone(),
                        },
                        &format!("{ptr}/content/{}/schema", escape_segment(media)),
                    ),
                    None => TypeRef::Any,
                };
                (Some(ty), enc)
            }
        };
        out.push(SuccessResponse {
            status,
            ty,
            encoding,
            media_type,
            docs,
        });
    }
    out
}
