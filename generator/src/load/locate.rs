//! The source line of every node, for reporting problems by line.
//!
//! The YAML reader (`parse.rs`) fills a [`LineIndex`] in the same pass that
//! builds the value, so finding the line of a JSON pointer never reads the text
//! again. The index is flat: one entry per node in document order, each with a
//! hash of its key (or item index) and the end of its subtree, so a lookup skips
//! whole subtrees and costs a few steps per pointer segment.

use crate::diagnostics::segments_of;

/// Lines of the nodes of one document.
#[derive(Debug, Default)]
pub struct LineIndex {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Hash of the key (mapping member) or of the decimal index (sequence item).
    key: u64,
    /// 1-based line where the node (for a member: its key) starts.
    line: u32,
    /// Index of the first entry after this node's subtree.
    end: u32,
}

impl LineIndex {
    /// Starts a node; its subtree ends at the matching [`LineIndex::close`].
    pub fn open(&mut self, key: &str, line: usize) -> usize {
        self.entries.push(Entry {
            key: hash(key.as_bytes()),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            end: u32::MAX,
        });
        self.entries.len() - 1
    }

    /// Ends the node opened as `entry`: everything opened since belongs to it.
    pub fn close(&mut self, entry: usize) {
        let end = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        if let Some(e) = self.entries.get_mut(entry) {
            e.end = end;
        }
    }

    /// The line of the node at `pointer` (`""` is the document itself), when it is in the text.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let len = self.entries.len();
        let mut at = 0;
        if len == 0 {
            return None;
        }
        if !pointer.is_empty() {
            for segment in segments_of(pointer) {
                let key = hash(segment.as_bytes());
                let end = (self.entries[at].end as usize).min(len);
                let mut child = at + 1;
                let mut found = None;
                while child < end {
                    if self.entries[child].key == key {
                        found = Some(child);
                        break;
                    }
                    // Skip the child's subtree; an unclosed entry (a cut-off parse) ends the walk.
                    child = (self.entries[child].end as usize).max(child + 1);
                }
                at = found?;
            }
        }
        Some(self.entries[at].line as usize)
    }
}

/// FNV-1a: fast on short keys, and a collision only costs a wrong line in a message.
fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_keys_and_items() {
        let text = "a:\n  b:\n    - x\n    - c: 1\n\"d/e\": 2\n";
        let index = super::super::parse::line_index(text).unwrap();
        let found =
            ["/a/b/1/c", "/a", "/a/b/0", "/d~1e", "/zz", "/a/b/1/c/d"].map(|p| index.line_of(p));
        assert_eq!(found, [Some(4), Some(1), Some(3), Some(5), None, None]);
    }
}
