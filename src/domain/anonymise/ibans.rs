//! IBANs, in one block or in groups ("FR76 3000 6000 0112 3456 7890 189", also with dashes).

/// The part of an IBAN after its country code and check digits.
const BBAN_LEN: std::ops::RangeInclusive<usize> = 10..=30;

/// IBANs: two letters, two digits, then 10 to 30 alphanumerics, either in one block or in
/// groups after single spaces or dashes ("FR76 3000 6000 0112 3456 7890 189"). Groups after
/// the first one hold at least one digit and the grouping ends after a group shorter than 4,
/// so words and numbers written after an IBAN are not swallowed. At least half of the
/// alphanumerics after the check digits are digits, as in real account numbers.
pub(super) fn find(chars: &[char], covered: &[bool]) -> Vec<(usize, usize)> {
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
            while end < chars.len() && matches!(chars[end], ' ' | '-') && !covered[end] {
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
