//! The generator's own tests, one test binary (every test binary links the
//! generator and its dependencies again, so they share one):
//!
//! - `golden`: `generated/` and every fixture's `expected/` are exactly what
//!   the generator makes, and the fixture crates under `tests/fixture_crates`
//!   are those goldens made whole;
//! - `naming`: type names are stable;
//! - `changes`: the change report on the fixture pairs under `tests/changes`;
//! - `docs`: the generated Markdown docs;
//! - `robustness`: mutated documents never make the generator panic or hang.
//!
//! Run one part with a filter: `cargo test -p tests --test generation golden::`.

mod changes;
mod docs;
mod golden;
mod naming;
mod robustness;
