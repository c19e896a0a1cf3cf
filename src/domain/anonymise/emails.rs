//! E-mail addresses, accented ones too ("jéan.dupönt@gmail.com"), and the usual ways of
//! writing them to dodge robots: "jean [at] gmail [dot] com", "jean (at) gmail (dot) com",
//! "jean @ gmail.com" ("jean＠gmail.com" is plain after normalisation).

use super::normalise::{Normalised, fold};
use unicode_normalization::char::is_combining_mark;

/// The addresses in `text`, as ranges of original chars.
pub(super) fn find(text: &Normalised) -> Vec<(usize, usize)> {
    let view = text.rewrite(&spelled_out(&text.chars));
    addresses(&view.chars)
        .into_iter()
        .map(|(start, end)| view.original(start, end))
        .collect()
}

/// Where '@' and '.' are spelled out ("[at]", "(dot)", "{arobase}", "<point>", with the
/// spaces around them) and the spaces around an '@', to be read as the plain address.
fn spelled_out(chars: &[char]) -> Vec<(usize, usize, Option<char>)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some((end, c)) = spelled(chars, i) {
            found.push((i, end, Some(c)));
            i = end;
        } else {
            let around_at = chars.get(i + 1) == Some(&'@') || (i > 0 && chars[i - 1] == '@');
            if chars[i] == ' ' && around_at {
                found.push((i, i + 1, None));
            }
            i += 1;
        }
    }
    found
}

/// A spelled-out '@' or '.' starting at `start`: where it ends and what it stands for.
fn spelled(chars: &[char], start: usize) -> Option<(usize, char)> {
    let space = |i: usize| chars.get(i) == Some(&' ');
    let mut i = start;
    if space(i) {
        i += 1;
    }
    let close = match chars.get(i)? {
        '[' => ']',
        '(' => ')',
        '{' => '}',
        '<' => '>',
        _ => return None,
    };
    i += 1;
    if space(i) {
        i += 1;
    }
    let word_start = i;
    while chars.get(i).is_some_and(|c| c.is_alphabetic()) {
        i += 1;
    }
    let word: String = chars[word_start..i].iter().copied().map(fold).collect();
    let meant = match word.as_str() {
        "at" | "arobase" | "arobas" => '@',
        "dot" | "point" => '.',
        _ => return None,
    };
    if space(i) {
        i += 1;
    }
    if chars.get(i) != Some(&close) {
        return None;
    }
    i += 1;
    if space(i) {
        i += 1;
    }
    Some((i, meant))
}

fn is_local(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || matches!(c, '.' | '-')
}

/// E-mail addresses: a local part of letters, digits and [._%+-], '@', then domain labels of
/// letters, digits and '-' separated by dots, at least one dot, ending in a TLD of 2+ letters.
/// Letters are those of any script (internationalised addresses).
fn addresses(chars: &[char]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    // Where the last address ended: the next one cannot reach back into it.
    let mut floor = 0;
    for at in 0..chars.len() {
        if chars[at] != '@' || at < floor {
            continue;
        }
        let mut start = at;
        while start > floor && is_local(chars[start - 1]) {
            start -= 1;
        }
        // A leading dot is punctuation of the sentence, not of the address.
        while start < at && chars[start] == '.' {
            start += 1;
        }
        if start == at {
            continue;
        }
        let mut end = at + 1;
        while end < chars.len() && is_domain(chars[end]) {
            end += 1;
        }
        if let Some(len) = domain_len(&chars[at + 1..end]) {
            found.push((start, at + 1 + len));
            floor = at + 1 + len;
        }
    }
    found
}

/// How much of `domain` (a run of domain chars) is a domain name: labels separated by single
/// dots, at least one dot, the last label 2+ letters. Trailing labels that are not a TLD (and
/// a sentence's final dot) are left out.
fn domain_len(domain: &[char]) -> Option<usize> {
    if domain.first().is_none_or(|c| *c == '.') {
        return None;
    }
    // An empty label ("..") ends the name.
    let mut end = domain
        .windows(2)
        .position(|w| w == ['.', '.'])
        .unwrap_or(domain.len());
    loop {
        while end > 0 && matches!(domain[end - 1], '.' | '-') {
            end -= 1;
        }
        let dot = domain[..end].iter().rposition(|c| *c == '.')?;
        let tld = &domain[dot + 1..end];
        if tld.len() >= 2 && tld.iter().all(|c| c.is_alphabetic()) {
            return Some(end);
        }
        end = dot;
    }
}
