//! Anonymising free text before reviewers read it: e-mail addresses, phone numbers, IBANs,
//! the complaint's own contract references and labelled customer numbers, and the names and
//! postal addresses that the text announces, are replaced by placeholders.
//!
//! The text is first normalised (Unicode NFKC, every space and dash made plain: see
//! [`normalise`]) and scanned in that form; what is found maps back onto the text as written,
//! which the result keeps outside the replaced stretches, so reviewers read the subscriber's
//! own typography and nothing the normalisation would change (ligatures, superscripts, "½").
//! Hand-written scanners over chars, linear in the length of the text apart from the label and
//! reference comparisons made at each position, that accept any UTF-8 input.

mod addresses;
mod emails;
mod ibans;
mod names;
mod normalise;
mod phones;
mod references;

use normalise::Normalised;

const EMAIL: &str = "[e-mail]";
const PHONE: &str = "[phone]";
const IBAN: &str = "[IBAN]";
const REFERENCE: &str = "[reference]";
const NAME: &str = "[name]";
const ADDRESS: &str = "[address]";

/// Replaces e-mail addresses with "[e-mail]", phone numbers with "[phone]", IBANs with
/// "[IBAN]", every writing of each string in `contract_refs` (its letters and digits in order,
/// without case, whatever separates them; skip blank ones) and customer numbers after a label
/// ("numéro client : 12345678") with "[reference]", names after a civility or an introduction
/// ("M. Dupont", "je m'appelle ...") with "[name]", postal addresses with "[address]".
/// Everything else is kept as written.
///
/// E-mails are found first, then IBANs, then labelled customer numbers, then phone numbers in
/// what is left, so the digits of an IBAN are never taken for a phone. The other findings are
/// looked for in the whole text; where two findings overlap, their union is replaced by the
/// placeholder of the longer one, so no part of either survives.
pub fn anonymise(text: &str, contract_refs: &[&str]) -> String {
    let original: Vec<char> = text.chars().collect();
    let scanned = Normalised::new(&original);
    let chars = &scanned.chars;
    let to_original = |found: Vec<(usize, usize)>| -> Vec<(usize, usize)> {
        found
            .into_iter()
            .map(|(start, end)| scanned.original(start, end))
            .collect()
    };
    let mut spans: Vec<Span> = Vec::new();
    let mut add = |found: &[(usize, usize)], label| {
        spans.extend(found.iter().map(|&(start, end)| Span { start, end, label }));
    };
    let folded: Vec<char> = chars.iter().copied().map(normalise::fold).collect();
    // Each of these is looked for where the ones before found nothing.
    let mut hidden = emails::find(&scanned);
    add(&hidden, EMAIL);
    let covered = scanned.covered(&hidden, original.len());
    let found = to_original(ibans::find(chars, &covered));
    add(&found, IBAN);
    hidden.extend(found);
    // A labelled number is a reference whatever its shape.
    let found = to_original(references::customer_numbers(&folded));
    add(&found, REFERENCE);
    hidden.extend(found);
    let covered = scanned.covered(&hidden, original.len());
    let found = to_original(phones::find(chars, &covered));
    add(&found, PHONE);
    hidden.extend(found);
    let found = references::contract(&folded, contract_refs);
    add(&to_original(found), REFERENCE);
    // Names and addresses are not announced from inside what is already hidden ("a@b.Mr").
    let covered = scanned.covered(&hidden, original.len());
    add(&to_original(names::find(chars, &folded, &covered)), NAME);
    add(
        &to_original(addresses::find(chars, &folded, &covered)),
        ADDRESS,
    );
    render(&original, spans)
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

#[cfg(test)]
mod planted;
#[cfg(test)]
mod tests;
