//! The text as the finders read it: Unicode NFKC (full-width digits and '＠' become ASCII),
//! every Unicode space a single ' ', every Unicode dash '-', typographic apostrophes '\'',
//! Arabic-Indic digits ASCII, invisible format characters dropped. Each char remembers which
//! original chars it stands for, so what is found maps back onto the text as written.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Chars to scan, each with the range of original chars (char indices) it comes from.
pub(super) struct Normalised {
    pub chars: Vec<char>,
    origin: Vec<(usize, usize)>,
}

impl Normalised {
    pub fn new(original: &[char]) -> Self {
        let mut view = Normalised {
            chars: Vec::with_capacity(original.len()),
            origin: Vec::with_capacity(original.len()),
        };
        let mut i = 0;
        while i < original.len() {
            // A base char and its combining marks are normalised together ("e\u{301}" is 'é').
            let mut j = i + 1;
            while j < original.len() && is_combining_mark(original[j]) {
                j += 1;
            }
            if j == i + 1 && original[i].is_ascii() {
                // ASCII is its own NFKC form: no allocation for most of the text.
                if let Some(c) = canonical(original[i]) {
                    view.push(c, (i, j));
                }
            } else {
                let cluster: String = original[i..j].iter().collect();
                for c in cluster.nfkc().filter_map(canonical) {
                    view.push(c, (i, j));
                }
            }
            i = j;
        }
        view
    }

    /// Appends `c` standing for `origin`; a space after a space widens the first one instead.
    fn push(&mut self, c: char, origin: (usize, usize)) {
        if c == ' ' && self.chars.last() == Some(&' ') {
            if let Some(last) = self.origin.last_mut() {
                last.1 = origin.1;
            }
            return;
        }
        self.chars.push(c);
        self.origin.push(origin);
    }

    /// A view of this one where each `(start, end, c)` replaces chars `start..end` by `c`
    /// (`None`: by nothing). Rewrites are sorted and do not overlap.
    pub fn rewrite(&self, rewrites: &[(usize, usize, Option<char>)]) -> Normalised {
        let mut view = Normalised {
            chars: Vec::with_capacity(self.chars.len()),
            origin: Vec::with_capacity(self.chars.len()),
        };
        let mut pos = 0;
        for &(start, end, c) in rewrites {
            for k in pos..start {
                view.chars.push(self.chars[k]);
                view.origin.push(self.origin[k]);
            }
            if let Some(c) = c {
                view.chars.push(c);
                view.origin.push(self.original(start, end));
            }
            pos = end;
        }
        for k in pos..self.chars.len() {
            view.chars.push(self.chars[k]);
            view.origin.push(self.origin[k]);
        }
        view
    }

    /// The original chars that chars `start..end` (not empty) of this view stand for.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        (self.origin[start].0, self.origin[end - 1].1)
    }

    /// Which chars of this view stand for an original char inside one of `spans`.
    pub fn covered(&self, spans: &[(usize, usize)], original_len: usize) -> Vec<bool> {
        let mut hidden = vec![false; original_len];
        for &(start, end) in spans {
            hidden[start..end].fill(true);
        }
        self.origin
            .iter()
            .map(|&(start, _)| hidden[start])
            .collect()
    }
}

/// What a char of NFKC text is scanned as; `None` drops it.
fn canonical(c: char) -> Option<char> {
    Some(match c {
        // Soft hyphen, zero-width spaces and joiners, word joiner, BOM: invisible, so they
        // could hide a number from the scan.
        '\u{ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' => {
            return None;
        }
        c if c.is_whitespace() => ' ',
        // Unicode dashes (general category Pd) and the minus sign.
        '\u{58a}'
        | '\u{5be}'
        | '\u{1400}'
        | '\u{1806}'
        | '\u{2010}'..='\u{2015}'
        | '\u{2043}'
        | '\u{2212}'
        | '\u{2e17}'
        | '\u{2e1a}'
        | '\u{2e3a}'
        | '\u{2e3b}'
        | '\u{2e40}'
        | '\u{301c}'
        | '\u{3030}'
        | '\u{30a0}'
        | '\u{fe31}'
        | '\u{fe32}'
        | '\u{fe58}'
        | '\u{fe63}'
        | '\u{ff0d}' => '-',
        '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{2032}' | '\u{2bc}' | '`' => '\'',
        '\u{660}'..='\u{669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
        '\u{6f0}'..='\u{6f9}' => char::from(b'0' + (c as u32 - 0x6f0) as u8),
        c => c,
    })
}

/// A char compared without case or accents: the lowercase of its base letter ('É' is 'e'),
/// always one char so that folded text keeps the indices of the text.
pub(super) fn fold(c: char) -> char {
    let mut base = c;
    let mut first = true;
    decompose_canonical(c, |d| {
        if first {
            base = d;
            first = false;
        }
    });
    let mut lower = base.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => base,
    }
}

/// The chars that `words` start with, once each: a quick test before comparing words.
pub(super) fn first_chars(words: &[&str]) -> Vec<char> {
    let mut firsts: Vec<char> = words.iter().filter_map(|w| w.chars().next()).collect();
    firsts.sort_unstable();
    firsts.dedup();
    firsts
}

/// Where `word` ends if `text` holds it from `at` on.
pub(super) fn read(text: &[char], at: usize, word: &str) -> Option<usize> {
    let mut i = at;
    for c in word.chars() {
        if text.get(i) != Some(&c) {
            return None;
        }
        i += 1;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanned(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        Normalised::new(&chars).chars.into_iter().collect()
    }

    #[test]
    fn spaces_dashes_and_digits_are_made_plain() {
        assert_eq!(scanned("06\u{a0}12\u{202f}34  56\t\n78"), "06 12 34 56 78");
        assert_eq!(
            scanned("06\u{2013}12\u{2014}34\u{2212}56\u{2011}78"),
            "06-12-34-56-78"
        );
        assert_eq!(scanned("０６１２３４５６７８"), "0612345678");
        assert_eq!(scanned("jean＠gmail．com"), "jean@gmail.com");
        assert_eq!(scanned("٠٦١٢"), "0612");
        assert_eq!(scanned("06\u{200b}12\u{ad}34"), "061234");
        assert_eq!(scanned("m\u{2019}appelle"), "m'appelle");
        assert_eq!(scanned("je\u{301}an"), "jéan");
    }

    #[test]
    fn every_char_maps_back_to_what_it_stands_for() {
        let chars: Vec<char> = "a  b\u{200b}ﬁ".chars().collect();
        let view = Normalised::new(&chars);
        assert_eq!(view.chars, vec!['a', ' ', 'b', 'f', 'i']);
        assert_eq!(view.original(1, 2), (1, 3));
        assert_eq!(view.original(2, 3), (3, 4));
        // Both chars of the ligature stand for all of it.
        assert_eq!(view.original(3, 4), (5, 6));
        assert_eq!(view.original(0, 5), (0, 6));
    }

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(
            "NuMÉRO Çà".chars().map(fold).collect::<String>(),
            "numero ca"
        );
    }
}
