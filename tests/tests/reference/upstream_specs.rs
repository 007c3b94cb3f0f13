//! Every upstream Autumn document either generates or is refused with
//! pointers; the generator never panics on them. Needs `SHARED_SPECS`.

use tests::{options, shared_specs};

#[test]
#[ignore = "reads the shared reference specs (SHARED_SPECS); run with --include-ignored"]
fn upstream_autumn_documents_generate_or_report() {
    let dir = shared_specs().join("autumn");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e} (set SHARED_SPECS)", dir.display()))
        .map(|e| e.expect("readable").path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "yml" || x == "yaml" || x == "json")
        })
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    for spec in entries {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let result = std::panic::catch_unwind(|| {
            generator::generate(&spec, &options("upstream-sdk", &name))
        });
        match result {
            Err(_) => panic!("the generator panicked on {name}"),
            Ok(Ok(out)) => println!(
                "{name}: generated {} operations, {} types, {} files",
                out.operations,
                out.types,
                out.files.len()
            ),
            Ok(Err(errors)) => {
                println!("{name}: refused:\n{errors}");
                for e in &errors.0 {
                    assert!(
                        e.pointer.starts_with('/') || e.pointer.is_empty(),
                        "{name}: error without a pointer: {e}"
                    );
                }
            }
        }
    }
}
