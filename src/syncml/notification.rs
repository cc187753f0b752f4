//! OMA DM 1.2 package 0: the "Notification Initiated Session" trigger
//! (OMA-TS-DM_Notification-V1_2). A DM server sends it (WAP Push, SMS, …) to
//! make the device open a management session; OMA DS 1.2 Server Alerted
//! Notification (SAN) shares the same digest and header.
//!
//! Layout, bit-packed and big-endian:
//!
//! ```text
//! digest            128 bits   MD5, see below
//! ── trigger header (64 bits + n bytes) ──
//! version            10 bits   12 = "1.2"
//! ui-mode             2 bits   0 not specified, 1 background, 2 informative, 3 user interaction
//! initiator           1 bit    0 user, 1 server
//! future-use         27 bits
//! session-id         16 bits
//! server-id length    8 bits   n
//! server-id           n bytes
//! ── trigger body ──
//! vendor-specific    the rest  (for a DS 1.2 SAN: the list of data stores to sync)
//! ```
//!
//! The digest authenticates the server to the device:
//! `H(B64(H(server-identifier:password)):nonce:B64(H(trigger)))`, where H is
//! MD5, B64 is base64 and `trigger` is every byte after the digest (header
//! and body). The password and nonce are the server credentials the device
//! holds (DMAcc AppAuth, client side).

use std::fmt;

use md5::{Digest, Md5};

use super::base64;

/// Bytes of the digest at the start of package 0.
pub const DIGEST_LEN: usize = 16;
/// Bytes of the fixed part: digest, the 64 header bits and the length byte
/// (the length byte is the header's last 8 bits).
pub const FIXED_LEN: usize = DIGEST_LEN + 8;

/// A package 0 that cannot be decoded, and the byte where that shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for NotificationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for NotificationError {}

/// A decoded package 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub digest: [u8; 16],
    /// Protocol version times ten (12 = 1.2). Decoded whatever its value.
    pub version: u16,
    pub ui_mode: u8,
    pub initiator: u8,
    /// The 27 future-use bits (0 in a conforming package).
    pub future: u32,
    pub session_id: u16,
    /// The server identifier as text (lossy when it is not UTF-8).
    pub server_id: String,
    /// The server identifier exactly as sent: the digest is over these bytes.
    pub server_id_bytes: Vec<u8>,
    /// The trigger body: vendor-specific for DM, the sync list for a DS SAN.
    pub vendor: Vec<u8>,
}

/// Decodes package 0; fails only when it is too short for what it announces.
pub fn decode(bytes: &[u8]) -> Result<Notification, NotificationError> {
    let (digest, header, rest) = split_fixed(bytes)?;
    let version = field(header, 0, 10);
    if version != 12 {
        return Err(error(
            DIGEST_LEN,
            format!(
                "the version field says {}.{}, not 1.2: this is not an OMA DM 1.2 package 0",
                version / 10,
                version % 10
            ),
        ));
    }
    let (id, vendor) = split_server_id(rest, field(header, 56, 8) as usize)?;
    Ok(Notification {
        digest: *digest,
        version: field(header, 0, 10) as u16,
        ui_mode: field(header, 10, 2) as u8,
        initiator: field(header, 12, 1) as u8,
        future: field(header, 13, 27) as u32,
        session_id: field(header, 40, 16) as u16,
        server_id: String::from_utf8_lossy(id).into_owned(),
        server_id_bytes: id.to_vec(),
        vendor: vendor.to_vec(),
    })
}

/// A package 0 as sent by WAP push: the WSP push PDU's body when `bytes`
/// start with a push PDU (transaction id, PDU type 0x06, headers) whose
/// content type is `application/vnd.syncml.notification` (well-known 0x44);
/// `bytes` themselves otherwise.
pub fn without_push_header(bytes: &[u8]) -> &[u8] {
    const PUSH: u8 = 0x06;
    const TYPE_TEXT: &[u8] = b"application/vnd.syncml.notification";
    let [_tid, PUSH, rest @ ..] = bytes else {
        return bytes;
    };
    // Headers length: a uintvar (7 bits a byte, high bit: more follow).
    let mut length = 0usize;
    let mut used: usize = 0;
    for &byte in rest.iter().take(5) {
        length = (length << 7) | usize::from(byte & 0x7f);
        used += 1;
        if byte & 0x80 == 0 {
            break;
        }
    }
    let Some(headers) = rest.get(used..used.saturating_add(length)) else {
        return bytes;
    };
    let is_notification = headers.first() == Some(&(0x44 | 0x80))
        || headers.starts_with(TYPE_TEXT)
        || headers.get(1..).is_some_and(|h| h.starts_with(TYPE_TEXT));
    match rest.get(used + length..) {
        Some(body) if is_notification && !body.is_empty() => body,
        _ => bytes,
    }
}

/// The digest, the 64 header bits and what follows them.
fn split_fixed(bytes: &[u8]) -> Result<(&[u8; DIGEST_LEN], u64, &[u8]), NotificationError> {
    let split = bytes
        .split_first_chunk::<DIGEST_LEN>()
        .and_then(|(digest, rest)| Some((digest, rest.split_first_chunk::<8>()?)));
    match split {
        Some((digest, (header, rest))) => Ok((digest, u64::from_be_bytes(*header), rest)),
        None => Err(error(
            bytes.len(),
            format!(
                "package 0 is {} bytes; it needs at least {FIXED_LEN} (digest, header and server id length)",
                bytes.len()
            ),
        )),
    }
}

/// The server identifier (`len` bytes, announced by the byte before `rest`)
/// and the trigger body after it.
fn split_server_id(rest: &[u8], len: usize) -> Result<(&[u8], &[u8]), NotificationError> {
    if rest.len() < len {
        return Err(error(
            FIXED_LEN - 1,
            format!(
                "the server identifier length announces {len} bytes but only {} remain",
                rest.len()
            ),
        ));
    }
    Ok(rest.split_at(len))
}

/// `width` bits of the 64-bit header, `start` bits from its most significant
/// end (`start + width <= 64`, `width < 64`).
fn field(header: u64, start: u32, width: u32) -> u64 {
    (header >> (64 - start - width)) & ((1u64 << width) - 1)
}

fn error(offset: usize, message: String) -> NotificationError {
    NotificationError { offset, message }
}

impl Notification {
    /// The version as the SyncML text: 12 -> "1.2".
    pub fn version_text(&self) -> String {
        format!("{}.{}", self.version / 10, self.version % 10)
    }

    /// Whether the major version is 1 (DM 1.x); other versions still decode.
    pub fn version_is_1x(&self) -> bool {
        self.version / 10 == 1
    }

    pub fn ui_mode_name(&self) -> &'static str {
        match self.ui_mode {
            1 => "background",
            2 => "informative",
            3 => "user interaction",
            _ => "not specified",
        }
    }

    pub fn initiator_name(&self) -> &'static str {
        if self.initiator == 1 {
            "server"
        } else {
            "user"
        }
    }

    /// The SessionID of the session that answers, as its SyncHdr carries it:
    /// upper-case hex without leading zeros (0x00AF -> "AF", 0 -> "0").
    pub fn session_id_in_header(&self) -> String {
        format!("{:X}", self.session_id)
    }

    /// Offset of the trigger body (`vendor`) in the package.
    pub fn vendor_offset(&self) -> usize {
        FIXED_LEN + self.server_id_bytes.len()
    }
}

/// The digest package 0 should carry; `trigger` is every byte after the digest.
pub fn expected_digest(trigger: &[u8], server_id: &str, password: &[u8], nonce: &[u8]) -> [u8; 16] {
    expected_digest_bytes(trigger, server_id.as_bytes(), password, nonce)
}

/// [`expected_digest`] with the server identifier as exact bytes.
pub fn expected_digest_bytes(
    trigger: &[u8],
    server_id: &[u8],
    password: &[u8],
    nonce: &[u8],
) -> [u8; 16] {
    let credentials = b64_md5(&[server_id, b":", password].concat());
    let outer = [
        credentials.as_bytes(),
        b":",
        nonce,
        b":",
        b64_md5(trigger).as_bytes(),
    ]
    .concat();
    Md5::digest(outer).into()
}

fn b64_md5(bytes: &[u8]) -> String {
    base64::encode(&Md5::digest(bytes))
}

/// Whether the digest of a whole package 0 matches this password and nonce
/// (the server identifier is the one inside the package).
pub fn digest_matches(
    bytes: &[u8],
    password: &[u8],
    nonce: &[u8],
) -> Result<bool, NotificationError> {
    let notification = decode(bytes)?;
    let trigger = &bytes[DIGEST_LEN..];
    let expected = expected_digest_bytes(trigger, &notification.server_id_bytes, password, nonce);
    Ok(expected == notification.digest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syncml::hex;

    const SERVER_ID: &str = "com.example.dms";
    const PASSWORD: &[u8] = b"s3cret";
    const NONCE: &[u8] = b"ZYX987";
    const BODY: [u8; 4] = [0xDE, 0xAD, 0xBE, 0xEF];

    /// The trigger (header + body) built field by field.
    fn trigger(
        version: u64,
        ui: u64,
        initiator: u64,
        future: u64,
        session: u64,
        id: &[u8],
    ) -> Vec<u8> {
        let header =
            (version << 54) | (ui << 52) | (initiator << 51) | (future << 24) | (session << 8);
        let header = header | id.len() as u64;
        [&header.to_be_bytes()[..], id, &BODY].concat()
    }

    fn package() -> Vec<u8> {
        let trigger = trigger(12, 3, 1, 0, 0x00AF, SERVER_ID.as_bytes());
        let digest = expected_digest(&trigger, SERVER_ID, PASSWORD, NONCE);
        [&digest[..], &trigger].concat()
    }

    #[test]
    fn decodes_every_field() {
        let bytes = package();
        let n = decode(&bytes).expect("decodes");
        assert_eq!(n.digest[..], bytes[..16]);
        assert_eq!(n.version, 12);
        assert_eq!(n.version_text(), "1.2");
        assert!(n.version_is_1x());
        assert_eq!((n.ui_mode, n.ui_mode_name()), (3, "user interaction"));
        assert_eq!((n.initiator, n.initiator_name()), (1, "server"));
        assert_eq!(n.future, 0);
        assert_eq!(n.session_id, 0x00AF);
        assert_eq!(n.session_id_in_header(), "AF");
        assert_eq!(n.server_id, SERVER_ID);
        assert_eq!(n.server_id_bytes, SERVER_ID.as_bytes());
        assert_eq!(n.vendor, BODY);
        assert_eq!(n.vendor_offset(), 24 + SERVER_ID.len());
    }

    #[test]
    fn fields_at_their_extremes_do_not_bleed() {
        let bytes = [&[0u8; 16][..], &trigger(12, 0, 0, (1 << 27) - 1, 0, b"")].concat();
        let n = decode(&bytes).expect("decodes");
        assert_eq!((n.version, n.ui_mode, n.initiator), (12, 0, 0));
        assert_eq!(n.future, (1 << 27) - 1);
        assert_eq!((n.session_id, n.server_id.as_str()), (0, ""));
        assert_eq!(n.session_id_in_header(), "0");
        assert_eq!(n.ui_mode_name(), "not specified");
        assert_eq!(n.initiator_name(), "user");
        let n = decode(&[&[0u8; 16][..], &trigger(12, 2, 1, 0, 0xFFFF, b"x")].concat())
            .expect("decodes");
        assert_eq!((n.ui_mode_name(), n.initiator), ("informative", 1));
        assert_eq!(n.session_id_in_header(), "FFFF");
    }

    #[test]
    fn a_version_other_than_1_2_is_refused_where_it_is() {
        for version in [20, 1023, 0, 11] {
            let bytes = [&[0u8; 16][..], &trigger(version, 1, 1, 0, 7, b"srv")].concat();
            let e = decode(&bytes).expect_err("not 1.2");
            assert_eq!(e.offset, 16);
            assert!(e.to_string().contains("not 1.2"), "{e}");
        }
        // A log line read as bytes: refused, not "version 23.2".
        let e = decode(b"2010-06-28 13:48:20,001 INFO started").expect_err("text");
        assert!(e.to_string().contains("not 1.2"), "{e}");
    }

    #[test]
    fn a_wsp_push_header_before_a_package_0_is_skipped() {
        let package = package();
        // TID 0x01, Push, headers: content type 0xC4 and an application id.
        let push = [&[0x01, 0x06, 0x03, 0xC4, 0xAF, 0x87][..], &package].concat();
        assert_eq!(without_push_header(&push), &package[..]);
        let textual = [
            &[0x2A, 0x06, 0x24][..],
            b"application/vnd.syncml.notification\0",
            &package,
        ]
        .concat();
        assert_eq!(without_push_header(&textual), &package[..]);
        // Not a push PDU, or another content type: as it is.
        assert_eq!(without_push_header(&package), &package[..]);
        let other = [&[0x01, 0x06, 0x01, 0xB6][..], &package].concat();
        assert_eq!(without_push_header(&other), &other[..]);
    }

    #[test]
    fn digest_checks_password_and_nonce() {
        let bytes = package();
        assert_eq!(digest_matches(&bytes, PASSWORD, NONCE), Ok(true));
        assert_eq!(digest_matches(&bytes, b"wrong", NONCE), Ok(false));
        assert_eq!(digest_matches(&bytes, PASSWORD, b"other"), Ok(false));
        let mut tampered = bytes.clone();
        *tampered.last_mut().expect("body") ^= 1;
        assert_eq!(digest_matches(&tampered, PASSWORD, NONCE), Ok(false));
    }

    #[test]
    fn digest_known_answer() {
        // Computed independently with Python's hashlib/base64:
        //   H=md5().digest, B=b64encode; sid=b"com.example.dms"
        //   H(B(H(sid+b":s3cret"))+b":ZYX987:"+B(H(trigger))).hex()
        // with trigger = bytes.fromhex(TRIGGER_HEX) below.
        const TRIGGER_HEX: &str = "033800000000af0f636f6d2e6578616d706c652e646d73deadbeef";
        let trigger = hex::decode(TRIGGER_HEX).expect("hex");
        assert_eq!(trigger, package()[16..]);
        let digest = expected_digest(&trigger, SERVER_ID, PASSWORD, NONCE);
        assert_eq!(hex::encode(&digest), "b37541a3f1ff64fb26d2dd80cb4388d1");
    }

    #[test]
    fn non_utf8_server_id_keeps_exact_bytes() {
        let id = [b'a', 0xFF, b'b'];
        let trigger = trigger(12, 0, 1, 0, 1, &id);
        let digest = expected_digest_bytes(&trigger, &id, PASSWORD, NONCE);
        let bytes = [&digest[..], &trigger].concat();
        let n = decode(&bytes).expect("decodes");
        assert_eq!(n.server_id, "a\u{FFFD}b");
        assert_eq!(n.server_id_bytes, id);
        assert_eq!(digest_matches(&bytes, PASSWORD, NONCE), Ok(true));
    }

    #[test]
    fn short_package_names_its_length() {
        let e = decode(&[0; 10]).expect_err("too short");
        assert_eq!(e.offset, 10);
        assert!(
            e.to_string()
                .starts_with("package 0 is 10 bytes; it needs at least 24"),
            "{e}"
        );
        assert!(e.to_string().ends_with("(at byte 10)"), "{e}");
    }

    #[test]
    fn server_id_past_the_end_names_both_counts() {
        let bytes = package();
        let e = decode(&bytes[..30]).expect_err("cut in the server id");
        assert_eq!(e.offset, 23);
        assert!(
            e.message.contains("announces 15 bytes but only 6 remain"),
            "{e}"
        );
    }

    #[test]
    fn every_prefix_fails_cleanly_or_decodes_a_shorter_body() {
        let bytes = package();
        let body_start = 24 + SERVER_ID.len();
        for len in 0..=bytes.len() {
            let prefix = &bytes[..len];
            match decode(prefix) {
                Ok(n) => {
                    assert!(len >= body_start, "prefix {len} decoded");
                    assert_eq!(n.vendor, bytes[body_start..len]);
                }
                Err(e) => {
                    assert!(len < body_start, "prefix {len}: {e}");
                    assert!(e.offset <= len, "prefix {len}: {e}");
                    assert!(digest_matches(prefix, PASSWORD, NONCE).is_err());
                }
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut next = crate::syncml::samples::random(0x2545_F491_4F6C_DD1D);
        for len in 0..300 {
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let _ = decode(&bytes);
            let _ = digest_matches(&bytes, PASSWORD, NONCE);
        }
    }
}
