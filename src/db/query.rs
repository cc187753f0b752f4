//! A SQL statement with its bound parameters, and the values rows come back as.
//! The statement text never holds a user's value: values travel as parameters,
//! and [`Query::inlined`] (for `--show-sql`) writes them for pasting only, in
//! a form no client character set can misread.

use serde::Serialize;

/// A bound parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    Int(i64),
    Text(String),
}

/// A statement with `?` placeholders and the values for them, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub sql: String,
    pub params: Vec<Param>,
}

impl Query {
    /// The statement with every `?` replaced by its value quoted as a MySQL
    /// literal, for a person to paste into a client. Never executed.
    pub fn inlined(&self) -> String {
        let mut params = self.params.iter();
        let mut text = String::with_capacity(self.sql.len() + 16 * self.params.len());
        let mut in_string = false;
        for c in self.sql.chars() {
            match c {
                '\'' => {
                    in_string = !in_string;
                    text.push(c);
                }
                '?' if !in_string => match params.next() {
                    Some(param) => text.push_str(&literal(param)),
                    None => text.push(c),
                },
                _ => text.push(c),
            }
        }
        text
    }
}

/// A parameter as a SQL literal that no client character set can read
/// otherwise: integers as they are; text of plain ASCII (letters, digits,
/// space and `-_.:/@+`) in single quotes; any other text as a hex string
/// with a `_utf8mb4` introducer (`_utf8mb4 X'31C2BF'`), since a client
/// reading gbk, sjis, cp932 or big5 may take a byte of a multi-byte
/// character and the escape after it as one character, and a quote escaped
/// by a backslash would then end the string.
fn literal(param: &Param) -> String {
    match param {
        Param::Int(value) => value.to_string(),
        Param::Text(text) if text.bytes().all(is_plain_byte) => format!("'{text}'"),
        Param::Text(text) => {
            let mut hex = String::with_capacity(2 * text.len() + 12);
            hex.push_str("_utf8mb4 X'");
            for byte in text.bytes() {
                hex.push_str(&format!("{byte:02X}"));
            }
            hex.push('\'');
            hex
        }
    }
}

/// A byte that reads the same in every client character set and needs no
/// escape in a quoted string.
fn is_plain_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b" -_.:/@+".contains(&byte)
}

/// One value of a result row, the same from every backend.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SqlValue {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
}

impl SqlValue {
    pub fn into_text(self) -> Option<String> {
        match self {
            Self::Null => None,
            Self::Int(value) => Some(value.to_string()),
            Self::Float(value) => Some(value.to_string()),
            Self::Text(text) => Some(text),
        }
    }

    /// The value as an integer, if it is one (or text holding one).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Self::Int(value) => Some(*value),
            Self::Text(text) => text.trim().parse().ok(),
            Self::Null | Self::Float(_) => None,
        }
    }
}

impl From<&SqlValue> for serde_json::Value {
    fn from(value: &SqlValue) -> Self {
        match value {
            SqlValue::Null => Self::Null,
            SqlValue::Int(number) => Self::from(*number),
            SqlValue::Float(number) => Self::from(*number),
            SqlValue::Text(text) => Self::from(text.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_inlined_as_literals_no_character_set_misreads() {
        let query = Query {
            sql: "SELECT 1 FROM t WHERE a = ? AND b IN (?, ?, ?) AND c = '?'".into(),
            params: vec![
                Param::Text("1' OR '1'='1".into()),
                Param::Int(404),
                Param::Text("back\\slash".into()),
                Param::Text("2010-02-05 13:00:00".into()),
            ],
        };
        assert_eq!(
            query.inlined(),
            "SELECT 1 FROM t WHERE a = _utf8mb4 X'3127204F52202731273D2731' \
             AND b IN (404, _utf8mb4 X'6261636B5C736C617368', '2010-02-05 13:00:00') AND c = '?'"
        );
        // A multi-byte character before a backslash and a quote: hex.
        assert_eq!(
            literal(&Param::Text("\u{bf}\\'".into())),
            "_utf8mb4 X'C2BF5C27'"
        );
    }
}
