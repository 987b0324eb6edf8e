//! The text rules of the library's search, and the script's loose reading of JSON
//! values (`String(v)`, `filter(Boolean)`, `Number(v) || 0`, `slice`), so that the core
//! makes the same catalog text as `library/catalog.js`.

use serde_json::Value;

/// Lowercase, accent-free, whitespace-collapsed text for search (the query goes through
/// the same), so that "zoe" finds "Zoë" and "cafe" finds "Café": NFD, marks dropped,
/// lowercased, runs of whitespace made one space, trimmed.
pub fn search_normal(s: &str) -> String {
    let nfd = icu_normalizer::DecomposingNormalizerBorrowed::new_nfd().normalize(s);
    let gc = icu_properties::CodePointMapData::<icu_properties::props::GeneralCategory>::new();
    let marks = icu_properties::props::GeneralCategoryGroup::Mark;
    let bare: String = nfd
        .chars()
        .filter(|c| !marks.contains(gc.get(*c)))
        .collect();
    let lower = bare.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut space = false;
    for c in lower.chars() {
        if is_js_space(c) {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// The words of a search query, normalised like the catalog's text.
pub fn search_words(query: &str) -> Vec<String> {
    search_normal(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// JavaScript's `\s`: the characters `String.prototype.trim` and `/\s/` treat as space.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// The script's `str(v)`: a string as is, nothing as "", anything else as its text.
pub(crate) fn js_string(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}"),
            (_, _, Some(f)) => f.to_string(),
            _ => String::new(),
        },
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| js_string(Some(x)))
            .collect::<Vec<_>>()
            .join(","),
        Some(Value::Object(_)) => "[object Object]".to_string(),
    }
}

/// A value the script's `filter(Boolean)` keeps, as its text; `None` for a falsy one
/// (nothing, `null`, `""`, `false`, `0`).
pub(crate) fn js_word(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null | Value::Bool(false) => None,
        Value::String(s) if s.is_empty() => None,
        Value::Number(n) if n.as_f64() == Some(0.0) => None,
        other => Some(js_string(Some(other))),
    }
}

/// The script's `v ?? null`.
pub(crate) fn js_or_null(v: Option<&Value>) -> Value {
    v.cloned().unwrap_or(Value::Null)
}

/// The script's `Number(v) || 0` for a count: a whole number when it is one.
pub(crate) fn js_number(v: Option<&Value>) -> serde_json::Number {
    let n = js_f64(v);
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        serde_json::Number::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).unwrap_or_else(|| serde_json::Number::from(0))
    }
}

fn js_f64(v: Option<&Value>) -> f64 {
    let n = match v {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::String(s)) => s.trim().parse::<f64>().unwrap_or(0.0),
        Some(Value::Bool(true)) => 1.0,
        _ => 0.0,
    };
    if n.is_finite() {
        n
    } else {
        0.0
    }
}

/// The first `max` UTF-16 units of `s` (the script's `slice`), never splitting a
/// character: a pair that would be cut is left out whole.
pub(crate) fn slice_utf16(s: &str, max: usize) -> String {
    let mut units = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            break;
        }
        end = i + c.len_utf8();
    }
    s[..end].to_string()
}
