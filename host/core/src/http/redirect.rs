//! The redirect policy: which responses are followed, with which method, body and headers.
//!
//! The host follows redirects itself (ureq's `RedirectAuthHeaders::SameHost` would keep the
//! `authorization` header on a redirect to another port). Method and body rules are reqwest's
//! (Supabase's client): 301/302/303 continue as GET without a body (GET stays GET), 307/308 keep
//! method and body; at most 10 redirects. Credentials: reqwest drops `authorization`, `cookie`,
//! `proxy-authorization` and `www-authenticate` when host or port change; this host is
//! stricter: when scheme, host or port change, only the non-credential headers in
//! [`KEPT_ACROSS_ORIGINS`] go on (API keys also travel in custom headers such as `x-api-key`).

use ureq::http::{header, HeaderMap, Method};

/// Request headers kept on a redirect to another origin (scheme, host or port); all others,
/// including every credential header, are dropped.
pub const KEPT_ACROSS_ORIGINS: [&str; 13] = [
    "accept",
    "accept-encoding",
    "accept-language",
    "cache-control",
    "content-language",
    "content-type",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-unmodified-since",
    "pragma",
    "range",
    "user-agent",
];

/// What to do with a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Redirect {
    /// Not a redirect to follow: it is the response.
    Return,
    /// Follow it.
    Follow {
        url: url::Url,
        method: Method,
        /// 301/302/303: the next request has no body (and no body headers).
        drop_body: bool,
        /// Scheme, host or port differ from the current URL's.
        cross_origin: bool,
    },
    /// Stop with this transport error.
    Fail(String),
}

/// Same scheme, host and port (default ports made explicit).
pub(crate) fn same_origin(a: &url::Url, b: &url::Url) -> bool {
    a.scheme() == b.scheme() && a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

/// Decide about a response with `status` and `location` to a request `method current`, after
/// `followed` redirects (at most `max`). `shown` is the current URL as messages show it.
pub(crate) fn decide(
    status: u16,
    method: &Method,
    location: Option<&[u8]>,
    current: &url::Url,
    shown: &str,
    followed: u32,
    max: u32,
) -> Redirect {
    let drop_body = match status {
        301..=303 => true,
        307 | 308 => false,
        _ => return Redirect::Return,
    };
    // like reqwest: a missing or unusable location means the 3xx response is the answer
    let Some(mut next) = location
        .and_then(|l| std::str::from_utf8(l).ok())
        .and_then(|l| current.join(l.trim()).ok())
    else {
        return Redirect::Return;
    };
    if next.scheme() != "http" && next.scheme() != "https" || !next.has_host() {
        return Redirect::Fail(format!(
            "error following redirect for url ({shown}): the location is not an http(s) URL"
        ));
    }
    if followed >= max {
        return Redirect::Fail(format!("error following redirect for url ({shown}): too many redirects"));
    }
    // credentials a server puts into a location are not sent on
    let _ = super::urls::take_userinfo(&mut next);
    next.set_fragment(None);
    let method = if drop_body && *method != Method::GET && *method != Method::HEAD { Method::GET } else { method.clone() };
    let cross_origin = !same_origin(current, &next);
    Redirect::Follow { url: next, method, drop_body, cross_origin }
}

/// The request headers for the next hop of a redirect.
pub(crate) fn next_headers(headers: &mut HeaderMap, drop_body: bool, cross_origin: bool) {
    if drop_body {
        for h in [header::CONTENT_TYPE, header::CONTENT_LENGTH, header::TRANSFER_ENCODING, header::CONTENT_ENCODING] {
            headers.remove(h);
        }
    }
    if cross_origin {
        let names: Vec<_> = headers.keys().filter(|n| !KEPT_ACROSS_ORIGINS.contains(&n.as_str())).cloned().collect();
        for n in names {
            headers.remove(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::http::HeaderValue;

    fn u(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    fn follow(status: u16, method: Method, from: &str, to: &str) -> Redirect {
        decide(status, &method, Some(to.as_bytes()), &u(from), from, 0, 10)
    }

    #[test]
    fn methods_and_bodies_follow_reqwest() {
        for status in [301, 302, 303] {
            for m in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::GET] {
                match follow(status, m.clone(), "http://a/x", "/y") {
                    Redirect::Follow { url, method, drop_body, cross_origin } => {
                        assert_eq!(url.as_str(), "http://a/y");
                        assert_eq!(method, Method::GET, "{status} {m}");
                        assert!(drop_body && !cross_origin);
                    }
                    other => panic!("{status} {m}: {other:?}"),
                }
            }
        }
        for status in [307, 308] {
            for m in [Method::POST, Method::PUT, Method::DELETE] {
                match follow(status, m.clone(), "http://a/x", "http://a/z") {
                    Redirect::Follow { method, drop_body, .. } => assert!(method == m && !drop_body),
                    other => panic!("{other:?}"),
                }
            }
        }
        for status in [200, 300, 304, 305, 306, 404] {
            assert_eq!(follow(status, Method::GET, "http://a/x", "/y"), Redirect::Return);
        }
        // no or unusable location: the response itself
        assert_eq!(decide(302, &Method::GET, None, &u("http://a/"), "http://a/", 0, 10), Redirect::Return);
        assert_eq!(decide(302, &Method::GET, Some(b"\xff"), &u("http://a/"), "http://a/", 0, 10), Redirect::Return);
    }

    #[test]
    fn origin_changes_are_cross_origin() {
        let cross = |from: &str, to: &str| match follow(302, Method::GET, from, to) {
            Redirect::Follow { cross_origin, .. } => cross_origin,
            other => panic!("{other:?}"),
        };
        assert!(!cross("http://127.0.0.1:80/a", "http://127.0.0.1/b"));
        assert!(!cross("https://api.x.com/a", "https://api.x.com:443/b?c"));
        assert!(cross("http://127.0.0.1:8080/a", "http://127.0.0.1:8081/a"), "port");
        assert!(cross("http://127.0.0.1:8080/a", "http://127.0.0.2:8080/a"), "host");
        assert!(cross("https://h/a", "http://h/a"), "scheme (and default port)");
        assert!(cross("http://h:443/a", "https://h:443/a"), "scheme only");
        assert!(cross("http://a.example/", "http://b.example/"));
    }

    #[test]
    fn limits_and_schemes() {
        let r = decide(302, &Method::GET, Some(b"/next"), &u("http://a/x"), "http://a/x", 10, 10);
        assert_eq!(r, Redirect::Fail("error following redirect for url (http://a/x): too many redirects".into()));
        assert!(matches!(decide(302, &Method::GET, Some(b"/next"), &u("http://a/x"), "http://a/x", 9, 10), Redirect::Follow { .. }));
        let r = follow(302, Method::GET, "http://a/x", "file:///etc/passwd");
        assert!(matches!(r, Redirect::Fail(ref m) if m.contains("not an http(s) URL")), "{r:?}");
        // userinfo in a location is dropped, and so is a fragment
        match follow(302, Method::GET, "http://a/x", "http://evil:pw@b/y#f") {
            Redirect::Follow { url, .. } => assert_eq!(url.as_str(), "http://b/y"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn credentials_never_cross_origins() {
        let mut h = HeaderMap::new();
        for (n, v) in [
            ("authorization", "Bearer s"),
            ("cookie", "c=1"),
            ("proxy-authorization", "p"),
            ("www-authenticate", "w"),
            ("x-api-key", "k"),
            ("private-token", "t"),
            ("accept", "application/json"),
            ("user-agent", "ua"),
            ("content-type", "application/json"),
            ("if-none-match", "\"e\""),
        ] {
            h.insert(ureq::http::HeaderName::from_static(n), HeaderValue::from_static(v));
        }
        let mut same = h.clone();
        next_headers(&mut same, false, false);
        assert_eq!(same, h);
        let mut cross = h.clone();
        next_headers(&mut cross, false, true);
        let mut names: Vec<_> = cross.keys().map(|k| k.as_str().to_string()).collect();
        names.sort();
        assert_eq!(names, ["accept", "content-type", "if-none-match", "user-agent"]);
        let mut see_other = h.clone();
        next_headers(&mut see_other, true, false);
        assert!(see_other.get("content-type").is_none() && see_other.get("authorization").is_some());
    }
}
