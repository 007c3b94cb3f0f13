//! Finds the source line of a JSON pointer, for error messages only.
//!
//! The fast parse (serde_yaml) keeps no positions, so when something must be
//! reported we re-read the text once with yaml-rust2's event parser, which
//! marks every node, and follow the pointer through the events. This costs
//! nothing on the happy path.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::segments_of;

/// Fills in the line of every pointer in `pointers`, where it can be found.
pub fn lines_of(text: &str, pointers: &[&str]) -> HashMap<String, usize> {
    let mut wanted: HashMap<Vec<String>, String> = pointers
        .iter()
        .map(|p| (segments_of(p), (*p).to_owned()))
        .collect();
    let mut walker = Walker {
        stack: Vec::new(),
        path: Vec::new(),
        found: HashMap::new(),
        wanted: &mut wanted,
    };
    let mut parser = Parser::new_from_str(text);
    // A syntax error just ends the walk; whatever was found so far is kept.
    let _ = parser.load(&mut walker, false);
    walker.found
}

enum Frame {
    /// In a mapping: `Some(key)` after a key was read, `None` while expecting one.
    Map(Option<String>),
    /// In a sequence: index of the next item.
    Seq(usize),
}

struct Walker<'a> {
    stack: Vec<Frame>,
    path: Vec<String>,
    found: HashMap<String, usize>,
    wanted: &'a mut HashMap<Vec<String>, String>,
}

impl Walker<'_> {
    /// Called when a node starts; returns whether it is a mapping key.
    fn enter_node(&mut self, mark: Marker, scalar: Option<&str>) -> bool {
        match self.stack.last_mut() {
            Some(Frame::Map(key @ None)) => {
                if let Some(s) = scalar {
                    *key = Some(s.to_owned());
                    let mut p = self.path.clone();
                    p.push(s.to_owned());
                    self.record(&p, mark);
                }
                true
            }
            Some(Frame::Map(Some(k))) => {
                self.path.push(k.clone());
                false
            }
            Some(Frame::Seq(i)) => {
                self.path.push(i.to_string());
                *i += 1;
                false
            }
            None => false,
        }
    }

    /// A scalar or alias: a key, or a value that ends where it starts.
    fn scalar(&mut self, mark: Marker, text: Option<&str>) {
        if !self.enter_node(mark, text) {
            let p = self.path.clone();
            self.record(&p, mark);
            self.leave_value();
        }
    }

    fn record(&mut self, path: &[String], mark: Marker) {
        if let Some(p) = self.wanted.remove(path) {
            self.found.insert(p, mark.line());
        }
    }

    /// Called when a value node ends: pops its path segment, resets the key.
    fn leave_value(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map(key)) => {
                *key = None;
                self.path.pop();
            }
            Some(Frame::Seq(_)) => {
                self.path.pop();
            }
            None => {}
        }
    }
}

impl MarkedEventReceiver for Walker<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(s, ..) => self.scalar(mark, Some(&s)),
            Event::Alias(_) => self.scalar(mark, None),
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                self.enter_node(mark, None);
                let p = self.path.clone();
                self.record(&p, mark);
                self.stack.push(if matches!(ev, Event::MappingStart(..)) {
                    Frame::Map(None)
                } else {
                    Frame::Seq(0)
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.leave_value();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_items() {
        let text = "a:\n  b:\n    - x\n    - c: 1\n\"d/e\": 2\n";
        let found = lines_of(text, &["/a/b/1/c", "/a", "/d~1e", "/zz"]);
        assert_eq!(found.get("/a/b/1/c"), Some(&4));
        assert_eq!(found.get("/a"), Some(&1));
        assert_eq!(found.get("/d~1e"), Some(&5));
        assert_eq!(found.get("/zz"), None);
    }

    #[test]
    fn works_on_json() {
        let text = "{\n  \"a\": {\n    \"b\": [1, 2]\n  }\n}";
        let found = lines_of(text, &["/a/b"]);
        assert_eq!(found.get("/a/b"), Some(&3));
    }
}
