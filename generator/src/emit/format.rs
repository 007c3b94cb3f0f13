//! Final layout of printed Rust: prettyplease prints every file; this adds
//! the blank lines between items that prettyplease leaves out. No other
//! formatter runs, so generation needs nothing but this crate.

/// Puts a blank line between items and between methods, as a person would:
/// prettyplease prints them back to back.
pub fn space_items(text: &str) -> String {
    const STARTS: &[&str] = &[
        "#[",
        "///",
        "pub ",
        "pub(",
        "impl",
        "fn ",
        "mod ",
        "const ",
        "static ",
        "type ",
        "enum ",
        "struct ",
        "trait ",
        "async fn ",
        "unsafe ",
        "use ",
    ];
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev: Option<&str> = None;
    for line in text.lines() {
        if let Some(p) = prev {
            let indent = line.len() - line.trim_start().len();
            let p_indent = p.len() - p.trim_start().len();
            let body = line.trim_start();
            let starts_item = STARTS.iter().any(|s| body.starts_with(s));
            let after_block =
                (p.trim() == "}" || p.trim() == "};") && indent == p_indent && starts_item;
            let is_use = |l: &str| {
                let l = l.trim_start();
                l.starts_with("use ") || l.starts_with("pub use ")
            };
            let after_uses = indent == 0
                && is_use(p)
                && !is_use(line)
                && !body.starts_with("#[cfg")
                && !body.is_empty();
            let after_inner_docs =
                p.starts_with("//!") && !line.starts_with("//!") && !body.is_empty();
            if after_block || after_uses || after_inner_docs {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}
