//! The generated Markdown docs: every Rust code block in them is compiled as
//! a doctest of the SDK (so `cargo test`, which runs the SDK's doctests,
//! builds them all), every other block says what it is, every operation's
//! page has the sections of the TypeScript SDK's page, and the README has
//! every section of the Python SDK's.

use std::path::{Path, PathBuf};

use tests::workspace;

/// Every Markdown file under `dir`, sorted.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable") {
            let path = entry.expect("readable").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The info strings of the fenced code blocks in `text`, with their first line number.
fn fences(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```") {
            match &open {
                None => {
                    open = Some(rest.trim().to_owned());
                    out.push((i + 1, rest.trim().to_owned()));
                }
                Some(_) => open = None,
            }
        }
    }
    assert!(open.is_none(), "unclosed code block");
    out
}

fn is_rust(info: &str) -> bool {
    // rustdoc reads an info string as comma- or space-separated attributes;
    // a block with no language, or with `rust`, is compiled.
    let first = info.split([',', ' ']).next().unwrap_or("");
    first.is_empty() || first == "rust"
}

#[test]
fn every_rust_block_in_the_markdown_is_a_doctest() {
    let generated = workspace().join("generated");
    let lib = std::fs::read_to_string(generated.join("src/lib.rs")).expect("src/lib.rs");
    let files = markdown_files(&generated);
    assert!(
        files.len() > 2,
        "no Markdown docs in {}",
        generated.display()
    );
    let mut problems = Vec::new();
    let mut rust_blocks = 0;
    for file in &files {
        let rel = file.strip_prefix(&generated).unwrap();
        let text = std::fs::read_to_string(file).unwrap();
        let blocks = fences(&text);
        let mut has_rust = false;
        for (line, info) in &blocks {
            if info.is_empty() {
                problems.push(format!(
                    "{}:{line}: a code block without a language is compiled as Rust; label it",
                    rel.display()
                ));
            }
            if is_rust(info) {
                has_rust = true;
                rust_blocks += 1;
                if !info.contains("no_run") && !info.contains("ignore") {
                    problems.push(format!(
                        "{}:{line}: Rust examples call the API, so they must be `rust,no_run`",
                        rel.display()
                    ));
                }
                if info.contains("ignore") {
                    problems.push(format!(
                        "{}:{line}: an `ignore`d block is never compiled",
                        rel.display()
                    ));
                }
            }
        }
        // A file with Rust blocks must be compiled as doctests: included into the crate's docs.
        let include = format!("include_str!(\"../{}\")", rel.display());
        if has_rust && !lib.contains(&include) {
            problems.push(format!(
                "{} has Rust code blocks but src/lib.rs does not `{include}`, so they are never compiled",
                rel.display()
            ));
        }
    }
    assert!(rust_blocks > 0, "no Rust code blocks found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_operation_page_has_the_seed_sections() {
    let sdks = workspace().join("generated/docs/sdks");
    let mut pages = 0;
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(&sdks).expect("generated/docs/sdks") {
        let page = entry.unwrap().path().join("README.md");
        let text = std::fs::read_to_string(&page).unwrap();
        pages += 1;
        for required in ["## Overview", "### Available Operations"] {
            if !text.contains(required) {
                problems.push(format!("{}: no `{required}`", page.display()));
            }
        }
        // Each operation: its heading, then the seed's sections in the seed's order.
        let ops: Vec<&str> = text
            .split("\n## ")
            .skip(1)
            .filter(|s| !s.starts_with("Overview"))
            .collect();
        assert!(!ops.is_empty(), "{}: no operations", page.display());
        for op in ops {
            let name = op.lines().next().unwrap_or("");
            let mut at = 0;
            for section in [
                "### Example Usage\n",
                "```rust,no_run\n",
                "### Standalone function\n",
                "```rust,no_run\n",
                "### Parameters\n",
                "| `.retries(..)` |",
                "### Response\n",
                "### Errors\n",
                "Error::Api` | 4XX, 5XX |",
            ] {
                match op[at..].find(section) {
                    Some(i) => at += i + section.len(),
                    None => problems.push(format!(
                        "{}: operation `{name}` lacks `{}` (in the seed's order)",
                        page.display(),
                        section.trim()
                    )),
                }
            }
            if !op.contains(&format!(".{name}(")) {
                problems.push(format!(
                    "{}: the example of `{name}` does not call the method",
                    page.display()
                ));
            }
        }
    }
    assert!(pages > 0);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_readme_has_every_section_of_the_python_sdk_readme() {
    let readme = std::fs::read_to_string(workspace().join("generated/README.md")).unwrap();
    // The Python SDK's (autumn-sdk 1.2.0 on PyPI) sections, in Rust terms, and
    // what a Rust user also needs.
    for section in [
        "## Summary",
        "## Table of Contents",
        "## SDK Installation",
        "## Editor Support",
        "## SDK Example Usage",
        "## Authentication",
        "## Available Resources and Operations",
        "## Retries",
        "## Error Handling",
        "## Server Selection",
        "## Custom HTTP Client",
        "## Resource Management",
        "## Debugging",
        "## Development",
        "### Contributions",
        "## Request Options",
        "## Hooks",
        "## Fail-Open",
        "## Pagination",
        "## Cargo Features",
        "## License",
    ] {
        assert!(
            readme.contains(&format!("\n{section}\n")),
            "README.md lacks `{section}`"
        );
    }
    // Every table-of-contents entry points at a heading that exists.
    for line in readme.lines().filter(|l| l.starts_with("* [")) {
        if let Some(anchor) = line.split("](#").nth(1) {
            let anchor = anchor.trim_end_matches(')');
            let heading_exists = readme
                .lines()
                .any(|h| h.starts_with("## ") && h[3..].to_lowercase().replace(' ', "-") == anchor);
            assert!(heading_exists, "README.md: `{line}` points nowhere");
        }
    }
}
