//! Hex text to bytes and back: WBXML and package 0 are pasted as hex
//! (`03 A4 01 6A`, `03a4016a`, `0x03,0xA4`, `03:a4`), and digests are shown in it.

use std::fmt::Write;

/// Why a text is not hex: the first offending character and its offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HexError {
    pub offset: usize,
    pub message: String,
}

impl std::fmt::Display for HexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset)
    }
}

impl std::error::Error for HexError {}

/// A separator hex text may have between its pairs (see [`decode`]).
pub(crate) const fn is_separator(byte: u8) -> bool {
    byte.is_ascii_whitespace() || matches!(byte, b':' | b',' | b'-')
}

/// Whether bytes look like hex text as [`decode`] reads it: hex digits,
/// separators and `0x` prefixes only, and some digits.
pub(crate) fn looks_like_hex(bytes: &[u8]) -> bool {
    bytes.iter().any(u8::is_ascii_hexdigit)
        && bytes
            .iter()
            .all(|&b| b.is_ascii_hexdigit() || is_separator(b) || matches!(b, b'x' | b'X'))
}

/// The value of each byte as a hex digit; 255 for bytes that are not one
/// (a table: a hex dump in a log is decoded byte by byte).
const HEX_VALUE: [u8; 256] = {
    let mut table = [255u8; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = match byte as u8 {
            digit @ b'0'..=b'9' => digit - b'0',
            letter @ b'a'..=b'f' => letter - b'a' + 10,
            letter @ b'A'..=b'F' => letter - b'A' + 10,
            _ => 255,
        };
        byte += 1;
    }
    table
};

/// The bytes of a hex text. Pairs of hex digits, optionally each prefixed
/// `0x`, separated by nothing, white space, `:`, `,` or `-`. A separator may
/// not split a pair.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, HexError> {
    decode_bytes(text.as_bytes())
}

/// [`decode`] for text as bytes (a log's, which may not be UTF-8: then it is
/// not hex either).
pub(crate) fn decode_bytes(bytes: &[u8]) -> Result<Vec<u8>, HexError> {
    let mut out = Vec::with_capacity(bytes.len() / 2);
    let mut high: Option<(usize, u8)> = None;
    let mut at = 0;
    while at < bytes.len() {
        // A dump's run of `HH ` triples, the usual case: taken three bytes at
        // a time until something else comes.
        if high.is_none() {
            let taken = decode_triples(&bytes[at..], &mut out);
            if taken > 0 {
                at += taken;
                continue;
            }
        }
        // A whole pair, the usual case: taken at once.
        if high.is_none()
            && let Some(&[first, second]) = bytes[at..].first_chunk::<2>()
        {
            let (high_value, low) = (
                HEX_VALUE[usize::from(first)],
                HEX_VALUE[usize::from(second)],
            );
            if high_value < 16 && low < 16 {
                out.push(high_value << 4 | low);
                at += 2;
                // And the one space of a dump (`03 A4 01`).
                if bytes.get(at) == Some(&b' ') {
                    at += 1;
                }
                continue;
            }
        }
        let byte = bytes[at];
        if high.is_none() && byte == b'0' && matches!(bytes.get(at + 1), Some(b'x' | b'X')) {
            at += 2;
            continue;
        }
        let digit = HEX_VALUE[usize::from(byte)];
        match ((digit < 16).then_some(digit), high) {
            (Some(low), Some((_, high_value))) => {
                out.push(high_value << 4 | low);
                high = None;
            }
            (Some(value), None) => high = Some((at, value)),
            (None, Some((start, _))) => {
                return Err(HexError {
                    offset: start,
                    message: "a lone hex digit: bytes are written as pairs".into(),
                });
            }
            (None, None) if is_separator(byte) => {}
            (None, None) => {
                return Err(HexError {
                    offset: at,
                    message: format!("{:?} is not a hex digit", char::from(byte)),
                });
            }
        }
        at += 1;
    }
    if let Some((start, _)) = high {
        return Err(HexError {
            offset: start,
            message: "a lone hex digit at the end: bytes are written as pairs".into(),
        });
    }
    Ok(out)
}

/// Decodes the leading run of `HH ` triples (two digits and a separator: the
/// space of a dump, the line end between its lines) of `bytes` into `out`;
/// the bytes taken: blocks of sixteen first, then one check of the three
/// bytes a triple through three tables (the output has its room already: no
/// regrowth).
fn decode_triples(bytes: &[u8], out: &mut Vec<u8>) -> usize {
    let mut taken = decode_triple_blocks(bytes, out);
    for triple in bytes[taken..].chunks_exact(3) {
        let value = HIGH_DIGIT[usize::from(triple[0])]
            | LOW_DIGIT[usize::from(triple[1])]
            | SEPARATOR[usize::from(triple[2])];
        if value > 0xff {
            break;
        }
        out.push(value as u8);
        taken += 3;
    }
    taken
}

/// Decodes the leading blocks of sixteen `HH ` triples of `bytes` into
/// `out` while each block is all triples; the bytes taken. Without a branch
/// per triple or a table (the digits' values by arithmetic), so that the
/// compiler vectorises it: most of a dump is such blocks.
fn decode_triple_blocks(bytes: &[u8], out: &mut Vec<u8>) -> usize {
    const TRIPLES: usize = 16;
    let mut taken = 0;
    for block in bytes.chunks_exact(3 * TRIPLES) {
        let mut values = [0u8; TRIPLES];
        let mut bad = false;
        for (value, triple) in values.iter_mut().zip(block.chunks_exact(3)) {
            let (high, low, separator) = (triple[0], triple[1], triple[2]);
            bad |= !(is_digit(high) & is_digit(low) & is_dump_separator(separator));
            *value = digit_value(high) << 4 | digit_value(low);
        }
        if bad {
            break;
        }
        out.extend_from_slice(&values);
        taken += block.len();
    }
    taken
}

/// The value of a hex digit (any other byte gives a meaningless value).
#[inline(always)]
fn digit_value(digit: u8) -> u8 {
    (digit & 0x0f) + 9 * ((digit >> 6) & 1)
}

/// A hex digit's value shifted to the high half of a byte, 0x100 for a byte
/// that is not a digit (so that the or of the two halves says both were).
const HIGH_DIGIT: [u16; 256] = digit_table(4);
/// A hex digit's value, 0x100 for a byte that is not a digit.
const LOW_DIGIT: [u16; 256] = digit_table(0);

/// 0 for a separator (the space of a dump, the line end between its lines),
/// 0x100 for any other byte.
const SEPARATOR: [u16; 256] = {
    let mut table = [0x100u16; 256];
    let mut byte = 0;
    while byte < 256 {
        if is_separator(byte as u8) {
            table[byte] = 0;
        }
        byte += 1;
    }
    table
};

const fn digit_table(shift: u32) -> [u16; 256] {
    let mut table = [0x100u16; 256];
    let mut byte = 0;
    while byte < 256 {
        if HEX_VALUE[byte] < 16 {
            table[byte] = (HEX_VALUE[byte] as u16) << shift;
        }
        byte += 1;
    }
    table
}

/// The number of hex digits in `piece`, or `None` when a byte of it is
/// neither a digit nor a separator. Sixteen bytes at a time, the last block
/// overlapping the one before, without a branch per byte, so that the compiler
/// vectorises it: the reader checks every line of a hex dump in a log with it.
pub(crate) fn count_digits(piece: &[u8]) -> Option<usize> {
    let mut digits = 0usize;
    let mut other = false;
    let mut blocks = piece.chunks_exact(16);
    for block in &mut blocks {
        let (in_block, other_in_block) = classify(block.try_into().unwrap_or(&[0; 16]), 0);
        digits += usize::from(in_block);
        other |= other_in_block;
    }
    let rest = blocks.remainder().len();
    if rest > 0 {
        // The last sixteen bytes, those counted already left out (no copy);
        // a piece shorter than a block padded with spaces.
        let (last, skip) = match piece.last_chunk::<16>() {
            Some(last) => (*last, 16 - rest),
            None => {
                let mut padded = [b' '; 16];
                padded[..rest].copy_from_slice(piece);
                (padded, 0)
            }
        };
        let (in_block, other_in_block) = classify(&last, skip);
        digits += usize::from(in_block);
        other |= other_in_block;
    }
    (!other).then_some(digits)
}

/// The hex digits of a block but its first `skip` bytes, and whether they
/// hold a byte that is neither a digit nor a separator.
#[inline(always)]
fn classify(block: &[u8; 16], skip: usize) -> (u8, bool) {
    let (mut digits, mut other) = (0u8, 0u8);
    for (lane, &byte) in block.iter().enumerate() {
        let (digit, separator) = (is_digit(byte), is_dump_separator(byte));
        let counted = lane >= skip;
        digits += u8::from(digit & counted);
        other |= u8::from(!(digit | separator) & counted);
    }
    (digits, other != 0)
}

/// A hex digit, without a branch.
#[inline(always)]
fn is_digit(byte: u8) -> bool {
    (byte.wrapping_sub(b'0') < 10) | ((byte | 0x20).wrapping_sub(b'a') < 6)
}

/// [`is_separator`] without a branch.
#[inline(always)]
fn is_dump_separator(byte: u8) -> bool {
    (byte == b' ')
        | (byte == b'\t')
        | (byte == b'\n')
        | (byte == b'\r')
        | (byte == 0x0c)
        | (byte == b':')
        | (byte == b',')
        | (byte == b'-')
}

/// Lower-case hex without separators.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain definition: one character at a time.
    fn reference(text: &str) -> Result<Vec<u8>, usize> {
        let bytes = text.as_bytes();
        let (mut out, mut high, mut at) = (Vec::new(), None::<(usize, u32)>, 0);
        while at < bytes.len() {
            let byte = bytes[at];
            if high.is_none() && byte == b'0' && matches!(bytes.get(at + 1), Some(b'x' | b'X')) {
                at += 2;
                continue;
            }
            match (char::from(byte).to_digit(16), high) {
                (Some(low), Some((_, value))) => {
                    out.push((value << 4 | low) as u8);
                    high = None;
                }
                (Some(value), None) => high = Some((at, value)),
                (None, Some((start, _))) => return Err(start),
                (None, None) if byte.is_ascii_whitespace() || b":,-".contains(&byte) => {}
                (None, None) => return Err(at),
            }
            at += 1;
        }
        match high {
            Some((start, _)) => Err(start),
            None => Ok(out),
        }
    }

    #[test]
    fn decoding_a_pair_at_once_decodes_as_one_character_at_a_time() {
        let alphabet = b"0123456789abcdefABCDEF0000xX :,-\ng";
        let mut next = crate::syncml::samples::random(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let state = next();
            let len = (state % 12) as usize;
            let text: String = (0..len)
                .map(|i| {
                    char::from(alphabet[((state >> (i * 5)) % alphabet.len() as u64) as usize])
                })
                .collect();
            let ours = decode(&text).map_err(|error| error.offset);
            assert_eq!(ours, reference(&text), "{text:?}");
        }
    }

    /// Dump-shaped texts (`HH HH …`, up to 300 characters), each with a few
    /// characters changed: a lone digit, another separator, a stray letter, a
    /// `0x`, at any place.
    fn damaged_dumps() -> impl Iterator<Item = String> {
        let damage = b"0aF x:,-\ng\t";
        let mut next = crate::syncml::samples::random(0x2545_F491_4F6C_DD1D);
        (0..5_000).map(move |_| {
            let pairs = (next() % 100) as usize;
            let mut text: Vec<u8> = (0..pairs)
                .flat_map(|_| {
                    let byte = (next() & 0xff) as u8;
                    format!("{byte:02X} ").into_bytes()
                })
                .collect();
            for _ in 0..(next() % 3) {
                if !text.is_empty() {
                    let at = (next() % text.len() as u64) as usize;
                    text[at] = damage[(next() % damage.len() as u64) as usize];
                }
            }
            String::from_utf8(text).expect("ASCII")
        })
    }

    #[test]
    fn a_dump_taken_three_characters_at_once_decodes_as_one_at_a_time() {
        for text in damaged_dumps() {
            let ours = decode(&text).map_err(|error| error.offset);
            assert_eq!(ours, reference(&text), "{text:?}");
        }
    }

    #[test]
    fn digits_are_counted_as_one_character_at_a_time_would() {
        let plain = |piece: &[u8]| {
            piece
                .iter()
                .all(|&b| b.is_ascii_hexdigit() || is_separator(b))
                .then(|| piece.iter().filter(|b| b.is_ascii_hexdigit()).count())
        };
        for text in damaged_dumps() {
            assert_eq!(
                count_digits(text.as_bytes()),
                plain(text.as_bytes()),
                "{text:?}"
            );
        }
        let every_byte: Vec<u8> = (0..=255).collect();
        for byte in every_byte.chunks(1) {
            assert_eq!(count_digits(byte), plain(byte), "{byte:?}");
        }
        let long = "0A ".repeat(400);
        assert_eq!(count_digits(long.as_bytes()), Some(800));
        // Long pieces, a whole block and an overlapping last one: every
        // digit counted once, a bad byte at the very end seen.
        let longer = "0A ".repeat(5_000) + "-";
        assert_eq!(count_digits(longer.as_bytes()), Some(10_000));
        let damaged = "0A ".repeat(5_000) + "g";
        assert_eq!(count_digits(damaged.as_bytes()), None);
    }

    #[test]
    fn hex_text_is_told_from_binary_by_what_decode_reads() {
        for text in [&b"03 A4 01 6A\n"[..], b"0x03,0xa4", b"03-a4:01"] {
            assert!(looks_like_hex(text), "{text:?}");
            assert!(decode(std::str::from_utf8(text).expect("utf-8")).is_ok());
        }
        assert!(!looks_like_hex(&[0x03, 0xa4, 0x01, 0x6a]));
        assert!(!looks_like_hex(b"  \n"));
        assert!(!looks_like_hex(b"03 A4 zz"));
    }

    #[test]
    fn every_written_form_decodes() {
        for text in [
            "03 A4 01 6A",
            "03a4016a",
            "0x03,0xA4,0x01,0x6a",
            "03:a4:01:6A\n",
        ] {
            assert_eq!(decode(text), Ok(vec![0x03, 0xa4, 0x01, 0x6a]), "{text}");
        }
        assert_eq!(encode(&[0x03, 0xa4, 0x0f]), "03a40f");
    }

    #[test]
    fn the_branch_free_tests_agree_with_the_plain_ones_on_every_byte() {
        for byte in 0..=255u8 {
            assert_eq!(is_digit(byte), byte.is_ascii_hexdigit(), "{byte:#04x}");
            assert_eq!(is_dump_separator(byte), is_separator(byte), "{byte:#04x}");
            assert_eq!(SEPARATOR[usize::from(byte)] == 0, is_separator(byte));
            if byte.is_ascii_hexdigit() {
                assert_eq!(
                    u16::from(digit_value(byte)),
                    u16::from(HEX_VALUE[usize::from(byte)])
                );
            }
        }
    }

    #[test]
    fn every_byte_value_decodes_from_a_dump_in_either_case() {
        let every: Vec<u8> = (0..=255).collect();
        for (upper, separator) in [(true, " "), (false, " "), (true, "\n"), (false, ":")] {
            let text: String = every
                .iter()
                .map(|byte| match upper {
                    true => format!("{byte:02X}{separator}"),
                    false => format!("{byte:02x}{separator}"),
                })
                .collect();
            assert_eq!(decode(&text), Ok(every.clone()), "{text:?}");
        }
    }

    #[test]
    fn bad_hex_names_the_character() {
        let offset = |text| decode(text).err().map(|error| error.offset);
        assert_eq!(offset("03 zz"), Some(3));
        assert_eq!(offset("03 a 4"), Some(3));
        assert_eq!(offset("03a"), Some(2));
    }
}
