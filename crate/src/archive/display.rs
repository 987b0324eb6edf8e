//! Strings taken from an archive are hostile until shown safe: a manifest field, a record's
//! capture time or a ZIP entry name may hold terminal escape sequences (to clear the screen
//! and print a fake verdict) or bidirectional-text controls (to reorder what a reader
//! sees). Every string the verifier reports passes through [`escape_unsafe`]; the writer
//! drops them from the one free-text field a person types ([`strip_unsafe`]); and the
//! verifier refuses a manifest field that holds any ([`unsafe_chars`]).

/// Whether `c` is a control character (C0, DEL, C1) or a bidirectional-text control
/// (LRM, RLM, ALM, the embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `s` with every unsafe character (see [`is_unsafe_char`]), newlines and tabs included,
/// written as a visible `[U+XXXX]`, so it shows on one line, inert, and a reader sees it.
pub fn escape_unsafe(s: &str) -> String {
    if !s.chars().any(is_unsafe_char) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("[U+{:04X}]", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// [`escape_unsafe`] in place.
pub fn escape_in_place(s: &mut String) {
    if s.chars().any(is_unsafe_char) {
        *s = escape_unsafe(s);
    }
}

/// `s` without its unsafe characters (see [`is_unsafe_char`]): what the writer keeps of a
/// name typed at export.
pub fn strip_unsafe(s: &str) -> String {
    s.chars().filter(|&c| !is_unsafe_char(c)).collect()
}

/// The unsafe characters in `s`, as `U+XXXX`, at most `max` of them.
pub fn unsafe_chars(s: &str, max: usize) -> Vec<String> {
    s.chars()
        .filter(|&c| is_unsafe_char(c))
        .take(max)
        .map(|c| format!("U+{:04X}", c as u32))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_visibly() {
        let hostile = "a\u{1b}[2J\nVERDICT: PASS\u{202e}x\u{9b}\u{7}\u{2066}";
        let shown = escape_unsafe(hostile);
        assert_eq!(
            shown,
            "a[U+001B][2J[U+000A]VERDICT: PASS[U+202E]x[U+009B][U+0007][U+2066]"
        );
        assert!(!shown.chars().any(is_unsafe_char));
        assert_eq!(escape_unsafe("Maya Okafor, مايا"), "Maya Okafor, مايا");
        assert_eq!(strip_unsafe(hostile), "a[2JVERDICT: PASSx");
        assert_eq!(unsafe_chars(hostile, 2), ["U+001B", "U+000A"]);
        let mut s = "ok\u{200f}".to_string();
        escape_in_place(&mut s);
        assert_eq!(s, "ok[U+200F]");
    }
}
