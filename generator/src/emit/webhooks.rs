//! What the text templates say about webhooks (README section, `docs/webhooks.md`,
//! `Cargo.toml` feature and dependencies, `src/lib.rs` exports), read from
//! [`crate::ir::Webhooks`].

use serde::Serialize;

use crate::ir::{Api, TypeKind, TypeRef};

/// The runtime file that verifies signatures; copied only for documents with webhooks.
pub const RUNTIME_FILE: &str = "webhook.rs";

/// Webhooks as the templates see them.
#[derive(Debug, Serialize)]
pub struct WebhooksView {
    /// The cargo feature of verification.
    pub feature: String,
    /// The event enum's name.
    pub enum_name: String,
    /// The property that tells events apart, when one does.
    pub tag: Option<String>,
    /// Every event, in document order.
    pub events: Vec<EventView>,
    /// The event the examples match on, with an example body when the spec gives one.
    pub example: EventView,
    /// An example body as a Rust raw byte string (`br#"..."#`): the spec's, else `{}`.
    pub example_body: String,
    /// The environment variable the examples read the secret from.
    pub secret_var: String,
}

/// One event, as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// Its key under `webhooks`.
    pub key: String,
    /// Its variant of the event enum.
    pub variant: String,
    /// The type of its body.
    pub payload: String,
    /// The stem of the payload's page under `docs/models/`.
    pub payload_page: Option<String>,
    /// The dispatching property's value.
    pub tag_value: Option<String>,
    /// What it is sent for (summary, else the description's first line).
    pub summary: String,
}

/// The view, `None` for documents without webhooks.
pub fn view(api: &Api) -> Option<WebhooksView> {
    let hooks = api.webhooks.as_ref()?;
    let def = api.types.get(hooks.event_type);
    let TypeKind::Union(union) = &def.kind else {
        return None;
    };
    let events: Vec<EventView> = hooks
        .events
        .iter()
        .zip(&union.variants)
        .map(|(e, v)| {
            let (payload, payload_page) = match e.payload.non_null() {
                TypeRef::Named(id) => {
                    let t = api.types.get(*id);
                    (t.name.clone(), Some(t.module.clone()))
                }
                _ => ("serde_json::Value".to_owned(), None),
            };
            EventView {
                key: e.key.clone(),
                variant: v.name.clone(),
                payload,
                payload_page,
                tag_value: e.tag_value.clone(),
                summary: e
                    .summary
                    .clone()
                    .or_else(|| {
                        e.description
                            .as_deref()
                            .and_then(|d| d.lines().next())
                            .map(str::to_owned)
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let with_example = hooks.events.iter().position(|e| e.example.is_some());
    let (index, body) = match with_example {
        Some(i) => (i, hooks.events[i].example.as_ref().map(|v| v.to_string())),
        None => (0, None),
    };
    Some(WebhooksView {
        feature: hooks.feature.clone(),
        enum_name: def.name.clone(),
        tag: hooks.tag.clone(),
        example: events[index].clone(),
        events,
        example_body: raw_bytes(&body.unwrap_or_else(|| "{}".to_owned())),
        secret_var: format!("{}_WEBHOOK_SECRET", api.info.client.env_prefix),
    })
}

/// `text` as a Rust raw byte string literal, with enough `#`s to hold it.
/// Non-ASCII text is written with escapes (raw byte strings hold ASCII only).
fn raw_bytes(text: &str) -> String {
    if !text.is_ascii() {
        let escaped: String = text
            .bytes()
            .map(|b| std::ascii::escape_default(b).to_string())
            .collect();
        return format!("b\"{escaped}\"");
    }
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("br{hashes}\"{text}\"{hashes}")
}

#[cfg(test)]
mod tests {
    use super::raw_bytes;

    #[test]
    fn raw_byte_strings_hold_any_text() {
        assert_eq!(raw_bytes(r#"{"a":1}"#), r##"br#"{"a":1}"#"##);
        assert_eq!(raw_bytes(r##"{"a":"#"}"##), r###"br##"{"a":"#"}"##"###);
        assert_eq!(raw_bytes("\"é\""), r#"b"\"\xc3\xa9\"""#);
    }
}
