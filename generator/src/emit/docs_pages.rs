//! What the Markdown docs say, computed from the IR for the text templates:
//! one page per namespace (`docs/sdks/<name>/README.md`, in the layout of the
//! TypeScript SDK's docs), one page per model (`docs/models/<name>.md`), and
//! the operation-specific parts of the crate README.
//!
//! Only data is built here; the wording and layout live in `templates/`.

use serde::Serialize;

use super::examples::{Examples, Parts};
use super::rust::{
    features_of, render_body, render_field, render_returns, render_type, Named, TypeStyle,
};
use crate::diagnostics::Diagnostic;
use crate::ir::{
    Api, Operation, ParamLocation, Presence, TypeDef, TypeKind, TypeRef, TypeSpace, VariantPayload,
};

/// One namespace page (or the page of the operations on the client itself).
#[derive(Debug, Serialize)]
pub struct SdkPage {
    /// Directory under `docs/sdks/`.
    pub dir: String,
    /// Heading, e.g. `Customers`.
    pub title: String,
    /// The tag's description.
    pub description: Option<String>,
    /// `customers()`, or `None` for operations on the client.
    pub accessor: Option<String>,
    /// The Rust type of the namespace, e.g. `Customers`.
    pub type_name: Option<String>,
    /// The cargo feature, for tagged operations.
    pub feature: Option<String>,
    /// The operations, in document order.
    pub operations: Vec<OpDoc>,
}

/// One operation on its namespace page.
#[derive(Debug, Serialize)]
pub struct OpDoc {
    /// `operationId`.
    pub id: String,
    /// The method, e.g. `get_or_create`.
    pub method: String,
    /// The standalone function, e.g. `customers_get_or_create`.
    pub function: String,
    /// `POST`.
    pub http_method: String,
    /// `/v1/customers.get_or_create`.
    pub path: String,
    /// Summary line.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// First line of the summary or description, for lists.
    pub headline: String,
    /// Marked deprecated.
    pub deprecated: bool,
    /// The example program with the grouped method.
    pub usage: String,
    /// The example program with the standalone function.
    pub standalone: String,
    /// Where the example's values come from (`spec`, `placeholder`, `decoded`, `none`).
    pub example_source: &'static str,
    /// Arguments after the client.
    pub params: Vec<ParamRow>,
    /// The answer type, as Markdown with links.
    pub response: String,
    /// The answer type as plain Rust, e.g. `Customer`.
    pub response_rust: String,
    /// Fail-open: the fallback answer, as JSON.
    pub fail_open: Option<String>,
    /// Cursor pagination: the item type, as Markdown.
    pub page_item: Option<String>,
    /// Cursor pagination: the answer's field holding the next cursor.
    pub page_cursor: Option<String>,
    /// The request's media type, when it has a body.
    pub media_type: Option<String>,
}

/// One row of a parameters table.
#[derive(Debug, Serialize)]
pub struct ParamRow {
    /// Argument name.
    pub name: String,
    /// Type, as Markdown.
    pub ty: String,
    /// Whether it must be given (an `Option` argument is not).
    pub required: bool,
    /// What it is.
    pub description: String,
}

/// One model page.
#[derive(Debug, Serialize)]
pub struct ModelPage {
    /// The Rust name.
    pub name: String,
    /// The file stem under `docs/models/`.
    pub stem: String,
    /// `struct`, `enum`, `union` or `alias`.
    pub kind: &'static str,
    /// The spec's description.
    pub description: Option<String>,
    /// Features the model needs, when it is not always compiled.
    pub features: Vec<String>,
    /// Whether callers build it (`new` and setters).
    pub builder: bool,
    /// Required fields, for the sentence about `new`.
    pub constructor: Vec<String>,
    /// The first optional field's setter, for the sentence about setters.
    pub setter: Option<String>,
    /// Whether some optional field is tri-state (`Nullable`, with a `clear_*` setter).
    pub has_clear: bool,
    /// Struct fields.
    pub fields: Vec<FieldRow>,
    /// Extra properties' value type, for structs with `additionalProperties`.
    pub additional: Option<String>,
    /// Enum values.
    pub values: Vec<ValueRow>,
    /// Union variants.
    pub variants: Vec<VariantRow>,
    /// The tag property of a tagged union.
    pub union_tag: Option<String>,
    /// What an alias stands for, as Markdown.
    pub alias_of: Option<String>,
    /// Operations that take or return it: (label, link).
    pub used_by: Vec<UseRow>,
}

/// A struct field row.
#[derive(Debug, Serialize)]
pub struct FieldRow {
    /// Rust name.
    pub name: String,
    /// JSON name.
    pub wire: String,
    /// Rust type as declared, as Markdown.
    pub ty: String,
    /// Whether the property must be present.
    pub required: bool,
    /// Description (one line).
    pub description: String,
    /// Marked deprecated.
    pub deprecated: bool,
}

/// An enum value row.
#[derive(Debug, Serialize)]
pub struct ValueRow {
    /// Variant name.
    pub name: String,
    /// Value on the wire.
    pub wire: String,
}

/// A union variant row.
#[derive(Debug, Serialize)]
pub struct VariantRow {
    /// Variant name.
    pub name: String,
    /// What it holds, as Markdown (or the constant).
    pub holds: String,
    /// The tag value, for tagged unions.
    pub tag_value: Option<String>,
}

/// An operation that uses a model.
#[derive(Debug, Serialize)]
pub struct UseRow {
    /// `customers().get_or_create()`.
    pub label: String,
    /// Link relative to the models directory.
    pub link: String,
}

/// The operation-specific parts of the README.
#[derive(Debug, Serialize)]
pub struct ReadmeOp {
    /// Namespace accessor, e.g. `customers`, or `None` on the client.
    pub accessor: Option<String>,
    /// Method.
    pub method: String,
    /// Standalone function.
    pub function: String,
    /// The feature it needs, if any.
    pub feature: Option<String>,
    /// Pieces of the example call.
    pub parts: Parts,
}

/// Everything the templates need about the docs.
#[derive(Debug, Serialize)]
pub struct DocsData {
    /// Namespace pages, tags first, then the client's own operations.
    pub pages: Vec<SdkPage>,
    /// Model pages, by name.
    pub models: Vec<ModelPage>,
    /// The operation the README's examples call.
    pub first: Option<ReadmeOp>,
    /// An operation that fails open, for the README's fail-open section.
    pub fail_open: Option<ReadmeOp>,
    /// An operation that pages, for the README's pagination section.
    pub paged: Option<ReadmeOp>,
    /// The operation the background tracker sends through, for the README.
    pub tracker: Option<ReadmeOp>,
    /// Every operation that fails open, for the README's table.
    pub fail_open_ops: Vec<FailOpenRow>,
    /// The `cfg` predicate under which the README's examples compile (`None`: always).
    pub readme_cfg: Option<String>,
    /// Example counts: from the spec, from placeholders, decoded from JSON.
    pub example_counts: (usize, usize, usize),
}

/// One operation that fails open, as the README's table shows it.
#[derive(Debug, Serialize)]
pub struct FailOpenRow {
    /// How it is called, e.g. `plans().list(..)`.
    pub call: String,
    /// The fallback answer, as JSON.
    pub fallback: String,
    /// The default timeout of each attempt, e.g. `5 s`, if it has one.
    pub timeout: Option<String>,
}

/// Computes the docs' data.
pub fn docs_data(api: &Api, ex: &Examples<'_>) -> Result<DocsData, Diagnostic> {
    let client = &api.info.client;
    let mut pages = Vec::new();
    for ns in &api.info.tags {
        let ops: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|o| o.tag.as_deref() == Some(&ns.tag))
            .collect();
        pages.push(SdkPage {
            dir: ns.module.clone(),
            title: ns.type_name.clone(),
            description: ns.docs.clone(),
            accessor: Some(unraw(&ns.accessor)),
            type_name: Some(ns.type_name.clone()),
            feature: Some(ns.feature.clone()),
            operations: ops
                .into_iter()
                .map(|o| op_doc(api, ex, o))
                .collect::<Result<_, _>>()?,
        });
    }
    let untagged: Vec<&Operation> = api.operations.iter().filter(|o| o.tag.is_none()).collect();
    if !untagged.is_empty() {
        pages.push(SdkPage {
            dir: client.docs_dir.clone(),
            title: client.type_name.clone(),
            description: None,
            accessor: None,
            type_name: None,
            feature: None,
            operations: untagged
                .into_iter()
                .map(|o| op_doc(api, ex, o))
                .collect::<Result<_, _>>()?,
        });
    }
    let mut models: Vec<ModelPage> = api
        .types
        .iter()
        .filter(|(_, d)| !d.name.is_empty())
        .map(|(id, d)| model_page(api, id, d))
        .collect();
    models.sort_by(|a, b| a.name.cmp(&b.name));

    // The README calls an operation on the client when there is one (as the
    // other SDKs do with `check`), else the first operation.
    let first = api
        .operations
        .iter()
        .find(|o| o.tag.is_none() && !o.returns.is_nothing())
        .or_else(|| api.operations.iter().find(|o| !o.returns.is_nothing()))
        .or_else(|| api.operations.first());
    let fail_open = first
        .filter(|o| o.fail_open.is_some())
        .or_else(|| api.operations.iter().find(|o| o.fail_open.is_some()));
    let paged = api.operations.iter().find(|o| o.pagination.is_some());
    let tracker = api.operations.iter().find(|o| o.tracker.is_some());
    let mut readme_features: Vec<String> = [first, fail_open, paged, tracker]
        .into_iter()
        .flatten()
        .filter_map(|o| api.namespace_of(o).map(|n| n.feature.clone()))
        .collect();
    // The README's webhook handler verifies signatures.
    readme_features.extend(api.webhooks.as_ref().map(|w| w.feature.clone()));
    readme_features.sort();
    readme_features.dedup();
    let cfgs: Vec<String> = readme_features
        .iter()
        .map(|f| format!("feature = {f:?}"))
        .collect();
    let readme_cfg = match cfgs.len() {
        0 => None,
        1 => Some(cfgs[0].clone()),
        _ => Some(format!("all({})", cfgs.join(", "))),
    };
    let readme_op = |op: Option<&Operation>| -> Result<Option<ReadmeOp>, Diagnostic> {
        op.map(|o| {
            let ns = api.namespace_of(o);
            Ok(ReadmeOp {
                accessor: ns.map(|n| unraw(&n.accessor)),
                method: unraw(&o.method_name),
                function: o.func_name.clone(),
                feature: ns.map(|n| n.feature.clone()),
                parts: ex.snippets(o).parts.clone(),
            })
        })
        .transpose()
    };
    Ok(DocsData {
        pages,
        models,
        first: readme_op(first)?,
        fail_open: readme_op(fail_open)?,
        paged: readme_op(paged)?,
        tracker: readme_op(tracker)?,
        fail_open_ops: api
            .operations
            .iter()
            .filter_map(|o| {
                let f = o.fail_open.as_ref()?;
                let method = unraw(&o.method_name);
                let call = match api.namespace_of(o) {
                    Some(ns) => format!("{}().{method}(..)", unraw(&ns.accessor)),
                    None => format!("{method}(..)"),
                };
                Some(FailOpenRow {
                    call,
                    fallback: f.fallback.clone(),
                    timeout: f.timeout_ms.map(|ms| match ms % 1000 {
                        0 => format!("{} s", ms / 1000),
                        _ => format!("{ms} ms"),
                    }),
                })
            })
            .collect(),
        readme_cfg,
        example_counts: ex.counts(),
    })
}

fn unraw(name: &str) -> String {
    crate::naming::unraw(name).to_owned()
}

const MODELS_FROM_SDK_PAGE: &str = "../../models/";

fn op_doc(api: &Api, ex: &Examples<'_>, op: &Operation) -> Result<OpDoc, Diagnostic> {
    let space = &api.types;
    let mut params: Vec<ParamRow> = Vec::new();
    if let Some(id) = op.params_type {
        let places: Vec<&str> = [
            (ParamLocation::Path, "path"),
            (ParamLocation::Query, "query"),
            (ParamLocation::Header, "header"),
            (ParamLocation::Cookie, "cookie"),
        ]
        .into_iter()
        .filter(|(l, _)| op.params.iter().any(|p| p.location == *l))
        .map(|(_, w)| w)
        .collect();
        params.push(ParamRow {
            name: "params".to_owned(),
            ty: md(render_type(
                space,
                &TypeRef::Named(id),
                &linked(MODELS_FROM_SDK_PAGE),
            )),
            required: true,
            description: format!("The {} parameters, one field each.", {
                let (last, rest) = places.split_last().unwrap_or((&"", &[]));
                if rest.is_empty() {
                    (*last).to_owned()
                } else {
                    format!("{} and {last}", rest.join(", "))
                }
            }),
        });
    }
    if let Some(body) = &op.body {
        params.push(ParamRow {
            name: if op.params_type.is_some() {
                "body"
            } else {
                "params"
            }
            .to_owned(),
            ty: md(render_body(space, body, &linked(MODELS_FROM_SDK_PAGE))),
            // Taken by value even when the API lets it out (see `render_body`).
            required: true,
            description: if body.required {
                format!("The request body, sent as `{}`.", body.media_type)
            } else {
                format!(
                    "The request body, sent as `{}`. The API does not require one: an empty one asks for the server's defaults.",
                    body.media_type
                )
            },
        });
    }
    let response = md(render_returns(
        space,
        &op.returns,
        &linked(MODELS_FROM_SDK_PAGE),
    ));
    let response_rust = render_returns(space, &op.returns, &PLAIN);
    let headline = op
        .summary
        .as_deref()
        .or(op.description.as_deref())
        .map(|s| one_line(s.split("\n\n").next().unwrap_or(s)))
        .unwrap_or_else(|| format!("`{} {}`", op.http_method, op.path));
    Ok(OpDoc {
        id: op.id.clone(),
        method: unraw(&op.method_name),
        function: op.func_name.clone(),
        http_method: op.http_method.clone(),
        path: op.path.clone(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        headline,
        deprecated: op.deprecated,
        usage: ex.snippets(op).method_program.clone(),
        standalone: ex.snippets(op).function_program.clone(),
        example_source: match ex.source(op) {
            super::examples::Source::None => "none",
            super::examples::Source::Spec => "spec",
            super::examples::Source::Placeholder => "placeholder",
            super::examples::Source::Decoded => "decoded",
        },
        params,
        response,
        response_rust,
        fail_open: op.fail_open.as_ref().map(|f| f.fallback.clone()),
        page_item: op
            .pagination
            .as_ref()
            .map(|p| md_type(space, &p.item, MODELS_FROM_SDK_PAGE)),
        page_cursor: op
            .pagination
            .as_ref()
            .and_then(|p| match &space.get(p.page_type).kind {
                TypeKind::Struct(s) => s.fields.get(p.cursor_field).map(|f| f.wire.clone()),
                _ => None,
            }),
        media_type: op.body.as_ref().map(|b| b.media_type.clone()),
    })
}

fn model_page(api: &Api, id: crate::ir::TypeId, def: &TypeDef) -> ModelPage {
    let space = &api.types;
    let mut page = ModelPage {
        name: def.name.clone(),
        stem: def.module.clone(),
        kind: "alias",
        description: def.docs.clone(),
        features: features_of(api, &def.tags),
        builder: false,
        constructor: Vec::new(),
        setter: None,
        has_clear: false,
        fields: Vec::new(),
        additional: None,
        values: Vec::new(),
        variants: Vec::new(),
        union_tag: None,
        alias_of: None,
        used_by: used_by(api, id),
    };
    match &def.kind {
        TypeKind::Struct(s) => {
            page.kind = "struct";
            page.builder = def.usage.request;
            page.constructor = s
                .fields
                .iter()
                .filter(|f| f.presence.is_constructor_arg())
                .map(|f| unraw(&f.name))
                .collect();
            page.setter = s.fields.iter().find_map(|f| f.setter.as_deref().map(unraw));
            page.fields = s
                .fields
                .iter()
                .map(|f| {
                    let ty = md(render_field(space, f, false, &linked("")));
                    let mut description = f.docs.as_deref().map(one_line).unwrap_or_default();
                    if let Some(d) = &f.default {
                        if !description.is_empty() {
                            description.push(' ');
                        }
                        description.push_str(&format!("Default: `{d}`."));
                    }
                    FieldRow {
                        name: f.name.clone(),
                        wire: f.wire.clone(),
                        ty,
                        required: f.required,
                        description,
                        deprecated: f.deprecated,
                    }
                })
                .collect();
            page.has_clear =
                page.builder && s.fields.iter().any(|f| f.presence == Presence::TriState);
            page.additional = s.additional.as_ref().map(|t| md_type(space, t, ""));
        }
        TypeKind::Enum(e) => {
            page.kind = "enum";
            page.values = e
                .values
                .iter()
                .map(|v| ValueRow {
                    name: v.name.clone(),
                    wire: v.wire.clone(),
                })
                .collect();
        }
        TypeKind::Union(u) => {
            page.kind = "union";
            page.union_tag = u.tag.clone();
            page.variants = u
                .variants
                .iter()
                .map(|v| match &v.payload {
                    VariantPayload::Constant(c) => VariantRow {
                        name: v.name.clone(),
                        holds: format!("exactly `{c}`"),
                        tag_value: None,
                    },
                    VariantPayload::Type(t) => VariantRow {
                        name: v.name.clone(),
                        holds: md_type(space, t, ""),
                        tag_value: None,
                    },
                    VariantPayload::Tagged { tag_value, ty } => VariantRow {
                        name: v.name.clone(),
                        holds: md_type(space, ty, ""),
                        tag_value: Some(tag_value.clone()),
                    },
                })
                .collect();
        }
        TypeKind::Alias(t) => {
            page.alias_of = Some(md_type(space, t, ""));
        }
    }
    page
}

/// Operations whose body, parameters or answer name the type directly.
fn used_by(api: &Api, id: crate::ir::TypeId) -> Vec<UseRow> {
    let mut rows = Vec::new();
    for op in &api.operations {
        let mut named = Vec::new();
        if let Some(b) = &op.body {
            super::rust::named_in(&b.ty, &mut named);
        }
        for p in &op.params {
            super::rust::named_in(&p.ty, &mut named);
        }
        named.extend(op.params_type);
        for r in &op.success {
            if let Some(t) = &r.ty {
                super::rust::named_in(t, &mut named);
            }
        }
        if !named.contains(&id) {
            continue;
        }
        let method = unraw(&op.method_name);
        let (label, dir) = match api.namespace_of(op) {
            Some(ns) => (
                format!("{}().{method}()", unraw(&ns.accessor)),
                ns.module.clone(),
            ),
            None => (format!("{method}()"), api.info.client.docs_dir.clone()),
        };
        rows.push(UseRow {
            label,
            link: format!("../sdks/{dir}/README.md#{method}"),
        });
    }
    rows
}

/// Plain Rust in docs: models by name, std items by short name.
const PLAIN: TypeStyle<'static> = TypeStyle {
    named: Named::Name,
    code: false,
};

/// Rust in docs with each model linked to its page (`prefix` + module + `.md`).
fn linked(prefix: &str) -> TypeStyle<'_> {
    TypeStyle {
        named: Named::Link(prefix),
        code: false,
    }
}

/// A rendered type as Markdown: one code span when it links to no model,
/// else text with its angle brackets escaped around the links.
fn md(text: String) -> String {
    if text.contains("](") {
        text.replace('<', "&lt;").replace('>', "&gt;")
    } else {
        format!("`{text}`")
    }
}

/// A type as Markdown: named types link to their page (`prefix` + module), the rest is code.
pub fn md_type(space: &TypeSpace, t: &TypeRef, prefix: &str) -> String {
    md(render_type(space, t, &linked(prefix)))
}

/// Text for one table cell: one line, pipes escaped.
pub fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}
