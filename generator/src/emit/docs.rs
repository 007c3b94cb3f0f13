//! Makes spec descriptions safe and tidy as rustdoc.
//!
//! Descriptions are Markdown written for other tools: unlabeled code fences
//! would be compiled as Rust doctests, bare URLs and `[brackets]` trip
//! rustdoc's lints, and stray `<tags>` are read as HTML. Each is neutralised
//! here so generated docs build without warnings.

/// Sanitises one description.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_fence {
                out.push_str("```");
            } else {
                let lang = trimmed.trim_start_matches('`').trim();
                // Only Rust is compiled; everything else is shown as text.
                out.push_str(if lang.is_empty() || lang == "rust" {
                    "```text"
                } else {
                    trimmed
                });
            }
            in_fence = !in_fence;
        } else if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&prose(line.trim_end()));
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

/// One line of prose: escape brackets and angle brackets, wrap bare URLs.
fn prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            rest = &rest[1..];
            continue;
        }
        if !in_code {
            if let Some(url_len) = url_at(rest) {
                out.push('<');
                out.push_str(&rest[..url_len]);
                out.push('>');
                rest = &rest[url_len..];
                continue;
            }
            match c {
                '[' | ']' => {
                    out.push('\\');
                    out.push(c);
                }
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Length of a bare `http(s)://` URL starting at the beginning of `s`.
fn url_at(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`'))
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn unlabeled_fences_become_text() {
        assert_eq!(sanitize("a\n```\nx\n```"), "a\n```text\nx\n```");
        assert_eq!(sanitize("```typescript\nx\n```"), "```typescript\nx\n```");
    }

    #[test]
    fn unclosed_fences_are_closed() {
        assert_eq!(sanitize("```\nx"), "```text\nx\n```");
    }

    #[test]
    fn urls_brackets_and_tags_are_escaped() {
        assert_eq!(sanitize("see https://a.b/c."), "see <https://a.b/c>.");
        assert_eq!(sanitize("[x] <b>"), "\\[x\\] &lt;b&gt;");
        assert_eq!(sanitize("`[x] <b>`"), "`[x] <b>`");
    }
}
