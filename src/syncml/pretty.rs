//! A message laid out for reading: one element per line, indented, values
//! inline; status and Alert codes annotated with their names; on request,
//! base64 data and escaped XML inside `<Data>` decoded. The result is a list of
//! styled spans: choosing colours is the caller's business.

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

/// A piece of the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub kind: Kind,
    pub text: String,
}

/// Lays out one message (its XML text).
pub fn layout(text: &str, decode: bool) -> Result<Vec<Span>, XmlError> {
    let root = xml::parse(text)?;
    let mut spans = Vec::new();
    element(&root, None, 0, decode, &mut spans);
    Ok(spans)
}

fn push(spans: &mut Vec<Span>, kind: Kind, text: impl Into<String>) {
    spans.push(Span {
        kind,
        text: text.into(),
    });
}

fn open_tag(element: &Element) -> String {
    if element.attributes.is_empty() {
        format!("<{}>", element.name)
    } else {
        format!("<{} {}>", element.name, element.attributes)
    }
}

fn element(
    element: &Element,
    parent: Option<&str>,
    depth: usize,
    decode: bool,
    spans: &mut Vec<Span>,
) {
    let indent = "  ".repeat(depth);
    push(spans, Kind::Space, indent.clone());
    let text = element.text.trim();
    if element.children.is_empty() && text.is_empty() {
        let tag = if element.attributes.is_empty() {
            format!("<{}/>", element.name)
        } else {
            format!("<{} {}/>", element.name, element.attributes)
        };
        push(spans, Kind::Tag, tag);
        push(spans, Kind::Space, "\n");
        return;
    }
    push(spans, Kind::Tag, open_tag(element));
    if element.children.is_empty() {
        value(element, parent, text, spans);
        push(spans, Kind::Tag, format!("</{}>", element.name));
        annotate(element, parent, text, decode, depth, spans);
        push(spans, Kind::Space, "\n");
        return;
    }
    push(spans, Kind::Space, "\n");
    if !text.is_empty() {
        push(spans, Kind::Space, "  ".repeat(depth + 1));
        push(
            spans,
            Kind::Text,
            quick_xml::escape::escape(text).into_owned(),
        );
        push(spans, Kind::Space, "\n");
    }
    for child in &element.children {
        self::element(child, Some(&element.name), depth + 1, decode, spans);
    }
    push(spans, Kind::Space, indent);
    push(spans, Kind::Tag, format!("</{}>", element.name));
    push(spans, Kind::Space, "\n");
}

/// An element's text, styled by what it is.
fn value(element: &Element, parent: Option<&str>, text: &str, spans: &mut Vec<Span>) {
    let escaped = quick_xml::escape::escape(text).into_owned();
    let kind = match (&*element.name, parent) {
        ("CmdID" | "MsgID" | "MsgRef" | "CmdRef", _) => Kind::Reference,
        ("Data", Some("Status")) => Kind::Status(text.parse().ok().and_then(StatusClass::of)),
        ("Data", Some("Alert")) => Kind::Alert,
        _ => Kind::Text,
    };
    push(spans, kind, escaped);
}

/// `<!-- NAME -->` after a status or Alert code; decoded data on request.
fn annotate(
    element: &Element,
    parent: Option<&str>,
    text: &str,
    decode: bool,
    depth: usize,
    spans: &mut Vec<Span>,
) {
    match (&*element.name, parent) {
        ("Data", Some("Status")) => {
            if let Some(name) = text.parse().ok().and_then(status::name_of) {
                push(spans, Kind::Note, format!(" <!-- {name} -->"));
            }
        }
        ("Data", Some("Alert")) => {
            if let Some(entry) = text.parse().ok().and_then(alert::get) {
                push(spans, Kind::Note, format!(" <!-- {} -->", entry.name));
            }
        }
        ("Data", _) if decode => decoded(text, depth, spans),
        _ => {}
    }
}

/// Escaped XML shown as elements; base64 shown as text when it decodes to text.
fn decoded(text: &str, depth: usize, spans: &mut Vec<Span>) {
    if text.starts_with('<')
        && let Ok(inner) = xml::parse(text)
    {
        push(spans, Kind::Note, " <!-- decoded XML: -->\n");
        let mut nested = Vec::new();
        element(&inner, None, depth + 1, true, &mut nested);
        // Drop the last line break: the caller ends the line.
        if nested.last().is_some_and(|s| s.text == "\n") {
            nested.pop();
        }
        for span in nested {
            spans.push(Span {
                kind: if span.kind == Kind::Space {
                    Kind::Space
                } else {
                    Kind::Note
                },
                text: span.text,
            });
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
        push(spans, Kind::Note, shown);
    }
}

/// The layout as plain text.
pub fn plain(spans: &[Span]) -> String {
    spans.iter().map(|span| span.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_indented_and_codes_annotated() {
        let text = "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncBody><Status><CmdID>1</CmdID>\
                    <Data>404</Data></Status><Alert><Data>1201</Data></Alert><Final/></SyncBody></SyncML>";
        let spans = layout(text, false).expect("lays out");
        let shown = plain(&spans);
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
            spans
                .iter()
                .any(|s| s.kind == Kind::Status(Some(StatusClass::OriginatorException)))
        );
        assert!(
            spans
                .iter()
                .any(|s| s.kind == Kind::Reference && s.text == "1")
        );
    }

    #[test]
    fn data_is_decoded_on_request_only() {
        let text = "<SyncML><Item><Data>dXNlcjpwYXNz</Data></Item>\
                    <Item><Data>&lt;Config&gt;&lt;A&gt;1&lt;/A&gt;&lt;/Config&gt;</Data></Item></SyncML>";
        let plain_layout = plain(&layout(text, false).expect("lays out"));
        assert!(!plain_layout.contains("base64"));
        assert!(plain_layout.contains("&lt;Config&gt;"), "{plain_layout}");
        let decoded = plain(&layout(text, true).expect("lays out"));
        assert!(decoded.contains("<!-- base64: user:pass -->"), "{decoded}");
        assert!(decoded.contains("decoded XML"), "{decoded}");
        assert!(decoded.contains("<A>1</A>"), "{decoded}");
    }
}
