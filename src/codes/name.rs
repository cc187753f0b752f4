//! Name matching shared by the code tables: a user may type `not_found`,
//! `Not Found` or `not-found` for `NOT_FOUND`.

/// The form two names are compared in: upper case, without `_`, `-`, `.` or spaces.
pub(crate) fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// True when `query` could name something, i.e. holds a letter.
pub(crate) fn looks_like_name(query: &str) -> bool {
    query.chars().any(char::is_alphabetic)
}

/// The names (from `candidates`) that contain the normalized query, for a
/// "did you mean" hint.
pub(crate) fn suggestions<'a>(
    query: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Vec<&'a str> {
    let wanted = normalize(query);
    if wanted.len() < 3 {
        return Vec::new();
    }
    candidates
        .filter(|name| normalize(name).contains(&wanted))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_case_are_ignored() {
        assert_eq!(normalize("not found"), normalize("NOT_FOUND"));
        assert_eq!(normalize("Not-Found"), "NOTFOUND");
    }

    #[test]
    fn suggestions_match_substrings() {
        let names = ["INVALID_CREDENTIALS", "MISSING_CREDENTIALS", "NOT_FOUND"];
        assert_eq!(
            suggestions("credentials", names.into_iter()),
            ["INVALID_CREDENTIALS", "MISSING_CREDENTIALS"]
        );
        assert!(suggestions("xy", names.into_iter()).is_empty());
    }
}
