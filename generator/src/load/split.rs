//! Cuts a large YAML document into pieces that can be read in parallel.
//!
//! Nearly all of a real OpenAPI document sits under `paths:`. When that key is
//! written in the usual block form (`paths:` alone at the start of a line, its
//! items indented beneath it), the items are cut into a few runs of whole items,
//! at the lines where an item's key starts; the rest of the document keeps the
//! block's lines, blanked, so every line keeps its number.
//!
//! An alias in one run may name an anchor set in an earlier run (document
//! dumpers anchor a node the first time they write it and alias it after). The
//! text is scanned for anchors and aliases, and each run is given, first, the
//! earlier items that set the anchors its aliases name, so they resolve to the
//! same nodes as in the whole document; the reader drops those items again.
//!
//! Some forms are never cut: the `:` of a complex key and a `-` of a list
//! written at the items' indentation stay with the item above, and a document
//! with an anchor or tag alone on such a line, or with an alias after `paths`
//! to an anchor inside it, is not split at all.
//!
//! The cut is made from the text alone, so it can still be wrong where YAML
//! allows something unusual at an item's indentation (a quoted scalar
//! continued there), or miss an anchor (one set outside `paths`). Every such
//! case makes some piece fail to read or come out as something other than a
//! mapping, and the reader then reads the whole document in one pass instead:
//! a split never changes the result, it only saves time. The mutation test in
//! `parse.rs` holds this to account.

/// A document cut into the rest and runs of `paths` items.
#[derive(Debug)]
pub struct Split<'t> {
    /// The document with the lines of the `paths` items blank.
    pub rest: String,
    /// 1-based line of the `paths:` key.
    pub paths_line: usize,
    /// Runs of whole items, in document order.
    pub pieces: Vec<Piece<'t>>,
}

/// A run of whole `paths` items.
#[derive(Debug)]
pub struct Piece<'t> {
    /// Earlier items that set anchors the run's aliases name, in document order.
    pub prelude: Vec<&'t str>,
    /// The items' text, as written (indented).
    pub text: &'t str,
    /// Lines of the document before this text.
    pub lines_before: usize,
    /// Indentation of the items.
    pub indent: usize,
}

/// The key of the member that closes a piece's text; the reader checks it is
/// there, last, and drops it.
pub const END_KEY: &str = "__end_of_piece__";

impl Piece<'_> {
    /// The text to read: the prelude's items, the run's, then a last member
    /// keyed [`END_KEY`] at the items' indentation, so the run's last item ends
    /// as it does in the document (before the next item's key), not at the end
    /// of the text, where YAML readers treat some scalars differently.
    pub fn source(&self) -> String {
        let mut source = self.prelude.concat();
        source.push_str(self.text);
        if !source.ends_with('\n') {
            source.push('\n');
        }
        source.push_str(&" ".repeat(self.indent));
        source.push_str(END_KEY);
        source.push_str(": ~\n");
        source
    }

    /// Lines of the prelude (the run's own text starts after them).
    pub fn prelude_lines(&self) -> usize {
        self.prelude.iter().map(|t| t.matches('\n').count()).sum()
    }
}

/// One line of the text: where it starts and ends (after its `\n`), and its number.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    number: usize,
}

/// Cuts `text` into about `pieces` runs of `paths` items, when its `paths`
/// block is at least `min_len` bytes long and written in block form.
pub fn split(text: &str, pieces: usize, min_len: usize) -> Option<Split<'_>> {
    let lines = lines_of(text);
    let mut keys = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| is_paths_key(&text[l.start..l.end]));
    let (key_at, key) = keys.next()?;
    if keys.next().is_some() {
        return None;
    }
    // The block: every following line that is blank, a comment or indented.
    let block_end = lines[key_at + 1..]
        .iter()
        .position(|l| starts_top_level(&text[l.start..l.end]))
        .map_or(lines.len(), |i| key_at + 1 + i);
    let block = &lines[key_at + 1..block_end];
    let (first, last) = (block.first()?, block.last()?);
    if last.end - first.start < min_len {
        return None;
    }
    let (first_item, indent) = item_indent(text, block)?;
    // An anchor or tag alone on a line at the items' indentation belongs to
    // the node after it (the whole `paths` mapping, if it comes first): such
    // documents are read in one pass.
    if block
        .iter()
        .any(|l| lone_property(&text[l.start..l.end], indent))
    {
        return None;
    }
    // The first line with content starts the first item, whatever it holds,
    // so nothing but blank lines and comments is left out of the pieces.
    let item_starts: Vec<&Line> = std::iter::once(&block[first_item])
        .chain(
            block[first_item + 1..]
                .iter()
                .filter(|l| starts_item(&text[l.start..l.end], indent)),
        )
        .collect();
    if item_starts.len() < 2 {
        return None;
    }
    // Runs of about equal length, each starting at an item's first line.
    let target = (last.end - item_starts[0].start) / pieces.max(1) + 1;
    let mut runs: Vec<&Line> = vec![item_starts[0]];
    for line in &item_starts[1..] {
        if line.start - runs[runs.len() - 1].start >= target {
            runs.push(line);
        }
    }
    let block_text = &text[item_starts[0].start..last.end];
    let marks = anchor_marks(block_text, item_starts[0].start);
    // An alias after the block to an anchor set in it would resolve to an
    // older anchor in the rest, or to none: read such documents in one pass.
    let after = anchor_marks(&text[last.end..], last.end);
    if after
        .iter()
        .any(|alias| !alias.anchor && marks.iter().any(|m| m.anchor && m.name == alias.name))
    {
        return None;
    }
    // Item i spans item_starts[i].start .. the next item's start (or the block's end).
    let item_end = |i: usize| item_starts.get(i + 1).map_or(last.end, |l| l.start);
    let item_at = |pos: usize| item_starts.partition_point(|l| l.start <= pos) - 1;
    let pieces = runs
        .iter()
        .enumerate()
        .map(|(i, start)| {
            let end = runs.get(i + 1).map_or(last.end, |next| next.start);
            let prelude = prelude_items(&marks, start.start, end, item_at)
                .into_iter()
                .map(|item| &text[item_starts[item].start..item_end(item)])
                .collect();
            Piece {
                prelude,
                text: &text[start.start..end],
                lines_before: start.number - 1,
                indent,
            }
        })
        .collect();
    let mut rest = String::with_capacity(text.len() - (last.end - first.start) + block.len());
    rest.push_str(&text[..first.start]);
    rest.push_str(&"\n".repeat(block.len()));
    rest.push_str(&text[last.end..]);
    Some(Split {
        rest,
        paths_line: key.number,
        pieces,
    })
}

/// An anchor (`&name`) or alias (`*name`) found in the text.
#[derive(Debug)]
struct Mark<'t> {
    /// Byte offset in the document.
    at: usize,
    anchor: bool,
    name: &'t str,
}

/// Every `&name` and `*name` in `text` (which starts at `offset` in the
/// document) that stands where YAML allows an anchor or alias. Prose such as
/// `R &D` may be taken for one as well, which only adds to a prelude.
fn anchor_marks(text: &str, offset: usize) -> Vec<Mark<'_>> {
    let bytes = text.as_bytes();
    let mut marks = Vec::new();
    for (at, b) in bytes.iter().enumerate() {
        if !matches!(b, b'&' | b'*') {
            continue;
        }
        let after_separator = at == 0 || matches!(bytes[at - 1], b' ' | b'\n' | b'[' | b'{' | b',');
        if !after_separator {
            continue;
        }
        let name_len = bytes[at + 1..]
            .iter()
            .position(|c| {
                matches!(
                    c,
                    b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
                )
            })
            .unwrap_or(bytes.len() - at - 1);
        if name_len == 0 {
            continue;
        }
        marks.push(Mark {
            at: offset + at,
            anchor: *b == b'&',
            name: &text[at + 1..at + 1 + name_len],
        });
    }
    marks
}

/// The items before `start` that a run from `start` to `end` needs first: for
/// each alias in the run, the item with the last anchor of that name before
/// the run. `item_at` gives the item that holds a document offset.
fn prelude_items(
    marks: &[Mark<'_>],
    start: usize,
    end: usize,
    item_at: impl Fn(usize) -> usize,
) -> Vec<usize> {
    let mut items: Vec<usize> = marks
        .iter()
        .filter(|m| !m.anchor && (start..end).contains(&m.at))
        .filter_map(|alias| {
            marks
                .iter()
                .rev()
                .find(|m| m.anchor && m.at < start && m.name == alias.name)
                .map(|anchor| item_at(anchor.at))
        })
        .collect();
    items.sort_unstable();
    items.dedup();
    items
}

/// The lines of `text`, each with its `\n` (the last may have none).
fn lines_of(text: &str) -> Vec<Line> {
    let mut lines = Vec::with_capacity(text.len() / 32);
    let mut start = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        lines.push(Line {
            start,
            end: start + line.len(),
            number: number + 1,
        });
        start += line.len();
    }
    lines
}

/// `paths:` at the start of a line, with nothing after it but a comment.
fn is_paths_key(line: &str) -> bool {
    let Some(after) = line.strip_prefix("paths:") else {
        return false;
    };
    let trimmed = after.trim_start();
    trimmed.is_empty() || (trimmed.starts_with('#') && after.len() > trimmed.len())
}

/// Whether a line starts a new top-level node (or a document marker): it
/// starts with something that is not blank space or a comment.
fn starts_top_level(line: &str) -> bool {
    match line.as_bytes().first() {
        None | Some(b' ' | b'\t' | b'\r' | b'\n' | b'#') => false,
        Some(_) => true,
    }
}

/// The first line of the block with content, and its indentation (the items').
fn item_indent(text: &str, block: &[Line]) -> Option<(usize, usize)> {
    let (at, line) = block
        .iter()
        .map(|l| &text[l.start..l.end])
        .enumerate()
        .find(|(_, l)| {
            let content = l.trim_start_matches([' ', '\t']);
            !content.trim().is_empty() && !content.starts_with('#')
        })?;
    let indent = line.len() - line.trim_start_matches(' ').len();
    (indent > 0 && !line[indent..].starts_with('\t')).then_some((at, indent))
}

/// Whether `line` is, at `indent`, an anchor (`&a`) or tag (`!t`) with
/// nothing after it but a comment.
fn lone_property(line: &str, indent: usize) -> bool {
    let Some(content) = line
        .get(indent..)
        .filter(|_| line[..indent].bytes().all(|b| b == b' '))
    else {
        return false;
    };
    if !content.starts_with(['&', '!']) {
        return false;
    }
    let after = content
        .split_once([' ', '\t'])
        .map_or("", |(_, rest)| rest)
        .trim();
    after.is_empty() || after.starts_with('#')
}

/// Whether `line` starts an item: exactly `indent` spaces, then content
/// that is not the `:` of a complex key (`? key` / `: value`) nor a `-` of a
/// list written at its key's indentation; those belong to the item above.
fn starts_item(line: &str, indent: usize) -> bool {
    let bytes = line.as_bytes();
    if bytes.len() <= indent || !bytes[..indent].iter().all(|b| *b == b' ') {
        return false;
    }
    let indicator = |c: u8| {
        bytes[indent] == c
            && matches!(
                bytes.get(indent + 1),
                None | Some(b' ' | b'\t' | b'\r' | b'\n')
            )
    };
    !matches!(bytes[indent], b' ' | b'\t' | b'\r' | b'\n' | b'#')
        && !indicator(b':')
        && !indicator(b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.1.0\npaths:\n  # first\n  /a:\n    get: {}\n\n  /b:\n    description: |\n      text\n       more\n  /c: {}\nx: 1\n";

    #[test]
    fn items_are_cut_at_their_keys_and_lines_keep_their_numbers() {
        let split = split(DOC, 8, 0).unwrap();
        assert_eq!(split.paths_line, 2);
        let texts: Vec<&str> = split.pieces.iter().map(|p| p.text).collect();
        assert_eq!(
            texts,
            [
                "  /a:\n    get: {}\n\n",
                "  /b:\n    description: |\n      text\n       more\n",
                "  /c: {}\n"
            ]
        );
        assert_eq!(split.pieces[1].lines_before, 6);
        assert_eq!(
            split.rest,
            "openapi: 3.1.0\npaths:\n\n\n\n\n\n\n\n\n\nx: 1\n"
        );
        assert_eq!(split.rest.lines().count(), DOC.lines().count());
    }

    #[test]
    fn runs_hold_several_items_when_fewer_pieces_are_asked() {
        let split = split(DOC, 1, 0).unwrap();
        assert_eq!(split.pieces.len(), 1);
        assert!(
            split.pieces[0].text.starts_with("  /a:") && split.pieces[0].text.ends_with("/c: {}\n")
        );
    }

    #[test]
    fn unusual_forms_are_not_split() {
        // Flow form, a value on the key's line, two `paths` keys, a short block, no items.
        assert!(split("paths: {}\n", 2, 0).is_none());
        assert!(split("paths: &p\n  /a: {}\n  /b: {}\n", 2, 0).is_none());
        assert!(split(
            "paths:\n  /a: {}\n  /b: {}\npaths:\n  /c: {}\n  /d: {}\n",
            2,
            0
        )
        .is_none());
        assert!(split(DOC, 2, 10_000).is_none());
        assert!(split("paths:\n  /a: {}\n", 2, 0).is_none());
        assert!(split("paths:\n\t/a: {}\n\t/b: {}\n", 2, 0).is_none());
    }

    #[test]
    fn runs_get_the_items_that_set_the_anchors_they_alias() {
        let doc = "paths:\n  /a:\n    x: &one 1\n  /b:\n    x: &two 2\n  /c:\n    y: *one\n    z: [*two, *none]\n  /d: {a: *one}\n";
        let split = split(doc, 8, 0).unwrap();
        assert_eq!(split.pieces.len(), 4);
        assert!(split.pieces[0].prelude.is_empty());
        assert_eq!(
            split.pieces[2].prelude,
            ["  /a:\n    x: &one 1\n", "  /b:\n    x: &two 2\n"]
        );
        assert_eq!(split.pieces[3].prelude, ["  /a:\n    x: &one 1\n"]);
        assert_eq!(split.pieces[3].prelude_lines(), 2);
        assert!(split.pieces[3]
            .source()
            .starts_with("  /a:\n    x: &one 1\n  /d:"));
    }

    #[test]
    fn complex_keys_and_lists_at_the_items_indentation_stay_with_their_item() {
        let doc = "paths:\n  ? /a\n  : get: {}\n  /b:\n  - x\n  -\n  /c: {}\n";
        let split = split(doc, 8, 0).unwrap();
        let texts: Vec<&str> = split.pieces.iter().map(|p| p.text).collect();
        assert_eq!(
            texts,
            ["  ? /a\n  : get: {}\n", "  /b:\n  - x\n  -\n", "  /c: {}\n"]
        );
    }

    #[test]
    fn an_anchor_alone_on_a_line_is_not_split_from_its_node() {
        assert!(split("paths:\n  &all # every path\n  /a: 1\n  /b: 2\n", 8, 0).is_none());
        assert!(split("paths:\n  /a: 1\n  !tag\n  /b: 2\n", 8, 0).is_none());
        assert_eq!(
            split("paths:\n  &k /a: 1\n  /b: 2\n", 8, 0)
                .unwrap()
                .pieces
                .len(),
            2
        );
    }

    #[test]
    fn an_alias_after_the_block_to_an_anchor_in_it_is_not_split() {
        assert!(split("paths:\n  /a: &x 1\n  /b: 2\nafter: *x\n", 8, 0).is_none());
        assert!(split("paths:\n  /a: &x 1\n  /b: 2\nafter: &x 3\n", 8, 0).is_some());
    }

    #[test]
    fn crlf_and_comments_after_the_key_are_understood() {
        let doc = "paths: # all of them\r\n  /a: {}\r\n  /b: {}\r\n";
        let split = split(doc, 8, 0).unwrap();
        assert_eq!(split.pieces.len(), 2);
        assert_eq!(split.pieces[1].text, "  /b: {}\r\n");
    }
}
