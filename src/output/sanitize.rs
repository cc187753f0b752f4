//! Escaping untrusted text (database rows, log content, file names, server
//! messages) before it reaches a terminal, so that it cannot move the cursor,
//! change colours, write the clipboard, make links or hide and reorder text:
//! visibly for text reports (`\x1b`), as character references for XML, as
//! `\uXXXX` for JSON. Cutting long values for display.

use std::borrow::Cow;

/// Replaces control characters (C0 but newline, DEL, C1), Unicode bidi
/// controls, zero-width and line/paragraph separators with visible escapes
/// such as `\x1b` and `\u{202e}`.
pub(crate) fn for_terminal(text: &str) -> Cow<'_, str> {
    if is_plain(text) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs_escape(c) {
            escaped.push(c);
        } else if c == '\t' {
            escaped.push_str("\\t");
        } else if c == '\r' {
            escaped.push_str("\\r");
        } else if (c as u32) < 0x100 {
            escaped.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            escaped.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(escaped)
}

/// JSON text with the characters serde_json leaves raw but a terminal acts on
/// (DEL, C1 controls, bidi controls, zero-width and separators) written as
/// `\uXXXX`: still the same JSON. They can only stand inside strings, so
/// escaping them anywhere is safe.
pub(crate) fn json_safe(json: &str) -> Cow<'_, str> {
    if !json.chars().any(needs_escape) {
        return Cow::Borrowed(json);
    }
    let mut escaped = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if needs_escape(c) {
            escaped.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// XML text with what a terminal would act on written as character
/// references (`&#x1b;`): the same XML (a CR before a newline goes, as XML
/// reads it). Tabs and newlines stay.
pub(crate) fn xml_safe(xml: &str) -> Cow<'_, str> {
    if !xml.chars().any(|c| c != '\t' && needs_escape(c)) {
        return Cow::Borrowed(xml);
    }
    let mut escaped = String::with_capacity(xml.len() + 8);
    let mut chars = xml.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if c != '\t' && needs_escape(c) {
            escaped.push_str(&format!("&#x{:x};", c as u32));
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// Nothing to escape in `text` (see [`needs_escape`]), checked on its bytes
/// a word at a time: most text is printable ASCII, or UTF-8 whose only
/// multi-byte characters are harmless (`→`, `·`, `é`).
fn is_plain(text: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if let Some(chunk) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            // No byte of 0x80 or more, none under 0x20, none 0x7f (the
            // usual word tricks): nothing here.
            let below_space = word.wrapping_sub(0x20 * ONES) & !word & HIGH;
            let flipped = word ^ (0x7f * ONES);
            let del = flipped.wrapping_sub(ONES) & !flipped & HIGH;
            if word & HIGH == 0 && below_space == 0 && del == 0 {
                at += 8;
                continue;
            }
        }
        match bytes[at] {
            b'\n' | 0x20..=0x7e => at += 1,
            0x00..=0x1f | 0x7f => return false,
            // A C1 control (U+0080–U+009F).
            0xc2 if bytes.get(at + 1).is_some_and(|b| (0x80..=0x9f).contains(b)) => return false,
            // U+061C, the Arabic letter mark.
            0xd8 if bytes.get(at + 1) == Some(&0x9c) => return false,
            // U+200B–U+200F, U+2028–U+202E, U+2060–U+2069.
            0xe2 => match (bytes.get(at + 1), bytes.get(at + 2)) {
                (Some(0x80), Some(0x8b..=0x8f | 0xa8..=0xae)) | (Some(0x81), Some(0xa0..=0xa9)) => {
                    return false;
                }
                _ => at += 1,
            },
            // U+FEFF.
            0xef if bytes.get(at + 1..at + 3) == Some(&[0xbb, 0xbf]) => return false,
            _ => at += 1,
        }
    }
    true
}

/// A character a terminal acts on or that hides or reorders text: controls
/// but the newline, DEL and C1; bidi embeddings, overrides, isolates and
/// marks; zero-width characters; line and paragraph separators.
pub(crate) fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// The first `max` characters of `text`, the last one `…` when cut; the text
/// itself when it is short enough.
pub(crate) fn shorten(text: &str, max: usize) -> Cow<'_, str> {
    // Only the first `max` characters are looked at (a Results' data may be
    // kilobytes of base64).
    if text.len() <= max || text.char_indices().nth(max).is_none() {
        return Cow::Borrowed(text);
    }
    let cut = text
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(text.len(), |(at, _)| at);
    let mut short = String::with_capacity(cut + '…'.len_utf8());
    short.push_str(&text[..cut]);
    short.push('…');
    Cow::Owned(short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_told_apart_from_text_to_escape() {
        assert!(is_plain("Session 1A2B · device"[..10].trim()));
        assert!(is_plain(
            "a plain line of text, longer than a word\nand a second"
        ));
        for bad in [
            "0123456789\x1b[2J",
            "0123456\x7f89ab",
            "01234567\t",
            "ab\u{202e}cdefghij",
            "\r",
        ] {
            assert!(!is_plain(bad), "{bad:?}");
        }
        assert!(is_plain("device → server · é · 日本"));
        // Every character the slow check escapes, the quick one sees.
        for code in (0..0x3000).chain([0xfeff, 0xfffd]) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            for text in [
                format!("{c}"),
                format!("abcdefgh{c}ij"),
                format!("abcdefg{c}"),
            ] {
                assert_eq!(
                    is_plain(&text),
                    !text.chars().any(needs_escape),
                    "{code:#x}"
                );
            }
        }
        // Every byte value, alone and in a word.
        for byte in 0u8..0x80 {
            let text = format!("abcdefg{}", byte as char);
            let expected = (0x20..0x7f).contains(&byte) || byte == b'\n';
            assert_eq!(is_plain(&text), expected, "{byte:#x}");
            assert_eq!(is_plain(&format!("{text}{text}")), expected, "{byte:#x}");
        }
    }

    #[test]
    fn long_values_are_cut() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
        assert!(matches!(shorten("abc", 4), Cow::Borrowed(_)));
        assert_eq!(shorten("ééééé", 4), "ééé…");
        assert_eq!(shorten("éééé", 4), "éééé");
        assert_eq!(shorten("abc", 0), "…");
        assert_eq!(shorten(&"é".repeat(5_000), 80).chars().count(), 80);
    }

    #[test]
    fn escape_sequences_are_made_visible() {
        assert_eq!(for_terminal("a\x1b[31mred"), "a\\x1b[31mred");
        assert_eq!(for_terminal("x\ry\tz"), "x\\ry\\tz");
        assert_eq!(for_terminal("rtl\u{202e}"), "rtl\\u{202e}");
    }

    #[test]
    fn plain_text_and_newlines_are_kept() {
        assert!(matches!(for_terminal("two\nlines é"), Cow::Borrowed(_)));
    }
}
