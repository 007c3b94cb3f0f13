//! `src/tracking.rs`: ties the background tracker (`templates/tracker/`,
//! copied as `src/tracker.rs`) to the operation the IR marks with
//! `Operation::tracker`, and gives the client its `tracker()` methods.
//! Emitted only for APIs that have such an operation; `src/lib.rs` compiles
//! both under the operation's feature, if it has one.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust::{ident, render_type, type_of_text, QUALIFIED};
use crate::ir::{Api, Operation, TypeKind, TypeRef};

/// The operation the tracker sends through, if the API has one.
pub fn tracker_operation(api: &Api) -> Option<&Operation> {
    api.operations.iter().find(|op| op.tracker.is_some())
}

/// The file's tokens, or `None` when the API has no tracker.
pub fn tracking_file(api: &Api) -> Option<TokenStream> {
    let op = tracker_operation(api)?;
    let tracker = op.tracker.as_ref()?;
    let TypeKind::Struct(event) = &api.types.get(tracker.event).kind else {
        return None;
    };
    let event_ty = type_of_text(&render_type(
        &api.types,
        &TypeRef::Named(tracker.event),
        &QUALIFIED,
    ));
    let timestamp = ident(&event.fields.get(tracker.timestamp_field)?.name);
    let idempotency = match tracker.idempotency_field {
        Some(index) => {
            let field = ident(&event.fields.get(index)?.name);
            quote! {
                if event.#field.is_none() {
                    event.#field = Some(crate::tracker::idempotency_key());
                }
            }
        }
        None => quote!(),
    };
    let func = format_ident!("{}", op.func_name);
    let sdk_name = &op.sdk_name;
    let max_batch = usize::try_from(tracker.max_batch).unwrap_or(usize::MAX);
    let statuses = &tracker.retry_statuses;
    let client = &api.info.client.type_name;
    let doc_tracker = format!(
        " Starts a background [`Tracker`] that sends events in batches through \
         `{sdk_name}` (at most {max_batch} a call), with the default settings."
    );
    let doc_with = format!(
        " Starts a background [`Tracker`] that sends events in batches through \
         `{sdk_name}`, with your settings."
    );
    let doc_errors = format!(
        " Fails with `Error::Config` when the client cannot make calls (see \
         [`{client}::new`](crate::{client}::new)) or when called outside a Tokio runtime."
    );
    Some(quote! {
        //! The background tracker, tied to the API's batch operation.

        use std::time::Duration;

        use crate::client::Client;
        use crate::error::Error;
        use crate::tracker::{BatchSpec, Sending, Tracker, TrackerConfig};

        /// The events the tracker takes.
        type Event = #event_ty;

        /// The batch operation and what its answers mean.
        static BATCH: BatchSpec<Event> = BatchSpec {
            operation: #sdk_name,
            max_batch: #max_batch,
            retry_statuses: &[#(#statuses),*],
            stamp,
            send,
        };

        /// Stamps an event when it is taken; values the caller set are kept.
        fn stamp(event: &mut Event, now_ms: u64) {
            if event.#timestamp.is_none() {
                event.#timestamp = now_ms.try_into().ok();
            }
            #idempotency
        }

        /// Sends one batch once: the tracker does its own retries.
        fn send(client: &Client, events: Vec<Event>, timeout: Option<Duration>) -> Sending {
            let request = crate::funcs::#func(client, events).no_retries();
            let request = match timeout {
                Some(timeout) => request.timeout(timeout),
                None => request,
            };
            Box::pin(async move { request.send().await.map(drop) })
        }

        impl Client {
            #[doc = #doc_tracker]
            ///
            #[doc = #doc_errors]
            pub fn tracker(&self) -> Result<Tracker<Event>, Error> {
                Tracker::start(self, &BATCH, TrackerConfig::default())
            }

            #[doc = #doc_with]
            ///
            #[doc = #doc_errors]
            pub fn tracker_with(&self, config: TrackerConfig) -> Result<Tracker<Event>, Error> {
                Tracker::start(self, &BATCH, config)
            }
        }
    })
}
