//! The complaint's own contract references however they are written ("cli 2009 42" for
//! "CLI-2009-42"), and customer or account numbers announced by a label ("numéro client :
//! 12345678").

use super::normalise::{first_chars, fold, read};
use unicode_normalization::UnicodeNormalization;

/// At most this many chars that are neither letters nor digits between two chars of a
/// reference.
const MAX_GAP: usize = 3;

/// At least this many digits make the number after a label a customer number.
const CUSTOMER_DIGITS: usize = 6;

/// Every writing in `text` (folded) of each reference: its letters and digits in order,
/// without case or accents, with up to [`MAX_GAP`] other chars (spaces, dashes, dots...)
/// between two of them. References without letters or digits are skipped.
pub(super) fn contract(text: &[char], refs: &[&str]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let keys: Vec<Vec<char>> = refs
        .iter()
        .map(|r| r.nfkc().filter(|c| c.is_alphanumeric()).map(fold).collect())
        .filter(|key: &Vec<char>| !key.is_empty())
        .collect();
    if keys.is_empty() {
        return found;
    }
    for key in &keys {
        for start in 0..text.len() {
            if text[start] == key[0]
                && let Some(end) = spread_match(text, start + 1, &key[1..])
            {
                found.push((start, end));
            }
        }
    }
    found
}

/// Where `key` ends when it is read from `from` on, other chars allowed between its chars.
fn spread_match(text: &[char], from: usize, key: &[char]) -> Option<usize> {
    let mut i = from;
    for &k in key {
        let gap = text[i..]
            .iter()
            .take(MAX_GAP + 1)
            .take_while(|c| !c.is_alphanumeric())
            .count();
        i += gap;
        if gap > MAX_GAP || text.get(i) != Some(&k) {
            return None;
        }
        i += 1;
    }
    Some(i)
}

/// Labels (folded) announcing a customer, account or contract number.
pub(super) const LABELS: &[&str] = &[
    "numero client",
    "numero de client",
    "num client",
    "num. client",
    "n° client",
    "n° de client",
    "no client",
    "no de client",
    "no. client",
    "client n°",
    "client no",
    "numero d'abonne",
    "numero abonne",
    "n° d'abonne",
    "n° abonne",
    "numero de compte",
    "n° de compte",
    "no de compte",
    "numero de contrat",
    "numero contrat",
    "n° de contrat",
    "n° contrat",
    "reference client",
    "ref client",
    "ref. client",
    "code client",
    "identifiant client",
    "compte client",
    "customer number",
    "customer no",
    "customer no.",
    "customer id",
    "customer #",
    "account number",
    "account no",
    "account no.",
    "account id",
    "account #",
    "client number",
    "client id",
    "contract number",
    "contract no",
    "subscriber number",
];

/// Words that may stand between a label and its number ("mon numéro client est le ...").
const LINKS: &[&str] = &["est", "is", "le", "was", "etait"];

/// In `text` (folded), numbers of at least [`CUSTOMER_DIGITS`] digits right after a label:
/// letters and digits, in groups joined by single spaces, dashes, dots, slashes or
/// underscores as long as each further group holds a digit ("n° client : 1234 5678",
/// "account number AB-123456").
pub(super) fn customer_numbers(text: &[char]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    // Most positions start no label: their first char tells at once.
    let firsts = first_chars(LABELS);
    for start in 0..text.len() {
        if !firsts.contains(&text[start]) || (start > 0 && text[start - 1].is_alphanumeric()) {
            continue;
        }
        for label in LABELS.iter().filter(|l| l.starts_with(text[start])) {
            let Some(end) = read(text, start, label) else {
                continue;
            };
            if text.get(end).is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            let from = skip_link(text, end);
            if let Some(number_end) = number(text, from) {
                found.push((from, number_end));
            }
        }
    }
    found
}

/// Past the punctuation and linking words between a label and its number.
fn skip_link(text: &[char], mut i: usize) -> usize {
    loop {
        while text
            .get(i)
            .is_some_and(|c| matches!(c, ' ' | ':' | '#' | '°' | '=' | '-' | '.'))
        {
            i += 1;
        }
        let end = i + text[i..].iter().take_while(|c| c.is_alphabetic()).count();
        let word: String = text[i..end].iter().collect();
        if !LINKS.contains(&word.as_str()) {
            return i;
        }
        i = end;
    }
}

/// The number starting at `start`, if it holds enough digits.
fn number(text: &[char], start: usize) -> Option<usize> {
    let group_end = |from: usize| {
        from + text[from..]
            .iter()
            .take_while(|c| c.is_alphanumeric())
            .count()
    };
    let digits = |a: usize, b: usize| text[a..b].iter().filter(|c| c.is_ascii_digit()).count();
    let mut end = group_end(start);
    let mut count = digits(start, end);
    // A first group of letters only is a prefix glued to the digits ("AB-123456").
    if end == start || (count == 0 && text.get(end).is_none_or(|c| *c == ' ')) {
        return None;
    }
    while text
        .get(end)
        .is_some_and(|c| matches!(c, ' ' | '-' | '.' | '/' | '_'))
    {
        let next_end = group_end(end + 1);
        let next = digits(end + 1, next_end);
        if next == 0 {
            break;
        }
        count += next;
        end = next_end;
    }
    (count >= CUSTOMER_DIGITS).then_some(end)
}
