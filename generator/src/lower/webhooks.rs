//! `webhooks` (OpenAPI 3.1) → one event enum: a payload type per event, the
//! property whose constant tells events apart, and the enum itself as a union
//! in the type table.

use heck::ToUpperCamelCase;
use openapiv3::{PathItem, ReferenceOr};
use serde_json::Value;

use super::operations::{lower_body, resolve_as, OpContext};
use super::schema::SchemaLowerer;
use crate::diagnostics::{escape_segment, Diagnostic};
use crate::ir::{
    BodyEncoding, GlobalHeader, NameHint, TypeKind, TypeRef, TypeSpace, Union, Variant,
    VariantPayload, WebhookEvent, Webhooks,
};

/// The name the event enum asks for; `naming` reserves it.
const EVENT_ENUM: &str = "WebhookEvent";

/// Lowers the document's `webhooks`; `None` when it has none with a JSON body.
pub fn lower_webhooks(
    api: &openapiv3::OpenAPI,
    doc: &Value,
    globals: &[GlobalHeader],
    schemas: &mut SchemaLowerer<'_>,
) -> Option<Webhooks> {
    let hooks = doc.get("webhooks")?.as_object()?;
    let mut events = Vec::new();
    for (key, item) in hooks {
        let item_ptr = format!("/webhooks/{}", escape_segment(key));
        let Some(item) = path_item(doc, item) else {
            schemas.warnings.push(Diagnostic::new(
                &item_ptr,
                "this webhook is not a path item; it is left out of the event enum",
            ));
            continue;
        };
        for (method, op) in item.iter() {
            let ptr = format!("{item_ptr}/{method}");
            let Some(body) = &op.request_body else {
                continue;
            };
            let ctx = OpContext {
                api,
                doc,
                globals,
                path: key,
                method,
                ptr: &ptr,
            };
            let base = op
                .operation_id
                .as_deref()
                .unwrap_or(key)
                .to_upper_camel_case();
            // `VercelWebhooksEvent` → `VercelWebhooksEventPayload`, not `...EventEvent`.
            let role = if base.ends_with("Event") {
                "Payload"
            } else {
                "Event"
            };
            let Some(body) = lower_body(&ctx, body, &base, role, schemas) else {
                continue;
            };
            if body.encoding != BodyEncoding::Json {
                schemas.warnings.push(Diagnostic::new(
                    &ptr,
                    "this webhook's body is not JSON; it is left out of the event enum",
                ));
                continue;
            }
            events.push(WebhookEvent {
                key: key.clone(),
                tag_value: None,
                payload: body.ty,
                summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
                description: op.description.clone().filter(|s| !s.trim().is_empty()),
                example: body.example,
                pointer: ptr,
            });
        }
    }
    if events.is_empty() {
        return None;
    }
    let tag = dispatch(&schemas.space, &mut events);
    let event_type = schemas.space.reserve(
        NameHint::Component(EVENT_ENUM.to_owned()),
        "/webhooks".to_owned(),
    );
    let def = schemas.space.get_mut(event_type);
    def.docs = Some(enum_docs(tag.as_deref()));
    def.kind = TypeKind::Union(event_union(tag.clone(), &events));
    Some(Webhooks {
        event_type,
        tag,
        events,
        feature: String::new(),
    })
}

/// A webhook's path item, inline or behind a `$ref`.
fn path_item(doc: &Value, item: &Value) -> Option<PathItem> {
    match serde_json::from_value::<ReferenceOr<PathItem>>(item.clone()).ok()? {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => resolve_as::<PathItem>(doc, &reference),
    }
}

/// The property that tells events apart: one every event's body requires,
/// fixed to a string (`const`, or an `enum` of one value) that differs from
/// event to event. Fills in each event's `tag_value`.
fn dispatch(space: &TypeSpace, events: &mut [WebhookEvent]) -> Option<String> {
    let first = fields_of(space, &events[0].payload)?;
    let candidates: Vec<String> = first.iter().map(|f| f.wire.clone()).collect();
    for prop in candidates {
        let values: Option<Vec<String>> = events
            .iter()
            .map(|e| constant_of(space, &e.payload, &prop))
            .collect();
        let Some(values) = values else { continue };
        let mut seen = std::collections::HashSet::new();
        if values.iter().all(|v| seen.insert(v)) {
            for (e, v) in events.iter_mut().zip(values) {
                e.tag_value = Some(v);
            }
            return Some(prop);
        }
    }
    None
}

/// The fields of the struct a type reference names (through aliases).
fn fields_of<'s>(space: &'s TypeSpace, t: &TypeRef) -> Option<&'s [crate::ir::Field]> {
    let mut t = t;
    for _ in 0..32 {
        match t {
            TypeRef::Named(id) => match &space.get(*id).kind {
                TypeKind::Struct(s) => return Some(&s.fields),
                TypeKind::Alias(inner) => t = inner,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// The string a required property `prop` of the payload is fixed to.
fn constant_of(space: &TypeSpace, payload: &TypeRef, prop: &str) -> Option<String> {
    let field = fields_of(space, payload)?
        .iter()
        .find(|f| f.wire == prop && f.required)?;
    if let Some(Value::String(s)) = &field.constant {
        return Some(s.clone());
    }
    let TypeRef::Named(id) = &field.ty else {
        return None;
    };
    match &space.get(*id).kind {
        TypeKind::Enum(e) if e.values.len() == 1 => Some(e.values[0].wire.clone()),
        _ => None,
    }
}

/// The event enum: tagged by `tag`, or variants tried in order then `Unknown`.
fn event_union(tag: Option<String>, events: &[WebhookEvent]) -> Union {
    let mut variants: Vec<Variant> = events
        .iter()
        .map(|e| Variant {
            name: String::new(),
            hint: e.key.clone(),
            payload: match &e.tag_value {
                Some(value) if tag.is_some() => VariantPayload::Tagged {
                    tag_value: value.clone(),
                    ty: e.payload.clone(),
                },
                _ => VariantPayload::Type(e.payload.clone()),
            },
        })
        .collect();
    if tag.is_none() {
        variants.push(Variant {
            name: String::new(),
            hint: "Unknown".into(),
            payload: VariantPayload::Type(TypeRef::Any),
        });
    }
    Union { tag, variants }
}

/// The event enum's docs.
fn enum_docs(tag: Option<&str>) -> String {
    let how = match tag {
        Some(tag) => format!(
            "Events are told apart by the value of `{tag}`; a value this version of the SDK does not know decodes into `Unknown`, with the JSON as sent."
        ),
        None => "No constant tells events apart, so decoding tries each event in turn, in the document's order; a body that fits none decodes into `Unknown`, with the JSON as sent.".to_owned(),
    };
    format!("An event the API sends to your webhook endpoint, one variant per event of the document's `webhooks`.\n\n{how} Decode a body with `serde_json::from_slice`, or verify its signature and decode it in one step with `Webhook::verify` (cargo feature `{}`).", crate::naming::WEBHOOKS_FEATURE)
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, TypeKind, TypeRef, VariantPayload};

    /// The named IR of a 3.1 document with these `webhooks` and component schemas.
    fn named(webhooks: &str, schemas: &str) -> Api {
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: Shop, version: '1'}}\npaths: {{}}\nwebhooks:\n{webhooks}components:\n  schemas:\n{schemas}"
        );
        let loaded = crate::load::load_str(&text).expect("loads");
        let mut api = crate::lower::lower(&loaded).expect("lowers").api;
        crate::naming::assign(&mut api, None);
        api
    }

    /// `Enum(tag): Variant(Payload) "value", ...` for the event enum, or `none`.
    fn describe(api: &Api) -> String {
        let Some(hooks) = &api.webhooks else {
            return "none".into();
        };
        let def = api.types.get(hooks.event_type);
        let TypeKind::Union(u) = &def.kind else {
            return format!("{} is not a union", def.name);
        };
        let variants: Vec<String> = u
            .variants
            .iter()
            .map(|v| {
                let (ty, value) = match &v.payload {
                    VariantPayload::Tagged { tag_value, ty } => (ty, format!(" {tag_value:?}")),
                    VariantPayload::Type(ty) => (ty, String::new()),
                    VariantPayload::Constant(c) => return format!("{}={c}", v.name),
                };
                let payload = match ty {
                    TypeRef::Named(id) => api.types.get(*id).name.clone(),
                    other => format!("{other:?}"),
                };
                format!("{}({payload}){value}", v.name)
            })
            .collect();
        format!(
            "{}({}): {}",
            def.name,
            u.tag.as_deref().unwrap_or("-"),
            variants.join(", ")
        )
    }

    /// A webhook whose JSON body is `schema` (one line of YAML).
    fn hook(key: &str, schema: &str) -> String {
        format!("  {key}:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {schema}\n      responses:\n        '200': {{description: ok}}\n")
    }

    const PET: &str = "    Pet: {type: object, properties: {name: {type: string}}}\n";

    #[test]
    fn events_become_one_enum_dispatched_on_their_constant() {
        #[rustfmt::skip]
        let rows: &[(&str, String, &str)] = &[
            // A required string `const` that differs per event dispatches (Autumn's `type`).
            ("const", [
                hook("pet.created", "{type: object, required: [type, data], properties: {type: {const: pet.created}, data: {$ref: '#/components/schemas/Pet'}}}"),
                hook("pet.sold", "{type: object, required: [type], properties: {type: {const: pet.sold}, price: {type: number}}}"),
            ].concat(), "WebhookEvent(type): PetCreated(PetCreatedEvent) \"pet.created\", PetSold(PetSoldEvent) \"pet.sold\""),
            // So does an `enum` of one value (OpenAI), found in an `allOf` branch too.
            ("enum of one", [
                hook("a_done", "{type: object, required: [kind], properties: {kind: {type: string, enum: [a.done]}}}"),
                hook("b_done", "{allOf: [{type: object, required: [kind], properties: {kind: {type: string, enum: [b.done]}}}]}"),
            ].concat(), "WebhookEvent(kind): ADone(ADoneEvent) \"a.done\", BDone(BDoneEvent) \"b.done\""),
            // An optional constant, or the same value twice, does not: events are tried in order.
            ("no constant", [
                hook("one", "{type: object, properties: {type: {const: one}}}"),
                hook("two", "{$ref: '#/components/schemas/Pet'}"),
            ].concat(), "WebhookEvent(-): One(OneEvent), Two(Pet), Unknown(Any)"),
            ("same value", [
                hook("x", "{type: object, required: [t], properties: {t: {const: same}}}"),
                hook("y", "{type: object, required: [t], properties: {t: {const: same}, n: {type: integer}}}"),
            ].concat(), "WebhookEvent(-): X(XEvent), Y(YEvent), Unknown(Any)"),
            // An event called `unknown` leaves the name to the catch-all.
            ("unknown", [hook("unknown", "{type: object, properties: {a: {type: string}}}"), hook("known", "{type: object, required: [n], properties: {n: {type: integer}}}")].concat(),
                "WebhookEvent(-): Unknown2(UnknownEvent), Known(KnownEvent), Unknown(Any)"),
            // A payload named by its operation never says `Event` twice.
            ("event suffix", hook("thing", "{type: object, properties: {n: {type: integer}}}")
                .replace("    post:\n", "    post:\n      operationId: thingEvent\n"),
                "WebhookEvent(-): Thing(ThingEventPayload), Unknown(Any)"),
            // Webhooks without a JSON body are left out; with none left, nothing is made.
            ("no body", "  ping:\n    post:\n      responses:\n        '200': {description: ok}\n".into(), "none"),
        ];
        for (what, hooks, want) in rows {
            assert_eq!(describe(&named(hooks, PET)), *want, "{what}");
        }
    }

    #[test]
    fn a_component_named_webhook_event_makes_way_for_the_enum() {
        // The enum's name is fixed; the component has no other candidate and is numbered.
        let schemas = format!(
            "{PET}    WebhookEvent: {{type: object, properties: {{id: {{type: string}}}}}}\n"
        );
        let api = named(
            &hook("a", "{$ref: '#/components/schemas/WebhookEvent'}"),
            &schemas,
        );
        assert_eq!(
            describe(&api),
            "WebhookEvent(-): A(WebhookEvent2), Unknown(Any)"
        );
    }
}
