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

/// The names (from `candidates`) that contain the normalized query, or,
/// when none does, the closest by edit distance (a typo: `not_fond`), for a
/// "did you mean" hint.
pub(crate) fn suggestions<'a>(
    query: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Vec<&'a str> {
    let wanted = normalize(query);
    if wanted.len() < 3 {
        return Vec::new();
    }
    let candidates: Vec<&str> = candidates.collect();
    let containing: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|name| normalize(name).contains(&wanted))
        .collect();
    if !containing.is_empty() {
        return containing;
    }
    // One edit in four characters, at least one: a typo, not another word.
    let allowed = (wanted.chars().count() / 4).max(1);
    let mut close: Vec<(usize, &str)> = candidates
        .iter()
        .map(|name| (distance(&normalize(name), &wanted), *name))
        .filter(|(distance, _)| *distance <= allowed)
        .collect();
    close.sort_by_key(|(distance, _)| *distance);
    close.into_iter().take(3).map(|(_, name)| name).collect()
}

/// The Levenshtein distance between two names.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
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
        // A typo finds the name it missed.
        assert_eq!(suggestions("not_fond", names.into_iter()), ["NOT_FOUND"]);
        assert!(suggestions("gateway", names.into_iter()).is_empty());
    }
}
