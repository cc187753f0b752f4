//! What the status and Alert tables share: finding an entry by code (binary
//! search in a sorted table), by name (any case and separators, with aliases and
//! "did you mean" suggestions), and looking up many queries at once with every
//! unknown one reported together.

use super::name;
use crate::error::UsageError;

/// An entry of a code table.
pub(crate) trait Entry: 'static {
    fn code(&self) -> u16;
    fn name(&self) -> &'static str;
    fn aliases(&self) -> &'static [&'static str] {
        &[]
    }
}

/// The entry for a code in a table sorted by code.
pub(crate) fn get<E: Entry>(table: &'static [E], code: u32) -> Option<&'static E> {
    let code = u16::try_from(code).ok()?;
    table
        .binary_search_by_key(&code, Entry::code)
        .ok()
        .map(|index| &table[index])
}

/// The entry whose name or alias matches `query`; the error says what was
/// meant when something close exists, else `fallback_hint`.
pub(crate) fn by_name<E: Entry>(
    table: &'static [E],
    query: &str,
    what: &str,
    fallback_hint: String,
) -> Result<&'static E, UsageError> {
    let wanted = name::normalize(query);
    let exact = table.iter().find(|entry| {
        name::normalize(entry.name()) == wanted
            || entry
                .aliases()
                .iter()
                .any(|alias| name::normalize(alias) == wanted)
    });
    exact.ok_or_else(|| {
        let close = name::suggestions(query, table.iter().map(Entry::name));
        let error = UsageError::new(format!("no {what} is named '{query}'"));
        if close.is_empty() {
            error.with_hint(fallback_hint)
        } else {
            error.with_hint(format!("did you mean {}?", close.join(", ")))
        }
    })
}

/// Runs `lookup` on every query; the results in order, or one error naming every
/// query that failed (with `hint` when there were several).
pub(crate) fn lookup_each<S: AsRef<str>, T>(
    queries: &[S],
    lookup: impl Fn(&str) -> Result<Vec<T>, UsageError>,
    hint: &str,
) -> Result<Vec<T>, UsageError> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for query in queries {
        match lookup(query.as_ref()) {
            Ok(results) => found.extend(results),
            Err(error) => errors.push(error),
        }
    }
    match errors.len() {
        0 => Ok(found),
        1 => Err(errors.remove(0)),
        _ => {
            let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
            Err(UsageError::new(messages.join("; ")).with_hint(hint))
        }
    }
}
