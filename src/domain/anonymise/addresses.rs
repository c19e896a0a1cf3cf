//! Postal addresses: a number and a street ("12 rue de la Paix", "3 bis, av. Hassan II",
//! "221B Baker Street"), with the postcode and town after it, and a postcode with its town
//! alone ("75011 Paris", "20000 CASABLANCA").

/// Street words (folded) written after the number ("12 rue ...").
pub(super) const STREETS_BEFORE_NAME: &[&str] = &[
    "rue",
    "avenue",
    "av",
    "ave",
    "boulevard",
    "bd",
    "bld",
    "blvd",
    "place",
    "pl",
    "chemin",
    "allee",
    "impasse",
    "route",
    "rte",
    "quai",
    "cours",
    "square",
    "passage",
    "lotissement",
    "residence",
    "cite",
    "derb",
    "zanka",
    "hay",
    "street",
    "road",
];

/// Street words (folded) written after the street's name ("10 Downing Street").
pub(super) const STREETS_AFTER_NAME: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "drive",
    "way",
    "close",
    "square",
    "boulevard",
    "place",
];

/// Street words that are also common words ("2 place(s) de cinéma", "cours"): their street
/// needs a capitalised name; after the others it may be in lowercase ("12 rue de la gare").
const COMMON_WORDS: &[&str] = &["place", "pl", "cours", "square", "passage"];

/// Lowercase words inside street and town names ("rue de la Paix", "Boulogne sur Mer").
const PARTICLES: &[&str] = &[
    "de", "du", "des", "d'", "la", "le", "les", "l'", "el", "al", "ibn", "ben", "sur", "en",
    "sous", "aux", "of", "the",
];

/// Lowercase words that end a street named in lowercase ("12 rue de la gare et ...").
const STOPS: &[&str] = &[
    "et", "puis", "mais", "depuis", "pour", "a", "au", "aux", "avec", "sans", "chez", "dans",
    "sur", "ou", "and", "then", "but", "since", "for", "with", "to", "in", "on", "at", "where",
    "qui", "que", "je", "j'", "il", "nous", "vous",
];

/// Words (folded) that follow a 5-digit number without being a town: currencies and units.
const NOT_TOWNS: &[&str] = &[
    "eur", "euro", "euros", "mad", "dh", "dhs", "dirham", "dirhams", "tnd", "dt", "dzd", "da",
    "dinar", "dinars", "usd", "cad", "gbp", "dollar", "dollars", "mo", "go", "ko", "mb", "gb",
    "kb", "mbps", "gbps", "sms", "mms", "min", "h", "km", "m", "fois", "clients", "abonnes",
];

/// At most this many words name a street or a town.
const MAX_WORDS: usize = 6;

/// The addresses in `chars` (`text`: the same folded) starting outside `covered` chars.
pub(super) fn find(chars: &[char], text: &[char], covered: &[bool]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for start in 0..chars.len() {
        if covered[start] || !chars[start].is_ascii_digit() || inside_number(chars, start) {
            continue;
        }
        let street = street(chars, text, start);
        let town_from = match street {
            Some(end) => {
                let mut i = end;
                if chars.get(i) == Some(&',') {
                    i += 1;
                }
                if chars.get(i) == Some(&' ') {
                    i + 1
                } else {
                    end
                }
            }
            None => start,
        };
        let town = postcode_town(chars, text, town_from, street.is_some());
        if let Some(end) = town.or(street) {
            found.push((start, end));
        }
    }
    found
}

/// Whether `start` continues a word or a group of digits ("06 12 34", "1 234"): no address
/// number starts there.
fn inside_number(chars: &[char], start: usize) -> bool {
    let before = |k: usize| start.checked_sub(k).map(|i| chars[i]);
    before(1).is_some_and(char::is_alphanumeric)
        || (before(1).is_some_and(|c| matches!(c, ' ' | '.' | '-' | '/' | '_' | ','))
            && before(2).is_some_and(|c| c.is_ascii_digit()))
}

/// The word at `i`: where it ends (letters, and '-' or '\'' inside it).
fn word_end(chars: &[char], i: usize) -> usize {
    let mut end = i;
    while end < chars.len()
        && (chars[end].is_alphabetic()
            || (matches!(chars[end], '-' | '\'')
                && end > i
                && chars.get(end + 1).is_some_and(|c| c.is_alphabetic())))
    {
        end += 1;
    }
    // "l'" and "d'" end the word they start.
    if end > i + 1 && chars[i + 1] == '\'' {
        i + 2
    } else {
        end
    }
}

fn folded(text: &[char], start: usize, end: usize) -> String {
    text[start..end].iter().collect()
}

/// Where the street starting with the number at `start` ends.
fn street(chars: &[char], text: &[char], start: usize) -> Option<usize> {
    let digits = chars[start..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits > 4 {
        return None;
    }
    let mut i = start + digits;
    // "221B", "3bis", "3 bis", "3 ter"
    let gap = usize::from(chars.get(i) == Some(&' '));
    let suffix = word_end(chars, i + gap);
    if matches!(
        folded(text, i + gap, suffix).as_str(),
        "bis" | "ter" | "quater"
    ) || (gap == 0 && suffix == i + 1)
    {
        i = suffix;
    }
    if chars.get(i) == Some(&',') {
        i += 1;
    }
    if chars.get(i) != Some(&' ') {
        return None;
    }
    i += 1;
    let end = word_end(chars, i);
    let word = folded(text, i, end);
    if STREETS_BEFORE_NAME.contains(&word.as_str()) {
        let mut after = end;
        if chars.get(after) == Some(&'.') {
            after += 1;
        }
        if let Some(name_end) =
            street_name(chars, text, after, !COMMON_WORDS.contains(&word.as_str()))
        {
            return Some(name_end);
        }
    }
    // "10 Downing Street": capitalised words, then the street word.
    let mut j = i;
    for _ in 0..MAX_WORDS {
        let end = word_end(chars, j);
        if end == j {
            return None;
        }
        let word = folded(text, j, end);
        if j > i && STREETS_AFTER_NAME.contains(&word.as_str()) {
            return Some(end);
        }
        if !chars[j].is_uppercase() || chars.get(end) != Some(&' ') {
            return None;
        }
        j = end + 1;
    }
    None
}

/// Where the name of a street starting after `at` (a space expected) ends: capitalised words,
/// numbers ("rue du 8 Mai 1945") and particles before them; in lowercase up to two words when
/// `plain`.
fn street_name(chars: &[char], text: &[char], at: usize, plain: bool) -> Option<usize> {
    let mut end = None;
    let mut i = at;
    let mut lowercase = 0;
    for _ in 0..MAX_WORDS {
        let start = match chars.get(i) {
            Some(' ') => i + 1,
            // Right after an elided particle ("rue d'Alger").
            _ if i > at && chars[i - 1] == '\'' => i,
            _ => break,
        };
        let digits = chars[start..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let stop = if digits > 0 {
            start + digits
        } else {
            word_end(chars, start)
        };
        if stop == start || digits > 4 {
            break;
        }
        let word = folded(text, start, stop);
        if chars[start].is_uppercase() || digits > 0 {
            end = Some(stop);
        } else if PARTICLES.contains(&word.as_str()) {
            // Part of the name only if a name word follows.
        } else if plain && lowercase < 2 && !STOPS.contains(&word.as_str()) {
            lowercase += 1;
            end = Some(stop);
        } else {
            break;
        }
        i = stop;
    }
    end
}

/// Where a postcode and town at `start` end: 5 digits (4 or 5 after a street) and the town's
/// words ("75011 Paris", "16000 Alger Centre", "1002 Tunis"), "CEDEX" with them.
fn postcode_town(chars: &[char], text: &[char], start: usize, after_street: bool) -> Option<usize> {
    let digits = chars[start..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let shape = digits == 5 || (after_street && digits == 4);
    if !shape {
        return None;
    }
    let mut i = start + digits;
    let mut end = None;
    for _ in 0..MAX_WORDS {
        if chars.get(i) != Some(&' ') {
            break;
        }
        let from = i + 1;
        let stop = word_end(chars, from);
        if stop == from {
            break;
        }
        let word = folded(text, from, stop);
        if end.is_none() && NOT_TOWNS.contains(&word.as_str()) {
            return None;
        }
        if chars[from].is_uppercase() {
            end = Some(stop);
        } else if !(end.is_some() && PARTICLES.contains(&word.as_str())) {
            break;
        }
        i = stop;
    }
    end
}
