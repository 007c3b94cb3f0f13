//! The threads the pipeline's parallel steps run on.
//!
//! One pool per process, as many threads as the machine has cores, each with
//! a stack as large as a main thread's: documents may nest 128 levels deep and
//! every stage walks them recursively, which the 2 MiB stacks of rayon's
//! default pool do not always hold (in debug builds especially).

use std::sync::OnceLock;

use rayon::{ThreadPool, ThreadPoolBuilder};

/// Stack size of the pool's threads.
const STACK_SIZE: usize = 16 << 20;

/// The pool, made on first use; `None` if its threads could not be started.
fn pool() -> Option<&'static ThreadPool> {
    static POOL: OnceLock<Option<ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        ThreadPoolBuilder::new()
            .stack_size(STACK_SIZE)
            .thread_name(|i| format!("generator-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `f` in the pool, so the parallel steps inside it use the pool's threads.
pub fn run<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(pool) => pool.install(f),
        None => f(),
    }
}
