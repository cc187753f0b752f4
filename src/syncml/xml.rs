//! XML text to a small element tree, with quick-xml. No DTD is processed and no
//! entity is expanded but the five predefined ones and character references;
//! nesting is bounded. Names are local names (`SyncML` whatever its namespace).

use std::fmt;

use quick_xml::events::{BytesRef, Event};
use quick_xml::reader::Reader;

/// How deep elements may nest; SyncML needs about 10.
pub const MAX_DEPTH: usize = 64;

/// An element: its local name, its attributes as written, its text (all text
/// children joined) and its element children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attributes: String,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child with this name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    /// Every child with this name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// The trimmed text of the element at this path of child names.
    pub fn text_at(&self, path: &[&str]) -> Option<String> {
        let mut element = self;
        for name in path {
            element = element.child(name)?;
        }
        Some(element.text.trim().to_owned())
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

/// Parses one document into its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = false;
    // Devices and servers write `MAXDT=20&DR=2` in Alert data: a bare `&` is
    // read as text rather than refusing the whole message.
    config.allow_dangling_amp = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|e| XmlError {
            offset: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError {
                        offset: position,
                        message: format!("elements nest deeper than {MAX_DEPTH}"),
                    });
                }
                stack.push(Element {
                    name: local_name(start.local_name().as_ref()),
                    attributes: start.attributes_raw().trim().to_owned(),
                    ..Element::default()
                });
            }
            Event::Empty(start) => {
                let element = Element {
                    name: local_name(start.local_name().as_ref()),
                    attributes: start.attributes_raw().trim().to_owned(),
                    ..Element::default()
                };
                attach(&mut stack, &mut root, element, position)?;
            }
            Event::End(_) => {
                let element = stack.pop().ok_or_else(|| XmlError {
                    offset: position,
                    message: "an end tag without a start tag".into(),
                })?;
                attach(&mut stack, &mut root, element, position)?;
            }
            Event::Text(text) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&data.into_inner());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(top) = stack.last_mut() {
                    push_reference(&mut top.text, &reference);
                }
            }
            Event::Eof => break,
            // Declarations, processing instructions, comments and DOCTYPE carry
            // nothing a DM message needs; a DOCTYPE's entities are never used.
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError {
            offset: text.len() as u64,
            message: format!("the document ends inside <{}>", open.name),
        });
    }
    root.ok_or_else(|| XmlError {
        offset: 0,
        message: "no element".into(),
    })
}

fn local_name(name: &str) -> String {
    name.to_owned()
}

fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    element: Element,
    position: u64,
) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_none() => *root = Some(element),
        None => {
            return Err(XmlError {
                offset: position,
                message: "a second root element".into(),
            });
        }
    }
    Ok(())
}

/// `&lt;` and friends, and `&#…;`; any other entity is kept as written.
fn push_reference(text: &mut String, reference: &BytesRef<'_>) {
    if reference.is_char_ref()
        && let Ok(Some(c)) = reference.resolve_char_ref()
    {
        text.push(c);
        return;
    }
    let name: &str = reference;
    match quick_xml::escape::resolve_predefined_entity(name) {
        Some(value) => text.push_str(value),
        None => {
            text.push('&');
            text.push_str(name);
            text.push(';');
        }
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
        assert_eq!(root.text_at(&["SyncHdr", "MsgID"]).as_deref(), Some("1"));
        assert_eq!(
            root.text_at(&["SyncBody", "Data"]).as_deref(),
            Some("a < b & A")
        );
        assert!(
            root.child("SyncBody")
                .and_then(|b| b.child("Final"))
                .is_some()
        );
    }

    #[test]
    fn a_bare_ampersand_is_text() {
        let root = parse("<SyncML><Data>MAXDT=20&DR=2</Data></SyncML>").expect("parses");
        assert_eq!(root.text_at(&["Data"]).as_deref(), Some("MAXDT=20&DR=2"));
    }

    #[test]
    fn entities_of_a_doctype_are_never_expanded() {
        let root =
            parse("<!DOCTYPE x [<!ENTITY big \"aaaaaaaaaa\">]><SyncML><Data>&big;</Data></SyncML>")
                .expect("parses");
        assert_eq!(root.text_at(&["Data"]).as_deref(), Some("&big;"));
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
