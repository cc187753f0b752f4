//! Escaping untrusted text (database rows, log content) before it reaches a
//! terminal, so that it cannot move the cursor, change colours or hide text;
//! cutting long values for display.

use std::borrow::Cow;

/// Replaces control characters (C0 but newline, DEL, C1) and Unicode bidi
/// overrides with visible escapes such as `\x1b` and `\u{202e}`.
pub(crate) fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
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
/// (DEL, C1 controls, bidi overrides) written as `\uXXXX`: still the same JSON.
/// They can only stand inside strings, so escaping them anywhere is safe.
pub(crate) fn json_for_terminal(json: &str) -> Cow<'_, str> {
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

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The first `max` characters of `text`, the last one `…` when cut; the text
/// itself when it is short enough.
pub(crate) fn shorten(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max || text.chars().count() <= max {
        return Cow::Borrowed(text);
    }
    let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
    short.push('…');
    Cow::Owned(short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
        assert!(matches!(shorten("abc", 4), Cow::Borrowed(_)));
        assert_eq!(shorten("ééééé", 4), "ééé…");
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
