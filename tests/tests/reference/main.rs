//! The tests against references outside this workspace, one test binary:
//! Autumn's official Python SDK (`fidelity`, `official_sdk`), Prism
//! (`conformance`), and the shared reference documents under `SHARED_SPECS`
//! (`corpus`, `upstream_changes`, `upstream_examples`, `upstream_specs`). Those that need more
//! than the Rust toolchain are `#[ignore]`d; `.ci/run` runs them with
//! `--ignored`.
//!
//! Run one part with a filter, e.g.
//! `cargo test -p tests --test reference -- --include-ignored fidelity:: official_sdk::`.

mod conformance;
mod corpus;
mod fidelity;
mod multipart;
mod official_sdk;
mod read_only;
mod upstream_changes;
mod upstream_examples;
mod upstream_specs;
