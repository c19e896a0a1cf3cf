//! Phone numbers: French, Moroccan, Tunisian and Algerian formats, local or with an
//! international prefix (+33, 0033, +212, +216, +213...), their digit groups joined by
//! spaces, dots, dashes, slashes, underscores or commas; amounts, dates and lists of years
//! are not numbers.

use super::normalise::fold;

/// Phone numbers hold this many digits, country code and trunk prefix included.
const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 9..=15;

/// What joins two digit groups of a phone run: at most one of ')', a separator, '('.
#[derive(Debug, Clone, Copy)]
struct Joint {
    separator: Option<char>,
    paren: bool,
}

/// Phone numbers: a run starting with '+', '(' or a digit (not right after a digit), made of
/// digit groups joined by separators (see [`separator`]) and parentheses, holding 9 to 15
/// digits, unless the run is an amount ("12 345 678,90 EUR") or a list of years ("2009 2010
/// 2011"); 8 digits written as Tunisian numbers are too ("71 123 456", "98123456"). Runs of
/// more than 15 digits are cut at group boundaries into numbers covering as many digits as
/// possible, after setting aside date-shaped groups (07/09/2009, 2009-09-07), so two numbers
/// written side by side are both found.
pub(super) fn find(chars: &[char], covered: &[bool]) -> Vec<(usize, usize)> {
    let free = |i: usize| i < chars.len() && !covered[i];
    let digit = |i: usize| free(i) && chars[i].is_ascii_digit();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = free(i)
            && (i == 0 || !chars[i - 1].is_ascii_digit())
            && match chars[i] {
                '+' => digit(i + 1),
                '(' => digit(i + 1) || (free(i + 1) && chars[i + 1] == '+' && digit(i + 2)),
                c => c.is_ascii_digit(),
            };
        if !starts {
            i += 1;
            continue;
        }
        let end = phone_run(chars, &digit, &free, i, &mut found);
        i = end.max(i + 1);
    }
    found
}

/// Reads the phone run starting at `start`, adds the numbers it holds to `found`, and returns
/// where scanning goes on.
fn phone_run(
    chars: &[char],
    digit: &dyn Fn(usize) -> bool,
    free: &dyn Fn(usize) -> bool,
    start: usize,
    found: &mut Vec<(usize, usize)>,
) -> usize {
    let run = read_run(chars, digit, free, start);
    let end = run.end;
    add_numbers(chars, start, run, found);
    end
}

/// A run of digit groups as read: the groups, what joins them, and the span a number made of
/// all of them would cover.
struct Run {
    groups: Vec<(usize, usize)>,
    joints: Vec<Joint>,
    span_start: usize,
    end: usize,
}

/// Reads digit groups and their joints from `start`, with the parentheses around or inside.
fn read_run(
    chars: &[char],
    digit: &dyn Fn(usize) -> bool,
    free: &dyn Fn(usize) -> bool,
    start: usize,
) -> Run {
    let is = |i: usize, c: char| free(i) && chars[i] == c;
    let mut pos = start;
    let mut span_start = start;
    // Opening parentheses not closed yet: their position and the index of the next group.
    let mut open: Vec<(usize, usize)> = Vec::new();
    if is(pos, '(') {
        open.push((pos, 0));
        pos += 1;
    }
    if is(pos, '+') {
        pos += 1;
    }
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut joints: Vec<Joint> = Vec::new();
    loop {
        let group = pos;
        while digit(pos) {
            pos += 1;
        }
        groups.push((group, pos));
        let mut j = pos;
        let closes = !open.is_empty() && is(j, ')');
        if closes {
            j += 1;
        }
        let (separator, after) = separator(chars, free, j);
        j = after;
        let opens = is(j, '(');
        if opens {
            j += 1;
        }
        if j == pos || !digit(j) {
            break;
        }
        if closes {
            open.pop();
        }
        if opens {
            open.push((j - 1, groups.len()));
        }
        joints.push(Joint {
            separator,
            paren: closes || opens,
        });
        pos = j;
    }
    // A ')' after the last group belongs to the number when it closes a '(' inside it
    // ("+33 (0)6"); around the whole number ("(06 12 34 56 78)") both stay text.
    if open.last().is_some_and(|&(_, group)| group > 0) && is(pos, ')') {
        open.pop();
        pos += 1;
    }
    let mut end = pos;
    let mut unclosed = open.into_iter().peekable();
    if let Some(&(paren, 0)) = unclosed.peek() {
        span_start = paren + 1;
        unclosed.next();
    }
    // A '(' opened inside the run and never closed ("06 12 34 56 78 (24h/24)") ends the
    // number before it, unless that would leave too few digits to hide it.
    if let Some((_, group)) = unclosed.next() {
        let kept: usize = groups[..group].iter().map(|(a, b)| b - a).sum();
        if kept >= *PHONE_DIGITS.start() {
            groups.truncate(group);
            joints.truncate(group - 1);
            end = groups[group - 1].1;
        }
    }
    Run {
        groups,
        joints,
        span_start,
        end,
    }
}

/// Adds to `found` the phone numbers a run holds: none if it is an amount or a list of
/// years, one, or several when it is too long for one.
fn add_numbers(chars: &[char], start: usize, run: Run, found: &mut Vec<(usize, usize)>) {
    let Run {
        groups,
        joints,
        span_start,
        end,
    } = run;
    if is_amount(chars, start, end, &groups, &joints) {
        return;
    }
    // A list of years ("2009 2010 2011") is not a phone number.
    let is_year = |&(a, b): &(usize, usize)| {
        b - a == 4 && matches!((chars[a], chars[a + 1]), ('1', '9') | ('2', '0'))
    };
    if groups.len() > 1 && groups.iter().all(is_year) {
        return;
    }
    let lens: Vec<usize> = groups.iter().map(|(a, b)| b - a).collect();
    let total: usize = lens.iter().sum();
    if PHONE_DIGITS.contains(&total) || is_tunisian(chars, &groups, &joints) {
        found.push((span_start, end));
    } else if total > *PHONE_DIGITS.end() {
        for (first, last) in split_long_run(&lens, &joints) {
            let from = if first == 0 {
                span_start
            } else {
                groups[first].0
            };
            let to = if last == groups.len() - 1 {
                end
            } else {
                groups[last].1
            };
            found.push((from, to));
        }
    }
}

/// What joins two digit groups at `at` (and where the next group may start): a space, a
/// dash or slash with or without spaces around it ("06 - 12"), or a bare dot, underscore or
/// comma ("06.12", "06_12", "06,12": a comma followed by a space is an enumeration).
fn separator(chars: &[char], free: &dyn Fn(usize) -> bool, at: usize) -> (Option<char>, usize) {
    let is = |i: usize, set: &[char]| free(i) && set.contains(&chars[i]);
    let mut j = at;
    let mut found = None;
    if is(j, &[' ']) {
        found = Some(' ');
        j += 1;
    }
    if is(j, &['-', '/']) {
        found = Some(chars[j]);
        j += 1;
        if is(j, &[' ']) {
            j += 1;
        }
    } else if found.is_none() && is(j, &['.', '_', ',']) {
        found = Some(chars[j]);
        j += 1;
    }
    (found, j)
}

/// Whether the run `start..end` is an amount: written as one (one block or thousands groups,
/// then perhaps decimals after another separator) and either with decimals ("12 345 678,90",
/// "12,345,678.90") or next to a currency ("1 234 567 890 EUR", "€ 1234567890"). An
/// international prefix ('+') makes it a phone number whatever follows.
fn is_amount(
    chars: &[char],
    start: usize,
    end: usize,
    groups: &[(usize, usize)],
    joints: &[Joint],
) -> bool {
    if chars[start..end].contains(&'+') || joints.iter().any(|j| j.paren) {
        return false;
    }
    let len = |(a, b): (usize, usize)| b - a;
    let n = groups.len();
    let decimals = n >= 2
        && matches!(joints[n - 2].separator, Some(',' | '.'))
        && (1..=2).contains(&len(groups[n - 1]));
    let whole = if decimals { n - 1 } else { n };
    let thousands = whole == 1
        || ((1..=3).contains(&len(groups[0]))
            && groups[1..whole].iter().all(|g| len(*g) == 3)
            && joints[..whole - 1].iter().all(|j| {
                j.separator == joints[0].separator
                    && (!decimals || j.separator != joints[n - 2].separator)
            }));
    thousands && (decimals || next_to_currency(chars, start, end))
}

/// Whether a currency sign or word is written right before or after `start..end`.
fn next_to_currency(chars: &[char], start: usize, end: usize) -> bool {
    let mut after = end;
    if chars.get(after) == Some(&' ') {
        after += 1;
    }
    let word_end = after
        + chars[after..]
            .iter()
            .take_while(|c| c.is_alphabetic())
            .count();
    let word: String = chars[after..word_end].iter().map(|c| fold(*c)).collect();
    let mut before = start;
    if before > 0 && chars[before - 1] == ' ' {
        before -= 1;
    }
    chars.get(after).is_some_and(|c| CURRENCY_SIGNS.contains(c))
        || (before > 0 && CURRENCY_SIGNS.contains(&chars[before - 1]))
        || CURRENCY_WORDS.contains(&word.as_str())
}

/// Signs and words (folded) of the currencies this audience writes amounts in.
const CURRENCY_SIGNS: &[char] = &['€', '$', '£'];
pub(super) const CURRENCY_WORDS: &[&str] = &[
    "eur", "euro", "euros", "mad", "dh", "dhs", "dirham", "dirhams", "tnd", "dt", "dzd", "da",
    "dinar", "dinars", "usd", "cad", "gbp", "dollar", "dollars",
];

/// A Tunisian local number: 8 digits starting with 2 to 9 (Tunisian prefixes), in one block
/// or grouped 2-3-3 or 2-2-2-2 with one separator, that is not a round figure ("20 000 000",
/// "45 00 00 00") nor, in one block, a date ("20090907", "07092009").
fn is_tunisian(chars: &[char], groups: &[(usize, usize)], joints: &[Joint]) -> bool {
    let lens: Vec<usize> = groups.iter().map(|(a, b)| b - a).collect();
    let digits: Vec<u32> = groups
        .iter()
        .flat_map(|&(a, b)| chars[a..b].iter().filter_map(|c| c.to_digit(10)))
        .collect();
    let number =
        |from: usize, len: usize| digits[from..from + len].iter().fold(0, |n, d| n * 10 + d);
    let date = |year: u32, month: u32, day: u32| {
        (1900..2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)
    };
    let round = groups.len() > 1
        && groups[1..]
            .iter()
            .all(|&(a, b)| chars[a..b].iter().all(|c| *c == '0'));
    // Only a single block can be a compact date: nobody writes one as "20 00 01 01".
    let compact_date = lens == [8]
        && (date(number(0, 4), number(4, 2), number(6, 2))
            || date(number(4, 4), number(2, 2), number(0, 2)));
    (lens == [8] || lens == [2, 3, 3] || lens == [2, 2, 2, 2])
        && digits[0] >= 2
        && !round
        && !compact_date
        && joints
            .iter()
            .all(|j| !j.paren && j.separator.is_some() && j.separator == joints[0].separator)
}

/// Cuts a run of digit groups too long for one phone number into numbers of 9 to 15 digits,
/// as (first group, last group) pairs: date-shaped groups are set aside, then the cut covering
/// the most digits with the fewest numbers wins.
fn split_long_run(lens: &[usize], joints: &[Joint]) -> Vec<(usize, usize)> {
    let n = lens.len();
    let mut date = vec![false; n];
    for k in 0..n.saturating_sub(2) {
        let (a, b, c) = (lens[k], lens[k + 1], lens[k + 2]);
        let (j1, j2) = (joints[k], joints[k + 1]);
        let date_joints = !j1.paren
            && !j2.paren
            && j1.separator == j2.separator
            && matches!(j1.separator, Some('/' | '-' | '.'));
        let date_shape = (a <= 2 && b <= 2 && c == 4) || (a == 4 && b <= 2 && c <= 2);
        if date_joints && date_shape {
            date[k..k + 3].fill(true);
        }
    }
    // best[i]: (digits covered, -numbers) over the first i groups; from[i]: the number
    // ending at group i - 1, if any.
    let mut best = vec![(0usize, 0isize); n + 1];
    let mut from: Vec<Option<usize>> = vec![None; n + 1];
    for i in 0..n {
        if best[i] > best[i + 1] {
            best[i + 1] = best[i];
            from[i + 1] = None;
        }
        let mut sum = 0;
        for j in i..n {
            sum += lens[j];
            if date[j] || sum > *PHONE_DIGITS.end() {
                break;
            }
            let candidate = (best[i].0 + sum, best[i].1 - 1);
            if sum >= *PHONE_DIGITS.start() && candidate > best[j + 1] {
                best[j + 1] = candidate;
                from[j + 1] = Some(i);
            }
        }
    }
    let mut numbers = Vec::new();
    let mut k = n;
    while k > 0 {
        match from[k] {
            Some(first) => {
                numbers.push((first, k - 1));
                k = first;
            }
            None => k -= 1,
        }
    }
    numbers.reverse();
    numbers
}
