//! A message laid out for reading: one element per line, indented, values
//! inline; status and Alert codes annotated with their names; on request,
//! base64 data and escaped XML inside `<Data>` decoded. The layout is handed
//! out piece by piece with its kind: choosing colours is the caller's business.

use super::base64;
use super::xml::{self, Element, XmlError};
use crate::codes::{StatusClass, alert, status};

/// What a span is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `<Name …>`, `</Name>`.
    Tag,
    /// Text content.
    Text,
    /// CmdID, MsgID, MsgRef, CmdRef values.
    Reference,
    /// A status code, by class.
    Status(Option<StatusClass>),
    /// An Alert code.
    Alert,
    /// dmtool's own annotations (`<!-- NOT_FOUND -->`, decoded data).
    Note,
    /// Indentation and line breaks.
    Space,
}

/// Receives the layout piece by piece: its kind (for colouring) and its text.
pub type Pieces<'s> = dyn FnMut(Kind, &str) + 's;

/// Indentation, sliced: two spaces a level (deeper levels stay at the last).
const SPACES: &str = "                                                                ";

fn indent(depth: usize) -> &'static str {
    &SPACES[..(2 * depth).min(SPACES.len())]
}

/// Lays out one message (its XML text), handing each piece to `pieces`.
pub fn layout(text: &str, decode: bool, pieces: &mut Pieces<'_>) -> Result<(), XmlError> {
    let root = xml::parse(text)?;
    element(&root, None, 0, decode, pieces);
    Ok(())
}

/// The layout as plain text.
pub fn plain(text: &str, decode: bool) -> Result<String, XmlError> {
    let mut out = String::with_capacity(text.len() * 2);
    layout(text, decode, &mut |_, piece| out.push_str(piece))?;
    Ok(out)
}

fn open_tag(element: &Element<'_>, pieces: &mut Pieces<'_>, close: &str) {
    pieces(Kind::Tag, "<");
    pieces(Kind::Tag, &element.name);
    if !element.attributes.is_empty() {
        pieces(Kind::Tag, " ");
        pieces(Kind::Tag, &element.attributes);
    }
    pieces(Kind::Tag, close);
}

fn close_tag(element: &Element<'_>, pieces: &mut Pieces<'_>) {
    pieces(Kind::Tag, "</");
    pieces(Kind::Tag, &element.name);
    pieces(Kind::Tag, ">");
}

fn element(
    element: &Element<'_>,
    parent: Option<&str>,
    depth: usize,
    decode: bool,
    pieces: &mut Pieces<'_>,
) {
    pieces(Kind::Space, indent(depth));
    let text = element.text.trim();
    if element.children.is_empty() && text.is_empty() {
        open_tag(element, pieces, "/>");
        pieces(Kind::Space, "\n");
        return;
    }
    open_tag(element, pieces, ">");
    if element.children.is_empty() {
        value(element, parent, text, pieces);
        close_tag(element, pieces);
        annotate(element, parent, text, decode, depth, pieces);
        pieces(Kind::Space, "\n");
        return;
    }
    pieces(Kind::Space, "\n");
    if !text.is_empty() {
        pieces(Kind::Space, indent(depth + 1));
        pieces(Kind::Text, &quick_xml::escape::escape(text));
        pieces(Kind::Space, "\n");
    }
    for child in &element.children {
        self::element(child, Some(&element.name), depth + 1, decode, pieces);
    }
    pieces(Kind::Space, indent(depth));
    close_tag(element, pieces);
    pieces(Kind::Space, "\n");
}

/// An element's text, styled by what it is.
fn value(element: &Element<'_>, parent: Option<&str>, text: &str, pieces: &mut Pieces<'_>) {
    let kind = match (&*element.name, parent) {
        ("CmdID" | "MsgID" | "MsgRef" | "CmdRef", _) => Kind::Reference,
        ("Data", Some("Status")) => Kind::Status(text.parse().ok().and_then(StatusClass::of)),
        ("Data", Some("Alert")) => Kind::Alert,
        _ => Kind::Text,
    };
    pieces(kind, &quick_xml::escape::escape(text));
}

/// `<!-- NAME -->` after a status or Alert code; decoded data on request.
fn annotate(
    element: &Element<'_>,
    parent: Option<&str>,
    text: &str,
    decode: bool,
    depth: usize,
    pieces: &mut Pieces<'_>,
) {
    let name = match (&*element.name, parent) {
        ("Data", Some("Status")) => text.parse().ok().and_then(status::name_of),
        ("Data", Some("Alert")) => text.parse().ok().and_then(alert::get).map(|a| a.name),
        ("Data", _) if decode => {
            decoded(text, depth, pieces);
            None
        }
        _ => None,
    };
    if let Some(name) = name {
        pieces(Kind::Note, " <!-- ");
        pieces(Kind::Note, name);
        pieces(Kind::Note, " -->");
    }
}

/// Escaped XML shown as elements; base64 shown as text when it decodes to text.
fn decoded(text: &str, depth: usize, pieces: &mut Pieces<'_>) {
    if text.starts_with('<')
        && let Ok(inner) = xml::parse(text)
    {
        pieces(Kind::Note, " <!-- decoded XML: -->\n");
        // The nested layout, as notes, without its last line break.
        let mut nested: Vec<(Kind, String)> = Vec::new();
        element(&inner, None, depth + 1, true, &mut |kind, piece| {
            nested.push((kind, piece.to_owned()));
        });
        if nested.last().is_some_and(|(_, piece)| piece == "\n") {
            nested.pop();
        }
        for (kind, piece) in nested {
            pieces(
                if kind == Kind::Space {
                    Kind::Space
                } else {
                    Kind::Note
                },
                &piece,
            );
        }
        return;
    }
    if text.len() >= 4
        && let Some(bytes) = base64::decode(text)
    {
        let shown = match String::from_utf8(bytes) {
            Ok(decoded)
                if decoded
                    .chars()
                    .all(|c| !c.is_control() || c == '\n' || c == '\t') =>
            {
                format!(" <!-- base64: {} -->", decoded.replace("--", "- -"))
            }
            Ok(decoded) => format!(" <!-- base64: {} bytes -->", decoded.len()),
            Err(error) => format!(
                " <!-- base64: {} bytes of binary -->",
                error.as_bytes().len()
            ),
        };
        pieces(Kind::Note, &shown);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_indented_and_codes_annotated() {
        let text = "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncBody><Status><CmdID>1</CmdID>\
                    <Data>404</Data></Status><Alert><Data>1201</Data></Alert><Final/></SyncBody></SyncML>";
        let mut kinds = Vec::new();
        layout(text, false, &mut |kind, piece| {
            kinds.push((kind, piece.to_owned()))
        })
        .expect("lays out");
        let shown = plain(text, false).expect("lays out");
        assert!(
            shown.starts_with("<SyncML xmlns=\"SYNCML:SYNCML1.2\">\n  <SyncBody>\n"),
            "{shown}"
        );
        assert!(
            shown.contains("      <Data>404</Data> <!-- NOT_FOUND -->\n"),
            "{shown}"
        );
        assert!(
            shown.contains("<Data>1201</Data> <!-- CLIENT_INITIATED_MGMT -->"),
            "{shown}"
        );
        assert!(shown.contains("    <Final/>\n"), "{shown}");
        assert!(
            kinds
                .iter()
                .any(|(kind, _)| *kind == Kind::Status(Some(StatusClass::OriginatorException)))
        );
        assert!(
            kinds
                .iter()
                .any(|(kind, piece)| *kind == Kind::Reference && piece == "1")
        );
    }

    #[test]
    fn data_is_decoded_on_request_only() {
        let text = "<SyncML><Item><Data>dXNlcjpwYXNz</Data></Item>\
                    <Item><Data>&lt;Config&gt;&lt;A&gt;1&lt;/A&gt;&lt;/Config&gt;</Data></Item></SyncML>";
        let plain_layout = plain(text, false).expect("lays out");
        assert!(!plain_layout.contains("base64"));
        assert!(plain_layout.contains("&lt;Config&gt;"), "{plain_layout}");
        let decoded = plain(text, true).expect("lays out");
        assert!(decoded.contains("<!-- base64: user:pass -->"), "{decoded}");
        assert!(decoded.contains("decoded XML"), "{decoded}");
        assert!(decoded.contains("<A>1</A>"), "{decoded}");
    }
}
