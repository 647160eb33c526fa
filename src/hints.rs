//! What an error message adds for the common slips: a role name one letter off, a command
//! run one folder above the ceremony. Pure helpers: the callers word the messages.

use std::path::Path;

/// The candidate nearest to `word`, if one is close enough to be what was meant: equal
/// but for letter case, or within an edit distance of about a third of its length (at
/// least 1, at most 3). The first of equally near candidates wins.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = if c.to_lowercase() == word_lower {
            0
        } else {
            distance(&word_lower, &c.to_lowercase())
        };
        let limit = (c.chars().count() / 3).clamp(1, 3);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance (insertions, deletions, substitutions), with a swap of two
/// neighbouring letters counted as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: distance between a[..i] and b[..j].
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// The folders directly inside `dir` that are ceremony folders (they hold `state_file`),
/// sorted by name: what someone who forgot `-C` most likely meant. At most the first 10;
/// a folder that cannot be read gives none.
pub fn ceremony_folders(dir: &Path, state_file: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| e.path().join(state_file).is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    found.sort();
    found.truncate(10);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A slip of one or two letters finds the role; a word far from every role finds
    /// none, so no hint misleads.
    #[test]
    fn the_nearest_role_is_found_for_small_slips_only() {
        let roles = ["root", "targets", "claimed"];
        assert_eq!(nearest("claimd", roles), Some("claimed"));
        assert_eq!(nearest("clamied", roles), Some("claimed"));
        assert_eq!(nearest("Claimed", roles), Some("claimed"));
        assert_eq!(nearest("target", roles), Some("targets"));
        assert_eq!(nearest("rot", roles), Some("root"));
        assert_eq!(nearest("unclaimed-projects", roles), None);
        assert_eq!(nearest("bins-0f", roles), None);
        assert_eq!(distance("abc", "acb"), 1);
        assert_eq!(distance("", "abc"), 3);
    }
}
