//! Standard base64 (RFC 4648, with or without padding, white space ignored):
//! SyncML carries b64 data and Basic credentials in it; OMA DM digests are
//! computed over it.

/// The bytes, or `None` when the text is not base64.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    decode_bytes(text.as_bytes())
}

/// [`decode`] for text as bytes.
pub(crate) fn decode_bytes(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    let mut padding = 0;
    for &byte in text {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        if padding > 0 {
            return None;
        }
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    (padding <= 2).then_some(out)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The standard alphabet, with padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(group >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_with_padding_and_round_trips() {
        assert_eq!(encode(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(encode(b"AB"), "QUI=");
        assert_eq!(encode(b"A"), "QQ==");
        assert_eq!(encode(b""), "");
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(&encode(&all)).as_deref(), Some(&all[..]));
    }

    #[test]
    fn decodes_with_and_without_padding() {
        assert_eq!(decode("dXNlcjpwYXNz").as_deref(), Some(&b"user:pass"[..]));
        assert_eq!(decode("QUJD").as_deref(), Some(&b"ABC"[..]));
        assert_eq!(decode("QUI=").as_deref(), Some(&b"AB"[..]));
        assert_eq!(decode("QQ==").as_deref(), Some(&b"A"[..]));
        assert_eq!(decode("QUJD\n REVG").as_deref(), Some(&b"ABCDEF"[..]));
        assert_eq!(decode("not base64!"), None);
    }
}
