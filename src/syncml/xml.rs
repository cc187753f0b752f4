//! XML text to events for a [`Handler`] (a small element tree, a message), with
//! the fast reader of plain XML (`scan`) or quick-xml. No DTD is processed and
//! no entity is expanded but the five predefined ones and character
//! references; nesting is bounded. Names are local names (`SyncML` whatever its
//! namespace).

use std::borrow::Cow;
use std::fmt;

use quick_xml::events::{BytesRef, Event};
use quick_xml::reader::Reader;

use super::scan;

/// How deep elements may nest; SyncML needs about 10.
pub const MAX_DEPTH: usize = 64;

/// An element: its local name, its attributes as written, its text (all text
/// children joined) and its element children. Borrows from the document where
/// it can: gigabytes of logs go through here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element<'a> {
    pub name: Cow<'a, str>,
    pub attributes: Cow<'a, str>,
    pub text: Cow<'a, str>,
    pub children: Vec<Element<'a>>,
}

impl<'a> Element<'a> {
    /// The first child with this name.
    /// (For tests: readers of a message use `build.rs`.)
    #[cfg(test)]
    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|child| child.name == name)
    }

    /// Every child with this name.
    /// (For tests: readers of a message use `build.rs`.)
    #[cfg(test)]
    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element<'a>> {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// The trimmed text of the element at this path of child names.
    /// (For tests: readers of a message use `build.rs`.)
    #[cfg(test)]
    pub fn text_at(&self, path: &[&str]) -> Option<&str> {
        let mut element = self;
        for name in path {
            element = element.child(name)?;
        }
        Some(element.text.trim())
    }

    /// The element's content as compact XML (for data that holds elements).
    pub fn inner_xml(&self) -> String {
        let mut out = String::new();
        out.push_str(self.text.trim());
        for child in &self.children {
            child.write_xml(&mut out);
        }
        out
    }

    fn write_xml(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        out.push('>');
        out.push_str(&quick_xml::escape::escape(self.text.trim()));
        for child in &self.children {
            child.write_xml(out);
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

/// Why a document could not be read, and where (a byte offset in it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub offset: u64,
    pub message: String,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for XmlError {}

/// `part` as a slice of `whole` with `whole`'s lifetime, when it is one (the
/// reader hands out names borrowed from itself, but they point into the text).
fn borrowed<'a>(whole: &'a str, part: &str) -> Cow<'a, str> {
    let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
    match whole.get(start..start.wrapping_add(part.len())) {
        Some(slice) if slice.as_ptr() == part.as_ptr() => Cow::Borrowed(slice),
        _ => Cow::Owned(part.to_owned()),
    }
}

/// `next`, the byte after `<name` in a text, ends the name there: a start
/// tag's `>`, white space before attributes, `/>`, or the text's end
/// (`None`). `<SyncMLServlet` is no `<SyncML`.
pub fn ends_tag_name(next: Option<&u8>) -> bool {
    matches!(
        next,
        None | Some(b'>' | b' ' | b'\t' | b'\r' | b'\n' | b'/')
    )
}

/// Appends text, borrowing when it is the first piece.
pub fn append<'a>(target: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if target.is_empty() {
        *target = piece;
    } else {
        target.to_mut().push_str(&piece);
    }
}

/// What the parser hands on, in document order: it checks well-formedness and
/// nesting; a handler builds what it needs (a tree, a message) from the events.
pub trait Handler<'a> {
    /// An element opens (an empty element opens and ends at once).
    fn start(&mut self, name: Cow<'a, str>, attributes: Cow<'a, str>);
    /// The innermost open element ends.
    fn end(&mut self);
    /// Text of the innermost open element, unescaped; an element's text may
    /// come in several pieces.
    fn text(&mut self, piece: Cow<'a, str>);
    /// Whether text here is used: a reader may skip what is not.
    fn wants_text(&self) -> bool {
        true
    }
}

/// Parses one document into its root element.
pub fn parse(text: &str) -> Result<Element<'_>, XmlError> {
    let tree: Tree = read(text)?;
    tree.root.ok_or_else(|| XmlError {
        offset: 0,
        message: "no element".into(),
    })
}

/// Reads one document into a new handler: with the fast reader of plain XML
/// ([`scan`]) when it is plain, else with quick-xml, which says what is wrong
/// when something is.
pub fn read<'a, S: Handler<'a> + Default>(text: &'a str) -> Result<S, XmlError> {
    let mut handler = S::default();
    if scan::parse_into(text, &mut handler).is_ok() {
        return Ok(handler);
    }
    let mut handler = S::default();
    parse_into(text, &mut handler)?;
    Ok(handler)
}

/// Parses one document into `handler` with quick-xml. Errors: not well-formed, nesting deeper
/// than [`MAX_DEPTH`], a second root element, the end inside an element, no
/// element at all.
pub fn parse_into<'a>(text: &'a str, handler: &mut impl Handler<'a>) -> Result<(), XmlError> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = false;
    // Devices and servers write `MAXDT=20&DR=2` in Alert data: a bare `&` is
    // read as text rather than refusing the whole message.
    config.allow_dangling_amp = true;
    // The names of the open elements, innermost last.
    let mut open: Vec<Cow<'a, str>> = Vec::with_capacity(16);
    let mut had_root = false;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|e| XmlError {
            offset: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(_) | Event::Empty(_) if open.is_empty() && had_root => {
                return Err(XmlError {
                    offset: position,
                    message: "a second root element".into(),
                });
            }
            Event::Start(start) => {
                if open.len() >= MAX_DEPTH {
                    return Err(XmlError {
                        offset: position,
                        message: format!("elements nest deeper than {MAX_DEPTH}"),
                    });
                }
                let name = borrowed(text, start.local_name().as_ref());
                open.push(name.clone());
                handler.start(name, borrowed(text, start.attributes_raw().trim()));
            }
            Event::Empty(start) => {
                handler.start(
                    borrowed(text, start.local_name().as_ref()),
                    borrowed(text, start.attributes_raw().trim()),
                );
                handler.end();
                had_root |= open.is_empty();
            }
            Event::End(_) => {
                if open.pop().is_none() {
                    return Err(XmlError {
                        offset: position,
                        message: "an end tag without a start tag".into(),
                    });
                }
                handler.end();
                had_root |= open.is_empty();
            }
            Event::Text(piece) if !open.is_empty() => handler.text(piece.xml10_content()),
            Event::CData(data) if !open.is_empty() => handler.text(data.into_inner()),
            Event::GeneralRef(reference) if !open.is_empty() => {
                handler.text(resolve_reference(&reference));
            }
            Event::Eof => break,
            // Text outside the root, declarations, processing instructions,
            // comments and DOCTYPE carry nothing a DM message needs; a
            // DOCTYPE's entities are never used.
            _ => {}
        }
    }
    if let Some(name) = open.last() {
        return Err(XmlError {
            offset: text.len() as u64,
            message: format!("the document ends inside <{name}>"),
        });
    }
    if !had_root {
        return Err(XmlError {
            offset: 0,
            message: "no element".into(),
        });
    }
    Ok(())
}

/// The handler that builds the element tree.
#[derive(Default)]
struct Tree<'a> {
    stack: Vec<Element<'a>>,
    root: Option<Element<'a>>,
}

impl<'a> Handler<'a> for Tree<'a> {
    fn start(&mut self, name: Cow<'a, str>, attributes: Cow<'a, str>) {
        self.stack.push(Element {
            name,
            attributes,
            ..Element::default()
        });
    }

    fn end(&mut self) {
        let Some(element) = self.stack.pop() else {
            return;
        };
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(element),
            None => self.root = Some(element),
        }
    }

    fn text(&mut self, piece: Cow<'a, str>) {
        if let Some(top) = self.stack.last_mut() {
            append(&mut top.text, piece);
        }
    }
}

/// `&lt;` and friends, and `&#…;`; any other entity is kept as written.
fn resolve_reference<'a>(reference: &BytesRef<'_>) -> Cow<'a, str> {
    if reference.is_char_ref()
        && let Ok(Some(c)) = reference.resolve_char_ref()
    {
        return Cow::Owned(c.to_string());
    }
    let name: &str = reference;
    match quick_xml::escape::resolve_predefined_entity(name) {
        Some(value) => Cow::Borrowed(value),
        None => Cow::Owned(format!("&{name};")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_becomes_a_tree_with_local_names_and_unescaped_text() {
        let root = parse(
            "<?xml version=\"1.0\"?><SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr>\
             <MsgID>1</MsgID></SyncHdr><SyncBody><Data>a &lt; b &amp; &#65;</Data>\
             <Final/></SyncBody></SyncML>",
        )
        .expect("parses");
        assert_eq!(root.name, "SyncML");
        assert_eq!(root.text_at(&["SyncHdr", "MsgID"]), Some("1"));
        assert_eq!(root.text_at(&["SyncBody", "Data"]), Some("a < b & A"));
        assert!(
            root.child("SyncBody")
                .and_then(|b| b.child("Final"))
                .is_some()
        );
    }

    #[test]
    fn a_bare_ampersand_is_text() {
        let root = parse("<SyncML><Data>MAXDT=20&DR=2</Data></SyncML>").expect("parses");
        assert_eq!(root.text_at(&["Data"]), Some("MAXDT=20&DR=2"));
    }

    #[test]
    fn entities_of_a_doctype_are_never_expanded() {
        let root =
            parse("<!DOCTYPE x [<!ENTITY big \"aaaaaaaaaa\">]><SyncML><Data>&big;</Data></SyncML>")
                .expect("parses");
        assert_eq!(root.text_at(&["Data"]), Some("&big;"));
    }

    #[test]
    fn broken_documents_are_errors_with_an_offset() {
        for bad in [
            "<SyncML><SyncHdr></SyncML>",
            "<SyncML><SyncHdr>",
            "<SyncML></SyncML><SyncML></SyncML>",
            "",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).is_err_and(|e| e.message.contains("nest")));
    }
}
