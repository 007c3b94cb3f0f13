//! Webhooks in the IR: the events a document declares under `webhooks`,
//! typed as one event enum.

use serde_json::Value;

use super::{TypeId, TypeRef};

/// The webhook events of an API, decoded through one enum.
#[derive(Debug, Clone)]
pub struct Webhooks {
    /// The event enum in the type table: a union with one variant per event
    /// (`events[i]` is variant `i`), told apart by `tag` when a constant does,
    /// else tried in order, with an `Unknown` catch-all last.
    pub event_type: TypeId,
    /// The property whose constant tells events apart (Autumn: `type`);
    /// `None` when no constant does.
    pub tag: Option<String>,
    /// Events in document order, one per webhook with a JSON body.
    pub events: Vec<WebhookEvent>,
    /// The cargo feature that compiles signature verification, filled in by `naming`.
    pub feature: String,
}

/// One event the API sends to a webhook endpoint.
#[derive(Debug, Clone)]
pub struct WebhookEvent {
    /// The event's key under `webhooks`, e.g. `balances.limit_reached`.
    pub key: String,
    /// The value of the dispatching property for this event, when there is one.
    pub tag_value: Option<String>,
    /// The type of the whole body.
    pub payload: TypeRef,
    /// `summary` of the webhook's operation.
    pub summary: Option<String>,
    /// `description` of the webhook's operation.
    pub description: Option<String>,
    /// An example body from the spec.
    pub example: Option<Value>,
    /// JSON pointer of the webhook's operation.
    pub pointer: String,
}
