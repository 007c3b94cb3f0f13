//! libyaml's parser, run as serde_yaml runs it, behind a safe interface: the
//! loader reads YAML from these events.
//!
//! The parser is `unsafe-libyaml`, libyaml translated from C to Rust, which
//! is the parser serde_yaml is built on: the loader must accept exactly what
//! serde_yaml accepts. Its safe port `libyaml-safer` 0.3 was tried first and
//! does not agree: it panics where libyaml reads on, on a tag followed by a
//! comma in a flow collection (`[!foo, x]`, a branch left as a `TODO`) and
//! on a text that ends inside a block scalar with no final line break. All
//! the unsafety is in this file and follows serde_yaml's own wrapper
//! (`serde_yaml/src/libyaml/parser.rs`): the parser lives in one heap
//! allocation that never moves (libyaml points into it), borrows the input
//! for as long as it lives, and each event is copied out and freed at once.

use std::ffi::CStr;
use std::mem::MaybeUninit;
use std::ptr::NonNull;

use unsafe_libyaml as sys;

/// One parsing event.
pub enum Event {
    StreamEnd,
    DocumentStart,
    Alias(String),
    Scalar {
        anchor: Option<String>,
        tag: Option<String>,
        value: String,
        plain: bool,
    },
    SequenceStart(Option<String>),
    MappingStart(Option<String>),
    /// The end of a sequence or a mapping.
    End,
    /// The stream's start and a document's end, which carry nothing the loader reads.
    Other,
}

/// libyaml's parser over a text.
pub struct Parser<'input> {
    sys: NonNull<sys::yaml_parser_t>,
    input: &'input str,
}

impl<'input> Parser<'input> {
    pub fn new(input: &'input str) -> Self {
        let boxed = Box::new(MaybeUninit::<sys::yaml_parser_t>::uninit());
        let parser = Box::into_raw(boxed).cast::<sys::yaml_parser_t>();
        // SAFETY: `parser` is a fresh allocation for libyaml to initialise;
        // the input outlives the parser (`'input`), and is UTF-8.
        unsafe {
            if sys::yaml_parser_initialize(parser).fail {
                panic!("libyaml could not allocate its parser");
            }
            sys::yaml_parser_set_encoding(parser, sys::YAML_UTF8_ENCODING);
            sys::yaml_parser_set_input_string(parser, input.as_ptr(), input.len() as u64);
        }
        Parser {
            sys: NonNull::new(parser).expect("a box is not null"),
            input,
        }
    }

    /// The next event and the 1-based line where it starts, or libyaml's
    /// error: its message (worded as serde_yaml words it) and line.
    pub fn next(&mut self) -> Result<(Event, usize), (String, usize)> {
        let parser = self.sys.as_ptr();
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        // SAFETY: the parser is initialised, and the event is read only when
        // libyaml has filled it, then freed once.
        unsafe {
            if (&*parser).error != sys::YAML_NO_ERROR
                || sys::yaml_parser_parse(parser, event.as_mut_ptr()).fail
            {
                let (message, mark, offset) = error(&*parser);
                let line = match mark {
                    Some((line, _)) => line as usize + 1,
                    None => {
                        self.input
                            .get(..offset)
                            .map_or(0, |t| t.matches('\n').count())
                            + 1
                    }
                };
                return Err((message, line));
            }
            let event = event.as_mut_ptr();
            let read = convert(&*event);
            let line = (*event).start_mark.line as usize + 1;
            sys::yaml_event_delete(event);
            Ok((read, line))
        }
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        let parser = self.sys.as_ptr();
        // SAFETY: initialised in `new`, deleted and freed only here.
        unsafe {
            sys::yaml_parser_delete(parser);
            drop(Box::from_raw(
                parser.cast::<MaybeUninit<sys::yaml_parser_t>>(),
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
            Event::Scalar {
                anchor: text(s.anchor),
                tag: text(s.tag),
                value: String::from_utf8_lossy(bytes).into_owned(),
                plain: s.style == sys::YAML_PLAIN_SCALAR_STYLE,
            }
        }
        sys::YAML_SEQUENCE_START_EVENT => Event::SequenceStart(text(data.sequence_start.anchor)),
        sys::YAML_MAPPING_START_EVENT => Event::MappingStart(text(data.mapping_start.anchor)),
        sys::YAML_SEQUENCE_END_EVENT | sys::YAML_MAPPING_END_EVENT => Event::End,
        _ => Event::Other,
    }
}

/// SAFETY: `p` is null or a NUL-terminated string that libyaml owns.
unsafe fn text(p: *const u8) -> Option<String> {
    let p = NonNull::new(p.cast_mut())?;
    Some(
        CStr::from_ptr(p.as_ptr().cast())
            .to_string_lossy()
            .into_owned(),
    )
}

/// The message, mark (0-based line and column) and byte offset of libyaml's error.
///
/// SAFETY: `parser` holds an error, whose strings are static.
unsafe fn error(parser: &sys::yaml_parser_t) -> (String, Option<(u64, u64)>, usize) {
    let at = |m: sys::yaml_mark_t| (m.line != 0 || m.column != 0).then_some((m.line, m.column));
    let shown = |m: (u64, u64)| format!(" at line {} column {}", m.0 + 1, m.1 + 1);
    let problem = text(parser.problem.cast()).unwrap_or_else(|| "libyaml failed".into());
    let mark = at(parser.problem_mark);
    let mut message = match mark {
        Some(m) => problem + &shown(m),
        None => format!("{problem} at position {}", parser.problem_offset),
    };
    if let Some(context) = text(parser.context.cast()) {
        message += &format!(", {context}");
        if let Some(m) = at(parser.context_mark).filter(|m| Some(*m) != mark) {
            message += &shown(m);
        }
    }
    (message, mark, parser.problem_offset as usize)
}
