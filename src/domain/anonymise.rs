//! Anonymising free text: e-mail addresses, phone numbers, IBANs and contract references are
//! replaced by placeholders before reviewers read a description. Hand-written scanners over
//! chars, linear in the length of the text (contract references cost their length at each
//! position), that accept any UTF-8 input.

const EMAIL: &str = "[e-mail]";
const PHONE: &str = "[phone]";
const IBAN: &str = "[IBAN]";
const REFERENCE: &str = "[reference]";

/// Phone numbers hold this many digits, country code and trunk prefix included.
const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 9..=15;
/// The part of an IBAN after its country code and check digits.
const BBAN_LEN: std::ops::RangeInclusive<usize> = 10..=30;

/// Replaces e-mail addresses with "[e-mail]", phone numbers with "[phone]", IBANs with
/// "[IBAN]", and every occurrence of each string in `contract_refs` (case-insensitive,
/// ignoring surrounding spaces; skip empty ones) with "[reference]". Everything else is kept
/// as written.
///
/// E-mails are found first, then IBANs, then phone numbers in what is left, so the digits of
/// an IBAN are never taken for a phone. Contract references are found in the whole text;
/// where two findings overlap, their union is replaced by the placeholder of the longer one,
/// so no part of either survives.
pub fn anonymise(text: &str, contract_refs: &[&str]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut covered = vec![false; chars.len()];
    let mut spans: Vec<Span> = Vec::new();
    let mut add = |found: Vec<(usize, usize)>, label, covered: &mut Vec<bool>, mark: bool| {
        for (start, end) in found {
            if mark {
                covered[start..end].fill(true);
            }
            spans.push(Span { start, end, label });
        }
    };
    add(emails(&chars), EMAIL, &mut covered, true);
    let found = ibans(&chars, &covered);
    add(found, IBAN, &mut covered, true);
    let found = phones(&chars, &covered);
    add(found, PHONE, &mut covered, true);
    add(
        references(&chars, contract_refs),
        REFERENCE,
        &mut covered,
        false,
    );
    render(&chars, spans)
}

/// Characters `start..end` (char indices) are to be replaced by `label`.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    label: &'static str,
}

/// The text with overlapping spans merged, each merged stretch replaced by the label of its
/// longest span.
fn render(chars: &[char], mut spans: Vec<Span>) -> String {
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut out = String::with_capacity(chars.len() + 16);
    let mut pos = 0;
    let mut i = 0;
    while i < spans.len() {
        let first = spans[i];
        let (start, mut end, mut longest) = (first.start, first.end, first);
        i += 1;
        while i < spans.len() && spans[i].start < end {
            let next = spans[i];
            end = end.max(next.end);
            if next.end - next.start > longest.end - longest.start {
                longest = next;
            }
            i += 1;
        }
        out.extend(&chars[pos..start]);
        out.push_str(longest.label);
        pos = end;
    }
    out.extend(&chars[pos..]);
    out
}

fn is_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

/// E-mail addresses: a local part of [A-Za-z0-9._%+-], '@', then domain labels of
/// [A-Za-z0-9-] separated by dots, at least one dot, ending in a TLD of 2+ letters.
fn emails(chars: &[char]) -> Vec<(usize, usize)> {
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

/// How much of `domain` (a run of [A-Za-z0-9.-]) is a domain name: labels separated by
/// single dots, at least one dot, the last label 2+ letters. Trailing labels that are not a
/// TLD (and a sentence's final dot) are left out.
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
        if tld.len() >= 2 && tld.iter().all(char::is_ascii_alphabetic) {
            return Some(end);
        }
        end = dot;
    }
}

/// IBANs: two letters, two digits, then 10 to 30 alphanumerics, either in one block or in
/// groups after single spaces ("FR76 3000 6000 0112 3456 7890 189"). Groups after the first
/// one hold at least one digit and the grouping ends after a group shorter than 4, so words
/// and numbers written after an IBAN are not swallowed. At least half of the alphanumerics
/// after the check digits are digits, as in real account numbers.
fn ibans(chars: &[char], covered: &[bool]) -> Vec<(usize, usize)> {
    let alnum = |i: usize| i < chars.len() && !covered[i] && chars[i].is_ascii_alphanumeric();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 4 <= chars.len() {
        let head = &chars[i..i + 4];
        let starts = !covered[i..i + 4].iter().any(|c| *c)
            && head[0].is_ascii_alphabetic()
            && head[1].is_ascii_alphabetic()
            && head[2].is_ascii_digit()
            && head[3].is_ascii_digit()
            && (i == 0 || !chars[i - 1].is_ascii_alphanumeric());
        if !starts {
            i += 1;
            continue;
        }
        let bban = i + 4;
        let mut end = bban;
        let mut len = 0;
        let mut digits = 0;
        if alnum(bban) {
            // One block: the whole alphanumeric run, and not a longer one.
            while alnum(end) && end - bban <= *BBAN_LEN.end() {
                end += 1;
            }
            len = end - bban;
            digits = chars[bban..end]
                .iter()
                .filter(|c| c.is_ascii_digit())
                .count();
            if alnum(end) {
                len = 0;
            }
        } else {
            let mut groups = 0;
            while end < chars.len() && chars[end] == ' ' && !covered[end] {
                let group = end + 1;
                let mut group_end = group;
                while alnum(group_end) && group_end - group <= *BBAN_LEN.end() {
                    group_end += 1;
                }
                let group_len = group_end - group;
                let group_digits = chars[group..group_end]
                    .iter()
                    .filter(|c| c.is_ascii_digit())
                    .count();
                if group_len == 0
                    || len + group_len > *BBAN_LEN.end()
                    || (groups > 0 && group_digits == 0)
                {
                    break;
                }
                groups += 1;
                len += group_len;
                digits += group_digits;
                end = group_end;
                if group_len < 4 && len >= *BBAN_LEN.start() {
                    break;
                }
            }
        }
        if BBAN_LEN.contains(&len) && 2 * digits >= len {
            found.push((i, end));
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// What joins two digit groups of a phone run: at most one of ')', a separator, '('.
#[derive(Debug, Clone, Copy)]
struct Joint {
    separator: Option<char>,
    paren: bool,
}

/// Phone numbers: a run starting with '+', '(' or a digit (not right after a digit), made of
/// digit groups joined by single separators (space, '.', '-', '/') and parentheses, holding
/// 9 to 15 digits, unless the run is a list of years ("2009 2010 2011"). Runs of more than 15
/// digits are cut at group boundaries into numbers covering as many digits as possible, after
/// setting aside date-shaped groups (07/09/2009, 2009-09-07), so two numbers written side by
/// side are both found.
fn phones(chars: &[char], covered: &[bool]) -> Vec<(usize, usize)> {
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
        let separator = (free(j) && matches!(chars[j], ' ' | '.' | '-' | '/')).then(|| chars[j]);
        if separator.is_some() {
            j += 1;
        }
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

    // A list of years ("2009 2010 2011") is not a phone number.
    let is_year = |&(a, b): &(usize, usize)| {
        b - a == 4 && matches!((chars[a], chars[a + 1]), ('1', '9') | ('2', '0'))
    };
    if groups.len() > 1 && groups.iter().all(is_year) {
        return end;
    }
    let lens: Vec<usize> = groups.iter().map(|(a, b)| b - a).collect();
    let total: usize = lens.iter().sum();
    if PHONE_DIGITS.contains(&total) {
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
    end
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

/// A char compared without case: its lowercase form when that is a single char.
fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Every occurrence of each non-blank reference, without case.
fn references(chars: &[char], refs: &[&str]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    if refs.iter().all(|r| r.trim().is_empty()) {
        return found;
    }
    let text: Vec<char> = chars.iter().copied().map(fold).collect();
    for reference in refs {
        let needle: Vec<char> = reference.trim().chars().map(fold).collect();
        if needle.is_empty() || needle.len() > text.len() {
            continue;
        }
        for (start, window) in text.windows(needle.len()).enumerate() {
            if window == needle.as_slice() {
                found.push((start, start + needle.len()));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn clean(text: &str) -> String {
        anonymise(text, &[])
    }

    /// The longest run of consecutive ASCII digits.
    fn longest_digit_run(text: &str) -> usize {
        text.split(|c: char| !c.is_ascii_digit())
            .map(str::len)
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn emails_are_replaced() {
        assert_eq!(clean("jean.dupont@example.fr"), "[e-mail]");
        assert_eq!(
            clean("écrivez à jean.dupont@example.fr."),
            "écrivez à [e-mail]."
        );
        assert_eq!(
            clean("(a_b%c+tag-x@mail.sub-domain.example.com)"),
            "([e-mail])"
        );
        assert_eq!(clean("X.Y@Example.ORG, merci"), "[e-mail], merci");
        assert_eq!(clean("a@b.fr et c@d.ma"), "[e-mail] et [e-mail]");
        assert_eq!(clean("0612345678@sms.example.fr"), "[e-mail]");
    }

    #[test]
    fn near_emails_are_kept() {
        for text in [
            "rendez-vous @ 10h",
            "user@localhost",
            "a@b.c",
            "a@b.f2",
            "@example.fr",
            "a@.fr",
            "a@b..fr",
            "prix @ 3.50",
        ] {
            assert_eq!(clean(text), text);
        }
        // A trailing label that is not a TLD stays text.
        assert_eq!(clean("a@b.fr.2009"), "[e-mail].2009");
    }

    #[test]
    fn phones_are_replaced() {
        for phone in [
            "06 12 34 56 78",
            "+33 6 12 34 56 78",
            "0612345678",
            "+212 661-234567",
            "(+33) 1.23.45.67.89",
            "00 33 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
            "06-12-34-56-78",
            "06/12/34/56/78",
            "+216 71 123 456",
            "0 800 123 456",
        ] {
            assert_eq!(clean(phone), "[phone]", "{phone}");
            assert_eq!(
                clean(&format!("appelez le {phone}, merci")),
                "appelez le [phone], merci",
                "{phone}"
            );
        }
    }

    #[test]
    fn parentheses_around_a_number_stay_balanced() {
        assert_eq!(clean("(06 12 34 56 78)"), "([phone])");
        assert_eq!(clean("(tél. 06 12 34 56 78)"), "(tél. [phone])");
        assert_eq!(clean("06 12 34 56 78 (2"), "[phone] (2");
        assert_eq!(clean("06 12 34 56 78 (24h/24)"), "[phone] (24h/24)");
        assert_eq!(
            clean("06 12 34 56 (78"),
            "[phone]",
            "hidden rather than cut short"
        );
        assert_eq!(clean("+33 (0)6 12 34 56 78)"), "[phone])");
        assert_eq!(clean("1) 06 12 34 56 78"), "1) [phone]");
    }

    #[test]
    fn numbers_that_are_not_phones_are_kept() {
        for text in [
            "le 2009-09-07",
            "le 07/09/2009",
            "le 07.09.2009 à 10:30",
            "89,50 EUR",
            "1 234,56 EUR",
            "12 345 678,90 EUR",
            "en 2009 puis 2010",
            "hausse de 493 %",
            "12345678",
            "3 fois, 15 jours, 48 h",
            "du 07/09/2009 au 15/10/2009",
            "1234567890123456789",
            "factures 2009 2010 2011",
            "2009-2010-2011-2012",
        ] {
            assert_eq!(clean(text), text);
        }
    }

    #[test]
    fn long_runs_are_cut_into_numbers() {
        assert_eq!(clean("06 12 34 56 78 01 23 45 67 89"), "[phone] [phone]");
        assert_eq!(
            clean("le 07/09/2009 06 12 34 56 78"),
            "le 07/09/2009 [phone]"
        );
        assert_eq!(clean("07/09/2009-15/10/2009"), "07/09/2009-15/10/2009");
    }

    #[test]
    fn ibans_are_replaced() {
        for iban in [
            "FR76 3000 6000 0112 3456 7890 189",
            "FR7630006000011234567890189",
            "MA64011519000001205000534921",
            "MA64 0115 1900 0001 2050 0053 4921",
            "fr76 3000 6000 0112 3456 7890 189",
            "GB29 NWBK 6016 1331 9268 19",
            "TN59 1000 6035 1835 9847 8831",
        ] {
            assert_eq!(clean(iban), "[IBAN]", "{iban}");
            let sentence = format!("IBAN : {iban}. Merci");
            assert_eq!(clean(&sentence), "IBAN : [IBAN]. Merci", "{iban}");
        }
        // What follows an IBAN is not swallowed.
        assert_eq!(
            clean("FR76 3000 6000 0112 3456 7890 189 pour le remboursement"),
            "[IBAN] pour le remboursement"
        );
        assert_eq!(
            clean("MA64 0115 1900 0001 2050 0053 4921 pour le 06 12 34 56 78"),
            "[IBAN] pour le [phone]"
        );
    }

    #[test]
    fn near_ibans_are_kept() {
        for text in [
            "FR76",
            "FR76 3000",
            "AB12 word",
            "ab12abcdefghijkl",
            "mp3 et mp4",
            "code FR12 rue",
        ] {
            assert_eq!(clean(text), text);
        }
    }

    #[test]
    fn contract_references_are_replaced() {
        let refs = [" CLI-2009-42 ", "", "   ", "ab"];
        assert_eq!(
            anonymise("contrat cli-2009-42, rappel CLI-2009-42", &refs),
            "contrat [reference], rappel [reference]"
        );
        assert_eq!(anonymise("abc", &["ab"]), "[reference]c");
        assert_eq!(anonymise("aaa", &["aa"]), "[reference]");
        assert_eq!(anonymise("rien ici", &["", " "]), "rien ici");
        assert_eq!(anonymise("Réf ÉLAN-7", &["élan-7"]), "Réf [reference]");
        assert_eq!(anonymise("court", &["beaucoup plus long"]), "court");
    }

    #[test]
    fn overlapping_findings_leave_nothing_behind() {
        // A reference inside an e-mail: the whole address goes.
        assert_eq!(anonymise("jean.dupont@example.fr", &["dupont"]), "[e-mail]");
        // A reference reaching past a phone number: the whole reference goes.
        assert_eq!(
            anonymise("ligne 0612345678-B", &["0612345678-B"]),
            "ligne [reference]"
        );
    }

    #[test]
    fn multi_byte_characters_next_to_matches() {
        assert_eq!(clean("é0612345678é"), "é[phone]é");
        assert_eq!(clean("€06 12 34 56 78€"), "€[phone]€");
        assert_eq!(clean("éjean@example.fré"), "é[e-mail]é");
        assert_eq!(clean("«FR7630006000011234567890189»"), "«[IBAN]»");
        assert_eq!(
            anonymise("日本CLI-1日本", &["cli-1"]),
            "日本[reference]日本"
        );
        assert_eq!(clean("😀@😀.fr 😀"), "😀@😀.fr 😀");
        assert_eq!(clean(""), "");
    }

    #[test]
    fn kleema_sentence() {
        let text = "Depuis le 07/09/2009 la ligne est coupée, j'ai payé 89,50 EUR \
                    (hausse de 493 %), appelez-moi au 06 12 34 56 78 ou écrivez à \
                    jean.dupont@example.fr, IBAN FR76 3000 6000 0112 3456 7890 189, \
                    contrat CLI-2009-42";
        let out = anonymise(text, &["CLI-2009-42"]);
        assert_eq!(
            out,
            "Depuis le 07/09/2009 la ligne est coupée, j'ai payé 89,50 EUR \
             (hausse de 493 %), appelez-moi au [phone] ou écrivez à [e-mail], \
             IBAN [IBAN], contrat [reference]"
        );
        assert!(longest_digit_run(&out) < 9);
    }

    fn word() -> impl Strategy<Value = String> {
        "[a-zA-Zéèàçœ]{1,8}"
    }

    fn words() -> impl Strategy<Value = String> {
        proptest::collection::vec(word(), 0..4).prop_map(|w| w.join(" "))
    }

    fn email() -> impl Strategy<Value = String> {
        (
            "[A-Za-z0-9][A-Za-z0-9._%+-]{0,12}",
            proptest::collection::vec("[A-Za-z0-9][A-Za-z0-9-]{0,8}", 1..4),
            "[A-Za-z]{2,6}",
        )
            .prop_map(|(local, labels, tld)| format!("{local}@{}.{tld}", labels.join(".")))
    }

    fn phone() -> impl Strategy<Value = String> {
        (
            "[0-9]{9,15}",
            proptest::collection::vec(0usize..6, 15),
            prop_oneof![Just(""), Just("+")],
        )
            .prop_map(|(digits, cuts, prefix)| {
                let mut out = String::from(prefix);
                for (k, d) in digits.chars().enumerate() {
                    if k > 0 {
                        out.push_str(["", "", " ", ".", "-", "/"][cuts[k - 1]]);
                    }
                    out.push(d);
                }
                out
            })
            .prop_filter("a list of years is not a phone number", |phone| {
                !phone
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|g| !g.is_empty())
                    .all(|g| g.len() == 4 && (g.starts_with("19") || g.starts_with("20")))
            })
    }

    fn iban() -> impl Strategy<Value = String> {
        (
            "[A-Za-z]{2}[0-9]{2}",
            "[A-Z0-9]{4}[0-9]{6,26}",
            any::<bool>(),
        )
            .prop_map(|(head, bban, grouped)| {
                let all: Vec<char> = format!("{head}{bban}").chars().collect();
                if grouped {
                    let groups: Vec<String> = all.chunks(4).map(|g| g.iter().collect()).collect();
                    groups.join(" ")
                } else {
                    all.into_iter().collect()
                }
            })
    }

    fn around(before: &str, middle: &str, after: &str) -> String {
        [before, middle, after]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }

    proptest! {
        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,120}", r in "\\PC{0,6}") {
            let _ = anonymise(&text, &[r.as_str()]);
        }

        #[test]
        fn never_panics_on_text_made_of_the_scanned_characters(
            text in "[0-9a-zA-Z@.+()/ %,_é€-]{0,120}",
        ) {
            let out = anonymise(&text, &["a1"]);
            prop_assert!(!out.is_empty() || text.is_empty());
        }

        #[test]
        fn text_without_digits_or_at_signs_is_kept(text in "[^0-9@]{0,80}") {
            prop_assert_eq!(clean(&text), text);
        }

        #[test]
        fn inserted_emails_are_removed(before in words(), item in email(), after in words()) {
            let out = clean(&around(&before, &item, &after));
            prop_assert_eq!(out, around(&before, EMAIL, &after));
        }

        #[test]
        fn inserted_phones_are_removed(before in words(), item in phone(), after in words()) {
            let out = clean(&around(&before, &item, &after));
            prop_assert_eq!(&out, &around(&before, PHONE, &after));
            prop_assert!(longest_digit_run(&out) < 9);
        }

        #[test]
        fn inserted_ibans_are_removed(before in words(), item in iban(), after in words()) {
            let out = clean(&around(&before, &item, &after));
            prop_assert_eq!(&out, &around(&before, IBAN, &after));
            prop_assert!(longest_digit_run(&out) < 9);
        }

        #[test]
        fn all_three_together(
            a in words(), e in email(), b in words(), p in phone(), c in words(), i in iban(),
        ) {
            let text = format!("{a} : {e}, {b} : {p}, {c} : {i}.");
            let out = clean(&text);
            prop_assert_eq!(out, format!("{a} : {EMAIL}, {b} : {PHONE}, {c} : {IBAN}."));
        }
    }
}
