//! A fast reader for the plain XML that DM messages are written in: elements
//! with simple names, attributes in quotes, text without references. It hands
//! the same events as [`xml::parse_into`] to the same [`Handler`], faster (with
//! it `log explain` went from 0.69 s to 0.50 s on the bench log:
//! BENCHMARKS.md), because it knows only this much. Anything else (a reference, CDATA,
//! a comment, a DOCTYPE, a prefixed name, an error of any kind) it does not
//! judge: it gives up, and the message is read again by quick-xml, which says
//! what is wrong when something is. So a document it accepts is one quick-xml
//! accepts with the same events; a unit test and the `scan` fuzz target check
//! that.
//!
//! [`xml::parse_into`]: super::xml::parse_into

use std::borrow::Cow;
use std::cell::Cell;

use super::scratch;
use super::xml::{Handler, MAX_DEPTH};

/// The document is not in the plain form this reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GiveUp;

type Scan<T> = Result<T, GiveUp>;

fn is_name_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

/// The bytes of a name after its first, by value.
const NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.';
        byte += 1;
    }
    table
};

fn is_name_byte(byte: u8) -> bool {
    NAME_BYTES[usize::from(byte)]
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// The reader's place in the document.
struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn slice(&self, from: usize, to: usize) -> Scan<&'a str> {
        self.text.get(from..to).ok_or(GiveUp)
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Scan<()> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// A name: a letter or `_`, then letters, digits, `_`, `-`, `.`; with
    /// `colon`, `:` too (attribute names such as `xmlns:x`).
    fn name(&mut self, colon: bool) -> Scan<&'a str> {
        let start = self.at;
        if !self.peek().is_some_and(is_name_start) {
            return Err(GiveUp);
        }
        self.at += 1;
        while self
            .peek()
            .is_some_and(|b| is_name_byte(b) || (colon && b == b':'))
        {
            self.at += 1;
        }
        self.slice(start, self.at)
    }

    /// The attributes after a start tag's name, up to `>` or `/>`; true for
    /// an empty element. Returns the attributes as written, trimmed.
    fn attributes(&mut self) -> Scan<(&'a str, bool)> {
        // Most tags have none.
        if self.peek() == Some(b'>') {
            self.at += 1;
            return Ok(("", false));
        }
        let start = self.at;
        let mut end = self.at;
        loop {
            let had_space = self.peek().is_some_and(is_space);
            self.skip_space();
            match self.peek() {
                Some(b'>') => {
                    self.at += 1;
                    return Ok((self.slice(start, end)?.trim_start(), false));
                }
                Some(b'/') => {
                    self.at += 1;
                    self.expect(b'>')?;
                    return Ok((self.slice(start, end)?.trim_start(), true));
                }
                Some(_) if had_space => {
                    self.name(true)?;
                    self.skip_space();
                    self.expect(b'=')?;
                    self.skip_space();
                    let quote = self.peek().filter(|q| matches!(q, b'"' | b'\''));
                    let quote = quote.ok_or(GiveUp)?;
                    self.at += 1;
                    let rest = self.bytes.get(self.at..).ok_or(GiveUp)?;
                    let length = memchr::memchr(quote, rest).ok_or(GiveUp)?;
                    if memchr::memchr2(b'<', b'&', &rest[..length]).is_some() {
                        return Err(GiveUp);
                    }
                    self.at += length + 1;
                    end = self.at;
                }
                _ => return Err(GiveUp),
            }
        }
    }
}

/// Reads `text` into `handler`, or gives up (then the handler holds a part of the
/// events, and the caller starts again with quick-xml).
pub fn parse_into<'a>(text: &'a str, handler: &mut impl Handler<'a>) -> Scan<()> {
    let mut cursor = Cursor {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    cursor.skip_space();
    if cursor.bytes[cursor.at..].starts_with(b"<?xml") {
        declaration(&mut cursor)?;
        cursor.skip_space();
    }
    // The names of the open elements, innermost last (last message's buffer).
    let mut open: Vec<&'a str> = scratch::recycle(OPEN.take());
    let result = read_elements(&mut cursor, &mut open, handler);
    OPEN.set(scratch::recycle(open));
    result
}

thread_local! {
    /// The stack of open names, kept for the next message on this thread.
    static OPEN: Cell<Vec<&'static str>> = const { Cell::new(Vec::new()) };
}

/// From the root's start tag to the end of the text.
fn read_elements<'a>(
    cursor: &mut Cursor<'a>,
    open: &mut Vec<&'a str>,
    handler: &mut impl Handler<'a>,
) -> Scan<()> {
    loop {
        // Text up to the next tag. Most text (indentation, values nobody
        // reads) is not wanted: white space before a tag is only skipped.
        let start = cursor.at;
        let wanted = handler.wants_text();
        let (length, carriage_return) = if wanted {
            text_length(&cursor.bytes[start..])
        } else {
            unwanted_text_length(&cursor.bytes[start..])
        };
        cursor.at += length;
        // A reference, or the end before the root ends.
        if cursor.peek() != Some(b'<') {
            return Err(GiveUp);
        }
        if length > 0 {
            // Before the root: nothing but white space (skipped above).
            if open.is_empty() {
                return Err(GiveUp);
            }
            if wanted {
                text_piece(cursor.slice(start, cursor.at)?, carriage_return, handler);
            }
        }
        cursor.at += 1;
        match cursor.peek() {
            Some(b'/') => {
                cursor.at += 1;
                // The end tag must name the open element: compared, not read.
                let name = open.pop().ok_or(GiveUp)?;
                if !cursor.bytes[cursor.at..].starts_with(name.as_bytes()) {
                    return Err(GiveUp);
                }
                cursor.at += name.len();
                cursor.skip_space();
                cursor.expect(b'>')?;
                handler.end();
                if open.is_empty() {
                    break;
                }
            }
            Some(byte) if is_name_start(byte) => {
                if open.len() >= MAX_DEPTH {
                    return Err(GiveUp);
                }
                let name = cursor.name(false)?;
                let (attributes, empty) = cursor.attributes()?;
                handler.start(Cow::Borrowed(name), Cow::Borrowed(attributes));
                if empty {
                    handler.end();
                    if open.is_empty() {
                        break;
                    }
                } else {
                    open.push(name);
                }
            }
            _ => return Err(GiveUp),
        }
    }
    // After the root: white space only.
    cursor.skip_space();
    if cursor.at == cursor.bytes.len() {
        Ok(())
    } else {
        Err(GiveUp)
    }
}

/// How long the text before the next `<` or `&` (or the end) is, and whether
/// it holds a carriage return. Text between tags is mostly a few bytes of
/// indentation: it is looked at a word (8 bytes) at a time, which usually
/// finds the next tag in the first word.
fn text_length(bytes: &[u8]) -> (usize, bool) {
    let mut carriage_return = false;
    let mut at = 0;
    // Longer text (a value, data) is searched with memchr after 32 bytes.
    while at < 32
        && let Some(word) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>)
    {
        let word = u64::from_le_bytes(*word);
        let found = bytes_equal(word, b'<') | bytes_equal(word, b'&') | bytes_equal(word, b'\r');
        if found == 0 {
            at += 8;
            continue;
        }
        // The lowest flag is the first byte that matched.
        let first = at + (found.trailing_zeros() / 8) as usize;
        if bytes[first] != b'\r' {
            return (first, carriage_return);
        }
        carriage_return = true;
        at = first + 1;
    }
    loop {
        match memchr::memchr3(b'<', b'&', b'\r', &bytes[at..]) {
            Some(found) if bytes[at + found] == b'\r' => {
                carriage_return = true;
                at += found + 1;
            }
            Some(found) => return (at + found, carriage_return),
            None => return (bytes.len(), carriage_return),
        }
    }
}

/// [`text_length`] of text nobody reads: the usual indentation (white space
/// up to a tag) is stepped over byte by byte, anything else searched as text.
/// (Whether it holds a carriage return does not matter then.)
fn unwanted_text_length(bytes: &[u8]) -> (usize, bool) {
    let spaces = bytes.iter().take_while(|&&b| is_space(b)).count();
    match bytes.get(spaces) {
        Some(b'<') | None => (spaces, false),
        Some(_) => text_length(bytes),
    }
}

/// The high bit of each byte of `word` that equals `byte`, and possibly of
/// bytes above such a byte (a borrow), never below the first: so the lowest
/// flag is right.
fn bytes_equal(word: u64, byte: u8) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let zero_where_equal = word ^ (ONES * u64::from(byte));
    zero_where_equal.wrapping_sub(ONES) & !zero_where_equal & HIGH
}

/// Text as XML 1.0 reads it: a CR LF or a lone CR is a line feed.
fn text_piece<'a>(piece: &'a str, carriage_return: bool, handler: &mut impl Handler<'a>) {
    if carriage_return {
        handler.text(Cow::Owned(piece.replace("\r\n", "\n").replace('\r', "\n")));
    } else {
        handler.text(Cow::Borrowed(piece));
    }
}

/// `<?xml version="1.0" …?>`, nothing else in it but attributes.
fn declaration(cursor: &mut Cursor<'_>) -> Scan<()> {
    cursor.at += b"<?xml".len();
    if !cursor.peek().is_some_and(is_space) {
        return Err(GiveUp);
    }
    let rest = cursor.bytes.get(cursor.at..).ok_or(GiveUp)?;
    let end = memchr::memmem::find(rest, b"?>").ok_or(GiveUp)?;
    if rest[..end]
        .iter()
        .any(|b| matches!(b, b'<' | b'>' | b'&' | b'?'))
    {
        return Err(GiveUp);
    }
    cursor.at += end + 2;
    Ok(())
}

/// Every event, as text, to compare the two readers; text pieces joined, as
/// quick-xml may hand text in several.
#[derive(Default)]
struct Events(Vec<String>);

impl<'a> Handler<'a> for Events {
    fn start(&mut self, name: Cow<'a, str>, attributes: Cow<'a, str>) {
        self.0.push(format!("<{name} [{attributes}]"));
    }
    fn end(&mut self) {
        self.0.push("/".into());
    }
    fn text(&mut self, piece: Cow<'a, str>) {
        match self.0.last_mut() {
            Some(last) if last.starts_with('"') => last.push_str(&piece),
            _ => self.0.push(format!("\"{piece}")),
        }
    }
}

/// For the tests and the `scan` fuzz target: whether this reader accepts
/// `text`; an error when it does and quick-xml refuses it or reads other
/// events.
pub fn agrees_with_quick_xml(text: &str) -> Result<bool, String> {
    let mut fast = Events::default();
    if parse_into(text, &mut fast).is_err() {
        return Ok(false);
    }
    let mut slow = Events::default();
    if let Err(error) = super::xml::parse_into(text, &mut slow) {
        return Err(format!(
            "scan accepted what quick-xml refuses: {text:?}: {error}"
        ));
    }
    if fast.0 != slow.0 {
        return Err(format!(
            "{text:?}: scan read {:?}, quick-xml {:?}",
            fast.0, slow.0
        ));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(text: &str) -> bool {
        agrees_with_quick_xml(text).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn text_ends_at_a_tag_or_reference_and_carriage_returns_are_seen() {
        for (text, expected) in [
            ("", (0, false)),
            ("<", (0, false)),
            ("abc", (3, false)),
            ("\n      <a>", (7, false)),
            ("\r\n  <", (4, true)),
            ("1234567<", (7, false)),
            ("12345678<", (8, false)),
            ("1234567\r<", (8, true)),
            ("12345678\r&", (9, true)),
            ("<\r", (0, false)),
            ("1234<678\r", (4, false)),
        ] {
            assert_eq!(text_length(text.as_bytes()), expected, "{text:?}");
        }
        let long = format!("{}\r{}<", "x".repeat(40), "y".repeat(40));
        assert_eq!(text_length(long.as_bytes()), (81, true));
        let long = format!("{}&\r", "x".repeat(50));
        assert_eq!(text_length(long.as_bytes()), (50, false));
        // Against the plain definition, on many texts of these bytes.
        // Bytes next to the three searched for (a borrow between bytes must
        // not hide or invent a match), and bytes with the high bit set.
        let alphabet = b"ab \n\r<&\x00\xff=;%'\x0c\x0e\xbc\xa6\x8d";
        let mut seed: u64 = 1;
        for length in 0..80 {
            for _ in 0..50 {
                let text: Vec<u8> = (0..length)
                    .map(|_| {
                        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                        alphabet[(seed >> 33) as usize % alphabet.len()]
                    })
                    .collect();
                let end = text
                    .iter()
                    .position(|b| matches!(b, b'<' | b'&'))
                    .unwrap_or(text.len());
                let expected = (end, text[..end].contains(&b'\r'));
                assert_eq!(text_length(&text), expected, "{text:?}");
                // Where the text ends does not depend on whether it is wanted.
                assert_eq!(unwanted_text_length(&text).0, end, "{text:?}");
            }
        }
    }

    #[test]
    fn plain_messages_are_read_with_the_events_quick_xml_gives() {
        for text in [
            "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><MsgID>1</MsgID></SyncHdr>\n\
             <SyncBody><Final/><Data a='x' b = \"y\" >t > u</Data><E\n/></SyncBody></SyncML>\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SyncML><a.b-c_d>é</a.b-c_d></SyncML>",
            "  <SyncML/>  ",
            "<SyncML xmlns:x='u'></SyncML >",
            "<SyncML>\r\n<a>x\r\ny\rz\r</a>\r\n</SyncML>\r\n",
        ] {
            assert!(accepted(text), "{text}");
        }
    }

    #[test]
    fn anything_else_is_left_to_quick_xml() {
        for text in [
            "<SyncML>a &amp; b</SyncML>",
            "<SyncML><![CDATA[x]]></SyncML>",
            "<SyncML><!-- c --></SyncML>",
            "<!DOCTYPE SyncML><SyncML/>",
            "<SyncML><x:a/></SyncML>",
            "<SyncML><a></b></SyncML>",
            "<SyncML><a></SyncML>",
            "<SyncML>",
            "<SyncML/><SyncML/>",
            "<SyncML/>text",
            "text<SyncML/>",
            "<SyncML a=b/>",
            "<SyncML a='<'/>",
            "<SyncML a/>",
            "<SyncMLa='x'/>",
            "<?xml?><SyncML/>",
            "<?xml-stylesheet x?><SyncML/>",
            "",
            "< SyncML/>",
            "<SyncML></ SyncML>",
        ] {
            assert!(!accepted(text), "{text}");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(!accepted(&deep));
        let deepest = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
        assert!(accepted(&deepest));
    }

    /// The messages of the fixtures and the corpus: most are plain, and
    /// every one the scanner reads, it reads as quick-xml does.
    #[test]
    fn known_messages_are_read_as_quick_xml_reads_them() {
        let messages = crate::syncml::samples::messages();
        let scanned = messages.iter().filter(|(_, text)| accepted(text)).count();
        assert!(
            scanned * 2 > messages.len(),
            "only {scanned} of {} messages scanned",
            messages.len()
        );
    }
}
