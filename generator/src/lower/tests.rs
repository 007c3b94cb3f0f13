//! Table-driven tests of lowering: small OpenAPI fragments, put in a minimal
//! document and run through the real loader and [`super::lower`], against a
//! compact description of the IR they become.
//!
//! The description reads only the fields it names, never whole IR structs or
//! their `Debug` text, so fields added to the IR later leave these rows alone.
//!
//! How the description reads:
//! - types: `string`, `i32`/`i64`/`u32`/`u64`, `number`, `bool`, `any`,
//!   `bytes`, `[T]` (list), `map<T>`, `T|null` (nullable), and named types by
//!   their name hint: a component's key (`Pet`), `Parent.part` for an inline
//!   schema inside another type, `Operation/Role` for an inline body or parameter
//!   (`Operation/Params` is the struct of an operation's parameters), `T+Input`
//!   for the request form of `T`;
//! - one line per named type, in creation order: `Name = kind`, where kind is
//!   `alias T`, `enum a|b`, `struct {a: T, b?: T = default const c deprecated readOnly writeOnly, ..: T}`
//!   (`?` marks an optional property, `..` the type of additional properties),
//!   `union(hint: T, hint: const v)` or, tagged, `union[tag](value => T)`;
//! - `warning <pointer>` and `error <pointer>` lines for diagnostics.

use crate::ir::{
    Api, BodyEncoding, Field, IntKind, NameHint, Operation, ParamLocation, Presence, TypeId,
    TypeKind, TypeRef, TypeSpace, VariantPayload,
};

// ---------------------------------------------------------------- describe

/// A type as a field, item or parameter sees it.
#[allow(unreachable_patterns)] // IR enums may grow; show a new variant rather than fail to build.
fn ty(space: &TypeSpace, t: &TypeRef) -> String {
    match t {
        TypeRef::Named(id) => type_name(space, *id),
        TypeRef::String => "string".into(),
        TypeRef::Integer(k) => match k {
            IntKind::I32 => "i32".into(),
            IntKind::I64 => "i64".into(),
            IntKind::U32 => "u32".into(),
            IntKind::U64 => "u64".into(),
            other => format!("{other:?}"),
        },
        TypeRef::Number => "number".into(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::Any => "any".into(),
        TypeRef::Bytes => "bytes".into(),
        TypeRef::File => "file".into(),
        TypeRef::List(item) => format!("[{}]", ty(space, item)),
        TypeRef::Map(value) => format!("map<{}>", ty(space, value)),
        TypeRef::Nullable(inner) => format!("{}|null", ty(space, inner)),
        other => format!("{other:?}"),
    }
}

/// A named type by its name hint (`naming` has not run).
#[allow(unreachable_patterns)]
fn type_name(space: &TypeSpace, id: TypeId) -> String {
    match &space.get(id).hint {
        NameHint::Component(key) => key.clone(),
        NameHint::Context { parent, part } => format!("{}.{part}", type_name(space, *parent)),
        NameHint::Operation { operation, role } => format!("{operation}/{role}"),
        NameHint::Input { of } => format!("{}+Input", type_name(space, *of)),
        other => format!("{other:?}"),
    }
}

fn field(space: &TypeSpace, f: &Field) -> String {
    let mut out = format!(
        "{}{}: {}",
        f.wire,
        if f.required { "" } else { "?" },
        ty(space, &f.ty)
    );
    if let Some(d) = &f.default {
        out += &format!(" = {d}");
    }
    if let Some(c) = &f.constant {
        out += &format!(" const {c}");
    }
    if f.deprecated {
        out += " deprecated";
    }
    if f.read_only {
        out += " readOnly";
    }
    if f.write_only {
        out += " writeOnly";
    }
    out
}

/// What a named type is.
#[allow(unreachable_patterns)]
fn kind(space: &TypeSpace, id: TypeId) -> String {
    match &space.get(id).kind {
        TypeKind::Struct(s) => {
            let mut parts: Vec<String> = s.fields.iter().map(|f| field(space, f)).collect();
            if let Some(extra) = &s.additional {
                parts.push(format!("..: {}", ty(space, extra)));
            }
            format!("struct {{{}}}", parts.join(", "))
        }
        TypeKind::Enum(e) => {
            let values: Vec<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();
            format!("enum {}", values.join("|"))
        }
        TypeKind::Union(u) => {
            let variants: Vec<String> = u
                .variants
                .iter()
                .map(|v| match &v.payload {
                    VariantPayload::Type(t) => format!("{}: {}", v.hint, ty(space, t)),
                    VariantPayload::Constant(c) => format!("{}: const {c}", v.hint),
                    VariantPayload::Tagged { tag_value, ty: t } if *tag_value == v.hint => {
                        format!("{tag_value} => {}", ty(space, t))
                    }
                    VariantPayload::Tagged { tag_value, ty: t } => {
                        format!("{tag_value} => {} ({})", ty(space, t), v.hint)
                    }
                    other => format!("{other:?}"),
                })
                .collect();
            match &u.tag {
                Some(tag) => format!("union[{tag}]({})", variants.join(", ")),
                None => format!("union({})", variants.join(", ")),
            }
        }
        TypeKind::Alias(t) => format!("alias {}", ty(space, t)),
        other => format!("{other:?}"),
    }
}

/// One line per named type, in creation order.
fn types(space: &TypeSpace) -> Vec<String> {
    space
        .iter()
        .map(|(id, _)| format!("{} = {}", type_name(space, id), kind(space, id)))
        .collect()
}

#[allow(unreachable_patterns)]
fn params(space: &TypeSpace, op: &Operation) -> Vec<String> {
    op.params
        .iter()
        .map(|p| {
            let place = match p.location {
                ParamLocation::Path => "path".to_owned(),
                ParamLocation::Query => "query".to_owned(),
                ParamLocation::Header => "header".to_owned(),
                ParamLocation::Cookie => "cookie".to_owned(),
                other => format!("{other:?}"),
            };
            let opt = if p.required { "" } else { "?" };
            format!("param {place} {}{opt}: {}", p.wire, ty(space, &p.ty))
        })
        .collect()
}

#[allow(unreachable_patterns)]
fn encoding(e: BodyEncoding) -> String {
    match e {
        BodyEncoding::Json => "json".into(),
        BodyEncoding::Form => "form".into(),
        BodyEncoding::Bytes => "bytes".into(),
        BodyEncoding::Text => "text".into(),
        other => format!("{other:?}"),
    }
}

fn body(space: &TypeSpace, op: &Operation) -> Vec<String> {
    op.body
        .iter()
        .map(|b| {
            let mut line = format!(
                "body {} {}{}: {}",
                encoding(b.encoding),
                b.media_type,
                if b.required { " required" } else { "" },
                ty(space, &b.ty)
            );
            if let Some(example) = &b.example {
                line += &format!(" example {example}");
            }
            for part in &b.parts {
                line += &format!("\npart {} {:?}", part.wire, part.kind);
                if let Some(ct) = &part.content_type {
                    line += &format!(" {ct}");
                }
            }
            line
        })
        .collect()
}

fn responses(space: &TypeSpace, op: &Operation) -> Vec<String> {
    if op.success.is_empty() {
        return vec!["no success response".into()];
    }
    op.success
        .iter()
        .map(|r| match (&r.ty, &r.media_type) {
            (Some(t), Some(media)) => format!(
                "{} {} {media}: {}",
                r.status,
                encoding(r.encoding),
                ty(space, t)
            ),
            (Some(t), None) => format!("{} {}: {}", r.status, encoding(r.encoding), ty(space, t)),
            (None, _) => format!("{} empty", r.status),
        })
        .collect()
}

fn pagination(space: &TypeSpace, op: &Operation) -> Vec<String> {
    op.pagination
        .iter()
        .map(|p| {
            let TypeKind::Struct(s) = &space.get(p.page_type).kind else {
                return format!("pages by {} → not a struct", p.request_field);
            };
            let cursor = &s.fields[p.cursor_field];
            let optional = cursor.presence != Presence::Required;
            format!(
                "pages by {} → {}.{}{} with {}: [{}]",
                p.request_field,
                type_name(space, p.page_type),
                cursor.wire,
                if optional { "?" } else { "" },
                s.fields[p.items_field].wire,
                ty(space, &p.item)
            )
        })
        .collect()
}

/// Everything about one operation, line by line.
fn operation(space: &TypeSpace, op: &Operation) -> Vec<String> {
    let mut out = vec![format!(
        "{} {} id={} fn={} tag={}",
        op.http_method,
        op.path,
        op.id,
        op.method_name,
        op.tag.as_deref().unwrap_or("-")
    )];
    out.extend(params(space, op));
    out.extend(body(space, op));
    out.extend(responses(space, op));
    out.extend(pagination(space, op));
    out
}

/// Loads and lowers `text`; the lowered API and its warning lines, or the error lines.
fn run(text: &str) -> Result<(Api, Vec<String>), Vec<String>> {
    let lines = |diags: Vec<crate::Diagnostic>, word: &str| -> Vec<String> {
        diags
            .into_iter()
            .map(|d| format!("{word} {}", d.pointer))
            .collect()
    };
    let loaded = crate::load::load_str(text).map_err(|e| lines(e.0, "load error"))?;
    let lowered = super::lower(&loaded).map_err(|e| lines(e.0, "error"))?;
    Ok((lowered.api, lines(lowered.warnings, "warning")))
}

/// The description of a lowered document: `part` of its first operation (if
/// any), its types, its warnings; or its errors.
fn describe_with(text: &str, part: fn(&TypeSpace, &Operation) -> Vec<String>) -> String {
    let out = match run(text) {
        Ok((api, warnings)) => {
            let mut out = Vec::new();
            for op in &api.operations {
                out.extend(part(&api.types, op));
            }
            out.extend(types(&api.types));
            out.extend(warnings);
            out
        }
        Err(errors) => errors,
    };
    out.join("\n")
}

// ---------------------------------------------------------------- documents

const HEAD_31: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n";
const HEAD_30: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

/// `text` without its common indentation and blank edges, indented by `by`.
fn block(text: &str, by: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let cut = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let pad = " ".repeat(by);
    lines
        .iter()
        .skip_while(|l| l.trim().is_empty())
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("{pad}{}", &l[cut..])
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_owned()
}

/// A document whose `components/schemas` is `schemas`.
fn schema_doc(head: &str, schemas: &str) -> String {
    format!(
        "{head}paths: {{}}\ncomponents:\n  schemas:\n{}\n",
        block(schemas, 4)
    )
}

/// A document with one operation, `POST /t/{id}` (`operationId: op`), whose `key` is `fragment`.
fn operation_doc(key: &str, fragment: &str) -> String {
    let responses = if key == "responses" {
        String::new()
    } else {
        "      responses: {'200': {description: ok}}\n".to_owned()
    };
    format!(
        "{HEAD_31}paths:\n  /t/{{id}}:\n    post:\n      operationId: op\n      {key}:\n{}\n{responses}",
        block(fragment, 8)
    )
}

fn describe_schemas(schemas: &str) -> String {
    describe_with(&schema_doc(HEAD_31, schemas), |_, _| Vec::new())
}

fn describe_schemas_30(schemas: &str) -> String {
    describe_with(&schema_doc(HEAD_30, schemas), |_, _| Vec::new())
}

fn describe_params(fragment: &str) -> String {
    describe_with(&operation_doc("parameters", fragment), params)
}

fn describe_body(fragment: &str) -> String {
    describe_with(&operation_doc("requestBody", fragment), body)
}

fn describe_responses(fragment: &str) -> String {
    describe_with(&operation_doc("responses", fragment), responses)
}

fn describe_document(rest: &str) -> String {
    describe_with(&format!("{HEAD_31}{}\n", block(rest, 0)), operation)
}

// ---------------------------------------------------------------- tables

/// One row: a name, an OpenAPI fragment, and the description of its IR.
struct Row {
    name: &'static str,
    input: &'static str,
    expect: &'static str,
}

const fn row(name: &'static str, input: &'static str, expect: &'static str) -> Row {
    Row {
        name,
        input,
        expect,
    }
}

/// The expected text, one trimmed line per line.
fn expected(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks every row, reporting all that differ.
fn check(table: &[Row], describe: fn(&str) -> String) {
    let mut failures = Vec::new();
    for row in table {
        let got = describe(row.input);
        let want = expected(row.expect);
        if got != want {
            failures.push(format!(
                "row `{}`\n--- expected\n{want}\n--- got\n{got}\n",
                row.name
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows differ:\n\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

/// `components/schemas` of an OpenAPI 3.1 document → its types.
const SCHEMAS: &[Row] = &[
    // Primitives: a component that is not an object, enum or union is an alias.
    row("string", "T: {type: string}", "T = alias string"),
    row(
        "string formats are all text",
        "
        A: {type: string, format: date-time}
        B: {type: string, format: date}
        C: {type: string, format: uuid}
        D: {type: string, format: byte}
        E: {type: string, format: email}
        ",
        "
        A = alias string
        B = alias string
        C = alias string
        D = alias string
        E = alias string
        ",
    ),
    row(
        // JSON has no raw bytes: binary bodies are `bytes` by their media type
        // (see BODIES), and `format: binary` inside a schema stays text.
        "string binary",
        "T: {type: string, format: binary}",
        "T = alias string",
    ),
    row(
        "integer widths",
        "
        A: {type: integer}
        B: {type: integer, format: int32}
        C: {type: integer, format: int64}
        D: {type: integer, format: uint32}
        E: {type: integer, format: uint64}
        F: {type: integer, format: int8}
        ",
        "
        A = alias i64
        B = alias i32
        C = alias i64
        D = alias u32
        E = alias u64
        F = alias i64
        ",
    ),
    row(
        "numbers and booleans",
        "
        A: {type: number}
        B: {type: number, format: float}
        C: {type: number, format: double}
        D: {type: boolean}
        ",
        "
        A = alias number
        B = alias number
        C = alias number
        D = alias bool
        ",
    ),
    row(
        "schemas that admit anything",
        "
        A: {}
        B: {description: free-form}
        C: {not: {type: string}}
        D: {type: 'null'}
        ",
        "
        A = alias any
        B = alias any
        C = alias any
        D = alias any
        ",
    ),
    // Enumerations.
    row(
        "string enum",
        "T: {type: string, enum: [active, past_due, active]}",
        "T = enum active|past_due",
    ),
    row(
        "enum without a type",
        "T: {enum: [a, b]}",
        "T = enum a|b",
    ),
    row(
        "enum with null is a nullable enum",
        "
        T: {type: [string, 'null'], enum: [a, b, null]}
        H: {type: object, properties: {t: {$ref: '#/components/schemas/T'}}}
        ",
        "
        T = enum a|b
        H = struct {t?: T|null}
        ",
    ),
    row(
        "numeric and mixed enums keep their base type",
        "
        A: {type: integer, enum: [1, 2, 3]}
        B: {type: number, enum: [0.5, 1.5]}
        C: {enum: [a, 1]}
        ",
        "
        A = alias i64
        B = alias number
        C = alias any
        ",
    ),
    row(
        "const: a fixed field, a plain alias",
        "
        K: {const: card}
        H:
          type: object
          required: [kind, n, on]
          properties:
            kind: {const: card}
            n: {const: 3}
            on: {type: boolean, const: true}
            k: {$ref: '#/components/schemas/K'}
        ",
        r#"
        K = alias string
        H = struct {kind: string const "card", n: i64 const 3, on: bool const true, k?: K const "card"}
        "#,
    ),
    row(
        "single-value enum is an enum, not a constant",
        "
        H:
          type: object
          properties: {kind: {type: string, enum: [card]}}
        ",
        "
        H = struct {kind?: H.kind}
        H.kind = enum card
        ",
    ),
    // Nullability (3.1 spelling; the 3.0 `nullable` is in SCHEMAS_30).
    row(
        "type array with null",
        "
        A: {type: [string, 'null']}
        H: {type: object, properties: {a: {$ref: '#/components/schemas/A'}, b: {type: [integer, 'null']}}}
        ",
        "
        A = alias string
        H = struct {a?: A|null, b?: i64|null}
        ",
    ),
    row(
        "type array of several types is a union",
        "T: {type: [string, integer, 'null']}",
        "T = union(integer: i64, string: string)",
    ),
    row(
        "anyOf with a null branch",
        "
        A: {type: object, properties: {x: {type: string}}}
        B: {anyOf: [{$ref: '#/components/schemas/A'}, {type: 'null'}]}
        H:
          type: object
          properties:
            b: {$ref: '#/components/schemas/B'}
            c: {oneOf: [{type: string}, {type: 'null'}]}
        ",
        "
        A = struct {x?: string}
        B = alias A
        H = struct {b?: B|null, c?: string|null}
        ",
    ),
    row(
        "required, optional, nullable: the four states",
        "
        T:
          type: object
          required: [a, c, gone]
          properties:
            a: {type: string}
            b: {type: string}
            c: {type: [string, 'null']}
            d: {type: [string, 'null']}
        ",
        "T = struct {a: string, b?: string, c: string|null, d?: string|null}",
    ),
    // Defaults, docs-free facts of fields.
    row(
        "defaults and deprecation",
        "
        S: {type: string, enum: [x, y], default: x}
        T:
          type: object
          properties:
            n: {type: integer, default: 10}
            s: {$ref: '#/components/schemas/S'}
            r: {$ref: '#/components/schemas/S', default: y}
            o: {type: object, default: {a: 1}}
            old: {type: boolean, deprecated: true}
        ",
        r#"
        S = enum x|y
        T = struct {n?: i64 = 10, s?: S, r?: S = "y", o?: map<any> = {"a":1}, old?: bool deprecated}
        "#,
    ),
    // Objects and maps.
    row(
        "additionalProperties alone is a map",
        "
        A: {type: object}
        B: {type: object, additionalProperties: true}
        C: {type: object, additionalProperties: {type: integer}}
        D: {additionalProperties: {type: string}}
        E: {propertyNames: {pattern: '^x'}}
        ",
        "
        A = alias map<any>
        B = alias map<any>
        C = alias map<i64>
        D = alias map<string>
        E = alias map<any>
        ",
    ),
    row(
        // BUG: an object with no properties and `additionalProperties: false`
        // admits only `{}`; it should be an empty struct, not a map that takes
        // any keys.
        "additionalProperties false without properties",
        "T: {type: object, additionalProperties: false}",
        "T = alias map<any>",
    ),
    row(
        "properties with additionalProperties",
        "
        A: {type: object, properties: {x: {type: string}}, additionalProperties: {type: integer}}
        B: {type: object, properties: {x: {type: string}}, additionalProperties: true}
        C: {type: object, properties: {x: {type: string}}, additionalProperties: false}
        D: {properties: {x: {type: string}}, additionalProperties: {type: object, properties: {y: {type: string}}}}
        ",
        "
        A = struct {x?: string, ..: i64}
        B = struct {x?: string}
        C = struct {x?: string}
        D = struct {x?: string, ..: D.Extra_value}
        D.Extra_value = struct {y?: string}
        ",
    ),
    row(
        "maps of inline objects",
        "
        T:
          type: object
          properties:
            prices: {type: object, additionalProperties: {type: object, properties: {amount: {type: number}}}}
        ",
        "
        T = struct {prices?: map<T.prices_value>}
        T.prices_value = struct {amount?: number}
        ",
    ),
    // Arrays.
    row(
        "arrays",
        "
        A: {type: array, items: {type: string}}
        B: {type: array}
        C: {type: array, items: {type: array, items: {type: integer, format: int32}}}
        D: {items: {type: boolean}}
        E: {type: array, prefixItems: [{type: string}, {type: integer}]}
        ",
        "
        A = alias [string]
        B = alias [any]
        C = alias [[i32]]
        D = alias [bool]
        E = alias [any]
        ",
    ),
    row(
        "arrays of inline objects are named after the singular",
        "
        T:
          type: object
          properties:
            entities: {type: array, items: {type: object, properties: {id: {type: string}}}}
            status: {type: array, items: {type: string, enum: [a, b]}}
            grid: {type: array, items: {type: array, items: {type: object, properties: {v: {type: number}}}}}
        L: {type: array, items: {type: object, properties: {id: {type: integer}}}}
        ",
        "
        T = struct {entities?: [T.entity], status?: [T.status_item], grid?: [[T.grid_item_item]]}
        T.entity = struct {id?: string}
        T.status_item = enum a|b
        T.grid_item_item = struct {v?: number}
        L = alias [L._item]
        L._item = struct {id?: i64}
        ",
    ),
    row(
        "inline objects are named after their place; refs by their key",
        "
        Address: {type: object, properties: {city: {type: string}}}
        Customer:
          type: object
          properties:
            home: {$ref: '#/components/schemas/Address'}
            billing:
              type: object
              properties:
                line: {type: object, properties: {text: {type: string}}}
        ",
        "
        Address = struct {city?: string}
        Customer = struct {home?: Address, billing?: Customer.billing}
        Customer.billing = struct {line?: Customer.billing.line}
        Customer.billing.line = struct {text?: string}
        ",
    ),
    row(
        // BUG (minor): the schema at `/components/schemas/A/properties/x`
        // becomes two types, `A.x` while lowering `A` and `x` through the
        // `$ref`, so a value of one cannot be passed as the other. One schema
        // should be one type.
        "a `$ref` into another schema is a type named after its last segment",
        "
        A: {type: object, properties: {x: {type: object, properties: {y: {type: string}}}}}
        H: {type: object, properties: {b: {$ref: '#/components/schemas/A/properties/x'}}}
        ",
        "
        A = struct {x?: A.x}
        A.x = struct {y?: string}
        H = struct {b?: x}
        x = struct {y?: string}
        ",
    ),
    row(
        "identical inline shapes share one type",
        "
        T:
          type: object
          properties:
            a: {type: object, properties: {x: {type: string}}}
            b: {type: object, properties: {x: {type: string}}}
            c: {type: object, title: Other, properties: {x: {type: string}}}
            d: {type: object, properties: {x: {type: integer}}}
        ",
        "
        T = struct {a?: T.a, b?: T.a, c?: T.c, d?: T.d}
        T.a = struct {x?: string}
        T.c = struct {x?: string}
        T.d = struct {x?: i64}
        ",
    ),
    row(
        // Each operation sends its own constant.
        "inline shapes that differ only in a constant",
        "
        T:
          type: object
          properties:
            a: {type: object, required: [kind], properties: {kind: {const: a}}}
            b: {type: object, required: [kind], properties: {kind: {const: b}}}
        ",
        r#"
        T = struct {a?: T.a, b?: T.b}
        T.a = struct {kind: string const "a"}
        T.b = struct {kind: string const "b"}
        "#,
    ),
    row(
        // One pair per difference that reaches the wire; the last pair
        // differs only in its description and shares one type.
        "inline shapes that differ in anything the wire sees stay apart",
        "
        T:
          type: object
          properties:
            enum_a: {type: object, properties: {x: {type: string, enum: [a, b]}}}
            enum_b: {type: object, properties: {x: {type: string, enum: [a, c]}}}
            format_a: {type: object, properties: {x: {type: integer, format: int32}}}
            format_b: {type: object, properties: {x: {type: integer, format: int64}}}
            default_a: {type: object, properties: {x: {type: string, default: a}}}
            default_b: {type: object, properties: {x: {type: string, default: b}}}
            null_a: {type: object, properties: {x: {type: string}}}
            null_b: {type: object, properties: {x: {type: [string, 'null']}}}
            req_a: {type: object, required: [x], properties: {x: {type: boolean}}}
            req_b: {type: object, properties: {x: {type: boolean}}}
            extra_a: {type: object, properties: {x: {type: number}}, additionalProperties: {type: string}}
            extra_b: {type: object, properties: {x: {type: number}}, additionalProperties: {type: integer}}
            doc_a: {type: object, properties: {y: {type: string, description: one}}}
            doc_b: {type: object, properties: {y: {type: string, description: two}}}
        ",
        r#"
        T = struct {enum_a?: T.enum_a, enum_b?: T.enum_b, format_a?: T.format_a, format_b?: T.format_b, default_a?: T.default_a, default_b?: T.default_b, null_a?: T.null_a, null_b?: T.null_b, req_a?: T.req_a, req_b?: T.req_b, extra_a?: T.extra_a, extra_b?: T.extra_b, doc_a?: T.doc_a, doc_b?: T.doc_a}
        T.enum_a = struct {x?: T.enum_a.x}
        T.enum_a.x = enum a|b
        T.enum_b = struct {x?: T.enum_b.x}
        T.enum_b.x = enum a|c
        T.format_a = struct {x?: i32}
        T.format_b = struct {x?: i64}
        T.default_a = struct {x?: string = "a"}
        T.default_b = struct {x?: string = "b"}
        T.null_a = struct {x?: string}
        T.null_b = struct {x?: string|null}
        T.req_a = struct {x: bool}
        T.req_b = struct {x?: bool}
        T.extra_a = struct {x?: number, ..: string}
        T.extra_b = struct {x?: number, ..: i64}
        T.doc_a = struct {y?: string}
        "#,
    ),
    row(
        "a component that only refers to another is the same type",
        "
        A: {$ref: '#/components/schemas/B'}
        B: {type: object, properties: {x: {type: string}}}
        C: {allOf: [{$ref: '#/components/schemas/B'}]}
        H: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}
        ",
        "
        B = struct {x?: string}
        C = alias B
        H = struct {a?: B}
        ",
    ),
    // allOf.
    row(
        "allOf merges properties and required",
        "
        Base:
          type: object
          required: [id]
          properties: {id: {type: string}, name: {type: string}}
        T:
          allOf:
            - {$ref: '#/components/schemas/Base'}
            - type: object
              required: [name, extra]
              properties: {extra: {type: integer}}
          properties: {own: {type: boolean}}
          required: [own]
        ",
        "
        Base = struct {id: string, name?: string}
        T = struct {id: string, name: string, extra: i64, own: bool}
        ",
    ),
    row(
        // BUG: properties are merged first-come, so `Dog`'s own, narrower
        // `kind` (a constant) is dropped for `Base`'s plain string: the
        // generated struct neither fixes nor documents `kind: dog`. allOf is
        // an intersection; the constant should survive.
        "allOf: a restated property keeps the first declaration",
        "
        Base: {type: object, required: [kind], properties: {kind: {type: string}}}
        Dog:
          allOf: [{$ref: '#/components/schemas/Base'}]
          properties: {kind: {const: dog}}
        ",
        "
        Base = struct {kind: string}
        Dog = struct {kind: string}
        ",
    ),
    row(
        "allOf with inline objects in the base",
        "
        Base:
          type: object
          properties: {meta: {type: object, properties: {k: {type: string}}}}
        T:
          allOf: [{$ref: '#/components/schemas/Base'}, {properties: {n: {type: integer}}}]
        ",
        "
        Base = struct {meta?: Base.meta}
        Base.meta = struct {k?: string}
        T = struct {meta?: Base.meta, n?: i64}
        ",
    ),
    // Unions.
    row(
        "oneOf of objects without a discriminator",
        "
        Card: {type: object, required: [last4], properties: {last4: {type: string}}}
        T:
          oneOf:
            - {$ref: '#/components/schemas/Card'}
            - {type: object, required: [iban], properties: {iban: {type: string}}}
            - {type: object, title: Cash, properties: {amount: {type: number}}}
            - {type: string}
            - {type: integer}
        ",
        "
        Card = struct {last4: string}
        T = union(integer: i64, Card: Card, with_iban: T.with_iban, Cash: T.Cash, string: string)
        T.with_iban = struct {iban: string}
        T.Cash = struct {amount?: number}
        ",
    ),
    row(
        "untagged union branches told apart by what they require",
        "
        T:
          anyOf:
            - {type: object, required: [a, b], properties: {a: {type: string}, b: {type: string}}}
            - {type: object, required: [a], properties: {a: {type: string}}}
            - {type: object, required: [a, b], properties: {a: {type: integer}, b: {type: integer}}}
        ",
        "
        T = union(object: T.object, partial: T.partial, object: T.object)
        T.object = struct {a: string, b: string}
        T.partial = struct {a: string}
        T.object = struct {a: i64, b: i64}
        ",
    ),
    row(
        "oneOf with a discriminator and mapping",
        "
        Dog: {type: object, required: [kind], properties: {kind: {type: string}, bark: {type: boolean}}}
        Cat: {type: object, required: [kind], properties: {kind: {type: string}}}
        Pet:
          oneOf: [{$ref: '#/components/schemas/Dog'}, {$ref: '#/components/schemas/Cat'}]
          discriminator:
            propertyName: kind
            mapping: {dog: '#/components/schemas/Dog', cat: '#/components/schemas/Cat'}
        ",
        "
        Dog = struct {kind: string, bark?: bool}
        Cat = struct {kind: string}
        Pet = union[kind](dog => Dog, cat => Cat)
        ",
    ),
    row(
        "discriminator without mapping: the component names",
        "
        Dog: {type: object, properties: {kind: {type: string}}}
        Cat: {type: object, properties: {kind: {type: string}}}
        Pet:
          oneOf: [{$ref: '#/components/schemas/Dog'}, {$ref: '#/components/schemas/Cat'}]
          discriminator: {propertyName: kind}
        ",
        "
        Dog = struct {kind?: string}
        Cat = struct {kind?: string}
        Pet = union[kind](Dog => Dog, Cat => Cat)
        ",
    ),
    row(
        // BUG: a mapping value may be a bare schema name (OpenAPI 3.0/3.1
        // `discriminator.mapping`); only full `$ref`s are matched, so the tag
        // values here are the component names `Dog`/`Cat` instead of the
        // mapped `dog`/`cat`.
        "discriminator mapping to bare schema names",
        "
        Dog: {type: object, properties: {kind: {type: string}}}
        Cat: {type: object, properties: {kind: {type: string}}}
        Pet:
          oneOf: [{$ref: '#/components/schemas/Dog'}, {$ref: '#/components/schemas/Cat'}]
          discriminator: {propertyName: kind, mapping: {dog: Dog, cat: Cat}}
        ",
        "
        Dog = struct {kind?: string}
        Cat = struct {kind?: string}
        Pet = union[kind](Dog => Dog, Cat => Cat)
        ",
    ),
    row(
        "a tag found without a discriminator: a required distinct constant",
        "
        T:
          oneOf:
            - {type: object, required: [type], properties: {type: {const: fixed}, amount: {type: number}}}
            - {type: object, required: [type], properties: {type: {const: usage}, meter: {type: string}}}
        ",
        r#"
        T = union[type](fixed => T.fixed, usage => T.usage)
        T.fixed = struct {type: string const "fixed", amount?: number}
        T.usage = struct {type: string const "usage", meter?: string}
        "#,
    ),
    row(
        "no tag when the constants repeat or are optional",
        "
        A:
          oneOf:
            - {type: object, required: [t], properties: {t: {const: x}, a: {type: string}}}
            - {type: object, required: [t], properties: {t: {const: x}, b: {type: string}}}
        B:
          oneOf:
            - {type: object, properties: {t: {const: x}}}
            - {type: object, properties: {t: {const: y}}}
        ",
        r#"
        A = union(object: A.object, object: A.object)
        A.object = struct {t: string const "x", a?: string}
        A.object = struct {t: string const "x", b?: string}
        B = union(object: B.object, object: B.object)
        B.object = struct {t?: string const "x"}
        B.object = struct {t?: string const "y"}
        "#,
    ),
    row(
        "unions of string enums and constants merge into one enum",
        "
        A: {anyOf: [{type: string, enum: [a, b]}, {type: string, enum: [b, c]}]}
        B: {oneOf: [{const: x}, {const: y}]}
        ",
        "
        A = enum a|b|c
        B = enum x|y
        ",
    ),
    row(
        "constant branches decode first",
        "
        T: {oneOf: [{type: integer}, {const: auto}, {type: boolean}, {type: array, items: {type: string}}, {type: object}]}
        ",
        r#"
        T = union(auto: const "auto", boolean: bool, integer: i64, list: [string], map: map<any>)
        "#,
    ),
    row(
        "one branch is that branch",
        "
        A: {type: object, properties: {x: {type: string}}}
        B: {oneOf: [{$ref: '#/components/schemas/A'}]}
        C: {anyOf: [{type: string}]}
        ",
        "
        A = struct {x?: string}
        B = alias A
        C = alias string
        ",
    ),
    row(
        "union branches next to properties add optional fields",
        "
        T:
          type: object
          required: [id]
          properties: {id: {type: string}}
          oneOf:
            - {type: object, required: [a], properties: {a: {type: string}}}
            - {type: object, required: [b], properties: {b: {type: integer}}}
        ",
        "T = struct {a?: string, b?: i64, id: string}",
    ),
    // Recursion.
    row(
        "recursive objects refer to themselves",
        "
        Node:
          type: object
          properties:
            children: {type: array, items: {$ref: '#/components/schemas/Node'}}
            parent: {$ref: '#/components/schemas/Node'}
        ",
        "Node = struct {children?: [Node], parent?: Node}",
    ),
    row(
        "an alias that contains itself is cut with a warning",
        "
        A: {type: array, items: {$ref: '#/components/schemas/A'}}
        B: {type: object, additionalProperties: {$ref: '#/components/schemas/C'}}
        C: {type: array, items: {$ref: '#/components/schemas/B'}}
        ",
        "
        A = alias [any]
        B = alias map<any>
        C = alias [B]
        warning /components/schemas/A
        warning /components/schemas/B
        ",
    ),
    row(
        "a `$ref` loop with no schema between is refused",
        "
        A: {$ref: '#/components/schemas/B'}
        B: {$ref: '#/components/schemas/A'}
        ",
        "
        error /components/schemas/B
        ",
    ),
    // readOnly / writeOnly.
    row(
        // What requests and answers leave out is decided with the operations
        // that use the type (see the `readOnly and writeOnly` documents).
        "readOnly and writeOnly are read",
        "
        T:
          type: object
          required: [id, secret]
          properties:
            id: {type: string, readOnly: true}
            secret: {type: string, writeOnly: true}
            at: {$ref: '#/components/schemas/At'}
        At: {type: string, readOnly: true}
        ",
        "
        T = struct {id: string readOnly, secret: string writeOnly, at?: At readOnly}
        At = alias string
        ",
    ),
];

/// `components/schemas` of an OpenAPI 3.0 document → its types.
const SCHEMAS_30: &[Row] = &[
    row(
        "nullable",
        "
        A: {type: string, nullable: true}
        H:
          type: object
          required: [a, c]
          properties:
            a: {$ref: '#/components/schemas/A'}
            b: {type: integer, nullable: true}
            c: {type: object, nullable: true, properties: {x: {type: string}}}
            d: {type: array, nullable: true, items: {type: string, nullable: true}}
        ",
        "
        A = alias string
        H = struct {a: A|null, b?: i64|null, c: H.c|null, d?: [string|null]|null}
        H.c = struct {x?: string}
        ",
    ),
    row(
        "nullable enum",
        "T: {type: string, nullable: true, enum: [a, b, null]}",
        "T = enum a|b",
    ),
    row(
        "nullable allOf wrapper of a reference",
        "
        A: {type: object, properties: {x: {type: string}}}
        H:
          type: object
          properties:
            a: {allOf: [{$ref: '#/components/schemas/A'}], nullable: true}
        ",
        "
        A = struct {x?: string}
        H = struct {a?: A|null}
        ",
    ),
];

#[test]
fn schemas() {
    check(SCHEMAS, describe_schemas);
}

#[test]
fn schemas_30() {
    check(SCHEMAS_30, describe_schemas_30);
}

/// `parameters` of `POST /t/{id}` (`operationId: op`) → its parameters and types.
const PARAMETERS: &[Row] = &[
    row(
        "each location, required or not",
        "
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, format: int32}}
        - {name: expand, in: query, required: true, schema: {type: array, items: {type: string}}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: session, in: cookie, required: true, schema: {type: string}}
        - {name: since, in: query, schema: {type: [string, 'null'], format: date-time}}
        ",
        "
        param path id: string
        param query limit?: i32
        param query expand: [string]
        param header X-Trace?: string
        param cookie session: string
        param query since?: string|null
        Op/Params = struct {id: string, limit?: i32, expand: [string], X-Trace?: string, session: string, since?: string}
        ",
    ),
    row(
        "a path parameter is always required",
        "- {name: id, in: path, required: false, schema: {type: string}}",
        "
            param path id: string
            Op/Params = struct {id: string}
        ",
    ),
    row(
        "inline types are named after the operation and parameter",
        "
        - {name: sort_by, in: query, schema: {type: string, enum: [created, name]}}
        - name: filter
          in: query
          style: deepObject
          explode: true
          schema: {type: object, properties: {status: {type: string}}}
        - {name: tags, in: query, schema: {type: array, items: {type: string, enum: [x, y]}}}
        ",
        "
        param query sort_by?: Op/SortBy
        param query filter?: Op/Filter
        param query tags?: [Op/TagsItem]
        Op/SortBy = enum created|name
        Op/Filter = struct {status?: string}
        Op/TagsItem = enum x|y
        Op/Params = struct {sort_by?: Op/SortBy, filter?: Op/Filter, tags?: [Op/TagsItem]}
        ",
    ),
    row(
        // BUG: `style` and `explode` are not carried into the IR, so
        // `explode: false` lowers like the default: the SDK then sends
        // `ids=a&ids=b` where the spec asks for `ids=a,b`. The parameter
        // should say how it is serialised.
        "style and explode are not kept",
        "
        - {name: ids, in: query, explode: false, schema: {type: array, items: {type: string}}}
        - {name: tags, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}
        ",
        "
        param query ids?: [string]
        param query tags?: [string]
        Op/Params = struct {ids?: [string], tags?: [string]}
        ",
    ),
    row(
        // BUG: a parameter given by `content` (e.g. JSON in a query value)
        // loses its schema: it should be lowered like `schema` parameters
        // (and encoded with that media type) rather than typed as any value.
        "a parameter with content instead of schema",
        "
        - name: filter
          in: query
          content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}
        ",
        "
            param query filter?: any
            Op/Params = struct {filter?: any}
        ",
    ),
    row(
        "a parameter marked hidden is left out",
        "
        - {name: X-Internal, in: header, x-speakeasy-globals-hidden: true, schema: {type: string}}
        - {name: debug, in: query, x-speakeasy-globals-hidden: true, schema: {type: boolean}}
        - {name: q, in: query, schema: {type: string}}
        ",
        "
            param query q?: string
            Op/Params = struct {q?: string}
        ",
    ),
];

/// `requestBody` of `POST /t/{id}` (`operationId: op`) → its body and types.
const BODIES: &[Row] = &[
    row(
        "JSON object",
        "
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
        ",
        "
        body json application/json required: Op/Request
        Op/Request = struct {name: string}
        ",
    ),
    row(
        "optional body",
        "content: {application/json: {schema: {type: string}}}",
        "body json application/json: string",
    ),
    row(
        "JSON is preferred, whatever the order",
        "
        content:
          multipart/form-data: {schema: {type: object}}
          text/plain: {schema: {type: string}}
          application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: string}}}}
          application/merge-patch+json: {schema: {type: object, properties: {b: {type: string}}}}
        ",
        "
        body json application/merge-patch+json: Op/Request
        Op/Request = struct {b?: string}
        ",
    ),
    row(
        "form",
        "
        content:
          application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: integer}}}}
          text/plain: {schema: {type: string}}
        ",
        "
        body form application/x-www-form-urlencoded: Op/Request
        Op/Request = struct {a?: i64}
        ",
    ),
    row(
        "multipart: binary properties are files, sent part by part",
        "
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
                files: {type: array, items: {type: string, format: binary}}
                name: {type: string}
                tags: {type: array, items: {type: string}}
                meta: {type: object, properties: {a: {type: string}}}
            encoding:
              file: {contentType: image/png}
              name: {contentType: 'text/plain, text/csv'}
        ",
        "
        body Multipart multipart/form-data: Op/Request
        part file File image/png
        part files File
        part name Text
        part tags Text
        part meta Json
        Op/Request = struct {file?: file, files?: [file], name?: string, tags?: [string], meta?: Op/Request.meta}
        Op/Request.meta = struct {a?: string}
        ",
    ),
    row(
        "multipart in 3.1: contentMediaType and contentEncoding mark files",
        "
        content:
          multipart/form-data:
            schema:
              type: object
              required: [image]
              properties:
                image: {type: string, contentMediaType: image/png}
                blob: {type: string, contentEncoding: base64}
                pages: {type: array, items: {type: string, contentMediaType: application/pdf}}
                count: {type: integer}
        ",
        "
        body Multipart multipart/form-data: Op/Request
        part image File
        part blob File
        part pages File
        part count Text
        Op/Request = struct {image: file, blob?: file, pages?: [file], count?: i64}
        ",
    ),
    row(
        "multipart without an object schema is bytes",
        "content: {multipart/form-data: {schema: {type: string}}}",
        "body bytes multipart/form-data: bytes",
    ),
    row(
        "anything else is bytes, its schema unread",
        "
        content:
          application/pdf:
            schema: {type: object, properties: {file: {type: string, format: binary}}}
        ",
        "body bytes application/pdf: bytes",
    ),
    row(
        "octet-stream",
        "content: {application/octet-stream: {schema: {type: string, format: binary}}}",
        "body bytes application/octet-stream: bytes",
    ),
    row(
        "text",
        "content: {text/csv: {schema: {type: object}}}",
        "body text text/csv: string",
    ),
    row(
        "any media type, or no schema",
        "
        content: {'*/*': {}}
        ",
        "body json */*: any",
    ),
    row(
        // BUG: `application/jsonl` (one JSON document per line) is taken for
        // JSON by its prefix; only `application/json` itself (with
        // parameters) and `+json` types are one JSON document.
        "JSON lines are not JSON",
        "content: {application/jsonl: {schema: {type: object, properties: {a: {type: string}}}}}",
        "
        body json application/jsonl: Op/Request
        Op/Request = struct {a?: string}
        ",
    ),
    row(
        "no content, no body",
        "content: {}",
        "",
    ),
    row(
        "a list of inline objects",
        "content: {application/json: {schema: {type: array, items: {type: object, properties: {a: {type: string}}}}}}",
        "
        body json application/json: [Op/RequestItem]
        Op/RequestItem = struct {a?: string}
        ",
    ),
    row(
        "a map of inline objects",
        "content: {application/json: {schema: {additionalProperties: {type: object, properties: {a: {type: string}}}}}}",
        "
        body json application/json: map<Op/RequestValue>
        Op/RequestValue = struct {a?: string}
        ",
    ),
    row(
        "examples: the media type's, else the first of its examples, else the schema's",
        "
        content:
          application/json:
            schema: {type: object, example: {from: schema}}
            examples:
              one: {value: {from: examples}}
              two: {value: {from: second}}
        ",
        r#"body json application/json: map<any> example {"from":"examples"}"#,
    ),
    row(
        "example from the schema's 3.1 examples",
        "
        content:
          application/json:
            schema: {type: object, examples: [{n: 1}, {n: 2}], example: {n: 0}}
        ",
        r#"body json application/json: map<any> example {"n":1}"#,
    ),
];

/// `responses` of `POST /t/{id}` (`operationId: op`) → its success answers and types.
const RESPONSES: &[Row] = &[
    row(
        "JSON answer",
        "
        '200':
          description: ok
          content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}
        '404': {description: missing}
        ",
        "
        200 json application/json: Op/Response
        Op/Response = struct {id?: string}
        ",
    ),
    row(
        "several successes: the first is the response, the rest by status",
        "
        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}
        '201': {description: made, content: {application/json: {schema: {type: object, properties: {b: {type: string}}}}}}
        '299': {description: odd, content: {application/json: {schema: {type: object, properties: {c: {type: string}}}}}}
        '204': {description: nothing}
        ",
        "
        200 json application/json: Op/Response
        201 json application/json: Op/CreatedResponse
        299 json application/json: Op/Status299Response
        204 empty
        Op/Response = struct {a?: string}
        Op/CreatedResponse = struct {b?: string}
        Op/Status299Response = struct {c?: string}
        ",
    ),
    row(
        "empty answer",
        "'204': {description: deleted}",
        "204 empty",
    ),
    row(
        "no 2XX answer",
        "
        '302': {description: elsewhere}
        '400': {description: bad, content: {application/json: {schema: {type: object, properties: {e: {type: string}}}}}}
        default: {description: error, content: {application/json: {schema: {type: object}}}}
        ",
        "no success response",
    ),
    row(
        "a 2XX range",
        "'2XX': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}",
        "2XX json application/json: [string]",
    ),
    row(
        "binary and text answers",
        "
        '200': {description: pdf, content: {application/pdf: {schema: {type: string, format: binary}}}}
        '202': {description: csv, content: {text/csv: {schema: {type: string}}}}
        ",
        "
        200 bytes application/pdf: bytes
        202 text text/csv: string
        ",
    ),
    row(
        "JSON without a schema",
        "'200': {description: ok, content: {application/json: {}}}",
        "200 json application/json: any",
    ),
    row(
        "nullable and list answers",
        "
        '200':
          description: ok
          content:
            application/json:
              schema: {type: [array, 'null'], items: {type: object, properties: {a: {type: string}}}}
        ",
        "
        200 json application/json: [Op/ResponseItem]|null
        Op/ResponseItem = struct {a?: string}
        ",
    ),
];

#[test]
fn parameters() {
    check(PARAMETERS, describe_params);
}

#[test]
fn bodies() {
    check(BODIES, describe_body);
}

#[test]
fn responses_() {
    check(RESPONSES, describe_responses);
}

/// Whole documents (after `openapi` and `info`) → their operations and types.
const DOCUMENTS: &[Row] = &[
    row(
        // `Pet` serves both ways: answers keep `Pet` without `secret`,
        // requests get `Pet+Input` without `id` and with `Owner+Input`
        // inside. `Note` only requests use: it loses `id` in place. `Token`
        // only answers use: it loses `secret` in place. `Tag` has nothing
        // either way and is shared.
        "readOnly and writeOnly",
        "
        paths:
          /pets:
            post:
              operationId: addPet
              requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
              responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}}
          /notes:
            post:
              operationId: addNote
              requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Note'}}}}
              responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Token'}}}}}
        components:
          schemas:
            Pet:
              type: object
              required: [id, name, secret]
              properties:
                id: {type: string, readOnly: true}
                name: {type: string}
                secret: {type: string, writeOnly: true}
                owner: {$ref: '#/components/schemas/Owner'}
                tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}
            Owner:
              type: object
              properties:
                id: {type: string, readOnly: true}
                name: {type: string}
            Tag: {type: object, properties: {id: {type: string}}}
            Note:
              type: object
              required: [id, text]
              properties:
                id: {type: string, readOnly: true}
                text: {type: string}
            Token:
              type: object
              required: [token, password]
              properties:
                token: {type: string}
                password: {type: string, writeOnly: true}
        ",
        "
        POST /pets id=addPet fn=add_pet tag=-
        body json application/json: Pet+Input
        200 json application/json: Pet
        POST /notes id=addNote fn=add_note tag=-
        body json application/json: Note
        200 json application/json: Token
        Pet = struct {id: string readOnly, name: string, owner?: Owner, tags?: [Tag]}
        Owner = struct {id?: string readOnly, name?: string}
        Tag = struct {id?: string}
        Note = struct {text: string}
        Token = struct {token: string}
        Pet+Input = struct {name: string, secret: string writeOnly, owner?: Owner+Input, tags?: [Tag]}
        Owner+Input = struct {name?: string}
        ",
    ),
    row(
        "parameter references, path-level parameters and overrides",
        "
        paths:
          /pets/{id}:
            parameters:
              - {$ref: '#/components/parameters/Id'}
              - {name: limit, in: query, schema: {type: integer}}
              - {name: X-A, in: header, schema: {type: string}}
            get:
              operationId: getPet
              tags: [pets, other]
              parameters:
                - {name: limit, in: query, required: true, schema: {type: integer, format: int32}}
                - {name: limit, in: header, schema: {type: string}}
              responses:
                '200': {$ref: '#/components/responses/Pet'}
        components:
          parameters:
            Id: {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/PetId'}}
          responses:
            Pet:
              description: a pet
              content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
          schemas:
            PetId: {type: string}
            Pet: {type: object, properties: {id: {$ref: '#/components/schemas/PetId'}}}
        ",
        "
        GET /pets/{id} id=getPet fn=get_pet tag=pets
        param path id: PetId
        param header X-A?: string
        param query limit: i32
        param header limit?: string
        200 json application/json: Pet
        PetId = alias string
        Pet = struct {id?: PetId}
        GetPet/Params = struct {id: PetId, X-A?: string, limit: i32, limit?: string}
        ",
    ),
    row(
        "request body reference; an id made from method and path",
        "
        paths:
          /pets:
            post:
              requestBody: {$ref: '#/components/requestBodies/NewPet'}
              responses:
                '201': {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        components:
          requestBodies:
            NewPet:
              required: true
              content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}
          schemas:
            Pet: {type: object, properties: {name: {type: string}}}
        ",
        "
        POST /pets id=post_pets fn=post_pets tag=-
        body json application/json required: PostPets/Request
        201 json application/json: Pet
        Pet = struct {name?: string}
        PostPets/Request = struct {name?: string}
        ",
    ),
    row(
        "methods in path-item order; a method name override",
        "
        paths:
          /a:
            delete: {operationId: dropA, responses: {'204': {description: gone}}}
            get: {operationId: listA, x-speakeasy-name-override: all, responses: {'200': {description: ok}}}
          /b/{b_id}:
            $ref: '#/components/pathItems/B'
        components:
          pathItems:
            B:
              patch:
                operationId: patchB
                parameters: [{name: b_id, in: path, schema: {type: string}}]
                responses: {'200': {description: ok}}
        ",
        "
        GET /a id=listA fn=all tag=-
        200 empty
        DELETE /a id=dropA fn=drop_a tag=-
        204 empty
        PATCH /b/{b_id} id=patchB fn=patch_b tag=-
        param path b_id: string
        200 empty
        PatchB/Params = struct {b_id: string}
        ",
    ),
    row(
        "a header that is a global is left out of parameters",
        "
        x-speakeasy-globals:
          parameters:
            - {name: X-Api-Version, in: header, schema: {type: string, default: '2'}}
        paths:
          /a:
            get:
              operationId: a
              parameters:
                - {name: x-api-version, in: header, schema: {type: string}}
                - {name: X-Api-Version, in: query, schema: {type: string}}
              responses: {'200': {description: ok}}
        ",
        "
        GET /a id=a fn=a tag=-
        param query X-Api-Version?: string
        200 empty
        A/Params = struct {X-Api-Version?: string}
        ",
    ),
    row(
        "a cursor in the JSON body; the page a component",
        "
        paths:
          /items/search:
            post:
              operationId: searchItems
              parameters: [{name: cursor, in: query, schema: {type: string}}]
              requestBody:
                content:
                  application/json:
                    schema: {type: object, properties: {after: {type: string}, q: {type: string}}}
              responses:
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Page'}}}}
        components:
          schemas:
            Page:
              type: object
              required: [items, next]
              properties:
                items: {type: array, items: {type: integer}}
                next: {type: string}
        ",
        "
        POST /items/search id=searchItems fn=search_items tag=-
        param query cursor?: string
        body json application/json: SearchItems/Request
        200 json application/json: Page
        pages by after → Page.next with items: [i64]
        Page = struct {items: [i64], next: string}
        SearchItems/Params = struct {cursor?: string}
        SearchItems/Request = struct {after?: string, q?: string}
        ",
    ),
    row(
        "a JSON body without a cursor hides a query cursor",
        "
        paths:
          /items/search:
            post:
              operationId: searchItems
              parameters: [{name: cursor, in: query, schema: {type: string}}]
              requestBody:
                content: {application/json: {schema: {type: object, properties: {q: {type: string}}}}}
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [items]
                        properties: {items: {type: array, items: {type: integer}}, next: {type: string}}
        ",
        "
        POST /items/search id=searchItems fn=search_items tag=-
        param query cursor?: string
        body json application/json: SearchItems/Request
        200 json application/json: SearchItems/Response
        SearchItems/Params = struct {cursor?: string}
        SearchItems/Request = struct {q?: string}
        SearchItems/Response = struct {items: [i64], next?: string}
        ",
    ),
];

#[test]
fn documents() {
    check(DOCUMENTS, describe_document);
}

/// A paged list operation, which the variations below change.
const PAGED: &str = "
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: starting_after, in: query, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [list, has_more]
                properties:
                  list: {type: array, items: {$ref: '#/components/schemas/Item'}}
                  has_more: {type: boolean}
                  next_cursor: {type: [string, 'null']}
components:
  schemas:
    Item: {type: object, properties: {id: {type: string}}}
";

/// A change to [`PAGED`] (each `from` replaced by its `to`) and the pagination it leads to.
struct Variation {
    name: &'static str,
    changes: &'static [(&'static str, &'static str)],
    expect: &'static str,
}

const fn variation(
    name: &'static str,
    changes: &'static [(&'static str, &'static str)],
    expect: &'static str,
) -> Variation {
    Variation {
        name,
        changes,
        expect,
    }
}

const PAGINATION: &[Variation] = &[
    variation(
        "as written",
        &[],
        "pages by starting_after → ListItems/Response.next_cursor? with list: [Item]",
    ),
    variation(
        "cursor",
        &[("name: starting_after", "name: cursor")],
        "pages by cursor → ListItems/Response.next_cursor? with list: [Item]",
    ),
    variation(
        "start_cursor",
        &[("name: starting_after", "name: start_cursor")],
        "pages by start_cursor → ListItems/Response.next_cursor? with list: [Item]",
    ),
    variation(
        "page_token and next_page_token",
        &[
            ("name: starting_after", "name: page_token"),
            ("next_cursor:", "next_page_token:"),
        ],
        "pages by page_token → ListItems/Response.next_page_token? with list: [Item]",
    ),
    variation(
        "after and next, required",
        &[
            ("name: starting_after", "name: after"),
            (
                "next_cursor: {type: [string, 'null']}",
                "next: {type: string}",
            ),
            ("[list, has_more]", "[list, has_more, next]"),
        ],
        "pages by after → ListItems/Response.next with list: [Item]",
    ),
    variation(
        "a required next cursor that may be null is still optional",
        &[("[list, has_more]", "[list, has_more, next_cursor]")],
        "pages by starting_after → ListItems/Response.next_cursor? with list: [Item]",
    ),
    variation(
        "a cursor by another name",
        &[("name: starting_after", "name: offset")],
        "no pagination",
    ),
    variation(
        "a required request cursor",
        &[(
            "name: starting_after, in: query,",
            "name: starting_after, in: query, required: true,",
        )],
        "no pagination",
    ),
    variation(
        "no next cursor",
        &[("next_cursor:", "cursor:")],
        "no pagination",
    ),
    variation(
        "a next cursor that is not text",
        &[(
            "next_cursor: {type: [string, 'null']}",
            "next_cursor: {type: integer}",
        )],
        "no pagination",
    ),
    variation(
        "the list is optional",
        &[("[list, has_more]", "[has_more]")],
        "no pagination",
    ),
    variation(
        "two required lists",
        &[
            ("[list, has_more]", "[list, has_more, also]"),
            (
                "has_more: {type: boolean}",
                "also: {type: array, items: {type: string}}",
            ),
        ],
        "no pagination",
    ),
    variation(
        "another success answer",
        &[("'200':", "'202': {description: later}\n        '200':")],
        "no pagination",
    ),
];

#[test]
fn pagination_variations() {
    let mut failures = Vec::new();
    for v in PAGINATION {
        let mut text = block(PAGED, 0);
        for (from, to) in v.changes {
            assert!(
                text.contains(from),
                "`{}`: `{from}` is not in PAGED",
                v.name
            );
            text = text.replacen(from, to, 1);
        }
        let got = match run(&format!("{HEAD_31}{text}\n")) {
            Ok((api, _)) => {
                let lines = pagination(&api.types, &api.operations[0]);
                if lines.is_empty() {
                    "no pagination".to_owned()
                } else {
                    lines.join("\n")
                }
            }
            Err(errors) => errors.join("\n"),
        };
        if got != v.expect {
            failures.push(format!(
                "`{}`: expected `{}`, got `{got}`",
                v.name, v.expect
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------- facts beyond the tables

/// Lowers a whole document (`openapi` and all), which must succeed.
fn lowered(text: &str) -> Api {
    match run(&block(text, 0)) {
        Ok((api, _)) => api,
        Err(errors) => panic!("lowering failed: {errors:?}"),
    }
}

/// The errors lowering `text` fails with, as `pointer: message`.
fn errors(text: &str) -> Vec<String> {
    let loaded = crate::load::load_str(&block(text, 0)).expect("loads");
    match super::lower(&loaded) {
        Ok(_) => Vec::new(),
        Err(e) => {
            e.0.iter()
                .map(|d| format!("{}: {}", d.pointer, d.message))
                .collect()
        }
    }
}

/// The type whose name hint reads `name`.
fn find(space: &TypeSpace, name: &str) -> TypeId {
    space
        .iter()
        .map(|(id, _)| id)
        .find(|id| type_name(space, *id) == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

#[test]
fn usage_and_tags() {
    let api = lowered(
        "
        openapi: 3.1.0
        info: {title: T, version: '1'}
        paths:
          /pets:
            post:
              operationId: addPet
              tags: [pets]
              parameters: [{name: kind, in: query, schema: {$ref: '#/components/schemas/Kind'}}]
              requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}}
              responses:
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
          /owners:
            get:
              operationId: getOwner
              tags: [owners]
              responses:
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Owner'}}}}
          /ping:
            get:
              operationId: ping
              responses:
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Tag'}}}}
        components:
          schemas:
            Kind: {type: string, enum: [dog, cat]}
            Tag: {type: object, properties: {label: {type: string}}}
            NewPet:
              type: object
              properties:
                kind: {$ref: '#/components/schemas/Kind'}
                tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}
            Pet: {allOf: [{$ref: '#/components/schemas/NewPet'}, {properties: {id: {type: string}}}]}
            Owner: {type: object, properties: {pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}
            Orphan: {type: object, properties: {x: {$ref: '#/components/schemas/Unused'}}}
            Unused: {type: string, enum: [u]}
        ",
    );
    let got: Vec<String> = api
        .types
        .iter()
        .map(|(id, def)| {
            format!(
                "{}:{}{} {:?}",
                type_name(&api.types, id),
                if def.usage.request { " request" } else { "" },
                if def.usage.response { " response" } else { "" },
                def.tags
            )
        })
        .collect();
    // `Pet` merges `NewPet`'s fields (allOf), so `NewPet` itself serves requests only;
    // untagged operations count as the tag ""; unreached types and what they use are always built.
    let want = expected(
        r#"
        Kind: request response ["owners", "pets"]
        Tag: request response ["", "owners", "pets"]
        NewPet: request ["pets"]
        Pet: response ["owners", "pets"]
        Owner: response ["owners"]
        Orphan: [""]
        Unused: [""]
        AddPet/Params: request ["pets"]
        "#,
    );
    assert_eq!(got.join("\n"), want);
}

#[test]
fn api_info() {
    let doc = "
        openapi: 3.1.0
        info: {title: Autumn, version: 2.5.0, description: Billing.}
        servers: [{url: 'https://api.example.com/v1/'}, {url: 'https://other.example.com'}]
        tags: [{name: b, description: Bee}, {name: unused, description: Never used}, {name: a}]
        paths:
          /x: {get: {operationId: x, tags: [a], responses: {'200': {description: ok}}}}
          /y: {get: {operationId: y, tags: [c, a], responses: {'200': {description: ok}}}}
          /z: {get: {operationId: z, tags: [b], responses: {'200': {description: ok}}}}
          /w: {get: {operationId: w, responses: {'200': {description: ok}}}}
        components:
          securitySchemes:
            token: {type: http, scheme: Bearer}
        ";
    let info = lowered(doc).info;
    assert_eq!(info.title, "Autumn");
    assert_eq!(info.version, "2.5.0");
    assert_eq!(info.description.as_deref(), Some("Billing."));
    assert_eq!(
        info.server_url.as_deref(),
        Some("https://api.example.com/v1")
    );
    assert!(info.bearer_auth);
    // Declared tags in their order (unused ones dropped), then tags only operations name.
    let tags: Vec<(&str, Option<&str>)> = info
        .tags
        .iter()
        .map(|n| (n.tag.as_str(), n.docs.as_deref()))
        .collect();
    assert_eq!(tags, [("b", Some("Bee")), ("a", None), ("c", None)]);

    // The ApiInfo docs say "a bearer token (or API key)", but only an HTTP
    // bearer scheme counts today.
    let api_key = doc.replace(
        "{type: http, scheme: Bearer}",
        "{type: apiKey, in: header, name: X-Key}",
    );
    let info = lowered(&api_key).info;
    assert!(!info.bearer_auth);
    let bare = lowered(
        "
        openapi: 3.0.3
        info: {title: T, version: '1'}
        paths: {}
        ",
    );
    assert_eq!(bare.info.server_url, None);
    assert_eq!(bare.info.description, None);
    assert!(bare.info.tags.is_empty());
    assert!(bare.operations.is_empty() && bare.types.is_empty());
}

#[test]
fn global_headers() {
    let api = lowered(
        "
        openapi: 3.1.0
        info: {title: T, version: '1'}
        x-speakeasy-globals:
          parameters:
            - {name: X-Api-Version, in: header, description: Version., schema: {type: string, default: '2.5'}}
            - {name: X-Dry-Run, in: header, x-speakeasy-globals-hidden: true, schema: {type: boolean, default: false}}
            - {name: tenant, in: query, schema: {type: string}}
        paths: {}
        ",
    );
    let globals: Vec<String> = api
        .globals
        .iter()
        .map(|g| {
            format!(
                "{} default={:?} hidden={} boolean={} docs={:?}",
                g.name, g.default, g.hidden, g.boolean, g.docs
            )
        })
        .collect();
    assert_eq!(
        globals,
        [
            r#"X-Api-Version default=Some("2.5") hidden=false boolean=false docs=Some("Version.")"#,
            r#"X-Dry-Run default=Some("false") hidden=true boolean=true docs=None"#,
        ]
    );
}

#[test]
fn docs_titles_and_operation_facts() {
    let api = lowered(
        "
        openapi: 3.1.0
        info: {title: T, version: '1'}
        paths:
          /customers/{id}:
            get:
              operationId: getCustomer
              summary: '  '
              description: Fetches one.
              deprecated: true
              x-speakeasy-group: customers
              x-other: [1]
              parameters:
                - {name: id, in: path, required: true, description: The id., schema: {type: string}}
                - {name: q, in: query, description: '', schema: {type: string}}
              responses:
                '200':
                  description: The customer.
                  content: {application/json: {schema: {$ref: '#/components/schemas/Customer'}}}
                '204': {description: ''}
        components:
          schemas:
            Customer:
              title: Client Record
              description: '  A customer.  '
              type: object
              properties:
                name: {type: string, description: Their name.}
                plan: {type: object, title: 'The plan, of all plans.', properties: {id: {type: string}}}
                ref: {$ref: '#/components/schemas/Plan'}
            Plan: {type: object, title: '   ', description: '', properties: {id: {type: integer}}}
        ",
    );
    let op = &api.operations[0];
    assert_eq!(op.summary, None, "a blank summary is no summary");
    assert_eq!(op.description.as_deref(), Some("Fetches one."));
    assert!(op.deprecated);
    assert_eq!(op.pointer, "/paths/~1customers~1{id}/get");
    let extensions: Vec<&str> = op.extensions.keys().map(String::as_str).collect();
    assert_eq!(extensions, ["x-speakeasy-group", "x-other"]);
    let docs: Vec<Option<&str>> = op.params.iter().map(|p| p.docs.as_deref()).collect();
    assert_eq!(docs, [Some("The id."), None]);
    let answers: Vec<Option<&str>> = op.success.iter().map(|r| r.docs.as_deref()).collect();
    assert_eq!(answers, [Some("The customer."), None]);
    assert_eq!(op.fail_open, None);

    let space = &api.types;
    let customer = space.get(find(space, "Customer"));
    assert_eq!(customer.title.as_deref(), Some("Client Record"));
    assert_eq!(customer.docs.as_deref(), Some("A customer."));
    assert_eq!(customer.pointer, "/components/schemas/Customer");
    // A title that reads as a sentence is not offered as a name.
    let plan = space.get(find(space, "Customer.plan"));
    assert_eq!(plan.title, None);
    assert_eq!(plan.pointer, "/components/schemas/Customer/properties/plan");
    let component = space.get(find(space, "Plan"));
    assert_eq!(
        (component.title.as_deref(), component.docs.as_deref()),
        (None, None)
    );
    let TypeKind::Struct(s) = &customer.kind else {
        panic!("Customer is a struct")
    };
    let field_docs: Vec<(&str, Option<&str>)> = s
        .fields
        .iter()
        .map(|f| (f.wire.as_str(), f.docs.as_deref()))
        .collect();
    // A `$ref` property has no docs of its own: its type carries them.
    assert_eq!(
        field_docs,
        [("name", Some("Their name.")), ("plan", None), ("ref", None)]
    );
}

#[test]
fn fail_open() {
    let doc = |ext: &str| {
        format!(
            "
            openapi: 3.1.0
            info: {{title: T, version: '1'}}
            paths:
              /check:
                post:
                  operationId: check
                  x-fail-open: {ext}
                  responses: {{'200': {{description: ok}}}}
            "
        )
    };
    let api = lowered(&doc("{fallback: {allowed: true}, timeout_ms: 1500}"));
    let fail_open = api.operations[0].fail_open.as_ref().expect("fail-open");
    assert_eq!(fail_open.fallback, r#"{"allowed":true}"#);
    assert_eq!(fail_open.timeout_ms, Some(1500));
    let api = lowered(&doc("{fallback: null}"));
    let fail_open = api.operations[0].fail_open.as_ref().expect("fail-open");
    assert_eq!(
        (fail_open.fallback.as_str(), fail_open.timeout_ms),
        ("null", None)
    );

    assert_eq!(
        errors(&doc("{timeout_ms: 5}")),
        ["/paths/~1check/post/x-fail-open: `x-fail-open` needs a `fallback` answer"]
    );
    assert_eq!(
        errors(&doc("{fallback: {}, timeout_ms: soon}")),
        ["/paths/~1check/post/x-fail-open/timeout_ms: must be a whole number of milliseconds"]
    );
}

#[test]
fn ref_loops_are_refused_by_pointer() {
    let errors = errors(&schema_doc(
        HEAD_31,
        "
        A: {$ref: '#/components/schemas/B'}
        B: {$ref: '#/components/schemas/A'}
        ",
    ));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .starts_with("/components/schemas/B: `$ref` cycle through `#/components/schemas/A`"),
        "{errors:?}"
    );
}

/// `n` components, each holding the next (`A0` → `A1` → ... → `An`, a string):
/// through a property each, or by a bare `$ref`.
fn chain(n: usize, through_property: bool) -> String {
    let mut schemas = String::new();
    for i in 0..n {
        let next = format!("{{$ref: '#/components/schemas/A{}'}}", i + 1);
        if through_property {
            schemas += &format!("A{i}: {{type: object, properties: {{x: {next}}}}}\n");
        } else {
            schemas += &format!("A{i}: {next}\n");
        }
    }
    schemas += &format!("A{n}: {{type: string}}\n");
    schema_doc(HEAD_31, &schemas)
}

#[test]
fn nesting_limit_and_bare_ref_chains() {
    // On a stack as large as a main thread's, where the CLI lowers.
    let run = |text: String| {
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || errors(&text))
            .expect("thread")
            .join()
            .expect("no panic")
    };
    let nested = run(chain(250, true));
    assert_eq!(nested.len(), 1, "{nested:?}");
    assert!(
        nested[0].starts_with("/components/schemas/A200/properties/x: schemas nest more than 200"),
        "{nested:?}"
    );
    // `$ref` → `$ref` hops count toward the nesting limit too, so a chain of
    // 20,000 is refused with diagnostics (one per 200 hops) instead of
    // exhausting the stack.
    for (n, refusals) in [(250, 1), (20_000, 99)] {
        let hops = run(chain(n, false));
        assert_eq!(hops.len(), refusals, "{hops:?}");
        assert!(
            hops.iter()
                .all(|h| h.contains("schemas nest more than 200 levels deep")),
            "{hops:?}"
        );
    }
    let (api, _) = run_ok(&chain(150, false));
    assert_eq!(types(&api.types), ["A150 = alias string"]);
}

fn run_ok(text: &str) -> (Api, Vec<String>) {
    run(text).unwrap_or_else(|e| panic!("lowering failed: {e:?}"))
}

// ---------------------------------------------------------------- the rows can fail

/// A table, its describer, a row's name, and a text in its input with what replaces it.
type ChangedRow = (
    &'static [Row],
    fn(&str) -> String,
    &'static str,
    &'static str,
    &'static str,
);

/// Rows whose input, changed as given, must describe differently, so a row
/// is not passing whatever lowering does.
#[test]
fn rows_notice_changed_input() {
    let cases: &[ChangedRow] = &[
        (
            SCHEMAS,
            describe_schemas,
            "integer widths",
            "int32",
            "int64",
        ),
        (
            SCHEMAS,
            describe_schemas,
            "required, optional, nullable: the four states",
            "required: [a, c, gone]",
            "required: [c, gone]",
        ),
        (
            SCHEMAS,
            describe_schemas,
            "oneOf with a discriminator and mapping",
            "dog: '#/components/schemas/Dog'",
            "hound: '#/components/schemas/Dog'",
        ),
        (
            SCHEMAS,
            describe_schemas,
            "identical inline shapes share one type",
            "d: {type: object, properties: {x: {type: integer}}}",
            "d: {type: object, properties: {x: {type: string}}}",
        ),
        (
            SCHEMAS_30,
            describe_schemas_30,
            "nullable",
            "b: {type: integer, nullable: true}",
            "b: {type: integer}",
        ),
        (
            PARAMETERS,
            describe_params,
            "each location, required or not",
            "in: header",
            "in: query",
        ),
        (
            BODIES,
            describe_body,
            "form",
            "application/x-www-form-urlencoded",
            "application/json",
        ),
        (
            RESPONSES,
            describe_responses,
            "empty answer",
            "'204'",
            "'404'",
        ),
        (
            DOCUMENTS,
            describe_document,
            "a cursor in the JSON body; the page a component",
            "after: {type: string}",
            "offset: {type: string}",
        ),
    ];
    for (table, describe, name, from, to) in cases {
        let row = table
            .iter()
            .find(|r| r.name == *name)
            .unwrap_or_else(|| panic!("no row `{name}`"));
        assert!(
            row.input.contains(from),
            "`{name}`: `{from}` is not in its input"
        );
        let changed = describe(&row.input.replacen(from, to, 1));
        assert_ne!(
            changed,
            expected(row.expect),
            "`{name}` describes the same with `{from}` changed to `{to}`"
        );
    }
}

#[test]
fn batch_tracker_only_where_the_extension_says() {
    let doc = |ext: &str, body: &str| {
        format!(
            "
            openapi: 3.1.0
            info: {{title: T, version: '1'}}
            paths:
              /batch:
                post:
                  operationId: batchTrack
                  {ext}
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema: {body}
                  responses: {{'202': {{description: ok}}}}
            components:
              schemas:
                Events:
                  type: array
                  items: {{$ref: '#/components/schemas/Event'}}
                Event:
                  type: object
                  required: [customer_id]
                  properties:
                    customer_id: {{type: string}}
                    timestamp: {{type: integer}}
                    key: {{type: string}}
                    at: {{type: string}}
            "
        )
    };
    let events = "{$ref: '#/components/schemas/Events'}";
    let api = lowered(&doc(
        "x-rust-sdk-tracker: {timestamp: timestamp, idempotency_key: key, max_batch: 500, retry_statuses: [503]}",
        events,
    ));
    let tracker = api.operations[0].tracker.as_ref().expect("tracker");
    assert_eq!(
        (
            tracker.timestamp_field,
            tracker.idempotency_field,
            tracker.max_batch
        ),
        (1, Some(2), 500)
    );
    assert_eq!(tracker.retry_statuses, [503]);
    assert_eq!(
        api.types.get(tracker.event).pointer,
        "/components/schemas/Event"
    );
    // The same operation without the extension gets no tracker, whatever its name.
    let api = lowered(&doc("", events));
    assert!(api.operations[0].tracker.is_none());

    let at = "/paths/~1batch/post/x-rust-sdk-tracker";
    let cases = [
        (
            "x-rust-sdk-tracker: {max_batch: 10}",
            events,
            format!(
                "{at}: needs `timestamp`, the property stamped with the time an event is taken"
            ),
        ),
        (
            "x-rust-sdk-tracker: {timestamp: at, max_batch: 10}",
            events,
            format!("{at}/timestamp: `at` must be an optional integer property"),
        ),
        (
            "x-rust-sdk-tracker: {timestamp: customer_id, max_batch: 10}",
            events,
            format!("{at}/timestamp: `customer_id` must be an optional integer property"),
        ),
        (
            "x-rust-sdk-tracker: {timestamp: nope, max_batch: 10}",
            events,
            format!("{at}/timestamp: the events have no property `nope`"),
        ),
        (
            "x-rust-sdk-tracker: {timestamp: timestamp}",
            events,
            format!("{at}: needs `max_batch`, the most events in one call"),
        ),
        (
            "x-rust-sdk-tracker: {timestamp: timestamp, max_batch: 10, retry_statuses: [200]}",
            events,
            format!("{at}/retry_statuses: must be a list of error statuses (400 to 599)"),
        ),
        (
            "x-rust-sdk-tracker: {timestamp: timestamp, max_batch: 10, when: now}",
            events,
            format!("{at}: unknown key `when`"),
        ),
        (
            "x-rust-sdk-tracker: {timestamp: timestamp, max_batch: 10}",
            "{$ref: '#/components/schemas/Event'}",
            format!("{at}: the operation's body must be a JSON list of objects (the events)"),
        ),
    ];
    for (ext, body, want) in cases {
        assert_eq!(errors(&doc(ext, body)), [want], "{ext}");
    }
}
