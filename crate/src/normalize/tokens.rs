//! Folding and tokenising of displayed time text.
//!
//! Text is lowercased and Latin accents are folded (`é` → `e`, `ä` → `a`) so the lexicon
//! only needs ASCII spellings. The tokeniser keeps digits, letters and a few meaningful
//! punctuation marks; everything else (spaces, `·`, `|`, emoji...) only separates tokens.

/// One lexical unit of displayed time text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    /// A run of ASCII digits: its value (saturating at `u64::MAX`) and its digit count.
    Num(u64, usize),
    /// A run of letters, lowercased with accents folded.
    Word(String),
    /// A punctuation mark that can carry meaning: `: . / - , +` (dashes fold to `-`).
    Punct(char),
}

/// A token and whether it touches the previous token (no separator in between).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    /// The token itself.
    pub tok: Tok,
    /// True when nothing (no space, no dropped symbol) separates it from the previous token.
    pub glued: bool,
}

/// Folds one lowercase character's Latin accent away.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        '–' | '—' | '−' | '‐' | '‑' => '-',
        '’' | '‘' | '´' => '\'',
        _ => c,
    }
}

/// Combining diacritical marks (decomposed accents) are dropped without splitting a word.
fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// The punctuation marks the parsers look at.
fn meaningful_punct(c: char) -> Option<char> {
    match c {
        ':' | '.' | '/' | '-' | ',' | '+' => Some(c),
        _ => None,
    }
}

/// Lowercases, folds accents and splits `s` into tokens.
pub(super) fn tokenize(s: &str) -> Vec<Token> {
    let chars: Vec<char> = s.chars().flat_map(char::to_lowercase).map(fold).collect();
    let mut out = Vec::new();
    let mut glued = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_ascii_digit() {
            let start = i;
            let mut value: u64 = 0;
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                value = value.saturating_mul(10).saturating_add(u64::from(d));
                i += 1;
            }
            out.push(Token {
                tok: Tok::Num(value, i - start),
                glued,
            });
            glued = true;
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(&c) = chars.get(i) {
                if c.is_alphabetic() {
                    word.push(c);
                } else if !is_combining(c) {
                    break;
                }
                i += 1;
            }
            out.push(Token {
                tok: Tok::Word(word),
                glued,
            });
            glued = true;
        } else if let Some(p) = meaningful_punct(c) {
            out.push(Token {
                tok: Tok::Punct(p),
                glued,
            });
            glued = true;
            i += 1;
        } else {
            if !is_combining(c) {
                glued = false;
            }
            i += 1;
        }
    }
    out
}

/// The word at `i`, if that token is a word.
pub(super) fn word_at(t: &[Token], i: usize) -> Option<&str> {
    match t.get(i).map(|t| &t.tok) {
        Some(Tok::Word(w)) => Some(w.as_str()),
        _ => None,
    }
}

/// The number (value, digit count) at `i`, if that token is a number.
pub(super) fn num_at(t: &[Token], i: usize) -> Option<(u64, usize)> {
    match t.get(i).map(|t| &t.tok) {
        Some(Tok::Num(v, n)) => Some((*v, *n)),
        _ => None,
    }
}

/// The punctuation mark at `i`, if that token is one.
pub(super) fn punct_at(t: &[Token], i: usize) -> Option<char> {
    match t.get(i).map(|t| &t.tok) {
        Some(Tok::Punct(p)) => Some(*p),
        _ => None,
    }
}

/// Whether the token at `i` exists and touches the token before it.
pub(super) fn glued_at(t: &[Token], i: usize) -> bool {
    t.get(i).is_some_and(|t| t.glued)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Tok> {
        tokenize(s).into_iter().map(|t| t.tok).collect()
    }

    fn w(s: &str) -> Tok {
        Tok::Word(s.to_string())
    }

    #[test]
    fn splits_numbers_words_and_punctuation() {
        assert_eq!(
            kinds("18:07 - 13 may. 2019"),
            vec![
                Tok::Num(18, 2),
                Tok::Punct(':'),
                Tok::Num(7, 2),
                Tok::Punct('-'),
                Tok::Num(13, 2),
                w("may"),
                Tok::Punct('.'),
                Tok::Num(2019, 4),
            ]
        );
        assert_eq!(kinds("3h"), vec![Tok::Num(3, 1), w("h")]);
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(kinds("Miércoles"), vec![w("miercoles")]);
        assert_eq!(kinds("MÄRZ"), vec![w("marz")]);
        assert_eq!(kinds("Août"), vec![w("aout")]);
        // Decomposed accent (e + combining acute) stays one word.
        assert_eq!(kinds("de\u{301}c"), vec![w("dec")]);
    }

    #[test]
    fn separators_and_glue() {
        let t = tokenize("9:00 AM · Jan");
        assert_eq!(t.len(), 5);
        assert!(!t[0].glued);
        assert!(t[1].glued && t[2].glued);
        assert!(!t[3].glued && !t[4].glued);
        assert_eq!(kinds("😀 2h 🔥"), vec![Tok::Num(2, 1), w("h")]);
        assert_eq!(
            kinds("10–12"),
            vec![Tok::Num(10, 2), Tok::Punct('-'), Tok::Num(12, 2)]
        );
    }

    #[test]
    fn hostile_input() {
        assert!(tokenize("").is_empty());
        assert!(tokenize("   \t\n").is_empty());
        assert_eq!(
            kinds("999999999999999999999999"),
            vec![Tok::Num(u64::MAX, 24)]
        );
        assert_eq!(kinds("\u{301}\u{301}"), Vec::<Tok>::new());
        assert_eq!(kinds("٣ ساعات"), vec![w("ساعات")]);
    }

    #[test]
    fn accessors_never_panic() {
        let t = tokenize("5 may");
        assert_eq!(num_at(&t, 0), Some((5, 1)));
        assert_eq!(word_at(&t, 1), Some("may"));
        assert_eq!(punct_at(&t, 1), None);
        assert_eq!(word_at(&t, 99), None);
        assert!(!glued_at(&t, 99));
    }
}
