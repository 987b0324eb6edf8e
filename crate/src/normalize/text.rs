//! Whitespace normalisation of message text and single-line fields.

/// Characters that end a line. `\r\n` counts once.
fn is_newline(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}')
}

/// Collapses runs of horizontal whitespace to one space, trims every line and the whole
/// text, keeps single newlines and collapses three or more to two (one blank line).
/// Non-whitespace characters (zero-width ones included) are kept as they are: evidence.
pub(super) fn normalize_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let mut newlines = 0usize;
    let mut prev_cr = false;
    for c in s.chars() {
        if c == '\n' && prev_cr {
            prev_cr = false;
            continue;
        }
        prev_cr = c == '\r';
        if is_newline(c) {
            newlines += 1;
            space = false;
        } else if c.is_whitespace() {
            space = newlines == 0;
        } else {
            if !out.is_empty() {
                if newlines > 0 {
                    out.push_str(if newlines >= 2 { "\n\n" } else { "\n" });
                } else if space {
                    out.push(' ');
                }
            }
            newlines = 0;
            space = false;
            out.push(c);
        }
    }
    out
}

/// All whitespace (newlines included) collapsed to single spaces, trimmed; `None` if empty.
pub(super) fn single_line(s: &str) -> Option<String> {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// Trimmed copy; `None` if nothing is left.
pub(super) fn trimmed(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_text_table() {
        let cases = [
            ("", ""),
            ("   \t \n\n  ", ""),
            ("hello", "hello"),
            ("  hello   world \t again  ", "hello world again"),
            ("a\nb", "a\nb"),
            ("a  \n  b", "a\nb"),
            ("a\n\nb", "a\n\nb"),
            ("a\n\n\nb", "a\n\nb"),
            ("a\n \n\t\n\n\nb", "a\n\nb"),
            ("a\r\nb", "a\nb"),
            ("a\r\n\r\n\r\nb", "a\n\nb"),
            ("a\rb", "a\nb"),
            ("a\u{a0}\u{2009}b", "a b"),
            ("a\u{2028}b", "a\nb"),
            ("\n\nlead and trail\n\n", "lead and trail"),
            ("zero\u{200b}width", "zero\u{200b}width"),
            ("emoji 😀  🔥", "emoji 😀 🔥"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_text(input), want, "{input:?}");
        }
    }

    #[test]
    fn single_line_and_trimmed() {
        assert_eq!(
            single_line("  Ana \n  María  "),
            Some("Ana María".to_string())
        );
        assert_eq!(single_line(" \n\t "), None);
        assert_eq!(trimmed(Some("  x ")), Some("x".to_string()));
        assert_eq!(trimmed(Some("   ")), None);
        assert_eq!(trimmed(None), None);
    }
}
