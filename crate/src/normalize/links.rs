//! Resolution of hrefs found on the page into absolute http(s) URLs.

use url::Url;

/// Resolves `href` against `base` (the page URL). Only http and https results are kept:
/// `javascript:`, `data:`, `mailto:`... give `None`. Nothing else is stripped (query
/// strings and fragments are evidence).
pub(super) fn resolve(href: &str, base: Option<&Url>) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    let web = matches!(url.scheme(), "http" | "https") && url.host_str().is_some();
    web.then_some(url)
}

/// The host without a leading `www.`, `m.` or `mobile.`.
pub(super) fn bare_host(url: &Url) -> Option<&str> {
    let host = url.host_str()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    let host = host.strip_prefix("mobile.").unwrap_or(host);
    Some(host.strip_prefix("m.").unwrap_or(host))
}

/// The non-empty path segments.
pub(super) fn segments(url: &Url) -> Vec<&str> {
    url.path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn res(href: &str, page: &str) -> Option<String> {
        let base = Url::parse(page).ok();
        resolve(href, base.as_ref()).map(String::from)
    }

    #[test]
    fn resolve_table() {
        let page = "https://x.com/home?lang=en";
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("/Kikobeats", page, Some("https://x.com/Kikobeats")),
            (
                "Kikobeats/status/1",
                page,
                Some("https://x.com/Kikobeats/status/1"),
            ),
            ("  /a?b=c#d  ", page, Some("https://x.com/a?b=c#d")),
            ("//example.org/p", page, Some("https://example.org/p")),
            ("https://t.co/abc?x=1", page, Some("https://t.co/abc?x=1")),
            ("HTTP://Example.ORG/A", page, Some("http://example.org/A")),
            ("javascript:alert(1)", page, None),
            ("JavaScript:alert(1)", page, None),
            ("data:text/html,<b>x</b>", page, None),
            ("mailto:a@b.c", page, None),
            ("ftp://example.org/", page, None),
            ("", page, None),
            ("   ", page, None),
            ("/relative", "not a url", None),
            (
                "https://ok.example/",
                "not a url",
                Some("https://ok.example/"),
            ),
            ("/relative", "chrome-extension://abc/page.html", None),
            ("http://[::1", page, None),
            (
                "?q=1",
                "https://news.ycombinator.com/item?id=2",
                Some("https://news.ycombinator.com/item?q=1"),
            ),
        ];
        for (href, page, want) in cases {
            assert_eq!(res(href, page).as_deref(), *want, "{href:?} on {page:?}");
        }
    }

    #[test]
    fn host_and_segments() {
        let u = Url::parse("https://www.reddit.com//user/foo/").unwrap();
        assert_eq!(bare_host(&u), Some("reddit.com"));
        assert_eq!(segments(&u), vec!["user", "foo"]);
        let u = Url::parse("https://mobile.twitter.com/a").unwrap();
        assert_eq!(bare_host(&u), Some("twitter.com"));
        let u = Url::parse("https://m.facebook.com/").unwrap();
        assert_eq!(bare_host(&u), Some("facebook.com"));
        assert!(segments(&u).is_empty());
    }
}
