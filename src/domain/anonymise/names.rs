//! People's names where the text announces them: after a civility ("M. Dupont", "Mme Fatima
//! El Amrani", "Dr Martin"), after "je m'appelle", "je suis", "my name is", "I am", "nom :",
//! and after a letter's closing ("Cordialement, Jean Dupont").

use super::normalise::{first_chars, read};

/// Civilities (folded) that are followed by names; "M" only as "M." and capitalised.
pub(super) const CIVILITIES: &[&str] = &[
    "m",
    "mr",
    "mme",
    "mmes",
    "mrs",
    "ms",
    "mlle",
    "mlles",
    "monsieur",
    "madame",
    "mademoiselle",
    "dr",
    "docteur",
    "pr",
    "professeur",
    "maitre",
    "sir",
];

/// Phrases (folded) that introduce a name, which may then be written in lowercase.
pub(super) const INTRODUCTIONS: &[&str] = &[
    "je m'appelle",
    "je me nomme",
    "moi c'est",
    "my name is",
    "nom :",
    "nom:",
    "prenom :",
    "prenom:",
    "name:",
    "name :",
];

/// Phrases (folded) after which a capitalised word is a name.
pub(super) const PHRASES: &[&str] = &[
    "je suis",
    "i am",
    "i'm",
    "cordialement",
    "regards",
    "sincerely",
    "bien a vous",
    "salutations",
    "signe",
];

/// Lowercase words that do not start or continue a name written in lowercase ("madame la
/// directrice", "merci monsieur pour votre aide").
const STOPS: &[&str] = &[
    "le",
    "la",
    "les",
    "l",
    "un",
    "une",
    "des",
    "du",
    "de",
    "et",
    "ou",
    "je",
    "vous",
    "votre",
    "vos",
    "nous",
    "notre",
    "il",
    "elle",
    "ils",
    "on",
    "pour",
    "par",
    "en",
    "a",
    "au",
    "aux",
    "avec",
    "sans",
    "chez",
    "dans",
    "sur",
    "que",
    "qui",
    "ne",
    "pas",
    "est",
    "etait",
    "merci",
    "bonjour",
    "svp",
    "ce",
    "cette",
    "mon",
    "ma",
    "mes",
    "son",
    "sa",
    "ses",
    "se",
    "me",
    "si",
    "mais",
    "car",
    "donc",
    "comme",
    "the",
    "and",
    "or",
    "i",
    "you",
    "your",
    "we",
    "our",
    "for",
    "to",
    "of",
    "in",
    "on",
    "with",
    "is",
    "was",
    "thank",
    "thanks",
    "please",
    "hello",
    "dear",
    "madame",
    "monsieur",
    "directeur",
    "directrice",
    "service",
    "client",
    "conseiller",
    "conseillere",
];

/// At most this many lowercase words make a name written in lowercase.
const MAX_LOWERCASE: usize = 2;

/// Lowercase particles inside names ("Jean de La Fontaine", "Mohamed ben Ali").
const PARTICLES: &[&str] = &[
    "de", "du", "des", "van", "von", "der", "den", "da", "di", "dos", "el", "al", "ben", "bin",
    "ibn", "bent", "ait",
];

/// Capitalised words (folded) that follow those phrases without being names.
const NOT_NAMES: &[&str] = &[
    "orange",
    "free",
    "sfr",
    "bouygues",
    "maroc",
    "telecom",
    "inwi",
    "ooredoo",
    "djezzy",
    "mobilis",
    "tunisie",
    "algerie",
    "france",
    "french",
    "english",
    "moroccan",
    "tunisian",
    "algerian",
    "not",
    "very",
    "so",
    "the",
    "a",
    "an",
    "le",
    "la",
    "les",
    "un",
    "une",
    "je",
    "il",
    "elle",
    "nous",
    "vous",
    "i",
    "tres",
    "madame",
    "monsieur",
    "marocain",
    "marocaine",
    "tunisien",
    "tunisienne",
    "algerien",
    "algerienne",
    "francais",
    "francaise",
];

/// At most this many words make a name.
const MAX_WORDS: usize = 5;

/// The names announced in `chars` (`text`: the same folded) outside `covered` chars.
pub(super) fn find(chars: &[char], text: &[char], covered: &[bool]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    // Most positions start no civility nor phrase: their first char tells at once.
    let firsts = first_chars(&[CIVILITIES, INTRODUCTIONS, PHRASES].concat());
    for start in 0..chars.len() {
        if !firsts.contains(&text[start])
            || covered[start]
            || (start > 0 && chars[start - 1].is_alphanumeric())
        {
            continue;
        }
        let announced = civility(chars, text, start)
            .map(|after| (after, true))
            .or_else(|| phrase(text, start, INTRODUCTIONS).map(|after| (after, true)))
            .or_else(|| phrase(text, start, PHRASES).map(|after| (after, false)));
        if let Some((after, lowercase)) = announced
            && let Some(end) = name(chars, text, after, lowercase)
        {
            found.push((after, end));
        }
    }
    found
}

/// Where the name after a civility at `start` would begin ("M." only capitalised: "10 m. de
/// câble").
fn civility(chars: &[char], text: &[char], start: usize) -> Option<usize> {
    let end = start
        + text[start..]
            .iter()
            .take_while(|c| c.is_alphabetic())
            .count();
    let word = &text[start..end];
    if word.is_empty()
        || !CIVILITIES
            .iter()
            .any(|c| c.chars().eq(word.iter().copied()))
    {
        return None;
    }
    let dot = chars.get(end) == Some(&'.');
    if word == ['m'] && !(dot && chars[start] == 'M') {
        return None;
    }
    let after = end + usize::from(dot);
    (chars.get(after) == Some(&' ')).then_some(after + 1)
}

/// Where the name after one of `phrases` at `start` would begin.
fn phrase(text: &[char], start: usize, phrases: &[&str]) -> Option<usize> {
    let first = *text.get(start)?;
    phrases
        .iter()
        .filter(|p| p.starts_with(first))
        .find_map(|p| {
            let mut after = read(text, start, p)?;
            if text.get(after).is_some_and(|c| c.is_alphanumeric()) {
                return None;
            }
            if text.get(after).is_some_and(|c| matches!(c, ',' | ':')) {
                after += 1;
            }
            (text.get(after) == Some(&' ')).then_some(after + 1)
        })
}

/// Where the name starting at `start` ends: capitalised words ("Dupont", "Jean-Pierre",
/// "O'Brien", "DUPONT") or initials ("J."), with particles between them; when `lowercase`,
/// a name written all in lowercase of up to [`MAX_LOWERCASE`] words ("mme dupont"; in
/// "Mr O'Brien called" the verb is not part of the name).
fn name(chars: &[char], text: &[char], start: usize, lowercase: bool) -> Option<usize> {
    let mut i = start;
    let mut end = None;
    let mut words = 0;
    let mut lowercase_words = 0;
    while words < MAX_WORDS {
        let word_end = i + chars[i..].iter().take_while(|c| is_name_char(**c)).count();
        if word_end == i {
            break;
        }
        let word: String = text[i..word_end].iter().collect();
        let capitalised = chars.get(i).is_some_and(|c| c.is_uppercase());
        if capitalised && i == start && NOT_NAMES.contains(&word.as_str()) {
            return None;
        }
        let mut next = word_end;
        if capitalised && word_end - i == 1 && chars.get(word_end) == Some(&'.') {
            // An initial: its dot goes with it.
            next += 1;
        } else if capitalised {
            // A trailing apostrophe or dash is punctuation.
            next = i
                + 1
                + chars[i + 1..word_end]
                    .iter()
                    .rposition(|c| c.is_alphabetic())
                    .map_or(0, |p| p + 1);
        } else if let Some(rest) = word.strip_prefix("d'").filter(|r| !r.is_empty()) {
            // "d'Artagnan": the particle is glued to the name.
            if !chars[word_end - rest.chars().count()].is_uppercase() {
                break;
            }
        } else if PARTICLES.contains(&word.as_str()) {
            if chars.get(word_end) != Some(&' ') {
                break;
            }
            i = word_end + 1;
            continue;
        } else if lowercase
            && words == lowercase_words
            && lowercase_words < MAX_LOWERCASE
            && !word.contains('\'')
            && !STOPS.contains(&word.as_str())
            && !NOT_NAMES.contains(&word.as_str())
        {
            lowercase_words += 1;
        } else {
            break;
        }
        words += 1;
        end = Some(next);
        if chars.get(next) != Some(&' ') {
            break;
        }
        i = next + 1;
    }
    end
}

fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '-' | '\'')
}
