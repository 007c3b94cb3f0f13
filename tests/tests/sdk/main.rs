//! The committed SDK (`autumn_sdk`) in use, one test binary (each test
//! binary links the SDK, Tokio, reqwest and wiremock again, so they share
//! one):
//!
//! - `decode`: models decode the hardest legal answers built from the spec;
//! - `wire_customers`, `wire_operations`, `wire_api_2_5`: operations on the
//!   wire against a local mock server;
//! - `runtime_wire`: the runtime (auth, bodies, retries, timeouts, errors,
//!   fail-open, pagination, hooks) on the wire;
//! - `webhooks`: events decode into `WebhookEvent`, deliveries verify;
//! - `tracker`: the background tracker (batches through `batch_track`,
//!   outages, full queues, flush and shutdown) on the wire.
//!
//! Two groups keep binaries of their own, because they change what the whole
//! process shares: `runtime_env` (environment variables) and
//! `runtime_tracing` (a `tracing` subscriber per test; see their docs).
//!
//! Run one part with a filter: `cargo test -p tests --test sdk runtime_wire::`.

mod decode;
mod runtime_wire;
mod tracker;
mod webhooks;
mod wire_api_2_5;
mod wire_customers;
mod wire_operations;
