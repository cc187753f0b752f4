//! Standard base64 (RFC 4648, with or without padding, white space ignored):
//! SyncML carries b64 data and Basic credentials in it. Decoding only.

/// The bytes, or `None` when the text is not base64.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    let mut padding = 0;
    for byte in text.bytes() {
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

#[cfg(test)]
mod tests {
    use super::*;

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
