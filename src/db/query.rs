//! A SQL statement with its bound parameters, and the values rows come back as.
//! The statement text never holds a user's value: values travel as parameters,
//! and [`Query::inlined`] (for `--show-sql`) quotes them for pasting only.

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

/// A parameter as a SQL literal: integers as they are, text in single quotes
/// with `'` doubled and `\` escaped (MySQL reads backslash escapes in strings).
fn literal(param: &Param) -> String {
    match param {
        Param::Int(value) => value.to_string(),
        Param::Text(text) => {
            let mut quoted = String::with_capacity(text.len() + 2);
            quoted.push('\'');
            for c in text.chars() {
                match c {
                    '\'' => quoted.push_str("''"),
                    '\\' => quoted.push_str("\\\\"),
                    '\0' => quoted.push_str("\\0"),
                    '\n' => quoted.push_str("\\n"),
                    '\r' => quoted.push_str("\\r"),
                    '\x1a' => quoted.push_str("\\Z"),
                    other => quoted.push(other),
                }
            }
            quoted.push('\'');
            quoted
        }
    }
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
    fn values_are_inlined_as_quoted_literals() {
        let query = Query {
            sql: "SELECT 1 FROM t WHERE a = ? AND b IN (?, ?) AND c = '?'".into(),
            params: vec![
                Param::Text("1' OR '1'='1".into()),
                Param::Int(404),
                Param::Text("back\\slash".into()),
            ],
        };
        assert_eq!(
            query.inlined(),
            "SELECT 1 FROM t WHERE a = '1'' OR ''1''=''1' AND b IN (404, 'back\\\\slash') \
             AND c = '?'"
        );
    }
}
