//! WBXML (WAP-192, versions 1.1 to 1.3) to an element tree and compact XML, for
//! the SyncML family: SyncML 1.0–1.2 messages (DS and DM alike), DevInf,
//! MetInf and the OMA DM DDF (MgmtTree) documents. One parser hands what it
//! reads to a receiver: the tree, or an XML event handler, which is handed the
//! events the document's XML would give (`replay_first`) without the tree or
//! the XML being made.
//!
//! The code pages come from libwbxml's `wbxml_tables.c` (which follows the
//! SyncML Representation Protocol, MetInf and DevInf specifications) and live
//! in `wbxml_tables.rs` as data: (token, name) pairs per code page, and one
//! language per public id. SyncML defines no attribute tokens, so only literal
//! attributes are read; extension tokens (`EXT_*`) and processing instructions
//! are refused, as SyncML never uses them.
//!
//! Output choices:
//! - Element names are those of the DTDs. An element whose code page maps to
//!   another namespace than its parent's carries `xmlns` (as `wbxml2xml`
//!   writes it: `<Meta><Format xmlns="syncml:metinf">b64</Format></Meta>`); the
//!   root gets its page's namespace, chosen by the public id (`SYNCML:SYNCML1.1`
//!   for a 1.1 public id even when VerDTD says 1.2).
//! - OPAQUE data that is itself a WBXML SyncML, DevInf, MetInf or DDF document
//!   (DevInf inside `<Data>` is the classic case) is decoded in place; its
//!   nesting counts toward the depth limit and its text toward [`MAX_OUTPUT`].
//!   If that inner decoding fails for any reason but a limit, the bytes stay
//!   opaque. Other opaque data is written as text when it is UTF-8 without
//!   control characters but tab, CR and LF, and base64-encoded otherwise (a DM
//!   `<Data>` in `b64` or `bin` format).
//! - Text is kept as sent, surrounding whitespace included, and a `Meta/Type`
//!   of `...+wbxml` is not rewritten to `+xml` (`wbxml2xml` does both).
//! - No XML declaration or DOCTYPE is written.
//!
//! The input is untrusted: every length is checked against the bytes left
//! before anything is allocated, nesting is bounded by
//! [`MAX_DEPTH`](crate::syncml::xml::MAX_DEPTH), the decoded size (text, names,
//! and opaque data, counted every time a string-table entry is referenced) by
//! [`MAX_OUTPUT`], and every error names the byte offset of the problem (in the
//! outermost input, also for a document nested in OPAQUE data).

use std::borrow::Cow;
use std::fmt;

use crate::syncml::base64;
use crate::syncml::xml::MAX_DEPTH;

#[path = "wbxml_tables.rs"]
mod tables;

use tables::{FAMILY_PREFIXES, Language, language_by_name, language_by_number};

/// The most decoded text a document may produce (names, text, attribute values
/// and opaque data, measured roughly as the size of its XML).
pub const MAX_OUTPUT: usize = 16 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Public types

/// Why a document could not be decoded, and where (a byte offset in the input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WbxmlError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for WbxmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for WbxmlError {}

/// The document's public id: a registered number, or a formal public
/// identifier from the string table (when the numeric id is 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicId {
    Known(u32),
    Named(String),
}

impl fmt::Display for PublicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublicId::Known(number) => match language_by_number(*number) {
                Some(entry) => write!(f, "0x{number:04X} ({})", entry.name),
                None => write!(f, "0x{number:04X}"),
            },
            PublicId::Named(name) => write!(f, "\"{name}\""),
        }
    }
}

/// A decoded document: the header fields as read, and the root element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The version byte: 0x01 to 0x03 for WBXML 1.1 to 1.3.
    pub version: u8,
    pub public_id: PublicId,
    /// The IANA MIBenum of the document's charset (106 is UTF-8).
    pub charset: u32,
    pub root: Node,
}

/// An element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The tag's name: the code page's, or a literal one from the document.
    pub name: Cow<'static, str>,
    pub attributes: Vec<(String, String)>,
    /// Text pieces next to each other are joined into one `Text`.
    pub content: Vec<Content>,
    /// The XML namespace of the element's code page (`SYNCML:SYNCML1.2`,
    /// `syncml:metinf`, `syncml:devinf`, ...); `None` for a literal tag name,
    /// which belongs to its parent's namespace.
    pub namespace: Option<&'static str>,
}

/// A piece of an element's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Element(Node),
    Text(String),
    Opaque(Vec<u8>),
}

/// The language used for an unknown public id when the root is `<SyncML>`.
static FALLBACK: &Language = &tables::SYNCML12;
/// The `<SyncML>` tag token (code page 0, every version).
const SYNCML_TAG: u8 = 0x2D;

// ---------------------------------------------------------------------------
// Global tokens (WAP-192 §7.1)

const SWITCH_PAGE: u8 = 0x00;
const END: u8 = 0x01;
const ENTITY: u8 = 0x02;
const STR_I: u8 = 0x03;
const LITERAL: u8 = 0x04;
const STR_T: u8 = 0x83;
const OPAQUE: u8 = 0xC3;
/// Tag token bits: the element has content / has attributes.
const HAS_CONTENT: u8 = 0x40;
const HAS_ATTRIBUTES: u8 = 0x80;
const TAG_ID: u8 = 0x3F;

/// Global tokens SyncML never uses; refused by name.
const REFUSED_TOKENS: [(u8, &str); 10] = [
    (0x40, "EXT_I_0"),
    (0x41, "EXT_I_1"),
    (0x42, "EXT_I_2"),
    (0x43, "PI"),
    (0x80, "EXT_T_0"),
    (0x81, "EXT_T_1"),
    (0x82, "EXT_T_2"),
    (0xC0, "EXT_0"),
    (0xC1, "EXT_1"),
    (0xC2, "EXT_2"),
];

fn refused_token(token: u8) -> Option<&'static str> {
    REFUSED_TOKENS
        .iter()
        .find(|(value, _)| *value == token)
        .map(|(_, name)| *name)
}

fn refused(token: u8, at: usize) -> Option<Fail> {
    refused_token(token).map(|name| {
        Fail::new(
            at,
            format!("token {name} (0x{token:02X}) is not used by SyncML and not supported"),
        )
    })
}

// ---------------------------------------------------------------------------
// Errors while decoding

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FailKind {
    /// The input ended; the caller says inside what.
    Eof,
    /// Depth or size limit: fatal even inside nested OPAQUE data.
    Limit,
    Other,
}

#[derive(Debug)]
struct Fail {
    offset: usize,
    message: String,
    kind: FailKind,
}

impl Fail {
    fn new(offset: usize, message: impl Into<String>) -> Fail {
        Fail {
            offset,
            message: message.into(),
            kind: FailKind::Other,
        }
    }

    fn eof(offset: usize) -> Fail {
        Fail {
            offset,
            message: "the document ends early".into(),
            kind: FailKind::Eof,
        }
    }

    fn limit(offset: usize, message: impl Into<String>) -> Fail {
        Fail {
            offset,
            message: message.into(),
            kind: FailKind::Limit,
        }
    }

    /// Names where the input ended, when it did.
    fn ends_inside(mut self, place: &str) -> Fail {
        if self.kind == FailKind::Eof {
            self.message = format!("the document ends inside {place}");
            self.kind = FailKind::Other;
        }
        self
    }
}

impl From<Fail> for WbxmlError {
    fn from(fail: Fail) -> WbxmlError {
        WbxmlError {
            offset: fail.offset,
            message: fail.message,
        }
    }
}

type Result<T> = std::result::Result<T, Fail>;

// ---------------------------------------------------------------------------
// Reading bytes

/// A cursor over one (possibly nested) document; `base` is where it starts in
/// the outermost input, so that offsets in errors are absolute.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8], base: usize) -> Reader<'a> {
        Reader { data, pos: 0, base }
    }

    fn offset(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn byte(&mut self) -> Result<u8> {
        let byte = self.peek().ok_or_else(|| Fail::eof(self.offset()))?;
        self.pos = self.pos.saturating_add(1);
        Ok(byte)
    }

    /// A multi-byte unsigned integer: at most 5 bytes, fitting 32 bits.
    fn mb_u32(&mut self) -> Result<u32> {
        let start = self.offset();
        let mut value: u32 = 0;
        for _ in 0..5 {
            let byte = self.byte()?;
            if value > u32::MAX >> 7 {
                return Err(Fail::new(
                    start,
                    "bad multi-byte integer (more than 32 bits)",
                ));
            }
            value = (value << 7) | u32::from(byte & 0x7F);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Fail::new(
            start,
            "bad multi-byte integer (longer than 5 bytes)",
        ))
    }

    /// A length, refused when more than the bytes left.
    fn length(&mut self, what: &str) -> Result<usize> {
        let at = self.offset();
        let length = self.mb_u32()?;
        let left = self.rest().len();
        match usize::try_from(length) {
            Ok(length) if length <= left => Ok(length),
            _ => Err(Fail::new(
                at,
                format!("{what} length {length} exceeds the {left} bytes left"),
            )),
        }
    }

    /// `length` bytes (already checked by [`Reader::length`]).
    fn take(&mut self, length: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(length)
            .ok_or_else(|| Fail::eof(self.offset()))?;
        let bytes = self
            .data
            .get(self.pos..end)
            .ok_or_else(|| Fail::eof(self.offset()))?;
        self.pos = end;
        Ok(bytes)
    }

    /// A NUL-terminated inline string, without its NUL.
    fn inline_string(&mut self, start: usize) -> Result<&'a [u8]> {
        let rest = self.rest();
        let length = memchr::memchr(0, rest).ok_or_else(|| {
            Fail::new(start, "unterminated inline string (STR_I without its NUL)")
        })?;
        let bytes = self.take(length)?;
        self.pos = self.pos.saturating_add(1);
        Ok(bytes)
    }
}

/// The string at `index` in the string table: up to its NUL, or to the end of
/// the table (real encoders leave the NUL off the public id; a reference in
/// the body needs its NUL: [`terminated_table_string`]).
fn table_string(table: &[u8], index: u32, at: usize) -> Result<&[u8]> {
    let rest = usize::try_from(index)
        .ok()
        .and_then(|start| table.get(start..))
        .filter(|rest| !rest.is_empty());
    let rest = rest.ok_or_else(|| {
        Fail::new(
            at,
            format!(
                "string-table offset {index} out of range (table has {} bytes)",
                table.len()
            ),
        )
    })?;
    let end = memchr::memchr(0, rest).unwrap_or(rest.len());
    Ok(rest.get(..end).unwrap_or_default())
}

/// [`table_string`] for a reference in the body (STR_T, LITERAL): its NUL
/// must be in the table; a string that runs off the table's end is an error.
fn terminated_table_string(table: &[u8], index: u32, at: usize) -> Result<&[u8]> {
    let bytes = table_string(table, index, at)?;
    let start = usize::try_from(index).unwrap_or(usize::MAX);
    if start.saturating_add(bytes.len()) >= table.len() {
        return Err(Fail::new(
            at,
            format!(
                "string-table string at offset {index} is unterminated (no NUL before the table's end)"
            ),
        ));
    }
    Ok(bytes)
}

// ---------------------------------------------------------------------------
// Charsets

#[derive(Debug, Clone, Copy)]
enum Charset {
    Utf8,
    Latin1,
    /// Read as UTF-8 when it is; US-ASCII (3) is one.
    Other(u32),
}

impl Charset {
    fn from_mib(mib: u32) -> Charset {
        match mib {
            106 => Charset::Utf8,
            4 => Charset::Latin1,
            other => Charset::Other(other),
        }
    }

    /// Text in this charset; `at` is the offset of `bytes` for errors.
    fn decode(self, bytes: &[u8], at: usize) -> Result<Cow<'_, str>> {
        match self {
            Charset::Latin1 => Ok(Cow::Owned(
                bytes.iter().map(|&byte| char::from(byte)).collect(),
            )),
            Charset::Utf8 | Charset::Other(_) => match std::str::from_utf8(bytes) {
                Ok(text) => Ok(Cow::Borrowed(text)),
                Err(error) => {
                    let at = at.saturating_add(error.valid_up_to());
                    Err(Fail::new(at, self.not_utf8()))
                }
            },
        }
    }

    fn not_utf8(self) -> String {
        match self {
            Charset::Utf8 | Charset::Latin1 => "invalid UTF-8 in a string".into(),
            Charset::Other(3) => "a string is not US-ASCII (charset 3)".into(),
            Charset::Other(mib) => {
                format!(
                    "a string is not UTF-8 and charset {mib} is not supported (only UTF-8 and ISO-8859-1 are)"
                )
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Decoding

/// Decodes a WBXML SyncML, DevInf, MetInf or DDF document.
pub fn decode(bytes: &[u8]) -> std::result::Result<Document, WbxmlError> {
    let mut budget = MAX_OUTPUT;
    decode_at(bytes, 0, 0, &mut budget).map_err(WbxmlError::from)
}

/// Decodes the first document of `bytes` (a file of several, one after the
/// other) and returns it with the number of bytes it took.
pub fn decode_first(bytes: &[u8]) -> std::result::Result<(Document, usize), WbxmlError> {
    let mut budget = MAX_OUTPUT;
    Ok(decode_prefix(bytes, 0, 0, &mut budget)?)
}

/// The documents of `bytes`, one after the other, each with the offset it
/// starts at; NUL padding and white space between them are skipped. An error
/// (its offset counted from the start of `bytes`) is the last item.
pub fn documents(bytes: &[u8]) -> Documents<'_> {
    Documents {
        bytes,
        at: 0,
        failed: false,
    }
}

/// The iterator of [`documents`].
pub struct Documents<'a> {
    bytes: &'a [u8],
    at: usize,
    failed: bool,
}

impl<'a> Documents<'a> {
    /// The next document read by `read` (which returns what it read and the
    /// bytes it took, as [`decode_first`] does), with the offset it starts at.
    pub fn next_with<T>(
        &mut self,
        read: impl FnOnce(&'a [u8]) -> std::result::Result<(T, usize), WbxmlError>,
    ) -> Option<std::result::Result<(usize, T), WbxmlError>> {
        if self.failed || self.at >= self.bytes.len() {
            return None;
        }
        let start = self.at;
        match read(&self.bytes[start..]) {
            Ok((document, used)) => {
                self.at = start + used;
                self.at += self.bytes[self.at..]
                    .iter()
                    .take_while(|b| **b == 0 || b.is_ascii_whitespace())
                    .count();
                Some(Ok((start, document)))
            }
            Err(mut error) => {
                self.failed = true;
                error.offset += start;
                Some(Err(error))
            }
        }
    }
}

impl Iterator for Documents<'_> {
    type Item = std::result::Result<(usize, Document), WbxmlError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_with(decode_first)
    }
}

/// Whether `bytes` start like a WBXML document of the SyncML family: a version
/// byte 0x01..=0x03 and a SyncML, DevInf or MetInf public id (numeric, or a
/// string-table entry starting `-//SYNCML//DTD`; the DM DDF one too). Cheap:
/// reads the header only.
pub fn is_wbxml(bytes: &[u8]) -> bool {
    sniff(bytes).is_some()
}

/// What keeps `bytes` from starting as WBXML of the SyncML family, when the
/// rest looks like it (a damaged version byte or public id): said with the
/// byte and its value. `None` when nothing in them looks like SyncML WBXML.
pub fn header_damage(bytes: &[u8]) -> Option<String> {
    let [version, rest @ ..] = bytes else {
        return None;
    };
    let public_id = Reader::new(rest, 1).mb_u32().ok();
    let known = public_id.is_some_and(|id| id == 0 || language_by_number(id).is_some());
    if !(0x01..=0x03).contains(version) && known {
        return Some(format!(
            "byte 0 (the WBXML version) is {version:#04x}; WBXML 1.1 to 1.3 are 0x01 to 0x03, \
             and the public id after it is SyncML's: the file may be damaged"
        ));
    }
    if (0x01..=0x03).contains(version)
        && !known
        && let Some(id) = public_id
    {
        return Some(format!(
            "the public id after the version byte is {id:#x}, not one of the SyncML family's \
             (SyncML, MetInf, DevInf, DM DDF)"
        ));
    }
    None
}

fn sniff(bytes: &[u8]) -> Option<()> {
    let mut reader = Reader::new(bytes, 0);
    let version = reader.byte().ok()?;
    if !(0x01..=0x03).contains(&version) {
        return None;
    }
    let number = reader.mb_u32().ok()?;
    if number != 0 {
        return language_by_number(number).map(|_| ());
    }
    let index = reader.mb_u32().ok()?;
    reader.mb_u32().ok()?;
    let length = reader.length("string table").ok()?;
    let table = reader.take(length).ok()?;
    let name = table_string(table, index, 0).ok()?;
    let starts = |prefix: &str| {
        name.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    FAMILY_PREFIXES
        .iter()
        .any(|prefix| starts(prefix))
        .then_some(())
}

/// The header fields and the string table.
struct Header<'a> {
    version: u8,
    public_id: PublicId,
    charset: u32,
    strings: &'a [u8],
    strings_at: usize,
}

fn read_header<'a>(reader: &mut Reader<'a>) -> Result<Header<'a>> {
    let at = reader.offset();
    let version = reader.byte()?;
    if !(0x01..=0x03).contains(&version) {
        return Err(Fail::new(
            at,
            format!(
                "unsupported WBXML version byte 0x{version:02X} (WBXML 1.1 to 1.3 are 0x01 to 0x03)"
            ),
        ));
    }
    let number = reader.mb_u32()?;
    let index = if number == 0 {
        Some((reader.offset(), reader.mb_u32()?))
    } else {
        None
    };
    let charset = reader.mb_u32()?;
    let length = reader.length("string table")?;
    let strings_at = reader.offset();
    let strings = reader.take(length)?;
    let public_id = match index {
        None => PublicId::Known(number),
        Some((at, index)) => {
            let bytes = table_string(strings, index, at)?;
            let name_at = strings_at.saturating_add(usize::try_from(index).unwrap_or_default());
            PublicId::Named(
                Charset::from_mib(charset)
                    .decode(bytes, name_at)?
                    .into_owned(),
            )
        }
    };
    Ok(Header {
        version,
        public_id,
        charset,
        strings,
        strings_at,
    })
}

/// The language for a public id; for an unknown one, SyncML's if the first
/// token is the `<SyncML>` tag.
fn choose_language(
    public_id: &PublicId,
    first_token: Option<u8>,
    at: usize,
) -> Result<&'static Language> {
    let known = match public_id {
        PublicId::Known(number) => language_by_number(*number),
        PublicId::Named(name) => language_by_name(name),
    };
    match known {
        Some(language) => Ok(language),
        None if first_token.is_some_and(|token| token & TAG_ID == SYNCML_TAG) => Ok(FALLBACK),
        None => Err(Fail::new(
            at,
            format!(
                "unknown public id {public_id} (not SyncML, DevInf, MetInf or DM DDF) and the root is not <SyncML>"
            ),
        )),
    }
}

/// Decodes the document in `bytes`, which starts at `base` in the outermost
/// input; `depth` is the nesting of the element that holds it (0 at the top).
fn decode_at(bytes: &[u8], base: usize, depth: usize, budget: &mut usize) -> Result<Document> {
    let (document, used) = decode_prefix(bytes, base, depth, budget)?;
    trailing(&bytes[used..], base + used)?;
    Ok(document)
}

/// Decodes the document at the start of `bytes` into its tree; returns it and
/// the bytes used.
fn decode_prefix(
    bytes: &[u8],
    base: usize,
    depth: usize,
    budget: &mut usize,
) -> Result<(Document, usize)> {
    let (header, tree, used) = read_prefix(bytes, base, depth, budget, TreeBuilder::default())?;
    let root = tree
        .root
        .ok_or_else(|| Fail::new(base, "the document has no root element"))?;
    let document = Document {
        version: header.version,
        public_id: header.public_id,
        charset: header.charset,
        root,
    };
    Ok((document, used))
}

/// Reads the document at the start of `bytes` into `receiver`; returns its
/// header, the receiver and the bytes used.
fn read_prefix<'a, S: Receiver<'a>>(
    bytes: &'a [u8],
    base: usize,
    depth: usize,
    budget: &mut usize,
    receiver: S,
) -> Result<(Header<'a>, S, usize)> {
    let mut reader = Reader::new(bytes, base);
    let header = read_header(&mut reader).map_err(|fail| fail.ends_inside("the header"))?;
    let language = choose_language(&header.public_id, reader.peek(), reader.offset())?;
    let mut parser = Parser {
        reader,
        strings: header.strings,
        strings_at: header.strings_at,
        charset: Charset::from_mib(header.charset),
        language,
        page: 0,
        budget,
        receiver,
    };
    parser.root(depth)?;
    let used = parser.reader.offset() - base;
    Ok((header, parser.receiver, used))
}

/// Bytes after the root element (`rest`, at `at`): only NUL padding and
/// white space (a file's final newline) are allowed.
fn trailing(rest: &[u8], at: usize) -> Result<()> {
    if rest
        .iter()
        .all(|&byte| byte == 0 || byte.is_ascii_whitespace())
    {
        Ok(())
    } else {
        Err(Fail::new(
            at,
            format!("{} bytes after the end of the document", rest.len()),
        ))
    }
}

/// What the parser hands on as it reads a document's body, in document order.
trait Receiver<'a> {
    /// An element opens.
    fn open(
        &mut self,
        name: Cow<'static, str>,
        namespace: Option<&'static str>,
        attributes: Vec<(String, String)>,
    );
    /// A piece of text (never empty) of the innermost open element.
    fn text(&mut self, text: Cow<'a, str>);
    /// OPAQUE data that is not a document of the family.
    fn opaque(&mut self, bytes: &'a [u8]);
    /// OPAQUE data decoded as a document of the family: its root.
    fn nested(&mut self, root: Node);
    /// The innermost open element ends.
    fn close(&mut self);
}

/// The body of one document.
struct Parser<'a, 'b, S> {
    reader: Reader<'a>,
    strings: &'a [u8],
    strings_at: usize,
    charset: Charset,
    language: &'static Language,
    /// The current tag code page.
    page: u8,
    /// Decoded bytes still allowed (shared with nested documents).
    budget: &'b mut usize,
    receiver: S,
}

impl<'a, S: Receiver<'a>> Parser<'a, '_, S> {
    /// Counts `amount` decoded bytes against [`MAX_OUTPUT`].
    fn charge(&mut self, amount: usize, at: usize) -> Result<()> {
        match self.budget.checked_sub(amount) {
            Some(left) => {
                *self.budget = left;
                Ok(())
            }
            None => Err(Fail::limit(
                at,
                format!("the decoded document exceeds {MAX_OUTPUT} bytes"),
            )),
        }
    }

    /// Code-page switches, then the root element.
    fn root(&mut self, depth: usize) -> Result<()> {
        loop {
            let at = self.reader.offset();
            let token = self
                .reader
                .byte()
                .map_err(|fail| fail.ends_inside("the body before the root element"))?;
            match token {
                SWITCH_PAGE => self.switch_page()?,
                END | ENTITY | STR_I | STR_T | OPAQUE => {
                    return Err(Fail::new(
                        at,
                        format!("expected the root element, found token 0x{token:02X}"),
                    ));
                }
                _ => {
                    if let Some(fail) = refused(token, at) {
                        return Err(fail);
                    }
                    return self.element(token, at, depth.saturating_add(1));
                }
            }
        }
    }

    fn switch_page(&mut self) -> Result<()> {
        self.page = self.reader.byte()?;
        Ok(())
    }

    /// The element starting with tag token `token` (read at `at`).
    fn element(&mut self, token: u8, at: usize, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(Fail::limit(
                at,
                format!("elements nest more than {MAX_DEPTH} deep"),
            ));
        }
        let (name, namespace) = self.tag_name(token, at)?;
        self.charge(name.len().saturating_mul(2).saturating_add(5), at)?;
        // Named in an error only: made then.
        let place = |name: &str| format!("<{name}>");
        let attributes = if token & HAS_ATTRIBUTES != 0 {
            self.attributes()
                .map_err(|fail| fail.ends_inside(&place(&name)))?
        } else {
            Vec::new()
        };
        // Kept for an error in the content: a literal name only is copied.
        let named = name.clone();
        self.receiver.open(name, namespace, attributes);
        if token & HAS_CONTENT != 0 {
            self.content(depth)
                .map_err(|fail| fail.ends_inside(&place(&named)))?;
        }
        self.receiver.close();
        Ok(())
    }

    /// The name and namespace of a tag token, from the code page or (LITERAL)
    /// the string table.
    fn tag_name(
        &mut self,
        token: u8,
        at: usize,
    ) -> Result<(Cow<'static, str>, Option<&'static str>)> {
        let id = token & TAG_ID;
        if id == LITERAL {
            return Ok((Cow::Owned(self.literal_name("tag")?), None));
        }
        let language = self.language;
        let page = language.page(self.page).ok_or_else(|| {
            Fail::new(
                at,
                format!(
                    "tag 0x{token:02X} on code page {}, which {} does not have",
                    self.page, language.name
                ),
            )
        })?;
        let name = page.tag(id).ok_or_else(|| {
            Fail::new(
                at,
                format!(
                    "unknown tag token 0x{id:02X} on code page {} of {}",
                    page.number, language.name
                ),
            )
        })?;
        Ok((Cow::Borrowed(name), Some(page.namespace)))
    }

    /// A LITERAL's name: a string-table reference that must be an XML name.
    fn literal_name(&mut self, what: &str) -> Result<String> {
        let at = self.reader.offset();
        let name = self.table_text(at)?.into_owned();
        if !is_xml_name(&name) {
            return Err(Fail::new(
                at,
                format!(
                    "literal {what} name \"{}\" is not an XML name",
                    name.escape_debug()
                ),
            ));
        }
        Ok(name)
    }

    /// The attribute list after a tag, up to its END. SyncML has no attribute
    /// tokens: names are LITERALs, values inline, table or opaque strings.
    fn attributes(&mut self) -> Result<Vec<(String, String)>> {
        let mut attributes: Vec<(String, String)> = Vec::new();
        loop {
            let at = self.reader.offset();
            let token = self.reader.byte()?;
            let value = match token {
                END => return Ok(attributes),
                SWITCH_PAGE => {
                    // An attribute code page: there are no attribute tokens to read with it.
                    self.reader.byte()?;
                    continue;
                }
                LITERAL => {
                    let name = self.literal_name("attribute")?;
                    if attributes.iter().any(|(seen, _)| *seen == name) {
                        return Err(Fail::new(at, format!("attribute {name} appears twice")));
                    }
                    self.charge(name.len().saturating_add(4), at)?;
                    attributes.push((name, String::new()));
                    continue;
                }
                STR_I => self.inline_text(at)?,
                STR_T => self.reference_text()?,
                ENTITY => Cow::Owned(self.entity()?.to_string()),
                OPAQUE => {
                    let bytes = self.opaque_bytes()?;
                    opaque_text(bytes)
                        .map_or_else(|| Cow::Owned(base64::encode(bytes)), Cow::Borrowed)
                }
                _ => {
                    return Err(refused(token, at).unwrap_or_else(|| {
                        Fail::new(at, format!("unknown attribute token 0x{token:02X}"))
                    }));
                }
            };
            self.charge(value.len(), at)?;
            match attributes.last_mut() {
                Some((_, text)) => text.push_str(&value),
                None => return Err(Fail::new(at, "attribute value before any attribute name")),
            }
        }
    }

    /// An element's content, up to its END.
    fn content(&mut self, depth: usize) -> Result<()> {
        loop {
            let at = self.reader.offset();
            let token = self.reader.byte()?;
            match token {
                END => return Ok(()),
                SWITCH_PAGE => self.switch_page()?,
                ENTITY => {
                    let character = self.entity()?;
                    self.charge(character.len_utf8(), at)?;
                    self.receiver.text(Cow::Owned(character.to_string()));
                }
                STR_I => {
                    let text = self.inline_text(at)?;
                    self.text(text, at)?;
                }
                STR_T => {
                    let text = self.reference_text()?;
                    self.text(text, at)?;
                }
                OPAQUE => self.opaque(at, depth)?,
                _ => {
                    if let Some(fail) = refused(token, at) {
                        return Err(fail);
                    }
                    self.element(token, at, depth.saturating_add(1))?;
                }
            }
        }
    }

    /// Text read at `at`, counted and handed on unless empty.
    fn text(&mut self, text: Cow<'a, str>, at: usize) -> Result<()> {
        self.charge(text.len(), at)?;
        if !text.is_empty() {
            self.receiver.text(text);
        }
        Ok(())
    }

    /// STR_I (its token at `at`): text in the document charset.
    fn inline_text(&mut self, at: usize) -> Result<Cow<'a, str>> {
        let start = self.reader.offset();
        let bytes = self.reader.inline_string(at)?;
        self.charset.decode(bytes, start)
    }

    /// STR_T: a string-table reference.
    fn reference_text(&mut self) -> Result<Cow<'a, str>> {
        let at = self.reader.offset();
        self.table_text(at)
    }

    /// A string-table index (at `at`) and the text it points to.
    fn table_text(&mut self, at: usize) -> Result<Cow<'a, str>> {
        let index = self.reader.mb_u32()?;
        let bytes = terminated_table_string(self.strings, index, at)?;
        let start = self
            .strings_at
            .saturating_add(usize::try_from(index).unwrap_or_default());
        self.charset.decode(bytes, start)
    }

    /// ENTITY: a character code.
    fn entity(&mut self) -> Result<char> {
        let at = self.reader.offset();
        let code = self.reader.mb_u32()?;
        char::from_u32(code)
            .filter(|&character| character != '\0')
            .ok_or_else(|| Fail::new(at, format!("ENTITY {code:#X} is not a character")))
    }

    /// OPAQUE's length and bytes.
    fn opaque_bytes(&mut self) -> Result<&'a [u8]> {
        let length = self.reader.length("OPAQUE")?;
        self.reader.take(length)
    }

    /// OPAQUE content (its token at `at`) in an element at `depth`: a nested
    /// document of the family when it decodes as one, else the bytes.
    fn opaque(&mut self, at: usize, depth: usize) -> Result<()> {
        let length = self.reader.length("OPAQUE")?;
        let start = self.reader.offset();
        let bytes = self.reader.take(length)?;
        self.charge(length, at)?;
        if !is_wbxml(bytes) {
            self.receiver.opaque(bytes);
            return Ok(());
        }
        match decode_at(bytes, start, depth, self.budget) {
            Ok(document) => self.receiver.nested(document.root),
            Err(fail) if fail.kind == FailKind::Limit => return Err(fail),
            Err(_) => self.receiver.opaque(bytes),
        }
        Ok(())
    }
}

/// Builds a document's tree.
#[derive(Default)]
struct TreeBuilder {
    /// The elements open, innermost last.
    open: Vec<Node>,
    root: Option<Node>,
}

impl<'a> Receiver<'a> for TreeBuilder {
    fn open(
        &mut self,
        name: Cow<'static, str>,
        namespace: Option<&'static str>,
        attributes: Vec<(String, String)>,
    ) {
        self.open.push(Node {
            name,
            attributes,
            content: Vec::new(),
            namespace,
        });
    }

    fn text(&mut self, text: Cow<'a, str>) {
        if let Some(node) = self.open.last_mut() {
            push_text(&mut node.content, text);
        }
    }

    fn opaque(&mut self, bytes: &'a [u8]) {
        if let Some(node) = self.open.last_mut() {
            node.content.push(Content::Opaque(bytes.to_vec()));
        }
    }

    fn nested(&mut self, root: Node) {
        if let Some(node) = self.open.last_mut() {
            node.content.push(Content::Element(root));
        }
    }

    fn close(&mut self) {
        let Some(node) = self.open.pop() else {
            return;
        };
        match self.open.last_mut() {
            Some(parent) => parent.content.push(Content::Element(node)),
            None => self.root = Some(node),
        }
    }
}

/// Appends text, joined to the text before it.
fn push_text(content: &mut Vec<Content>, text: Cow<'_, str>) {
    if text.is_empty() {
        return;
    }
    match content.last_mut() {
        Some(Content::Text(previous)) => previous.push_str(&text),
        _ => content.push(Content::Text(text.into_owned())),
    }
}

/// Whether a literal name can be written as an XML name (letters, digits and
/// `_:-.`, not starting with a digit, `-` or `.`).
fn is_xml_name(name: &str) -> bool {
    let mut characters = name.chars();
    let first_ok = characters
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':');
    first_ok && characters.all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.'))
}

/// Opaque bytes as text, when they are UTF-8 without control characters but
/// tab, CR and LF.
fn opaque_text(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    let clean = !text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'));
    clean.then_some(text)
}

// ---------------------------------------------------------------------------
// XML output

impl Document {
    /// The document as compact XML (no declaration), namespaces as described
    /// in the module documentation.
    pub fn to_xml(&self) -> String {
        let mut out = XmlWriter(String::new());
        walk(&self.root, None, &mut out);
        out.0
    }
}

/// What [`walk`] hands on: a document as its XML has it, piece by piece.
trait Visit<'d> {
    /// An element opens with these attributes; `empty`: it has no content,
    /// and no `end` follows.
    fn start(&mut self, node: &'d Node, attributes: &Attributes<'d>, empty: bool);
    /// Text of the innermost open element, unescaped.
    fn text(&mut self, text: &'d str);
    /// Opaque bytes of the innermost open element, written as base64.
    fn base64(&mut self, bytes: &'d [u8]);
    /// The innermost open element ends.
    fn end(&mut self, node: &'d Node);
}

/// An element's attributes as written: the `xmlns` of its code page when its
/// parent's differs (and it has none of its own), then its own.
struct Attributes<'d> {
    namespace: Option<&'static str>,
    own: &'d [(String, String)],
}

impl Attributes<'_> {
    fn is_empty(&self) -> bool {
        self.namespace.is_none() && self.own.is_empty()
    }

    /// ` name="value"` each, values escaped.
    fn write(&self, out: &mut impl XmlOut) {
        if let Some(namespace) = self.namespace {
            write_attribute("xmlns", namespace, out);
        }
        for (name, value) in self.own {
            write_attribute(name, value, out);
        }
    }
}

/// The `xmlns` an element has among its own attributes.
fn explicit_namespace(attributes: &[(String, String)]) -> Option<&str> {
    attributes
        .iter()
        .find(|(name, _)| name == "xmlns")
        .map(|(_, value)| value.as_str())
}

/// The `xmlns` written for an element of code-page namespace `own`: none when
/// it has its own or its parent's (`inherited`) is the same.
fn shown_namespace(
    own: Option<&'static str>,
    explicit: Option<&str>,
    inherited: Option<&str>,
) -> Option<&'static str> {
    own.filter(|&own| explicit.is_none() && inherited != Some(own))
}

/// Walks `node` (its parent's namespace `inherited`) in document order.
fn walk<'d>(node: &'d Node, inherited: Option<&'d str>, visit: &mut impl Visit<'d>) {
    let explicit = explicit_namespace(&node.attributes);
    let attributes = Attributes {
        namespace: shown_namespace(node.namespace, explicit, inherited),
        own: &node.attributes,
    };
    if node.content.is_empty() {
        visit.start(node, &attributes, true);
        return;
    }
    visit.start(node, &attributes, false);
    let namespace = explicit.or(node.namespace).or(inherited);
    for piece in &node.content {
        match piece {
            Content::Element(child) => walk(child, namespace, visit),
            Content::Text(text) => visit.text(text),
            Content::Opaque(bytes) => match opaque_text(bytes) {
                Some(text) => visit.text(text),
                None => visit.base64(bytes),
            },
        }
    }
    visit.end(node);
}

/// Where XML text goes: a string, or a count of its bytes.
trait XmlOut {
    fn push_str(&mut self, text: &str);
}

impl XmlOut for String {
    fn push_str(&mut self, text: &str) {
        String::push_str(self, text);
    }
}

/// Counts the bytes of XML written to it.
struct Length(usize);

impl XmlOut for Length {
    fn push_str(&mut self, text: &str) {
        self.0 += text.len();
    }
}

/// Writes a document as compact XML.
struct XmlWriter<O>(O);

impl<'d, O: XmlOut> Visit<'d> for XmlWriter<O> {
    fn start(&mut self, node: &'d Node, attributes: &Attributes<'d>, empty: bool) {
        self.0.push_str("<");
        self.0.push_str(&node.name);
        attributes.write(&mut self.0);
        self.0.push_str(if empty { "/>" } else { ">" });
    }

    fn text(&mut self, text: &'d str) {
        escape_into(text, false, &mut self.0);
    }

    fn base64(&mut self, bytes: &'d [u8]) {
        self.0.push_str(&base64::encode(bytes));
    }

    fn end(&mut self, node: &'d Node) {
        self.0.push_str("</");
        self.0.push_str(&node.name);
        self.0.push_str(">");
    }
}

// ---------------------------------------------------------------------------
// Replay: a document read straight into an XML handler

/// What [`replay_first`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replayed {
    /// The bytes the document took.
    pub used: usize,
    /// The length of its XML ([`Document::to_xml`]).
    pub xml_len: usize,
    /// The handler was handed what an XML reader reads from that XML: false
    /// for a literal tag name with a namespace prefix (`a:b`, read as `b`).
    pub faithful: bool,
}

/// Reads the first document of `bytes` (as [`decode_first`] does, with the
/// same errors) straight into `handler`: the events an XML reader hands on
/// when it reads [`Document::to_xml`] (names, attributes as written,
/// unescaped text with XML's line ends), without building the tree or
/// writing the XML. A handler that was handed part of a document that fails
/// is to be dropped.
pub fn replay_first<'a>(
    bytes: &'a [u8],
    handler: &mut impl crate::syncml::xml::Handler<'a>,
) -> std::result::Result<Replayed, WbxmlError> {
    let mut budget = MAX_OUTPUT;
    let replay = Replay {
        handler,
        open: Vec::new(),
        text: None,
        xml_len: 0,
        faithful: true,
    };
    let (_, replay, used) = read_prefix(bytes, 0, 0, &mut budget, replay)?;
    Ok(Replayed {
        used,
        xml_len: replay.xml_len,
        faithful: replay.faithful,
    })
}

/// Hands a document to an XML handler as an XML reader would, counting its
/// XML's bytes on the way.
struct Replay<'h, 'a, H> {
    handler: &'h mut H,
    open: Vec<Opened>,
    /// Text read and not handed on yet: pieces next to each other are one
    /// text, as in the tree.
    text: Option<Cow<'a, str>>,
    xml_len: usize,
    faithful: bool,
}

/// An element the replay is in.
struct Opened {
    name_len: usize,
    /// The namespace its children inherit.
    namespace: Option<Cow<'static, str>>,
    has_content: bool,
}

impl<'a, H: crate::syncml::xml::Handler<'a>> Replay<'_, 'a, H> {
    /// The innermost open element has content.
    fn has_content(&mut self) {
        if let Some(opened) = self.open.last_mut() {
            opened.has_content = true;
        }
    }

    /// Hands on the text read so far.
    fn flush(&mut self) {
        if let Some(text) = self.text.take() {
            self.piece(text);
        }
    }

    /// One piece of text, as its XML has it.
    fn piece(&mut self, text: Cow<'a, str>) {
        let mut length = Length(0);
        escape_into(&text, false, &mut length);
        self.xml_len += length.0;
        if !self.handler.wants_text() {
            return;
        }
        // XML 1.0 reads a CR LF or a lone CR as a line feed.
        if text.contains('\r') {
            self.handler
                .text(Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")));
        } else {
            self.handler.text(text);
        }
    }

    /// Opaque bytes: as text when they are text, else as base64.
    fn opaque_piece(&mut self, bytes: &[u8], text: Option<Cow<'a, str>>) {
        self.flush();
        self.has_content();
        match text {
            Some(text) => self.piece(text),
            None if self.handler.wants_text() => self.piece(Cow::Owned(base64::encode(bytes))),
            // Base64 needs no escaping.
            None => self.xml_len += bytes.len().div_ceil(3) * 4,
        }
    }

    /// A decoded tree (a document nested in OPAQUE data), element by element.
    fn feed(&mut self, node: Node) {
        self.open(node.name, node.namespace, node.attributes);
        for piece in node.content {
            match piece {
                Content::Element(child) => self.feed(child),
                Content::Text(text) => self.text(Cow::Owned(text)),
                Content::Opaque(bytes) => {
                    let text = opaque_text(&bytes).map(|text| Cow::Owned(text.to_owned()));
                    self.opaque_piece(&bytes, text);
                }
            }
        }
        self.close();
    }
}

impl<'a, H: crate::syncml::xml::Handler<'a>> Receiver<'a> for Replay<'_, 'a, H> {
    fn open(
        &mut self,
        name: Cow<'static, str>,
        namespace: Option<&'static str>,
        attributes: Vec<(String, String)>,
    ) {
        self.flush();
        self.has_content();
        let inherited = self.open.last().and_then(|opened| opened.namespace.clone());
        let explicit = explicit_namespace(&attributes);
        let shown = Attributes {
            namespace: shown_namespace(namespace, explicit, inherited.as_deref()),
            own: &attributes,
        };
        // As a reader hands them on: as written, without the space before.
        let written = if shown.is_empty() {
            Cow::Borrowed("")
        } else {
            let mut written = String::new();
            shown.write(&mut written);
            written.remove(0);
            Cow::Owned(written)
        };
        self.xml_len += 1 + name.len() + written.len() + usize::from(!written.is_empty());
        self.faithful &= !name.contains(':');
        let children = match explicit {
            Some(explicit) => Some(Cow::Owned(explicit.to_owned())),
            None => namespace.map(Cow::Borrowed).or(inherited),
        };
        self.open.push(Opened {
            name_len: name.len(),
            namespace: children,
            has_content: false,
        });
        self.handler.start(name, written);
    }

    fn text(&mut self, text: Cow<'a, str>) {
        self.has_content();
        match &mut self.text {
            Some(before) => before.to_mut().push_str(&text),
            None => self.text = Some(text),
        }
    }

    fn opaque(&mut self, bytes: &'a [u8]) {
        self.opaque_piece(bytes, opaque_text(bytes).map(Cow::Borrowed));
    }

    fn nested(&mut self, root: Node) {
        self.feed(root);
    }

    fn close(&mut self) {
        self.flush();
        if let Some(opened) = self.open.pop() {
            // `/>`, or `>` and `</name>`.
            self.xml_len += if opened.has_content {
                4 + opened.name_len
            } else {
                2
            };
        }
        self.handler.end();
    }
}

fn write_attribute(name: &str, value: &str, out: &mut impl XmlOut) {
    out.push_str(" ");
    out.push_str(name);
    out.push_str("=\"");
    escape_into(value, true, out);
    out.push_str("\"");
}

fn escape_into(text: &str, in_attribute: bool, out: &mut impl XmlOut) {
    let needs_escape =
        |byte: &u8| matches!(byte, b'&' | b'<' | b'>') || (in_attribute && *byte == b'"');
    // Runs of text without a character to escape are copied whole (base64
    // payloads are all such a run), found by memchr outside attributes.
    let next_escape = |rest: &str| {
        if in_attribute {
            rest.bytes().position(|byte| needs_escape(&byte))
        } else {
            memchr::memchr3(b'&', b'<', b'>', rest.as_bytes())
        }
    };
    let mut rest = text;
    while let Some(at) = next_escape(rest) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    // SyncML page 0, MetInf page 1 and DevInf tag tokens used below.
    const ADD: u8 = 0x05;
    const CMD_ID: u8 = 0x0B;
    const DATA: u8 = 0x0F;
    const FINAL: u8 = 0x12;
    const GET: u8 = 0x13;
    const ITEM: u8 = 0x14;
    const LOC_URI: u8 = 0x17;
    const META: u8 = 0x1A;
    const MSG_ID: u8 = 0x1B;
    const REPLACE: u8 = 0x20;
    const RESULTS: u8 = 0x22;
    const SESSION_ID: u8 = 0x25;
    const SOURCE: u8 = 0x27;
    const SYNC_BODY: u8 = 0x2B;
    const SYNC_HDR: u8 = 0x2C;
    const SYNCML: u8 = 0x2D;
    const TARGET: u8 = 0x2E;
    const VER_DTD: u8 = 0x31;
    const VER_PROTO: u8 = 0x32;
    const FORMAT: u8 = 0x07;
    const MAX_MSG_SIZE: u8 = 0x0C;
    const TYPE: u8 = 0x13;
    const DEVINF: u8 = 0x0A;
    const MAN: u8 = 0x11;
    const UTC: u8 = 0x28;
    const DEVINF_VER_DTD: u8 = 0x25;

    fn mb(mut value: u32) -> Vec<u8> {
        let mut out = vec![(value & 0x7F) as u8];
        value >>= 7;
        while value > 0 {
            out.insert(0, (value & 0x7F) as u8 | 0x80);
            value >>= 7;
        }
        out
    }

    /// A WBXML 1.3 header: public id, UTF-8, string table.
    fn header(public_id: u32, strings: &[u8]) -> Vec<u8> {
        header_with(0x03, public_id, 106, strings)
    }

    fn header_with(version: u8, public_id: u32, charset: u32, strings: &[u8]) -> Vec<u8> {
        let length = u32::try_from(strings.len()).expect("short table");
        [
            vec![version],
            mb(public_id),
            mb(charset),
            mb(length),
            strings.to_vec(),
        ]
        .concat()
    }

    /// A header whose public id is string-table entry 0.
    fn named_header(name: &[u8]) -> Vec<u8> {
        let length = u32::try_from(name.len()).expect("short name");
        [vec![0x02, 0x00, 0x00, 0x6A], mb(length), name.to_vec()].concat()
    }

    /// An element with content.
    fn el(tag: u8, content: &[Vec<u8>]) -> Vec<u8> {
        [vec![tag | HAS_CONTENT], content.concat(), vec![END]].concat()
    }

    fn str_i(text: &str) -> Vec<u8> {
        [vec![STR_I], text.as_bytes().to_vec(), vec![0]].concat()
    }

    fn str_t(index: u32) -> Vec<u8> {
        [vec![STR_T], mb(index)].concat()
    }

    fn text_el(tag: u8, text: &str) -> Vec<u8> {
        el(tag, &[str_i(text)])
    }

    fn switch(page: u8) -> Vec<u8> {
        vec![SWITCH_PAGE, page]
    }

    fn opaque(bytes: &[u8]) -> Vec<u8> {
        let length = u32::try_from(bytes.len()).expect("short opaque");
        [vec![OPAQUE], mb(length), bytes.to_vec()].concat()
    }

    fn entity(code: u32) -> Vec<u8> {
        [vec![ENTITY], mb(code)].concat()
    }

    /// A DM 1.2 server message using every kind of content token.
    fn dm_message() -> Vec<u8> {
        let hdr = el(
            SYNC_HDR,
            &[
                text_el(VER_DTD, "1.2"),
                text_el(VER_PROTO, "DM/1.2"),
                text_el(SESSION_ID, "1"),
                text_el(MSG_ID, "1"),
                el(TARGET, &[text_el(LOC_URI, "IMEI:493005100592800")]),
                el(SOURCE, &[text_el(LOC_URI, "https://dm.example.com/dm")]),
                el(META, &[switch(1), text_el(MAX_MSG_SIZE, "4096"), switch(0)]),
            ],
        );
        let get = el(
            GET,
            &[
                text_el(CMD_ID, "2"),
                el(ITEM, &[el(TARGET, &[el(LOC_URI, &[str_t(0)])])]),
            ],
        );
        let meta = el(
            META,
            &[
                switch(1),
                text_el(FORMAT, "chr"),
                text_el(TYPE, "text/plain"),
                switch(0),
            ],
        );
        let data = el(DATA, &[opaque(b"R&D <lab>"), entity(0xE9), str_i("!")]);
        let replace = el(REPLACE, &[text_el(CMD_ID, "3"), el(ITEM, &[meta, data])]);
        let body = el(SYNC_BODY, &[get, replace, vec![FINAL]]);
        [
            header(0x1201, b"./DevDetail/Bearer\0"),
            el(SYNCML, &[hdr, body]),
        ]
        .concat()
    }

    const DM_MESSAGE_XML: &str = concat!(
        r#"<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>"#,
        r#"<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>IMEI:493005100592800</LocURI></Target>"#,
        r#"<Source><LocURI>https://dm.example.com/dm</LocURI></Source>"#,
        r#"<Meta><MaxMsgSize xmlns="syncml:metinf">4096</MaxMsgSize></Meta></SyncHdr>"#,
        r#"<SyncBody><Get><CmdID>2</CmdID><Item><Target><LocURI>./DevDetail/Bearer</LocURI></Target></Item></Get>"#,
        r#"<Replace><CmdID>3</CmdID><Item><Meta><Format xmlns="syncml:metinf">chr</Format>"#,
        r#"<Type xmlns="syncml:metinf">text/plain</Type></Meta><Data>R&amp;D &lt;lab&gt;é!</Data></Item></Replace>"#,
        r#"<Final/></SyncBody></SyncML>"#,
    );

    fn decoded(bytes: &[u8]) -> Document {
        match decode(bytes) {
            Ok(document) => document,
            Err(error) => panic!("decode failed: {error}"),
        }
    }

    fn failure(bytes: &[u8]) -> WbxmlError {
        match decode(bytes) {
            Ok(document) => panic!("decoded, expected an error: {}", document.to_xml()),
            Err(error) => error,
        }
    }

    fn find(haystack: &[u8], needle: &[u8]) -> usize {
        haystack
            .windows(needle.len())
            .position(|window| window == needle)
            .expect("needle present")
    }

    /// A SyncML 1.2 document whose root holds `content`.
    fn syncml_with(strings: &[u8], content: &[Vec<u8>]) -> Vec<u8> {
        [header(0x1201, strings), el(SYNCML, content)].concat()
    }

    /// Random SyncML documents (every kind of content, texts with what XML
    /// escapes or reads otherwise: `&`, `<`, CR, control characters, white
    /// space, literal elements and attributes, nested DevInf, binary opaque
    /// data), as WBXML.
    fn random_documents(count: usize) -> impl Iterator<Item = Vec<u8>> {
        const TEXTS: &[&str] = &[
            "",
            " ",
            "1200",
            "1201",
            "200",
            "401",
            "IMEI:3500001",
            "a&b",
            "<x>",
            "x]]>y",
            "line\r\nnext",
            "cr\ronly",
            "\t tab ",
            "é€",
            "\u{1}ctl",
            "  padded  ",
            "&amp;",
            "\"q\" 'a'",
            "./DevInfo/DevId",
            "MAXDT=20&DR=2",
            "\n",
        ];
        const STRINGS: &[u8] = b"./SCM/Inventory\0note\0xmlns\0syncml:metinf\0Ext\0a:b\0";
        // Offsets of the strings above.
        const AT: [u32; 6] = [0, 16, 21, 27, 41, 45];
        let mut next = crate::syncml::samples::random(0x9E37_79B9_7F4A_7C15);
        (0..count).map(move |_| {
            let mut pick = |n: usize| (next() % n as u64) as usize;
            let text = |pick: &mut dyn FnMut(usize) -> usize| -> Vec<u8> {
                match pick(8) {
                    0 => str_t(AT[0]),
                    1 => [str_i(TEXTS[pick(TEXTS.len())]), entity(0x26), str_i("z")].concat(),
                    2 => opaque(TEXTS[pick(TEXTS.len())].as_bytes()),
                    3 => opaque(&[0, 0xFF, 0x10, b'a']),
                    4 => opaque(&devinf_document()),
                    _ => str_i(TEXTS[pick(TEXTS.len())]),
                }
            };
            let mut commands = Vec::new();
            for _ in 0..pick(5) {
                let tag = [ADD, REPLACE, GET, RESULTS, 0x06, 0x29, 0x11][pick(7)];
                let mut item = vec![el(TARGET, &[el(LOC_URI, &[text(&mut pick)])])];
                if pick(2) == 0 {
                    item.push(el(
                        META,
                        &[switch(1), el(FORMAT, &[text(&mut pick)]), switch(0)],
                    ));
                }
                match pick(4) {
                    0 => item.push(vec![DATA]),
                    1 => item.push(el(DATA, &[text(&mut pick), text(&mut pick)])),
                    2 => item.push(el(
                        DATA,
                        &[[
                            vec![LITERAL | HAS_CONTENT],
                            mb(AT[4]),
                            text(&mut pick),
                            vec![END],
                        ]
                        .concat()],
                    )),
                    _ => item.push(el(DATA, &[text(&mut pick)])),
                }
                let mut content = vec![text_el(CMD_ID, &pick(9).to_string())];
                if tag == 0x29 {
                    content.push(el(0x1C, &[text(&mut pick)]));
                    content.push(el(0x0C, &[text(&mut pick)]));
                    content.push(el(0x0A, &[text(&mut pick)]));
                }
                content.push(el(ITEM, &item));
                commands.push(el(tag, &content));
            }
            // A literal element with attributes, sometimes a prefixed one.
            if pick(3) == 0 {
                let name = if pick(2) == 0 { AT[4] } else { AT[5] };
                commands.push(
                    [
                        vec![0x04 | HAS_CONTENT | HAS_ATTRIBUTES],
                        mb(name),
                        vec![LITERAL],
                        mb(AT[1]),
                        str_i(TEXTS[pick(TEXTS.len())]),
                        vec![END],
                        text(&mut pick),
                        vec![END],
                    ]
                    .concat(),
                );
            }
            if pick(2) == 0 {
                commands.push(vec![FINAL]);
            }
            let header_element = el(
                SYNC_HDR,
                &[
                    text_el(VER_DTD, "1.2"),
                    el(SESSION_ID, &[text(&mut pick)]),
                    text_el(MSG_ID, &pick(4).to_string()),
                    el(SOURCE, &[el(LOC_URI, &[text(&mut pick)])]),
                ],
            );
            let root = if pick(20) == 0 { GET } else { SYNCML };
            [
                header(0x1201, STRINGS),
                el(root, &[header_element, el(SYNC_BODY, &commands)]),
            ]
            .concat()
        })
    }

    #[test]
    fn a_document_replayed_is_the_message_its_xml_is() {
        use crate::syncml::Message;
        let (mut replayed, mut documents) = (0, 0);
        for bytes in random_documents(4_000) {
            let document = decoded(&bytes);
            documents += 1;
            let xml = document.to_xml();
            let parsed = Message::parse(&xml).ok();
            let (message, read) = Message::from_wbxml(&bytes).expect("it decodes");
            assert_eq!(read.xml_len, xml.len(), "{xml}");
            assert_eq!(read.used, bytes.len(), "{xml}");
            match message {
                Some(message) => {
                    replayed += 1;
                    assert_eq!(Some(message), parsed, "{xml}");
                }
                // Not replayed: a prefixed name, or not a SyncML message.
                None => assert!(
                    xml.contains("<a:b") || parsed.is_none(),
                    "not replayed: {xml}"
                ),
            }
        }
        // A sixth have a prefixed name, a twentieth another root.
        assert!(
            replayed * 10 > documents * 7,
            "{replayed} of {documents} replayed"
        );
        let (message, _) = Message::from_wbxml(&dm_message()).expect("it decodes");
        let message = message.expect("replayed");
        assert_eq!(Message::parse(DM_MESSAGE_XML).ok(), Some(message));
    }

    #[test]
    fn dm_message_decodes_to_xml() {
        let document = decoded(&dm_message());
        assert_eq!(document.version, 0x03);
        assert_eq!(document.public_id, PublicId::Known(0x1201));
        assert_eq!(document.charset, 106);
        assert_eq!(document.root.name, "SyncML");
        assert_eq!(document.root.namespace, Some("SYNCML:SYNCML1.2"));
        let xml = document.to_xml();
        assert_eq!(xml, DM_MESSAGE_XML);
        let parsed = crate::syncml::xml::parse(&xml).expect("our XML parses");
        assert_eq!(
            parsed.text_at(&["SyncBody", "Replace", "Item", "Data"]),
            Some("R&D <lab>é!")
        );
    }

    #[test]
    fn tree_keeps_opaque_bytes_and_joins_text() {
        let document = decoded(&dm_message());
        let Some(Content::Element(body)) = document.root.content.get(1) else {
            panic!("no SyncBody")
        };
        let Some(Content::Element(replace)) = body.content.get(1) else {
            panic!("no Replace")
        };
        let Some(Content::Element(item)) = replace.content.get(1) else {
            panic!("no Item")
        };
        let Some(Content::Element(data)) = item.content.get(1) else {
            panic!("no Data")
        };
        assert_eq!(
            data.content,
            vec![
                Content::Opaque(b"R&D <lab>".to_vec()),
                Content::Text("é!".into())
            ]
        );
        let Some(Content::Element(final_)) = body.content.get(2) else {
            panic!("no Final")
        };
        assert_eq!(final_.name, "Final");
        assert!(final_.content.is_empty());
    }

    #[test]
    fn tables_hold_the_libwbxml_tokens() {
        let syncml12 = language_by_number(0x1201).expect("SyncML 1.2");
        let page0 = syncml12.page(0).expect("page 0");
        for (token, name) in [
            (0x05, "Add"),
            (0x2D, "SyncML"),
            (0x34, "MoreData"),
            (0x3C, "Correlator"),
        ] {
            assert_eq!(page0.tag(token), Some(name));
        }
        assert_eq!(page0.tag(0x30), None);
        let metinf = syncml12.page(1).expect("page 1");
        assert_eq!(
            (metinf.tag(0x05), metinf.tag(0x16)),
            (Some("Anchor"), Some("FieldLevel"))
        );
        let syncml11 = language_by_number(0x0FD3).expect("SyncML 1.1");
        assert_eq!(syncml11.page(0).and_then(|page| page.tag(0x35)), None);
        assert_eq!(syncml11.page(1).and_then(|page| page.tag(0x16)), None);
        let devinf11 = language_by_number(0x0FD4)
            .and_then(|language| language.page(0))
            .expect("DevInf 1.1");
        let devinf12 = language_by_number(0x1203)
            .and_then(|language| language.page(0))
            .expect("DevInf 1.2");
        assert_eq!(
            (devinf11.tag(0x1C), devinf12.tag(0x1C)),
            (Some("Size"), Some("MaxSize"))
        );
        assert_eq!(devinf12.tag(0x34), Some("SupportHierarchicalSync"));
        assert_eq!(
            language_by_number(0x1202).map(|language| language.name),
            Some("MetInf 1.2")
        );
    }

    #[test]
    fn public_id_forms() {
        let body = el(SYNCML, &[vec![FINAL]]);
        let cases: [(Vec<u8>, PublicId, &str); 5] = [
            (
                header(0x1201, b""),
                PublicId::Known(0x1201),
                "SYNCML:SYNCML1.2",
            ),
            (
                header(0x0FD3, b""),
                PublicId::Known(0x0FD3),
                "SYNCML:SYNCML1.1",
            ),
            (
                header(0x0FD1, b""),
                PublicId::Known(0x0FD1),
                "SYNCML:SYNCML1.0",
            ),
            // NUL-terminated, and (as real encoders write it) running to the end of the table.
            (
                named_header(b"-//SYNCML//DTD SyncML 1.2//EN\0"),
                PublicId::Named("-//SYNCML//DTD SyncML 1.2//EN".into()),
                "SYNCML:SYNCML1.2",
            ),
            (
                named_header(b"-//SYNCML//DTD SyncML 1.1//EN"),
                PublicId::Named("-//SYNCML//DTD SyncML 1.1//EN".into()),
                "SYNCML:SYNCML1.1",
            ),
        ];
        for (head, public_id, namespace) in cases {
            let document = decoded(&[head, body.clone()].concat());
            assert_eq!(document.public_id, public_id);
            assert_eq!(
                document.to_xml(),
                format!(r#"<SyncML xmlns="{namespace}"><Final/></SyncML>"#)
            );
        }
        // Case differences in a string id are tolerated, as libwbxml does.
        let document =
            decoded(&[named_header(b"-//SyncML//DTD SyncML 1.1//EN"), body.clone()].concat());
        assert!(
            document
                .to_xml()
                .starts_with(r#"<SyncML xmlns="SYNCML:SYNCML1.1">"#)
        );
        // An unknown id with a <SyncML> root reads as SyncML 1.2.
        let document = decoded(&[header(0x01, b""), body.clone()].concat());
        assert_eq!(document.public_id, PublicId::Known(1));
        assert_eq!(
            document.to_xml(),
            r#"<SyncML xmlns="SYNCML:SYNCML1.2"><Final/></SyncML>"#
        );
        // An unknown id with another root is refused, naming the id.
        let error = failure(&[header(0x79, b""), el(ADD, &[])].concat());
        assert_eq!(error.offset, 4);
        assert!(
            error.message.contains("unknown public id 0x0079"),
            "{error}"
        );
        let error = failure(&[named_header(b"-//WAPFORUM//DTD SI 1.0//EN"), el(ADD, &[])].concat());
        assert!(
            error.message.contains("\"-//WAPFORUM//DTD SI 1.0//EN\""),
            "{error}"
        );
    }

    #[test]
    fn devinf_metinf_and_ddf_documents() {
        let devinf = [
            header(0x1203, b""),
            el(DEVINF, &[text_el(MAN, "Acme"), vec![UTC]]),
        ]
        .concat();
        assert_eq!(
            decoded(&devinf).to_xml(),
            r#"<DevInf xmlns="syncml:devinf"><Man>Acme</Man><UTC/></DevInf>"#
        );
        let metinf = [
            named_header(b"-//SYNCML//DTD MetInf 1.1//EN\0"),
            switch(1),
            text_el(TYPE, "x"),
        ]
        .concat();
        assert_eq!(
            decoded(&metinf).to_xml(),
            r#"<Type xmlns="syncml:metinf">x</Type>"#
        );
        let ddf = [
            named_header(b"-//OMA//DTD-DM-DDF 1.2//EN\0"),
            switch(2),
            el(0x20, &[text_el(0x37, "1.2")]),
        ]
        .concat();
        assert_eq!(
            decoded(&ddf).to_xml(),
            r#"<MgmtTree xmlns="syncml:dmddf1.2"><VerDTD>1.2</VerDTD></MgmtTree>"#
        );
    }

    #[test]
    fn sniffs_wbxml_headers() {
        assert!(is_wbxml(&dm_message()));
        assert!(is_wbxml(&header(0x0FD3, b"")));
        assert!(is_wbxml(&header(0x1203, b"")));
        assert!(is_wbxml(&named_header(b"-//SYNCML//DTD SyncML 1.1//EN")));
        assert!(is_wbxml(&named_header(b"-//syncml//dtd DevInf 1.2//EN\0")));
        assert!(!is_wbxml(b""));
        assert!(!is_wbxml(b"<SyncML xmlns=\"SYNCML:SYNCML1.2\">"));
        assert!(!is_wbxml(b"\x02\x00\x00j\x1d-//SYNCML//DTD Sync")); // table cut short
        assert!(!is_wbxml(b"hello"));
        assert!(!is_wbxml(&header(0x01, b"")));
        assert!(!is_wbxml(&header_with(0x00, 0x1201, 106, b"")));
        assert!(!is_wbxml(&named_header(b"-//WAPFORUM//DTD SI 1.0//EN\0")));
        assert!(!is_wbxml(&[0x03, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]));
    }

    #[test]
    fn charsets() {
        let latin1 = [
            header_with(0x03, 0x1201, 4, b""),
            el(SYNCML, &[el(DATA, &[vec![STR_I, b'c', 0xE9, 0]])]),
        ]
        .concat();
        assert_eq!(
            decoded(&latin1).to_xml(),
            r#"<SyncML xmlns="SYNCML:SYNCML1.2"><Data>cé</Data></SyncML>"#
        );
        let ascii = [
            header_with(0x03, 0x1201, 3, b""),
            el(SYNCML, &[text_el(DATA, "ok")]),
        ]
        .concat();
        assert_eq!(decoded(&ascii).charset, 3);
        let bad_utf8 = [
            header(0x1201, b""),
            el(SYNCML, &[el(DATA, &[vec![STR_I, b'a', 0xFF, 0]])]),
        ]
        .concat();
        let error = failure(&bad_utf8);
        assert_eq!(
            (error.offset, error.message.as_str()),
            (find(&bad_utf8, &[0xFF]), "invalid UTF-8 in a string")
        );
        let other = [
            header_with(0x03, 0x1201, 1000, b""),
            el(SYNCML, &[el(DATA, &[vec![STR_I, 0xFF, 0]])]),
        ]
        .concat();
        let error = failure(&other);
        assert!(error.message.contains("charset 1000"), "{error}");
        let other_ok = [
            header_with(0x03, 0x1201, 1000, b""),
            el(SYNCML, &[text_el(DATA, "é")]),
        ]
        .concat();
        assert_eq!(decoded(&other_ok).charset, 1000);
    }

    #[test]
    fn literal_attributes() {
        let strings = b"xmlns\0SYNCML:SYNCML1.2\0note\0";
        let attributes = [
            vec![LITERAL],
            mb(0),
            str_t(6),
            vec![LITERAL],
            mb(23),
            str_i("a\"&b"),
            vec![END],
        ]
        .concat();
        let bytes = [
            header(0x1201, strings),
            vec![SYNCML | HAS_CONTENT | HAS_ATTRIBUTES],
            attributes,
            vec![FINAL, END],
        ]
        .concat();
        let document = decoded(&bytes);
        assert_eq!(
            document.root.attributes,
            vec![
                ("xmlns".into(), "SYNCML:SYNCML1.2".into()),
                ("note".into(), "a\"&b".into())
            ]
        );
        assert_eq!(
            document.to_xml(),
            r#"<SyncML xmlns="SYNCML:SYNCML1.2" note="a&quot;&amp;b"><Final/></SyncML>"#
        );
        // A literal tag name, in its parent's namespace.
        let literal = syncml_with(
            b"Vendor\0",
            &[[vec![LITERAL | HAS_CONTENT], mb(0), str_i("x"), vec![END]].concat()],
        );
        assert_eq!(
            decoded(&literal).to_xml(),
            r#"<SyncML xmlns="SYNCML:SYNCML1.2"><Vendor>x</Vendor></SyncML>"#
        );
    }

    #[test]
    fn opaque_data_as_text_or_base64() {
        let binary = syncml_with(b"", &[el(DATA, &[opaque(&[0x00, 0xFF, 0x10])])]);
        assert_eq!(
            decoded(&binary).to_xml(),
            r#"<SyncML xmlns="SYNCML:SYNCML1.2"><Data>AP8Q</Data></SyncML>"#
        );
        let control = syncml_with(b"", &[el(DATA, &[opaque(b"a\x07b")])]);
        assert_eq!(
            decoded(&control).to_xml(),
            r#"<SyncML xmlns="SYNCML:SYNCML1.2"><Data>YQdi</Data></SyncML>"#
        );
        let text = syncml_with(b"", &[el(DATA, &[opaque(b"line 1\r\n\tline 2")])]);
        assert!(
            decoded(&text)
                .to_xml()
                .contains("<Data>line 1\r\n\tline 2</Data>")
        );
    }

    fn devinf_document() -> Vec<u8> {
        [
            header(0x1203, b""),
            el(
                DEVINF,
                &[
                    text_el(DEVINF_VER_DTD, "1.2"),
                    text_el(MAN, "Acme"),
                    vec![UTC],
                ],
            ),
        ]
        .concat()
    }

    #[test]
    fn nested_devinf_in_opaque_is_decoded() {
        let bytes = syncml_with(
            b"",
            &[el(
                SYNC_BODY,
                &[el(
                    RESULTS,
                    &[el(ITEM, &[el(DATA, &[opaque(&devinf_document())])])],
                )],
            )],
        );
        let document = decoded(&bytes);
        assert_eq!(
            document.to_xml(),
            concat!(
                r#"<SyncML xmlns="SYNCML:SYNCML1.2"><SyncBody><Results><Item><Data>"#,
                r#"<DevInf xmlns="syncml:devinf"><VerDTD>1.2</VerDTD><Man>Acme</Man><UTC/></DevInf>"#,
                r#"</Data></Item></Results></SyncBody></SyncML>"#
            )
        );
        // A broken nested document stays opaque (and is written in base64).
        let mut broken = devinf_document();
        broken.truncate(broken.len() - 1);
        let bytes = syncml_with(b"", &[el(DATA, &[opaque(&broken)])]);
        let xml = decoded(&bytes).to_xml();
        assert!(
            xml.contains(&format!("<Data>{}</Data>", base64::encode(&broken))),
            "{xml}"
        );
    }

    #[test]
    fn truncated_at_every_length_is_an_error() {
        for bytes in [
            dm_message(),
            syncml_with(b"", &[el(DATA, &[opaque(&devinf_document())])]),
        ] {
            for length in 0..bytes.len() {
                assert!(
                    decode(&bytes[..length]).is_err(),
                    "prefix of {length} bytes decoded"
                );
            }
            let error = failure(&bytes[..bytes.len() - 1]);
            assert_eq!(error.message, "the document ends inside <SyncML>");
            assert_eq!(error.offset, bytes.len() - 1);
        }
        let error = failure(&dm_message()[..3]);
        assert_eq!(
            (error.offset, error.message.as_str()),
            (3, "the document ends inside the header")
        );
        let head = header(0x1201, b"");
        let error = failure(&head);
        assert_eq!(
            (error.offset, error.message.as_str()),
            (
                head.len(),
                "the document ends inside the body before the root element"
            )
        );
    }

    #[test]
    fn errors_name_their_offset() {
        let cases: [(Vec<u8>, usize, &str); 6] = [
            (
                vec![0x03, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
                1,
                "bad multi-byte integer (longer than 5 bytes)",
            ),
            (
                vec![0x03, 0x90, 0x80, 0x80, 0x80, 0x00],
                1,
                "bad multi-byte integer (more than 32 bits)",
            ),
            (
                vec![0x00, 0x01, 0x6A, 0x00],
                0,
                "unsupported WBXML version byte 0x00 (WBXML 1.1 to 1.3 are 0x01 to 0x03)",
            ),
            (
                vec![0x03, 0x00, 0x05, 0x6A, 0x02, b'a', 0x00],
                2,
                "string-table offset 5 out of range (table has 2 bytes)",
            ),
            (
                vec![0x03, 0x6A, 0x6A, 0x09, b'a'],
                3,
                "string table length 9 exceeds the 1 bytes left",
            ),
            (
                [header(0x1201, b""), vec![STR_I]].concat(),
                5,
                "expected the root element, found token 0x03",
            ),
        ];
        for (bytes, offset, message) in cases {
            let error = failure(&bytes);
            assert_eq!((error.offset, error.message.as_str()), (offset, message));
            assert_eq!(error.to_string(), format!("{message} (at byte {offset})"));
        }
    }

    #[test]
    fn a_string_table_string_without_its_nul_is_an_error() {
        let head = header(0x1201, b"abc").len();
        let bytes = [
            header(0x1201, b"abc"),
            vec![SYNCML | HAS_CONTENT],
            str_t(0),
            vec![END],
        ]
        .concat();
        let error = failure(&bytes);
        assert_eq!(error.offset, head + 2);
        assert!(
            error.message.contains("is unterminated"),
            "{}",
            error.message
        );
    }

    #[test]
    fn content_errors_name_their_offset() {
        let head = header(0x1201, b"abc\0").len();
        let root = head + 1; // first byte inside the root element
        let cases: [(Vec<u8>, usize, &str); 10] = [
            (
                vec![STR_T, 9],
                root + 1,
                "string-table offset 9 out of range (table has 4 bytes)",
            ),
            (
                vec![STR_I, b'a', b'b'],
                root,
                "unterminated inline string (STR_I without its NUL)",
            ),
            (
                vec![OPAQUE, 0x7F, 0x00],
                root + 1,
                "OPAQUE length 127 exceeds the 3 bytes left",
            ),
            (
                vec![0x40, b'a', 0x00],
                root,
                "token EXT_I_0 (0x40) is not used by SyncML and not supported",
            ),
            (
                vec![0x43],
                root,
                "token PI (0x43) is not used by SyncML and not supported",
            ),
            (
                vec![0x80, 0x00],
                root,
                "token EXT_T_0 (0x80) is not used by SyncML and not supported",
            ),
            (
                vec![0xC2],
                root,
                "token EXT_2 (0xC2) is not used by SyncML and not supported",
            ),
            (
                vec![0x3F],
                root,
                "unknown tag token 0x3F on code page 0 of SyncML 1.2",
            ),
            (
                vec![SWITCH_PAGE, 7, 0x05],
                root + 2,
                "tag 0x05 on code page 7, which SyncML 1.2 does not have",
            ),
            (
                vec![ENTITY, 0x83, 0xB0, 0x00],
                root + 1,
                "ENTITY 0xD800 is not a character",
            ),
        ];
        for (content, offset, message) in cases {
            let bytes = [
                header(0x1201, b"abc\0"),
                vec![SYNCML | HAS_CONTENT],
                content,
                vec![END, END],
            ]
            .concat();
            let error = failure(&bytes);
            assert_eq!(
                (error.offset, error.message.as_str()),
                (offset, message),
                "{bytes:02X?}"
            );
        }
        // A literal name must be an XML name (here it starts with a digit).
        let bytes = [
            header(0x1201, b"1x\0"),
            vec![SYNCML | HAS_CONTENT, LITERAL, 0x00, END],
        ]
        .concat();
        assert!(failure(&bytes).message.contains("not an XML name"));
    }

    #[test]
    fn attribute_errors() {
        let strings = b"a\0";
        let head = header(0x1201, strings);
        let attributes_at = head.len() + 1;
        let unknown = [head.clone(), vec![SYNCML | HAS_ATTRIBUTES, 0x05, END]].concat();
        let error = failure(&unknown);
        assert_eq!(
            (error.offset, error.message.as_str()),
            (attributes_at, "unknown attribute token 0x05")
        );
        let value_first = [
            head.clone(),
            vec![SYNCML | HAS_ATTRIBUTES],
            str_i("v"),
            vec![END],
        ]
        .concat();
        assert_eq!(
            failure(&value_first).message,
            "attribute value before any attribute name"
        );
        let twice = [
            head.clone(),
            vec![SYNCML | HAS_ATTRIBUTES, LITERAL, 0, LITERAL, 0, END],
        ]
        .concat();
        assert_eq!(failure(&twice).message, "attribute a appears twice");
        let ext = [head.clone(), vec![SYNCML | HAS_ATTRIBUTES, 0xC0, END]].concat();
        assert!(failure(&ext).message.contains("EXT_0"));
        let cut = [head, vec![SYNCML | HAS_ATTRIBUTES, LITERAL, 0]].concat();
        assert_eq!(failure(&cut).message, "the document ends inside <SyncML>");
    }

    #[test]
    fn trailing_bytes() {
        let padded = [dm_message(), vec![0, 0, 0]].concat();
        assert_eq!(decoded(&padded).to_xml(), DM_MESSAGE_XML);
        let message = dm_message();
        let newline = [message.clone(), vec![0x00, b'\n']].concat();
        assert_eq!(decoded(&newline).to_xml(), DM_MESSAGE_XML);
        let error = failure(&[message.clone(), vec![0x00, b'x']].concat());
        assert_eq!(
            (error.offset, error.message.as_str()),
            (message.len(), "2 bytes after the end of the document")
        );
        // Several documents one after the other: the first, and its length.
        let two = [message.clone(), message.clone()].concat();
        let (first, used) = decode_first(&two).expect("the first decodes");
        assert_eq!(
            (first.to_xml().as_str(), used),
            (DM_MESSAGE_XML, message.len())
        );
    }

    #[test]
    fn nesting_bomb() {
        let nested = |depth: usize| {
            let head = header(0x1201, b"");
            let offset = head.len() + depth - 1;
            (
                [head, vec![ITEM | HAS_CONTENT; depth], vec![END; depth]].concat(),
                offset,
            )
        };
        let (ok, _) = nested(MAX_DEPTH);
        assert!(decode(&ok).is_ok());
        let (bomb, offset) = nested(MAX_DEPTH + 1);
        let error = failure(&bomb);
        assert_eq!(
            (error.offset, error.message.as_str()),
            (offset, "elements nest more than 64 deep")
        );
        let (huge, _) = nested(100_000);
        assert!(decode(&huge).is_err());
    }

    #[test]
    fn nesting_counts_across_nested_documents() {
        // 60 Items, Data at 61, then the nested document: its fourth level is 65.
        let inner = [
            header(0x1203, b""),
            el(DEVINF, &[el(DEVINF, &[el(DEVINF, &[el(DEVINF, &[])])])]),
        ]
        .concat();
        let outer_head = header(0x1201, b"");
        let data = el(DATA, &[opaque(&inner)]);
        let bytes = [
            outer_head.clone(),
            vec![ITEM | HAS_CONTENT; 60],
            data,
            vec![END; 60],
        ]
        .concat();
        let inner_start = find(&bytes, &inner);
        let error = failure(&bytes);
        assert_eq!(error.message, "elements nest more than 64 deep");
        assert_eq!(error.offset, inner_start + header(0x1203, b"").len() + 3);
    }

    #[test]
    fn string_table_repetition_hits_max_output() {
        let long = [vec![b'A'; 64 * 1024], vec![0]].concat();
        let references: Vec<Vec<u8>> = (0..300).map(|_| str_t(0)).collect();
        let bytes = [header(0x1201, &long), el(DATA, &references)].concat();
        assert!(bytes.len() < 70 * 1024);
        let error = failure(&bytes);
        assert_eq!(
            error.message,
            format!("the decoded document exceeds {MAX_OUTPUT} bytes")
        );
        assert!(error.offset > long.len());
        // The same bomb inside a nested document is fatal too.
        let outer = syncml_with(
            b"",
            &[el(
                DATA,
                &[opaque(
                    &[header(0x1203, &long), el(DEVINF, &references)].concat(),
                )],
            )],
        );
        assert!(failure(&outer).message.contains("exceeds"));
    }

    /// Random corruption of valid documents never panics.
    #[test]
    fn corrupted_documents_do_not_panic() {
        let mut next = crate::syncml::samples::random(0x9E37_79B9_7F4A_7C15);
        let seeds = [
            dm_message(),
            syncml_with(b"", &[el(DATA, &[opaque(&devinf_document())])]),
        ];
        for round in 0..4000 {
            let mut bytes = seeds[round % seeds.len()].clone();
            for _ in 0..=(next() % 4) {
                let at = (next() as usize) % bytes.len();
                match next() % 3 {
                    0 => bytes[at] = next() as u8,
                    1 => bytes.insert(at, next() as u8),
                    _ => {
                        bytes.remove(at);
                    }
                }
                if bytes.is_empty() {
                    break;
                }
            }
            if let Ok(document) = decode(&bytes) {
                let _ = document.to_xml();
            }
            let _ = is_wbxml(&bytes);
        }
    }
}
