//! libyaml's parser behind a safe interface: the loader reads YAML from its events.
//!
//! It is `unsafe-libyaml`, libyaml translated from C to Rust, the parser
//! serde_yaml is built on, so the loader accepts exactly what serde_yaml
//! accepts. Its safe port `libyaml-safer` 0.3 was tried first and does not
//! agree: it panics where libyaml reads on, on a tag followed by a comma in
//! a flow collection (`[!foo, x]`, a branch left as a `TODO`) and on a text
//! that ends inside a block scalar with no final line break. The unsafety
//! is all here, as in serde_yaml's own wrapper (`src/libyaml/parser.rs`):
//! the parser lives in one heap allocation that never moves (libyaml points
//! into it) and borrows the input; each event is copied out and freed.

use std::ffi::CStr;
use std::mem::MaybeUninit;
use std::ptr::NonNull;

#[allow(clippy::unsafe_removed_from_name)] // The name serde_yaml gives it.
use unsafe_libyaml as sys;

/// One parsing event.
pub enum Event {
    StreamEnd,
    DocumentStart,
    Alias(String),
    Scalar(ScalarEvent),
    SequenceStart(Option<String>),
    MappingStart(Option<String>),
    /// The end of a sequence or a mapping.
    End,
    /// The stream's start and a document's end, which carry nothing the loader reads.
    Other,
}

pub struct ScalarEvent {
    pub anchor: Option<String>,
    pub tag: Option<String>,
    pub value: String,
    /// Whether the scalar is plain (not quoted, not a block scalar).
    pub plain: bool,
}

/// libyaml's parser over a text.
pub struct Parser<'input> {
    sys: NonNull<sys::yaml_parser_t>,
    input: &'input str,
}

impl<'input> Parser<'input> {
    pub fn new(input: &'input str) -> Self {
        let boxed = Box::new(MaybeUninit::<sys::yaml_parser_t>::uninit());
        let sys = NonNull::from(Box::leak(boxed)).cast::<sys::yaml_parser_t>();
        // SAFETY: a fresh allocation for libyaml to initialise; the input
        // outlives the parser (`'input`).
        unsafe {
            if sys::yaml_parser_initialize(sys.as_ptr()).fail {
                panic!("libyaml could not allocate its parser");
            }
            sys::yaml_parser_set_encoding(sys.as_ptr(), sys::YAML_UTF8_ENCODING);
            sys::yaml_parser_set_input_string(sys.as_ptr(), input.as_ptr(), input.len() as u64);
        }
        Parser { sys, input }
    }

    /// The next event and the 1-based line where it starts, or libyaml's
    /// error (worded as serde_yaml words it) and its line.
    pub fn next(&mut self) -> Result<(Event, usize), (String, usize)> {
        let parser = self.sys.as_ptr();
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        // SAFETY: the parser is initialised; the event is read only once
        // libyaml has filled it, and freed once.
        unsafe {
            if (&*parser).error != sys::YAML_NO_ERROR
                || sys::yaml_parser_parse(parser, event.as_mut_ptr()).fail
            {
                return Err(error(&*parser, self.input));
            }
            let event = event.as_mut_ptr();
            let read = (convert(&*event), (*event).start_mark.line as usize + 1);
            sys::yaml_event_delete(event);
            Ok(read)
        }
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`; deleted and freed only here.
        unsafe {
            sys::yaml_parser_delete(self.sys.as_ptr());
            drop(Box::from_raw(
                self.sys.cast::<MaybeUninit<sys::yaml_parser_t>>().as_ptr(),
            ));
        }
    }
}

/// SAFETY: `event` was filled by `yaml_parser_parse` and not yet deleted.
unsafe fn convert(event: &sys::yaml_event_t) -> Event {
    let data = &event.data;
    match event.type_ {
        sys::YAML_STREAM_END_EVENT => Event::StreamEnd,
        sys::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
        sys::YAML_ALIAS_EVENT => Event::Alias(text(data.alias.anchor).unwrap_or_default()),
        sys::YAML_SCALAR_EVENT => {
            let s = &data.scalar;
            let bytes = std::slice::from_raw_parts(s.value, s.length as usize);
            Event::Scalar(ScalarEvent {
                anchor: text(s.anchor),
                tag: text(s.tag),
                value: String::from_utf8_lossy(bytes).into_owned(),
                plain: s.style == sys::YAML_PLAIN_SCALAR_STYLE,
            })
        }
        sys::YAML_SEQUENCE_START_EVENT => Event::SequenceStart(text(data.sequence_start.anchor)),
        sys::YAML_MAPPING_START_EVENT => Event::MappingStart(text(data.mapping_start.anchor)),
        sys::YAML_SEQUENCE_END_EVENT | sys::YAML_MAPPING_END_EVENT => Event::End,
        _ => Event::Other,
    }
}

/// SAFETY: `p` is null or a NUL-terminated string.
unsafe fn text(p: *const u8) -> Option<String> {
    let p = NonNull::new(p.cast_mut())?.as_ptr().cast();
    Some(CStr::from_ptr(p).to_string_lossy().into_owned())
}

/// libyaml's error as serde_yaml words it, and its line (the reader's errors
/// have no mark, only a byte offset).
///
/// SAFETY: `parser` holds an error, whose strings are static.
unsafe fn error(parser: &sys::yaml_parser_t, input: &str) -> (String, usize) {
    let at = |m: sys::yaml_mark_t| (m.line != 0 || m.column != 0).then_some((m.line, m.column));
    let shown = |(line, column)| format!(" at line {} column {}", line + 1, column + 1);
    let (mark, offset) = (at(parser.problem_mark), parser.problem_offset as usize);
    let mut message = text(parser.problem.cast()).unwrap_or_default();
    message += &mark.map_or_else(|| format!(" at position {offset}"), shown);
    if let Some(context) = text(parser.context.cast()) {
        message += &format!(", {context}");
        if let Some(m) = at(parser.context_mark).filter(|m| Some(*m) != mark) {
            message += &shown(m);
        }
    }
    let line = match mark {
        Some((line, _)) => line as usize,
        None => input.get(..offset).map_or(0, |t| t.matches('\n').count()),
    };
    (message, line + 1)
}
