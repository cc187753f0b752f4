//! OMA Client Provisioning documents (`wap-provisioningdoc`, PROV 1.0 and
//! 1.1 code pages) in WBXML: characteristics and parms, their attribute
//! values with value tokens named (OMA-WAP-ProvCont, WAP-192-WBXML). No crate
//! reads them: this is ours. Knows the document; nothing of pushes or MACs.

use std::fmt::Write as _;

/// A `characteristic` with its `parm`s and nested characteristics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Characteristic {
    pub kind: String,
    pub parms: Vec<Parm>,
    pub children: Vec<Characteristic>,
}

/// A `parm`: its name and value (none for `INIT`, `STARTPAGE`…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parm {
    pub name: String,
    pub value: Option<String>,
}

/// A provisioning document: its version attribute and top characteristics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub version: Option<String>,
    pub characteristics: Vec<Characteristic>,
}

/// What is wrong, and at which byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvError {
    pub offset: usize,
    pub message: String,
}

impl std::fmt::Display for ProvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

/// The public id of PROV 1.0 ("-//WAPFORUM//DTD PROV 1.0//EN").
pub const PUBLIC_ID: u32 = 0x0B;

/// Deeper nesting is refused (a document is a few levels deep).
const MAX_DEPTH: usize = 32;

/// Whether `bytes` start as a PROV WBXML document.
pub fn is_provisioning(bytes: &[u8]) -> bool {
    matches!(bytes, [0x01..=0x03, 0x0B, ..])
}

/// Decodes a PROV WBXML document.
pub fn decode(bytes: &[u8]) -> Result<Document, ProvError> {
    let mut reader = Reader { bytes, at: 0 };
    let version = reader.byte()?;
    if !(0x01..=0x03).contains(&version) {
        return Err(reader.fail(
            0,
            format!("WBXML version byte {version:#04x} (0x01 to 0x03 expected)"),
        ));
    }
    let public_id = reader.mb()?;
    if public_id != PUBLIC_ID {
        return Err(reader.fail(1, format!("public id {public_id:#x}, not PROV 1.0 (0x0b)")));
    }
    let charset = reader.mb()?;
    if charset != 106 && charset != 4 && charset != 3 {
        return Err(reader.fail(2, format!("charset {charset} (UTF-8, 106, expected)")));
    }
    let length = reader.mb()? as usize;
    let table_at = reader.at;
    let table = reader.take(length)?;
    let mut decoder = Decoder {
        reader,
        table,
        table_at,
        tag_page: 0,
        attribute_page: 0,
        latin1: charset == 4,
    };
    decoder.document()
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn fail(&self, offset: usize, message: String) -> ProvError {
        ProvError { offset, message }
    }

    fn byte(&mut self) -> Result<u8, ProvError> {
        let byte = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| self.fail(self.at, "the document ends too early".into()))?;
        self.at += 1;
        Ok(byte)
    }

    fn peek(&self) -> Result<u8, ProvError> {
        self.bytes
            .get(self.at)
            .copied()
            .ok_or_else(|| self.fail(self.at, "the document ends too early".into()))
    }

    /// A multi-byte integer (7 bits a byte, high bit: more follow).
    fn mb(&mut self) -> Result<u32, ProvError> {
        let start = self.at;
        let mut value: u32 = 0;
        for _ in 0..5 {
            let byte = self.byte()?;
            value = value
                .checked_shl(7)
                .ok_or_else(|| self.fail(start, "a multi-byte integer too large".into()))?
                | u32::from(byte & 0x7f);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.fail(start, "a multi-byte integer longer than 5 bytes".into()))
    }

    fn take(&mut self, length: usize) -> Result<&'a [u8], ProvError> {
        let end = self
            .at
            .checked_add(length)
            .filter(|&end| end <= self.bytes.len());
        let Some(end) = end else {
            return Err(self.fail(
                self.at,
                format!(
                    "length {length} exceeds the {} bytes left",
                    self.bytes.len() - self.at
                ),
            ));
        };
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    /// An inline string up to its NUL.
    fn inline(&mut self) -> Result<&'a [u8], ProvError> {
        let start = self.at;
        let rest = &self.bytes[self.at..];
        let Some(end) = memchr::memchr(0, rest) else {
            return Err(self.fail(
                start,
                "unterminated inline string (STR_I without its NUL)".into(),
            ));
        };
        self.at += end + 1;
        Ok(&rest[..end])
    }
}

struct Decoder<'a> {
    reader: Reader<'a>,
    table: &'a [u8],
    table_at: usize,
    tag_page: u8,
    attribute_page: u8,
    latin1: bool,
}

const SWITCH_PAGE: u8 = 0x00;
const END: u8 = 0x01;
const STR_I: u8 = 0x03;
const STR_T: u8 = 0x83;
const ENTITY: u8 = 0x02;
const OPAQUE: u8 = 0xC3;

/// An element as read: its tag and attributes.
struct Start {
    tag: u8,
    at: usize,
    content: bool,
    attributes: Vec<(String, Option<String>)>,
}

impl Decoder<'_> {
    fn text(&self, bytes: &[u8]) -> String {
        if self.latin1 {
            bytes.iter().map(|&b| char::from(b)).collect()
        } else {
            String::from_utf8_lossy(bytes).into_owned()
        }
    }

    fn table_string(&self, index: u32, at: usize) -> Result<String, ProvError> {
        let start = index as usize;
        let rest = self
            .table
            .get(start..)
            .filter(|rest| !rest.is_empty())
            .ok_or_else(|| {
                self.reader.fail(
                    at,
                    format!(
                        "string-table offset {index} out of range (table has {} bytes)",
                        self.table.len()
                    ),
                )
            })?;
        let Some(end) = memchr::memchr(0, rest) else {
            return Err(self.reader.fail(
                self.table_at + start,
                format!("string-table string at offset {index} is unterminated"),
            ));
        };
        Ok(self.text(&rest[..end]))
    }

    fn document(&mut self) -> Result<Document, ProvError> {
        let root = self.start()?;
        if self.tag_page != 0 || root.tag != 0x05 {
            return Err(self.reader.fail(
                root.at,
                "the root element is not wap-provisioningdoc".into(),
            ));
        }
        let version = root
            .attributes
            .iter()
            .find(|(name, _)| name == "version")
            .and_then(|(_, value)| value.clone());
        let mut document = Document {
            version,
            characteristics: Vec::new(),
        };
        if root.content {
            document.characteristics = self.children(0)?.0;
        }
        if self.reader.at < self.reader.bytes.len() {
            return Err(self
                .reader
                .fail(self.reader.at, "bytes after the end of the document".into()));
        }
        Ok(document)
    }

    /// Characteristics and parms up to the END of the element they are in.
    fn children(&mut self, depth: usize) -> Result<(Vec<Characteristic>, Vec<Parm>), ProvError> {
        if depth > MAX_DEPTH {
            return Err(self.reader.fail(
                self.reader.at,
                format!("elements nest deeper than {MAX_DEPTH}"),
            ));
        }
        let mut characteristics = Vec::new();
        let mut parms = Vec::new();
        loop {
            match self.reader.peek()? {
                END => {
                    self.reader.byte()?;
                    return Ok((characteristics, parms));
                }
                SWITCH_PAGE => {
                    self.reader.byte()?;
                    self.tag_page = self.reader.byte()?;
                    continue;
                }
                _ => {}
            }
            let element = self.start()?;
            let attribute = |name: &str| {
                element
                    .attributes
                    .iter()
                    .find(|(key, _)| key == name)
                    .and_then(|(_, value)| value.clone())
            };
            match element.tag {
                0x06 => {
                    let mut characteristic = Characteristic {
                        kind: attribute("type").unwrap_or_default(),
                        ..Characteristic::default()
                    };
                    if element.content {
                        let (children, inner) = self.children(depth + 1)?;
                        characteristic.children = children;
                        characteristic.parms = inner;
                    }
                    characteristics.push(characteristic);
                }
                0x07 => {
                    if element.content {
                        self.children(depth + 1)?;
                    }
                    parms.push(Parm {
                        name: attribute("name").unwrap_or_default(),
                        value: attribute("value"),
                    });
                }
                other => {
                    return Err(self.reader.fail(
                        element.at,
                        format!(
                            "tag {other:#04x} on code page {} is not a PROV element",
                            self.tag_page
                        ),
                    ));
                }
            }
        }
    }

    /// A start tag and its attributes.
    fn start(&mut self) -> Result<Start, ProvError> {
        let at = self.reader.at;
        let token = self.reader.byte()?;
        let tag = token & 0x3f;
        if matches!(token & 0x3f, 0x00..=0x04) {
            return Err(self
                .reader
                .fail(at, format!("token {token:#04x} where an element starts")));
        }
        let mut attributes = Vec::new();
        if token & 0x80 != 0 {
            attributes = self.attributes()?;
        }
        Ok(Start {
            tag,
            at,
            content: token & 0x40 != 0,
            attributes,
        })
    }

    /// Attributes up to their END: each a start token (its name, maybe a
    /// value prefix) then value pieces.
    fn attributes(&mut self) -> Result<Vec<(String, Option<String>)>, ProvError> {
        let mut attributes: Vec<(String, Option<String>)> = Vec::new();
        loop {
            let at = self.reader.at;
            let token = self.reader.byte()?;
            match token {
                END => return Ok(attributes),
                SWITCH_PAGE => self.attribute_page = self.reader.byte()?,
                STR_I => {
                    let piece = self.reader.inline()?;
                    let text = self.text(piece);
                    append(&mut attributes, at, &text, &self.reader)?;
                }
                STR_T => {
                    let index = self.reader.mb()?;
                    let text = self.table_string(index, at)?;
                    append(&mut attributes, at, &text, &self.reader)?;
                }
                ENTITY => {
                    let code = self.reader.mb()?;
                    let text = char::from_u32(code).map(String::from).unwrap_or_default();
                    append(&mut attributes, at, &text, &self.reader)?;
                }
                OPAQUE => {
                    let length = self.reader.mb()? as usize;
                    let bytes = self.reader.take(length)?;
                    let text = self.text(bytes);
                    append(&mut attributes, at, &text, &self.reader)?;
                }
                0x80.. => {
                    let text = value_token(self.attribute_page, token).ok_or_else(|| {
                        self.reader.fail(
                            at,
                            format!(
                                "attribute value token {token:#04x} on code page {}",
                                self.attribute_page
                            ),
                        )
                    })?;
                    append(&mut attributes, at, text, &self.reader)?;
                }
                _ => {
                    let (name, prefix) =
                        attribute_start(self.attribute_page, token).ok_or_else(|| {
                            self.reader.fail(
                                at,
                                format!(
                                    "attribute token {token:#04x} on code page {}",
                                    self.attribute_page
                                ),
                            )
                        })?;
                    attributes.push((name.to_owned(), prefix.map(str::to_owned)));
                }
            }
        }
    }
}

/// Adds a piece to the value of the last attribute.
fn append(
    attributes: &mut [(String, Option<String>)],
    at: usize,
    piece: &str,
    reader: &Reader<'_>,
) -> Result<(), ProvError> {
    let Some((_, value)) = attributes.last_mut() else {
        return Err(reader.fail(at, "an attribute value before any attribute".into()));
    };
    value.get_or_insert_with(String::new).push_str(piece);
    Ok(())
}

/// An attribute start token: its name and the start of its value.
fn attribute_start(page: u8, token: u8) -> Option<(&'static str, Option<&'static str>)> {
    let plain = |name: &'static str| Some((name, None));
    match (page, token) {
        (_, 0x05) => plain("name"),
        (_, 0x06) => plain("value"),
        (0, 0x45) => plain("version"),
        (0, 0x46) => Some(("version", Some("1.0"))),
        (_, 0x50) => plain("type"),
        (0, _) => PAGE_0_NAMES
            .iter()
            .chain(PAGE_0_TYPES)
            .find(|(t, _, _)| *t == token)
            .map(|(_, key, value)| (*key, Some(*value))),
        (1, _) => PAGE_1_NAMES
            .iter()
            .chain(PAGE_1_TYPES)
            .find(|(t, _, _)| *t == token)
            .map(|(_, key, value)| (*key, Some(*value))),
        _ => None,
    }
}

/// A value token's text.
fn value_token(page: u8, token: u8) -> Option<&'static str> {
    let table: &[(u8, &str)] = if page == 1 {
        PAGE_1_VALUES
    } else {
        PAGE_0_VALUES
    };
    table
        .iter()
        .find(|(t, _)| *t == token)
        .map(|(_, text)| *text)
}

const PAGE_0_NAMES: &[(u8, &str, &str)] = &[
    (0x07, "name", "NAME"),
    (0x08, "name", "NAP-ADDRESS"),
    (0x09, "name", "NAP-ADDRTYPE"),
    (0x0A, "name", "CALLTYPE"),
    (0x0B, "name", "VALIDUNTIL"),
    (0x0C, "name", "AUTHTYPE"),
    (0x0D, "name", "AUTHNAME"),
    (0x0E, "name", "AUTHSECRET"),
    (0x0F, "name", "LINGER"),
    (0x10, "name", "BEARER"),
    (0x11, "name", "NAPID"),
    (0x12, "name", "COUNTRY"),
    (0x13, "name", "NETWORK"),
    (0x14, "name", "INTERNET"),
    (0x15, "name", "PROXY-ID"),
    (0x16, "name", "PROXY-PROVIDER-ID"),
    (0x17, "name", "DOMAIN"),
    (0x18, "name", "PROVURL"),
    (0x19, "name", "PXAUTH-TYPE"),
    (0x1A, "name", "PXAUTH-ID"),
    (0x1B, "name", "PXAUTH-PW"),
    (0x1C, "name", "STARTPAGE"),
    (0x1D, "name", "BASAUTH-ID"),
    (0x1E, "name", "BASAUTH-PW"),
    (0x1F, "name", "PUSHENABLED"),
    (0x20, "name", "PXADDR"),
    (0x21, "name", "PXADDRTYPE"),
    (0x22, "name", "TO-NAPID"),
    (0x23, "name", "PORTNBR"),
    (0x24, "name", "SERVICE"),
    (0x25, "name", "LINKSPEED"),
    (0x26, "name", "DNLINKSPEED"),
    (0x27, "name", "LOCAL-ADDR"),
    (0x28, "name", "LOCAL-ADDRTYPE"),
    (0x29, "name", "CONTEXT-ALLOW"),
    (0x2A, "name", "TRUST"),
    (0x2B, "name", "MASTER"),
    (0x2C, "name", "SID"),
    (0x2D, "name", "SOC"),
    (0x2E, "name", "WSP-VERSION"),
    (0x2F, "name", "PHYSICAL-PROXY-ID"),
    (0x30, "name", "CLIENT-ID"),
    (0x31, "name", "DELIVERY-ERR-SDU"),
    (0x32, "name", "DELIVERY-ORDER"),
    (0x33, "name", "TRAFFIC-CLASS"),
    (0x34, "name", "MAX-SDU-SIZE"),
    (0x35, "name", "MAX-BITRATE-UPLINK"),
    (0x36, "name", "MAX-BITRATE-DNLINK"),
    (0x37, "name", "RESIDUAL-BER"),
    (0x38, "name", "SDU-ERROR-RATIO"),
    (0x39, "name", "TRAFFIC-HANDL-PRIO"),
    (0x3A, "name", "TRANSFER-DELAY"),
    (0x3B, "name", "GUARANTEED-BITRATE-UPLINK"),
    (0x3C, "name", "GUARANTEED-BITRATE-DNLINK"),
    (0x3D, "name", "PXADDR-FQDN"),
    (0x3E, "name", "PROXY-PW"),
    (0x3F, "name", "PPGAUTH-TYPE"),
    (0x47, "name", "PULLENABLED"),
    (0x48, "name", "DNS-ADDR"),
    (0x49, "name", "MAX-NUM-RETRY"),
    (0x4A, "name", "FIRST-RETRY-TIMEOUT"),
    (0x4B, "name", "REREG-THRESHOLD"),
    (0x4C, "name", "T-BIT"),
    (0x4E, "name", "AUTH-ENTITY"),
    (0x4F, "name", "SPI"),
];

const PAGE_0_TYPES: &[(u8, &str, &str)] = &[
    (0x51, "type", "PXLOGICAL"),
    (0x52, "type", "PXPHYSICAL"),
    (0x53, "type", "PORT"),
    (0x54, "type", "VALIDITY"),
    (0x55, "type", "NAPDEF"),
    (0x56, "type", "BOOTSTRAP"),
    (0x57, "type", "VENDORCONFIG"),
    (0x58, "type", "CLIENTIDENTITY"),
    (0x59, "type", "PXAUTHINFO"),
    (0x5A, "type", "NAPAUTHINFO"),
    (0x5B, "type", "ACCESS"),
];

const PAGE_1_NAMES: &[(u8, &str, &str)] = &[
    (0x07, "name", "NAME"),
    (0x14, "name", "INTERNET"),
    (0x1C, "name", "STARTPAGE"),
    (0x22, "name", "TO-NAPID"),
    (0x23, "name", "PORTNBR"),
    (0x24, "name", "SERVICE"),
    (0x2E, "name", "AACCEPT"),
    (0x2F, "name", "AAUTHDATA"),
    (0x30, "name", "AAUTHLEVEL"),
    (0x31, "name", "AAUTHNAME"),
    (0x32, "name", "AAUTHSECRET"),
    (0x33, "name", "AAUTHTYPE"),
    (0x34, "name", "ADDR"),
    (0x35, "name", "ADDRTYPE"),
    (0x36, "name", "APPID"),
    (0x37, "name", "APROTOCOL"),
    (0x38, "name", "PROVIDER-ID"),
    (0x39, "name", "TO-PROXY"),
    (0x3A, "name", "URI"),
    (0x3B, "name", "RULE"),
];

const PAGE_1_TYPES: &[(u8, &str, &str)] = &[
    (0x53, "type", "PORT"),
    (0x55, "type", "APPLICATION"),
    (0x56, "type", "APPADDR"),
    (0x57, "type", "APPAUTH"),
    (0x58, "type", "CLIENTIDENTITY"),
    (0x59, "type", "RESOURCE"),
];

const PAGE_0_VALUES: &[(u8, &str)] = &[
    (0x85, "IPV4"),
    (0x86, "IPV6"),
    (0x87, "E164"),
    (0x88, "ALPHA"),
    (0x89, "APN"),
    (0x8A, "SCODE"),
    (0x8B, "TETRA-ITSI"),
    (0x8C, "MAN"),
    (0x90, "ANALOG-MODEM"),
    (0x91, "V.120"),
    (0x92, "V.110"),
    (0x93, "X.31"),
    (0x94, "BIT-TRANSPARENT"),
    (0x95, "DIRECT-ASYNCHRONOUS-DATA-SERVICE"),
    (0x9A, "PAP"),
    (0x9B, "CHAP"),
    (0x9C, "HTTP-BASIC"),
    (0x9D, "HTTP-DIGEST"),
    (0x9E, "WTLS-SS"),
    (0x9F, "MD5"),
    (0xA2, "GSM-USSD"),
    (0xA3, "GSM-SMS"),
    (0xA4, "ANSI-136-GUTS"),
    (0xA5, "IS-95-CDMA-SMS"),
    (0xA6, "IS-95-CDMA-CSD"),
    (0xA7, "IS-95-CDMA-PACKET"),
    (0xA8, "ANSI-136-CSD"),
    (0xA9, "ANSI-136-GPRS"),
    (0xAA, "GSM-CSD"),
    (0xAB, "GSM-GPRS"),
    (0xAC, "AMPS-CDPD"),
    (0xAD, "PDC-CSD"),
    (0xAE, "PDC-PACKET"),
    (0xAF, "IDEN-SMS"),
    (0xB0, "IDEN-CSD"),
    (0xB1, "IDEN-PACKET"),
    (0xB2, "FLEX/REFLEX"),
    (0xB3, "PHS-SMS"),
    (0xB4, "PHS-CSD"),
    (0xB5, "TETRA-SDS"),
    (0xB6, "TETRA-PACKET"),
    (0xB7, "ANSI-136-GHOST"),
    (0xB8, "MOBITEX-MPAK"),
    (0xB9, "CDMA2000-1X-SIMPLE-IP"),
    (0xBA, "CDMA2000-1X-MOBILE-IP"),
    (0xC5, "AUTOBAUDING"),
    (0xCA, "CL-WSP"),
    (0xCB, "CO-WSP"),
    (0xCC, "CL-SEC-WSP"),
    (0xCD, "CO-SEC-WSP"),
    (0xCE, "CL-SEC-WTA"),
    (0xCF, "CO-SEC-WTA"),
    (0xD0, "OTA-HTTP-TO"),
    (0xD1, "OTA-HTTP-TLS-TO"),
    (0xD2, "OTA-HTTP-PO"),
    (0xD3, "OTA-HTTP-TLS-PO"),
    (0xE0, "AAA"),
    (0xE1, "HA"),
];

const PAGE_1_VALUES: &[(u8, &str)] = &[
    (0x86, "IPV6"),
    (0x87, "E164"),
    (0x88, "ALPHA"),
    (0x8D, "APPSRV"),
    (0x8E, "OBEX"),
    (0x90, ","),
    (0x91, "HTTP-"),
    (0x92, "BASIC"),
    (0x93, "DIGEST"),
];

impl Document {
    /// The document as XML, indented.
    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<wap-provisioningdoc{}>",
            self.version
                .as_deref()
                .map_or(String::new(), |v| format!(" version=\"{}\"", escape(v)))
        );
        for characteristic in &self.characteristics {
            characteristic.write(&mut out, 1);
        }
        out.push_str("</wap-provisioningdoc>");
        out
    }
}

impl Characteristic {
    fn write(&self, out: &mut String, depth: usize) {
        let indent = "  ".repeat(depth);
        let _ = writeln!(
            out,
            "{indent}<characteristic type=\"{}\">",
            escape(&self.kind)
        );
        for parm in &self.parms {
            match &parm.value {
                Some(value) => {
                    let _ = writeln!(
                        out,
                        "{indent}  <parm name=\"{}\" value=\"{}\"/>",
                        escape(&parm.name),
                        escape(value)
                    );
                }
                None => {
                    let _ = writeln!(out, "{indent}  <parm name=\"{}\"/>", escape(&parm.name));
                }
            }
        }
        for child in &self.children {
            child.write(out, depth + 1);
        }
        let _ = writeln!(out, "{indent}</characteristic>");
    }

    /// The first parm of this name's value.
    pub fn parm(&self, name: &str) -> Option<&str> {
        self.parms
            .iter()
            .find(|parm| parm.name.eq_ignore_ascii_case(name))
            .and_then(|parm| parm.value.as_deref())
    }

    /// Whether a parm of this name is there (with or without a value).
    pub fn has_parm(&self, name: &str) -> bool {
        self.parms
            .iter()
            .any(|parm| parm.name.eq_ignore_ascii_case(name))
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_libwbxml_example_reads_as_a_w7_application() {
        // characteristic type=APPLICATION (page 1) with parm APPID=w7 and
        // AAUTHLEVEL=APPSRV, as libwbxml writes them.
        let bytes = [
            &[0x03, 0x0B, 0x6A, 0x00, 0xC5, 0x46, 0x01][..],
            &[0xC6, 0x00, 0x01, 0x55, 0x01],
            &[0x87, 0x36, 0x00, 0x00, 0x06, 0x03, b'w', b'7', 0x00, 0x01],
            // The attribute page stays 0 from the parm before: back to 1.
            &[
                0x87, 0x00, 0x01, 0x30, 0x00, 0x00, 0x06, 0x00, 0x01, 0x8D, 0x01,
            ],
            &[0x01, 0x01],
        ]
        .concat();
        let document = decode(&bytes).expect("decodes");
        assert_eq!(document.version.as_deref(), Some("1.0"));
        let application = &document.characteristics[0];
        assert_eq!(application.kind, "APPLICATION");
        assert_eq!(application.parm("APPID"), Some("w7"));
        assert_eq!(application.parm("AAUTHLEVEL"), Some("APPSRV"));
    }

    #[test]
    fn broken_documents_say_where() {
        assert_eq!(decode(&[0x03, 0x0C, 0x6A, 0x00]).expect_err("id").offset, 1);
        let cut = decode(&[0x03, 0x0B, 0x6A, 0x00, 0xC5]).expect_err("cut");
        assert!(cut.message.contains("ends too early"), "{cut}");
        let unterminated =
            decode(&[0x03, 0x0B, 0x6A, 0x00, 0xC5, 0x06, 0x03, b'x']).expect_err("str");
        assert!(
            unterminated.message.contains("unterminated"),
            "{unterminated}"
        );
    }
}
